"""The map: province shapes or capital bubbles, events as points or grid cells, and the opt-in street map."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from trends.figures.base import MEASURE_LABEL, PALETTE, SEQUENTIAL, _day, _f32, _figure, _place, _toll, safe
from trends.filters import upper_first
from trends.analysis.tolls import provisional
from trends.wording import responsibility


def _rings(geometry: dict) -> tuple[np.ndarray, np.ndarray]:
    """The outer rings as float32 arrays with NaN between rings: plotly sends typed arrays to the browser in
    binary (a fraction of the JSON text) and draws NaN as a gap."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs, ys = [], []
    for polygon in polygons:
        for ring in polygon[:1]:  # outer ring; holes are too small to matter at this scale
            xs += [p[0] for p in ring] + [math.nan]
            ys += [p[1] for p in ring] + [math.nan]
    return np.asarray(xs, dtype=np.float32), np.asarray(ys, dtype=np.float32)


def province_map_figure(totals: pd.DataFrame, *, measure: str, title: str, source: str,
                        boundaries: list[tuple[str, dict]] | None = None,
                        points: pd.DataFrame | None = None, colours: dict[str, str] | None = None,
                        cells: tuple[pd.DataFrame, float] | None = None, what: str = "") -> go.Figure:
    """Provinces without street tiles: shaded shapes inside the country's outline when boundaries are given
    (names at each shape's label point, on top; a click there selects the province), else bubbles at the capitals;
    over the shapes, events as points, or (when there are too many) as counts in grid cells."""
    from trends.dataset.boundaries import bounds, label_point, outline

    traces = []
    values = totals.set_index("province")[measure]
    top = max(float(values.max()) if len(values) else 0.0, 1.0)
    whole = float(values.sum()) or 1.0
    label = MEASURE_LABEL[measure].lower() + (f" {what}" if what else "")
    layout: dict = {}
    if boundaries:
        for province, geometry in boundaries:
            value = int(values.get(province, 0))
            xs, ys = _rings(geometry)
            fill = sample_colorscale(SEQUENTIAL, [value / top])[0] if value else "#f2f4f7"
            traces.append({
                "type": "scatter", "x": xs, "y": ys, "fill": "toself", "fillcolor": fill, "mode": "lines",
                "line": {"color": "#8c959f", "width": 0.6}, "hoveron": "fills", "name": safe(province),
                "text": f"<b>{safe(province)}</b>: {value:,} {label} ({100 * value / whole:.0f}% of the view)",
                "hoverinfo": "text", "showlegend": False,
            })
        ox, oy = (np.asarray([math.nan if v is None else v for v in vs], dtype=np.float32) for vs in outline(boundaries))
        traces.append({"type": "scatter", "x": ox, "y": oy, "mode": "lines", "hoverinfo": "skip",
                       "line": {"color": "#3d444d", "width": 1.6}, "showlegend": False, "name": "Country outline"})
        traces.append({  # carries the colour bar only: a horizontal legend of the shade, under the map
            "type": "scatter", "x": [None], "y": [None], "mode": "markers", "showlegend": False,
            "hoverinfo": "skip",
            "marker": {"colorscale": SEQUENTIAL, "cmin": 0, "cmax": top, "color": [0], "colorbar": {
                "title": {"text": f"Shade: {MEASURE_LABEL[measure].lower()} per province", "side": "top",
                          "font": {"size": 11}},
                "orientation": "h", "thickness": 10, "len": 0.6, "x": 0.5, "xanchor": "center",
                "y": 0, "yanchor": "top", "ypad": 6, "tickfont": {"size": 10}}},
        })
        lon0, lat0, lon1, lat1 = bounds(boundaries)
        pad = 0.03 * max(lon1 - lon0, lat1 - lat0)
        layout["xaxis"] = {"range": [lon0 - pad, lon1 + pad]}
        layout["yaxis"] = {"range": [lat0 - pad, lat1 + pad]}
        lat_mid = (lat0 + lat1) / 2
    else:
        located = totals.dropna(subset=["latitude", "longitude"])
        traces.append({
            "type": "scatter", "x": _f32(located["longitude"]), "y": _f32(located["latitude"]),
            "mode": "markers+text", "text": [safe(p) for p in located["province"]], "textposition": "bottom center",
            "textfont": {"size": 10, "color": "#57606a"},
            "marker": {"size": 8 + 40 * np.sqrt(_f32(located[measure]) / top), "color": PALETTE[0],
                       "opacity": 0.55, "line": {"color": "white", "width": 1}},
            "customdata": np.stack([located[measure].to_numpy(), [safe(c) for c in located["capital"]]], axis=1),
            "hovertemplate": f"<b>%{{text}}</b> (capital %{{customdata[1]}})<br>%{{customdata[0]:,}} {label}"
                             "<extra></extra>",
            "showlegend": False,
        })
        lat_mid = float(totals["latitude"].dropna().mean()) if totals["latitude"].notna().any() else 0.0
    if points is not None and len(points):
        traces += event_point_traces(points, colours or {})
    if cells is not None and len(cells[0]):
        traces.append(cell_trace(*cells))
    if boundaries:
        # Names last, so no mark covers them; the small dot under each name is what a click selects.
        spots = [(p, *label_point(g)) for p, g in boundaries]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": "Provinces", "showlegend": False,
            "x": np.asarray([x for _, x, _ in spots], dtype=np.float32),
            "y": np.asarray([y for _, _, y in spots], dtype=np.float32), "text": [safe(p) for p, _, _ in spots],
            # A light halo keeps each name legible where it lies over a mark or a dark shade.
            "textposition": "middle center", "textfont": {"size": 9, "color": "#1f2328", "shadow": "auto"},
            "customdata": [p for p, _, _ in spots],
            "marker": {"size": 14, "color": "rgba(255,255,255,0.01)", "line": {"width": 0}},
            "hovertemplate": "%{text}: click to filter by this province<extra></extra>",
            "selected": {"marker": {"color": "rgba(255,255,255,0.01)"}},
            "unselected": {"marker": {"opacity": 1}, "textfont": {"color": "#1f2328"}},
        })
    layout.update({
        # Equal distances on screen: a degree of longitude shrinks with cos(latitude).
        "xaxis": {**layout.get("xaxis", {}), "visible": False, "constrain": "domain"},
        "yaxis": {**layout.get("yaxis", {}), "visible": False, "scaleanchor": "x",
                  "scaleratio": 1 / math.cos(math.radians(lat_mid))},
        # Under the map and its shade bar, so that on a phone its rows never cover the title or the shapes.
        "legend": {"title": {"text": "Perpetrator:", "side": "left"}, "orientation": "h", "x": 0, "y": -0.12,
                   "yanchor": "top"},
        "clickmode": "event+select", "dragmode": False,
    })
    return _figure(traces, layout, title, source, height=640, axis_room=140)


