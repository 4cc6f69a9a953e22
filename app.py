"""Conflict trends dashboard: page set-up and navigation only."""

import streamlit as st

from components import about, events, overview, sidebar, sources, talks

st.set_page_config(page_title="Conflict trends", layout="wide")
# Streamlit draws captions at 60% opacity, below the WCAG AA contrast ratio on white; this grey is 6.2:1.
st.html("<style>[data-testid=stCaptionContainer]{opacity:1 !important;color:#57606a !important}</style>")
sidebar.dataset_picker()
st.navigation([
    st.Page(overview.page, title="Overview", url_path="overview", default=True),
    st.Page(talks.page, title="Talks", url_path="talks"),
    st.Page(events.page, title="Events", url_path="events"),
    st.Page(sources.page, title="Sources", url_path="sources"),
    st.Page(about.page, title="About the data", url_path="about"),
]).run()
