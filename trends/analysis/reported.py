"""Totals that authorities reported for their own periods: series, the figures inside a date range, gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from trends.filters import upper_first
from trends.periods import CONTIGUOUS, period_kind, period_text

COLUMNS = ["period_start", "period_end", "value", "killed", "killed_low", "killed_high", "injured", "qualifier", "source",
           "source_url", "notes"]
# Deaths among everyone (population `all`), as UCDP counts them: a measure of its own beside civilian casualties.
ALL_DEATHS = "conflict deaths (all parties)"


@dataclass(frozen=True)
class Series:
    """One reporter's measure over periods of one shape, in published order."""

    key: str
    reporter: str
    measure: str
    kind: str
    rows: pd.DataFrame  # COLUMNS: `value` holds an attack count; casualty series use killed and injured instead

    @property
    def label(self) -> str:
        return f"{upper_first(self.measure)} reported by {self.reporter}, {self.kind}"

    @property
    def casualties(self) -> bool:
        return self.rows["value"].isna().all()

    @property
    def span_days(self) -> int:
        return int((self.rows["period_end"].max() - self.rows["period_start"].min()).days) + 1


def catalogue(attack_counts: pd.DataFrame, casualties: pd.DataFrame) -> list[Series]:
    """Every national series the dataset holds: attack totals per reporter and measure, civilian casualties and
    deaths among all parties per reporter, each split by the shape of its periods. The series that spans the most
    years first (the first chart should cover the data), attack totals before casualties among equals."""
    found: list[Series] = []
    counts = attack_counts[attack_counts["province"].isna()] if len(attack_counts) else attack_counts
    for (reporter, measure), rows in counts.groupby(["reporter", "measure"], sort=True):
        frame = rows.assign(value=rows["count"], killed=pd.NA, injured=pd.NA)
        found += _by_kind(frame, reporter, measure, "attacks")
    if len(casualties):
        civ = casualties[(casualties["population"] == "civilians") & casualties["province"].isna()
                         & casualties["attributed_to"].isna()]
        for reporter, rows in civ.groupby("reporter", sort=True):
            frame = rows.assign(value=pd.NA)
            found += _by_kind(frame, reporter, "civilian casualties", "civilians")
        everyone = casualties[(casualties["population"] == "all") & casualties["province"].isna()
                              & casualties["attributed_to"].isna()]
        for reporter, rows in everyone.groupby("reporter", sort=True):
            found += _by_kind(rows.assign(value=pd.NA), reporter, ALL_DEATHS, "deaths")
    return sorted(found, key=lambda s: (-s.span_days, not s.key.startswith("attacks|"), -len(s.rows), s.key))


def _by_kind(frame: pd.DataFrame, reporter: str, measure: str, prefix: str) -> list[Series]:
    kinds = [period_kind(s, e) for s, e in zip(frame["period_start"], frame["period_end"])]
    out = []
    for kind, rows in frame.assign(kind=kinds).groupby("kind", sort=False):
        rows = rows.sort_values(["period_start", "period_end"]).reset_index(drop=True)
        out.append(Series(f"{prefix}|{reporter}|{measure}|{kind}", reporter, measure, kind,
                          rows.reindex(columns=COLUMNS)))
    return out


def gaps(series: Series, min_days: int = 1) -> list[tuple[dt.date, dt.date]]:
    """Spans with no published figure between one period and the next, for a series whose periods mostly follow
    on from each other (a reporter that publishes only first quarters has no gap between them)."""
    starts, ends = list(series.rows["period_start"]), list(series.rows["period_end"])
    follow = [(b - a).days <= 1 for a, b in zip(ends, starts[1:])]
    if series.kind not in CONTIGUOUS or not follow or sum(follow) * 2 < len(follow):
        return []
    found, reach = [], None
    for start, end in zip(series.rows["period_start"], series.rows["period_end"]):
        if reach is not None and (start - reach).days - 1 >= min_days:
            found.append(((reach + pd.Timedelta(days=1)).date(), (start - pd.Timedelta(days=1)).date()))
        reach = end if reach is None else max(reach, end)
    return found


RANGE_COLUMNS = ["reporter", "what", "period", "figure", "coverage", "period_start", "period_end", "count", "killed",
                 "injured", "killed_or_injured", "qualifier", "source", "source_url", "notes"]


