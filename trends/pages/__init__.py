"""Everything a reader sees of one view, built once for the app, the published page and the CLI."""
