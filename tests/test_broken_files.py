"""The broken-file corpus: each fault gives a line-precise error from validate, and the app keeps working."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SMALL, cli_process, run_app
from trends.dataset.loading import load_dataset

CORPUS = ROOT / "tests" / "fixtures" / "broken"
FIELD_COUNT = "has {n} fields; the header has 20"

# file -> (exit code, exact lines validate prints, valid rows that still load)
EXPECTED = {
    "impossible_date": (1, ["attacks.csv:3: date: must be a real date written YYYY-MM-DD (found '2018-02-30')"], 1),
    "words_in_numbers": (1, ["attacks.csv:3: killed: must be a whole number (found 'twelve')"], 1),
    "negative_count": (1, ["attacks.csv:3: wounded: must not be negative (found '-4')"], 1),
    "coordinates_zero": (1, ["attacks.csv:3: latitude: coordinates fall outside the gazetteer's area (latitude "
                             "29..38, longitude 60..70) (found '0')"], 1),
    "unknown_province": (1, ["attacks.csv:3: province: is not a province in provinces.csv (nor one of its "
                             "aliases); known: Northland, Southland, Westland, Unknown (found 'Atlantis')"], 1),
    "value_outside_enumeration": (1, ["attacks.csv:3: target: must be one of: security forces, civilians, "
                                      "government, international forces, election, religious, education, health, "
                                      "aid workers, media, diplomatic, other (found 'everybody')"], 1),
    "malformed_url": (1, ["attacks.csv:3: source_url: must be a full http(s) URL (found "
                          "'www.example.org/no-scheme')"], 1),
    "end_before_start": (1, ["attacks.csv:3: end_date: end_date is before date (found '2018-08-01')"], 1),
    "duplicate_id": (1, ["attacks.csv:3: event_id: repeats an id used on an earlier line (found 'b1')"], 1),
    "too_many_fields": (1, ["attacks.csv:3: " + FIELD_COUNT.format(n=21)], 1),
    "too_few_fields": (1, ["attacks.csv:3: " + FIELD_COUNT.format(n=10)], 1),
    "missing_column": (1, ["attacks.csv:1: date: required column is missing from the header; add it (docs/data.md "
                           "lists every column)"], 0),
    "empty": (1, ["attacks.csv: the file is empty; it needs at least a header line"], 0),
    "header_only": (0, [], 0),
    "semicolons": (0, ["notice: attacks.csv: the header is separated by semicolons; read it as a "
                       "semicolon-delimited file."], 2),
    # 224 = the 190-byte header line + "b1,2018-08-02,,day,Northland,,Caf": the é of Café.
    "cp1252": (0, ["notice: attacks.csv: not UTF-8 (first bad byte at offset 224); read as Windows-1252. Save the "
                   "file as UTF-8 to silence this notice."], 2),
    "bom_crlf": (0, [], 2),
}


@pytest.fixture
def broken(tmp_path):
    def make(case: str):
        folder = tmp_path / case
        shutil.copytree(SMALL, folder)
        shutil.copy(CORPUS / f"attacks_{case}.csv", folder / "attacks.csv")
        return folder
    return make


def test_the_corpus_is_complete():
    assert sorted(p.stem.removeprefix("attacks_") for p in CORPUS.glob("attacks_*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_validate_names_each_fault(broken, case):
    code, lines, loaded = EXPECTED[case]
    folder = broken(case)
    out = cli_process("validate", str(folder))
    assert out.returncode == code, out.stdout + out.stderr
    assert out.stdout.splitlines() == lines
    report = load_dataset(folder).reports["attacks.csv"]
    assert report.rows_loaded == loaded and report.rows_loaded + report.rows_rejected == report.rows_read


@pytest.mark.parametrize("case", ["impossible_date", "missing_column", "empty", "header_only", "cp1252"])
def test_app_keeps_working_with_a_notice(monkeypatch, broken, case):
    at = run_app(monkeypatch, broken(case))
    assert not at.exception
    notices = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    if EXPECTED[case][0]:
        assert "Data quality:" in notices
    if EXPECTED[case][2] == 0:
        assert "This dataset has no events" in notices
    assert {m.label: m.value for m in at.metric}["Notable attacks recorded"] == str(EXPECTED[case][2])


def test_a_one_megabyte_field_loads(broken):
    folder = broken("bom_crlf")
    path = folder / "attacks.csv"
    path.write_bytes(path.read_bytes().replace(b"SYNTHETIC broken-file corpus row.", b"SYNTHETIC " + b"x" * 1_048_576,
                                               1))
    data = load_dataset(folder)
    assert data.reports["attacks.csv"].rows_loaded == 2
    assert data.attacks["notes"].str.len().max() == 1_048_576 + len("SYNTHETIC ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600) | st.text(alphabet=st.sampled_from(list(',;"\n\r\t=-<>ab0123456789\x00é')),
                                         max_size=600).map(str.encode))
def test_loader_never_raises_on_any_bytes(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SMALL, folder, dirs_exist_ok=True)
    header = (SMALL / "attacks.csv").read_bytes().split(b"\n", 1)[0] + b"\n"
    for body in (content, header + content):
        (folder / "attacks.csv").write_bytes(body)
        data = load_dataset(folder)
        report = data.reports["attacks.csv"]
        # The counts are the frame's and the problems' own: every loaded row is in the frame, and every rejected
        # row has its line (2 onwards) among the problems, unless a fault of the file or its header (line 1) rejected
        # them all.
        assert report.rows_loaded == len(data.attacks)
        row_lines = {p.line for p in report.problems if not p.of_file and p.line >= 2}
        whole = any(p.of_file or p.line <= 1 for p in report.problems)
        assert report.rows_rejected == len(row_lines) or whole
