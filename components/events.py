"""Events page: the filtered events with linked sources, the meetings, and the rows rejected at loading."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trends import queries
from trends.export import EVENT_COLUMNS, csv_bytes
from trends.fields import FIELDS
from trends.filters import format_day

from . import data, sidebar
from .common import escape_md, table, text

TABLE_LIMIT = 5_000
# Headings in words for the columns the tables show under their file names; the CSV downloads keep the names.
HEADINGS = {**{f.column: f.label for f in FIELDS}, "location": "Location", "source": "Source", "notes": "Notes",
            "district": "District", "killed_low": "Killed, low estimate", "killed_high": "Killed, high estimate",
            "event_id": "Event ID", "title": "Title", "kind": "Kind", "city": "City", "country": "Country",
            "parties": "Parties", "summary": "Summary"}
# On screen the report link comes second, where a reader looks first; the CSV keeps the design's order.
TABLE_COLUMNS = ["date", "source_url", "province", "location", "perpetrator", "perpetrator_basis", "attack_type",
                 "target", "killed",
                 "wounded", "source", "notes", "end_date", "district", "killed_low", "killed_high", "event_id"]


def headings(frame: pd.DataFrame) -> dict:
    return {column: heading for column, heading in HEADINGS.items() if column in frame.columns}


def page() -> None:
    dataset = data.dataset()
    spec = sidebar.filters(data.domain())
    st.title("Events")
    text(spec.describe() + ".", caption=True)
    sidebar.url_notices()
    count = data.count(spec)
    events = data.events(spec, TABLE_LIMIT)[TABLE_COLUMNS]
    st.subheader(f"{count:,} attacks")
    if count > TABLE_LIMIT:
        st.caption(f"The table shows the first {TABLE_LIMIT:,} by date; the CSV holds all {count:,}.")
    table(events, hide_index=True, width="stretch", height=420, column_config={
        **headings(events),
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn("Until", format="YYYY-MM-DD"),
        "source_url": st.column_config.LinkColumn("Report", display_text=r"https?://(?:www\.)?([^/]+)",
                                                  help="Opens the report this row comes from"),
        "killed": st.column_config.NumberColumn("Killed", help="Blank: not reported"),
        "wounded": st.column_config.NumberColumn("Wounded", help="Blank: not reported"),
        "perpetrator_basis": st.column_config.TextColumn(
            "Basis", help="claimed: the group said it did it; attributed: UNAMA or officials said so; suspected: "
                          "named by reports without a claim or an official attribution; unknown: no actor named"),
    })
    # Built only when clicked: a large import's full CSV should not be made on every rerun.
    engine = data.engine()
    st.download_button("Download these events (CSV)", lambda: csv_bytes(engine.events(spec)[EVENT_COLUMNS]),
                       mime="text/csv", key="dl_events", file_name=f"attacks-{spec.start}_{spec.end}.csv")

    meetings = queries.meetings_between(dataset.meetings, spec.start, spec.end)
    st.subheader(f"{len(meetings):,} meetings and milestones, {format_day(spec.start)} to {format_day(spec.end)}")
    table(meetings[["date", "end_date", "title", "kind", "city", "country", "parties", "summary", "source",
                           "source_url"]], hide_index=True, width="stretch", column_config={
        **headings(meetings),
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn("Until", format="YYYY-MM-DD"),
        "source_url": st.column_config.LinkColumn("Report", display_text="open"),
    })
    st.download_button("Download these meetings (CSV)", lambda: csv_bytes(meetings), mime="text/csv", key="dl_meetings",
                       file_name=f"meetings-{spec.start}_{spec.end}.csv")
    quality_panel(dataset)


def quality_panel(dataset) -> None:
    st.subheader("Data quality")
    counts = pd.DataFrame([{"file": r.file, "rows read": r.rows_read, "loaded": r.rows_loaded,
                            "rejected": r.rows_rejected, "missing": r.missing} for r in dataset.reports.values()])
    table(counts, hide_index=True)
    for notice in dataset.notices:
        st.info(escape_md(notice))
    if dataset.problems:
        st.warning(f"{len(dataset.problems):,} problems: the rows below were not loaded. Fix them in the file and "
                   "reload, or run `python -m trends validate` for the same list.")
        table(pd.DataFrame([vars(p) for p in dataset.problems]), hide_index=True, width="stretch")
    else:
        st.success("Every row of every file loaded.")
