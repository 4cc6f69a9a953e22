"""Talks page: attacks before and after meetings, with the uncertainty said plainly, and the ceasefires."""

from __future__ import annotations

import streamlit as st

from trends.figures import base as figures
from trends.analysis import reported
from trends.pages.captions import source_line
from trends.analysis.compare import ceasefire_scorecard
from trends.filters import FilterSpec, format_day
from trends.analysis.talks import WINDOWS, all_dates, event_study, parties_of, select_meetings

from . import data, sidebar
from .common import chart, escape_md, quality_notice, table, text
from .sidebar import BOUND


def _daily_all_dates(spec: FilterSpec):
    return data.daily(all_dates(spec, data.domain()))


# Keyed on what the study depends on: the whole-span daily view (no period length), the meetings' dates and
# choices. Changing the period length of the page does not rerun its 9,999-draw tests.
@st.cache_data(max_entries=64)
def _study(folder: str, signature: str, daily_view: FilterSpec, start, end, window: int, kinds: tuple,
           parties: tuple, exclude: bool):
    meetings = select_meetings(data.dataset_of(folder, signature).meetings, kinds, parties, start, end)
    return event_study(data.daily_of(folder, signature, daily_view), meetings, window, exclude_overlaps=exclude,
                       first=daily_view.start, last=daily_view.end)


def page() -> None:
    dataset = data.dataset()
    spec = sidebar.current()
    st.title("Violence around the talks")
    st.markdown(
        "Does violence rise before negotiations, as parties seek a stronger hand at the table, or fall after? "
        "Here each meeting's attacks in the days **before** it starts are set against the days **after** it ends, "
        "and the average change is compared with the same change around random dates with no meeting.")
    sidebar.url_notices()
    quality_notice(dataset)
    all_parties = parties_of(dataset.meetings)
    c1, c2, c3 = st.columns([2, 3, 2])
    kinds = c1.multiselect("Kinds of meeting", sorted(dataset.meetings["kind"].unique()), placeholder="All",
                           key="kinds", bind=BOUND)
    parties = c2.multiselect("With parties", all_parties, placeholder="Any", key="parties", bind=BOUND)
    window = c3.radio("Window (days)", WINDOWS, index=1, horizontal=True, key="days", bind=BOUND)
    exclude = st.checkbox("Leave out meetings whose windows overlap another's", key="apart", bind=BOUND)
    study = _study(*data.key(), all_dates(spec, data.domain()), spec.start, spec.end, window, tuple(kinds),
                   tuple(parties), exclude)
    o = study.overall
    text(f"Meetings from {format_day(spec.start)} to {format_day(spec.end)}; attacks: "
         + ", ".join(["all dates", *spec.value_clauses()]) + ".", caption=True)
    (st.warning if o["caution"] else st.info)(study.verdict)
    cols = st.columns(4)
    fmt = lambda v: "n/a" if v != v else f"{v:+.2f}"  # noqa: E731
    cols[0].metric("Meetings", f"{o['n']:,}", help="Meetings whose whole windows fall inside the data's span.")
    cols[1].metric("Mean change per meeting", fmt(o["mean_change"]),
                   help="Attacks in the W days after the meeting minus the W days before, averaged.")
    cols[2].metric("95% interval", f"{fmt(o['ci_low'])} to {fmt(o['ci_high'])}",
                   help="Percentile bootstrap over meetings (scipy.stats.bootstrap, 9,999 resamples, fixed seed).")
    cols[3].metric("Placebo p-value", "n/a" if o["p_value"] != o["p_value"] else f"{o['p_value']:.3f}",
                   help="Share of random non-meeting dates (9,999 draws of the same number of dates, fixed seed) "
                        "whose mean change is at least as far from the random average as the meetings' "
                        "(two-sided; scipy.stats.monte_carlo_test).")
    fig = figures.event_time_figure(
        study.event_time, window=window, n=o["n"],
        title=f"Attacks per day around {o['n']} meetings, {window}-day windows",
        source=source_line(dataset, "attacks") + " Grey band: where 95% of random dates fall.")
    chart(fig, "event-time", alt=f"Mean attacks per day from day -{window} to +{window}; mean change "
                                  f"{fmt(o['mean_change'])}, interval {fmt(o['ci_low'])} to {fmt(o['ci_high'])}.")
    st.subheader("Each meeting")
    table(study.meetings, hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn("End", format="YYYY-MM-DD"),
        "overlaps": st.column_config.CheckboxColumn("Window overlaps another"),
        "change": st.column_config.NumberColumn("After minus before"),
    })
    if len(study.excluded):
        st.caption(f"Set aside: {len(study.excluded)} meetings ("
                   + escape_md("; ".join(f"{r.title}: {r.reason}" for r in study.excluded.itertuples())) + ").")
    reported_around(dataset)
    ceasefires(dataset, spec)
    st.subheader("Read this before drawing a conclusion")
    st.markdown(
        "- **Association is not causation.** Talks are scheduled around events, and both can follow the fighting "
        "season.\n"
        "- **Reporting changes around high-profile events.** Journalists are in the room at a conference; an attack "
        "that week is more likely to be reported.\n"
        "- **The curated attack list is not complete.** It holds notable events, so counts are small and uneven. "
        "For a real test, import UCDP GED or ACLED (see the README) and open that dataset here.\n"
        "- **Windows overlap** when meetings follow each other closely; the same attack then counts for several "
        "meetings. Tick the box above to leave those meetings out.")


