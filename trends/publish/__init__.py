"""Static pages, embeds and CSV exports of a view."""
