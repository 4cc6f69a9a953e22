"""Small UI helpers shared by the pages: charts with a text alternative, inert text, source lines."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_md(value) -> str:
    """Data shown through markdown must stay text: every markdown and HTML character is escaped."""
    return _MD_SPECIAL.sub(r"\\\1", "" if value is None else str(value))


def text(value, caption: bool = False) -> None:
    (st.caption if caption else st.markdown)(escape_md(value))


def chart(fig: go.Figure, name: str, alt: str) -> None:
    """A Plotly chart whose toolbar downloads a PNG (title and source inside), with a text description."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
              "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
    st.plotly_chart(fig, config=config, key=f"chart_{name}", width="stretch")
    with st.expander("Chart as text", expanded=False):
        text(alt)


def source_line(dataset, resource: str, short: bool = False) -> str:
    """Who compiled the data and what it is, for inside a figure."""
    package = dataset.package or {}
    title = package.get("title") or dataset.folder.name
    res = next((r for r in package.get("resources", []) if r.get("name") == resource), {})
    if short:
        return f"Source: {title}."
    caveat = " Notable events, not a complete record." if "not a complete record" in res.get("description", "").lower() \
        else ""
    parquet = resource == "attacks" and getattr(dataset, "attacks_parquet", None)
    file = res.get("path") or (Path(parquet).name if parquet else f"{resource}.csv")
    return f"Source: {title} (v{package.get('version', '?')}), {file}, each row linked to its report.{caveat}"


def quality_notice(dataset) -> None:
    """Say, on every page, when rows were rejected or files are missing; the Events page lists them."""
    rejected = sum(r.rows_rejected for r in dataset.reports.values())
    whole = [p for p in dataset.problems if not p.line]
    if rejected or whole:
        st.warning(f"Data quality: {rejected:,} rows could not be loaded"
                   + (f" and {len(whole)} file-level problems were found" if whole else "")
                   + ". The valid rows are shown. The Events page lists every problem with its file, line and "
                   "column.")
    for notice in dataset.notices:
        st.info(notice)
    if dataset.attacks.empty and dataset.attacks_parquet is None:
        st.info("This dataset has no events: attacks.csv holds no rows that could be loaded.")
