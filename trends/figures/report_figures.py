"""Figures of the authorities' reported totals, every reporter side by side, and the surge alerts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from trends.figures.base import (GRID, PALETTE, _f32, _figure, _place, _toll, lane_axis, lane_room, meetings_lane, safe)
from trends.periods import YEAR as YEAR_KIND, period_kind, period_text
from trends.analysis.reported import ALL_DEATHS
from trends.wording import qualified


def reported_figure(series, notable: pd.DataFrame, meetings: pd.DataFrame, *, title: str, source: str,
                    gaps: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> go.Figure:
    """A reported series as published: each period a level line spanning exactly its dates (never re-binned),
    gaps left empty and named; beneath it the notable attacks as marks and the talks as diamonds."""
    rows = series.rows
    texts = [period_text(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
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
    if series.casualties and rows["killed_low"].notna().any():
        traces.insert(0, _range_band(rows))
    traces.append(notable_lane(notable))
    traces.append({**meetings_lane(meetings), "yaxis": "y2"})
    label = safe(series.measure.capitalize()) if not series.casualties or series.measure == ALL_DEATHS \
        else "Civilians"
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
        # The range band is named in the chart's note, not the legend: on a phone a second legend row would run
        # into the subtitle.
        "shapes": shapes, "annotations": notes, "showlegend": len(columns) > 1,
        "xaxis": {"anchor": "y2", "showgrid": False, "type": "date",
                  "range": [pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)]},
        "yaxis": {"domain": [0.40, 1.0], "title": {"text": label}, "gridcolor": GRID, "rangemode": "tozero",
                  "anchor": "x"},
        "yaxis3": {"domain": [0.25, 0.33], "showgrid": False, "anchor": "x", "tickfont": {"size": 11},
                   "type": "category"},
        "yaxis2": lane_axis(meetings),
    }
    return _figure(traces, layout, title, source, height=560 + lane_room(meetings))


RANGE_BAND = "Low to high estimate"


def _range_band(rows: pd.DataFrame) -> dict:
    """The published low-to-high range of each period's estimate, as a pale box behind its level line."""
    xs, ys = [], []
    for s, e, lo, hi in zip(rows["period_start"], rows["period_end"], rows["killed_low"], rows["killed_high"]):
        if pd.isna(lo) or pd.isna(hi):
            continue
        end = e + pd.Timedelta(days=1)
        xs += [s, end, end, s, s, None]
        ys += [float(lo), float(lo), float(hi), float(hi), float(lo), None]
    return {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself", "name": RANGE_BAND,
            "showlegend": False,
            "fillcolor": "rgba(0,114,178,0.15)", "line": {"width": 0}, "hoverinfo": "skip", "xaxis": "x",
            "yaxis": "y"}


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

    from trends.analysis.sources import headline_measures

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
              "yaxis2": lane_axis(meetings)}
    return _figure(traces, layout, title, source, height=600 + lane_room(meetings))


def before_after_figure(levels: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """One panel per reporter: each published period a level line at its figure per month, coloured by measure,
    so the war's level and the level since the takeover stand side by side on one time axis."""
    reporters = list(dict.fromkeys(levels["reporter"]))
    gap, n, first_top = 0.12, max(len(reporters), 1), 0.93
    height = (first_top - gap * (n - 1)) / n
    measures = list(dict.fromkeys(levels["measure"]))
    colours = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(measures)}
    traces, layout, notes = [], {}, []
    # One time span for every panel, so a year stands at the same place in each.
    span = [levels["period_start"].min(), levels["period_end"].max() + pd.Timedelta(days=1)]
    for i, reporter in enumerate(reporters):
        axis = "" if i == 0 else str(i + 1)
        top = first_top - i * (height + gap)
        part = levels[levels["reporter"] == reporter]
        layout[f"xaxis{axis}"] = {"type": "date", "anchor": f"y{axis}", "showgrid": False, "range": span}
        layout[f"yaxis{axis}"] = {"domain": [max(top - height, 0), top], "anchor": f"x{axis}", "gridcolor": GRID,
                                  "rangemode": "tozero", "tickformat": "~s", "title": {"text": "per month"}}
        notes.append({"text": safe(reporter), "xref": "paper", "yref": "paper", "x": 0, "y": top,
                      "yanchor": "bottom", "xanchor": "left", "showarrow": False, "font": {"size": 12}})
        for measure, rows in part.groupby("measure", sort=False):
            xs, ys = [], []
            for s, e, v in zip(rows["period_start"], rows["period_end"], rows["per_month"]):
                xs += [s, e + pd.Timedelta(days=1), None]
                ys += [float(v), float(v), None]
            name = safe(measure.capitalize())
            traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": name,
                           "legendgroup": name, "showlegend": name not in {t["name"] for t in traces},
                           "line": {"color": colours[measure], "width": 4}, "hoverinfo": "skip",
                           "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
            mids = [s + (e - s) / 2 for s, e in zip(rows["period_start"], rows["period_end"])]
            custom = np.array([[safe(p), qualified(f, q), f"{m:,.0f}"] for p, f, q, m in zip(
                rows["period"], rows["figure"], rows["qualifier"], rows["per_month"])], dtype=object)
            traces.append({"type": "scatter", "mode": "markers", "x": mids, "y": _f32(rows["per_month"]),
                           "name": name, "legendgroup": name, "showlegend": False, "xaxis": f"x{axis}",
                           "yaxis": f"y{axis}", "customdata": custom,
                           "marker": {"color": colours[measure], "size": 7, "symbol": "line-ns-open",
                                      "line": {"width": 2}},
                           "hovertemplate": f"<b>{name}</b><br>%{{customdata[0]}}: %{{customdata[1]}}"
                                            "<br>%{customdata[2]} a month<extra></extra>"})
    layout["annotations"] = notes
    layout["showlegend"] = True
    # Room above the panels for a legend of up to six measures, which wraps to several rows on a phone.
    layout["margin"] = {"t": 90 + 22 * ((len(measures) + 1) // 2)}
    return _figure(traces, layout, title, source, height=240 + 260 * n)
