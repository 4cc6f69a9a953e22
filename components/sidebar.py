"""Sidebar filters: read the view from the URL once, keep it in widgets, write it back to the URL."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from trends.fields import FIELDS, FREQUENCIES
from trends.filters import Domain, FilterSpec, shown

from .common import escape_md

WHOLE, CUSTOM = "Whole span", "Custom"
# URL parameters owned by the dataset picker and the alerts panel, not by the filters.
PAGE_PARAMS = ("dataset", "window", "baseline", "section")


def _presets(domain: Domain) -> dict[str, tuple[dt.date, dt.date]]:
    presets = {WHOLE: (domain.first, domain.last)}
    for year in range(domain.first.year, domain.last.year + 1):
        presets[str(year)] = (max(dt.date(year, 1, 1), domain.first), min(dt.date(year, 12, 31), domain.last))
    return presets


def _preset_of(dates: tuple[dt.date, dt.date], presets: dict) -> str:
    return next((name for name, span in presets.items() if span == tuple(dates)), CUSTOM)


def _seed_from_url(domain: Domain, use_url: bool = True) -> None:
    """On a session's first run, or when the URL changed under us, the URL decides the widgets.
    After a switch of dataset the view starts over on the new data's whole span."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()} if use_url else {}
    spec = FilterSpec.from_params(params, domain)
    st.session_state["f_dates"] = (spec.start, spec.end)
    st.session_state["f_preset"] = _preset_of((spec.start, spec.end), _presets(domain))
    for f in FIELDS:
        st.session_state[f"f_{f.attr}"] = list(getattr(spec, f.attr))
    st.session_state["f_freq"] = spec.freq
    st.session_state["url_notices"] = st.session_state.get("url_notices", []) + list(spec.notices)
    st.session_state["f_domain"] = domain


def _apply_preset(presets: dict) -> None:
    name = st.session_state["f_preset"]
    if name in presets:
        st.session_state["f_dates"] = presets[name]


def _match_preset(presets: dict) -> None:
    st.session_state["f_preset"] = _preset_of(st.session_state["f_dates"], presets)


def filters(domain: Domain) -> FilterSpec:
    """Render the sidebar and return the view it describes; the URL is kept in step."""
    expected = st.session_state.get("f_written_url")
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    previous = st.session_state.get("f_domain")
    if previous is not None and previous != domain:
        _seed_from_url(domain, use_url=False)
    elif previous is None or (expected is not None and current and current != expected):
        _seed_from_url(domain)
    presets = _presets(domain)
    with st.sidebar:
        st.header("Filters")
        st.selectbox("Period", [*presets, CUSTOM], key="f_preset", on_change=_apply_preset, args=(presets,))
        dates = st.date_input("Date range", key="f_dates", min_value=dt.date(1989, 1, 1),
                              max_value=dt.date(2100, 12, 31), format="YYYY-MM-DD",
                              on_change=_match_preset, args=(presets,))
        if isinstance(dates, (tuple, list)) and len(dates) == 2:
            start, end = dates
        else:  # the picker is half-way through a range
            start = end = dates[0] if isinstance(dates, (tuple, list)) and dates else domain.first
            st.caption("Pick an end date to complete the range.")
        chosen = {}
        for f in FIELDS:
            chosen[f.attr] = tuple(st.multiselect(f.label, getattr(domain, f.attr), key=f"f_{f.attr}",
                                                  placeholder="All"))
        freq = st.selectbox("Period length", FREQUENCIES, key="f_freq", format_func=str.capitalize)
    spec = FilterSpec(start, end, freq=freq, **chosen)
    params = spec.to_params()
    for key in PAGE_PARAMS:  # parameters that other parts of the page own ride along unchanged
        if key in current:
            params[key] = current[key]
    if current != params:
        st.query_params.from_dict(params)
    st.session_state["f_written_url"] = params
    return spec


def dataset_picker() -> None:
    """A dataset picker, shown only when dataset folders stand under datasets/; kept in the URL as `dataset`."""
    from . import data

    choices = data.available()
    if len(choices) < 2:
        return
    labels = list(choices)
    if "dataset_label" not in st.session_state:
        wanted = st.query_params.get("dataset")
        if wanted and wanted not in labels:
            st.session_state.setdefault("url_notices", []).append(f"Ignored unknown dataset {shown(wanted)}.")
        st.session_state["dataset_label"] = wanted if wanted in labels else labels[0]
    label = st.sidebar.selectbox("Dataset", labels, key="dataset_label")
    st.session_state["dataset_folder"] = choices[label]
    if label != labels[0]:
        st.query_params["dataset"] = label
    elif "dataset" in st.query_params:
        del st.query_params["dataset"]


def url_notices() -> None:
    """Say, once per session, which URL values were dropped."""
    for notice in st.session_state.pop("url_notices", []):
        st.warning(escape_md(notice))
