"""The bundled dataset: validates clean, is documented by datapackage.json, and every row is traceable."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from trends.contract import vocab
from trends.analysis.audit import renamed, row_ids
from trends.dataset.loading import DEFAULT_DATA_DIR, load_dataset

PACKAGE = json.loads((DEFAULT_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def test_bundled_data_validates_clean(bundled):
    assert bundled.problems == [] and bundled.findings == []
    assert {r.file: r.rows_loaded == r.rows_read for r in bundled.reports.values()} == {
        "attacks.csv": True, "casualties.csv": True, "meetings.csv": True, "provinces.csv": True,
        "attack_counts.csv": True, "corrections.csv": True, "stated_changes.csv": True}


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
    # From the first year of the inclusion rule to the release (December 2026).
    assert bundled.attacks["date"].between("2009-01-01", "2026-12-06").all()
    assert bundled.attacks["date"].dt.year.nunique() == 18


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


# Facts corrected in the audit of December 2026, each checked against the report the row now cites.
@pytest.mark.parametrize("event_id, field, expected", [
    # Taliban spokesman claimed the Lashkar Gah bank bombing the same day; the governor's office gave 34 and 58.
    ("afg-20170622-lashkar-gah-kabul-bank-car-bomb", "perpetrator", "Taliban"),
    ("afg-20170622-lashkar-gah-kabul-bank-car-bomb", "perpetrator_basis", "claimed"),
    ("afg-20170622-lashkar-gah-kabul-bank-car-bomb", "killed", 34),
    ("afg-20170622-lashkar-gah-kabul-bank-car-bomb", "wounded", 58),
    # Ghor, Dolina mosque: police said 33 killed; 10 was the first report, 21 came from security officials.
    ("afg-20171020-ghor-dolina-mosque-bombing", "killed", 33),
    ("afg-20171020-ghor-dolina-mosque-bombing", "killed_low", 21),
    # Kabul, Qala-e-Fatullah mosque: police and the Emergency hospital 6 killed, the ministry 5 and 20 wounded.
    # Ghazni, August 2018: 466 was the defence ministry's day-five total with 326 Taliban among them; when the
    # siege ended Reuters gave at least 150 soldiers and 95 civilians killed (150 + 95 = 245).
    ("afg-20180810-ghazni-offensive", "killed", 245),
    ("afg-20180810-ghazni-offensive", "attackers_killed", 326),
    ("afg-20180810-ghazni-offensive", "end_date", pd.Timestamp("2018-08-15")),
])
def test_corrected_attack_facts(bundled, event_id, field, expected):
    row = bundled.attacks.set_index("event_id").loc[event_id]
    assert row[field] == expected


def test_tashkent_conference_says_who_attended(bundled):
    row = bundled.meetings.set_index("meeting_id").loc["m-20180326-tashkent-conference"]
    assert "did not attend but sent a video message" in row["summary"] and "Thomas Shannon" in row["summary"]
    assert row["source_url"] == "https://www.un.org/press/en/2018/sgsm18963.doc.htm"


def test_perpetrator_basis_uses_its_vocabulary_and_agrees_with_the_perpetrator(bundled):
    a = bundled.attacks
    assert set(a["perpetrator_basis"]) <= set(vocab.PERPETRATOR_BASES)
    # Unknown perpetrator and 'unknown' basis go together, both ways.
    assert ((a["perpetrator"] == "Unknown") == (a["perpetrator_basis"] == "unknown")).all()


def test_a_bad_perpetrator_basis_is_rejected_with_its_line(small_copy):
    from trends.dataset.loading import load_dataset

    path = small_copy / "attacks.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    at = header.index("perpetrator") + 1
    lines[0] = ",".join(header[:at] + ["perpetrator_basis"] + header[at:])
    for i in range(1, len(lines)):
        cells = lines[i].split(",")
        basis = "unknown" if cells[at - 1] == "Unknown" else "claimed"
        lines[i] = ",".join(cells[:at] + ["rumoured" if i == 2 else basis] + cells[at:])  # lines[2]: line 3
    path.write_text("\n".join(lines) + "\n")
    problems = load_dataset(small_copy).problems
    assert [(p.line, p.column, p.value) for p in problems] == [(3, "perpetrator_basis", "rumoured")]


def _cell(value) -> str:
    """A loaded value as the CSV writes it (blank for missing, dates as YYYY-MM-DD, whole numbers plain)."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else str(value)


