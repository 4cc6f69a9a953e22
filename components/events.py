"""Events page: the filtered events with linked sources, the meetings, and the rows rejected at loading."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trends.engines import queries
from trends.publish.export import csv_bytes, event_rows
from trends.contract.fields import FIELDS
from trends.filters import format_day, upper_first
from trends.analysis.tolls import PROVISIONAL_MEANS
from trends.wording import count as count_words, file_stem

from . import data, sidebar
from .common import escape_md, table, text

TABLE_LIMIT = 5_000
# Fixed widths for the columns a reader reads first, so the tolls and the report's link fit at 1400 pixels.
WIDTHS = {"date": 96, "province": 104, "location": 240, "killed": 72, "wounded": 84, "toll_status": 136}
# Headings in words for the columns the tables show under their file names; the CSV downloads keep the names.
HEADINGS = {**{f.column: f.label for f in FIELDS}, "location": "Location", "source": "Source", "notes": "Notes",
            "district": "District", "killed_low": "Killed, low estimate", "killed_high": "Killed, high estimate",
            "event_id": "Event ID", "title": "Title", "kind": "Kind", "city": "City", "country": "Country",
            "parties": "Parties", "summary": "Summary", "basis_detail": "Claimed or named by",
            "attackers_killed": "Attackers killed (not in Killed)", "report": "Report"}
# On screen the tolls come first (on a phone's 390 pixels too), then the place and the report; the CSV keeps the
# contract's order.
TABLE_COLUMNS = ["date", "killed", "wounded", "toll_status", "province", "location", "report_link", "report",
                 "perpetrator", "perpetrator_basis", "basis_detail", "attack_type", "target", "notes", "source",
                 "source_url", "toll_date", "attackers_killed", "end_date", "district", "killed_low", "killed_high",
                 "event_id"]


def headings(frame: pd.DataFrame) -> dict:
    return {column: heading for column, heading in HEADINGS.items() if column in frame.columns}


def page() -> None:
    dataset = data.dataset()
    spec = sidebar.current()
    st.title("Events")
    text(spec.describe() + ".", caption=True)
    sidebar.url_notices()
    count = data.count(spec)
    events = event_rows(data.events(spec, TABLE_LIMIT))
    # The report's own address where it was confirmed, else the page where the toll was read.
    events = events.assign(report_link=events["report_url"].fillna(events["source_url"]))[TABLE_COLUMNS]
    st.subheader(count_words(count, "attack", "attacks"))
    if count > TABLE_LIMIT:
        st.caption(f"The table shows the first {TABLE_LIMIT:,} by date; the CSV holds all {count:,}.")
    # A fixed height would pad a short result with empty rows; a long one scrolls inside 420 pixels.
    table(events, hide_index=True, width="stretch", height=420 if len(events) > 10 else "auto", column_config={
        **headings(events), "source": "Read at",
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=WIDTHS["date"]),
        "province": st.column_config.TextColumn("Province", width=WIDTHS["province"]),
        "location": st.column_config.TextColumn("Location", width=WIDTHS["location"]),
        "end_date": st.column_config.DateColumn("Until", format="YYYY-MM-DD"),
        "report_link": st.column_config.LinkColumn("Report link", display_text=r"https?://(?:www\.)?([^/]+)",
                                                   help="Opens the report the toll comes from"),
        "source_url": st.column_config.LinkColumn("Read at link", display_text=r"https?://(?:www\.)?([^/]+)",
                                                  help="The page where the toll was read (a copy, where the "
                                                       "report's own address could not be confirmed)"),
        "toll_status": st.column_config.TextColumn("Toll", help=upper_first(PROVISIONAL_MEANS) + ".",
                                                   width=WIDTHS["toll_status"]),
        "toll_date": st.column_config.DateColumn("Toll reported on", format="YYYY-MM-DD"),
        "killed": st.column_config.NumberColumn("Killed", help="Blank: not reported", format="localized",
                                                width=WIDTHS["killed"]),
        "wounded": st.column_config.NumberColumn("Wounded", help="Blank: not reported", format="localized",
                                                 width=WIDTHS["wounded"]),
        "perpetrator_basis": st.column_config.TextColumn(
            "Basis", help="claimed: the group said it did it; attributed: UNAMA or officials said so; suspected: "
                          "named by reports without a claim or an official attribution; unknown: no actor named"),
    })
    # Built only when clicked: a large import's full CSV should not be made on every rerun.
    engine = data.engine()
    st.download_button("Download these events (CSV)", lambda: csv_bytes(event_rows(engine.events(spec))),
                       mime="text/csv", key="dl_events", file_name=f"attacks-{file_stem(spec)}.csv")

    meetings = queries.meetings_between(dataset.meetings, spec.start, spec.end)
    st.subheader(f"{count_words(len(meetings), 'meeting or milestone', 'meetings and milestones')}, "
                 f"{format_day(spec.start)} to {format_day(spec.end)}")
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
    if dataset.findings:
        st.warning(f"{len(dataset.findings):,} figures disagree with each other (the rows are loaded and shown): "
                   "two figures for one period, parts that do not add up to their whole, or a change a report "
                   "states that the stored figures do not give. Check them against the reports.")
        table(pd.DataFrame([vars(p) for p in dataset.findings]), hide_index=True, width="stretch")
