"""Prose says what the evidence supports: responsibility by basis, counts, scopes, file names."""

from __future__ import annotations

import datetime as dt

import pytest

from trends.analysis.brief import brief
from trends.filters import FilterSpec
from trends.wording import count, file_stem, responsibility, scope
from trends.engines.open import engine_of

D = dt.date


@pytest.mark.parametrize("perpetrator, basis, expected", [
    ("Taliban", "claimed", "claimed by Taliban"),
    ("Islamic State Khorasan Province", "attributed", "attributed by officials to Islamic State Khorasan Province"),
    ("Taliban", "suspected", "Taliban suspected"),
    ("Unknown", "unknown", "perpetrator unknown"),
    ("Unknown", None, "perpetrator unknown"),
    (None, None, "perpetrator unknown"),
    ("Taliban", None, "by Taliban, as the dataset codes it"),   # an import that records no basis
])
def test_responsibility_is_as_strong_as_the_basis(perpetrator, basis, expected):
    assert responsibility(perpetrator, basis) == expected


@pytest.mark.parametrize("day, words", [
    # The Haska Mena mosque bombing: accused by the president's spokesman, denied, no claim.
    (D(2019, 10, 18), "Taliban suspected"),
    # Abbey Gate: claimed by the Islamic State through Amaq.
    (D(2021, 8, 26), "claimed by Islamic State Khorasan Province"),
    # The Sikh community bombing in Jalalabad, claimed by the Islamic State.
    (D(2018, 7, 1), "claimed by Islamic State Khorasan Province"),
])
def test_the_brief_names_the_deadliest_attack_by_its_basis(bundled, day, words):
    b = brief(engine_of(bundled), bundled.meetings, FilterSpec(day, day), dataset_title="t", first=D(2015, 4, 18))
    assert words in b["text"]
    assert "attributed to" not in b["text"] and "attributed to Unknown" not in b["text"]


@pytest.mark.parametrize("n, expected", [(0, "0 attacks"), (1, "1 attack"), (2, "2 attacks"), (1204, "1,204 attacks")])
def test_count(n, expected):
    assert count(n, "attack", "attacks") == expected


def test_scope_and_file_stem_name_the_filters():
    spec = FilterSpec(D(2020, 2, 29), D(2021, 8, 15), provinces=("Kabul",), perpetrators=("Taliban",))
    assert scope(spec) == "29 February 2020 to 15 August 2021, in Kabul, by Taliban"
    assert file_stem(spec) == "2020-02-29_2021-08-15-kabul-taliban"
    assert file_stem(FilterSpec(D(2018, 1, 1), D(2018, 12, 31))) == "2018-01-01_2018-12-31"
