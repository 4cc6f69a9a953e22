"""Checks across rows of the reported totals: one figure per period, parts against their whole, stated changes."""

from __future__ import annotations

import pandas as pd

from trends.contract import inclusion
from trends.contract.problems import FileReport, Problem
from trends.periods import period_kind, period_text

# UNAMA and SIGAR revise a period's figures in later reports, so published parts may miss their whole by a little.
PARTS_TOLERANCE = 0.05
# How far, in percentage points, the stored figures may be from a change a report states, by its qualifier.
STATED_TOLERANCE = {"exact": 0.5, "about": 2.0}
FIGURES = {"casualties.csv": ("killed", "injured", "killed_or_injured"), "attack_counts.csv": ("count",)}
_SERIES = {"casualties.csv": ["reporter", "population", "attributed_to", "province"],
           "attack_counts.csv": ["reporter", "measure", "province"]}


def check(dataset) -> None:
    """Add what the checks across rows find to each file's report; the rows still load."""
    frames = {"casualties.csv": dataset.casualties, "attack_counts.csv": dataset.attack_counts}
    for name, frame in frames.items():
        report = dataset.reports.get(name)
        if report is None or frame.empty:
            continue
        rows = _with_lines(frame, report)
        for _, series in rows.groupby(_SERIES[name], dropna=False, sort=False):
            report.findings += one_figure_per_period(name, series) + periods_apart(name, series)
            report.findings += parts_against_whole(name, series)
    attacks = dataset.reports.get("attacks.csv")
    # The rule applies where the datapackage says the folder follows it (the bundled data); an import keeps every
    # event, and a user's own folder may select otherwise.
    rule = dataset.resource("attacks").get("inclusion_rule")
    if attacks is not None and rule and len(dataset.attacks):
        attacks.findings += outside_the_rule(_with_lines(dataset.attacks, attacks), tuple(rule))
    changes = dataset.reports.get("stated_changes.csv")
    if changes is not None and not dataset.stated_changes.empty:
        changes.findings += stated_changes(_with_lines(dataset.stated_changes, changes),
                                           {n: _with_lines(f, dataset.reports[n]) for n, f in frames.items()
                                            if n in dataset.reports})


def _with_lines(frame: pd.DataFrame, report: FileReport) -> pd.DataFrame:
    lines = report.lines if len(report.lines) == len(frame) else [0] * len(frame)
    return frame.assign(line_no=lines)


def outside_the_rule(attacks: pd.DataFrame, criteria: tuple[str, ...]) -> list[Problem]:
    """A row that meets none of the inclusion criteria the folder declares: listing it would make its year look
    busier than the others."""
    unknown = [c for c in criteria if c not in inclusion.NAMES]
    if unknown:
        return [Problem("datapackage.json", 0, "inclusion_rule",
                        f"names criteria the checks do not know: {', '.join(unknown)}; known: "
                        f"{', '.join(inclusion.NAMES)}")]
    return [Problem("attacks.csv", row.line_no, "killed",
                    "meets none of the inclusion criteria (docs/data.md): remove the row, or correct the toll, "
                    "target, attack type or perpetrator that would include it")
            for row in attacks[inclusion.outside(attacks, criteria)].itertuples()]


def _what(name: str, row) -> str:
    measure = row.population if name == "casualties.csv" else row.measure
    by = "" if name != "casualties.csv" or pd.isna(row.attributed_to) else f" by {row.attributed_to}"
    return f"{row.reporter}'s {measure}{by}, {period_text(row.period_start, row.period_end)}"


def one_figure_per_period(name: str, series: pd.DataFrame) -> list[Problem]:
    """A reporter gives one figure for a measure and a period: a second row is a relay that disagrees."""
    found = []
    for _, same in series.groupby(["period_start", "period_end"], sort=False):
        first = same.iloc[0]
        for row in same.iloc[1:].itertuples():
            found.append(Problem(name, row.line_no, FIGURES[name][0],
                                 f"a second figure for {_what(name, row)} (line {first.line_no} has one): keep the "
                                 "figure the report states and log the other in corrections.csv"))
    return found


def periods_apart(name: str, series: pd.DataFrame) -> list[Problem]:
    """Periods of one shape (years, quarters, first halves) follow each other; overlapping ones are a mistyped date.
    Periods of different shapes overlap where the reporter published both (a year and its first half)."""
    found = []
    kinds = [period_kind(s, e) for s, e in zip(series["period_start"], series["period_end"])]
    for _, same in series.assign(_kind=kinds).groupby("_kind", sort=False):
        same = same.drop_duplicates(["period_start", "period_end"]).sort_values(["period_start", "period_end"])
        reach = None
        for row in same.itertuples():
            # Running totals from one start (January to October, to November) are published so on purpose.
            if reach is not None and row.period_start <= reach.period_end and row.period_start != reach.period_start:
                found.append(Problem(name, row.line_no, "period_start",
                                     f"{_what(name, row)} overlaps line {reach.line_no}'s period of the same length; "
                                     "check the dates against the report"))
            if reach is None or row.period_end > reach.period_end:
                reach = row
    return found


