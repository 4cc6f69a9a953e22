"""The datapackage.json of an imported folder: source dataset, citation, terms, mapping, counts and resources."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from trends.contract import vocab
from trends.dataset.loading import DEFAULT_DATA_DIR

FIELD_TYPES = {"date": "date", "end_date": "date", "latitude": "number", "longitude": "number",
               "killed": "integer", "wounded": "integer", "killed_low": "integer", "killed_high": "integer"}


def _fields(columns: tuple[str, ...], described: dict[str, str]) -> list[dict]:
    return [{"name": c, "type": FIELD_TYPES.get(c, "string"), **({"description": described[c]} if c in described
                                                                  else {})} for c in columns]


def _bundled(data: Path) -> dict:
    try:
        return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build(source: dict, name: str, country_label: str, counts: dict, attacks_path: str, afghanistan: bool,
          data: Path = DEFAULT_DATA_DIR) -> dict:
    """`source` is what the importer module says about its dataset (title, citation, licences, mapping...)."""
    mapping = source["mapping"]
    attacks = {
        "name": "attacks", "path": attacks_path, "format": attacks_path.rsplit(".", 1)[1],
        "title": f"{source['source_dataset']['name']}: {country_label}",
        "description": "Every event of the source for the country, one row each, mapped by the importer "
                       "(see mapping). Rows the importer rejected are listed on its standard error output.",
        "schema": {"fields": _fields(vocab.ATTACK_COLUMNS, mapping | {"source_url": source["source_url_form"]})},
    }
    if attacks["format"] == "csv":
        attacks["encoding"] = "utf-8"
    bundled = _bundled(data) if afghanistan else {}
    copied = {r["name"]: r for r in bundled.get("resources", []) if r.get("name") != "attacks"}
    resources = [attacks]
    for key in ("provinces", "meetings", "casualties", "attack_counts", "boundaries"):
        file_name, columns = vocab.FILES.get(key, (None, ()))
        if key in vocab.OPTIONAL_FILES + ("boundaries",) and key not in copied:
            continue
        if key in copied:
            resources.append(copied[key] | {"description": "Copied from the bundled, curated data/ folder. "
                                            + copied[key].get("description", "")})
        elif key == "provinces":
            resources.append({
                "name": key, "path": file_name, "format": "csv", "encoding": "utf-8",
                "title": "Admin-1 units named by the imported events",
                "description": "Built by the importer from the events' admin-1 names: latitude and longitude are "
                               "the mean of the unit's event coordinates (not a capital); capital is 'not known'; "
                               "iso_code repeats the name because no ISO 3166-2 code is known to the importer; "
                               "aliases are the other spellings seen.",
                "schema": {"fields": _fields(columns, {})}})
        else:
            resources.append({"name": key, "path": file_name, "format": "csv", "encoding": "utf-8",
                              "title": f"{key} (empty)",
                              "description": "Header only: there are no curated rows for this country.",
                              "schema": {"fields": _fields(columns, {})}})
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name}-{country_label}".casefold()).strip("-")
    return {
        "name": f"{slug}-import",
        "title": source["title"],
        "version": source["source_dataset"]["version"],
        "last_updated": dt.date.today().isoformat(),
        "description": f"Imported from {source['source_dataset']['name']} with `python -m trends`; "
                       "nothing was added by hand.",
        "source_dataset": source["source_dataset"],
        "citation": source["citation"],
        "licenses": source["licenses"],
        "source_url_form": source["source_url_form"],
        "mapping": mapping,
        "import": counts,
        "sources": [{"title": source["source_dataset"]["name"], "path": source["source_dataset"]["path"]}]
                   + bundled.get("sources", []),
        "caveats": source["caveats"],
        "resources": resources,
    }
