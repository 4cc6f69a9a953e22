"""Event study of violence around meetings: windows before and after, bootstrap interval, placebo test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from trends.filters import DEFAULT_FREQ, Domain, FilterSpec
from trends.engines.queries import meetings_between

WINDOWS = (7, 14, 30)
MIN_MEETINGS = 5
MIN_EVENTS = 20


def all_dates(spec: FilterSpec, domain: Domain) -> FilterSpec:
    """The view's value filters over the data's whole span: windows, and the weeks before a ceasefire, reach
    outside the chosen dates. Counted by day, so the view's period length plays no part."""
    return replace(spec, start=domain.first, end=domain.last, freq=DEFAULT_FREQ, notices=())


def parties_of(meetings: pd.DataFrame) -> list[str]:
    """Every party named in the meetings' `parties` lists (separated by semicolons), sorted."""
    return sorted({p.strip() for ps in meetings["parties"].dropna() for p in ps.split(";") if p.strip()})


def select_meetings(meetings: pd.DataFrame, kinds: Sequence[str] = (), parties: Sequence[str] = (),
                    start=None, end=None) -> pd.DataFrame:
    """Meetings of any of `kinds` with any of `parties` (empty: all), overlapping [start, end] when given."""
    if start is not None:
        meetings = meetings_between(meetings, start, end)
    if kinds:
        meetings = meetings[meetings["kind"].isin(kinds)]
    if parties:
        named = meetings["parties"].fillna("").str.split(r"\s*;\s*")
        meetings = meetings[named.map(lambda ps: bool(set(ps) & set(parties)))]
    return meetings


