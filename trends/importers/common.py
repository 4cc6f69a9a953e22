"""Vectorised cell parsers and the collector of rejected rows shared by the UCDP and ACLED mappings."""

from __future__ import annotations

import pandas as pd

from trends.contract.problems import Problem

NOTES_LIMIT = 300
# A date, optionally followed by a time (UCDP writes `2018-01-27 00:00:00.000`, its API `2018-01-27T00:00:00`).
_ISO_DAY = r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$"
_WHOLE = r"\d+(?:\.0+)?"  # API JSON and spreadsheets may write a count as 3.0


def cleaned(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The named columns with surrounding blanks removed and empty cells as missing."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        s = frame[col].astype("str").str.strip() if col in frame else pd.Series(pd.NA, index=frame.index, dtype="str")
        out[col] = s.where(s != "")
    out["_file"], out["_line"] = frame["_file"], frame["_line"]
    return out


def iso_day(s: pd.Series) -> pd.Series:
    """Dates written YYYY-MM-DD, with or without a time after them; NaT where that is not a real date."""
    day = s.str.extract(_ISO_DAY, expand=False)
    return pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")


def whole(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts as nullable integers, and a mask of cells that are filled but not a whole number >= 0."""
    ok = s.str.fullmatch(_WHOLE).fillna(False).astype(bool)
    value = pd.to_numeric(s.where(ok), errors="coerce").round().astype("Int64")
    return value, s.notna() & ~ok


def decimal(s: pd.Series, limit: float) -> tuple[pd.Series, pd.Series]:
    """Numbers within +-limit as float64, and a mask of filled cells that are not such numbers."""
    value = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = s.notna() & ~value.between(-limit, limit)
    return value.where(~bad), bad


def trimmed(s: pd.Series, limit: int = NOTES_LIMIT) -> pd.Series:
    """Text cut to `limit` characters, an ellipsis marking a cut."""
    long = s.str.len() > limit
    return s.where(~long, s.str.slice(0, limit - 1).str.rstrip() + "…")


def lookup(s: pd.Series, table: dict[str, str]) -> pd.Series:
    """Map the distinct values through a dict (many rows, few distinct values); unmatched become missing."""
    return s.map(table).astype("str")


def repeats(f: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """The reason for a repeated id: where it was first seen (line N, or FILE:LINE for another file)."""
    first_file = f["_file"].groupby(ids).transform("first")
    first_line = f["_line"].groupby(ids).transform("first").astype("Int64").astype("str")
    where = ("line " + first_line).where(first_file == f["_file"], first_file + ":" + first_line)
    return "repeats the id first seen on " + where


class Rejections:
    """Every reason each row cannot be imported, with the file and line it came from."""

    def __init__(self, frame: pd.DataFrame, problems: list[Problem] | None = None):
        self.frame = frame
        self.bad = pd.Series(False, index=frame.index)
        self.structural = list(problems or [])
        self._found: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, reason: str | pd.Series, shown: pd.Series | None = None) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        hit = self.frame.loc[mask, ["_file", "_line"]].copy()
        hit["column"] = column
        hit["reason"] = reason[mask] if isinstance(reason, pd.Series) else reason
        values = self.frame[column] if shown is None and column in self.frame else shown
        hit["value"] = values[mask] if values is not None else None
        self._found.append(hit)
        self.bad |= mask

    @property
    def count(self) -> int:
        return int(self.bad.sum()) + len(self.structural)

    def problems(self) -> list[Problem]:
        found = list(self.structural)
        if self._found:
            table = pd.concat(self._found).rename(columns={"_file": "file", "_line": "line"})
            for row in table.itertuples(index=False):
                value = "" if row.value is None or pd.isna(row.value) else str(row.value)
                found.append(Problem(row.file, int(row.line), row.column, row.reason, value))
        return sorted(found, key=lambda p: (p.file, p.line))
