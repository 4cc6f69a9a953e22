"""The Overview's first section: the level of violence as authorities reported it, with the notable attacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trends import figures, reported
from trends.filters import FilterSpec, format_day

from . import charts, data
from .common import draw, escape_md, table, text


def level_section(spec: FilterSpec, dataset) -> None:
    st.subheader("The level of violence, as authorities reported it")
    catalogue = data.catalogue_of(*data.key())
    if not catalogue:
        st.caption("This dataset holds no totals reported by an authority (attack_counts.csv and casualties.csv "
                   "are absent or empty); the counts below are the dataset's own events.")
        return
    labels = {s.key: s.label for s in catalogue}
    key = st.selectbox("Reported series", list(labels), format_func=labels.get, key="level_series",
                       help="Each series is one reporter's measure over periods of one length, as published.")
    series = next(s for s in catalogue if s.key == key)
    # Every total whose period meets the view, worked out once for the metrics and the table.
    rows = data.reported_rows_of(*data.key(), spec.start, spec.end)
    headline(series, spec, rows)
    draw(charts.reported(*data.key(), spec, series.key), "reported", spec)
    st.caption("Each line spans exactly the period its reporter published; nothing is split, summed or spread "
               "over other periods, and a span with no published figure is left empty. Hover a mark for a notable "
               "attack's place, toll, perpetrator and report.")
    # On request: a table not looked at should not cost the first paint.
    if st.toggle(f"Every figure authorities reported for this range ({len(rows)})", key="level_table"):
        figures_in_range(rows, spec)


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:]


HEADLINE_MAX = 3  # one row of metrics: on a phone they stack, and the chart must stay near the top


def headline(series: reported.Series, spec: FilterSpec, rows) -> None:
    """The totals authorities published for periods inside the view (`rows`, from reported.in_range), as metrics
    (the chosen series first, latest first); periods that reach beyond the range are named, never pro-rated.
    Nothing is summed across periods."""
    inside = rows[rows["coverage"] == "inside the range"].sort_values("period_start", ascending=False)
    chosen = (inside["reporter"] == series.reporter) & (inside["what"] == series.measure)
    inside = pd.concat([inside[chosen], inside[~chosen]])
    span = f"{format_day(spec.start)} to {format_day(spec.end)}"
    if inside.empty:
        st.info(escape_md(f"No authority published a total for a period that lies inside {span}."))
    shown = inside.head(HEADLINE_MAX)
    # Where two reports give one period different figures, the label names each report.
    twice = shown.duplicated(["what", "period"], keep=False)
    for column, row, both in zip(st.columns(HEADLINE_MAX) if len(shown) else [], shown.itertuples(), twice):
        label = escape_md(f"{_upper_first(row.what)}, {row.period}"
                          + (f" ({row.source.split(',')[0].split(' (')[0]})" if both else ""))
        hint = escape_md(f"Reported by {row.reporter}; {row.source}.")
        if pd.isna(row.count):  # casualties: killed as the figure, injured beneath, so both fit a phone
            if pd.isna(row.killed):
                main, below = figures.qualified(row.killed_or_injured, row.qualifier), "killed or injured"
            else:
                main = f"{figures.qualified(row.killed, row.qualifier)} killed"
                below = None if pd.isna(row.injured) else f"{figures.qualified(row.injured, row.qualifier)} injured"
            column.metric(label, main, delta=below, delta_color="off", delta_arrow="off", border=True, help=hint)
        else:
            column.metric(label, figures.qualified(row.count, row.qualifier), border=True, help=hint)
    partly = rows[rows["coverage"] != "inside the range"]
    said = []
    if len(inside) > len(shown):
        said.append(f"{len(inside) - len(shown):,} more periods inside the range are in the table below")
    if len(partly):
        said.append("periods that reach beyond the range, shown whole and never pro-rated: " + "; ".join(
            f"{r.what} {r.period} ({r.reporter})" for r in partly.head(4).itertuples())
            + (f" and {len(partly) - 4:,} more" if len(partly) > 4 else ""))
    st.caption(escape_md(f"Totals that authorities published for their own periods inside {span}"
                         + (", the selected series first" if chosen.any() else "") + ". " +
                         (_upper_first("; ".join(said)) + "." if said else "")))
    first, last = series.rows["period_start"].min(), series.rows["period_end"].max()
    if not ((series.rows["period_end"] >= pd.Timestamp(spec.start))
            & (series.rows["period_start"] <= pd.Timestamp(spec.end))).any():
        st.caption(escape_md(f"The selected series has no period in this range: {series.reporter} published it "
                             f"for {format_day(first.date())} to {format_day(last.date())}."))


def figures_in_range(rows, spec: FilterSpec) -> None:
    if rows.empty:
        text(f"No authority published a total for a period that meets {format_day(spec.start)} to "
             f"{format_day(spec.end)}.")
        return
    table(rows[["reporter", "what", "period", "figure", "coverage", "source", "source_url", "notes"]],
          hide_index=True, width="stretch", column_config={
              "what": st.column_config.TextColumn("Measure"),
              "source_url": st.column_config.LinkColumn("Report", display_text="open")})
