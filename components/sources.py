"""Sources page: every reporter's figures side by side, with what each one counts."""

from __future__ import annotations

import streamlit as st

from trends.engines import queries
from trends.figures import report_figures
from trends.analysis import sources
from trends.publish.export import csv_bytes
from trends.filters import format_day
from trends.wording import file_stem

from . import data, sidebar
from .common import chart, escape_md, quality_notice, table, text


def page() -> None:
    dataset = data.dataset()
    spec = sidebar.current()
    st.title("Every reporter, side by side")
    text(f"Published periods that meet {format_day(spec.start)} to {format_day(spec.end)}.", caption=True)
    sidebar.url_notices()
    quality_notice(dataset)
    st.markdown("Reporters of this war count different things. Their figures are set side by side here, each for "
                "the period it was published for; none is summed, split or scaled. The dataset's own counts are "
                "given for the same periods and follow the sidebar's value filters.")
    rows = data.sources(spec)
    if rows.empty:
        st.info("No reporter published a figure for a period in this range, and the dataset has no events in it.")
        return
    st.subheader("What each reporter counts")
    st.markdown("\n".join(f"- {escape_md(line)}" for line in sources.definitions(rows)))
    meetings = queries.meetings_between(dataset.meetings, spec.start, spec.end)
    fig = report_figures.sources_figure(rows, meetings, title=f"One line per reporter, as published, "
                                                      f"{format_day(spec.start)} to {format_day(spec.end)}",
                                 source="Source: each row's report (table below); the dataset's own counts from "
                                        f"{dataset.title}. Diamonds: talks.")
    chart(fig, "sources", alt="; ".join(f"{r.period}, {r.reporter}, {r.measure}: {r.value:,}"
                                        for r in rows.head(60).itertuples()))
    ratios = sources.ratios(rows)
    st.subheader("Ratios of comparable measures")
    if ratios.empty:
        st.caption("None for this view: a ratio is given only where two reporters count the same thing for the "
                   "same period (for example UCDP's civilian deaths against UNAMA's civilians killed, once UCDP GED "
                   "is imported).")
    else:
        table(ratios, hide_index=True, width="stretch")
    st.subheader("The figures")
    table(rows, hide_index=True, width="stretch", column_config={
        "period_start": st.column_config.TextColumn("From"), "period_end": st.column_config.TextColumn("To"),
        "report": st.column_config.TextColumn("Report", help="The report the figure comes from"),
        "report_url": st.column_config.LinkColumn("Report link", display_text="open",
                                                  help="The report itself, where its address was confirmed"),
        "source_url": st.column_config.LinkColumn("Read at", display_text="open",
                                                  help="The page where the figure was read")})
    st.download_button("Download these figures (CSV)", lambda: csv_bytes(rows), mime="text/csv", key="dl_sources",
                       file_name=f"sources-{file_stem(spec)}.csv")
