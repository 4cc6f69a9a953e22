"""Read an admin-1 GeoJSON and match its features to gazetteer provinces through the aliases."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from trends.dataset.gazetteer import Gazetteer

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


def _outer_rings(geometry: dict) -> list[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons if polygon]


def outline(shapes: list[tuple[str, dict]], digits: int = 6) -> tuple[list, list]:
    """The country's outline: the ring edges that belong to one province only (an inner border is shared by two),
    joined end to end into lines separated by None, ready for one line trace. Joined lines draw faster than the
    same edges as separate two-point pieces (734 of them in the bundled outlines)."""
    count: dict[tuple, int] = {}
    for _, geometry in shapes:
        for ring in _outer_rings(geometry):
            for a, b in zip(ring, ring[1:]):
                key = tuple(sorted((tuple(round(v, digits) for v in a[:2]), tuple(round(v, digits) for v in b[:2]))))
                count[key] = count.get(key, 0) + 1
    edges = [edge for edge, n in count.items() if n == 1]
    ends: dict[tuple, list] = {}
    for edge in edges:
        for point in edge:
            ends.setdefault(point, []).append(edge)
    used: set = set()
    xs: list = []
    ys: list = []
    for edge in edges:
        if edge in used:
            continue
        used.add(edge)
        line = list(edge)
        for _ in range(2):  # walk on from the last point, then (reversed) from the first, along undrawn edges
            while (following := next((e for e in ends[line[-1]] if e not in used), None)) is not None:
                used.add(following)
                line.append(following[1] if following[0] == line[-1] else following[0])
            line.reverse()
        xs += [p[0] for p in line] + [None]
        ys += [p[1] for p in line] + [None]
    return xs, ys


def label_point(geometry: dict) -> tuple[float, float]:
    """Where a province's name goes: the area centroid of its largest outer ring (shoelace formula)."""
    best, best_area = None, -1.0
    for ring in _outer_rings(geometry):
        area = cx = cy = 0.0
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and abs(area) > best_area:
            best, best_area = (cx / (3 * area), cy / (3 * area)), abs(area)
    if best is None:  # degenerate rings: the mean of the points
        points = [p for ring in _outer_rings(geometry) for p in ring]
        best = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return best


def bounds(shapes: list[tuple[str, dict]]) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) of every outline."""
    xs = [p[0] for _, g in shapes for ring in _outer_rings(g) for p in ring]
    ys = [p[1] for _, g in shapes for ring in _outer_rings(g) for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def boundary_files(folder: Path) -> list[Path]:
    """Where province outlines may be: TRENDS_BOUNDARIES first, then the dataset folder's boundaries.geojson."""
    candidates = [Path(folder) / "boundaries.geojson"]
    if os.environ.get("TRENDS_BOUNDARIES"):
        candidates.insert(0, Path(os.environ["TRENDS_BOUNDARIES"]).expanduser())
    return [p for p in candidates if p.is_file()]


def find_boundaries(folder: Path, gazetteer) -> tuple[object | None, str | None]:
    """Province outlines as the app finds them for a dataset folder, or the reason they could not be read."""
    for path in boundary_files(folder):
        try:
            return load_boundaries(path, gazetteer), None
        except (ValueError, KeyError, json.JSONDecodeError) as err:
            return None, f"Province outlines from {path.name} could not be read ({err}); showing bubbles instead."
    return None, None
