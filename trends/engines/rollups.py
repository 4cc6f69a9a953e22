"""The Overview's summary in DuckDB: named grouping sets, read from the per-day rollup or from filtered events."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trends.engines import queries
from trends.engines.base import Summary
from trends.contract.fields import COLUMNS, FREQUENCIES
from trends.filters import FilterSpec
from trends.engines.queries import ALL, Totals

MEASURES = ("attacks", "killed", "wounded", "killed_unreported", "wounded_unreported", "located")
# Sums of the measures over event rows, and the same sums over rollup rows (whose own sums they add up).
_FROM_EVENTS = {
    "attacks": "count(*)", "killed": "sum(killed)", "wounded": "sum(wounded)",
    "killed_unreported": "count(*) - count(killed)", "wounded_unreported": "count(*) - count(wounded)",
    "located": "count(latitude)",
}
_FROM_ROLLUP = {
    "attacks": "sum(attacks)", "killed": "sum(killed)", "wounded": "sum(wounded)",
    "killed_unreported": "sum(killed_unreported)", "wounded_unreported": "sum(wounded_unreported)",
    "located": "sum(located)",
}
ALL_SET = "all"  # the rollup's set of every event of a day, with no column kept


@dataclass(frozen=True)
class GroupingSet:
    """One part of the summary: its name, whether it is per period, and the column whose values it keeps."""

    name: str
    per_period: bool
    column: str | None


def summary_sets(by: str | None) -> list[GroupingSet]:
    """Totals, one breakdown per filter column, the trend, and the trend split by `by` when asked."""
    sets = [GroupingSet("totals", False, None), *(GroupingSet(c, False, c) for c in COLUMNS),
            GroupingSet("trend", True, None)]
    if by:
        sets.append(GroupingSet("trend_by", True, by))
    return sets


def _measures(sums: dict[str, str]) -> str:
    return ", ".join(f"CAST(coalesce({sums[m]}, 0) AS BIGINT) AS {m}" for m in MEASURES)


def create_rollup(con) -> None:
    """Per-day sums over every event and per day and value of each filter column, with each event's period
    starts precomputed: a view with no value filters (the usual one) is summed from these few rows."""
    periods = ", ".join(f"{period_sql(f)} AS p_{f}" for f in FREQUENCIES)
    parts = [f"SELECT '{ALL_SET}' AS grouping_set, date, CAST(NULL AS VARCHAR) AS value, {_measures(_FROM_EVENTS)} "
             "FROM facts GROUP BY date"]
    parts += [f"SELECT '{c}', date, CAST({c} AS VARCHAR), {_measures(_FROM_EVENTS)} FROM facts GROUP BY date, {c}"
              for c in COLUMNS]
    con.execute(f"CREATE TABLE rollup AS SELECT r.*, {periods} FROM ({' UNION ALL '.join(parts)}) r "
                "ORDER BY grouping_set, date")


def period_sql(freq: str) -> str:
    """SQL for the first day of the event's week, month, quarter or year (weeks start on Monday)."""
    if freq not in FREQUENCIES:
        raise ValueError(freq)
    return f"date_trunc('{freq}', date)::DATE"


def _select(s: GroupingSet, period: str, source: str, sums: dict[str, str], where: str, rolled: bool) -> str:
    # The rollup keeps each column's values in one column, `value`.
    kept = ("value" if rolled else s.column) if s.column else None
    value = f"CAST({kept} AS VARCHAR)" if kept else "CAST(NULL AS VARCHAR)"
    keys = [k for k, wanted in ((period, s.per_period), (kept, bool(kept))) if wanted]
    return (f"SELECT '{s.name}' AS grouping_set, {period if s.per_period else 'CAST(NULL AS DATE)'} AS period, "
            f"{value} AS value, {_measures(sums)} FROM {source} WHERE {where}"
            + (f" GROUP BY {', '.join(keys)}" if keys else ""))


def summary_sql(spec: FilterSpec, by: str | None) -> tuple[str, list]:
    """One query for every set of the summary, with its parameters."""
    sets, head = summary_sets(by), ""
    if spec.value_filtered:
        where, params = spec.sql_where()
        # The filtered events are read once and grouped per set, rather than filtered again for each set.
        head = f"WITH v AS MATERIALIZED (SELECT {period_sql(spec.freq)} AS period_start, * FROM facts WHERE {where}) "
        parts = [_select(s, "period_start", "v", _FROM_EVENTS, "TRUE", rolled=False) for s in sets]
    else:
        parts, params = [], []
        for s in sets:
            kept = s.column or ALL_SET
            parts.append(_select(s, f"p_{spec.freq}", "rollup", _FROM_ROLLUP,
                                 f"grouping_set = '{kept}' AND date BETWEEN ? AND ?", rolled=True))
            params += [spec.start, spec.end]
    # Largest first, then by name: the order the breakdowns are shown in.
    sql = (f"{head}SELECT grouping_set, CAST(period AS TIMESTAMP) AS period, value, {', '.join(MEASURES)} FROM ("
           + " UNION ALL ".join(parts) + ") ORDER BY grouping_set, attacks DESC, killed DESC, value")
    return sql, params


def summary_from_rows(rows: pd.DataFrame, spec: FilterSpec, by: str | None):
    """The Summary from the rows of summary_sql, split by grouping set."""
    parts = {name: part for name, part in rows.groupby("grouping_set", sort=False)}
    empty = rows.iloc[0:0]
    top = parts.get("totals", empty)
    totals = Totals(*(int(top[c].iloc[0]) if len(top) else 0 for c in MEASURES[:5]))
    trends = {None: queries.complete_trend(parts.get("trend", empty).assign(group=ALL), spec, None)}
    if by:
        trends[by] = queries.complete_trend(parts.get("trend_by", empty).rename(columns={"value": "group"}), spec, by)
    breakdowns = {c: parts.get(c, empty)[["value", *queries.TREND_MEASURES]].rename(columns={"value": c})
                  .reset_index(drop=True) for c in COLUMNS}
    return Summary(totals, trends, breakdowns, int(top["located"].iloc[0]) if len(top) else 0)