def cell_trace(cells: pd.DataFrame, size: float) -> dict:
    """Aggregated events: one square per grid cell, area growing with the number of attacks."""
    counts = _f32(cells["attacks"])
    return {
        "type": "scatter", "x": _f32(cells["longitude"]), "y": _f32(cells["latitude"]), "mode": "markers",
        "name": f"Attacks per {size:g}-degree cell", "customdata": cells["killed"].to_numpy(),
        "marker": {"symbol": "square", "size": 3 + 12 * np.sqrt(counts / max(float(counts.max()), 1.0)),
                   "color": PALETTE[5], "opacity": 0.75, "line": {"width": 0}},
        "text": [f"{int(n):,} attacks" for n in counts],
        "hovertemplate": "%{text}<br>Killed (reported): %{customdata:,}<extra></extra>",
    }


def event_point_traces(points: pd.DataFrame, colours: dict[str, str], rich: int = 2_000) -> list[dict]:
    """One trace per perpetrator; marker area grows with reported killed plus wounded. Up to `rich` points the
    hover names the source; above that it is kept short (and drawn with WebGL) to bound what the browser gets."""
    traces = []
    located = points.dropna(subset=["latitude", "longitude"])
    lean = len(located) > rich
    text = _point_text(located, with_source=not lean)
    for perpetrator, rows in located.groupby("perpetrator", sort=True):
        hurt = _f32(rows["killed"].fillna(0)) + _f32(rows["wounded"].fillna(0))
        traces.append({
            "type": "scattergl" if lean else "scatter", "x": _f32(rows["longitude"]), "y": _f32(rows["latitude"]),
            "mode": "markers", "name": safe(perpetrator), "hovertext": text[rows.index].to_numpy(dtype=object),
            "hoverinfo": "text+name",
            "marker": {"size": np.round(6 + 3 * np.sqrt(hurt), 1), "color": colours.get(perpetrator, PALETTE[-1]),
                       "opacity": 0.8, "line": {"color": "white", "width": 0.5}},
        })
    return traces