def test_corrections_log_matches_the_data(bundled):
    log = bundled.corrections
    assert len(log) > 0
    frames = {name: frame.set_index(row_ids(name, frame)) for name, frame in (
        ("attacks.csv", bundled.attacks), ("meetings.csv", bundled.meetings), ("casualties.csv", bundled.casualties),
        ("attack_counts.csv", bundled.attack_counts))}
    removed = set(zip(log.loc[log["field"] == "row", "file"], log.loc[log["field"] == "row", "row_id"]))
    # The latest correction of each field is what the data holds now.
    latest = log.sort_values("date", kind="stable").drop_duplicates(["file", "row_id", "field"], keep="last")
    now = renamed(log)
    latest = latest.assign(row_id=[now.get((f, r), r) for f, r in zip(latest["file"], latest["row_id"])])
    for entry in latest.itertuples():
        frame = frames[entry.file]
        if (entry.file, entry.row_id) in removed:
            # A removed row is gone; where it was a second figure for one period, the one kept remains alone.
            assert (frame.index == entry.row_id).sum() <= 1, entry
            continue
        assert entry.field in frame.columns, entry
        got = _cell(frame.loc[entry.row_id, entry.field])
        assert got == _cell(entry.new_value), (entry.row_id, entry.field, got, entry.new_value)
        assert _cell(entry.old_value) != _cell(entry.new_value)


def test_every_changed_figure_since_the_last_release_is_logged():
    # The figures of release 1.0.1 (kept in tests/fixtures/release-1.0.1) against today's, field by field.
    import csv

    old_folder = DEFAULT_DATA_DIR.parent / "tests" / "fixtures" / "release-1.0.1"
    logged = {(r["file"], r["row_id"], r["field"])
              for r in csv.DictReader(open(DEFAULT_DATA_DIR / "corrections.csv", encoding="utf-8"))}
    for name, key in (("attacks.csv", "event_id"), ("meetings.csv", "meeting_id")):
        old = {r[key]: r for r in csv.DictReader(open(old_folder / name, encoding="utf-8"))}
        new = {r[key]: r for r in csv.DictReader(open(DEFAULT_DATA_DIR / name, encoding="utf-8"))}
        gone = {r["row_id"] for r in csv.DictReader(open(DEFAULT_DATA_DIR / "corrections.csv", encoding="utf-8"))
                if r["file"] == name and r["field"] == "row"}
        assert set(old) - set(new) <= gone
        for row_id, row in new.items():
            if row_id not in old:
                continue  # a row added since: nothing of it was published before
            for field, value in row.items():
                if field in ("notes", "summary", "perpetrator_basis") or field not in old[row_id]:
                    continue  # wording, and a column that did not exist before, are not figures
                if value != old[row_id][field]:
                    assert (name, row_id, field) in logged, (name, row_id, field)


# The examples that the second audit (December 2026) was asked to correct, each as the reports state it.
@pytest.mark.parametrize("event_id, field, expected", [
    # Lashkar Gah, 13 May 2015: claimed the same day by the Taliban's spokesman; the target was the Helmand Ulema
    # Council's meeting; 7 killed and 7 wounded once the siege ended, the two gunmen apart.
    # Abbey Gate, 26 Aug 2021: about 150 Afghans wounded; 170 Afghans and 13 US troops killed; the bomber apart.
    ("afg-20210826-kabul-airport-abbey-gate-bombing", "wounded", 150),
    ("afg-20210826-kabul-airport-abbey-gate-bombing", "killed", 183),
    ("afg-20210826-kabul-airport-abbey-gate-bombing", "attackers_killed", 1),
    # Sayed al-Shuhada school, 8 May 2021: the government's accusation, denied, is a suspicion, not an attribution.
    ("afg-20210508-kabul-sayed-ul-shuhada-school-bombing", "perpetrator_basis", "suspected"),
])
def test_second_audit_examples(bundled, event_id, field, expected):
    assert bundled.attacks.set_index("event_id").loc[event_id, field] == expected


def test_abbey_gate_notes_give_the_investigations_us_wounded(bundled):
    notes = bundled.attacks.set_index("event_id").loc["afg-20210826-kabul-airport-abbey-gate-bombing", "notes"]
    assert "45" in notes


