"""The one CSV reader: text cells with each record's line number, and the structural faults, for loader and importers."""

from __future__ import annotations

import codecs
import csv
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trends.contract.problems import Problem

# Curated notes and source articles may be long; a field of several megabytes is data, not an attack on the reader.
csv.field_size_limit(64 * 1024 * 1024)
CHUNK_ROWS = 100_000
BLOCK = 1 << 20
EMPTY = "the file is empty; it needs at least a header line"
DUPLICATE = "column name appears more than once in the header"


@dataclass
class RawTable:
    """Cells as stripped text (None for blank), the line each record starts on, and what went wrong."""

    frame: pd.DataFrame
    lines: list[int]
    rows_read: int
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class Layout:
    """What a pass over the records found: the header, the faults, and the lines of records set aside."""

    name: str
    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    dropped: list[tuple[int, int]] = field(default_factory=list)  # first and last line of each record set aside
    bad: int = 0  # records that could not be read (not blank lines)
    stopped: Problem | None = None  # a fault after which nothing more could be read

    @property
    def duplicates(self) -> list[str]:
        return sorted({h for h in self.header if self.header.count(h) > 1})


def sniff_encoding(path: Path, notices: list[str]) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 with a notice. Reads the file in blocks, so a large
    file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        bom = f.read(3) == b"\xef\xbb\xbf"
        offset = 3 if bom else 0
        f.seek(offset)
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


def _delimiter(fh, name: str, notices: list[str]) -> str | None:
    """Comma, or semicolon when the header has more of them (spreadsheets in some locales); None for a file with
    no header line."""
    first = ""
    while not first.strip():
        first = fh.readline()
        if not first:
            return None
    fh.seek(0)
    if first.count(";") > first.count(","):
        notices.append(f"{name}: the header is separated by semicolons; read it as a semicolon-delimited file.")
        return ";"
    return ","


def _is_hxl(record: list[str]) -> bool:
    # The Humanitarian Data Exchange puts a row of HXL hashtags (#date+start, ...) under the header.
    cells = [c.strip() for c in record if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def records(fh, layout: Layout, delimiter: str, hxl: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of every well-formed record after the header; the rest is noted in `layout`.
    `hxl`: skip a row of HXL hashtags under the header, as exports from the Humanitarian Data Exchange have."""
    reader = csv.reader(fh, delimiter=delimiter)
    last, seen = 0, False
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not record or all(not c.strip() for c in record):
                layout.dropped.append((start, last))
            elif not layout.header:
                layout.header = [c.strip() for c in record]
                if layout.duplicates:
                    layout.problems.append(Problem(layout.name, 1, ", ".join(layout.duplicates), DUPLICATE))
            elif hxl and not seen and not layout.problems and _is_hxl(record):
                layout.dropped.append((start, last))
                layout.notices.append(f"{layout.name}:{start}: skipped the HXL hashtag row (Humanitarian Data "
                                      "Exchange)")
            elif len(record) != len(layout.header):
                layout.dropped.append((start, last))
                layout.problems.append(Problem(layout.name, start, "", f"has {len(record)} fields; the header has "
                                                                       f"{len(layout.header)}"))
                layout.bad += 1
            else:
                seen = True
                yield start, record
    except csv.Error as err:
        layout.stopped = Problem(layout.name, last + 1, "", f"cannot be read as CSV ({err}); later lines were not "
                                                            "read")
        layout.problems.append(layout.stopped)
        layout.bad += 1


def iter_csv(path: Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[RawTable]:
    """Yield the file as chunks of at most `chunk_rows` records; notices and header faults ride on the first."""
    layout = Layout(path.name)
    encoding = sniff_encoding(path, layout.notices)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        delimiter = _delimiter(fh, path.name, layout.notices)
        if delimiter is None:
            yield RawTable(pd.DataFrame(), [], 0, [Problem(path.name, 0, "", EMPTY)], layout.notices)
            return
        rows: list[list[str | None]] = []
        lines: list[int] = []
        reported = (0, 0, 0)  # problems, notices and bad records already yielded
        for start, record in records(fh, layout, delimiter):
            rows.append([c.strip() or None for c in record])
            lines.append(start)
            if len(rows) >= chunk_rows:
                yield _table(rows, lines, layout, reported)
                reported = (len(layout.problems), len(layout.notices), layout.bad)
                rows, lines = [], []
        yield _table(rows, lines, layout, reported)


def _table(rows, lines, layout: Layout, reported: tuple[int, int, int]) -> RawTable:
    header, duplicated = layout.header, bool(layout.duplicates)
    frame = pd.DataFrame(rows, columns=None if duplicated else header, dtype=object)
    if not rows and not duplicated:
        frame = pd.DataFrame(columns=header, dtype=object)
    problems, notices, bad = reported
    return RawTable(frame, lines, len(rows) + layout.bad - bad, layout.problems[problems:], layout.notices[notices:])


def read_columns(path: Path, wanted: set[str]) -> tuple[pd.DataFrame, list[int], Layout]:
    """The `wanted` columns of every well-formed record as text (NaN for blank), the line each starts on, and
    the layout (an HXL hashtag row is skipped with a notice). The csv module checks each record's shape and line; pandas then parses only the records that
    passed, which is several times faster on large exports than building the cells in Python."""
    layout = Layout(str(path))
    encoding = sniff_encoding(path, layout.notices)
    starts: list[int] = []
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        delimiter = _delimiter(fh, layout.name, layout.notices)
        if delimiter is None:
            layout.stopped = Problem(layout.name, 0, "", EMPTY)
            return pd.DataFrame(), [], layout
        starts = [start for start, _ in records(fh, layout, delimiter, hxl=True)]
    if layout.stopped or layout.duplicates:
        return pd.DataFrame(), [], layout
    options = dict(dtype=str, keep_default_na=False, na_values=[""], sep=delimiter,
                   usecols=lambda c: c.strip() in wanted)
    if layout.dropped:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as kept:
            _without(path, encoding, layout.dropped, kept)
            kept.seek(0)
            frame = pd.read_csv(kept, **options)
    else:
        frame = pd.read_csv(path, encoding=encoding, encoding_errors="replace", **options)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, starts, layout


def _without(path: Path, encoding: str, dropped: list[tuple[int, int]], into) -> None:
    """Copy the file leaving out the dropped line ranges (lines split exactly as the csv scan split them)."""
    ranges = iter(dropped)
    current = next(ranges, None)
    with path.open(newline="", encoding=encoding, errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            while current is not None and number > current[1]:
                current = next(ranges, None)
            if current is None or number < current[0]:
                into.write(line)
