"""Streamlit UI: data access with caching, sidebar filters, and the pages."""
