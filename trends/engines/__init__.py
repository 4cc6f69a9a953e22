"""Query engines over a dataset's events: a Protocol and its pandas and DuckDB implementations."""
