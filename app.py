"""Conflict trends dashboard: page set-up, the sidebar's filters and navigation only."""

import streamlit as st

from components import about, data, events, overview, sidebar, sources, talks

st.set_page_config(page_title="Conflict trends", layout="wide")
# Streamlit draws captions at 60% opacity, below the WCAG AA contrast ratio on white; this grey is 6.2:1.
st.html("<style>[data-testid=stCaptionContainer]{opacity:1 !important;color:#57606a !important}"
        ".trends-caption{font-size:0.875rem;color:#57606a;margin:0 0 0.5rem;line-height:1.5}</style>")
sidebar.dataset_picker()
# Drawn here, above every page, so the view and its URL hold when the reader changes page.
sidebar.render(data.domain())
pages = [
    st.Page(overview.page, title="Overview", default=True),
    st.Page(talks.page, title="Talks", url_path="talks"),
    st.Page(events.page, title="Events", url_path="events"),
    st.Page(sources.page, title="Sources", url_path="sources"),
    st.Page(about.page, title="About the data", url_path="about"),
    # The Overview also answers at /overview, the address a reader may type or an older link may hold.
    st.Page(overview.page, title="Overview ", url_path="overview", visibility="hidden"),
]
st.navigation(pages).run()