def _point_text(rows: pd.DataFrame, with_source: bool) -> pd.Series:
    """'12 Aug 2018, place, province: killed 5, wounded not reported' per event, '(provisional)' after a toll
    reported on the event's own day with no later report (with the basis of the
    perpetrator's naming and the source where there is room); every data value is escaped.
    Dates and tolls repeat across thousands of points, so each distinct one is formatted once."""
    days = rows["date"].to_numpy(dtype="datetime64[D]").astype("int64").tolist()
    # Blank cells become None first: NaN never equals itself, so it would defeat the memo.
    place = [_place(*(x if isinstance(x, str) else None for x in pair))
             for pair in zip(rows["location"].tolist(), rows["province"].tolist())]
    killed, wounded = ([None if pd.isna(n) else int(n) for n in rows[col].tolist()] for col in ("killed", "wounded"))
    early = [" (provisional)" if p else "" for p in provisional(rows).tolist()]
    text = [f"{_day(d)}, {p}: killed {_toll(k)}, wounded {_toll(w)}{e}"
            for d, p, k, w, e in zip(days, place, killed, wounded, early)]
    if with_source:
        basis = rows["perpetrator_basis"].tolist() if "perpetrator_basis" in rows else [None] * len(rows)
        # The report the toll comes from, where the dataset names one; else the page it was read at.
        cited = rows["report"].fillna(rows["source"]) if "report" in rows else rows["source"]
        text = [f"{t}<br>{safe(upper_first(responsibility(p, b)))}<br><i>Source: {safe(src)}</i>"
                for t, p, b, src in zip(text, rows["perpetrator"].tolist(), basis, cited.tolist())]
    return pd.Series(text, index=rows.index, dtype=object)


def street_map_figure(points: pd.DataFrame, *, title: str, source: str, colours: dict[str, str]) -> go.Figure:
    """Opt-in: the same points over OpenStreetMap tiles (the reader's browser then contacts the tile host)."""
    traces = []
    for trace in event_point_traces(points, colours):
        traces.append({"type": "scattermap", "lon": trace["x"], "lat": trace["y"], "mode": "markers",
                       "name": trace["name"], "hovertext": trace["hovertext"], "hoverinfo": "text+name",
                       "marker": {"size": trace["marker"]["size"], "color": trace["marker"]["color"]}})
    located = points.dropna(subset=["latitude", "longitude"])
    centre = {"lat": float(located["latitude"].mean()), "lon": float(located["longitude"].mean())} \
        if len(located) else {"lat": 0.0, "lon": 0.0}
    return _figure(traces, {"map": {"style": "open-street-map", "center": centre, "zoom": 4.6}}, title, source,
                   height=560)
