"""Read a CSV export as text columns, keeping each record's file line and reporting records that do not fit."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..csvread import decode
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


def _scan(text: str, name: str) -> tuple[str, list[int], list[Problem], list[str]]:
    """One pass with the csv module: the text of the well-formed records, their start lines, and the misfits.

    pandas cannot say which line a record came from nor tell a short record from trailing blanks, so the
    csv module checks the shape and pandas then parses only the records that passed, in the same order.
    """
    held: list[str] = []

    def physical_lines():
        for line in io.StringIO(text, newline=""):
            held.append(line)
            yield line

    reader = csv.reader(physical_lines())
    kept = io.StringIO()
    starts: list[int] = []
    problems: list[Problem] = []
    notices: list[str] = []
    header: list[str] | None = None
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            chunk = "".join(held)
            held.clear()
            if not record or all(not c.strip() for c in record):
                continue
            if header is None:
                header = [c.strip() for c in record]
                kept.write(chunk if chunk.endswith(("\n", "\r")) else chunk + "\n")
                continue
            if not starts and not problems and _is_hxl(record):
                notices.append(f"{name}:{start}: skipped the HXL hashtag row (Humanitarian Data Exchange layout)")
                continue
            if len(record) != len(header):
                problems.append(Problem(name, start, "", f"has {len(record)} fields; the header has {len(header)}"))
                continue
            kept.write(chunk if chunk.endswith(("\n", "\r")) else chunk + "\n")
            starts.append(start)
    except csv.Error as err:
        raise ExportError(f"{name}:{last + 1}: cannot be read as CSV ({err})") from None
    if header is None:
        raise ExportError(f"{name}: the file is empty; it needs a header line")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise ExportError(f"{name}:1: column name appears more than once in the header: {', '.join(dupes)}")
    return kept.getvalue(), starts, problems, notices


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], where: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ExportError(f"{where}: required columns are missing: {', '.join(missing)}")


def read_export(path: Path, required: tuple[str, ...]) -> RawRows:
    """Every record of a CSV export as text cells; raises ExportError when the file as a whole is unusable."""
    name = str(path)
    if not path.is_file():
        raise ExportError(f"{name}: no such file")
    notices: list[str] = []
    text = decode(path.read_bytes(), name, notices)
    kept, starts, problems, scan_notices = _scan(text, name)
    del text
    frame = pd.read_csv(io.StringIO(kept), dtype=str, keep_default_na=False, na_values=[""],
                        skip_blank_lines=False)
    del kept
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, required, f"{name}:1")
    if len(frame) != len(starts):
        raise ExportError(f"{name}: pandas read {len(frame)} records where the csv module read {len(starts)}; "
                          "the file's quoting is ambiguous")
    frame["_file"] = name
    frame["_line"] = pd.Series(starts, index=frame.index, dtype="int64")
    return RawRows(frame, problems, notices + scan_notices)


def rows_from_records(records: list[dict], file: str) -> pd.DataFrame:
    """API records (JSON objects) as the same text frame a CSV export gives; `_line` is the record's number."""
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None).astype("str")
    frame["_file"] = file
    frame["_line"] = pd.Series(range(1, len(frame) + 1), index=frame.index, dtype="int64")
    return frame
