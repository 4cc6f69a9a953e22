"""Source lines for figures outside the app: who compiled the data and what it is, as the page words it."""

from __future__ import annotations

from pathlib import Path

from trends.dataset.loading import describes_selection


def source_line(dataset, resource: str, short: bool = False) -> str:
    """The same words as the Overview's chart source lines (components.common.source_line; a test pins them)."""
    package, title, res = dataset.package or {}, dataset.title, dataset.resource(resource)
    if short:
        return f"Source: {title}."
    caveat = " Notable events, not a complete record." if describes_selection(res) else ""
    parquet = resource == "attacks" and getattr(dataset, "attacks_parquet", None)
    file = res.get("path") or (Path(parquet).name if parquet else f"{resource}.csv")
    return f"Source: {title} (v{package.get('version', '?')}), {file}, each row linked to its report.{caveat}"
