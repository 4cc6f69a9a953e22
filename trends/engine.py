"""Two query engines behind one interface: pandas for small frames, DuckDB for large Parquet imports."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import queries
from .filters import LIST_PARAMS, Domain, FilterSpec
from .vocab import LATER_ATTACK_COLUMNS
from .queries import ALL, STACKS, Totals

# Above this many located events the map shows aggregated cells: 10,000 lean points stay under 1 MB of JSON.
POINT_LIMIT = 10_000
POINT_COLUMNS = ["date", "location", "province", "latitude", "longitude", "killed", "wounded", "perpetrator",
                 "perpetrator_basis", "source"]
FILTER_COLUMNS = {attr: col for col, attr in LIST_PARAMS.items()}  # FilterSpec field -> column
BREAKDOWNS = ("province", "perpetrator", "attack_type", "target")
FACT_COLUMNS = ("event_id", "date", *BREAKDOWNS, "killed", "wounded", "latitude", "longitude")


@dataclass(frozen=True)
class Summary:
    """Everything the overview draws for one view: totals, trends by each split, breakdowns."""

    totals: Totals
    trend: dict
    breakdown: dict
    located: int = 0


PERIODS = ("week", "month", "quarter", "year")


def _period(freq: str) -> str:
    """SQL for the first day of the event's week, month, quarter or year (weeks start on Monday)."""
    if freq not in PERIODS:
        raise ValueError(freq)
    return f"date_trunc('{freq}', date)::DATE"


def cell_size(span_deg: float) -> float:
    """Grid cell in degrees: at most about 80 cells across the area, rounded to a readable step."""
    for step in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0):
        if span_deg / step <= 80:
            return step
    return 5.0


class PandasEvents:
    """Queries over an in-memory frame (the curated CSV datasets)."""

    name = "pandas"

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        # Aggregates filter only the columns they count, not whole rows of text and sources.
        self.facts = frame[[c for c in FACT_COLUMNS if c in frame]]

    def domain(self, provinces: pd.DataFrame) -> Domain:
        return queries.domain_of(self.facts, provinces)

    def totals(self, spec: FilterSpec) -> Totals:
        return queries.totals(self.facts, spec)

    def trend(self, spec: FilterSpec, by: str | None = None) -> pd.DataFrame:
        return queries.trend(self.facts, spec, by)

    def breakdown(self, spec: FilterSpec, by: str) -> pd.DataFrame:
        return queries.breakdown(self.facts, spec, by)

    def summary(self, spec: FilterSpec, by: str | None = None) -> Summary:
        # Filtered once; each part below then filters only these rows.
        view = PandasEvents(queries.filter_events(self.facts, spec))
        return Summary(view.totals(spec), {split: view.trend(spec, split) for split in {None, by}},
                       {b: view.breakdown(spec, b) for b in BREAKDOWNS}, view.located(spec))

    def province_totals(self, spec: FilterSpec, provinces: pd.DataFrame) -> pd.DataFrame:
        return queries.province_totals(self.facts, provinces, spec)

    def events(self, spec: FilterSpec, limit: int | None = None, deadliest: bool = False,
               columns: list[str] | None = None) -> pd.DataFrame:
        rows = queries.filter_events(self.frame, spec)
        if deadliest:
            rows = rows.assign(_k=rows["killed"].fillna(-1)).sort_values(["_k", "date", "event_id"],
                                                                         ascending=[False, True, True])
            rows = rows.drop(columns="_k")
        else:
            rows = rows.sort_values(["date", "event_id"])
        rows = rows if limit is None else rows.head(limit)
        return (rows if columns is None else rows[columns]).reset_index(drop=True)

    def count(self, spec: FilterSpec) -> int:
        return int(len(queries.filter_events(self.facts, spec)))

    def located(self, spec: FilterSpec) -> int:
        rows = queries.filter_events(self.facts, spec)
        return int(rows[["latitude", "longitude"]].notna().all(axis=1).sum())

    def daily(self, spec: FilterSpec) -> pd.DataFrame:
        rows = queries.filter_events(self.facts, spec)
        grouped = rows.groupby(rows["date"].dt.normalize())
        out = pd.DataFrame({"attacks": grouped.size(), "killed": grouped["killed"].sum()}).astype("int64")
        return out.rename_axis(None)

    def grid(self, spec: FilterSpec, cell: float) -> pd.DataFrame:
        rows = queries.filter_events(self.facts, spec).dropna(subset=["latitude", "longitude"])
        keys = pd.DataFrame({"latitude": (np.floor(rows["latitude"] / cell) + 0.5) * cell,
                             "longitude": (np.floor(rows["longitude"] / cell) + 0.5) * cell,
                             "killed": rows["killed"]})
        out = keys.groupby(["latitude", "longitude"]).agg(attacks=("killed", "size"), killed=("killed", "sum"))
        return out.reset_index().astype({"attacks": "int64", "killed": "int64"})


