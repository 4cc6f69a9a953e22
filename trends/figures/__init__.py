"""Plotly figures built from frames; no engine and no data loading here."""
