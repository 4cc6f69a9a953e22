"""python -m trends import ucdp: hand-made SYNTHETIC GED rows -> attacks, rejections, counts, atomic folders."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.conftest import DATA, ROOT, attacks_of, cli_process, run_cli
from trends.importers import output, ucdp
from trends.importers.context import Context
from trends.importers.pipeline import import_rows
from trends.importers.reader import read_export
from trends.dataset.loading import load_dataset
from trends.contract.vocab import ATTACK_COLUMNS

FIX = ROOT / "tests" / "fixtures" / "ucdp"
GED = FIX / "GEDEvent_v23_1_synthetic.csv"
HDX = FIX / "conflict_data_afg_hdx_synthetic.csv"


cli = run_cli


def problem_lines(err: str, file: Path) -> list[tuple[int, str]]:
    """(line, column) of every `FILE:LINE: column: reason` on stderr; column '' for a whole-record fault."""
    found = []
    for line in err.splitlines():
        if line.startswith(f"{file}:"):
            where, rest = line[len(str(file)) + 1:].split(": ", 1)
            column = rest.split(":", 1)[0] if ":" in rest.split(" ", 1)[0] else ""
            found.append((int(where), column))
    return found


@pytest.fixture(scope="module")
def ged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ged") / "afg"
    code, out, err = cli("import", "ucdp", str(GED), "--out", str(folder))
    return code, out, err, folder


def test_counts_every_row_read_as_imported_or_rejected(ged):
    code, out, err, folder = ged
    assert code == 0, err
    assert out.splitlines()[-1] == "read 19, imported 9, rejected 10"
    assert "skipped 3 rows of other countries (--country Afghanistan)" in err
    assert len(attacks_of(folder)) == 9


# Worked out by hand from the fixture rows (line numbers are the file's).
@pytest.mark.parametrize(
    "event_id, date, end_date, date_precision, province, geo_precision, perpetrator, target, killed, low, high", [
        ("ucdp-9001", "2018-01-27", "", "day", "Kabul", "exact", "Afghan government forces", "other", "5", "4", "7"),
        ("ucdp-9002", "2018-03-01", "2018-03-31", "month", "Helmand", "province", "Taliban", "civilians", "12", "10",
         "12"),
        ("ucdp-9003", "2019-05-10", "2019-05-14", "week", "Unknown", "country", "Islamic State Khorasan Province",
         "other", "3", "3", "3"),
        ("ucdp-9004", "2020-02-02", "", "day", "Kunar", "district", "Afghan government forces", "security forces",
         "2", "2", "2"),
        ("ucdp-9005", "2017-01-01", "2017-12-31", "year", "Nangarhar", "district", "Islamic State Khorasan Province",
         "civilians", "20", "15", "30"),
        ("ucdp-9006", "2021-09-10", "", "year", "Panjshir", "province", "Government of Afghanistan", "other", "8",
         "8", "9"),
        ("ucdp-9008", "2016-06-06", "", "day", "Unknown", "country", "Hizb-i Islami-yi Afghanistan", "other", "0",
         "0", "1"),
        ("ucdp-9013", "2019-07-07", "2019-07-08", "day", "Kandahar", "district", "Taliban", "civilians", "6", "6",
         "6"),
        ("ucdp-9017", "2020-10-10", "", "day", "Daykundi", "exact", "Islamic State Khorasan Province", "other", "2",
         "2", "2"),
    ])
def test_each_imported_row(ged, event_id, date, end_date, date_precision, province, geo_precision, perpetrator,
                           target, killed, low, high):
    row = attacks_of(ged[3]).loc[event_id]
    assert (row.date, row.end_date, row.date_precision, row.province, row.geo_precision) == (
        date, end_date, date_precision, province, geo_precision)
    assert (row.perpetrator, row.target, row.killed, row.killed_low, row.killed_high) == (
        perpetrator, target, killed, low, high)
    assert (row.attack_type, row.wounded, row.source) == ("other", "", "UCDP GED 23.1")
    assert row.source_url == "https://ucdp.uu.se/event/" + event_id.removeprefix("ucdp-")


def test_rejected_rows_are_listed_with_line_and_column(ged):
    assert problem_lines(ged[2], GED) == [
        (10, "best"), (11, "id"), (12, "date_start"), (12, "date_end"), (13, "latitude"), (14, ""), (15, "id"),
        (16, "where_prec"), (19, "type_of_violence"), (20, "low"), (21, "latitude"),
    ]
    err = ged[2]
    assert f"{GED}:10: best: must be a whole number of deaths (found 'many')" in err
    assert f"{GED}:14: has 48 fields; the header has 49" in err
    assert f"{GED}:15: id: repeats the id first seen on line 2 (found '9001')" in err
    assert f"{GED}:21: latitude: coordinates fall outside the gazetteer's area" in err


def test_notes_keep_the_citation_as_data(ged):
    notes = attacks_of(ged[3])["notes"]
    assert notes["ucdp-9001"] == 'SYNTHETIC test row, not a real event; "Agency A, 28 January 2018"'
    assert notes["ucdp-9013"] == "SYNTHETIC row whose citation\nruns over two lines"
    assert len(notes["ucdp-9017"]) == 300 and notes["ucdp-9017"].endswith("x…")


def test_unknown_admin1_is_said_not_hidden(ged):
    assert "1 imported rows name an admin-1 unit that is not in provinces.csv" in ged[2]
    assert "Atlantis province (1)" in ged[2]


def test_afghanistan_gets_the_bundled_companion_files(ged):
    for name in ("provinces.csv", "meetings.csv", "casualties.csv", "attack_counts.csv", "boundaries.geojson"):
        assert (ged[3] / name).read_bytes() == (DATA / name).read_bytes()


def test_datapackage_names_source_citation_and_url_form(ged):
    package = json.loads((ged[3] / "datapackage.json").read_text())
    assert package["version"] == "23.1"
    assert package["source_dataset"]["name"] == "UCDP Georeferenced Event Dataset (GED)"
    assert "Sundberg" in package["citation"] and "Journal of Peace Research 50(4)" in package["citation"]
    assert package["source_url_form"].startswith("https://ucdp.uu.se/event/<id>")
    assert package["import"] | {"input": None} == {"input": None, "country": "Afghanistan", "rows_read": 19,
                                                   "rows_imported": 9, "rows_rejected": 10, "rows_skipped": 3}
    assert [r["path"] for r in package["resources"]] == ["attacks.csv", "provinces.csv", "meetings.csv",
                                                          "casualties.csv", "attack_counts.csv", "boundaries.geojson"]


def test_output_passes_validate(ged):
    result = cli_process("validate", str(ged[3]))
    assert result.returncode == 0, result.stdout
    assert "attacks.csv: 9 rows read, 9 loaded, 0 rejected" in result.stderr


def test_hdx_variant_skips_the_hxl_row_and_keeps_line_numbers(tmp_path):
    code, out, err = cli("import", "ucdp", str(HDX), "--out", str(tmp_path / "hdx"))
    assert code == 0, err
    assert out.splitlines()[-1] == "read 3, imported 2, rejected 1"
    assert f"{HDX}:2: skipped the HXL hashtag row" in err
    assert problem_lines(err, HDX) == [(4, "date_start"), (4, "date_end")]
    rows = attacks_of(tmp_path / "hdx")
    assert list(rows.index) == ["ucdp-9101", "ucdp-9103"]
    assert list(rows["province"]) == ["Herat", "Ghazni"] and set(rows["source"]) == {"UCDP GED"}


def test_version_option_wins_over_the_file_name(tmp_path):
    code, _, err = cli("import", "ucdp", str(HDX), "--out", str(tmp_path / "v"), "--version", "24.1")
    assert code == 0, err
    assert set(attacks_of(tmp_path / "v")["source"]) == {"UCDP GED 24.1"}


@pytest.mark.parametrize("file_name, version", [
    ("GEDEvent_v23_1.csv", "23.1"), ("ged231.csv", "23.1"), ("ucdp-ged-24.1-afg.csv", "24.1"),
    ("conflict_data_afg.csv", None), ("ged_2018_01.csv", None),
])
def test_version_from_file_name(file_name, version):
    assert ucdp.version_from_name(file_name) == version


@pytest.mark.parametrize("side_a, start, afghanistan, expected", [
    ("Government of Afghanistan", "2018-01-01", True, "Afghan government forces"),
    ("Government of Afghanistan", "2021-08-14", True, "Afghan government forces"),
    ("Government of Afghanistan", "2021-08-15", True, "Government of Afghanistan"),
    ("IS", "2018-01-01", True, "Islamic State Khorasan Province"),
    ("IS, Islamic State", "2018-01-01", True, "Islamic State Khorasan Province"),
    ("IS", "2018-01-01", False, "IS"),
    ("Taleban", "2018-01-01", True, "Taliban"),
    ("Government of Pakistan", "2018-01-01", False, "Government of Pakistan"),
    ("Hizb-i Islami-yi Afghanistan", "2018-01-01", True, "Hizb-i Islami-yi Afghanistan"),
])
def test_perpetrator_table(side_a, start, afghanistan, expected):
    got = ucdp.perpetrators(pd.Series([side_a], dtype="str"), pd.Series(pd.to_datetime([start])), afghanistan)
    assert got.iloc[0] == expected


@pytest.mark.parametrize("violence, side_b, expected", [
    ("3", "Civilians", "civilians"),
    ("1", "Taleban", "other"),                     # side_a is the government, side_b a rebel group
    ("1", "Government of Pakistan", "security forces"),
    ("2", "Taleban", "other"),
    ("2", "Government of Pakistan", "other"),       # non-state violence never involves a government
])
def test_target_table(violence, side_b, expected):
    got = ucdp.targets(pd.Series([violence], dtype="str"), pd.Series([side_b], dtype="str"))
    assert got.iloc[0] == expected


@pytest.mark.parametrize("code, geo", [("1", "exact"), ("2", "district"), ("3", "district"), ("4", "province"),
                                       ("5", "province"), ("6", "country"), ("7", "country")])
def test_where_prec_table(code, geo):
    assert ucdp.WHERE_PRECISION[code] == geo


@pytest.mark.parametrize("code, precision", [("1", "day"), ("2", "week"), ("3", "month"), ("4", "year"),
                                             ("5", "year")])
def test_date_prec_table(code, precision):
    assert ucdp.DATE_PRECISION[code] == precision


@pytest.mark.parametrize("country", ["770", "pakistan", "PAKISTAN"])
def test_other_country_builds_its_gazetteer(tmp_path, country):
    folder = tmp_path / "pak"
    code, out, err = cli("import", "ucdp", str(GED), "--country", country, "--out", str(folder))
    assert code == 0, err
    assert out.splitlines()[-1] == "read 4, imported 3, rejected 1"  # line 14 cannot be told apart by country
    provinces = pd.read_csv(folder / "provinces.csv", dtype=str, keep_default_na=False)
    assert provinces.to_dict("records") == [
        {"province": "Khyber Pakhtunkhwa", "iso_code": "Khyber Pakhtunkhwa", "capital": "not known",
         "latitude": "34.0", "longitude": "71.5", "region": "", "aliases": "Khyber Pakhtunkhwa province",
         "source_url": ""},
        {"province": "Punjab", "iso_code": "Punjab", "capital": "not known", "latitude": "31.25",
         "longitude": "73.65", "region": "", "aliases": "punjab; Punjab province; punjab province", "source_url": ""},
    ]
    assert list(attacks_of(folder)["province"]) == ["Punjab", "Punjab", "Khyber Pakhtunkhwa"]
    assert (folder / "meetings.csv").read_text() == (
        "meeting_id,date,end_date,title,kind,city,country,latitude,longitude,parties,summary,source,source_url\n")
    dataset = load_dataset(folder)
    assert dataset.problems == [] and len(dataset.attacks) == 3 and dataset.casualties.empty


def test_unknown_country_is_a_one_line_error(tmp_path):
    code, out, err = cli("import", "ucdp", str(GED), "--country", "Narnia", "--out", str(tmp_path / "n"))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"error: {GED}: no rows for --country Narnia; countries in the input: "
                                "Afghanistan, Pakistan"]
    assert not (tmp_path / "n").exists()


def test_missing_columns_is_a_one_line_error(tmp_path):
    broken = tmp_path / "ged.csv"
    broken.write_text(GED.read_text().replace(",best,", ",best_estimate,", 1))
    code, _, err = cli("import", "ucdp", str(broken), "--out", str(tmp_path / "o"))
    assert code == 2
    assert err.splitlines() == [f"error: {broken}:1: required columns are missing from the header: best"]


def test_parquet_above_the_threshold_keeps_types(tmp_path):
    ctx = Context("Afghanistan", True, "23.1", str(GED))
    summary = import_rows(read_export(GED, ucdp.USED), ucdp, ctx, tmp_path / "pq", parquet_above=3)
    assert summary.imported == 9 and not (tmp_path / "pq" / "attacks.csv").exists()
    table = pq.read_table(tmp_path / "pq" / "attacks.parquet")
    types = {f.name: str(f.type) for f in table.schema}
    assert (types["date"], types["end_date"], types["killed"], types["wounded"], types["latitude"]) == (
        "date32[day]", "date32[day]", "int64", "int64", "double")
    assert types["event_id"] == "string" and table.column_names == list(ATTACK_COLUMNS)
    frame = table.to_pandas()
    assert frame["wounded"].isna().all() and frame["killed"].sum() == 58
    package = json.loads((tmp_path / "pq" / "datapackage.json").read_text())
    assert package["resources"][0]["path"] == "attacks.parquet"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@pytest.fixture
def old_folder(tmp_path) -> Path:
    folder = tmp_path / "ds"
    code, _, err = cli("import", "ucdp", str(HDX), "--out", str(folder))
    assert code == 0, err
    return folder


def test_mapping_that_raises_midway_leaves_the_old_folder(old_folder, monkeypatch):
    before = snapshot(old_folder)

    def broken(*args, **kwargs):
        raise RuntimeError("mapping failed midway")

    monkeypatch.setattr(ucdp, "targets", broken)
    with pytest.raises(RuntimeError):
        cli("import", "ucdp", str(GED), "--out", str(old_folder))
    assert snapshot(old_folder) == before and leftovers(old_folder) == []


def test_writer_that_fails_midway_leaves_the_old_folder(old_folder, monkeypatch):
    before = snapshot(old_folder)
    real_copy = output.shutil.copyfile

    def copy_then_fail(src, dst):
        if Path(dst).name == "meetings.csv":  # attacks.csv and provinces.csv are already written
            raise OSError(28, "No space left on device")
        return real_copy(src, dst)

    monkeypatch.setattr(output.shutil, "copyfile", copy_then_fail)
    code, out, err = cli("import", "ucdp", str(GED), "--out", str(old_folder))
    assert code == 2 and "No space left on device" in err and out == ""
    assert snapshot(old_folder) == before and leftovers(old_folder) == []


# The child kills itself with SIGKILL once attacks.csv is written and before meetings.csv is, so the kill lands
# mid-write on any machine; polling for the temporary folder from here raced the child on a busy machine.
KILL_MIDWAY = """
import os, shutil, signal, sys
real = shutil.copyfile
def copy_or_die(src, dst):
    if os.path.basename(dst) == "meetings.csv":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
