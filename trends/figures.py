"""Figure builders: small frames in, new plotly.graph_objects figures out, each titled and sourced inside."""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import make_colorscale, sample_colorscale, sequential

# Okabe-Ito: distinguishable for the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")
# Light to dark, as an explicit list: plotly.js reads the name "Blues" the other way round, so shapes shaded
# here and the colour bar drawn by the browser would disagree.
SEQUENTIAL = make_colorscale(sequential.Blues)
PERIOD_MS = {"week": 7 * 86_400_000, "month": "M1", "quarter": "M3", "year": "M12"}
MEASURE_LABEL = {"attacks": "Attacks", "killed": "Killed (reported)", "wounded": "Wounded (reported)"}
FONT = "Source Sans Pro, Arial, sans-serif"
GRID = "#eaeef2"
EPOCH = dt.date(1970, 1, 1)


def safe(value, width: int = 0) -> str:
    """Data text made inert for plotly's HTML-like labels; optionally wrapped to lines of `width`."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return _escaped(str(value), width)


@functools.lru_cache(maxsize=8192)
def _escaped(text: str, width: int) -> str:
    # Labels repeat on every rerun (meeting hovers, names, titles): wrapping and escaping them once is enough.
    lines = textwrap.wrap(text, width) if width else [text]
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def colour_map(values) -> dict[str, str]:
    """Stable colours: the same value keeps its colour whatever the filter shows."""
    return {v: PALETTE[i % len(PALETTE)] for i, v in enumerate(sorted(set(values)))}


def number(n) -> str:
    return "" if n is None or pd.isna(n) else f"{int(n):,}"


def _f32(values) -> np.ndarray:
    # Missing values (NA in nullable columns) become NaN, which plotly leaves undrawn.
    return pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy(
        dtype=np.float32, na_value=np.nan)


def _figure(traces: list[dict], layout: dict, title: str, source: str, height: int = 460, wrap: int = 60,
            axis_room: int = 52) -> go.Figure:
    """Assemble a figure; title and source line live inside it, so a downloaded PNG carries them.

    Traces and layout are plain dicts built here from known-good keys, so plotly's per-property
    validation (most of a figure's build time) is skipped."""
    source_lines = len(textwrap.wrap(source, wrap)) or 1
    # "Headline, span": the span goes on a second line, so titles stay short enough for a phone.
    headline, _, span = title.partition(", ")
    base = {
        "title": {"text": safe(headline, wrap), "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
                  "font": {"size": 16}, "subtitle": {"text": safe(span, wrap), "font": {"size": 12}}},
        "font": {"family": FONT, "size": 13, "color": "#1f2328"},
        "height": height, "margin": {"l": 60, "r": 20, "t": 90, "b": axis_room + 10 + 15 * source_lines},
        "plot_bgcolor": "white", "paper_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom", "font": {"size": 12}},
        "hoverlabel": {"align": "left"},
        # Pinned below the plot in pixels, so it never overlaps the axis or the legend.
        "annotations": list(layout.pop("annotations", [])) + [{
            "text": safe(source, wrap), "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -axis_room,
            "xshift": -50,  # into the left margin: on a phone the plot area alone is too narrow for the line
            "showarrow": False, "xanchor": "left", "yanchor": "top", "align": "left",
            "font": {"size": 11, "color": "#57606a"}}],
    }
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(base.get(key), dict) and isinstance(value, dict) else value
    return go.Figure({"data": traces, "layout": base}, _validate=False)


