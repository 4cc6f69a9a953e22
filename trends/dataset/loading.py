"""Load a dataset folder into typed frames, keeping every rejected row with its file, line, column and reason."""

from __future__ import annotations

import json
import os
from dataclasses import replace, dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from trends.dataset import consistency
from trends.contract import schema
from trends.contract import vocab
from trends.dataset.csvread import RawTable, iter_csv
from trends.dataset.gazetteer import Gazetteer
from trends.contract.problems import FileReport, Problem

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Rows per row group in the Parquet files this project writes: DuckDB reads row groups in parallel, so a
# file written as one large group would load on a single core.
PARQUET_ROW_GROUP = 122_880
COUNT_COLUMNS = {"killed", "wounded", "killed_low", "killed_high", "attackers_killed", "injured", "killed_or_injured",
                 "count", "base_figure"}
DATE_COLUMNS = {"date", "end_date", "toll_date", "period_start", "period_end", "base_start", "base_end"}
DECIMAL_COLUMNS = {"latitude", "longitude", "change_pct"}


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The dataset folder: an explicit one, else TRENDS_DATA_DIR, else the bundled data/."""
    chosen = explicit or os.environ.get("TRENDS_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


@dataclass
class Dataset:
    """The typed frames of one dataset folder and the report of how each file loaded."""

    folder: Path
    attacks: pd.DataFrame
    casualties: pd.DataFrame
    meetings: pd.DataFrame
    provinces: pd.DataFrame
    gazetteer: Gazetteer
    reports: dict[str, FileReport] = field(default_factory=dict)
    package: dict = field(default_factory=dict)
    attacks_parquet: Path | None = None
    attack_counts: pd.DataFrame = field(default_factory=lambda: typed(pd.DataFrame(), vocab.ATTACK_COUNT_COLUMNS))
    corrections: pd.DataFrame = field(default_factory=lambda: typed(pd.DataFrame(), vocab.CORRECTION_COLUMNS))
    stated_changes: pd.DataFrame = field(default_factory=lambda: typed(pd.DataFrame(),
                                                                       vocab.STATED_CHANGE_COLUMNS))

    def resource(self, name: str) -> dict:
        """The datapackage's description of one file (empty when the package does not describe it)."""
        return next((r for r in (self.package or {}).get("resources", []) if r.get("name") == name), {})

    @property
    def title(self) -> str:
        """The dataset's title, or its folder's name when the package gives none."""
        return (self.package or {}).get("title") or self.folder.name

    @property
    def selection(self) -> bool:
        """True when the events are a selection: the datapackage says they are not a complete record."""
        return describes_selection(self.resource("attacks"))

    def view_domain(self, engine):
        """What a view may choose from: the engine's domain, reaching the last day any file reaches (reported
        totals and meetings may end after the last event, and the default view should show them). It still starts
        with the first event: totals published for earlier years (US deaths since 2001) are there for a reader who
        picks earlier dates."""
        domain = engine.domain(self.provinces)
        days = [domain.last]
        for frame in (self.attack_counts, self.casualties):
            if len(frame) and frame["period_end"].notna().any():
                days.append(frame["period_end"].max().date())
        for col in ("date", "end_date"):
            if len(self.meetings) and self.meetings[col].notna().any():
                days.append(self.meetings[col].max().date())
        return replace(domain, view_last=max(days))

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.reports.values() for p in r.problems]

    @property
    def findings(self) -> list[Problem]:
        """What the checks across rows found: figures that disagree with each other, though each row is valid."""
        return [p for r in self.reports.values() for p in r.findings]

    @property
    def notices(self) -> list[str]:
        return [n for r in self.reports.values() for n in r.notices]


def describes_selection(resource: dict) -> bool:
    """A resource whose description says its rows are not a complete record is a selection."""
    return "not a complete record" in resource.get("description", "").lower()


class FolderError(Exception):
    """The dataset folder cannot be read at all."""


