"""A citable brief of the current view: plain sentences with its numbers, the sources behind them, a permalink."""

from __future__ import annotations

import pandas as pd

from trends.analysis.compare import coverage
from trends.filters import FilterSpec, format_day
from trends.engines.queries import change, meetings_between
from trends.wording import NO_PUBLIC_URL, count, permalink, responsibility, no_total_inside

MAX_SOURCES = 12


def _scope(spec: FilterSpec) -> str:
    clauses = spec.value_clauses()
    return " " + "; ".join(clauses) if clauses else ""


def _span(spec: FilterSpec) -> str:
    return f"between {format_day(spec.start)} and {format_day(spec.end)}"


def _inside(figures: pd.DataFrame) -> pd.DataFrame:
    """The reported totals whose periods lie inside the view (reported.in_range's rows), oldest first."""
    return figures[figures["coverage"] == "inside the range"].sort_values(["period_start", "reporter"])


def reported_sentences(inside: pd.DataFrame) -> list[str]:
    """What authorities published for periods inside the view, each with its reporter and report, in words."""
    if inside.empty:
        return [no_total_inside("this range")]
    said = [f"{r.reporter} reported {r.figure} ({r.what}, {r.period}; {r.source})" for r in inside.itertuples()]
    return ["Authorities' own totals for periods inside this range: " + "; ".join(said) + "."]


def brief(engine, meetings: pd.DataFrame, spec: FilterSpec, *, dataset_title: str, first,
          base_url: str | None = None, reported_figures: pd.DataFrame | None = None, selection: bool = True) -> dict:
    """Numbers come from the same engine queries as the dashboard's KPIs and tables. `first` is the data's first
    day: a previous period wholly before it has no number (it was not observed), one partly before it says so."""
    now, before = engine.totals(spec), engine.totals(spec.previous())
    cover = coverage(spec.previous(), first)
    ranked = engine.events(spec, limit=200, deadliest=True)
    talks = meetings_between(meetings, spec.start, spec.end)
    prev = spec.previous()
    inside = None if reported_figures is None else _inside(reported_figures)
    sentences = [] if inside is None else reported_sentences(inside)
    sentences.append(
        f"B{_span(spec)[1:]} the dataset records {count(now.attacks, 'attack', 'attacks')}{_scope(spec)}.")
    if now.attacks:
        reported = now.attacks - now.killed_unreported
        sentences.append(
            f"Sources reported at least {count(now.killed, 'person', 'people')} killed and "
            f"{now.wounded:,} wounded in them; {count(reported, 'attack has', 'attacks have')} a reported "
            f"death toll, so these are lower bounds.")
        if cover.none:
            sentences.append(f"There is no earlier period to compare with: the {prev.days:,} days before "
                             f"({format_day(prev.start)} to {format_day(prev.end)}) lie before the first day of "
                             f"data, {format_day(first)}.")
        else:
            pct = change(now.attacks, before.attacks)
            trend = "the same number as" if now.attacks == before.attacks else (
                f"{abs(now.attacks - before.attacks):,} {'more' if now.attacks > before.attacks else 'fewer'} than")
            sentences.append(
                f"That is {trend} the {prev.days:,} days before ({format_day(prev.start)} to "
                f"{format_day(prev.end)}: {count(before.attacks, 'attack', 'attacks')}"
                + (f", {pct:+.0f}%" if pct is not None and now.attacks != before.attacks else "") + ")"
                + (f"; that period is {cover.note}." if cover.partial else "."))
        for row in ranked.dropna(subset=["killed"]).head(1).itertuples(index=False):
            place = ", ".join(str(x) for x in (row.location, row.province) if isinstance(x, str) and x)
            sentences.append(
                f"The deadliest was on {format_day(row.date.date())} in {place}: {row.killed:,} killed "
                f"({row.attack_type}, {responsibility(row.perpetrator, getattr(row, 'perpetrator_basis', None))}; "
                f"{row.report if isinstance(getattr(row, 'report', None), str) else row.source}).")
    if len(talks):
        titles = "; ".join(talks["title"].head(3))
        more = f" and {len(talks) - 3:,} more" if len(talks) > 3 else ""
        verb = "falls" if len(talks) == 1 else "fall"
        sentences.append(f"{count(len(talks), 'meeting or milestone', 'meetings or milestones')} of the peace "
                         f"process {verb} in the period: {titles}{more}.")
    if selection:
        sentences.append("The attack list holds notable events, not a complete record.")
    sources = ranked[["date", "source", "source_url"]].drop_duplicates("source_url").head(MAX_SOURCES)
    official = [] if inside is None else [
        {"period": r.period, "reporter": r.reporter, "measure": r.what, "figure": r.figure, "publisher": r.source,
         "url": r.source_url} for r in inside.itertuples()]
    return {
        "title": f"{spec.describe()}",
        "text": " ".join(sentences),
        "numbers": {"attacks": now.attacks, "killed": now.killed, "wounded": now.wounded,
                    "killed_unreported": now.killed_unreported, "wounded_unreported": now.wounded_unreported,
                    "previous_attacks": None if cover.none else before.attacks, "meetings": len(talks)},
        "previous_period": {"start": prev.start.isoformat(), "end": prev.end.isoformat(),
                            "days_with_data": cover.covered, "days": cover.days, "note": cover.note},
        "reported": official,
        "sources": [{"date": d.date().isoformat(), "publisher": s, "url": u}
                    for d, s, u in sources.itertuples(index=False)],
        "more_sources": max(0, now.attacks - len(sources)) if len(sources) == MAX_SOURCES else 0,
        "dataset": dataset_title,
        "permalink": permalink(spec, base_url),
        "view": spec.query_string(),
    }


def brief_markdown(b: dict) -> str:
    """The brief as plain Markdown, ready to paste."""
    lines = [f"**{b['title']}**", "", b["text"], "", "Sources:"]
    lines += [f"- {r['publisher']} ({r['reporter']}, {r['period']}): {r['url']}" for r in b.get("reported", [])]
    lines += [f"- {s['publisher']} ({s['date']}): {s['url']}" for s in b["sources"]]
    if b["more_sources"]:
        lines.append(f"- and the reports of {b['more_sources']:,} more attacks, listed in the events CSV")
    lines += ["", f"Data: {b['dataset']}",
              "Permalink: " + (b["permalink"] or NO_PUBLIC_URL.format(query=b["view"]))]
    return "\n".join(lines)
