"""Read a CSV export as text columns, keeping each record's file line and reporting records that do not fit."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..problems import Problem

# Source articles and notes may be long; a field of several megabytes is data, not an attack on the reader.
csv.field_size_limit(64 * 1024 * 1024)


class ExportError(Exception):
    """The export cannot be read at all (not a file, not CSV, required columns missing)."""


@dataclass
class RawRows:
    """Text cells (missing for blank) with `_file` and `_line` columns, and the records that did not fit."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _is_hxl(record: list[str]) -> bool:
    # The Humanitarian Data Exchange puts a row of HXL hashtags (#date+start, ...) under the header.
    cells = [c.strip() for c in record if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


@dataclass
class _Shape:
    header: list[str]
    starts: list[int]                   # first line of each well-formed record, in order
    dropped: list[tuple[int, int]]      # first and last line of every record pandas must not see
    problems: list[Problem]
    notices: list[str]


def _scan(path: Path, name: str, encoding: str) -> _Shape:
    """One streaming pass with the csv module: where each record starts, and which records do not fit.

    pandas can neither say which line a record came from nor tell a short record from trailing blanks,
    so the csv module checks the shape and pandas then parses only the records that passed, in order.
    """
    shape = _Shape([], [], [], [], [])
    last = 0
    with path.open(newline="", encoding=encoding, errors="replace" if encoding == "cp1252" else "strict") as fh:
        reader = csv.reader(fh)
        try:
            for record in reader:
                start, last = last + 1, reader.line_num
                if not record or all(not c.strip() for c in record):
                    shape.dropped.append((start, last))
                elif not shape.header:
                    shape.header = [c.strip() for c in record]
                elif not shape.starts and not shape.problems and _is_hxl(record):
                    shape.dropped.append((start, last))
                    shape.notices.append(f"{name}:{start}: skipped the HXL hashtag row (Humanitarian Data Exchange)")
                elif len(record) != len(shape.header):
                    shape.dropped.append((start, last))
                    shape.problems.append(Problem(name, start, "", f"has {len(record)} fields; the header has "
                                                                   f"{len(shape.header)}"))
                else:
                    shape.starts.append(start)
        except csv.Error as err:
            raise ExportError(f"{name}:{last + 1}: cannot be read as CSV ({err})") from None
    if not shape.header:
        raise ExportError(f"{name}: the file is empty; it needs a header line")
    dupes = sorted({h for h in shape.header if shape.header.count(h) > 1})
    if dupes:
        raise ExportError(f"{name}:1: column name appears more than once in the header: {', '.join(dupes)}")
    return shape


def _without(path: Path, encoding: str, dropped: list[tuple[int, int]], into) -> None:
    """Copy the file leaving out the dropped line ranges (lines split exactly as the csv scan split them)."""
    ranges = iter(dropped)
    current = next(ranges, None)
    with path.open(newline="", encoding=encoding, errors="replace" if encoding == "cp1252" else "strict") as fh:
        for number, line in enumerate(fh, start=1):
            while current is not None and number > current[1]:
                current = next(ranges, None)
            if current is None or number < current[0]:
                into.write(line)


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], where: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ExportError(f"{where}: required columns are missing: {', '.join(missing)}")


def read_export(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> RawRows:
    """The `required` columns (and the `optional` ones the file has) of every record of a CSV export as text;
    ExportError when the file is unusable."""
    name = str(path)
    if not path.is_file():
        raise ExportError(f"{name}: no such file")
    encoding, notices = "utf-8-sig", []
    try:
        shape = _scan(path, name, encoding)
    except UnicodeDecodeError as err:
        # Spreadsheets on Windows save as cp1252; read it rather than reject the file, and say so.
        encoding = "cp1252"
        notices.append(f"{name}: not UTF-8 (first bad byte at offset {err.start}); read as Windows-1252")
        shape = _scan(path, name, encoding)
    missing = [c for c in required if c not in shape.header]
    if missing:
        raise ExportError(f"{name}:1: required columns are missing from the header: {', '.join(missing)}")
    wanted = set(required) | set(optional)
    options = dict(dtype=str, keep_default_na=False, na_values=[""], usecols=lambda c: c.strip() in wanted)
    if shape.dropped:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as kept:
            _without(path, encoding, shape.dropped, kept)
            kept.seek(0)
            frame = pd.read_csv(kept, **options)
    else:
        frame = pd.read_csv(path, encoding=encoding, encoding_errors="replace", **options)
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) != len(shape.starts):
        raise ExportError(f"{name}: pandas read {len(frame)} records where the csv module read "
                          f"{len(shape.starts)}; the file's quoting is ambiguous")
    frame["_file"] = name
    frame["_line"] = pd.Series(shape.starts, index=frame.index, dtype="int64")
    return RawRows(frame, shape.problems, notices + shape.notices)


def rows_from_records(records: list[dict], file: str) -> pd.DataFrame:
    """API records (JSON objects) as the same text frame a CSV export gives; `_line` is the record's number."""
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None).astype("str")
    frame["_file"] = file
    frame["_line"] = pd.Series(range(1, len(frame) + 1), index=frame.index, dtype="int64")
    return frame
