"""The reported totals inside a view as headline numbers: which ones, in what order, and in what words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from trends.filters import format_day, upper_first
from trends.wording import NATIONAL, no_total_inside, qualified
from trends.periods import period_kind
from trends.analysis.reported import Series

HEADLINE_MAX = 3  # one row of metrics: on a phone they stack, and the chart must stay near the top


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    below: str | None  # a second figure under the first (injured under killed), or None
    hint: str
    casualties: bool = False  # drawn with the second figure beneath, never as a change


@dataclass(frozen=True)
class Headline:
    """Up to three metrics, what is said when none lies inside, the caption, and a note on the chosen series."""

    metrics: tuple[Metric, ...]
    none_inside: str | None
    caption: str
    series_note: str | None


def _metric(row, both: bool, filtered: bool = False) -> Metric:
    # Under a filtered view the label opens with "National", where a phone's narrow card still shows it.
    what = f"National {row.what}" if filtered else upper_first(row.what)
    label = f"{what}, {row.period}" + (f" ({row.source.split(',')[0].split(' (')[0]})" if both else "")
    hint = f"Reported by {row.reporter}; {row.source}."
    if not pd.isna(row.count):
        return Metric(label, qualified(row.count, row.qualifier), None, hint)
    # Casualties: killed as the figure and injured beneath, so both fit a phone.
    if pd.isna(row.killed):
        return Metric(label, qualified(row.killed_or_injured, row.qualifier), "killed or injured", hint, True)
    below = None if pd.isna(row.injured) else f"{qualified(row.injured, row.qualifier)} injured"
    return Metric(label, f"{qualified(row.killed, row.qualifier)} killed", below, hint, True)


def inside_first(rows: pd.DataFrame, series: Series | None) -> tuple[pd.DataFrame, pd.Series]:
    """The totals (`rows`, from reported.in_range) for periods inside the range, latest first with the chosen
    series' ahead of the rest; and which of them are the series'."""
    inside = rows[rows["coverage"] == "inside the range"].sort_values("period_start", ascending=False)
    if series is None:
        return inside, pd.Series(False, index=inside.index)
    # The series is one reporter's measure over periods of one shape: a quarter is not a shifted window's.
    shape = pd.Series([period_kind(a, b) for a, b in zip(inside["period_start"], inside["period_end"])],
                      index=inside.index, dtype=object)
    chosen = (inside["reporter"] == series.reporter) & (inside["what"] == series.measure) & (shape == series.kind)
    return pd.concat([inside[chosen], inside[~chosen]]), chosen


def headline(series: Series, rows: pd.DataFrame, start: dt.date, end: dt.date, filtered: bool = False) -> Headline:
    """The totals authorities published for periods inside [start, end] (`rows`, from reported.in_range), the
    chosen series first and latest first; periods that reach beyond the range are named, never pro-rated.
    Nothing is summed across periods."""
    inside, chosen = inside_first(rows, series)
    span = f"{format_day(start)} to {format_day(end)}"
    shown = inside.head(HEADLINE_MAX)
    # Where two reports give one period different figures, the label names each report.
    twice = shown.duplicated(["what", "period"], keep=False)
    metrics = tuple(_metric(row, both, filtered) for row, both in zip(shown.itertuples(), twice))
    partly = rows[rows["coverage"] != "inside the range"]
    said = []
    if len(inside) > len(shown):
        said.append(f"{len(inside) - len(shown):,} more periods inside the range are in the table below")
    if len(partly):
        said.append("periods that reach beyond the range, shown whole and never pro-rated: " + "; ".join(
            f"{r.what} {r.period} ({r.reporter})" for r in partly.head(4).itertuples())
            + (f" and {len(partly) - 4:,} more" if len(partly) > 4 else ""))
    caption = (f"Totals that authorities published for their own periods inside {span}"
               + (", the selected series first" if chosen.any() else "")
               + (f": {NATIONAL}" if filtered else "") + ". "
               + (upper_first("; ".join(said)) + "." if said else ""))
    meets = ((series.rows["period_end"] >= pd.Timestamp(start)) & (series.rows["period_start"] <= pd.Timestamp(end)))
    first, last = series.rows["period_start"].min(), series.rows["period_end"].max()
    note = None if meets.any() else (f"The selected series has no period in this range: {series.reporter} "
                                     f"published it for {format_day(first.date())} to {format_day(last.date())}.")
    return Headline(metrics, None if len(inside) else
                    no_total_inside(span), caption, note)