def test_one_resolute_support_figure_per_quarter_and_the_swap_undone(bundled):
    counts = bundled.attack_counts
    eia = counts[counts["measure"] == "enemy-initiated attacks"]
    assert not eia.duplicated(["period_start", "period_end"]).any()
    by_period = {(s.date().isoformat(), e.date().isoformat()): n for s, e, n in
                 zip(eia["period_start"], eia["period_end"], eia["count"])}
    # SIGAR and the Lead IG: "nearly 37 percent" above Jan-Mar 2020 (7,620) and "about 10%" below Oct-Dec 2020.
    assert by_period[("2021-01-01", "2021-03-31")] == 10431
    assert by_period[("2020-10-01", "2020-12-31")] == 11551


@pytest.mark.parametrize("start, end, killed, injured, total", [
    ("2021-01-01", "2021-06-30", 1659, 3524, 5183),   # UNAMA's midyear update 2021: 1,659 + 3,524 = 5,183
    ("2009-01-01", "2009-12-31", 2412, None, 5978),   # UNAMA 2009: 2,412 deaths, at least 5,978 in all
])
def test_unama_totals_are_stored_and_add_up(bundled, start, end, killed, injured, total):
    c = bundled.casualties
    row = c[(c["reporter"] == "UNAMA") & c["attributed_to"].isna() & (c["period_start"] == start)
            & (c["period_end"] == end)].iloc[0]
    assert row["killed"] == killed and row["killed_or_injured"] == total
    assert (pd.isna(row["injured"]) if injured is None else row["injured"] == injured)


def test_meetings_corrected_in_the_second_audit(bundled):
    m = bundled.meetings.set_index("meeting_id")
    moscow = [p.strip() for p in m.loc["m-20181109-moscow-format", "parties"].split(";")]
    assert {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "India", "United States"} <= set(moscow)
    assert m.loc["m-20210707-tehran-afghan-talks", "end_date"] == pd.Timestamp("2021-07-08")


@pytest.mark.parametrize("frame", ["casualties", "attack_counts"])
def test_every_reported_figure_names_its_report(bundled, frame):
    assert getattr(bundled, frame)["report"].notna().all()


def test_every_toll_names_its_report_and_its_date(bundled):
    a = bundled.attacks
    told = a["killed"].notna() | a["wounded"].notna()
    undated = a["report"].fillna("").str.contains("date not shown")
    assert a.loc[told, "report"].notna().all() and a.loc[told & ~undated, "toll_date"].notna().all()
    # Six reports show no date (among them UNAMA's statement on the Mawoud academy bombing, the New York Times
    # account of Chinese Camp, and the undated analysis of the Azra hospital attack); none is guessed for them.
    assert sorted(a.loc[told & a["toll_date"].isna(), "event_id"]) == [
        "afg-20110625-logar-azra-hospital-bombing", "afg-20130913-herat-us-consulate-attack",
        "afg-20141123-paktika-yahya-khel-volleyball-bombing", "afg-20180812-faryab-chinese-camp-overrun",
        "afg-20180815-kabul-mawoud-academy-bombing", "afg-20220416-khost-kunar-pakistani-airstrikes"]
    # Every claim says who claimed and how; every suspicion says who accused.
    named = a["perpetrator_basis"].isin(["claimed", "attributed", "suspected"])
    assert a.loc[named, "basis_detail"].notna().all()


def test_the_audit_is_reported_in_the_docs(bundled):
    from trends.analysis.audit import changes_by_kind, rows_changed

    docs = (DEFAULT_DATA_DIR.parent / "docs" / "data.md").read_text(encoding="utf-8")
    table = changes_by_kind(bundled.corrections, since="2026-12-06")
    for row in table.itertuples():
        assert f"| {row.file} | {row.kind} | {row.rows} |" in docs, row
    changed = rows_changed(bundled.corrections, since="2026-12-06")
    log = bundled.corrections[bundled.corrections["date"] >= "2026-12-06"]
    material = log[log["kind"].isin(["toll", "attackers", "claim", "basis", "relay", "figure", "removed"])]
    in_figures = material.groupby("file")["row_id"].nunique()
    assert f"attacks.csv {changed['attacks.csv']} of 171 ({in_figures['attacks.csv']} of them" in docs
    assert f"casualties.csv {changed['casualties.csv']} of\n100 ({in_figures['casualties.csv']} in a figure" in docs
    assert f"attack_counts.csv {changed['attack_counts.csv']} of 17 ({in_figures['attack_counts.csv']} in" in docs
    assert f"meetings.csv {changed['meetings.csv']} of 64" in docs


