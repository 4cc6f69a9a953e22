"""CSV export neutralises formula-like text and leaves numbers alone."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from trends.publish.export import csv_bytes, neutralise_text


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
    ("Kabul", "Kabul"), ("a=b", "a=b"), ("", ""),
    (5, 5), (-3.5, -3.5),
])
def test_neutralise_text(value, expected):
    assert neutralise_text(value) == expected


def test_csv_bytes_round_trip_keeps_numbers_and_blanks():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2018-08-01", "2018-08-02"]),
        "notes": ["=cmd|' /C calc'!A0", "plain"],
        "killed": pd.array([-1, None], dtype="Int64"),
    })
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.to_dict("list") == {"date": ["2018-08-01", "2018-08-02"], "notes": ["'=cmd|' /C calc'!A0", "plain"],
                                    "killed": ["-1", ""]}
