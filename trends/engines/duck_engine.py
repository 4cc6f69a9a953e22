"""The DuckDB query engine, over a Parquet file (or any frame), so only small results reach Python."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd

from trends.engines import rollups
from trends.engines.base import Summary
from trends.contract.fields import COLUMNS
from trends.filters import Domain, FilterSpec
from trends.engines.map_cells import cells_by_month_sql, duck_grid_sql
from trends.engines.queries import Totals
from trends.contract.vocab import LATER_ATTACK_COLUMNS

_AGG = ("count(*) AS attacks, coalesce(sum(killed), 0) AS killed, coalesce(sum(wounded), 0) AS wounded, "
        "count(*) - count(killed) AS killed_unreported, count(*) - count(wounded) AS wounded_unreported")


class DuckEvents:
    """Queries in DuckDB: aggregates over a narrow in-memory copy of the events, listings over whole rows."""

    name = "duckdb"

    def __init__(self, source: Path | pd.DataFrame, threads: int = 2):
        self.con = duckdb.connect(config={"threads": threads})
        self._lock, self._made = threading.Lock(), set()
        if isinstance(source, pd.DataFrame):
            self.con.register("source_frame", source)
            self.con.execute(f"CREATE TABLE events AS SELECT *{_later(source.columns)} FROM source_frame")
            self.con.unregister("source_frame")
        else:
            path = str(Path(source)).replace("'", "''")
            names = {r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
            self.con.execute(f"CREATE VIEW events AS SELECT *{_later(names)} FROM read_parquet('{path}')")
        # The filter columns as enums, counts and coordinates; text and sources stay in `events`.
        enums = []
        for i, col in enumerate(COLUMNS):
            self.con.execute(f"CREATE TYPE e{i} AS ENUM (SELECT DISTINCT {col} FROM events "
                             f"WHERE {col} IS NOT NULL ORDER BY 1)")
            enums.append(f"CAST({col} AS e{i}) AS {col}")
        self.con.execute(f"CREATE TABLE facts AS SELECT CAST(date AS DATE) AS date, {', '.join(enums)}, "
                         "CAST(killed AS INTEGER) AS killed, CAST(wounded AS INTEGER) AS wounded, "
                         "CAST(latitude AS FLOAT) AS latitude, CAST(longitude AS FLOAT) AS longitude FROM events "
                         "ORDER BY date")  # sorted, so a date range skips whole row groups
        rollups.create_rollup(self.con)

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

    def domain(self, provinces: pd.DataFrame) -> Domain:
        first, last = self._one("SELECT min(date), max(date) FROM facts")

        def present(col: str) -> tuple[str, ...]:
            rows = self._all(f"SELECT DISTINCT CAST({col} AS VARCHAR) FROM facts WHERE {col} IS NOT NULL")
            return tuple(sorted(r[0] for r in rows))

        first = pd.Timestamp(first or "2000-01-01").date()
        last = pd.Timestamp(last).date() if last else first
        return Domain.of(first, last, present, provinces["province"].dropna())

    def totals(self, spec: FilterSpec) -> Totals:
        where, params = spec.sql_where()
        row = self._one(f"SELECT {_AGG} FROM facts WHERE {where}", params)
        return Totals(*(int(v) for v in row))

    def summary(self, spec: FilterSpec, by: str | None = None) -> Summary:
        """Totals, the trend (split by `by`) and the breakdowns in one query (see rollups)."""
        return rollups.summary_from_rows(self._sql(*rollups.summary_sql(spec, by)), spec, by)

    def events(self, spec: FilterSpec, limit: int | None = None, deadliest: bool = False,
               columns: list[str] | None = None) -> pd.DataFrame:
        """Whole rows (or just `columns`) in date order, or deadliest first."""
        where, params = spec.sql_where()
        order = "killed DESC NULLS LAST, date" if deadliest else "date"
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        wanted = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        rows = self._sql(f"SELECT {wanted} FROM events WHERE {where} ORDER BY {order}, event_id{tail}", params)
        return _typed_events(rows)

    def count(self, spec: FilterSpec) -> int:
        where, params = spec.sql_where()
        return int(self._one(f"SELECT count(*) FROM facts WHERE {where}", params)[0])

    def located(self, spec: FilterSpec) -> int:
        where, params = spec.sql_where()
        sql = f"SELECT count(*) FROM facts WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL"
        return int(self._one(sql, params)[0])

    def daily(self, spec: FilterSpec) -> pd.DataFrame:
        where, params = spec.sql_where()
        rows = self._sql(f"SELECT CAST(date AS TIMESTAMP) AS day, count(*) AS attacks, coalesce(sum(killed), 0) "
                         f"AS killed FROM facts WHERE {where} GROUP BY ALL ORDER BY day", params)
        return rows.set_index("day").rename_axis(None).astype("int64")

    def grid(self, spec: FilterSpec, cell: float) -> pd.DataFrame:
        sql, params = duck_grid_sql(spec, cell, self._cells_by_month(float(cell)))
        return self._sql(sql, params).astype({"attacks": "int64", "killed": "int64"})

    def _cells_by_month(self, cell: float) -> str:
        """The table of located events counted per month and grid cell of this size, made on first use."""
        name = f"cells_{round(cell * 1000)}"
        with self._lock:  # sessions share the engine; the table is made once
            if name not in self._made:
                self._fetch(cells_by_month_sql(name, cell), None, lambda r: None)
                self._made.add(name)
        return name


def _later(names) -> str:
    """Blank columns for those a folder imported before they joined the contract lacks (or a frame never had)."""
    return "".join(f", NULL::VARCHAR AS {c}" for c in LATER_ATTACK_COLUMNS if c not in set(names))


def _typed_events(rows: pd.DataFrame) -> pd.DataFrame:
    for col in ("date", "end_date", "toll_date"):
        if col in rows:
            rows[col] = pd.to_datetime(rows[col])
    for col in ("killed", "wounded", "killed_low", "killed_high", "attackers_killed"):
        if col in rows:
            rows[col] = rows[col].astype("Int64")
    return rows
