"""The bundled dataset: validates clean, is documented by datapackage.json, and every row is traceable."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from trends import vocab
from trends.loading import DEFAULT_DATA_DIR

PACKAGE = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def test_bundled_data_validates_clean(bundled):
    assert bundled.problems == []
    assert {r.file: r.rows_loaded == r.rows_read for r in bundled.reports.values()} == {
        "attacks.csv": True, "casualties.csv": True, "meetings.csv": True, "provinces.csv": True}


@pytest.mark.parametrize("key", list(vocab.FILES))
def test_datapackage_documents_exactly_the_schema_columns(key):
    name, columns = vocab.FILES[key]
    resource = next(r for r in PACKAGE["resources"] if r["path"] == name)
    documented = [f["name"] for f in resource["schema"]["fields"]]
    assert documented == list(columns)
    assert all(f.get("description") for f in resource["schema"]["fields"])
    header = (DEFAULT_DATA_DIR / name).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    assert header == list(columns)


def test_datapackage_has_licence_version_date_and_caveat():
    assert PACKAGE["licenses"] and re.fullmatch(r"\d+\.\d+\.\d+", PACKAGE["version"])
    pd.Timestamp(PACKAGE["last_updated"])
    attacks = next(r for r in PACKAGE["resources"] if r["name"] == "attacks")
    assert "not a complete record" in attacks["description"].lower()


@pytest.mark.parametrize("frame, id_column", [("attacks", "event_id"), ("meetings", "meeting_id"),
                                              ("provinces", "province"), ("provinces", "iso_code")])
def test_ids_are_unique(bundled, frame, id_column):
    ids = getattr(bundled, frame)[id_column]
    assert ids.notna().all() and ids.is_unique


@pytest.mark.parametrize("frame", ["attacks", "casualties", "meetings", "provinces"])
def test_every_source_url_is_well_formed(bundled, frame):
    for url in getattr(bundled, frame)["source_url"]:
        parts = urlparse(url)
        assert parts.scheme in ("http", "https") and "." in parts.netloc and " " not in url, url


@pytest.mark.parametrize("frame", ["attacks", "casualties", "meetings"])
def test_every_row_names_a_publisher_and_is_not_synthetic(bundled, frame):
    rows = getattr(bundled, frame)
    assert rows["source"].notna().all()
    assert not rows.astype(str).apply(lambda c: c.str.contains("synthetic", case=False)).any().any()


def test_sizes_the_foundation_asks_for(bundled):
    assert len(bundled.provinces) == 34
    assert len(bundled.attacks) >= 150
    assert len(bundled.meetings) >= 40
    assert bundled.attacks["date"].between("2015-01-01", "2021-12-31").all()


def test_mattis_figure_is_recorded_with_its_qualifier(bundled):
    c = bundled.casualties
    row = c[(c["population"] == "security forces") & (c["period_start"] == "2018-08-01")
            & (c["period_end"] == "2018-09-30")]
    assert len(row) == 1
    assert row.iloc[0]["killed_or_injured"] == 1000 and row.iloc[0]["qualifier"] == "at least"


def test_unama_civilian_rows_cover_every_year(bundled):
    rows = bundled.casualties
    unama = rows[(rows["reporter"] == "UNAMA") & (rows["population"] == "civilians") & rows["attributed_to"].isna()]
    spans = {(s.strftime("%m-%d"), e.strftime("%m-%d"), s.year) for s, e in zip(unama["period_start"],
                                                                                   unama["period_end"])}
    assert {y for a, b, y in spans if (a, b) == ("01-01", "12-31")} == set(range(2009, 2021))
    assert ("01-01", "06-30", 2021) in spans


@pytest.mark.parametrize("pattern", ["Geneva", "Camp David", "Abu Dhabi", "Moscow", "withdraw", "Imran Khan",
                                     "agreement", "ceasefire"])
def test_required_milestones_are_present(bundled, pattern):
    m = bundled.meetings
    text = m["title"].fillna("") + " " + m["summary"].fillna("") + " " + m["kind"]
    assert text.str.contains(pattern, case=False).any(), pattern


def test_unknown_counts_are_blank_not_zero(bundled):
    # No curated source reported a notable attack with nobody hurt, so a 0 here would be a filled gap.
    a = bundled.attacks
    assert not (a["killed"] == 0).any() and not (a["wounded"] == 0).any()
    assert a["killed"].isna().sum() > 0 and a["wounded"].isna().sum() > 0


def test_gazetteer_aliases_cover_common_spellings(bundled):
    gaz = bundled.gazetteer
    for spelling, canonical in [("Hilmand", "Helmand"), ("Hirat", "Herat"), ("Nimroz", "Nimruz"),
                                ("Sari Pul", "Sar-e Pol"), ("Urozgan", "Uruzgan"), ("Maidan Wardak", "Wardak"),
                                ("Ghanzi", "Ghazni"), ("Kabul province", "Kabul"), ("Paktya", "Paktia")]:
        assert gaz.canonical(spelling) == canonical
