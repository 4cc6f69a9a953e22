"""Read a CSV file as text cells, keeping each record's line number and reporting structural faults."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .problems import Problem

# Curated notes may be long; a field of several megabytes is data, not an attack on the reader.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class RawTable:
    """Cells as stripped text (None for blank), the line each record starts on, and what went wrong."""

    frame: pd.DataFrame
    lines: list[int]
    rows_read: int
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, notices: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        # Spreadsheets on Windows save as cp1252; read it rather than reject the file, and say so.
        notices.append(f"{name}: not UTF-8 (first bad byte at offset {err.start}); read as Windows-1252. "
                       "Save the file as UTF-8 to silence this notice.")
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str, name: str, notices: list[str]) -> str:
    if header_line.count(";") > header_line.count(","):
        notices.append(f"{name}: the header is separated by semicolons; read it as a semicolon-delimited file.")
        return ";"
    return ","


def read_csv_text(path: Path) -> RawTable:
    name = path.name
    notices: list[str] = []
    text = decode(path.read_bytes(), name, notices)
    if not text.strip():
        return RawTable(pd.DataFrame(), [], 0,
                        [Problem(name, 0, "", "the file is empty; it needs at least a header line")], notices)
    delimiter = _delimiter(text.split("\n", 1)[0], name, notices)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    header: list[str] = []
    rows: list[list[str | None]] = []
    lines: list[int] = []
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not record or all(not c.strip() for c in record):
                continue
            if not header:
                header = [c.strip() for c in record]
                continue
            if len(record) != len(header):
                problems.append(Problem(name, start, "", f"has {len(record)} fields; the header has {len(header)}"))
                continue
            rows.append([c.strip() or None for c in record])
            lines.append(start)
    except csv.Error as err:
        problems.append(Problem(name, last_line + 1, "", f"cannot be read as CSV ({err}); later lines were not read"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(name, 1, ", ".join(dupes), "column name appears more than once in the header"))
    frame = pd.DataFrame(rows, columns=header if not dupes else None, dtype=object)
    return RawTable(frame, lines, len(rows) + sum(1 for p in problems if p.line > 1), problems, notices)
