"""Pure core of the conflict trends dashboard: loading, validation, queries, figures, CLI."""