def in_range(attack_counts: pd.DataFrame, casualties: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Every national total whose published period meets the range, as published (never pro-rated), with how it
    lies: 'inside' the range, or 'partly outside' it."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    parts = []
    if len(attack_counts):
        a = attack_counts[attack_counts["province"].isna()]
        parts.append(pd.DataFrame({
            "reporter": a["reporter"], "what": a["measure"], "period_start": a["period_start"],
            "period_end": a["period_end"],
            "figure": [figure_words(c, None, None, q) for c, q in zip(a["count"], a["qualifier"])],
            "count": a["count"], "killed": pd.NA, "injured": pd.NA, "killed_or_injured": pd.NA,
            "qualifier": a["qualifier"], "source": a["source"], "source_url": a["source_url"], "notes": a["notes"]}))
    if len(casualties):
        c = casualties[casualties["province"].isna() & casualties["attributed_to"].isna()]
        parts.append(pd.DataFrame({
            "reporter": c["reporter"], "what": c["population"].map({"civilians": "civilian casualties", "all": ALL_DEATHS}).fillna(
                c["population"] + " casualties"),
            "period_start": c["period_start"], "period_end": c["period_end"],
            "figure": [figure_words(None, k, i, q, ki) for k, i, ki, q in zip(c["killed"], c["injured"],
                                                                             c["killed_or_injured"], c["qualifier"])],
            "count": pd.NA, "killed": c["killed"], "injured": c["injured"], "killed_or_injured": c["killed_or_injured"],
            "qualifier": c["qualifier"], "source": c["source"], "source_url": c["source_url"], "notes": c["notes"]}))
    if not parts:
        return pd.DataFrame(columns=RANGE_COLUMNS)
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[(rows["period_end"] >= lo) & (rows["period_start"] <= hi)].copy()
    inside = (rows["period_start"] >= lo) & (rows["period_end"] <= hi)
    rows["coverage"] = inside.map({True: "inside the range", False: "partly outside the range"})
    rows["period"] = [period_text(s, e) for s, e in zip(rows["period_start"], rows["period_end"])]
    rows = rows.sort_values(["reporter", "what", "period_start", "period_end"]).reset_index(drop=True)
    return rows[RANGE_COLUMNS]


def _number(n) -> str:
    return f"{int(n):,}"


def figure_words(count, killed, injured, qualifier: str, killed_or_injured=None) -> str:
    """A reported figure in words, with its qualifier: '6,974', 'at least 1,000 killed or injured'."""
    q = "" if qualifier == "exact" else f"{qualifier} "
    if count is not None and not pd.isna(count):
        return q + _number(count)
    said = [f"{_number(n)} {w}" for n, w in ((killed, "killed"), (injured, "injured")) if n is not None
            and not pd.isna(n)]
    if killed_or_injured is not None and not pd.isna(killed_or_injured):
        # The total a report states: alone where it gave no split, else after the split it adds up to.
        return q + (", ".join(said) + f" ({_number(killed_or_injured)} in all)" if said
                    else f"{_number(killed_or_injured)} killed or injured")
    return q + ", ".join(said)


def around(series: Series, day: dt.date) -> tuple[pd.Series | None, pd.Series | None]:
    """The published period that ends last before `day`, and the one that starts first after it (a period that
    contains the day belongs to neither)."""
    t = pd.Timestamp(day)
    rows = series.rows
    before = rows[rows["period_end"] < t].sort_values(["period_end", "period_start"])
    after = rows[rows["period_start"] > t].sort_values(["period_start", "period_end"])
    return (before.iloc[-1] if len(before) else None), (after.iloc[0] if len(after) else None)


MILESTONE_KINDS = ("agreement", "ceasefire")


def default_milestones(meetings: pd.DataFrame) -> pd.DataFrame:
    """Agreements and ceasefires, and the openings of negotiations (a title saying the talks open)."""
    opening = meetings["title"].fillna("").str.contains(r"\bopens?\b", case=False, regex=True)
    return meetings[meetings["kind"].isin(MILESTONE_KINDS) | opening].sort_values("date")


def around_milestones(series: Series, milestones: pd.DataFrame) -> pd.DataFrame:
    """For each milestone, the series' published period that ends last before it starts and the one that starts
    first after it ends, side by side, as published."""
    out = []
    for m in milestones.itertuples(index=False):
        end = m.end_date if pd.notna(m.end_date) else m.date
        before, _ = around(series, m.date.date())
        _, after = around(series, end.date())
        row = {"milestone": m.title, "date": m.date}
        for side, found in (("before", before), ("after", after)):
            row[f"{side}_period"] = period_text(found.period_start, found.period_end) if found is not None else ""
            row[f"{side}_figure"] = _same_period_figures(series, found) if found is not None else "none published"
            row[f"{side}_report"] = found.source_url if found is not None else None
        out.append(row)
    return pd.DataFrame(out, columns=["milestone", "date", "before_period", "before_figure", "before_report",
                                      "after_period", "after_figure", "after_report"])


def _same_period_figures(series: Series, found) -> str:
    """The figure for a period, or every figure given for it where sources disagree."""
    rows = series.rows
    same = rows[(rows["period_start"] == found.period_start) & (rows["period_end"] == found.period_end)]
    said = list(dict.fromkeys(_series_figure(series, r) for r in same.itertuples()))
    return said[0] if len(said) == 1 else " or ".join(said) + " (sources differ)"


def _series_figure(series: Series, row) -> str:
    if series.casualties:
        return figure_words(None, row.killed, row.injured, row.qualifier)
    return figure_words(row.value, None, None, row.qualifier)
