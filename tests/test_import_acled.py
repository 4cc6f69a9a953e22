"""python -m trends import acled: hand-made SYNTHETIC rows in ACLED's export layout (no real ACLED data)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.conftest import DATA, ROOT, attacks_of, cli_process, run_cli
from trends.importers import acled

FIX = ROOT / "tests" / "fixtures" / "acled"
EXPORT = FIX / "acled_synthetic.csv"


cli = run_cli


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("acled") / "afg"
    code, out, err = cli("import", "acled", str(EXPORT), "--out", str(folder))
    return code, out, err, folder


def test_every_fixture_row_says_synthetic():
    rows = pd.read_csv(EXPORT, dtype=str, keep_default_na=False, on_bad_lines="skip")
    assert len(rows) == 18 and rows["notes"].str.startswith("SYNTHETIC").all()
    assert "SYNTHETIC" in EXPORT.read_text().splitlines()[17]  # the record with a field too many


def test_counts(imported):
    code, out, err, folder = imported
    assert code == 0, err
    assert out.splitlines()[-1] == "read 17, imported 11, rejected 6"
    assert "skipped 2 rows of other countries (--country Afghanistan) or of event types that are not attacks" in err


@pytest.mark.parametrize("event_id, date, precision, province, geo, perpetrator, attack_type, target, killed", [
    ("acled-AFG1001", "2018-08-01", "day", "Helmand", "exact", "Taliban", "armed assault", "security forces", "4"),
    ("acled-AFG1002", "2018-08-01", "week", "Kabul", "district", "Islamic State Khorasan Province", "suicide attack",
     "civilians", "20"),
    ("acled-AFG1003", "2018-09-15", "month", "Herat", "province", "Afghan government forces", "abduction",
     "civilians", "0"),
    ("acled-AFG1004", "2019-01-02", "day", "Uruzgan", "exact", "Unidentified Armed Group (Afghanistan)", "IED",
     "security forces", "2"),
    ("acled-AFG1005", "2019-02-03", "day", "Nimruz", "exact", "Taliban", "indirect fire", "other", ""),
    ("acled-AFG1006", "2019-03-04", "day", "Kunduz", "exact", "Military Forces of the United States (2017-2021)",
     "airstrike", "other", "7"),
    ("acled-AFG1007", "2019-04-05", "day", "Sar-e Pol", "exact", "Taliban", "ground offensive", "security forces",
     "11"),
    ("acled-AFG1008", "2019-05-06", "day", "Ghazni", "exact", "Afghan government forces", "ground offensive",
     "other", "3"),
    ("acled-AFG1009", "2022-01-05", "day", "Kabul", "exact", "Military Forces of Afghanistan (2021-)",
     "armed assault", "civilians", "1"),
    ("acled-AFG1010", "2020-06-07", "day", "Wardak", "exact", "Islamic State Khorasan Province", "other",
     "civilians", "1"),
    ("acled-AFG1016", "2018-12-03", "day", "Unknown", "exact", "Taliban", "armed assault", "other", "5"),
])
def test_each_imported_row(imported, event_id, date, precision, province, geo, perpetrator, attack_type, target,
                           killed):
    row = attacks_of(imported[3]).loc[event_id]
    assert (row.date, row.end_date, row.date_precision, row.province, row.geo_precision) == (
        date, "", precision, province, geo)
    assert (row.perpetrator, row.attack_type, row.target, row.killed) == (perpetrator, attack_type, target, killed)
    assert (row.wounded, row.killed_low, row.killed_high) == ("", "", "")
    assert (row.source, row.source_url) == ("ACLED: Synthetic Test Wire", "https://acleddata.com/")
    assert row.notes.startswith("SYNTHETIC test row, not a real event.")


def test_rejected_rows_are_listed_with_line_and_column(imported):
    problems = [line for line in imported[2].splitlines() if line.startswith(f"{EXPORT}:")]
    assert problems == [
        f"{EXPORT}:14: fatalities: must be a whole number of deaths (found 'several')",
        f"{EXPORT}:15: event_date: must be a real date written YYYY-MM-DD or like 01 August 2018 (found '2018-13-01')",
        f"{EXPORT}:16: time_precision: must be 1, 2 or 3 (found '4')",
        f"{EXPORT}:17: latitude: must be a number of degrees between -90 and 90 (found 'abc')",
        f"{EXPORT}:18: has 32 fields; the header has 31",
        f"{EXPORT}:20: actor1: is blank; every ACLED event names actor1",
    ]


def test_output_passes_validate_and_keeps_the_bundled_companions(imported):
    folder = imported[3]
    result = cli_process("validate", str(folder))
    assert result.returncode == 0, result.stdout
    assert "attacks.csv: 11 rows read, 11 loaded, 0 rejected" in result.stderr
    for name in ("provinces.csv", "meetings.csv", "casualties.csv"):
        assert (folder / name).read_bytes() == (DATA / name).read_bytes()


def test_datapackage_records_terms_and_the_url_used(imported):
    package = json.loads((imported[3] / "datapackage.json").read_text())
    assert package["source_url_form"].startswith("https://acleddata.com/ for every row")
    assert "may not be redistributed" in package["licenses"][0]["title"]
    assert "Introducing ACLED" in package["citation"]
    assert any("forbid redistributing" in c for c in package["caveats"])
    assert (package["import"]["rows_read"], package["import"]["rows_imported"]) == (17, 11)


def test_all_events_keeps_protests_as_other(tmp_path):
    code, out, err = cli("import", "acled", str(EXPORT), "--all-events", "--out", str(tmp_path / "all"))
    assert code == 0, err
    assert out.splitlines()[-1] == "read 18, imported 12, rejected 6"
    row = attacks_of(tmp_path / "all").loc["acled-AFG1011"]
    assert (row.perpetrator, row.attack_type, row.target) == ("Protesters (Afghanistan)", "other", "other")


@pytest.mark.parametrize("sub_event_type, attack_type", [
    ("Suicide bomb", "suicide attack"),
    ("Remote explosive/landmine/IED", "IED"),
    ("Armed clash", "armed assault"),
    ("Attack", "armed assault"),
    ("Shelling/artillery/missile attack", "indirect fire"),
    ("Air/drone strike", "airstrike"),
    ("Abduction/forced disappearance", "abduction"),
    ("Non-state actor overtakes territory", "ground offensive"),
    ("Government regains territory", "ground offensive"),
    ("Grenade", "other"),
    ("Sexual violence", "other"),
    ("  SUICIDE BOMB ", "suicide attack"),  # as exports sometimes spell it
    ("", "other"),
])
def test_tactic_table(sub_event_type, attack_type):
    assert acled.tactics(pd.Series([sub_event_type, None])).tolist() == [attack_type, "other"]


@pytest.mark.parametrize("actor1, perpetrator", [
    ("Taliban", "Taliban"),
    ("Taliban (Haqqani Network)", "Taliban"),
    ("Islamic State (Afghanistan)", "Islamic State Khorasan Province"),
    ("Islamic State Khorasan Province", "Islamic State Khorasan Province"),
    ("Islamic State Khorasan Province (ISKP)", "Islamic State Khorasan Province"),
    ("Military Forces of Afghanistan (2004-2021)", "Afghan government forces"),
    ("Military Forces of Afghanistan (2001-2004)", "Afghan government forces"),
    ("Police Forces of Afghanistan (2004-2021)", "Afghan government forces"),
    ("Military Forces of Afghanistan (2021-)", "Military Forces of Afghanistan (2021-)"),
    ("Military Forces of Pakistan (2018-)", "Military Forces of Pakistan (2018-)"),
    ("Islamic State (Iraq)", "Islamic State (Iraq)"),
    ("Unidentified Armed Group (Afghanistan)", "Unidentified Armed Group (Afghanistan)"),
])
def test_actor_table(actor1, perpetrator):
    assert acled.perpetrators(pd.Series([actor1], dtype="str")).iloc[0] == perpetrator


@pytest.mark.parametrize("civilian_targeting, actor2, target", [
    ("Civilian targeting", "", "civilians"),
    ("", "Civilians (Afghanistan)", "civilians"),
    ("", "Military Forces of Afghanistan (2004-2021)", "security forces"),
    ("", "Police Forces of Afghanistan (2004-2021)", "security forces"),
    ("Civilian targeting", "Police Forces of Afghanistan (2004-2021)", "civilians"),
    ("", "Taliban", "other"),
    ("", "", "other"),
])
def test_target_table(civilian_targeting, actor2, target):
    blank = lambda v: pd.Series([v or None], dtype="str")  # noqa: E731
    assert acled.targets(blank(civilian_targeting), blank(actor2)).iloc[0] == target


@pytest.mark.parametrize("written, day", [
    ("2018-08-01", "2018-08-01"), ("01 August 2018", "2018-08-01"), ("1 August 2018", "2018-08-01"),
    ("31 February 2018", None), ("2018/08/01", None), ("", None),
])
def test_event_dates(written, day):
    got = acled.event_dates(pd.Series([written or None], dtype="str")).iloc[0]
    assert (None if pd.isna(got) else got.strftime("%Y-%m-%d")) == day


def test_missing_column_is_a_one_line_error(tmp_path):
    broken = tmp_path / "export.csv"
    broken.write_text(EXPORT.read_text().replace(",fatalities,", ",deaths,", 1))
    code, _, err = cli("import", "acled", str(broken), "--out", str(tmp_path / "o"))
    assert code == 2
    assert err.splitlines() == [f"error: {broken}:1: required columns are missing from the header: fatalities"]