def _tilings(whole, rows: pd.DataFrame) -> list[list]:
    """Sets of shorter rows that cover the whole's period exactly, one after another."""
    inside = rows[(rows["period_start"] >= whole.period_start) & (rows["period_end"] <= whole.period_end)
                  & ((rows["period_end"] - rows["period_start"]) < (whole.period_end - whole.period_start))]
    inside = inside.drop_duplicates(["period_start", "period_end"])
    out: list[list] = []

    def walk(start, chain):
        for row in inside[inside["period_start"] == start].itertuples():
            if row.period_end == whole.period_end:
                out.append(chain + [row])
            else:
                walk(row.period_end + pd.Timedelta(days=1), chain + [row])
    walk(whole.period_start, [])
    return out


def parts_against_whole(name: str, series: pd.DataFrame) -> list[Problem]:
    """Where a reporter published a period and also every part of it (a year and its quarters, nine months and
    the half-year plus the third quarter), the parts add up to the whole within PARTS_TOLERANCE."""
    found = []
    for whole in series.itertuples():
        for chain in _tilings(whole, series):
            for column in FIGURES[name]:
                total, parts = getattr(whole, column), [getattr(p, column) for p in chain]
                if pd.isna(total) or any(pd.isna(p) for p in parts) or total == 0:
                    continue
                added = int(sum(parts))
                if abs(added - total) > PARTS_TOLERANCE * total:
                    lines = ", ".join(str(p.line_no) for p in chain)
                    found.append(Problem(name, whole.line_no, column,
                                         f"the parts of {_what(name, whole)} (lines {lines}) add up to {added:,}, "
                                         f"more than {PARTS_TOLERANCE:.0%} away from this row's {int(total):,}"))
    return found


def _fits(change: float, stated: float, qualifier: str) -> bool:
    if qualifier == "at least":
        return change >= stated - STATED_TOLERANCE["exact"]
    if qualifier == "at most":
        return change <= stated + STATED_TOLERANCE["exact"]
    return abs(change - stated) <= STATED_TOLERANCE.get(qualifier, STATED_TOLERANCE["exact"])


def stated_changes(changes: pd.DataFrame, figures: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each change a report states ("37 percent more than the same period of 2020") against the stored figures
    for both periods; a relay that swapped or mistyped a figure fails here."""
    name, found = "stated_changes.csv", []
    for c in changes.itertuples():
        rows = figures.get(c.file)
        if rows is None or c.column not in FIGURES.get(c.file, ()):
            found.append(Problem(name, c.line_no, "file", f"{c.file} holds no {c.column} figures to test this against"))
            continue
        series = rows[(rows["reporter"] == c.reporter) & rows["province"].isna()
                      & (rows["population" if c.file == "casualties.csv" else "measure"] == c.measure)]
        if c.file == "casualties.csv":
            party = series["attributed_to"]
            same = party.isna() if pd.isna(c.attributed_to) else party == c.attributed_to
            series = series[same]
        now = series[(series["period_start"] == c.period_start) & (series["period_end"] == c.period_end)]
        base = series[(series["period_start"] == c.base_start) & (series["period_end"] == c.base_end)]
        if now.empty or base.empty:
            missing = period_text(c.period_start, c.period_end) if now.empty else period_text(c.base_start, c.base_end)
            found.append(Problem(name, c.line_no, "period_start",
                                 f"{c.file} has no {c.reporter} {c.measure} row for {missing} to test this change "
                                 "against"))
            continue
        # Where the report compares with its own later revision of the base period, that revised figure is the base.
        restated = None if pd.isna(c.base_figure) else int(c.base_figure)
        for n in now.itertuples():
            for b in base.itertuples():
                value, before = getattr(n, c.column), restated if restated is not None else getattr(b, c.column)
                if pd.isna(value) or pd.isna(before) or before == 0:
                    continue
                change = (value - before) / before * 100
                if not _fits(change, c.change_pct, c.qualifier):
                    said = "" if c.qualifier == "exact" else f"{c.qualifier} "
                    against = (f"the restated base ({int(before):,})" if restated is not None else
                               f"line {b.line_no} ({int(before):,})")
                    found.append(Problem(name, c.line_no, "change_pct",
                                         f"the report states {said}{c.change_pct:+g}%, but {c.file} line {n.line_no} "
                                         f"({int(value):,}) against {against} is {change:+.1f}%: one of the two "
                                         "figures is not the report's"))
    return found
