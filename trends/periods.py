"""The shape of a published period and its words, the same on every chart, card, table and page."""

from __future__ import annotations

import pandas as pd

from trends.filters import format_day

# Periods are grouped by their shape, so a series never sets a year beside a quarter on one axis.
YEAR, FIRST_HALF, NINE_MONTHS, QUARTER, THREE_MONTHS, OTHER = (
    "per year", "first half of each year", "January to September", "calendar quarters", "other three-month periods",
    "other periods")
# Every shape, in the order panels and series show them.
KINDS = (YEAR, FIRST_HALF, NINE_MONTHS, QUARTER, THREE_MONTHS, OTHER)
# Kinds whose periods follow each other, so a missing one is a gap worth naming (a first half is followed by
# nothing of its own kind until the next year, by design). Three-month windows that SIGAR shifted off the calendar
# overlap the calendar quarters, so they are a series of their own.
CONTIGUOUS = (YEAR, QUARTER)


def period_kind(start: pd.Timestamp, end: pd.Timestamp) -> str:
    same_year, jan1 = start.year == end.year, (start.month, start.day) == (1, 1)
    if same_year and jan1 and (end.month, end.day) == (12, 31):
        return YEAR
    if same_year and jan1 and (end.month, end.day) == (6, 30):
        return FIRST_HALF
    if same_year and jan1 and (end.month, end.day) == (9, 30):
        return NINE_MONTHS
    if same_year and start.day == 1 and start.month in (1, 4, 7, 10) and end == start + pd.offsets.QuarterEnd(0):
        return QUARTER
    if 89 <= (end - start).days + 1 <= 92:
        return THREE_MONTHS
    return OTHER


def period_text(start, end) -> str:
    """A published period in words: '2019', 'January-June 2019', '1 Oct 2018 to 31 Dec 2018'."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    kind = period_kind(start, end)
    if kind == YEAR:
        return str(start.year)
    if start.day == 1 and end == end + pd.offsets.MonthEnd(0) and start.year == end.year:
        return f"{start:%B}" + ("" if start.month == end.month else f"-{end:%B}") + f" {start.year}"
    return f"{format_day(start.date())} to {format_day(end.date())}"
