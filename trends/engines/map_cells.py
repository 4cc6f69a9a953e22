"""What the map draws beside the provinces: event points while they are few, else counts in grid cells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trends.filters import FilterSpec

# Above this many located events the map shows aggregated cells: 10,000 lean points stay under 1 MB of JSON.
POINT_LIMIT = 10_000
POINT_COLUMNS = ["date", "end_date", "location", "province", "latitude", "longitude", "killed", "wounded",
                 "perpetrator", "perpetrator_basis", "toll_date", "report", "source"]


@dataclass(frozen=True)
class MapLayer:
    """The events layer a map needs: "points" (with the located count already known) or "grid" cells."""

    kind: str
    located: int = 0
    cell: float = 0.0


def map_layer(provinces: pd.DataFrame, located: int, show: str, street: bool) -> MapLayer | None:
    """Points while they are few (or on the street map, which has no province shapes), cells when there are
    many, nothing when only the provinces are shown."""
    if (show != "Provinces" or street) and located <= POINT_LIMIT:
        return MapLayer("points", located=located)
    if show == "Provinces":
        return None
    # Cells sized to the gazetteer's extent (every province is drawn, with or without events).
    lat, lon = provinces["latitude"].dropna(), provinces["longitude"].dropna()
    span = max(lat.max() - lat.min(), lon.max() - lon.min(), 1.0) + 4 if len(lat) else 15.0
    return MapLayer("grid", cell=cell_size(span))


def layer_rows(engine, spec: FilterSpec, layer: MapLayer) -> pd.DataFrame | None:
    """The rows of a layer: located events, or cells with their counts."""
    if layer.kind == "points":
        return points(engine, spec, located=layer.located)
    return engine.grid(spec, layer.cell)


def cell_size(span_deg: float) -> float:
    """Grid cell in degrees: at most about 80 cells across the area, rounded to a readable step."""
    for step in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0):
        if span_deg / step <= 80:
            return step
    return 5.0


def points(engine, spec: FilterSpec, limit: int = POINT_LIMIT, located: int | None = None) -> pd.DataFrame | None:
    """Located events for the map when there are at most `limit` of them, else None (draw cells instead).
    `located`: the count when the caller already has it (the overview's summary), saving a query."""
    if (engine.located(spec) if located is None else located) > limit:
        return None
    rows = engine.events(spec, columns=POINT_COLUMNS)
    return rows.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)


def pandas_grid(rows: pd.DataFrame, cell: float) -> pd.DataFrame:
    """Located events counted per grid cell, each cell named by its centre."""
    rows = rows.dropna(subset=["latitude", "longitude"])
    keys = pd.DataFrame({"latitude": (np.floor(rows["latitude"] / cell) + 0.5) * cell,
                         "longitude": (np.floor(rows["longitude"] / cell) + 0.5) * cell,
                         "killed": rows["killed"]})
    out = keys.groupby(["latitude", "longitude"]).agg(attacks=("killed", "size"), killed=("killed", "sum"))
    return out.reset_index().astype({"attacks": "int64", "killed": "int64"})


def duck_grid_sql(spec: FilterSpec, cell: float, by_month: str) -> tuple[str, list]:
    """Cells in SQL. Whole months come from `by_month`, the per-month cell counts; only the partial months at
    either end (or a view with value filters) scan events."""
    c = float(cell)
    months = whole_months(spec.start, spec.end)
    if months is None or spec.value_filtered:
        where, params = spec.sql_where()
        cells = (f"SELECT floor(latitude / {c}) AS y, floor(longitude / {c}) AS x, 1 AS n, coalesce(killed, 0) "
                 f"AS killed FROM facts WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL")
    else:
        first, last_month, last = months
        cells = (f"SELECT y, x, n, killed FROM {by_month} WHERE month BETWEEN ? AND ? UNION ALL "
                 f"SELECT floor(latitude / {c}), floor(longitude / {c}), 1, coalesce(killed, 0) FROM facts "
                 "WHERE (date >= ? AND date < ? OR date > ? AND date <= ?) AND latitude IS NOT NULL "
                 "AND longitude IS NOT NULL")
        params = [first, last_month, spec.start, first, last, spec.end]
    sql = (f"SELECT CAST((y + 0.5) * {c} AS FLOAT) AS latitude, CAST((x + 0.5) * {c} AS FLOAT) AS longitude, "
           f"sum(n) AS attacks, sum(killed) AS killed FROM ({cells}) GROUP BY ALL ORDER BY latitude, longitude")
    return sql, params


def cells_by_month_sql(name: str, cell: float) -> str:
    return (f"CREATE TABLE {name} AS SELECT date_trunc('month', date)::DATE AS month, floor(latitude / {cell}) AS y, "
            f"floor(longitude / {cell}) AS x, count(*) AS n, coalesce(sum(killed), 0) AS killed FROM facts "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY ALL ORDER BY month")


def whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
    """The calendar months wholly inside [start, end]: first day, last month's first day, last day; or None."""
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = end if (end + dt.timedelta(days=1)).day == 1 else end.replace(day=1) - dt.timedelta(days=1)
    return (first, last.replace(day=1), last) if first <= last else None