def trend_figure(trend: pd.DataFrame, meetings: pd.DataFrame, *, measure: str, freq: str, title: str,
                 source: str, colours: dict[str, str] | None = None) -> go.Figure:
    """Bars of one measure per period (stacked by group when the frame has groups) over a lane of meetings."""
    label = MEASURE_LABEL[measure]
    traces = []
    for group, rows in trend.groupby("group", dropna=False, sort=True):
        name = safe(group)
        traces.append({
            "type": "bar", "x": rows["period"].to_numpy(), "y": _f32(rows[measure]), "name": name,
            "marker": {"color": (colours or {}).get(str(group), PALETTE[0])}, "xperiod": PERIOD_MS[freq],
            "xperiodalignment": "middle", "xaxis": "x", "yaxis": "y",
            "hovertemplate": f"%{{x|%d %b %Y}}: %{{y:,}} {label.lower()}<extra>{name}</extra>",
        })
    traces.append(meetings_lane(meetings))
    layout = {
        "barmode": "stack", "bargap": 0.15, "showlegend": bool(trend["group"].nunique() > 1),
        "xaxis": {"anchor": "y2", "showgrid": False, "type": "date"},
        "yaxis": {"domain": [0.24, 1.0], "title": {"text": label}, "gridcolor": GRID, "rangemode": "tozero",
                  "anchor": "x"},
        "yaxis2": {"domain": [0.0, 0.19], "title": {"text": "Talks"}, "showgrid": False, "anchor": "x",
                   "tickfont": {"size": 11}, "type": "category"},
    }
    return _figure(traces, layout, title, source, height=520)


def meetings_lane(meetings: pd.DataFrame) -> dict:
    """Diamonds on one row per kind of meeting; hover shows title, dates, parties, summary and source."""
    when = meetings["date"].dt.strftime("%d %b %Y")
    until = meetings["end_date"].dt.strftime("%d %b %Y").fillna("")
    dates = [w if not u or u == w else f"{w} to {u}" for w, u in zip(when, until)]
    custom = np.array([
        [safe(t), d, safe(p, 70), safe(s, 70), safe(src)]
        for t, d, p, s, src in zip(meetings["title"], dates, meetings["parties"], meetings["summary"],
                                   meetings["source"])
    ], dtype=object).reshape(-1, 5)
    return {
        "type": "scatter", "x": meetings["date"].to_numpy(), "y": meetings["kind"].to_numpy(dtype=object),
        "mode": "markers", "name": "Talks and milestones", "xaxis": "x", "yaxis": "y2",
        "marker": {"symbol": "diamond", "size": 11, "color": "#D55E00", "line": {"width": 1, "color": "white"}},
        "customdata": custom, "showlegend": False,
        "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Parties: %{customdata[2]}"
                          "<br>%{customdata[3]}<br><i>Source: %{customdata[4]}</i><extra></extra>"),
    }


def period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return str(start.year)
    if start.month == 1 and start.day == 1 and end.month == 6 and end.day == 30 and start.year == end.year:
        return f"Jan-Jun {start.year}"
    return f"{start:%d %b %Y} to {end:%d %b %Y}"


def qualified(n, qualifier: str) -> str:
    if n is None or pd.isna(n):
        return ""
    return number(n) if qualifier == "exact" else f"{qualifier} {number(n)}"