@pytest.mark.parametrize("name", ["attacks.csv", "casualties.csv", "attack_counts.csv", "meetings.csv"])
def test_every_change_of_the_second_audit_is_logged(name):
    """Release 1.1.0's rows (tests/fixtures/release-1.1.0) against today's, cell by cell: every changed figure or
    fact has its line in corrections.csv, and every row that is gone was logged as removed."""
    from trends.dataset.loading import load_dataset

    old = load_dataset_rows(DEFAULT_DATA_DIR.parent / "tests" / "fixtures" / "release-1.1.0" / name, name)
    new = load_dataset_rows(DEFAULT_DATA_DIR / name, name)
    log = load_dataset(DEFAULT_DATA_DIR).corrections
    now = renamed(log)
    logged = {(f, now.get((f, r), r), c) for f, r, c in zip(log["file"], log["row_id"], log["field"])}
    logged |= {(f, r, c) for f, r, c in zip(log["file"], log["row_id"], log["field"])}
    removed = {r for f, r, c in logged if f == name and c == "row"}
    for row_id, row in old.items():
        current = new.get(now.get((name, row_id), row_id))
        if current is None:
            assert row_id in removed, row_id
            continue
        for field, value in row.items():
            if field in ("notes", "summary") or field not in current or current[field] == value:
                continue
            assert (name, row_id, field) in logged or (name, now.get((name, row_id), row_id), field) in logged, \
                (row_id, field, value, current[field])


def load_dataset_rows(path, name) -> dict:
    """Rows of one CSV by the id corrections.csv uses; an id given twice (two figures for one period) is left out."""
    import csv

    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    frame = pd.DataFrame(rows)
    for col in ("period_start", "period_end"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "attributed_to" in frame:
        frame["attributed_to"] = frame["attributed_to"].replace("", None)
    ids = list(row_ids(name, frame))
    return {i: r for i, r in zip(ids, rows) if ids.count(i) == 1}


def test_rows_taken_out_under_the_inclusion_rule_met_none_of_its_criteria(bundled):
    """Each row logged with kind scope is gone, and its release-1.2.0 figures (the last release before the rule,
    kept in tests/fixtures/release-1.2.0) meet no criterion, recomputed here."""
    import csv

    old = {r["event_id"]: r for r in csv.DictReader(open(
        DEFAULT_DATA_DIR.parent / "tests" / "fixtures" / "release-1.2.0" / "attacks.csv", encoding="utf-8"))}
    log = bundled.corrections
    scope = log[(log["kind"] == "scope") & (log["field"] == "row")]
    assert len(scope) == 78
    protected = {"religious", "education", "health", "media", "election", "aid workers"}
    for row_id in scope["row_id"]:
        assert row_id not in set(bundled.attacks["event_id"])
        row = old[row_id]
        killed = int(row["killed"]) if row["killed"] else -1
        assert killed < 25 and not (row["target"] in protected and killed >= 10), row_id
        assert row["attack_type"] != "ground offensive" and row["perpetrator"] not in ("Pakistani forces", "Iranian forces"), row_id
        # Embassies and consulates were filed under "other" before the rule; those three are kept as diplomatic.
        assert not any(w in row["location"].lower() for w in ("embassy compound", "consulate", "iraqi embassy")), row_id
    retargeted = log[(log["kind"] == "scope") & (log["field"] == "target")]
    assert sorted(retargeted["new_value"]) == ["diplomatic"] * 3


def test_the_readme_states_each_files_span():
    """The README's table of spans is what `python -m trends spans` prints for the bundled data."""
    from trends.analysis.spans import markdown

    readme = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    table = markdown(load_dataset(DEFAULT_DATA_DIR))
    assert table in readme
    # Hand-read from the files: the first attack is Granai (4 May 2009), the last meeting Urumqi (1-7 Apr 2026).
    assert "| attacks.csv | attacks under the inclusion rule | 4 May 2009 | 18 March 2026 | 194 |" in table
    assert "| meetings.csv | talks and milestones | 28 January 2010 | 7 April 2026 | 128 |" in table
