"""Read a CSV file as text cells in chunks, keeping each record's line number and reporting structural faults."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .problems import Problem

# Curated notes may be long; a field of several megabytes is data, not an attack on the reader.
csv.field_size_limit(64 * 1024 * 1024)
CHUNK_ROWS = 100_000
BLOCK = 1 << 20


@dataclass
class RawTable:
    """Cells as stripped text (None for blank), the line each record starts on, and what went wrong."""

    frame: pd.DataFrame
    lines: list[int]
    rows_read: int
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def sniff_encoding(path: Path, notices: list[str]) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 with a notice. Reads the file in blocks, so a large
    file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        head = f.read(3)
        bom = head == b"\xef\xbb\xbf"
        f.seek(3 if bom else 0)
        offset = 3 if bom else 0
        while block := f.read(BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as err:
                # Spreadsheets on Windows save as cp1252; read it rather than reject the file, and say so.
                notices.append(f"{path.name}: not UTF-8 (first bad byte at offset {offset + err.start}); read as "
                               "Windows-1252. Save the file as UTF-8 to silence this notice.")
                return "cp1252"
            offset += len(block)
    return "utf-8-sig"


def _delimiter(header_line: str, name: str, notices: list[str]) -> str:
    if header_line.count(";") > header_line.count(","):
        notices.append(f"{name}: the header is separated by semicolons; read it as a semicolon-delimited file.")
        return ";"
    return ","


def iter_csv(path: Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[RawTable]:
    """Yield the file as chunks of at most `chunk_rows` records; notices and header faults ride on the first."""
    name = path.name
    notices: list[str] = []
    encoding = sniff_encoding(path, notices)
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        first_line = ""
        while not first_line.strip():
            line = f.readline()
            if not line:
                break
            first_line = line if line.strip() else ""
        if not first_line.strip():
            yield RawTable(pd.DataFrame(), [], 0,
                           [Problem(name, 0, "", "the file is empty; it needs at least a header line")], notices)
            return
        f.seek(0)
        reader = csv.reader(f, delimiter=_delimiter(first_line, name, notices))
        header: list[str] = []
        problems: list[Problem] = []
        rows: list[list[str | None]] = []
        lines: list[int] = []
        bad = 0
        last_line = 0
        try:
            for record in reader:
                start, last_line = last_line + 1, reader.line_num
                if not record or all(not c.strip() for c in record):
                    continue
                if not header:
                    header = [c.strip() for c in record]
                    dupes = sorted({h for h in header if header.count(h) > 1})
                    if dupes:
                        problems.append(Problem(name, 1, ", ".join(dupes), "column name appears more than once in "
                                                                           "the header"))
                    continue
                if len(record) != len(header):
                    problems.append(Problem(name, start, "", f"has {len(record)} fields; the header has {len(header)}"))
                    bad += 1
                    continue
                rows.append([c.strip() or None for c in record])
                lines.append(start)
                if len(rows) >= chunk_rows:
                    yield _table(rows, lines, header, bad, problems, notices)
                    rows, lines, problems, notices, bad = [], [], [], [], 0
        except csv.Error as err:
            problems.append(Problem(name, last_line + 1, "", f"cannot be read as CSV ({err}); later lines were not "
                                                             "read"))
            bad += 1
        yield _table(rows, lines, header, bad, problems, notices)


def _table(rows, lines, header, bad, problems, notices) -> RawTable:
    duplicated = len(set(header)) != len(header)
    frame = pd.DataFrame(rows, columns=None if duplicated else header, dtype=object)
    if not rows and not duplicated:
        frame = pd.DataFrame(columns=header, dtype=object)
    return RawTable(frame, lines, len(rows) + bad, problems, notices)