def casualties_figure(rows: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Reported casualty totals per period as grouped bars, each labelled with its qualifier."""
    labels = [period_label(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    traces = []
    for col, name, colour in (("killed", "Killed", PALETTE[0]), ("injured", "Injured", PALETTE[1]),
                              ("killed_or_injured", "Killed or injured", PALETTE[2])):
        if rows[col].notna().any():
            texts = [qualified(n, q) for n, q in zip(rows[col], rows["qualifier"])]
            traces.append({
                "type": "bar", "x": labels, "y": _f32(rows[col]), "name": name, "marker": {"color": colour},
                "text": texts, "textposition": "outside", "textfont": {"size": 10}, "cliponaxis": False,
                "customdata": np.array([[t, safe(r)] for t, r in zip(texts, rows["reporter"])], dtype=object),
                "hovertemplate": f"%{{x}}: %{{customdata[0]}} {name.lower()}<br>Reported by %{{customdata[1]}}"
                                 "<extra></extra>",
            })
    layout = {"barmode": "group", "bargap": 0.2, "yaxis": {"gridcolor": GRID, "rangemode": "tozero"},
              "xaxis": {"type": "category"}}
    return _figure(traces, layout, title, source)


def breakdown_figure(rows: pd.DataFrame, *, by: str, measure: str, title: str, source: str,
                     top: int = 12) -> go.Figure:
    """Horizontal bars of one measure per value, largest on top."""
    # Largest first, ties in the order given (as nlargest keeps them), then reversed: horizontal bars draw bottom-up.
    order = np.argsort(-rows[measure].to_numpy(dtype="int64"), kind="stable")[:top]
    shown = rows.iloc[order[::-1]]
    trace = {
        "type": "bar", "orientation": "h", "x": _f32(shown[measure]), "y": [safe(v) for v in shown[by]],
        "marker": {"color": PALETTE[0]}, "text": [number(v) for v in shown[measure]], "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": f"%{{y}}: %{{x:,}} {MEASURE_LABEL[measure].lower()}<extra></extra>",
    }
    layout = {"showlegend": False, "margin": {"r": 40},
              "xaxis": {"gridcolor": GRID, "title": {"text": MEASURE_LABEL[measure]}, "rangemode": "tozero"},
              "yaxis": {"type": "category"}}
    return _figure([trace], layout, title, source, height=max(280, 28 * len(shown) + 170), wrap=48)


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
    from .boundaries import bounds, label_point, outline

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
            "textposition": "middle center", "textfont": {"size": 9, "color": "#1f2328"},
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
    """'12 Aug 2018, place, province: killed 5, wounded not reported' per event (with the basis of the
    perpetrator's naming and the source where there is room); every data value is escaped.
    Dates and tolls repeat across thousands of points, so each distinct one is formatted once."""
    days = rows["date"].to_numpy(dtype="datetime64[D]").astype("int64").tolist()
    # Blank cells become None first: NaN never equals itself, so it would defeat the memo.
    place = [_place(*(x if isinstance(x, str) else None for x in pair))
             for pair in zip(rows["location"].tolist(), rows["province"].tolist())]
    killed, wounded = ([None if pd.isna(n) else int(n) for n in rows[col].tolist()] for col in ("killed", "wounded"))
    text = [f"{_day(d)}, {p}: killed {_toll(k)}, wounded {_toll(w)}" for d, p, k, w in zip(days, place, killed, wounded)]
    if with_source:
        basis = rows["perpetrator_basis"].tolist() if "perpetrator_basis" in rows else [None] * len(rows)
        text = [f"{t}<br>Responsibility: {safe(b)}<br><i>Source: {safe(src)}</i>" if isinstance(b, str) else
                f"{t}<br><i>Source: {safe(src)}</i>" for t, b, src in zip(text, basis, rows["source"].tolist())]
    return pd.Series(text, index=rows.index, dtype=object)


@functools.lru_cache(maxsize=8192)
def _day(days_since_1970: int) -> str:
    return f"{EPOCH + dt.timedelta(days=days_since_1970):%d %b %Y}"


@functools.lru_cache(maxsize=8192)
def _place(location: str | None, province: str | None) -> str:
    return ", ".join(safe(x) for x in (location, province) if x)


@functools.lru_cache(maxsize=4096)
def _toll(n: int | None) -> str:
    return number(n) or "not reported"


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


def event_time_figure(curve: pd.DataFrame, *, window: int, n: int, title: str, source: str) -> go.Figure:
    """Mean attacks per day around the meetings, over the band the same mean takes at random dates."""
    days = curve["day"].to_numpy()
    traces = [
        {"type": "scatter", "x": days, "y": _f32(curve["placebo_high"]), "mode": "lines", "line": {"width": 0},
         "hoverinfo": "skip", "showlegend": False},
        {"type": "scatter", "x": days, "y": _f32(curve["placebo_low"]), "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": "rgba(153,153,153,0.3)", "name": "95% of random dates",
         "hoverinfo": "skip"},
        {"type": "scatter", "x": days, "y": _f32(curve["mean_attacks"]), "mode": "lines+markers",
         "name": f"{n} meetings", "line": {"color": PALETTE[0], "width": 2}, "marker": {"size": 5},
         "hovertemplate": "Day %{x}: %{y:.2f} attacks per day on average<extra></extra>"},
    ]
    layout = {
        "shapes": [{"type": "line", "x0": 0, "x1": 0, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
                    "line": {"color": "#D55E00", "dash": "dot"}}],
        "annotations": [{"x": 0, "y": 1, "yref": "paper", "text": "meeting", "showarrow": False,
                         "yanchor": "bottom", "font": {"color": "#D55E00", "size": 11}}],
        "xaxis": {"title": {"text": f"Days before the meeting starts (-{window}..-1) and after it ends "
                                    f"(1..{window})"}, "zeroline": False},
        "yaxis": {"title": {"text": "Attacks per day (mean)"}, "gridcolor": GRID, "rangemode": "tozero"},
    }
    return _figure(traces, layout, title, source, height=440)


def comparison_figure(rows: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """The view beside the previous period and the same period a year earlier."""
    # A period with no data is labelled so, not drawn as a zero bar; a partly covered one says so too.
    notes = rows["note"] if "note" in rows else pd.Series([None] * len(rows))
    labels = [f"{p}<br>{s:%d %b %Y} to {e:%d %b %Y}" + (f"<br><i>{safe(n, 40)}</i>" if isinstance(n, str) else "")
              for p, s, e, n in zip(rows["period"], rows["start"], rows["end"], notes)]
    traces = [{"type": "bar", "x": labels, "y": _f32(rows[col]), "name": MEASURE_LABEL[col],
               "marker": {"color": colour}, "text": [number(v) for v in rows[col]], "textposition": "outside",
               "cliponaxis": False, "hovertemplate": "%{y:,}<extra>" + MEASURE_LABEL[col] + "</extra>"}
              for col, colour in (("attacks", PALETTE[0]), ("killed", PALETTE[1]), ("wounded", PALETTE[2]))]
    layout = {"barmode": "group", "yaxis": {"gridcolor": GRID, "rangemode": "tozero"}}
    return _figure(traces, layout, title, source, height=440, axis_room=70)


def ceasefire_figure(card: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Attacks during each ceasefire against the count expected from the weeks before, with its interval."""
    labels = [f"{t}<br>{s:%d %b %Y}" for t, s in zip(card["title"].map(lambda v: safe(v, 28)), card["start"])]
    traces = [
        {"type": "scatter", "x": labels, "y": _f32(card["expected"]), "mode": "markers",
         "name": "Expected from the 4 weeks before",
         "marker": {"symbol": "line-ew-open", "size": 26, "color": "#57606a", "line": {"width": 3}},
         "error_y": {"type": "data", "symmetric": False, "array": _f32(card["expected_high"] - card["expected"]),
                     "arrayminus": _f32(card["expected"] - card["expected_low"]), "color": "#57606a"},
         "hovertemplate": "Expected %{y:.1f}<extra></extra>"},
        {"type": "scatter", "x": labels, "y": _f32(card["attacks_during"]), "mode": "markers",
         "name": "Recorded during the ceasefire", "marker": {"size": 12, "color": PALETTE[5], "symbol": "circle"},
         "hovertemplate": "Recorded %{y}<extra></extra>"},
    ]
    layout = {"yaxis": {"title": {"text": "Attacks"}, "gridcolor": GRID, "rangemode": "tozero"}}
    return _figure(traces, layout, title, source, height=460, axis_room=84)


def reported_figure(series, notable: pd.DataFrame, meetings: pd.DataFrame, *, title: str, source: str,
                    gaps: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> go.Figure:
    """A reported series as published: each period a level line spanning exactly its dates (never re-binned),
    gaps left empty and named; beneath it the notable attacks as marks and the talks as diamonds."""
    rows = series.rows
    texts = [f"{_span_text(s, e)}" for s, e in zip(rows["period_start"], rows["period_end"])]
    traces = []
    columns = (("killed", "Killed", PALETTE[0]), ("injured", "Injured", PALETTE[1])) if series.casualties \
        else (("value", safe(series.measure.capitalize()), PALETTE[0]),)
    for col, name, colour in columns:
        shown = rows[col].notna()
        if not shown.any():
            continue
        xs, ys = [], []
        for s, e, v in zip(rows["period_start"][shown], rows["period_end"][shown], rows[col][shown]):
            # The line runs to the end of the period's last day.
            xs += [s, e + pd.Timedelta(days=1), None]
            ys += [float(v), float(v), None]
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name,
                       "line": {"color": colour, "width": 4}, "hoverinfo": "skip", "xaxis": "x", "yaxis": "y",
                       "legendgroup": name})
        mids = [s + (e - s) / 2 for s, e in zip(rows["period_start"][shown], rows["period_end"][shown])]
        figures_text = [qualified(v, q) for v, q in zip(rows[col][shown], rows["qualifier"][shown])]
        custom = np.array([[t, f, safe(src, 60)] for t, f, src in zip(
            [x for x, k in zip(texts, shown) if k], figures_text, rows["source"][shown])], dtype=object)
        traces.append({"type": "scatter", "x": mids, "y": _f32(rows[col][shown]), "mode": "markers",
                       "name": name, "showlegend": False, "legendgroup": name, "xaxis": "x", "yaxis": "y",
                       "marker": {"color": colour, "size": 7, "symbol": "line-ns-open", "line": {"width": 2}},
                       "customdata": custom,
                       "hovertemplate": f"<b>%{{customdata[1]}}</b> {name.lower()}<br>%{{customdata[0]}}"
                                        "<br><i>%{customdata[2]}</i><extra></extra>"})
    traces.append(notable_lane(notable))
    traces.append({**meetings_lane(meetings), "yaxis": "y2"})
    label = "Civilians" if series.casualties else safe(series.measure.capitalize())
    shapes, notes = [], []
    for g0, g1 in gaps:
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": g0, "x1": g1 + dt.timedelta(days=1),
                       "y0": 0, "y1": 1, "fillcolor": "rgba(140,149,159,0.12)", "line": {"width": 0}})
        notes.append({"x": g0 + (g1 - g0) / 2, "xref": "x", "y": 1, "yref": "y domain", "yanchor": "top",
                      "text": "no figure<br>published", "showarrow": False,
                      "font": {"size": 10, "color": "#57606a"}})
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if not ((rows["period_end"] >= lo) & (rows["period_start"] <= hi)).any():
        notes.append({"x": 0.5, "xref": "paper", "y": 0.5, "yref": "y domain", "showarrow": False,
                      "text": "no figure published for a period in this range", "font": {"color": "#57606a"}})
    layout = {
        "shapes": shapes, "annotations": notes, "showlegend": len(columns) > 1,
        "xaxis": {"anchor": "y2", "showgrid": False, "type": "date",
                  "range": [pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)]},
        "yaxis": {"domain": [0.40, 1.0], "title": {"text": label}, "gridcolor": GRID, "rangemode": "tozero",
                  "anchor": "x"},
        "yaxis3": {"domain": [0.25, 0.33], "showgrid": False, "anchor": "x", "tickfont": {"size": 11},
                   "type": "category"},
        "yaxis2": {"domain": [0.0, 0.19], "title": {"text": "Talks"}, "showgrid": False, "anchor": "x",
                   "tickfont": {"size": 11}, "type": "category"},
    }
    return _figure(traces, layout, title, source, height=560)


