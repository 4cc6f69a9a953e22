"""Queries on the small fixture, against numbers worked out by hand from tests/fixtures/small/attacks.csv."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from trends.engines import queries
from trends.filters import FilterSpec

D = dt.date
AUG_SEP = FilterSpec(D(2018, 8, 1), D(2018, 9, 30))


@pytest.mark.parametrize("spec, expected", [
    # e2, e3, e4, e5: killed 10 + (e3 unreported) + 7 + 0; wounded 20 + 4 + (e4 unreported) + 0
    (AUG_SEP, queries.Totals(4, 17, 24, 1, 1)),
    # the previous 61 days, 1 Jun - 31 Jul: e1 and e7
    (AUG_SEP.previous(), queries.Totals(2, 25, 32, 0, 0)),
    (AUG_SEP.year_earlier(), queries.Totals(1, 1, 1, 0, 0)),
    (FilterSpec(D(2018, 8, 1), D(2018, 9, 30), provinces=("Northland",)), queries.Totals(1, 10, 20, 0, 0)),
    # e6 was written "North Land" and loads as Northland
    (FilterSpec(D(2018, 10, 1), D(2018, 10, 1), provinces=("Northland",)), queries.Totals(1, 3, 1, 0, 0)),
    (FilterSpec(D(2017, 1, 1), D(2018, 12, 31), perpetrators=("Islamic State Khorasan Province",)),
     queries.Totals(2, 20, 34, 1, 0)),
    (FilterSpec(D(2017, 1, 1), D(2018, 12, 31), attack_types=("IED",), targets=("civilians",)),
     queries.Totals(1, 0, 4, 1, 0)),
    (FilterSpec(D(2019, 1, 1), D(2019, 12, 31)), queries.Totals(0, 0, 0, 0, 0)),
])
def test_totals(small, spec, expected):
    assert queries.totals(small.attacks, spec) == expected


@pytest.mark.parametrize("current, previous, expected", [(4, 2, 100.0), (1, 4, -75.0), (3, 0, None), (0, 0, None)])
def test_change(current, previous, expected):
    assert queries.change(current, previous) == expected


def test_monthly_trend(small):
    t = queries.trend(small.attacks, AUG_SEP)
    assert t["period"].tolist() == [pd.Timestamp("2018-08-01"), pd.Timestamp("2018-09-01")]
    assert t[["attacks", "killed", "wounded", "killed_unreported"]].values.tolist() == [[2, 10, 24, 1], [2, 7, 0, 0]]


def test_trend_fills_empty_periods_and_stacks(small):
    spec = FilterSpec(D(2018, 6, 1), D(2018, 10, 31), freq="month")
    t = queries.trend(small.attacks, spec, "perpetrator")
    table = t.pivot(index="period", columns="group", values="attacks")
    assert table.index.strftime("%Y-%m").tolist() == ["2018-06", "2018-07", "2018-08", "2018-09", "2018-10"]
    assert table["Taliban"].tolist() == [0, 1, 1, 1, 1]
    assert table["Islamic State Khorasan Province"].tolist() == [1, 0, 1, 0, 0]
    assert table["Unknown"].tolist() == [0, 0, 0, 1, 0]


@pytest.mark.parametrize("freq, periods", [
    ("week", ["2018-07-30", "2018-08-13", "2018-09-10", "2018-09-24"]),
    ("quarter", ["2018-07-01"]),
    ("year", ["2018-01-01"]),
])
def test_trend_frequencies(small, freq, periods):
    t = queries.trend(small.attacks, FilterSpec(D(2018, 8, 1), D(2018, 9, 30), freq=freq))
    assert t.loc[t["attacks"] > 0, "period"].dt.strftime("%Y-%m-%d").tolist() == periods
    assert t["attacks"].sum() == 4


def test_breakdown_by_province(small):
    b = queries.breakdown(small.attacks, AUG_SEP, "province")
    assert b[["province", "attacks", "killed", "wounded"]].values.tolist() == [
        ["Southland", 2, 0, 4], ["Northland", 1, 10, 20], ["Westland", 1, 7, 0]]


def test_province_totals_include_quiet_provinces(small):
    spec = FilterSpec(D(2018, 8, 1), D(2018, 8, 31))
    p = queries.with_gazetteer(queries.breakdown(small.attacks, spec, "province"), small.provinces).set_index("province")
    assert p["attacks"].to_dict() == {"Northland": 1, "Southland": 1, "Westland": 0}
    assert p.loc["Westland", "capital"] == "Westburg"


def test_meetings_between_counts_overlaps(small):
    m = queries.meetings_between(small.meetings, AUG_SEP.start, AUG_SEP.end)
    assert m["meeting_id"].tolist() == ["m4", "m2"]  # m4 runs 25 Jul - 2 Aug


def test_reported_casualties(small):
    civ = queries.reported_casualties(small.casualties, "civilians")
    assert civ[["killed", "injured"]].values.tolist() == [[100, 200], [150, 250]]
    by_party = queries.reported_casualties(small.casualties, "civilians", attributed=True)
    assert by_party["attributed_to"].tolist() == ["anti-government elements"]
    sf = queries.reported_casualties(small.casualties, "security forces")
    assert (sf.iloc[0]["killed_or_injured"], sf.iloc[0]["qualifier"]) == (1000, "at least")


def test_domain(small):
    d = queries.domain_of(small.attacks, small.provinces)
    assert (d.first, d.last) == (D(2017, 8, 5), D(2018, 10, 1))
    assert d.provinces == ("Northland", "Southland", "Westland")
    assert d.perpetrators == ("Islamic State Khorasan Province", "Taliban", "Unknown")
