"""Read an admin-1 GeoJSON and match its features to gazetteer provinces through the aliases."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .gazetteer import Gazetteer

NAME_PROPERTIES = ("shapeName", "name", "NAME_1", "ADM1_EN", "province", "admin1Name")


@dataclass
class Boundaries:
    """Outlines keyed by canonical province name, and the feature names that matched no province."""

    shapes: list[tuple[str, dict]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def load_boundaries(path: Path, gazetteer: Gazetteer) -> Boundaries:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if doc.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    out = Boundaries()
    for feature in doc.get("features", []):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        names = [props[k] for k in NAME_PROPERTIES if isinstance(props.get(k), str)]
        codes = [props[k].replace("_", "-") for k in ("shapeISO", "iso_code", "ISO") if isinstance(props.get(k), str)]
        match = next((gazetteer.canonical(n) for n in names + codes if gazetteer.canonical(n)), None)
        if match:
            out.shapes.append((match, geometry))
        else:
            out.unmatched.append(names[0] if names else "(unnamed feature)")
    return out
