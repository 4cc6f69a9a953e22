"""Period comparison and the ceasefire scorecard: counts against a reference, with intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from trends.filters import FilterSpec, format_day
from trends.engines.queries import change

BASELINE_DAYS = 28


@dataclass(frozen=True)
class Coverage:
    """How much of a reference period the data covers: the days on or after the data's first day."""

    start: dt.date
    end: dt.date
    first: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def covered(self) -> int:
        return max(0, (self.end - max(self.start, self.first)).days + 1)

    @property
    def none(self) -> bool:
        return self.covered == 0

    @property
    def partial(self) -> bool:
        return 0 < self.covered < self.days

    @property
    def note(self) -> str | None:
        """Why a comparison with this period is missing or weaker; None when the data covers all of it."""
        if self.none:
            return f"no data before {format_day(self.first)}"
        if self.partial:
            return (f"partly before the data: only {self.covered:,} of its {self.days:,} days are on or after "
                    f"{format_day(self.first)}")
        return None


def coverage(period: FilterSpec, first: dt.date) -> Coverage:
    return Coverage(period.start, period.end, first)


def comparison_rows(spec: FilterSpec, current, previous, year_earlier, first: dt.date) -> pd.DataFrame:
    """The comparison table from the three periods' totals. A period wholly before the data's first day has
    no numbers (it was not observed, which is not zero); one partly before it says so in `note`."""
    rows = []
    for label, other, t in (("This period", spec, current), ("Previous period", spec.previous(), previous),
                            ("Same period a year earlier", spec.year_earlier(), year_earlier)):
        cover = coverage(other, first)
        seen = not cover.none
        rows.append({"period": label, "start": other.start, "end": other.end,
                     "attacks": t.attacks if seen else None, "killed": t.killed if seen else None,
                     "wounded": t.wounded if seen else None,
                     "killed_unreported": t.killed_unreported if seen else None,
                     "attacks_change_pct": None if other is spec or not seen else change(current.attacks, t.attacks),
                     "killed_change_pct": None if other is spec or not seen else change(current.killed, t.killed),
                     "note": None if other is spec else cover.note})
    frame = pd.DataFrame(rows)
    for col in ("attacks", "killed", "wounded", "killed_unreported"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _garwood(k: int, level: float = 0.95) -> tuple[float, float]:
    """Exact Poisson interval for a count k."""
    from scipy import stats  # imported on use: it costs half a second of every cold start
    a = (1 - level) / 2
    low = 0.0 if k == 0 else stats.chi2.ppf(a, 2 * k) / 2
    return float(low), float(stats.chi2.ppf(1 - a, 2 * k + 2) / 2)


def ceasefire_scorecard(daily: pd.DataFrame, meetings: pd.DataFrame,
                        baseline_days: int = BASELINE_DAYS) -> pd.DataFrame:
    """For each ceasefire: attacks during it against the count expected from the preceding weeks' rate.

    `daily` is an engine's daily() counts. The expected count's 95% interval is the exact
    Poisson interval of the baseline count, scaled to the ceasefire's length; the p-value is the exact
    conditional test of two Poisson rates (a binomial test)."""
    from scipy import stats  # imported on use: it costs half a second of every cold start
    per_day = daily["attacks"]
    rows = []
    for m in meetings[meetings["kind"] == "ceasefire"].sort_values("date").itertuples(index=False):
        start = m.date
        end = m.end_date if pd.notna(m.end_date) else m.date
        days = (end - start).days + 1
        base_start = start - pd.Timedelta(days=baseline_days)
        during = int(per_day[(per_day.index >= start) & (per_day.index <= end)].sum())
        before = int(per_day[(per_day.index >= base_start) & (per_day.index < start)].sum())
        low, high = _garwood(before)
        scale = days / baseline_days
        test = stats.binomtest(during, during + before, days / (days + baseline_days)) if during + before else None
        rows.append({
            "meeting_id": m.meeting_id, "title": m.title, "start": start, "end": end, "days": days,
            "attacks_during": during, "baseline_attacks": before,
            "baseline": f"{format_day(base_start.date())} to {format_day((start - pd.Timedelta(days=1)).date())}",
            "expected": before * scale, "expected_low": low * scale, "expected_high": high * scale,
            "p_value": float(test.pvalue) if test else float("nan"),
        })
    return pd.DataFrame(rows, columns=["meeting_id", "title", "start", "end", "days", "attacks_during",
                                       "baseline_attacks", "baseline", "expected", "expected_low", "expected_high",
                                       "p_value"])
