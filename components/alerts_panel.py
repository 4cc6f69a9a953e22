"""The Overview's province surge alerts: where events rose in the last weeks of the view, tested per province."""

from __future__ import annotations

import streamlit as st

from trends.analysis import alerts
from trends.publish.export import csv_bytes
from trends.filters import FilterSpec, shown
from trends.pages.view_charts import alerts_chart_of
from trends.wording import file_stem, link_or_note

from . import data
from .common import app_url, chart, escape_md, table
from .sidebar import BOUND

# The URL parameter, the smallest and largest number of days, and the step of each input.
LIMITS = {"window": (7, 366, 7), "baseline": (7, 3650, 28)}
DEFAULTS = {"window": alerts.WINDOW, "baseline": alerts.BASELINE}


def _url_notices() -> None:
    """The inputs drop a value from the URL that they cannot take, silently; the reader is told which and why."""
    for key, (low, high, _) in LIMITS.items():
        raw = st.query_params.get(key)
        if raw is None:
            continue
        try:
            days = int(raw)
        except ValueError:
            days = None
        if days is None or not low <= days <= high:
            st.warning(escape_md(f"Ignored {key} {shown(raw)}: give a whole number of days from {low} to {high}; "
                                 f"{DEFAULTS[key]} is used."))


def alerts_section(spec: FilterSpec, dataset) -> None:
    st.subheader("Where events rose in the last weeks of the view")
    _url_notices()
    c1, c2 = st.columns(2)
    (low, high, step), hint = LIMITS["window"], "The recent days, ending on the view's last day."
    window = c1.number_input("Window (days)", min_value=low, max_value=high, step=step, value=DEFAULTS["window"],
                             key="window", bind=BOUND, help=hint)
    (low, high, step), hint = LIMITS["baseline"], "The days whose rate sets the count expected."
    baseline = c2.number_input("Baseline (days before it)", min_value=low, max_value=high, step=step,
                               value=DEFAULTS["baseline"], key="baseline", bind=BOUND, help=hint)
    try:
        at = alerts.alert_spec(spec.end.isoformat(), int(window), int(baseline), spec.end)
    except ValueError as err:
        st.warning(escape_md(str(err)))
        return
    result = data.alerts_table(spec, at)
    # The chart and its words are the published page's (trends.pages.view_charts.alerts_chart_of).
    drawn = alerts_chart_of(result, at, spec, dataset.title, dataset.selection)
    *caution, method, said = drawn.notes
    for line in caution:
        st.warning(escape_md(line))
    st.caption(escape_md(method + " The sidebar's value filters apply."))
    (st.info if result[result["flagged"]].empty else st.error)(escape_md(said))
    chart(drawn.figure, "alerts", alt=drawn.alt, embed=(drawn.title, drawn.source, link_or_note(spec, app_url())))
    with st.expander(f"Every province tested ({len(result)})"):
        table(result, hide_index=True, width="stretch", column_config={
            "expected": st.column_config.NumberColumn("Expected", format="%.2f"),
            "ratio": st.column_config.NumberColumn("Recent / expected", format="%.2f"),
            "p_value": st.column_config.NumberColumn("p", format="%.2g"),
            "p_adjusted": st.column_config.NumberColumn("Adjusted p (BH)", format="%.2g"),
        })
    st.download_button("Download the alert table (CSV)", lambda: csv_bytes(result), mime="text/csv",
                       file_name=f"alerts-{at.window}d-{file_stem(spec)}.csv", key="dl_alerts")
