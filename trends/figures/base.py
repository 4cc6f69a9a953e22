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
from plotly.colors import make_colorscale, sequential

from trends import eras
from trends.contract.fields import PERIODS
from trends.wording import number, qualified

# Okabe-Ito: distinguishable for the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")
# Light to dark, as an explicit list: plotly.js reads the name "Blues" the other way round, so shapes shaded
# here and the colour bar drawn by the browser would disagree.
SEQUENTIAL = make_colorscale(sequential.Blues)
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
    mark_takeover(traces, base)
    return go.Figure({"data": traces, "layout": base}, _validate=False)


TAKEOVER = pd.Timestamp(eras.TAKEOVER)
TAKEOVER_LABEL = "Taliban takeover, 15 Aug 2021"


def _date_extent(traces: list[dict], layout: dict, axis: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day a date axis shows: its fixed range, or the span of the traces drawn on it."""
    fixed = layout[axis].get("range")
    if fixed:
        return pd.Timestamp(fixed[0]), pd.Timestamp(fixed[1])
    ref = "x" + axis[len("xaxis"):]
    days = [pd.to_datetime(pd.Series(t["x"], dtype="object"), errors="coerce") for t in traces
            if t.get("xaxis", "x") == ref and t.get("x") is not None and len(t["x"])]
    found = pd.concat(days).dropna() if days else pd.Series([], dtype="datetime64[ns]")
    return (found.min(), found.max()) if len(found) else None


def mark_takeover(traces: list[dict], layout: dict) -> None:
    """A line and a label at 15 August 2021 on every date axis whose span holds that day, so a reader always sees
    which side of the takeover a figure stands on. Outside the span nothing is added (it would stretch the axis).
    Where a figure stacks panels with their own date axes, each line stays inside its own panel."""
    dated = [k for k, v in layout.items() if k.startswith("xaxis") and isinstance(v, dict) and v.get("type") == "date"]
    for axis in dated:
        extent = _date_extent(traces, layout, axis)
        if extent is None or not extent[0] <= TAKEOVER <= extent[1]:
            continue
        ref = "x" + axis[len("xaxis"):]
        yref = "paper" if len(dated) == 1 else f"{layout[axis].get('anchor', 'y')} domain"
        layout["shapes"] = [*layout.get("shapes", []), {
            "type": "line", "xref": ref, "yref": yref, "x0": TAKEOVER, "x1": TAKEOVER, "y0": 0, "y1": 1,
            "line": {"color": "#57606a", "width": 1, "dash": "dot"}}]
        layout["annotations"] = [*layout["annotations"], {
            "text": TAKEOVER_LABEL, "xref": ref, "yref": yref, "x": TAKEOVER, "y": 1, "yanchor": "top",
            "xanchor": "right", "textangle": -90, "showarrow": False, "font": {"size": 10, "color": "#57606a"}}]


def trend_figure(trend: pd.DataFrame, meetings: pd.DataFrame, *, measure: str, freq: str, title: str,
                 source: str, colours: dict[str, str] | None = None) -> go.Figure:
    """Bars of one measure per period (stacked by group when the frame has groups) over a lane of meetings."""
    label = MEASURE_LABEL[measure]
    traces = []
    for group, rows in trend.groupby("group", dropna=False, sort=True):
        name = safe(group)
        traces.append({
            "type": "bar", "x": rows["period"].to_numpy(), "y": _f32(rows[measure]), "name": name,
            "marker": {"color": (colours or {}).get(str(group), PALETTE[0])}, "xperiod": PERIODS[freq].plotly,
            "xperiodalignment": "middle", "xaxis": "x", "yaxis": "y",
            "hovertemplate": f"%{{x|%d %b %Y}}: %{{y:,}} {label.lower()}<extra>{name}</extra>",
        })
    traces.append(meetings_lane(meetings))
    layout = {
        "barmode": "stack", "bargap": 0.15, "showlegend": bool(trend["group"].nunique() > 1),
        "xaxis": {"anchor": "y2", "showgrid": False, "type": "date"},
        "yaxis": {"domain": [0.24, 1.0], "title": {"text": label}, "gridcolor": GRID, "rangemode": "tozero",
                  "anchor": "x"},
        "yaxis2": lane_axis(meetings),
    }
    return _figure(traces, layout, title, source, height=520 + lane_room(meetings))


def lane_room(meetings: pd.DataFrame) -> int:
    """Pixels a figure grows by so that each kind of meeting beyond three keeps a readable row in its lane."""
    return 24 * max(0, meetings["kind"].nunique() - 3)


def lane_axis(meetings: pd.DataFrame, domain: tuple[float, float] = (0.0, 0.19)) -> dict:
    """The meetings lane's axis: every kind present gets its row and its name (Plotly would skip some names on
    a short axis), in a fixed order."""
    kinds = sorted(meetings["kind"].dropna().unique())
    return {"domain": list(domain), "title": {"text": "Talks"}, "showgrid": False, "anchor": "x",
            "tickfont": {"size": 10}, "type": "category", "tickmode": "array", "tickvals": kinds,
            "categoryorder": "array", "categoryarray": kinds}


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


def casualties_figure(rows: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Reported casualty totals as grouped bars, one panel per shape of period (`rows["kind"]`: years, first
    halves, quarters...), so that periods of different lengths never stand on one axis as if they were one series.
    Each bar is labelled with its qualifier; `rows["label"]` names its period."""
    kinds = list(dict.fromkeys(rows["kind"]))
    # The panels start below the legend, which sits on the plot's top edge.
    gap, n, first_top = 0.09, max(len(kinds), 1), 0.93
    height = (first_top - gap * (n - 1)) / n
    traces, layout, notes = [], {"barmode": "group", "bargap": 0.2}, []
    for i, kind in enumerate(kinds):
        part = rows[rows["kind"] == kind]
        axis = "" if i == 0 else str(i + 1)
        top = first_top - i * (height + gap)
        layout[f"xaxis{axis}"] = {"type": "category", "anchor": f"y{axis}", "automargin": True,
                                  "tickfont": {"size": 11}}
        layout[f"yaxis{axis}"] = {"domain": [max(top - height, 0), top], "anchor": f"x{axis}", "gridcolor": GRID,
                                  "rangemode": "tozero", "tickformat": "~s"}
        notes.append({"text": safe(upper_first_kind(kind)), "xref": "paper", "yref": "paper", "x": 0, "y": top,
                      "yanchor": "bottom", "xanchor": "left", "showarrow": False, "font": {"size": 12}})
        for col, name, colour in (("killed", "Killed", PALETTE[0]), ("injured", "Injured", PALETTE[1]),
                                  ("killed_or_injured", "Killed or injured", PALETTE[2])):
            # A stated total beside its parts would only repeat them: drawn where no split was given.
            values = part[col].where(part[["killed", "injured"]].isna().all(axis=1)) if col == "killed_or_injured" \
                else part[col]
            if values.notna().any():
                texts = [qualified(v, q) for v, q in zip(values, part["qualifier"])]
                traces.append({
                    "type": "bar", "x": list(part["label"]), "y": _f32(values), "name": name,
                    "marker": {"color": colour}, "legendgroup": name, "showlegend": i == 0 or name not in {
                        t["name"] for t in traces}, "xaxis": f"x{axis}", "yaxis": f"y{axis}",
                    "text": texts, "textposition": "outside", "textfont": {"size": 10}, "cliponaxis": False,
                    "customdata": np.array([[t, safe(r)] for t, r in zip(texts, part["reporter"])], dtype=object),
                    "hovertemplate": f"%{{x}}: %{{customdata[0]}} {name.lower()}<br>Reported by %{{customdata[1]}}"
                                     "<extra></extra>",
                })
    layout["annotations"] = notes
    return _figure(traces, layout, title, source, height=150 + 230 * n)


def upper_first_kind(kind: str) -> str:
    """A panel's heading: the shape of its periods ("Per year", "First half of each year")."""
    return kind[:1].upper() + kind[1:]


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


@functools.lru_cache(maxsize=8192)
def _day(days_since_1970: int) -> str:
    return f"{EPOCH + dt.timedelta(days=days_since_1970):%d %b %Y}"


@functools.lru_cache(maxsize=8192)
def _place(location: str | None, province: str | None) -> str:
    return ", ".join(safe(x) for x in (location, province) if x)


@functools.lru_cache(maxsize=4096)
def _toll(n: int | None) -> str:
    return number(n) or "not reported"


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