def _span_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    return f"{start:%d %b %Y} to {end:%d %b %Y}"


def notable_lane(events: pd.DataFrame) -> dict:
    """The notable attacks as marks on one row, sized by reported deaths; hover: date, place, toll, perpetrator
    and the basis of its naming, and the report."""
    killed = _f32(events["killed"]) if len(events) else np.array([], dtype=np.float32)
    # Area grows with deaths, capped so one battle's toll does not cover a month of marks.
    sizes = np.round(5 + 2.2 * np.sqrt(np.minimum(np.nan_to_num(killed, nan=0.0), 150)), 1)
    rows = events.reset_index(drop=True)
    basis = rows["perpetrator_basis"] if "perpetrator_basis" in rows else pd.Series([None] * len(rows))
    text = [f"<b>{d:%d %b %Y}</b>, {_place(*(x if isinstance(x, str) else None for x in (loc, prov)))}"
            f"<br>Killed {_toll(None if pd.isna(k) else int(k))}, wounded {_toll(None if pd.isna(w) else int(w))}"
            f"<br>{safe(p)}" + (f" ({safe(b)})" if isinstance(b, str) else "")
            + f"<br><i>{safe(src)}</i><br>{safe(url)}"
            for d, loc, prov, k, w, p, b, src, url in zip(
                rows["date"], rows["location"], rows["province"], rows["killed"], rows["wounded"],
                rows["perpetrator"], basis, rows["source"], rows["source_url"])]
    return {"type": "scatter", "x": rows["date"].to_numpy(), "y": ["Notable attacks"] * len(rows),
            "mode": "markers", "name": "Notable attacks", "xaxis": "x", "yaxis": "y3", "showlegend": False,
            "marker": {"size": sizes, "color": "rgba(213,94,0,0.45)", "line": {"color": "#D55E00", "width": 1}},
            "hovertext": text, "hoverinfo": "text"}


