"""Small UI helpers shared by the pages: charts with a text alternative, inert text, source lines."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from trends.wording import link_or_note, public_base
from trends.publish.page import chart_html

# Every ASCII punctuation character: CommonMark lets each be escaped, and together they cover links, images,
# HTML, emphasis, code, LaTeX ($), Streamlit's :directives[...] and :emoji: shortcodes.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's Markdown turns bare URLs, www. names and e-mail addresses into links after escapes are resolved,
# so backslashes alone do not stop them: an invisible word joiner on each side of : . @ breaks those patterns.
_LINK_JOINTS = re.compile(r"([:.@])")
WORD_JOINER = "\u2060"


def escape_md(value) -> str:
    """Text that is not a literal of the code, made inert for every element that renders Markdown."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", _LINK_JOINTS.sub(WORD_JOINER + r"\1" + WORD_JOINER, text))


CAPTION_CLASS = "trends-caption"


def text(value, caption: bool = False) -> None:
    """Text from data, a file or a URL, shown as it is written: nothing in it is read as Markdown, and a reader
    who copies it gets exactly its characters (no escapes or invisible joiners). A caption is the same text in
    the captions' smaller grey (app.py styles the class), through HTML in which the text is escaped."""
    body = "" if value is None else str(value)
    if caption:
        st.html(f'<p class="{CAPTION_CLASS}">{html.escape(body)}</p>')
    else:
        st.text(body)


# Words for the columns that several tables share; any other column is headed by its name in words.
HEADS = {"meeting_id": "Meeting ID", "event_id": "Event ID", "p_value": "p-value", "url": "Link",
         "attacks_during": "Attacks during", "baseline_attacks": "Attacks in the baseline",
         "killed_unreported": "Attacks with no reported toll", "killed_before": "Killed before",
         "killed_during": "Killed during", "killed_after": "Killed after"}


def heading(column: str) -> str:
    """A column's heading in words: 'attacks_during' -> 'Attacks during'."""
    return HEADS.get(column) or column.replace("_", " ").capitalize()


def table(frame: pd.DataFrame, column_config: dict | None = None, **kwargs) -> None:
    """st.dataframe in which every column is headed in words, numbers stay numbers (so they sort as numbers) with
    thousands separators, dates read YYYY-MM-DD, and a missing value is a blank cell, never the word "None".
    A table of ten rows or fewer takes the height of its rows, never padded."""
    config = dict(column_config or {})
    for col in frame.columns:
        given, values = config.get(col), frame[col]
        if given is None:
            if pd.api.types.is_integer_dtype(values) and not pd.api.types.is_bool_dtype(values):
                config[col] = st.column_config.NumberColumn(heading(col), format="localized")
            elif pd.api.types.is_datetime64_any_dtype(values):
                config[col] = st.column_config.DateColumn(heading(col), format="YYYY-MM-DD")
            else:
                config[col] = heading(col)
        elif isinstance(given, dict) and not given.get("label"):
            given["label"] = heading(col)
    st.dataframe(frame, column_config=config, placeholder="", **kwargs)


def plotly_config(name: str) -> dict:
    """The charts' toolbar: no logo, no lasso or box select, and a PNG named after the chart."""
    return {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def chart(fig: go.Figure, name: str, alt: str, selectable: bool = False, embed: tuple | None = None):
    """A Plotly chart whose toolbar downloads a PNG (title and source inside), with a text description.
    `selectable`: clicks on points come back as a selection event (returned). `embed`: (title, source, link back)
    adds a download of the chart as one HTML file that works offline, to embed in an article."""
    event = st.plotly_chart(fig, config=plotly_config(name), key=f"chart_{name}", width="stretch",
                            **({"on_select": "rerun", "selection_mode": "points"} if selectable else {}))
    with st.expander("Chart as text" + (", or as HTML to embed" if embed else ""), expanded=False):
        text(alt)
        if embed:
            title, source, link = embed
            # Made when clicked: the file carries plotly.js (about 5 MB) so that it needs no other server.
            st.download_button("HTML to embed", lambda: chart_html(fig, title, source, link).encode("utf-8"),
                               file_name=f"{name}.html", mime="text/html", key=f"html_{name}", on_click="ignore",
                               icon=":material/code:", help="The chart as one HTML file with its title, source "
                               "line and a link back to this view. It works offline and loads nothing from other "
                               "servers.")
    return event


def draw(drawn, name: str, spec, selectable: bool = False):
    """A chart built in trends.pages.view_charts, with its text alternative and its HTML download."""
    return chart(drawn.figure, name, alt=drawn.alt, selectable=selectable,
                 embed=(drawn.title, drawn.source, link_or_note(spec, app_url())))


def app_url() -> str | None:
    """This dashboard's public address for links back to a view: TRENDS_PUBLIC_URL, else the address the reader
    opened, unless that is a local one (a link to localhost would lead a reader's reader nowhere)."""
    try:
        url = st.context.url
    except AttributeError:
        url = None
    # No address at all (a script run outside a browser session) is no address, not the word "None".
    opened = str(url).split("?")[0] or None if url else None
    return public_base() or public_base(opened)


def quality_notice(dataset) -> None:
    """Say, on every page, when rows were rejected or files are missing; the Events page lists them."""
    rejected = sum(r.rows_rejected for r in dataset.reports.values())
    whole = [p for p in dataset.problems if p.of_file]
    if rejected or whole:
        st.warning(f"Data quality: {rejected:,} rows could not be loaded"
                   + (f" and {len(whole)} file-level problems were found" if whole else "")
                   + ". The valid rows are shown. The Events page lists every problem with its file, line and "
                   "column.")
    for notice in dataset.notices:
        st.info(escape_md(notice))
    if dataset.attacks.empty and dataset.attacks_parquet is None:
        st.info("This dataset has no events: attacks.csv holds no rows that could be loaded.")