def typed(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Convert validated text cells to their types; columns the file lacks are added empty."""
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        raw = frame[col] if col in frame else pd.Series(None, index=frame.index, dtype=object)
        if col in DATE_COLUMNS:
            out[col] = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
        elif col in COUNT_COLUMNS:
            out[col] = pd.to_numeric(raw, errors="coerce").astype("Int64")
        elif col in DECIMAL_COLUMNS:
            out[col] = pd.to_numeric(raw, errors="coerce").astype("float64")
        else:
            out[col] = raw.astype("str").where(raw.notna(), None)
    return out.reset_index(drop=True)


def _failures(err: pa.errors.SchemaErrors, raw: RawTable, name: str) -> tuple[list[Problem], bool]:
    """Turn pandera's failure cases into problems; the flag says a whole-file fault was found."""
    problems: dict[tuple, Problem] = {}
    whole_file = False
    for case in err.failure_cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            if case.check == "column_in_dataframe":
                whole_file = True
                # The header is line 1: that is where the column has to be added.
                problems[("file", case.failure_case)] = Problem(
                    name, 1, str(case.failure_case),
                    "required column is missing from the header; add it (docs/data.md lists every column)",
                    whole_file=True)
            continue
        idx = int(case.index)
        column = schema.FRAME_CHECK_COLUMN.get(case.check, case.column)
        reason = {
            "not_nullable": "is required but blank",
            "field_uniqueness": "repeats an id used on an earlier line",
        }.get(case.check, case.check)
        value = raw.frame.at[idx, column] if column in raw.frame else None
        key = (idx, column, reason)
        problems.setdefault(key, Problem(name, raw.lines[idx], column, reason, "" if value is None else str(value)))
    return sorted(problems.values(), key=lambda p: (p.line, p.column)), whole_file


def validate_table(raw: RawTable, table_schema: pa.DataFrameSchema, name: str,
                   columns: tuple[str, ...]) -> tuple[pd.DataFrame, FileReport]:
    """Validate raw cells with a pandera schema in lazy mode: valid rows come back typed, the rest as problems."""
    report = FileReport(name, rows_read=raw.rows_read, problems=list(raw.problems), notices=list(raw.notices))
    if any(p.of_file for p in raw.problems) or raw.frame.columns.empty:
        return typed(raw.frame.iloc[0:0], columns), report
    try:
        table_schema.validate(raw.frame, lazy=True)
        bad_rows: set[int] = set()
    except pa.errors.SchemaErrors as err:
        found, whole_file = _failures(err, raw, name)
        report.problems.extend(found)
        if whole_file:
            return typed(raw.frame.iloc[0:0], columns), report
        line_to_index = {line: i for i, line in enumerate(raw.lines)}
        bad_rows = {line_to_index[p.line] for p in found if p.line in line_to_index}
    good = raw.frame.drop(index=list(bad_rows))
    report.rows_loaded = len(good)
    report.lines = [raw.lines[i] for i in good.index]
    extra = [c for c in raw.frame.columns if c not in columns]
    if extra:
        report.notices.append(f"{name}: columns that docs/data.md does not describe were ignored: {', '.join(extra)}")
    return typed(good, columns), report


def _read(folder: Path, key: str, build_schema, canonicalise: Gazetteer | None = None):
    name, columns = vocab.FILES[key]
    path = folder / name
    if not path.is_file() and key in vocab.OPTIONAL_FILES:
        return typed(pd.DataFrame(), columns), None
    if not path.is_file():
        report = FileReport(name, missing=True,
                            problems=[Problem(name, 0, "", "file is missing from the dataset folder")])
        return typed(pd.DataFrame(), columns), report
    table_schema = build_schema()
    unique = [c for c, col in table_schema.columns.items() if col.unique]
    seen: dict[str, set] = {c: set() for c in unique}
    report = FileReport(name)
    parts: list[pd.DataFrame] = []
    whole_file = False
    # Chunk by chunk, so a large file never sits in memory as text cells all at once.
    for raw in iter_csv(path):
        if whole_file:
            report.rows_read += raw.rows_read
            continue
        if canonicalise is not None and "province" in raw.frame:
            raw.frame["province"] = canonicalise.canonicalise(raw.frame["province"])
        repeats = _repeats(raw, seen, name)
        part, chunk = validate_table(raw, table_schema, name, columns)
        whole_file = any(p.of_file for p in chunk.problems)
        for col in unique:
            if col in part:
                seen[col].update(part[col].dropna())
        parts.append(part)
        report.rows_read += chunk.rows_read + len(repeats)
        report.rows_loaded += chunk.rows_loaded
        report.lines += chunk.lines
        report.problems += sorted(chunk.problems + repeats, key=lambda p: (p.line, p.column))
        report.notices += [n for n in chunk.notices if n not in report.notices]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return (frame.iloc[0:0] if whole_file else frame), report


def _repeats(raw: RawTable, seen: dict[str, set], name: str) -> list[Problem]:
    """Rows whose id an earlier chunk already loaded: rejected here, since pandera sees one chunk at a time."""
    problems = []
    drop: set[int] = set()
    for col, ids in seen.items():
        if not ids or col not in raw.frame:
            continue
        for idx in raw.frame.index[raw.frame[col].isin(ids)]:
            problems.append(Problem(name, raw.lines[idx], col, "repeats an id used on an earlier line",
                                    str(raw.frame.at[idx, col])))
            drop.add(idx)
    if drop:
        keep = [i for i in raw.frame.index if i not in drop]
        raw.lines = [raw.lines[i] for i in keep]
        raw.frame = raw.frame.loc[keep].reset_index(drop=True)
        raw.rows_read -= len(drop)
    return problems


def read_package(folder: Path) -> tuple[dict, list[str]]:
    path = folder / "datapackage.json"
    if not path.is_file():
        return {}, ["datapackage.json is missing: sources and licences cannot be shown"]
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except (ValueError, UnicodeDecodeError) as err:
        return {}, [f"datapackage.json cannot be read ({err}); fix its JSON"]


def load_dataset(folder: str | os.PathLike | None = None) -> Dataset:
    """Read, validate and type every file of a dataset folder. Never raises on bad rows."""
    root = data_dir(folder)
    if not root.is_dir():
        raise FolderError(f"{root}: not a folder; set TRENDS_DATA_DIR to a dataset folder")
    provinces, prov_report = _read(root, "provinces", schema.provinces_schema)
    gaz = Gazetteer.from_frame(provinces)
    parquet = root / "attacks.parquet"
    if parquet.is_file() and not (root / "attacks.csv").is_file():
        attacks, att_report = typed(pd.DataFrame(), vocab.ATTACK_COLUMNS), parquet_report(parquet)
    else:
        parquet = None
        attacks, att_report = _read(root, "attacks", lambda: schema.attacks_schema(gaz.names, gaz.area), gaz)
    casualties, cas_report = _read(root, "casualties", lambda: schema.casualties_schema(gaz.names), gaz)
    meetings, meet_report = _read(root, "meetings", schema.meetings_schema)
    counts, counts_report = _read(root, "attack_counts", lambda: schema.attack_counts_schema(gaz.names), gaz)
    corrections, corr_report = _read(root, "corrections", schema.corrections_schema)
    changes, changes_report = _read(root, "stated_changes", schema.stated_changes_schema)
    package, pkg_notices = read_package(root)
    prov_report.notices.extend(pkg_notices)
    reports = {r.file: r for r in (att_report, cas_report, meet_report, prov_report, counts_report, corr_report,
                                   changes_report) if r is not None}
    dataset = Dataset(root, attacks, casualties, meetings, provinces, gaz, reports, package,
                      parquet if parquet is not None and att_report.ok else None, counts, corrections, changes)
    consistency.check(dataset)
    return dataset


def parquet_report(path: Path) -> FileReport:
    """Parquet attacks come from the importers, which validated each row; here the columns are checked."""
    import pyarrow.parquet as pq

    report = FileReport(path.name)
    try:
        meta = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        report.problems.append(Problem(path.name, 0, "", f"cannot be read as Parquet ({err})"))
        return report
    missing = [c for c in vocab.ATTACK_COLUMNS
               if c not in meta.schema_arrow.names and c not in vocab.LATER_ATTACK_COLUMNS]
    report.rows_read = meta.metadata.num_rows
    if missing:
        report.problems.append(Problem(path.name, 0, ", ".join(missing), "required columns are missing"))
    else:
        report.rows_loaded = report.rows_read
    return report