shutil.copyfile = copy_or_die
from trends.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigkill_midway_leaves_the_old_folder(old_folder):
    before = snapshot(old_folder)
    child = subprocess.run([sys.executable, "-c", KILL_MIDWAY, "import", "ucdp", str(GED), "--out", str(old_folder)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert snapshot(old_folder) == before
    assert leftovers(old_folder)  # the half-written temporary folder, tidied by the next run
    code, out, err = cli("import", "ucdp", str(GED), "--out", str(old_folder))
    assert code == 0, err
    assert leftovers(old_folder) == [] and len(attacks_of(old_folder)) == 9


@pytest.mark.parametrize("target, reason", [
    ("occupied", "exists and is not a dataset folder; refusing to replace it"),
    ("data", "the bundled data/ is curated by hand; import into another folder"),
])
def test_refuses_to_replace_what_is_not_an_imported_folder(tmp_path, target, reason):
    out = DATA if target == "data" else tmp_path / "occupied"
    if target == "occupied":
        out.mkdir()
        (out / "thesis.txt").write_text("keep me")
    code, _, err = cli("import", "ucdp", str(HDX), "--out", str(out))
    assert code == 2 and err.strip().endswith(reason)
    if target == "occupied":
        assert [p.name for p in out.iterdir()] == ["thesis.txt"]


@pytest.mark.parametrize("variant", ["crlf", "bom", "cp1252"])
def test_windows_saved_copies_read_the_same(tmp_path, variant):
    text = GED.read_text(encoding="utf-8")
    data = {
        "crlf": text.replace("\n", "\r\n").encode(),  # the quoted line break inside line 17 becomes CRLF too
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "cp1252": text.replace("Hilmand province", "Hilmand provínce").encode("cp1252"),
    }[variant]
    copy = tmp_path / "GEDEvent_v23_1.csv"
    copy.write_bytes(data)
    code, out, err = cli("import", "ucdp", str(copy), "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert out.splitlines()[-1] == "read 19, imported 9, rejected 10"
    assert [line for line, _ in problem_lines(err, copy)] == [10, 11, 12, 12, 13, 14, 15, 16, 19, 20, 21]
    assert ("read as Windows-1252" in err) == (variant == "cp1252")
    rows = attacks_of(tmp_path / "o")
    assert list(rows.index)[:2] == ["ucdp-9001", "ucdp-9002"]
    if variant == "cp1252":  # decoded right: the accented spelling reaches the unknown-name notice intact
        assert rows.loc["ucdp-9002", "province"] == "Unknown" and "Hilmand provínce (1)" in err
    else:
        assert rows.loc["ucdp-9002", "province"] == "Helmand"
