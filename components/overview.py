"""Overview page: headline numbers, the trend over the talks, reported casualties, map and breakdowns."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trends.figures import base as figures
from trends.engines import queries
from trends.pages import view_charts
from trends.analysis.brief import brief_markdown
from trends.pages.captions import source_line
from trends.publish.export import csv_bytes
from trends.contract.fields import BY_COLUMN, CHARTED, SPLITS
from trends.filters import FilterSpec, format_day, shown
from trends.engines.map_cells import map_layer
from trends.pages.view_charts import Kpi
from trends.wording import EVENTS_HEADING, NATIONAL, NO_EVENTS, SELECTION_HEADING, SELECTION_NOTE, file_stem

from . import alerts_panel, charts, data, level, sidebar
from .sidebar import BOUND
from .common import app_url, draw, escape_md, quality_notice, table, text


def _metric(column, k: Kpi) -> None:
    if not k.compared:
        column.metric(k.label, f"{k.value:,}", delta=k.change, delta_color="off", delta_arrow="off", help=k.detail)
    else:
        column.metric(k.label, f"{k.value:,}", delta=k.change, delta_color="inverse", help=k.detail)


def summary(spec: FilterSpec):
    """One query serves the KPIs, the trend (with its current split), the breakdowns and the map."""
    stack = st.session_state.get("split", "none")
    return data.summary(spec, None if stack == "none" else stack)


def kpis(spec: FilterSpec, overall) -> None:
    found, note = view_charts.kpis(data.dataset().selection, overall.totals, data.totals(spec.previous()), spec,
                                   data.domain().first)
    for column, k in zip(st.columns(3), found):
        _metric(column, k)
    if note:
        st.caption(note)
    else:
        st.info(NO_EVENTS + " Widen the date range or clear a filter.")


def comparison_section(spec: FilterSpec) -> None:
    # On request, like the brief: a chart that is not looked at should not cost a reader's browser anything.
    if st.toggle("Compare with the previous period and the same period a year earlier", key="compare", bind=BOUND):
        drawn = charts.comparison(*data.key(), spec)
        draw(drawn, "comparison", spec)
        table(data.comparison_rows_of(*data.key(), spec), hide_index=True, width="stretch", column_config={
            "start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
            "end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
            "attacks_change_pct": st.column_config.NumberColumn("Attacks: this period vs this row", format="%+.0f%%"),
            "killed_change_pct": st.column_config.NumberColumn("Killed: this period vs this row", format="%+.0f%%"),
            "note": st.column_config.TextColumn("Coverage"),
        })


def brief_section(spec: FilterSpec, dataset) -> None:
    # Made on request: finding the deadliest events and their reports reads whole rows.
    if st.toggle("Brief: this view in words, with sources and a link", key="brief", bind=BOUND):
        # The dataset's title, as `trends brief` and the published page give it.
        result = data.brief_result(spec, dataset.title, app_url())
        st.code(brief_markdown(result), language=None, wrap_lines=True)
        st.caption("Copy with the button at the top right of the box. The numbers are the KPIs above.")


def trend_section(spec: FilterSpec, dataset, overall) -> None:
    st.subheader("Notable attacks over time, with the talks" if dataset.selection else
                 "Attacks over time, with the talks")
    left, right = st.columns(2)
    measure = left.radio("Measure", list(figures.MEASURE_LABEL), horizontal=True, key="measure", bind=BOUND,
                         format_func=lambda m: figures.MEASURE_LABEL[m])
    stack = right.radio("Split by", ["none", *SPLITS], horizontal=True, key="split", bind=BOUND,
                        format_func=lambda s: BY_COLUMN[s].label if s in BY_COLUMN else s.capitalize())
    by = None if stack == "none" else stack
    # On a link's first run the split comes from the URL only once this radio is drawn, after the summary ran.
    series = overall.trend[by] if by in overall.trend else data.summary(spec, by).trend[by]
    drawn = charts.trend(*data.key(), spec, measure, by)
    draw(drawn, "trend", spec)
    st.caption(" ".join(["Hover a diamond for the meeting's title, parties, summary and source.", *drawn.notes]))
    # Files are built when clicked, not on every rerun.
    st.download_button("Download this series (CSV)",
                       lambda: csv_bytes(series.rename(columns={"group": by or "group"})),
                       file_name=f"trend-{spec.freq}-{file_stem(spec)}.csv", mime="text/csv",
                       key="dl_trend")


def casualties_section(spec: FilterSpec, dataset) -> None:
    st.subheader("Casualties reported by authorities")
    cas = dataset.casualties
    if cas.empty:
        st.info("This dataset has no reported casualty totals (casualties.csv is empty).")
        return
    population = st.radio("Who", view_charts.populations(cas), horizontal=True, key="who", bind=BOUND)
    lo, hi = pd.Timestamp(spec.start), pd.Timestamp(spec.end)
    rows = queries.reported_casualties(cas, population)
    rows = rows[(rows["period_end"] >= lo) & (rows["period_start"] <= hi)]
    text(f"Periods that meet {format_day(spec.start)} to {format_day(spec.end)}, as published"
         + (f"; {NATIONAL}." if spec.value_filtered else "."), caption=True)
    if rows.empty:
        st.info(f"No authority published {population} casualties for a period that meets this range.")
        return
    drawn = charts.casualties(*data.key(), population, spec.start, spec.end)
    if drawn:
        draw(drawn, f"casualties-{population}", spec)
        for note in drawn.notes:
            text(note, caption=True)
    listed = rows[["period_start", "period_end", "killed", "injured", "killed_or_injured", "qualifier",
                   "reporter", "report", "source", "source_url", "notes"]]
    table(listed, hide_index=True, width="stretch", column_config=_casualty_columns())
    parties = queries.reported_casualties(cas, population, attributed=True)
    parties = parties[(parties["period_end"] >= lo) & (parties["period_start"] <= hi)]
    if len(parties):
        with st.expander(f"By responsible party ({len(parties)} rows)"):
            table(parties[["period_start", "period_end", "attributed_to", "killed", "injured", "qualifier",
                                  "reporter", "report", "source_url", "notes"]],
                         hide_index=True, width="stretch", column_config=_casualty_columns())


def _casualty_columns() -> dict:
    return {
        "period_start": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
        "period_end": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
        "killed_or_injured": st.column_config.NumberColumn("Killed or injured", help="The total the report states"),
        "report": st.column_config.TextColumn("Report"),
        "source_url": st.column_config.LinkColumn("Read at", display_text="open"),
        "qualifier": st.column_config.TextColumn("Qualifier", help="'at least' where the source said 'more than'"),
    }


@st.fragment
def map_section(spec: FilterSpec) -> None:
    st.subheader("Where")
    c1, c2, c3 = st.columns([2, 2, 2])
    show = c1.radio("Show", ["Provinces", "Events", "Both"], horizontal=True, key="map", index=2, bind=BOUND)
    measure = c2.radio("Shade by", ["attacks", "killed"], horizontal=True, key="shade", bind=BOUND,
                       format_func=lambda m: figures.MEASURE_LABEL[m])
    # Not in the URL: a shared link must not make a reader's browser contact the tile server unasked.
    street = c3.toggle("Street map background", key="map_street",
                       help="Loads map tiles from OpenStreetMap's servers in your browser. Off by default.")
    folder, signature = data.key()
    outlines = data.boundaries() if show != "Events" else None  # says so when the outline file is unreadable
    drawn = charts.where(folder, signature, data.boundary_key(folder), spec, measure, show, street)
    event = draw(drawn, "map", spec, selectable=bool(outlines) and not street)
    clicked_province(event, spec)
    if outlines and not street:
        st.caption("Click a province's name to filter the page by it; click it again, or clear the sidebar's "
                   "Province filter, to show every province.")
    for note in drawn.notes:
        text(note, caption=True)


def clicked_province(event, spec: FilterSpec) -> None:
    """A click on a province's name filters the page by it (the sidebar and the URL follow); a second click on
    the same name clears the filter. The chart keeps its selection across reruns, and a redrawn chart (a new view)
    starts with none, so a selection is acted on only when it changed within the same view."""
    if not isinstance(event, dict):  # a chart drawn without selection returns no event
        return
    points = event.get("selection", {}).get("points", [])
    names = tuple(p.get("customdata") for p in points if isinstance(p.get("customdata"), str))
    seen = st.session_state.get("map_clicks")
    st.session_state["map_clicks"] = (spec, names)
    if seen is None or seen[0] != spec or seen[1] == names:
        return
    current = list(spec.provinces)
    if names:
        chosen = [] if current == [names[0]] else [names[0]]
    elif len(current) == 1:  # the click that unselected the name
        chosen = []
    else:
        return
    # The sidebar's Province filter takes it before it is drawn again, and the URL follows it.
    sidebar.set_filter("province", chosen)
    st.rerun(scope="app")


def breakdowns(spec: FilterSpec, overall) -> None:
    st.subheader("Breakdowns")
    measure = st.radio("Measure", ["attacks", "killed", "wounded"], horizontal=True, key="breakdown", bind=BOUND,
                       format_func=lambda m: figures.MEASURE_LABEL[m])
    for column, field in zip(st.columns(len(CHARTED)), (BY_COLUMN[c] for c in CHARTED)):
        by, label = field.column, field.noun
        rows = overall.breakdown[by]
        with column:
            if rows.empty:
                st.caption(f"No {label} data for this view.")
                continue
            drawn = charts.breakdown(*data.key(), spec, by, measure)
            draw(drawn, f"by-{label}", spec)
            st.download_button(f"CSV by {label}", lambda rows=rows: csv_bytes(rows),
                               file_name=f"by-{label}-{file_stem(spec)}.csv",
                               mime="text/csv", key=f"dl_{by}")


def page() -> None:
    dataset = data.dataset()
    spec = sidebar.current()
    st.title("Violence and the peace process")
    text(spec.describe() + ".", caption=True)
    sidebar.url_notices()
    quality_notice(dataset)
    level.level_section(spec, dataset)
    selection = dataset.selection
    st.subheader(SELECTION_HEADING if selection else EVENTS_HEADING)
    if selection:
        st.caption(SELECTION_NOTE)
    # One cached summary feeds every section below.
    overall = summary(spec)
    # The other queries this page needs run on the other core while the sections above the map draw.
    data.prefetch(data.totals_of, spec.previous())
    layer = map_layer(dataset.provinces, overall.located, st.session_state.get("map", "Both"),
                      st.session_state.get("map_street", False))
    if layer:
        data.prefetch(data.map_rows_of, spec, layer)
    kpis(spec, overall)
    brief_section(spec, dataset)
    comparison_section(spec)
    trend_section(spec, dataset, overall)
    chosen = more_sections()
    if chosen == "map":
        map_section(spec)
    elif chosen == "breakdowns":
        breakdowns(spec, overall)
    elif chosen == "casualties":
        casualties_section(spec, dataset)
    elif chosen == "alerts":
        alerts_panel.alerts_section(spec, dataset)
    elif chosen == "takeover":
        takeover_section(spec)


def takeover_section(spec) -> None:
    st.subheader("Before and after the takeover")
    drawn = charts.before_after(*data.key())
    if drawn is None:
        st.caption("No reporter in this dataset published figures both before and after 15 August 2021.")
        return
    draw(drawn, "takeover", spec)
    for note in drawn.notes:
        text(note, caption=True)
    table(drawn.table[["reporter", "measure", "side", "period", "figure", "qualifier", "per_month", "source_url"]],
          hide_index=True, width="stretch", column_config={
              "per_month": st.column_config.NumberColumn("Per month", format="%.0f"),
              "source_url": st.column_config.LinkColumn("Report", display_text="open")})


# The section's code and the word its button shows, which is also what the URL holds (section=Alerts).
SECTIONS = {"map": "Map", "breakdowns": "Breakdowns", "casualties": "Casualties", "alerts": "Alerts",
            "takeover": "Before and after the takeover"}


def more_sections() -> str | None:
    """One of the lower sections at a time, chosen by the reader and kept in the URL (`section`): a section that
    is not looked at costs the reader's browser nothing, so the page paints sooner."""
    wanted = st.query_params.get("section")
    if wanted is not None and wanted not in SECTIONS.values():
        st.warning(escape_md(f"Ignored section {shown(wanted)}: use one of {', '.join(SECTIONS.values())}."))
    # A shared link to the alerts (window or baseline set) opens on them.
    default = SECTIONS["alerts" if {"window", "baseline"} & set(st.query_params.keys()) else "map"]
    chosen = st.segmented_control("More from this view", list(SECTIONS.values()), default=default, key="section",
                                  bind=BOUND)
    return next((code for code, word in SECTIONS.items() if word == chosen), None)

