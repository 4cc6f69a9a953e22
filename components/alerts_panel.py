"""The Overview's province surge alerts: where events rose in the last weeks of the view, tested per province."""

from __future__ import annotations

import streamlit as st

from trends.analysis import alerts
from trends.figures import report_figures
from trends.publish.export import csv_bytes
from trends.filters import FilterSpec, shown
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
    flagged = result[result["flagged"]]
    if dataset.selection:
        st.warning(alerts.SELECTION_CAUTION)
    st.caption(escape_md(
        f"Per province, events in the {at.describe()}, against the count the baseline rate predicts. Flagged "
        f"where a one-sided Poisson test gives p < {alerts.ALPHA} after a Benjamini-Hochberg correction across "
        f"{len(result)} provinces, with at least {alerts.MIN_EVENTS} events in the window. The sidebar's value "
        "filters apply."))
    if flagged.empty:
        st.info(escape_md(f"No province is flagged for the {at.window} days to the view's last day."))
    else:
        st.error(escape_md("Flagged: " + "; ".join(
            f"{r.province} ({r.recent} events against {r.expected:.1f} expected)" for r in flagged.itertuples())))
    top = result.head(12)
    title = f"Recent events against the count expected, {at.window} days to {spec.end:%d %b %Y}"
    source = f"Source: {dataset.title}; one-sided Poisson test with Benjamini-Hochberg correction."
    fig = report_figures.alerts_figure(top, title=title, source=source)
    chart(fig, "alerts", alt="; ".join(f"{r.province}: {r.recent} recent, {r.expected:.1f} expected, adjusted p "
                                       f"{r.p_adjusted:.2g}" for r in top.itertuples()),
          embed=(title, source, link_or_note(spec, app_url())))
    with st.expander(f"Every province tested ({len(result)})"):
        table(result, hide_index=True, width="stretch", column_config={
            "expected": st.column_config.NumberColumn("Expected", format="%.2f"),
            "ratio": st.column_config.NumberColumn("Recent / expected", format="%.2f"),
            "p_value": st.column_config.NumberColumn("p", format="%.2g"),
            "p_adjusted": st.column_config.NumberColumn("Adjusted p (BH)", format="%.2g"),
        })
    st.download_button("Download the alert table (CSV)", lambda: csv_bytes(result), mime="text/csv",
                       file_name=f"alerts-{at.window}d-{file_stem(spec)}.csv", key="dl_alerts")
