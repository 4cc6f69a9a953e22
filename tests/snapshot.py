"""What every page shows, as plain data: metrics, chart traces and table cells, for before/after comparisons."""

from __future__ import annotations

import hashlib
import json
import math

# Views that exercise each filter field, the period lengths and every lower section of the Overview.
VIEWS = {
    "overview": {},
    "overview-2018": {"start": "2018-08-01", "end": "2018-12-31", "freq": "week"},
    "overview-breakdowns": {"section": "Breakdowns", "freq": "quarter"},
    "overview-casualties": {"section": "Casualties"},
    "overview-alerts": {"section": "Alerts"},
    "overview-taliban": {"perpetrator": "Taliban", "section": "Breakdowns", "freq": "year"},
    "overview-kabul": {"province": "Kabul", "attack_type": ["suicide attack", "IED"]},
    "overview-civilians": {"target": "civilians", "start": "2019-01-01", "end": "2019-12-31",
                           "section": "Breakdowns"},
    "talks": {},
    "talks-week": {"freq": "week", "start": "2019-01-01", "end": "2020-12-31"},
    "events": {"start": "2018-09-01", "end": "2018-10-31"},
    "events-province": {"province": ["Kabul", "Nangarhar"]},
    "sources": {},
}
PAGE_OF = {"talks": "talks", "events": "events", "sources": "sources"}


LONG = 60  # longer lists (coordinates, long tables) are kept as their length and a digest of their contents


def _clean(value):
    """JSON-stable values: floats rounded so that summing in another order cannot change the snapshot."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        if "bdata" in value:  # a binary array: its bytes decide
            return {"dtype": value.get("dtype"), "sha256": hashlib.sha256(value["bdata"].encode()).hexdigest()}
        return {k: _clean(v) for k, v in value.items() if k not in ("uid",)}
    if isinstance(value, list):
        cleaned = [_clean(v) for v in value]
        if len(cleaned) > LONG:
            text = json.dumps(cleaned, sort_keys=True).encode()
            return {"n": len(cleaned), "head": cleaned[:3], "sha256": hashlib.sha256(text).hexdigest()}
        return cleaned
    return value


def _trace(trace: dict) -> dict:
    keys = ("type", "name", "x", "y", "z", "locations", "text", "base", "customdata", "lat", "lon",
            "hovertext", "marker")
    kept = {k: trace[k] for k in keys if k in trace}
    if isinstance(kept.get("marker"), dict):
        kept["marker"] = {k: v for k, v in kept["marker"].items() if k in ("size", "color")}
    return kept


def _chart(spec: str) -> dict:
    figure = json.loads(spec)
    layout = figure.get("layout", {})
    title = layout.get("title", {})
    return {"title": title.get("text") if isinstance(title, dict) else title,
            "traces": [_trace(t) for t in figure.get("data", [])],
            "annotations": [a.get("text") for a in layout.get("annotations", [])]}


def page(at) -> dict:
    """One page's metrics, charts, tables and notices."""
    metrics = [[m.label, m.value, m.proto.body] for m in at.metric]
    charts = {c.key or str(i): _chart(c.proto.spec) for i, c in enumerate(at.get("plotly_chart"))}
    tables = [df.value.astype(str).values.tolist() if hasattr(df.value, "values") else str(df.value)
              for df in at.dataframe]
    notices = [w.value for w in [*at.warning, *at.info, *at.error]]
    return _clean({"metrics": metrics, "charts": charts, "tables": tables, "notices": notices,
                   "exceptions": [e.value for e in at.exception]})