class DuckEvents:
    """Queries in DuckDB over a Parquet file (or any frame), so only small results reach Python."""

    name = "duckdb"

    def __init__(self, source: Path | pd.DataFrame, threads: int = 2):
        self.con = duckdb.connect(config={"threads": threads})
        self._lock, self._made = threading.Lock(), set()
        if isinstance(source, pd.DataFrame):
            self.con.register("source_frame", source)
            self.con.execute("CREATE TABLE events AS SELECT * FROM source_frame")
            self.con.unregister("source_frame")
        else:
            path = str(Path(source)).replace("'", "''")
            # A folder imported before a column joined the contract reads it as blank.
            names = {r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
            later = "".join(f", NULL::VARCHAR AS {c}" for c in LATER_ATTACK_COLUMNS if c not in names)
            self.con.execute(f"CREATE VIEW events AS SELECT *{later} FROM read_parquet('{path}')")
        # Aggregates read a narrow in-memory copy: filter columns as enums, counts and coordinates.
        # Whole rows (text, sources) are read from `events` only for short listings.
        enums = []
        for i, col in enumerate(FILTER_COLUMNS.values()):
            self.con.execute(f"CREATE TYPE e{i} AS ENUM (SELECT DISTINCT {col} FROM events "
                             f"WHERE {col} IS NOT NULL ORDER BY 1)")
            enums.append(f"CAST({col} AS e{i}) AS {col}")
        self.con.execute(f"CREATE TABLE facts AS SELECT CAST(date AS DATE) AS date, {', '.join(enums)}, "
                         "CAST(killed AS INTEGER) AS killed, CAST(wounded AS INTEGER) AS wounded, "
                         "CAST(latitude AS FLOAT) AS latitude, CAST(longitude AS FLOAT) AS longitude FROM events "
                         "ORDER BY date")  # sorted, so a date range skips whole row groups
        # Per-day totals, and per day and value of each breakdown column: a view with no value filters
        # (the usual one) is summed from these few rows instead of scanning every event.
        dims = ", ".join(BREAKDOWNS)
        sets = ", ".join(["(date)"] + [f"(date, {b})" for b in BREAKDOWNS])
        self.con.execute(
            f"CREATE TABLE rollup AS SELECT r.*, {', '.join(f'{_period(f)} AS p_{f}' for f in PERIODS)} FROM ("
            f"SELECT date, {dims}, GROUPING({dims}) AS g, count(*) AS attacks, sum(killed) AS killed, "
            "sum(wounded) AS wounded, count(killed) AS killed_n, count(wounded) AS wounded_n, "
            f"count(latitude) AS located FROM facts GROUP BY GROUPING SETS ({sets})) r ORDER BY g, date")

    def _fetch(self, sql: str, params: list | None, take):
        """Run one query on a cursor of its own, closed afterwards: the engine is shared by every session's
        thread, and a DuckDB connection must not be used from two threads at once (a cursor is a connection of
        its own to the same database)."""
        cursor = self.con.cursor()
        try:
            return take(cursor.execute(sql, params or []))
        finally:
            cursor.close()

    def _one(self, sql: str, params: list | None = None) -> tuple:
        return self._fetch(sql, params, lambda r: r.fetchone())

    def _all(self, sql: str, params: list | None = None) -> list[tuple]:
        return self._fetch(sql, params, lambda r: r.fetchall())

    def _sql(self, sql: str, params: list) -> pd.DataFrame:
        return self._fetch(sql, params, lambda r: r.df())

    @staticmethod
    def _where(spec: FilterSpec, dates: bool = True) -> tuple[str, list]:
        clauses, params = ["TRUE"], []
        if dates:
            clauses.append("date BETWEEN ? AND ?")
            params += [spec.start, spec.end]
        for attr, col in FILTER_COLUMNS.items():
            values = getattr(spec, attr)
            if values:
                clauses.append(f"{col} IN ({', '.join('?' * len(values))})")
                params += list(values)
        return " AND ".join(clauses), params

    _AGG = ("count(*) AS attacks, coalesce(sum(killed), 0) AS killed, coalesce(sum(wounded), 0) AS wounded, "
            "count(*) - count(killed) AS killed_unreported, count(*) - count(wounded) AS wounded_unreported")

    # The same measures summed from the rollup; an empty range gives zeros, as count(*) does.
    _ROLLED = ("coalesce(sum(attacks), 0) AS attacks, coalesce(sum(killed), 0) AS killed, "
               "coalesce(sum(wounded), 0) AS wounded, coalesce(sum(attacks) - sum(killed_n), 0) AS killed_unreported, "
               "coalesce(sum(attacks) - sum(wounded_n), 0) AS wounded_unreported, "
               "coalesce(sum(located), 0) AS located")

    def domain(self, provinces: pd.DataFrame) -> Domain:
        first, last = self._one("SELECT min(date), max(date) FROM facts")

        def present(col: str) -> tuple[str, ...]:
            rows = self._all(f"SELECT DISTINCT CAST({col} AS VARCHAR) FROM facts WHERE {col} IS NOT NULL")
            return tuple(sorted(r[0] for r in rows))

        provs = tuple(sorted(set(provinces["province"].dropna()) | set(present("province"))))
        first = pd.Timestamp(first or "2000-01-01").date()
        return Domain(first, pd.Timestamp(last).date() if last else first, provs, present("perpetrator"),
                      present("attack_type"), present("target"))

    def totals(self, spec: FilterSpec) -> Totals:
        where, params = self._where(spec)
        row = self._one(f"SELECT {self._AGG} FROM facts WHERE {where}", params)
        return Totals(*(int(v) for v in row))

    def trend(self, spec: FilterSpec, by: str | None = None) -> pd.DataFrame:
        where, params = self._where(spec)
        group = f"CAST({STACKS[by]} AS VARCHAR)" if by else f"'{ALL}'"
        agg = self._sql(
            f"SELECT CAST({_period(spec.freq)} AS TIMESTAMP) AS period, {group} AS "
            f"\"group\", {self._AGG} FROM facts WHERE {where} GROUP BY ALL", params)
        return queries.complete_trend(agg, spec, by)

    def breakdown(self, spec: FilterSpec, by: str) -> pd.DataFrame:
        if by not in STACKS.values() and by != "province":
            raise ValueError(by)
        where, params = self._where(spec)
        agg = self._sql(f"SELECT CAST({by} AS VARCHAR) AS {by}, {self._AGG} FROM facts WHERE {where} GROUP BY ALL",
                        params)
        return queries.order_breakdown(agg.drop(columns="wounded_unreported"), by)

    def province_totals(self, spec: FilterSpec, provinces: pd.DataFrame) -> pd.DataFrame:
        return queries.with_gazetteer(self.breakdown(spec, "province"), provinces)

    def summary(self, spec: FilterSpec, by: str | None = None) -> Summary:
        """Totals, the trend (split by `by`) and the breakdowns in one query: summed from the rollup when the
        view has no value filters, else one GROUPING SETS scan of the filtered events."""
        cols = ["period", *BREAKDOWNS]
        sets = {(): "totals", **{(b,): b for b in BREAKDOWNS}, ("period",): None}
        if by:
            sets[("period", by)] = by
        masks = {sum(1 << (len(cols) - 1 - i) for i, c in enumerate(cols) if c not in key): (key, name)
                 for key, name in sets.items()}
        if spec.value_filtered:
            where, params = self._where(spec)
            grouping = ", ".join("(" + ", ".join(key) + ")" for key in sets)
            # Group on the enum codes and the truncated date; text comes back only for the few result rows.
            inner = (f"SELECT {_period(spec.freq)} AS period, {', '.join(BREAKDOWNS)}, GROUPING({', '.join(cols)}) AS g, "
                     f"{self._AGG}, count(latitude) AS located FROM facts WHERE {where} "
                     f"GROUP BY GROUPING SETS ({grouping})")
        else:
            inner, params = self._from_rollup(spec, {mask: key for mask, (key, _) in masks.items()})
        measures = ("attacks", "killed", "wounded", "killed_unreported", "wounded_unreported", "located")
        # Sorted as order_breakdown sorts (largest first, then by name), so the breakdowns need no sorting here.
        # Each set keeps at most one breakdown column, so its text comes back as one column, `value`.
        value = "coalesce(" + ", ".join(f"CAST({b} AS VARCHAR)" for b in BREAKDOWNS) + ")"
        rows = self._sql(
            f"SELECT * FROM (SELECT CAST(period AS TIMESTAMP) AS period, {value} AS value, g, "
            + ", ".join(f"CAST({m} AS BIGINT) AS {m}" for m in measures)
            + f" FROM ({inner})) ORDER BY g, attacks DESC, killed DESC, value", params)
        at = rows["g"].to_numpy()
        parts = {key: rows[at == g] for g, (key, _) in masks.items()}
        top = parts[()]
        totals = Totals(*(int(top[c].iloc[0]) if len(top) else 0 for c in measures[:5]))
        trends = {}
        for split in {None, by}:
            part = parts[("period", split) if split else ("period",)].rename(columns={"value": "group"})
            trends[split] = queries.complete_trend(part if split else part.assign(group=ALL), spec, split)
        breakdowns = {b: parts[(b,)][["value", *queries.TREND_MEASURES]].rename(columns={"value": b}).reset_index(
            drop=True) for b in BREAKDOWNS}
        return Summary(totals, trends, breakdowns, int(top["located"].iloc[0]) if len(top) else 0)

    def _from_rollup(self, spec: FilterSpec, wanted: dict[int, tuple]) -> tuple[str, list]:
        """The summary's grouping sets (mask -> key) summed from the rollup table, in the same shape."""
        parts, params = [], []
        for mask, key in wanted.items():
            dim = next((c for c in key if c != "period"), None)
            # The rollup's own GROUPING mask: every breakdown column is rolled up but the one kept.
            source_g = sum(1 << (len(BREAKDOWNS) - 1 - i) for i, b in enumerate(BREAKDOWNS) if b != dim)
            period = f"p_{spec.freq}" if "period" in key else "CAST(NULL AS DATE)"
            dims = ", ".join(b if b == dim else f"NULL AS {b}" for b in BREAKDOWNS)
            group = ", ".join(c for c in (period if "period" in key else "", dim or "") if c)
            parts.append(
                f"SELECT {period} AS period, {dims}, {mask} AS g, {self._ROLLED} FROM rollup WHERE g = {source_g} AND "
                f"date BETWEEN ? AND ?" + (f" GROUP BY {group}" if group else ""))
            params += [spec.start, spec.end]
        return " UNION ALL ".join(parts), params

    def events(self, spec: FilterSpec, limit: int | None = None, deadliest: bool = False,
               columns: list[str] | None = None) -> pd.DataFrame:
        """Whole rows (or just `columns`) in date order, or deadliest first."""
        where, params = self._where(spec)
        order = "killed DESC NULLS LAST, date" if deadliest else "date"
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        wanted = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        rows = self._sql(f"SELECT {wanted} FROM events WHERE {where} ORDER BY {order}, event_id{tail}", params)
        return _typed_events(rows)

    def count(self, spec: FilterSpec) -> int:
        where, params = self._where(spec)
        return int(self._one(f"SELECT count(*) FROM facts WHERE {where}", params)[0])

    def located(self, spec: FilterSpec) -> int:
        where, params = self._where(spec)
        sql = f"SELECT count(*) FROM facts WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL"
        return int(self._one(sql, params)[0])

    def daily(self, spec: FilterSpec) -> pd.DataFrame:
        where, params = self._where(spec)
        rows = self._sql(f"SELECT CAST(date AS TIMESTAMP) AS day, count(*) AS attacks, coalesce(sum(killed), 0) "
                         f"AS killed FROM facts WHERE {where} GROUP BY ALL ORDER BY day", params)
        return rows.set_index("day").rename_axis(None).astype("int64")

    def grid(self, spec: FilterSpec, cell: float) -> pd.DataFrame:
        c = float(cell)
        months = whole_months(spec.start, spec.end)
        if months is None or spec.value_filtered:
            where, params = self._where(spec)
            cells = (f"SELECT floor(latitude / {c}) AS y, floor(longitude / {c}) AS x, 1 AS n, coalesce(killed, 0) "
                     f"AS killed FROM facts WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL")
        else:
            # Whole months come from per-month cell counts; only the partial months at either end scan events.
            first, last_month, last = months
            cells = (f"SELECT y, x, n, killed FROM {self._cells_by_month(c)} WHERE month BETWEEN ? AND ? UNION ALL "
                     f"SELECT floor(latitude / {c}), floor(longitude / {c}), 1, coalesce(killed, 0) FROM facts "
                     "WHERE (date >= ? AND date < ? OR date > ? AND date <= ?) AND latitude IS NOT NULL "
                     "AND longitude IS NOT NULL")
            params = [first, last_month, spec.start, first, last, spec.end]
        return self._sql(
            f"SELECT CAST((y + 0.5) * {c} AS FLOAT) AS latitude, CAST((x + 0.5) * {c} AS FLOAT) AS longitude, "
            f"sum(n) AS attacks, sum(killed) AS killed FROM ({cells}) GROUP BY ALL ORDER BY latitude, longitude",
            params).astype({"attacks": "int64", "killed": "int64"})

    def _cells_by_month(self, cell: float) -> str:
        """The table of located events counted per month and grid cell of this size, made on first use."""
        name = f"cells_{round(cell * 1000)}"
        with self._lock:  # sessions share the engine; the table is made once
            if name not in self._made:
                self._fetch(
                    f"CREATE TABLE {name} AS SELECT {_period('month')} AS month, floor(latitude / {cell}) AS y, "
                    f"floor(longitude / {cell}) AS x, count(*) AS n, coalesce(sum(killed), 0) AS killed FROM facts "
                    "WHERE latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY ALL ORDER BY month", None,
                    lambda r: None)
                self._made.add(name)
        return name


def whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
    """The calendar months wholly inside [start, end]: first day, last month's first day, last day; or None."""
    first = start if start.day == 1 else (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = end if (end + dt.timedelta(days=1)).day == 1 else end.replace(day=1) - dt.timedelta(days=1)
    return (first, last.replace(day=1), last) if first <= last else None


def _typed_events(rows: pd.DataFrame) -> pd.DataFrame:
    for col in ("date", "end_date"):
        if col in rows:
            rows[col] = pd.to_datetime(rows[col])
    for col in ("killed", "wounded", "killed_low", "killed_high"):
        if col in rows:
            rows[col] = rows[col].astype("Int64")
    return rows


def points(engine, spec: FilterSpec, limit: int = POINT_LIMIT, located: int | None = None) -> pd.DataFrame | None:
    """Located events for the map when there are at most `limit` of them, else None (draw cells instead).
    `located`: the count when the caller already has it (the overview's summary), saving a query."""
    if (engine.located(spec) if located is None else located) > limit:
        return None
    rows = engine.events(spec, columns=POINT_COLUMNS)
    return rows.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)