def reported_around(dataset) -> None:
    """The authorities' own totals just before and just after each milestone, as published."""
    catalogue = [s for s in reported.catalogue(dataset.attack_counts, dataset.casualties) if len(s.rows) > 1]
    if not catalogue or dataset.meetings.empty:
        return
    st.subheader("Reported totals before and after the milestones")
    labels = {s.key: s.label for s in catalogue}
    key = st.selectbox("Reported series", list(labels), format_func=labels.get, key="talks_series", bind=BOUND)
    series = next(s for s in catalogue if s.key == key)
    rows = reported.around_milestones(series, reported.default_milestones(dataset.meetings))
    table(rows, hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn("Milestone date", format="YYYY-MM-DD"),
        "before_period": st.column_config.TextColumn("Last period before"),
        "before_figure": st.column_config.TextColumn("Reported"),
        "before_report": st.column_config.LinkColumn("Report", display_text="open"),
        "after_period": st.column_config.TextColumn("First period after"),
        "after_figure": st.column_config.TextColumn("Reported"),
        "after_report": st.column_config.LinkColumn("Report ", display_text="open"),
    })
    st.caption("Each figure is one published period as its reporter gave it: the last that ends before the "
               "milestone starts and the first that starts after it ends. Periods are coarse (a quarter mixes "
               "weeks far from the milestone), a period that contains the milestone belongs to neither side, and "
               "several milestones can share the same periods. Read the pairs as context, not as an effect.")


def ceasefires(dataset, spec: FilterSpec) -> None:
    st.subheader("Ceasefire scorecard")
    card = ceasefire_scorecard(_daily_all_dates(spec), dataset.meetings)
    if card.empty:
        st.caption("No meetings of kind 'ceasefire' in this dataset.")
        return
    fig = figures.ceasefire_figure(card, title="Attacks during each ceasefire and the count expected from the "
                                               "four weeks before", source=source_line(dataset, "attacks"))
    chart(fig, "ceasefires", alt="; ".join(
        f"{r.title}: {r.attacks_during} recorded, {r.expected:.1f} expected ({r.expected_low:.1f} to "
        f"{r.expected_high:.1f})" for r in card.itertuples()))
    table(card, hide_index=True, width="stretch", column_config={
        "start": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
        "end": st.column_config.DateColumn("End", format="YYYY-MM-DD"),
        "expected": st.column_config.NumberColumn("Expected", format="%.2f"),
        "expected_low": st.column_config.NumberColumn("Expected, low", format="%.2f"),
        "expected_high": st.column_config.NumberColumn("Expected, high", format="%.2f"),
        "p_value": st.column_config.NumberColumn("p-value", format="%.3f",
                                                 help="Exact test that the rate during equals the rate before"),
    })
    st.caption("Expected: the attack rate of the 28 days before the ceasefire times its length; the interval is "
               "the exact Poisson interval of that rate. Counts this small rarely support a verdict.")
