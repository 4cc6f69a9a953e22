"""Conflict trends dashboard: page set-up and navigation only."""

import streamlit as st

from components import about, events, overview, sidebar, talks

st.set_page_config(page_title="Conflict trends", layout="wide")
sidebar.dataset_picker()
st.navigation([
    st.Page(overview.page, title="Overview", url_path="overview", default=True),
    st.Page(talks.page, title="Talks", url_path="talks"),
    st.Page(events.page, title="Events", url_path="events"),
    st.Page(about.page, title="About the data", url_path="about"),
]).run()
