"""A reported measure's level per month before and after the takeover of 15 August 2021, period by period."""

from __future__ import annotations

import pandas as pd

from trends.eras import TAKEOVER
from trends.periods import period_text
from trends.analysis.reported import ALL_DEATHS, Series

DAYS_PER_MONTH = 365.25 / 12
BEFORE, AFTER = "before the takeover", "after the takeover"
COLUMNS = ["reporter", "measure", "side", "period", "period_start", "period_end", "months", "figure", "per_month",
           "qualifier", "source_url"]
# What each measure counts, in words, where its reporter's definition changed or differs from the others'.
COUNTS = {
    "security incidents": "the UN's count of security incidents of all parties (armed clashes, IEDs, "
                          "assassinations, abductions, air strikes) during the war",
    "security incidents (monthly average)": "the same UN count, published as a monthly average for the year",
    "security-related incidents (post-takeover)": "the UN's count after the takeover, of a changed conflict: "
                                                  "not the continuation of the war's series",
    "safety and security-related incidents": "the UN's count from 2025, which also takes in crime such as "
                                             "robberies",
    "civilian casualties": "civilians killed and injured, as UNAMA documented them",
    ALL_DEATHS: "deaths in organised violence of every kind located in Afghanistan (UCDP's best estimate)",
}


def _value(series: Series, row) -> float | None:
    if series.measure == "civilian casualties":
        # UNAMA's measure is killed and injured together; a period without both parts is left out.
        v = None if pd.isna(row.killed) or pd.isna(row.injured) else row.killed + row.injured
    else:
        v = row.killed if series.casualties else row.value
    return None if v is None or pd.isna(v) else float(v)


def levels(catalogue: list[Series]) -> pd.DataFrame:
    """Every published period of every series, its figure divided by its length in months, on its side of the
    takeover. A period that spans the takeover belongs to neither side and is left out; a monthly average is
    already a level per month."""
    day = pd.Timestamp(TAKEOVER)
    rows = []
    for s in catalogue:
        for r in s.rows.itertuples():
            value = _value(s, r)
            side = BEFORE if r.period_end < day else AFTER if r.period_start >= day else None
            if value is None or side is None:
                continue
            months = ((r.period_end - r.period_start).days + 1) / DAYS_PER_MONTH
            monthly = value if "monthly average" in s.measure else value / months
            rows.append([s.reporter, s.measure, side, period_text(r.period_start, r.period_end), r.period_start,
                         r.period_end, round(months, 1), value, round(monthly, 1), r.qualifier, r.source_url])
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["reporter", "measure", "period_start", "period_end"]).reset_index(drop=True)


def families(frame: pd.DataFrame) -> pd.DataFrame:
    """Reporters with periods on both sides, whichever measure (a reporter may rename its count after the
    takeover: the UN's incidents); a reporter on one side only cannot show a before and after."""
    sides = frame.groupby("reporter")["side"].nunique()
    return frame[frame["reporter"].isin(sides[sides == 2].index)].reset_index(drop=True)
