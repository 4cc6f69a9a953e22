"""Queries: a FilterSpec and typed frames in, small aggregated frames out (pandas engine)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trends.contract.fields import PERIODS
from trends.filters import Domain, FilterSpec

ALL = "All attacks"
TREND_MEASURES = ("attacks", "killed", "wounded", "killed_unreported")


def domain_of(attacks: pd.DataFrame, provinces: pd.DataFrame) -> Domain:
    """What the filters may offer: the data's span and the values present (plus every gazetteer province)."""
    dates = attacks["date"].dropna()
    first = dates.min().date() if len(dates) else pd.Timestamp("2000-01-01").date()
    last = dates.max().date() if len(dates) else first

    def present(col: str) -> tuple[str, ...]:
        return tuple(sorted(attacks[col].dropna().unique().tolist()))

    return Domain.of(first, last, present, provinces["province"].dropna())


def filter_events(attacks: pd.DataFrame, spec: FilterSpec) -> pd.DataFrame:
    """Events whose first day falls in the spec's inclusive range and that match every value filter."""
    day = attacks["date"]
    mask = (day >= pd.Timestamp(spec.start)) & (day <= pd.Timestamp(spec.end))
    for f, values in spec.chosen():
        mask &= attacks[f.column].isin(values)
    return attacks.loc[mask]


@dataclass(frozen=True)
class Totals:
    """Counts for one view. Killed and wounded sum reported figures; unreported events are counted apart."""

    attacks: int
    killed: int
    wounded: int
    killed_unreported: int
    wounded_unreported: int


def totals(attacks: pd.DataFrame, spec: FilterSpec) -> Totals:
    events = filter_events(attacks, spec)
    return Totals(
        attacks=len(events),
        killed=int(events["killed"].sum(skipna=True)),
        wounded=int(events["wounded"].sum(skipna=True)),
        killed_unreported=int(events["killed"].isna().sum()),
        wounded_unreported=int(events["wounded"].isna().sum()),
    )


def change(current: int, previous: int) -> float | None:
    """Relative change in percent, or None where the previous count is zero (no meaningful ratio)."""
    return None if previous == 0 else 100.0 * (current - previous) / previous


def _aggregate(events: pd.DataFrame, keys: list) -> pd.DataFrame:
    # Plain column sums (no per-group Python): killed and wounded skip unreported tolls, which are counted apart.
    measures = pd.DataFrame({"attacks": 1, "killed": events["killed"], "wounded": events["wounded"],
                             "killed_unreported": events["killed"].isna()}, index=events.index)
    grouped = measures.groupby([events[k] for k in keys], observed=True, dropna=False)
    return grouped.sum().astype("int64").reset_index()


def period_starts(spec: FilterSpec) -> pd.DatetimeIndex:
    return pd.period_range(spec.start, spec.end, freq=PERIODS[spec.freq].pandas).start_time


def trend(attacks: pd.DataFrame, spec: FilterSpec, by: str | None = None) -> pd.DataFrame:
    """Attacks, killed and wounded per period (every period of the range, empty ones as 0), optionally by group."""
    events = filter_events(attacks, spec).copy()
    events["period"] = events["date"].dt.to_period(PERIODS[spec.freq].pandas).dt.start_time
    keys = ["period"] + ([by] if by else [])
    agg = _aggregate(events, keys)
    agg = agg.rename(columns={by: "group"}) if by else agg.assign(group=ALL)
    return complete_trend(agg, spec, by)


def complete_trend(agg: pd.DataFrame, spec: FilterSpec, by: str | None) -> pd.DataFrame:
    """Give every period of the range a row per group, 0 where nothing was recorded (shared by both engines)."""
    groups = sorted(agg["group"].unique()) if by else [ALL]
    periods = period_starts(spec)
    at_period = periods.get_indexer(pd.DatetimeIndex(agg["period"]).as_unit(periods.unit))
    if (at_period < 0).any():
        raise ValueError("an aggregated period is not a period start of the range")
    # Rows are period-major, groups sorted within each period; filled by position rather than by a merge.
    slot = at_period * len(groups) + pd.Index(groups).get_indexer(agg["group"])
    out = {"period": periods.repeat(len(groups)), "group": groups * len(periods)}
    for col in TREND_MEASURES:
        values = np.zeros(len(periods) * len(groups), dtype="int64")
        values[slot] = agg[col].to_numpy(dtype="int64")
        out[col] = values
    return pd.DataFrame(out)


def breakdown(attacks: pd.DataFrame, spec: FilterSpec, by: str) -> pd.DataFrame:
    """Totals per value of one column, largest first."""
    return order_breakdown(_aggregate(filter_events(attacks, spec), [by]), by)


def order_breakdown(agg: pd.DataFrame, by: str) -> pd.DataFrame:
    for col in TREND_MEASURES:
        agg[col] = agg[col].astype("int64")
    return agg.sort_values(["attacks", "killed", by], ascending=[False, False, True]).reset_index(drop=True)


def with_gazetteer(agg: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Province totals joined to the gazetteer, quiet provinces as 0 (shared by both engines)."""
    base = provinces[["province", "capital", "latitude", "longitude", "region"]]
    out = base.merge(agg, on="province", how="outer")
    for col in TREND_MEASURES:
        out[col] = out[col].fillna(0).astype("int64")
    return out.sort_values(["attacks", "province"], ascending=[False, True]).reset_index(drop=True)


def meetings_between(meetings: pd.DataFrame, start, end) -> pd.DataFrame:
    """Meetings that overlap the inclusive range [start, end]."""
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    until = meetings["end_date"].fillna(meetings["date"])
    return meetings.loc[(meetings["date"] <= last) & (until >= first)].sort_values("date").reset_index(drop=True)


def reported_casualties(casualties: pd.DataFrame, population: str, reporter: str | None = None,
                        national: bool = True, attributed: bool = False) -> pd.DataFrame:
    """Rows of casualties.csv for one population, national totals (or by party when attributed=True)."""
    rows = casualties[casualties["population"] == population]
    if reporter:
        rows = rows[rows["reporter"] == reporter]
    if national:
        rows = rows[rows["province"].isna()]
    rows = rows[rows["attributed_to"].notna()] if attributed else rows[rows["attributed_to"].isna()]
    return rows.sort_values(["period_start", "period_end"]).reset_index(drop=True)
