"""Province surge alerts: events in a recent window against the rate of the weeks before, tested per province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from trends.filters import FilterSpec, format_day

WINDOW, BASELINE = 28, 364
ALPHA, MIN_EVENTS = 0.01, 5
COLUMNS = ["province", "recent", "baseline", "expected", "ratio", "p_value", "p_adjusted", "flagged"]


@dataclass(frozen=True)
class AlertSpec:
    end: dt.date
    window: int = WINDOW
    baseline: int = BASELINE

    @property
    def window_start(self) -> dt.date:
        return self.end - dt.timedelta(days=self.window - 1)

    @property
    def baseline_end(self) -> dt.date:
        return self.window_start - dt.timedelta(days=1)

    @property
    def baseline_start(self) -> dt.date:
        return self.baseline_end - dt.timedelta(days=self.baseline - 1)

    def describe(self) -> str:
        return (f"{self.window} days to {format_day(self.end)} against the {self.baseline} days before "
                f"({format_day(self.baseline_start)} to {format_day(self.baseline_end)})")


def alert_spec(end: str | None, window: int, baseline: int, last: dt.date) -> AlertSpec:
    """The alert window from command-line or URL values; a bad one raises ValueError with a one-line reason."""
    if not 7 <= window <= 366:
        raise ValueError(f"--window {window}: give a number of days from 7 to 366")
    if not window <= baseline <= 3650:
        raise ValueError(f"--baseline {baseline}: give a number of days from the window's length to 3650")
    try:
        day = dt.date.fromisoformat(end) if end else last
    except ValueError:
        raise ValueError(f"--end {end!r}: write the day as YYYY-MM-DD") from None
    return AlertSpec(day, window, baseline)


def surge_test(recent: pd.Series, baseline: pd.Series, window: int, baseline_days: int) -> pd.DataFrame:
    """Per province: the one-sided Poisson test of `recent` events against the count the baseline rate predicts
    for the window (p = P(X >= recent) under that rate), with Benjamini-Hochberg adjustment across provinces.
    Flagged: adjusted p below 0.01 and at least 5 recent events. A province with no baseline events has expected
    0, so any recent event gives p = 0: the 5-event floor guards against that."""
    from scipy import stats  # imported on use, as elsewhere: it costs a cold start half a second

    frame = pd.DataFrame({"recent": recent, "baseline": baseline}).fillna(0).astype("int64")
    expected = frame["baseline"] * window / baseline_days
    p = pd.Series(stats.poisson.sf(frame["recent"] - 1, expected), index=frame.index).where(frame["recent"] > 0, 1.0)
    frame["expected"] = expected
    frame["ratio"] = (frame["recent"] / expected).where(expected > 0)
    frame["p_value"] = p.clip(upper=1.0)
    frame["p_adjusted"] = stats.false_discovery_control(frame["p_value"].to_numpy(), method="bh") if len(frame) \
        else []
    frame["flagged"] = (frame["p_adjusted"] < ALPHA) & (frame["recent"] >= MIN_EVENTS)
    out = frame.rename_axis("province").reset_index()
    return out.sort_values(["p_value", "province"]).reset_index(drop=True)[COLUMNS]


def province_counts(engine, spec: FilterSpec, start: dt.date, end: dt.date) -> pd.Series:
    """Events per province from `start` to `end` with the view's value filters."""
    view = spec.with_dates(start, end)
    rows = engine.summary(view).breakdown["province"]
    return rows.set_index("province")["attacks"].astype("int64") if len(rows) else pd.Series(dtype="int64")


def alerts(engine, provinces: list[str], spec: FilterSpec, at: AlertSpec) -> pd.DataFrame:
    """The surge test for every province of the gazetteer (a province with no events takes part with zeros)."""
    recent = province_counts(engine, spec, at.window_start, at.end).reindex(provinces, fill_value=0)
    before = province_counts(engine, spec, at.baseline_start, at.baseline_end).reindex(provinces, fill_value=0)
    return surge_test(recent, before, at.window, at.baseline)


def as_json(table: pd.DataFrame, at: AlertSpec) -> dict:
    flagged = table[table["flagged"]]
    return {"end": at.end.isoformat(), "window_days": at.window, "baseline_days": at.baseline,
            "alpha": ALPHA, "min_events": MIN_EVENTS,
            "alerts": [{"province": r.province, "recent": int(r.recent), "expected": round(float(r.expected), 4),
                        "ratio": None if pd.isna(r.ratio) else round(float(r.ratio), 4),
                        "p_value": float(r.p_value), "p_adjusted": float(r.p_adjusted)}
                       for r in flagged.itertuples()],
            "tested": len(table)}


def as_markdown(table: pd.DataFrame, at: AlertSpec, caution: str | None = None) -> str:
    flagged = table[table["flagged"]]
    lines = [f"Province surge alerts: {at.describe()}.",
             f"{len(flagged)} of {len(table)} provinces flagged (one-sided Poisson test, Benjamini-Hochberg "
             f"adjusted p < {ALPHA}, at least {MIN_EVENTS} events in the window)."]
    if caution:
        lines.append(caution)
    lines += ["", "| province | recent | expected | ratio | p | adjusted p |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.province} | {r.recent} | {r.expected:.2f} | {'' if pd.isna(r.ratio) else f'{r.ratio:.2f}'} | "
              f"{r.p_value:.2g} | {r.p_adjusted:.2g} |" for r in flagged.itertuples()]
    return "\n".join(lines)


SELECTION_CAUTION = ("Caution: these events are a curated selection of notable attacks, so a rise in them may be a "
                     "rise in reporting or in what was picked; a selection cannot show surges reliably.")
