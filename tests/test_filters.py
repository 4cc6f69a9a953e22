"""FilterSpec: URL parameters in, a view out; bad values dropped with a notice; round trip to the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trends.filters import Domain, FilterSpec

D = dt.date
DOMAIN = Domain(D(2015, 1, 1), D(2021, 8, 31), ("Helmand", "Kabul"), ("Taliban", "Unknown"),
                ("IED", "suicide attack"), ("civilians", "security forces"))


@pytest.mark.parametrize("params, expected, notice", [
    ({}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)), None),
    ({"start": ["2018-08-01"], "end": ["2018-09-30"]}, FilterSpec(D(2018, 8, 1), D(2018, 9, 30)), None),
    ({"start": "2018-08-01"}, FilterSpec(D(2018, 8, 1), D(2021, 8, 31)), None),
    ({"start": ["2018-13-01"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)), 'Ignored start "2018-13-01"'),
    ({"end": ["yesterday"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)), 'Ignored end "yesterday"'),
    ({"start": ["2019-01-01"], "end": ["2018-01-01"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)),
     "the start is after the end"),
    ({"province": ["Kabul", "Atlantis", "Kabul"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31), provinces=("Kabul",)),
     'Ignored unknown province: "Atlantis"'),
    ({"perpetrator": ["Taliban"], "attack_type": ["IED"], "target": ["civilians"]},
     FilterSpec(D(2015, 1, 1), D(2021, 8, 31), perpetrators=("Taliban",), attack_types=("IED",),
                targets=("civilians",)), None),
    ({"freq": ["fortnight"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)), 'Ignored freq "fortnight"'),
    ({"freq": ["week"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31), freq="week"), None),
    ({"target": ["<script>alert(1)</script>"]}, FilterSpec(D(2015, 1, 1), D(2021, 8, 31)),
     "Ignored unknown target"),
])
def test_from_params(params, expected, notice):
    spec = FilterSpec.from_params(params, DOMAIN)
    assert spec == expected
    if notice:
        assert any(notice in n for n in spec.notices), spec.notices
    else:
        assert spec.notices == ()


def test_round_trip_through_the_url():
    spec = FilterSpec(D(2018, 8, 1), D(2018, 9, 30), provinces=("Helmand", "Kabul"), targets=("civilians",),
                      freq="week")
    assert spec.to_params() == {"start": ["2018-08-01"], "end": ["2018-09-30"], "province": ["Helmand", "Kabul"],
                                "target": ["civilians"], "freq": ["week"]}
    assert FilterSpec.from_params(spec.to_params(), DOMAIN) == spec
    assert spec.query_string() == ("start=2018-08-01&end=2018-09-30&province=Helmand&province=Kabul"
                                   "&target=civilians&freq=week")


@pytest.mark.parametrize("start, end, prev_start, prev_end, year_start, year_end", [
    (D(2018, 8, 1), D(2018, 9, 30), D(2018, 6, 1), D(2018, 7, 31), D(2017, 8, 1), D(2017, 9, 30)),
    (D(2020, 2, 29), D(2020, 3, 1), D(2020, 2, 27), D(2020, 2, 28), D(2019, 2, 28), D(2019, 3, 1)),
    (D(2018, 1, 1), D(2018, 1, 1), D(2017, 12, 31), D(2017, 12, 31), D(2017, 1, 1), D(2017, 1, 1)),
])
def test_comparison_periods(start, end, prev_start, prev_end, year_start, year_end):
    spec = FilterSpec(start, end)
    assert (spec.previous().start, spec.previous().end) == (prev_start, prev_end)
    assert spec.previous().days == spec.days
    assert (spec.year_earlier().start, spec.year_earlier().end) == (year_start, year_end)


@pytest.mark.parametrize("spec, text", [
    (FilterSpec(D(2018, 8, 1), D(2018, 9, 30)), "Attacks from 1 August 2018 to 30 September 2018"),
    (FilterSpec(D(2018, 8, 1), D(2018, 9, 30), provinces=("Helmand", "Kabul"), perpetrators=("Taliban",)),
     "Attacks from 1 August 2018 to 30 September 2018, in Helmand or Kabul, by Taliban"),
])
def test_describe(spec, text):
    assert spec.describe() == text


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["start", "end", "province", "perpetrator", "attack_type", "target",
                                        "freq", "junk"]),
                       st.lists(st.text(max_size=30), max_size=4)))
def test_any_params_give_a_valid_view(params):
    spec = FilterSpec.from_params(params, DOMAIN)
    assert spec.start <= spec.end and spec.freq in ("week", "month", "quarter", "year")
    assert set(spec.provinces) <= set(DOMAIN.provinces)


def test_value_filtered_means_a_column_is_narrowed_not_only_the_dates():
    start, end = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
    assert not FilterSpec(start, end, freq="week").value_filtered
    assert all(FilterSpec(start, end, **{attr: ("x",)}).value_filtered
               for attr in ("provinces", "perpetrators", "attack_types", "targets"))


AUG = (D(2018, 8, 1), D(2018, 8, 31))


@pytest.mark.parametrize("spec, dates, sql, params", [
    (FilterSpec(*AUG), True, "TRUE AND date BETWEEN ? AND ?", [*AUG]),
    (FilterSpec(*AUG), False, "TRUE", []),
    (FilterSpec(*AUG, provinces=("Kabul",)), True, "TRUE AND date BETWEEN ? AND ? AND province IN (?)",
     [*AUG, "Kabul"]),
    (FilterSpec(*AUG, perpetrators=("Taliban", "Unknown"), targets=("civilians",)), False,
     "TRUE AND perpetrator IN (?, ?) AND target IN (?)", ["Taliban", "Unknown", "civilians"]),
    # Columns come in the table's order (province, perpetrator, attack_type, target), whatever the call's.
    (FilterSpec(*AUG, targets=("security forces",), attack_types=("IED", "suicide attack"), provinces=("Helmand",)),
     True, "TRUE AND date BETWEEN ? AND ? AND province IN (?) AND attack_type IN (?, ?) AND target IN (?)",
     [*AUG, "Helmand", "IED", "suicide attack", "security forces"]),
    # A value is a parameter, never part of the SQL text, however it is written.
    (FilterSpec(*AUG, provinces=("Kabul') OR TRUE --",)), False, "TRUE AND province IN (?)",
     ["Kabul') OR TRUE --"]),
])
def test_sql_where(spec, dates, sql, params):
    assert spec.sql_where(dates) == (sql, params)


@pytest.mark.parametrize("spec, clauses", [
    (FilterSpec(*AUG), []),
    (FilterSpec(*AUG, provinces=("Kabul", "Helmand", "Herat"), perpetrators=("Taliban",)),
     ["in Kabul, Helmand or Herat", "by Taliban"]),
    (FilterSpec(*AUG, attack_types=("IED",), targets=("civilians", "media")), ["of type IED", "against civilians or media"]),
])
def test_value_clauses(spec, clauses):
    assert spec.value_clauses() == clauses


def test_upper_first_capitalises_only_the_first_letter():
    from trends.filters import upper_first

    assert upper_first("enemy-initiated attacks") == "Enemy-initiated attacks"
    assert upper_first("civilians killed by UNAMA's count") == "Civilians killed by UNAMA's count"
    assert upper_first("") == ""


def test_with_dates_keeps_the_value_filters_and_nothing_else():
    spec = FilterSpec(D(2018, 1, 1), D(2018, 12, 31), provinces=("Kabul",), perpetrators=("Taliban",),
                      freq="quarter", notices=("a notice",))
    moved = spec.with_dates(D(2019, 1, 1), D(2019, 3, 31))
    assert (moved.start, moved.end, moved.provinces, moved.perpetrators) == (D(2019, 1, 1), D(2019, 3, 31),
                                                                            ("Kabul",), ("Taliban",))
    assert (moved.freq, moved.notices) == ("month", ())
