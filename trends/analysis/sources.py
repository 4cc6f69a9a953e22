"""Every reporter's figures side by side, per year and per published sub-year period, with what each one counts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from trends.filters import FilterSpec
from trends.periods import YEAR, period_kind, period_text

CURATED = "curated notable attacks"
# One line each on what a reporter counts, so that readers do not set unlike numbers against each other.
DEFINITIONS = {
    "UNAMA": "UNAMA: civilians killed and injured in the conflict that it verified with at least three independent "
             "sources; combatants are not counted.",
    "Resolute Support": "Resolute Support (NATO): enemy-initiated attacks, i.e. attacks started by insurgents against "
                        "Afghan or coalition forces, whether or not anyone was hurt.",
    "United Nations (UNAMA/UN Secretary-General)": "UN Secretary-General's reports: security incidents of every kind "
                                                   "(armed clashes, IEDs, targeted killings, abductions and more), by "
                                                   "all parties.",
    CURATED: "Curated attacks: those picked from published reports by one rule for every year (25 or more killed, or "
             "a high-profile kind the rule names); its counts show what was deadly or high-profile, not the level of "
             "violence.",
    "UCDP": "UCDP GED: events of organised violence with at least one death, with UCDP's best, low and high "
            "estimates of deaths (combatants included) and its count of civilian deaths.",
    "ACLED": "ACLED: political violence and protest events coded from reports, with reported fatalities of all "
             "kinds.",
}
# Pairs whose measures count the same thing closely enough for a ratio: (numerator, denominator) measures.
COMPARABLE = [(("civilian deaths", "UCDP"), ("civilians killed", "UNAMA"))]
COLUMNS = ["period", "period_start", "period_end", "reporter", "measure", "value", "report", "report_url",
           "source_url"]


def _row(start, end, reporter, measure, value, url, report=None, report_url=None) -> dict:
    """One figure; `report` names the report it comes from, `url` is the page where it was read."""
    return {"period": period_text(start, end), "period_start": pd.Timestamp(start).date().isoformat(),
            "period_end": pd.Timestamp(end).date().isoformat(), "reporter": reporter, "measure": measure,
            "value": int(value), "report": _text(report), "report_url": _text(report_url), "source_url": url}


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def sources_table(dataset, engine, spec: FilterSpec) -> pd.DataFrame:
    """Rows of (period, reporter, measure, value, source_url) for periods that meet the view's dates: each
    reporter's published figures as published, and the dataset's own counts for the same periods (whole years, and
    every sub-year period another reporter published). The dataset's counts follow the view's value filters."""
    lo, hi = pd.Timestamp(spec.start), pd.Timestamp(spec.end)
    rows: list[dict] = []
    cas = dataset.casualties
    if len(cas):
        civ = cas[(cas["population"] == "civilians") & cas["province"].isna() & cas["attributed_to"].isna()]
        for r in civ.itertuples():
            for measure, value in (("civilians killed", r.killed), ("civilians injured", r.injured)):
                if not pd.isna(value):
                    rows.append(_row(r.period_start, r.period_end, r.reporter, measure, value, r.source_url,
                                     r.report, r.report_url))
    counts = dataset.attack_counts
    if len(counts):
        for r in counts[counts["province"].isna()].itertuples():
            rows.append(_row(r.period_start, r.period_end, r.reporter, r.measure, r.count, r.source_url, r.report,
                             r.report_url))
    for t in (dataset.package or {}).get("source_totals", []):
        rows.append({**t, "period": t["period"], "source_url": (dataset.package.get("source_dataset") or {})
                     .get("path", "")})
    published = pd.DataFrame(rows, columns=COLUMNS)
    rows += _own_counts(dataset, engine, spec, published)
    table = pd.DataFrame(rows, columns=COLUMNS)
    if table.empty:
        return table
    meets = (pd.to_datetime(table["period_end"]) >= lo) & (pd.to_datetime(table["period_start"]) <= hi)
    return table[meets].sort_values(["period_start", "period_end", "reporter", "measure"]).reset_index(drop=True)


def _own_counts(dataset, engine, spec: FilterSpec, published: pd.DataFrame) -> list[dict]:
    """The dataset's own events, counted for each calendar year and each sub-year period that a reporter
    published, where the period lies wholly inside the data's span, with the view's value filters."""
    domain = engine.domain(dataset.provinces)
    periods = {(f"{y}-01-01", f"{y}-12-31") for y in range(domain.first.year, domain.last.year + 1)}
    periods |= {(s, e) for s, e in zip(published["period_start"], published["period_end"])
                if period_kind(pd.Timestamp(s), pd.Timestamp(e)) != YEAR}
    reporter, measures = _own_reporter(dataset)
    out = []
    for start, end in sorted(periods):
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if a < domain.first or b > domain.last:
            continue  # partly outside the data's span: not wholly observed, so no count is given
        view = spec.with_dates(a, b)
        totals = engine.totals(view)
        url = "" if reporter == CURATED else (dataset.package.get("source_dataset") or {}).get("path", "")
        values = {"events": totals.attacks, "killed (reported sum)": totals.killed}
        if reporter != CURATED and measures == "ucdp":
            lows = engine.events(view, columns=["killed_low", "killed_high"])
            values = {"events": totals.attacks, "deaths (best)": totals.killed,
                      "deaths (low)": int(lows["killed_low"].fillna(0).sum()),
                      "deaths (high)": int(lows["killed_high"].fillna(0).sum())}
        elif reporter != CURATED:
            values = {"events": totals.attacks, "fatalities": totals.killed}
        for measure, value in values.items():
            out.append(_row(a, b, reporter, "attacks (count)" if reporter == CURATED and measure == "events"
                            else measure, value, url))
    return out


def _own_reporter(dataset) -> tuple[str, str]:
    if dataset.selection:
        return CURATED, "curated"
    name = ((dataset.package or {}).get("source_dataset") or {}).get("name", "")
    if "UCDP" in name:
        return f"UCDP GED {(dataset.package.get('source_dataset') or {}).get('version', '')}".strip(), "ucdp"
    if "ACLED" in name:
        return "ACLED", "acled"
    return dataset.title, "other"


def _known(reporter: str, table: dict) -> str | None:
    """The key of `table` that names this reporter: the same name, or its first word(s) ("UCDP" for "UCDP GED 25.1")."""
    return next((k for k in table if reporter == k or reporter.startswith(k + " ")), None)


# Each reporter's headline measure, for the chart's one line per reporter.
HEADLINE = {"UNAMA": "civilians killed", "Resolute Support": "enemy-initiated attacks",
            "United Nations (UNAMA/UN Secretary-General)": "security incidents", CURATED: "killed (reported sum)",
            "UCDP": "deaths (best)", "ACLED": "fatalities"}


def headline_measures(table: pd.DataFrame) -> pd.DataFrame:
    """One measure per reporter, on years where the reporter publishes years (else its most common period):
    the rows the chart draws as one line per reporter."""

    keep = []
    for reporter, rows in table.groupby("reporter", sort=False):
        key = _known(reporter, HEADLINE)
        rows = rows[rows["measure"] == HEADLINE[key]] if key else rows[rows["measure"] == rows["measure"].iloc[0]]
        kinds = pd.Series([period_kind(pd.Timestamp(s), pd.Timestamp(e))
                           for s, e in zip(rows["period_start"], rows["period_end"])], index=rows.index)
        if len(kinds):
            keep.append(rows[kinds == (YEAR if (kinds == YEAR).any() else kinds.mode().iloc[0])])
    return pd.concat(keep) if keep else table.iloc[0:0]


def definitions(table: pd.DataFrame) -> list[str]:
    """The one-line definition of each reporter present in the table."""
    said = []
    for reporter in dict.fromkeys(table["reporter"]):
        key = _known(reporter, DEFINITIONS)
        if key and DEFINITIONS[key] not in said:
            said.append(DEFINITIONS[key])
    return said


def ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Ratios only between measures that count the same thing, for the same published period."""
    out = []
    for (num_measure, num_reporter), (den_measure, den_reporter) in COMPARABLE:
        num = table[(table["measure"] == num_measure) & table["reporter"].str.startswith(num_reporter)]
        den = table[(table["measure"] == den_measure) & (table["reporter"] == den_reporter)]
        both = num.merge(den, on=["period_start", "period_end"], suffixes=("_a", "_b"))
        for r in both.itertuples():
            if r.value_b:
                out.append({"period": r.period_a, "numerator": f"{r.reporter_a} {num_measure}",
                            "denominator": f"{r.reporter_b} {den_measure}", "ratio": round(r.value_a / r.value_b, 6)})
    return pd.DataFrame(out, columns=["period", "numerator", "denominator", "ratio"])


def as_json(table: pd.DataFrame) -> dict:
    return {"rows": table[COLUMNS].to_dict("records"), "ratios": ratios(table).to_dict("records"),
            "definitions": definitions(table)}


def _cited(row) -> str:
    """The report's name, with its own address where it was confirmed."""
    name = row.report if isinstance(row.report, str) else ""
    return f"{name} ({row.report_url})" if isinstance(row.report_url, str) else name


def as_markdown(table: pd.DataFrame) -> str:
    lines = ["| period | reporter | measure | value | report | read at |", "|---|---|---|---:|---|---|"]
    lines += [f"| {r.period} | {r.reporter} | {r.measure} | {r.value:,} | {_cited(r)} | {r.source_url} |"
              for r in table.itertuples()]
    lines += ["", *[f"- {d}" for d in definitions(table)]]
    rat = ratios(table)
    if len(rat):
        lines += ["", "Ratios (comparable measures only):"]
        lines += [f"- {r.period}: {r.numerator} / {r.denominator} = {r.ratio:.3f}" for r in rat.itertuples()]
    return "\n".join(lines)
