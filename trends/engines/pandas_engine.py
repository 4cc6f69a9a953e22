"""The pandas query engine, for the curated CSV datasets that fit in memory."""

from __future__ import annotations

import pandas as pd

from trends.engines import queries
from trends.engines.base import FACT_COLUMNS, Summary
from trends.contract.fields import COLUMNS
from trends.filters import Domain, FilterSpec
from trends.engines.map_cells import pandas_grid
from trends.engines.queries import Totals


class PandasEvents:
    """Queries over an in-memory frame."""

    name = "pandas"

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        # Aggregates filter only the columns they count, not whole rows of text and sources.
        self.facts = frame[[c for c in FACT_COLUMNS if c in frame]]

    def domain(self, provinces: pd.DataFrame) -> Domain:
        return queries.domain_of(self.facts, provinces)

    def totals(self, spec: FilterSpec) -> Totals:
        return queries.totals(self.facts, spec)

    def summary(self, spec: FilterSpec, by: str | None = None) -> Summary:
        # Filtered once; each part below then filters only these rows.
        view = queries.filter_events(self.facts, spec)
        return Summary(queries.totals(view, spec), {split: queries.trend(view, spec, split) for split in {None, by}},
                       {c: queries.breakdown(view, spec, c) for c in COLUMNS}, _located(view))

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
        # A column that the frame lacks (one that joined the contract later) comes back blank, as in DuckDB.
        return (rows if columns is None else rows.reindex(columns=columns)).reset_index(drop=True)

    def count(self, spec: FilterSpec) -> int:
        return int(len(queries.filter_events(self.facts, spec)))

    def located(self, spec: FilterSpec) -> int:
        return _located(queries.filter_events(self.facts, spec))

    def daily(self, spec: FilterSpec) -> pd.DataFrame:
        rows = queries.filter_events(self.facts, spec)
        grouped = rows.groupby(rows["date"].dt.normalize())
        out = pd.DataFrame({"attacks": grouped.size(), "killed": grouped["killed"].sum()}).astype("int64")
        return out.rename_axis(None)

    def grid(self, spec: FilterSpec, cell: float) -> pd.DataFrame:
        return pandas_grid(queries.filter_events(self.facts, spec), cell)


def _located(rows: pd.DataFrame) -> int:
    return int(rows[["latitude", "longitude"]].notna().all(axis=1).sum())
