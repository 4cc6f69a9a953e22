"""Loading and validation: each fault is rejected with file, line, column and reason; valid rows load."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from trends.dataset.loading import load_dataset

HEADER_LINE = 1


def replace_line(folder: Path, name: str, line: int, new: str | None) -> None:
    lines = (folder / name).read_text(encoding="utf-8").split("\n")
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    (folder / name).write_text("\n".join(lines), encoding="utf-8")


def attack_row(**changes) -> str:
    base = {
        "event_id": "x1", "date": "2018-08-02", "end_date": "", "date_precision": "day", "province": "Northland",
        "district": "", "location": "", "latitude": "", "longitude": "", "geo_precision": "province",
        "perpetrator": "Taliban", "attack_type": "IED", "target": "civilians", "killed": "1", "wounded": "",
        "killed_low": "", "killed_high": "", "source": "SYNTHETIC fixture",
        "source_url": "https://example.org/synthetic/x1", "notes": "Synthetic test row.",
    }
    base.update(changes)
    return ",".join(base.values())


@pytest.mark.parametrize("changes, column, reason", [
    ({"date": "2018-02-30"}, "date", "must be a real date written YYYY-MM-DD"),
    ({"date": "30/08/2018"}, "date", "must be a real date written YYYY-MM-DD"),
    ({"date": ""}, "date", "is required but blank"),
    ({"killed": "ten"}, "killed", "must be a whole number"),
    ({"killed": "-3"}, "killed", "must not be negative"),
    ({"wounded": "2.5"}, "wounded", "must be a whole number"),
    ({"latitude": "0", "longitude": "0"}, "latitude", "coordinates fall outside the gazetteer's area"),
    ({"latitude": "35.0"}, "latitude", "latitude and longitude must be given together"),
    ({"latitude": "north", "longitude": "68"}, "latitude", "must be a decimal number"),
    ({"province": "Atlantis"}, "province", "is not a province in provinces.csv"),
    ({"attack_type": "bombing"}, "attack_type", "must be one of: suicide attack"),
    ({"target": "everyone"}, "target", "must be one of"),
    ({"date_precision": "hour"}, "date_precision", "must be one of: day, week, month, year"),
    ({"source_url": "htp:/example"}, "source_url", "must be a full http(s) URL"),
    ({"source_url": "javascript:alert(1)"}, "source_url", "must be a full http(s) URL"),
    ({"end_date": "2018-08-01"}, "end_date", "end_date is before date"),
    ({"killed": "5", "killed_low": "6"}, "killed", "killed is below killed_low"),
    ({"killed": "9", "killed_high": "8"}, "killed", "killed is above killed_high"),
    ({"event_id": "e1"}, "event_id", "repeats an id used on an earlier line"),
    ({"source": ""}, "source", "is required but blank"),
])
def test_bad_attack_row_is_rejected_with_its_line(small_copy, changes, column, reason):
    replace_line(small_copy, "attacks.csv", 10, attack_row(**changes))  # line 10 = the 9th row
    data = load_dataset(small_copy)
    report = data.reports["attacks.csv"]
    found = [p for p in report.problems if p.line == 10 and p.column == column]
    assert found and reason in found[0].reason, report.problems
    assert str(found[0]).startswith(f"attacks.csv:10: {column}: ")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (9, 8, 1)
    assert "x1" not in set(data.attacks["event_id"])


def test_good_row_loads_and_alias_is_canonicalised(small_copy):
    replace_line(small_copy, "attacks.csv", 10, attack_row(province="nordland province", killed="4"))
    data = load_dataset(small_copy)
    row = data.attacks.set_index("event_id").loc["x1"]
    assert row["province"] == "Northland" and row["killed"] == 4
    assert data.reports["attacks.csv"].rows_loaded == 9 and not data.problems


def test_wrong_field_count_names_the_line(small_copy):
    replace_line(small_copy, "attacks.csv", 3, attack_row() + ",extra")
    report = load_dataset(small_copy).reports["attacks.csv"]
    assert [str(p) for p in report.problems] == ["attacks.csv:3: has 21 fields; the header has 20"]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 7, 1)


def test_missing_required_column_rejects_the_file(small_copy):
    path = small_copy / "attacks.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 1) for line in lines))
    report = load_dataset(small_copy).reports["attacks.csv"]
    assert report.rows_loaded == 0 and report.rows_rejected == 8
    assert any(p.column == "date" and "required column is missing" in p.reason for p in report.problems)


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b"\n\n  \n", "the file is empty"),
])
def test_empty_file_is_an_error(small_copy, content, reason):
    (small_copy / "meetings.csv").write_bytes(content)
    report = load_dataset(small_copy).reports["meetings.csv"]
    assert reason in report.problems[0].reason and report.rows_loaded == 0


def test_header_only_file_loads_no_rows_without_error(small_copy):
    path = small_copy / "attacks.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    data = load_dataset(small_copy)
    assert len(data.attacks) == 0 and not data.reports["attacks.csv"].problems


def test_semicolons_bom_crlf_and_cp1252_are_read(small_copy):
    path = small_copy / "meetings.csv"
    text = path.read_text().replace("Geneva", "Genève")
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
    path.write_bytes(out.getvalue().encode("cp1252"))
    data = load_dataset(small_copy)
    report = data.reports["meetings.csv"]
    assert report.rows_loaded == 4 and not report.problems
    assert "Genève" in set(data.meetings["city"])
    assert any("semicolons" in n for n in report.notices) and any("Windows-1252" in n for n in report.notices)
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    data = load_dataset(small_copy)
    assert data.reports["meetings.csv"].rows_loaded == 4 and data.reports["meetings.csv"].notices == []


def test_a_one_megabyte_note_is_kept(small_copy):
    big = "y" * 1_000_000
    replace_line(small_copy, "attacks.csv", 10, attack_row(notes=big))
    data = load_dataset(small_copy)
    assert data.attacks.set_index("event_id").loc["x1", "notes"] == big


def test_multiline_quoted_field_keeps_line_numbers(small_copy):
    replace_line(small_copy, "attacks.csv", 2, attack_row(event_id="q1", notes='"two\nlines"'))
    replace_line(small_copy, "attacks.csv", 4, attack_row(event_id="q2", killed="bad"))
    problems = load_dataset(small_copy).reports["attacks.csv"].problems
    # q1 spans file lines 2-3, so q2, the second record, starts on file line 4 (not 3).
    assert [(p.line, p.column) for p in problems] == [(4, "killed")]


@pytest.mark.parametrize("name, row, column, reason", [
    ("casualties.csv", "2018-01-01,2017-01-01,,civilians,,1,,,exact,R,S,https://example.org/x,",
     "period_end", "period_end is before period_start"),
    ("casualties.csv", "2018-01-01,2018-12-31,,civilians,,,,,exact,R,S,https://example.org/x,",
     "killed", "needs at least one of killed, injured, killed_or_injured"),
    ("casualties.csv", "2018-01-01,2018-12-31,,civilians,,1,,,more than,R,S,https://example.org/x,",
     "qualifier", "must be one of: exact, at least, about, at most"),
    ("casualties.csv", "2018-01-01,2018-12-31,Atlantis,civilians,,1,,,exact,R,S,https://example.org/x,",
     "province", "is not a province"),
    ("meetings.csv", "m9,2018-01-02,2018-01-01,T,talks,Doha,Qatar,,,A; B,S,S,https://example.org/x",
     "end_date", "end_date is before date"),
    ("meetings.csv", "m1,2018-01-02,,T,talks,Doha,Qatar,,,A; B,S,S,https://example.org/x",
     "meeting_id", "repeats an id"),
    ("meetings.csv", "m9,2018-01-02,,T,party,Doha,Qatar,,,A; B,S,S,https://example.org/x",
     "kind", "must be one of: talks"),
])
def test_bad_rows_in_other_files(small_copy, name, row, column, reason):
    path = small_copy / name
    path.write_text(path.read_text().rstrip("\n") + "\n" + row + "\n")
    report = load_dataset(small_copy).reports[name]
    last = report.rows_read + HEADER_LINE
    assert [(p.line, p.column) for p in report.problems] == [(last, column)]
    assert reason in report.problems[0].reason
    assert report.rows_loaded + report.rows_rejected == report.rows_read


def test_missing_file_is_reported(small_copy):
    (small_copy / "casualties.csv").unlink()
    data = load_dataset(small_copy)
    assert data.reports["casualties.csv"].missing and len(data.casualties) == 0
    assert len(data.attacks) == 8


def test_loaded_types(small):
    a = small.attacks
    assert str(a["killed"].dtype) == "Int64" and a["date"].dtype.kind == "M"
    assert a.set_index("event_id").loc["e3", "killed"] is __import__("pandas").NA
