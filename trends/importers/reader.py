"""Read a CSV export for an importer: its columns as text with each record's file and line, or one clear error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trends.dataset.csvread import read_columns
from trends.contract.problems import Problem


class ExportError(Exception):
    """The export cannot be read at all (not a file, not CSV, required columns missing)."""


@dataclass
class RawRows:
    """Text cells (missing for blank) with `_file` and `_line` columns, and the records that did not fit."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


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
    frame, starts, layout = read_columns(path, set(required) | set(optional))
    fault = layout.stopped
    if fault:
        raise ExportError(f"{name}:{fault.line}: {fault.reason}" if fault.line else f"{name}: {fault.reason}")
    if layout.duplicates:
        raise ExportError(f"{name}:1: column name appears more than once in the header: "
                          f"{', '.join(layout.duplicates)}")
    missing = [c for c in required if c not in layout.header]
    if missing:
        raise ExportError(f"{name}:1: required columns are missing from the header: {', '.join(missing)}")
    if len(frame) != len(starts):
        raise ExportError(f"{name}: pandas read {len(frame)} records where the csv module read "
                          f"{len(starts)}; the file's quoting is ambiguous")
    frame["_file"] = name
    frame["_line"] = pd.Series(starts, index=frame.index, dtype="int64")
    return RawRows(frame, layout.problems, layout.notices)


def rows_from_records(records: list[dict], file: str) -> pd.DataFrame:
    """API records (JSON objects) as the same text frame a CSV export gives; `_line` is the record's number."""
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.astype(object).where(frame.notna(), None).astype("str")
    frame["_file"] = file
    frame["_line"] = pd.Series(range(1, len(frame) + 1), index=frame.index, dtype="int64")
    return frame