def alerts_figure(rows: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Per province, recent events beside the count the baseline predicts; flagged provinces in red."""
    shown = rows.iloc[::-1]
    names = [safe(p) for p in shown["province"]]
    colours = ["#D55E00" if f else PALETTE[0] for f in shown["flagged"]]
    traces = [
        {"type": "bar", "orientation": "h", "y": names, "x": _f32(shown["recent"]), "name": "Recent events",
         "marker": {"color": colours}, "hovertemplate": "%{y}: %{x:,} recent events<extra></extra>"},
        {"type": "scatter", "mode": "markers", "y": names, "x": _f32(shown["expected"]), "name": "Expected",
         "marker": {"symbol": "line-ns-open", "size": 18, "color": "#1f2328", "line": {"width": 3}},
         "hovertemplate": "%{y}: %{x:.1f} expected<extra></extra>"},
    ]
    layout = {"xaxis": {"gridcolor": GRID, "rangemode": "tozero", "title": {"text": "Events"}},
              "yaxis": {"type": "category"}}
    return _figure(traces, layout, title, source, height=max(300, 28 * len(shown) + 170), wrap=60)


def sources_figure(table: pd.DataFrame, meetings: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """One line per reporter and measure (and period length) on the date axis, log scale, talks beneath."""
    from .reported import period_kind

    from .reported import YEAR as YEAR_KIND
    from .sources import headline_measures

    traces = []
    frame = headline_measures(table)
    frame = frame.assign(start=pd.to_datetime(frame["period_start"]), end=pd.to_datetime(frame["period_end"]))
    frame["kind"] = [period_kind(s, e) for s, e in zip(frame["start"], frame["end"])]
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2
    for i, ((reporter, measure, kind), rows) in enumerate(frame.groupby(["reporter", "measure", "kind"], sort=True)):
        rows = rows.sort_values("mid")
        # Wrapped, so the legend fits a phone's width.
        name = safe(f"{reporter}: {measure}" + ("" if kind == YEAR_KIND else f" ({kind})"), 38)
        traces.append({"type": "scatter", "mode": "lines+markers", "x": rows["mid"].to_numpy(),
                       "y": _f32(rows["value"]), "name": name, "xaxis": "x", "yaxis": "y",
                       "line": {"color": PALETTE[i % len(PALETTE)], "width": 2}, "marker": {"size": 6},
                       "customdata": np.array([safe(p) for p in rows["period"]], dtype=object),
                       "hovertemplate": "%{customdata}: %{y:,}<extra>" + name.replace("<br>", " ") + "</extra>"})
    traces.append(meetings_lane(meetings))
    layout = {"xaxis": {"anchor": "y2", "type": "date", "showgrid": False},
              "yaxis": {"domain": [0.26, 1.0], "type": "log", "dtick": 1, "gridcolor": GRID, "anchor": "x",
                        "title": {"text": "As published (log scale)"}},
              # The legend (one line per reporter) sits between the title and the plot.
              "margin": {"t": 90 + 34 * len(traces)}, "legend": {"y": 1.02}, 
              "yaxis2": {"domain": [0.0, 0.19], "title": {"text": "Talks"}, "showgrid": False, "anchor": "x",
                         "tickfont": {"size": 11}, "type": "category"}}
    return _figure(traces, layout, title, source, height=600)
