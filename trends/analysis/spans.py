"""From when to when each file and each reported series of a dataset reaches, as the README's table prints it."""

from __future__ import annotations

import pandas as pd

from trends.filters import format_day
from trends.periods import period_text
from trends.analysis.reported import catalogue

HEADER = "| file | what | from | to | rows |\n|---|---|---|---|---|"


def _day(value) -> str:
    return format_day(pd.Timestamp(value).date())


def rows(dataset) -> list[tuple[str, str, str, str, int]]:
    """(file, what, first day, last day, rows) per file, then per national reported series."""
    out = []
    a = dataset.attacks
    if len(a):
        last = a["end_date"].fillna(a["date"]).max() if "end_date" in a else a["date"].max()
        out.append(("attacks.csv", "attacks under the inclusion rule", _day(a["date"].min()), _day(last), len(a)))
    m = dataset.meetings
    if len(m):
        out.append(("meetings.csv", "talks and milestones", _day(m["date"].min()),
                    _day(m["end_date"].fillna(m["date"]).max()), len(m)))
    for s in catalogue(dataset.attack_counts, dataset.casualties):
        name = "casualties.csv" if s.casualties else "attack_counts.csv"
        first, last = s.rows.iloc[0], s.rows.iloc[-1]
        what = f"{s.reporter}: {s.measure}, {s.kind}"
        out.append((name, what, period_text(first.period_start, first.period_end),
                    period_text(last.period_start, last.period_end), len(s.rows)))
    return out


def markdown(dataset) -> str:
    return "\n".join([HEADER] + [f"| {f} | {w} | {a} | {b} | {n:,} |" for f, w, a, b, n in rows(dataset)])