def daily_counts(per_day: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """An engine's daily() counts over every calendar day of [first, last], days without events as 0."""
    days = pd.date_range(first, last, freq="D")
    return per_day.reindex(days, fill_value=0).astype("int64")


def _window_sums(cum: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Sums over inclusive day-index ranges [lo, hi] from a cumulative array with a leading 0."""
    return cum[hi + 1] - cum[lo]


@dataclass
class EventStudy:
    """Per-meeting windows, the overall change with its interval and placebo p-value, and the event-time curve."""

    window: int
    meetings: pd.DataFrame
    overall: dict
    event_time: pd.DataFrame
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def verdict(self) -> str:
        o = self.overall
        if o["caution"]:
            return o["caution"]
        if o["p_value"] < 0.05 and o["ci_low"] > 0:
            return "Attacks were higher after the meetings than before, more than at random dates."
        if o["p_value"] < 0.05 and o["ci_high"] < 0:
            return "Attacks were higher before the meetings than after, more than at random dates."
        if o["p_value"] < 0.05 or o["ci_low"] > 0 or o["ci_high"] < 0:
            return ("Mixed evidence: one of the two tests points to a difference and the other does not. "
                    "Treat it as no finding.")
        return "No difference between before and after that stands out from random dates."


def event_study(per_day: pd.DataFrame, meetings: pd.DataFrame, window: int, *, exclude_overlaps: bool = False,
                first=None, last=None, n_resamples: int = 9999, seed: int = 20181127) -> EventStudy:
    """Compare attacks in the `window` days before each meeting (start-W..start-1) with the W days after
    (end+1..end+W). `per_day` is an engine's daily() counts. Meetings whose windows leave the data's span are
    set aside, not counted as quiet."""
    first = pd.Timestamp(first if first is not None else per_day.index.min()).normalize()
    last = pd.Timestamp(last if last is not None else per_day.index.max()).normalize()
    daily = daily_counts(per_day, first, last)
    cum = {c: np.concatenate([[0], daily[c].to_numpy().cumsum()]) for c in ("attacks", "killed")}
    m = meetings.copy()
    m["end"] = m["end_date"].fillna(m["date"])
    start_i = ((m["date"] - first).dt.days).to_numpy()
    end_i = ((m["end"] - first).dt.days).to_numpy()
    inside = (start_i - window >= 0) & (end_i + window <= len(daily) - 1)
    excluded = m.loc[~inside, ["meeting_id", "title", "date"]].assign(reason="window outside the data's span")
    m, start_i, end_i = m.loc[inside].reset_index(drop=True), start_i[inside], end_i[inside]
    for col in ("attacks", "killed"):
        prefix = "" if col == "attacks" else "killed_"
        m[f"{prefix}before"] = _window_sums(cum[col], start_i - window, start_i - 1)
        m[f"{prefix}during"] = _window_sums(cum[col], start_i, end_i)
        m[f"{prefix}after"] = _window_sums(cum[col], end_i + 1, end_i + window)
    m["change"] = m["after"] - m["before"]
    m["overlaps"] = _overlaps(start_i - window, end_i + window)
    if exclude_overlaps:
        dropped = m.loc[m["overlaps"], ["meeting_id", "title", "date"]].assign(reason="window overlaps another")
        excluded = pd.concat([excluded, dropped], ignore_index=True)
        m = m.loc[~m["overlaps"]].reset_index(drop=True)
    pool = _placebo_pool(len(daily), window, (m["date"] - first).dt.days.to_numpy(),
                         (m["end"] - first).dt.days.to_numpy())
    placebo_change = (_window_sums(cum["attacks"], pool + 1, pool + window)
                      - _window_sums(cum["attacks"], pool - window, pool - 1))
    overall = _overall(m["change"].to_numpy(dtype=float), placebo_change.astype(float),
                       int(m[["before", "after"]].to_numpy().sum()), n_resamples, seed)
    curve = _event_time(daily["attacks"].to_numpy(), m, first, window, pool, seed)
    cols = ["meeting_id", "title", "kind", "date", "end_date", "before", "during", "after", "change",
            "killed_before", "killed_during", "killed_after", "overlaps"]
    return EventStudy(window, m[cols], overall, curve, excluded.reset_index(drop=True))


def _overlaps(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """True where a meeting's [start-W, end+W] span overlaps another meeting's."""
    flags = np.zeros(len(lo), dtype=bool)
    for i in range(len(lo)):
        others = np.ones(len(lo), dtype=bool)
        others[i] = False
        flags[i] = bool(np.any(others & (lo <= hi[i]) & (hi >= lo[i])))
    return flags


def _placebo_pool(n_days: int, window: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Day indexes that can stand for a one-day meeting: full windows inside the span, and not a meeting day."""
    days = np.arange(window, n_days - window)
    meeting_day = np.zeros(n_days, dtype=bool)
    for s, e in zip(starts, ends):
        meeting_day[max(s, 0): min(e, n_days - 1) + 1] = True
    return days[~meeting_day[days]]


def _overall(changes: np.ndarray, placebo: np.ndarray, events: int, n_resamples: int, seed: int) -> dict:
    from scipy import stats  # imported on use: it costs half a second of every cold start
    n = len(changes)
    out = {"mean_change": float(changes.mean()) if n else float("nan"), "ci_low": float("nan"),
           "ci_high": float("nan"), "p_value": float("nan"), "n": n, "events": events,
           "placebo_mean": float(placebo.mean()) if len(placebo) else float("nan"), "caution": ""}
    if n < MIN_MEETINGS or events < MIN_EVENTS or len(placebo) < n:
        out["caution"] = (f"Too few to judge: {n} meetings and {events} attacks in their windows "
                          f"(at least {MIN_MEETINGS} meetings and {MIN_EVENTS} attacks are needed). "
                          "The numbers are shown, but they support no conclusion.")
    if n >= 2 and np.ptp(changes) > 0:
        ci = stats.bootstrap((changes,), np.mean, confidence_level=0.95, n_resamples=n_resamples,
                             method="percentile", rng=np.random.default_rng(seed)).confidence_interval
        out["ci_low"], out["ci_high"] = float(ci.low), float(ci.high)
    elif n:
        out["ci_low"] = out["ci_high"] = float(changes.mean())
    if n and len(placebo) >= n:
        rng = np.random.default_rng(seed + 1)
        # The null: the mean change of n days drawn at random from non-meeting days of the same span.
        test = stats.monte_carlo_test(changes, lambda size: rng.choice(placebo, size=size), np.mean,
                                      n_resamples=n_resamples, alternative="two-sided", vectorized=True)
        out["p_value"] = float(test.pvalue)
    return out


def _event_time(daily: np.ndarray, m: pd.DataFrame, first: pd.Timestamp, window: int, pool: np.ndarray,
                seed: int, draws: int = 1000) -> pd.DataFrame:
    """Mean attacks per day at offsets -W..+W (before: from the start; after: from the end; 0: meeting days),
    with the 2.5-97.5 percentile band of the same mean at random non-meeting days."""
    offsets = np.arange(-window, window + 1)
    starts = (m["date"] - first).dt.days.to_numpy()
    ends = (m["end"] - first).dt.days.to_numpy() if "end" in m else starts
    mean = np.full(len(offsets), np.nan)
    if len(starts):
        for j, k in enumerate(offsets):
            if k < 0:
                mean[j] = daily[starts + k].mean()
            elif k > 0:
                mean[j] = daily[ends + k].mean()
            else:
                mean[j] = np.mean([daily[s:e + 1].mean() for s, e in zip(starts, ends)])
    low = high = np.full(len(offsets), np.nan)
    if len(pool) and len(starts):
        rng = np.random.default_rng(seed + 2)
        picks = rng.choice(pool, size=(draws, len(starts)))
        sims = daily[picks[:, :, None] + offsets[None, None, :]].mean(axis=1)
        low, high = np.percentile(sims, [2.5, 97.5], axis=0)
    return pd.DataFrame({"day": offsets, "mean_attacks": mean, "placebo_low": low, "placebo_high": high})
