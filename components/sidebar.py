"""The sidebar's filters, drawn once above every page and bound to the URL, so a view holds across pages and links."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from trends.eras import ERAS
from trends.contract.fields import FIELDS, FREQUENCIES
from trends.filters import DEFAULT_FREQ, Domain, FilterSpec, format_day, shown

from .common import escape_md

WHOLE, CUSTOM = "Whole span", "Custom"
# Streamlit keeps each widget below in the URL under its key, so the keys are the URL's parameter names.
BOUND = "query-params"
# The widest dates the pickers accept: a link may ask for days outside the data, which then shows none.
EARLIEST, LATEST = dt.date(1989, 1, 1), dt.date(2100, 12, 31)
_SPEC, _NOTICES, _PENDING = "view_spec", "url_notices", "view_pending"


def _presets(domain: Domain) -> dict[str, tuple[dt.date, dt.date]]:
    first, last = domain.span
    presets = {WHOLE: (first, last)}
    for era in ERAS:
        span = era.span(first, last)
        if span[0] <= span[1]:
            presets[era.label] = span
    for year in range(first.year, last.year + 1):
        presets[str(year)] = (max(dt.date(year, 1, 1), first), min(dt.date(year, 12, 31), last))
    return presets


def _era_param(presets: dict[str, tuple[dt.date, dt.date]], shown_span) -> None:
    """Keep `era` in the URL only while the dates are that era's, so a shared link names the era it shows."""
    era = next((e for e in ERAS if presets.get(e.label) == shown_span), None)
    if era is not None:
        st.query_params["era"] = era.slug
    elif "era" in st.query_params:
        del st.query_params["era"]


def _from_url(domain: Domain) -> tuple[FilterSpec, list[str]]:
    """The view the URL asks for, and what in it the widgets will drop (silently), said to the reader."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    spec = FilterSpec.from_params(params, domain)
    # An inverted range is kept by the pickers and said below, once the widgets hold it.
    return spec, [n for n in spec.notices if "the start is after the end" not in n]


def set_filter(param: str, values: list[str]) -> None:
    """Change one value filter from the page (a click on the map): applied before the widgets are drawn next."""
    st.session_state.setdefault(_PENDING, {})[param] = values


def render(domain: Domain) -> FilterSpec:
    """Draw the filters in the sidebar and return the view they describe. Called once per run, before the page."""
    asked, notices = _from_url(domain)
    for param, values in st.session_state.pop(_PENDING, {}).items():
        st.session_state[param] = values
    if "era" in st.query_params:  # an era the link names sets the dates once, before the pickers are drawn
        st.session_state.setdefault("start", asked.start)
        st.session_state.setdefault("end", asked.end)
    presets = _presets(domain)
    shown_span = (st.session_state.get("start", asked.start), st.session_state.get("end", asked.end))
    matched = next((name for name, span in presets.items() if span == shown_span), CUSTOM)
    with st.sidebar:
        st.header("Filters")
        # Unkeyed, so it follows the dates: its default is the preset they match, and a new default redraws it.
        options = [*presets, CUSTOM]
        picked = st.selectbox("Period", options, index=options.index(matched))
        if picked not in (matched, CUSTOM):  # the date pickers below are not drawn yet, so they can be set
            st.session_state["start"], st.session_state["end"] = presets[picked]
        # One above the other: side by side, a phone's sidebar cuts the dates short.
        start = st.date_input("From", value=domain.span[0], min_value=EARLIEST, max_value=LATEST,
                                format="YYYY-MM-DD", key="start", bind=BOUND)
        end = st.date_input("To", value=domain.span[1], min_value=EARLIEST, max_value=LATEST,
                               format="YYYY-MM-DD", key="end", bind=BOUND)
        chosen = {f.attr: tuple(st.multiselect(f.label, getattr(domain, f.attr), key=f.param, placeholder="All",
                                               bind=BOUND)) for f in FIELDS}
        # The options are the URL's own words (freq=quarter): a bound widget writes what it shows.
        freq = st.selectbox("Period length", FREQUENCIES, index=FREQUENCIES.index(DEFAULT_FREQ), key="freq",
                            bind=BOUND)
    start, end = start or domain.span[0], end or domain.span[1]
    if start > end:
        notices.append(f"The start date ({format_day(start)}) is after the end date ({format_day(end)}): the page "
                       f"shows {format_day(end)} to {format_day(start)}. Change either date to set the range.")
        start, end = end, start
    spec = FilterSpec(start, end, freq=freq, **chosen)
    _era_param(presets, (spec.start, spec.end))
    st.session_state[_SPEC], st.session_state[_NOTICES] = spec, notices
    return spec


def current() -> FilterSpec:
    """The view the sidebar describes in this run."""
    return st.session_state[_SPEC]


def dataset_picker() -> None:
    """A dataset picker, shown only when dataset folders stand under datasets/; kept in the URL as `dataset`."""
    from . import data

    choices = data.available()
    if len(choices) < 2:
        return
    labels = list(choices)
    wanted = st.query_params.get("dataset")
    if wanted is not None and wanted not in labels and "dataset" not in st.session_state:
        st.session_state.setdefault("picker_notices", []).append(f"Ignored unknown dataset {shown(wanted)}.")
    label = st.sidebar.selectbox("Dataset", labels, key="dataset", on_change=_forget_view, bind=BOUND)
    st.session_state["dataset_folder"] = choices[label]


def _forget_view() -> None:
    """Another dataset has other dates and values: its view starts over on its whole span."""
    if "era" in st.query_params:
        del st.query_params["era"]
    for key in ("start", "end", "freq", *(f.param for f in FIELDS)):
        st.session_state.pop(key, None)


def url_notices() -> None:
    """Say what the URL asked for that could not be shown, and an inverted range."""
    for notice in st.session_state.pop("picker_notices", []) + st.session_state.get(_NOTICES, []):
        st.warning(escape_md(notice))
