"""The Overview's first section: the level of violence as authorities reported it, with the notable attacks."""

from __future__ import annotations

import streamlit as st

from trends.filters import FilterSpec, format_day
from trends.wording import no_total_meets
from trends.analysis.headline import HEADLINE_MAX

from . import charts, data
from .common import draw, escape_md, table, text
from .sidebar import BOUND


def level_section(spec: FilterSpec, dataset) -> None:
    st.subheader("The level of violence, as authorities reported it")
    catalogue = data.catalogue_of(*data.key())
    if not catalogue:
        st.caption("This dataset holds no totals reported by an authority (attack_counts.csv and casualties.csv "
                   "are absent or empty); the counts below are the dataset's own events.")
        return
    labels = {s.key: s.label for s in catalogue}
    key = st.selectbox("Reported series", list(labels), format_func=labels.get, key="series", bind=BOUND,
                       help="Each series is one reporter's measure over periods of one length, as published.")
    series = next(s for s in catalogue if s.key == key)
    # Every total whose period meets the view, worked out once for the metrics and the table.
    rows = data.reported_rows_of(*data.key(), spec.start, spec.end)
    headline(series, spec)
    drawn = charts.reported(*data.key(), spec, series.key)
    draw(drawn, "reported", spec)
    # The chart's own note (the published page shows it too), and how to read its marks here.
    st.caption(" ".join([*drawn.notes, "Hover a mark for a notable attack's place, toll, perpetrator and report."]))
    # On request: a table not looked at should not cost the first paint.
    if st.toggle(f"Every figure authorities reported for this range ({len(rows)})", key="figures", bind=BOUND):
        figures_in_range(rows, spec)


def headline(series, spec: FilterSpec) -> None:
    """The reported totals inside the view as metrics (trends.analysis.headline), worked out once per view and series."""
    said = data.headline_of(*data.key(), spec.start, spec.end, series.key, spec.value_filtered)
    if said.none_inside:
        st.info(escape_md(said.none_inside))
    for column, m in zip(st.columns(HEADLINE_MAX) if said.metrics else [], said.metrics):
        if m.casualties:
            column.metric(escape_md(m.label), m.value, delta=m.below, delta_color="off", delta_arrow="off",
                          border=True, help=escape_md(m.hint))
        else:
            column.metric(escape_md(m.label), m.value, border=True, help=escape_md(m.hint))
    st.caption(escape_md(said.caption))
    if said.series_note:
        st.caption(escape_md(said.series_note))


def figures_in_range(rows, spec: FilterSpec) -> None:
    if rows.empty:
        text(no_total_meets(f"{format_day(spec.start)} to {format_day(spec.end)}"))
        return
    table(rows[["reporter", "what", "period", "figure", "coverage", "source", "source_url", "notes"]],
          hide_index=True, width="stretch", column_config={
              "what": st.column_config.TextColumn("Measure"),
              "source_url": st.column_config.LinkColumn("Report", display_text="open")})
