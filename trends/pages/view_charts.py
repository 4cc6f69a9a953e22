"""The Overview's charts for one view and the reader's choices, each with its words: for the page and for publishing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from trends.analysis import alerts
from trends import eras
from trends.figures import base as figures
from trends.figures import map_figures
from trends.engines import queries
from trends.figures import report_figures
from trends.analysis import reported
from trends.analysis import takeover
from trends.dataset.boundaries import find_boundaries
from trends.pages.captions import source_line
from trends.analysis.compare import comparison_rows, coverage
from trends.contract.fields import BY_COLUMN, CHARTED
from trends.filters import FilterSpec, format_day, upper_first
from trends.periods import KINDS, period_kind, period_text
from trends.engines.map_cells import POINT_LIMIT, layer_rows, map_layer
from trends.wording import NATIONAL, NO_EVENTS, count, qualified, scope
from trends.engines.open import engine_of

NOTABLE_MARKS = 300  # the deadliest events of the view drawn as marks on the reported series
MAP_NOTE_BUBBLES = "Without a boundaries file, provinces are bubbles at their capitals."


@dataclass(frozen=True)
class Chart:
    """One figure with the words that go beside it: title, source line, a text alternative and notes."""

    key: str
    section: str
    title: str
    source: str
    figure: go.Figure
    notes: tuple[str, ...] = ()
    table: pd.DataFrame | None = None  # the reports behind the figure, where its source line points to them
    series: reported.Series | None = None
    alt: str = ""


@dataclass(frozen=True)
class Kpi:
    label: str
    value: int
    change: str
    detail: str
    compared: bool = True  # False when the previous period lies before the data: nothing to compare with


@dataclass
class View:
    """Everything a published page shows of one view."""

    spec: FilterSpec
    kpis: list[Kpi]
    kpi_note: str
    reported_rows: pd.DataFrame
    charts: list[Chart] = field(default_factory=list)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def kpi(label: str, now: int, before: int, spec: FilterSpec, first) -> Kpi:
    """A headline number with its change against the previous period, or why there is none."""
    prev = spec.previous()
    cover = coverage(prev, first)
    span = f"{format_day(prev.start)} to {format_day(prev.end)}"
    if cover.none:
        # Nothing was observed then: a change against it would claim a rise from zero.
        return Kpi(label, now, f"no data before {format_day(first)}",
                   f"The previous period of equal length ({span}) lies wholly before the first day of data, so "
                   "there is nothing to compare with.", compared=False)
    pct = queries.change(now, before)
    partly = f", {cover.covered:,} of {cover.days:,} days with data" if cover.partial else ""
    return Kpi(label, now, f"{now - before:+,}" + (f" ({pct:+.0f}%)" if pct is not None else "")
               + f" vs previous period{partly}",
               f"Previous period of equal length: {span} ({before:,})."
               + (f" It is {cover.note}, so the change overstates any rise." if cover.partial else ""))


def kpis(selection: bool, now, before, spec: FilterSpec, first) -> tuple[list[Kpi], str]:
    label = "Notable attacks recorded" if selection else "Attacks recorded"
    found = [kpi(label, now.attacks, before.attacks, spec, first),
             kpi("Killed (reported)", now.killed, before.killed, spec, first),
             kpi("Wounded (reported)", now.wounded, before.wounded, spec, first)]
    if not now.attacks:
        return found, ""
    return found, (f"Killed and wounded add up the figures that sources reported. {now.killed_unreported:,} of "
                   f"{now.attacks:,} attacks have no reported death toll and {now.wounded_unreported:,} no reported "
                   "number of wounded: they count as attacks but add nothing to those totals, which are therefore "
                   "lower bounds.")


def _row_figure(series: reported.Series, row) -> str:
    if series.casualties:
        return ", ".join(f"{qualified(v, row.qualifier)} {w}" for v, w in ((row.killed, "killed"),
                                                                                    (row.injured, "injured"))
                         if not pd.isna(v))
    return qualified(row.value, row.qualifier)


@dataclass(frozen=True)
class Words:
    """What the charts say of the dataset they draw: its title, whether its events are a selection, and its source
    lines. Chart builders get these and the frames they draw, never the dataset itself."""

    title: str
    selection: bool
    source: str  # the attacks' full source line
    short: str  # "Source: <title>."

    @classmethod
    def of(cls, dataset) -> Words:
        return cls(dataset.title, dataset.selection, source_line(dataset, "attacks"),
                   source_line(dataset, "attacks", short=True))


def reported_chart(series: reported.Series, notable: pd.DataFrame, meetings: pd.DataFrame, spec: FilterSpec,
                   words: Words) -> Chart:
    """One reported series, period by period, with the view's deadliest notable attacks as marks."""
    meetings = queries.meetings_between(meetings, spec.start, spec.end)
    gaps = reported.gaps(series)
    source = (f"Source: {series.reporter}, {count(len(series.rows), 'published period', 'published periods')} from "
              f"{count(series.rows['source'].nunique(), 'report', 'reports')} (each listed with its link below). Marks: notable "
              f"attacks from {words.title}, sized by reported deaths. Diamonds: talks and milestones.")
    # National totals: under a filtered view the title says that the filters do not apply to them.
    title = f"{upper_first(series.label)}, {format_day(spec.start)} to {format_day(spec.end)}" + (
        f", {NATIONAL}" if spec.value_filtered else "")
    fig = report_figures.reported_figure(series, notable, meetings, title=title, source=source, gaps=gaps,
                                         start=spec.start, end=spec.end)
    alt = f"{series.label}: " + "; ".join(
        f"{period_text(r.period_start, r.period_end)}: {_row_figure(series, r)}"
        for r in series.rows.itertuples()) + (". No figure published for " + "; ".join(
            f"{format_day(a)} to {format_day(b)}" for a, b in gaps) if gaps else "") + "."
    ranged = series.casualties and series.rows["killed_low"].notna().any()
    return Chart("reported", "level", title, source, fig, (
        "Each line spans exactly the period its reporter published; nothing is split, summed or spread over other "
        "periods, and a span with no published figure is left empty.",) + ((
            f"The pale band behind each line spans {series.reporter}'s low and high estimates.",) if ranged else ()),
        series=series, alt=alt)


def comparison_chart(spec: FilterSpec, rows: pd.DataFrame, words: Words) -> Chart:
    title, source = f"{spec.describe()}, compared", words.source
    alt = "; ".join(
        f"{r.period}: {r.note}" if pd.isna(r.attacks) else
        f"{r.period}: {r.attacks:,} attacks, {r.killed:,} killed, {r.wounded:,} wounded"
        + (f" ({r.note})" if isinstance(r.note, str) else "") for r in rows.itertuples())
    return Chart("comparison", "events", title, source, figures.comparison_figure(rows, title=title, source=source),
                 alt=alt)


def trend_chart(spec: FilterSpec, series: pd.DataFrame, meetings: pd.DataFrame, words: Words,
                measure: str = "attacks", by: str | None = None, colours: dict | None = None) -> Chart:
    """Attacks (or killed, or wounded) per period, split by `by` or not, over the talks."""
    meetings = queries.meetings_between(meetings, spec.start, spec.end)
    what = figures.MEASURE_LABEL[measure]
    if words.selection:
        what = "Notable attacks" if measure == "attacks" else f"{what} in notable attacks"
    title = f"{what} per {spec.freq}, {scope(spec)}"
    source = words.source + " Diamonds: talks and milestones."
    fig = figures.trend_figure(series, meetings, measure=measure, freq=spec.freq, title=title, source=source,
                               colours=colours)
    alt = f"{title}. {int(series[measure].sum()):,} in all; {len(meetings)} meetings shown as diamonds beneath."
    return Chart("trend", "events", title, source, fig, (
        "An attack is counted in the period of its first day; the first and last periods may be partial.",), alt=alt)


def map_chart(spec: FilterSpec, summary, rows: pd.DataFrame | None, outlines, provinces: pd.DataFrame, colours: dict,
              words: Words, measure: str = "attacks", show: str = "Both", street: bool = False,
              problem: str | None = None) -> Chart:
    """Provinces shaded by `measure` with the events on top: points while few, else grid cells (`rows` are the
    layer's rows, from map_cells.layer_rows; None when only provinces are shown)."""
    title = f"{figures.MEASURE_LABEL[measure]} by province, {scope(spec)}"
    source = words.source
    totals = queries.with_gazetteer(summary.breakdown["province"], provinces)
    layer = map_layer(provinces, summary.located, show, street)
    found = rows if layer and layer.kind == "points" else None
    cells = (rows, layer.cell) if layer and layer.kind == "grid" else None
    notes = [problem] if problem else []
    if street and found is not None:
        fig = map_figures.street_map_figure(found, title=title, source=source, colours=colours)
    else:
        fig = map_figures.province_map_figure(
            totals, measure=measure, title=title, source=source, boundaries=outlines.shapes if outlines else None,
            points=found if show != "Provinces" else None, colours=colours, cells=cells,
            what="in notable attacks" if words.selection and measure == "killed" else "")
        if outlines and outlines.unmatched:
            notes.append("Outlines with no matching province: " + ", ".join(outlines.unmatched))
        if street:
            notes.append(f"The street map shows individual events only, up to {POINT_LIMIT:,}; narrow the filters.")
    if cells is not None:
        notes.append(f"{summary.located:,} located events are more than {POINT_LIMIT:,}, so they are counted in "
                     f"{cells[1]:g}-degree cells (squares sized by attacks); every event counts in its province.")
    else:
        notes.append(f"{summary.located:,} of {summary.totals.attacks:,} events have coordinates and appear as points "
                     "(sized by reported killed plus wounded, coloured by perpetrator); every event counts in its "
                     "province's total." + ("" if outlines else " " + MAP_NOTE_BUBBLES))
    alt = f"{title}. " + "; ".join(f"{p}: {n:,}" for p, n in zip(totals["province"], totals[measure]) if n)
    return Chart("map", "map", title, source, fig, tuple(notes), alt=alt)


def breakdown_chart(rows: pd.DataFrame, by: str, measure: str = "attacks", *, spec: FilterSpec, words: Words) -> Chart:
    label = BY_COLUMN[by].noun
    title, source = f"By {label}, {scope(spec)}", words.short
    fig = figures.breakdown_figure(rows, by=by, measure=measure, title=title, source=source)
    alt = f"{figures.MEASURE_LABEL[measure]} by {label}: " + "; ".join(
        f"{v}: {n:,}" for v, n in zip(rows[by], rows[measure]))
    return Chart(f"by-{label}", "breakdowns", title, source, fig, alt=alt)


def casualties_chart(casualties: pd.DataFrame, population: str, start, end) -> Chart | None:
    """One population's casualties from the reporter with the most published periods, for the periods that meet
    the view's dates, one panel per shape of period."""
    rows = queries.reported_casualties(casualties, population)
    rows = rows[(rows["period_end"] >= pd.Timestamp(start)) & (rows["period_start"] <= pd.Timestamp(end))]
    if rows.empty:
        return None
    main = rows["reporter"].value_counts().index[0]
    shown = rows[rows["reporter"] == main]
    kinds = [period_kind(s, e) for s, e in zip(shown["period_start"], shown["period_end"])]
    order = {k: i for i, k in enumerate(KINDS)}
    shown = shown.assign(kind=kinds, label=[period_text(s, e) for s, e in
                                            zip(shown["period_start"], shown["period_end"])])
    shown = shown.sort_values(["kind", "period_start"], key=lambda c: c.map(order) if c.name == "kind" else c)
    title = f"{population.capitalize()}: casualties reported by {main}, {format_day(start)} to {format_day(end)}"
    source = f"Source: {main}, as first published; each period's report is linked in the table below."
    fig = figures.casualties_figure(shown, title=title, source=source)
    table = shown.rename(columns={"label": "period"}).drop(columns="kind")
    partly = shown[(shown["period_start"] < pd.Timestamp(start)) | (shown["period_end"] > pd.Timestamp(end))]
    notes = ("Periods are drawn as their reporter published them, one panel per length; a year and its first half "
             "are separate figures, never added up.",) + ((f"{len(partly):,} of the periods reach beyond the range "
                                                           "and are shown whole.",) if len(partly) else ())
    return Chart(f"casualties-{population}", "casualties", title, source, fig, notes, table=table,
                 alt=f"{population.capitalize()} casualties reported by {main}: " + "; ".join(
                     f"{r.label}: {_casualty_words(r)}" for r in shown.itertuples()) + ".")


def _casualty_words(row) -> str:
    return reported.figure_words(None, row.killed, row.injured, row.qualifier, row.killed_or_injured)


def populations(casualties: pd.DataFrame) -> list[str]:
    """The populations with reported casualties, civilians first."""
    return sorted(casualties["population"].dropna().unique(), key=lambda p: (p != "civilians", p))


def alerts_chart(dataset, engine, spec: FilterSpec) -> Chart:
    at = alerts.AlertSpec(spec.end)
    result = alerts.alerts(engine, list(dataset.provinces["province"]), spec, at)
    return alerts_chart_of(result, at, spec, dataset.title, dataset.selection)


def alerts_chart_of(result: pd.DataFrame, at, spec: FilterSpec, dataset_title: str, selection: bool) -> Chart:
    """The surge alerts of a view from their table (trends.analysis.alerts), with the words every page shows:
    notes are the caution on a selection (if any), the method, and what was flagged, in that order."""
    flagged = result[result["flagged"]]
    title = ", ".join([f"Recent events against the count expected, {at.window} days to {format_day(spec.end)}",
                       *spec.value_clauses()])
    source = f"Source: {dataset_title}; one-sided Poisson test with Benjamini-Hochberg correction."
    top = result.head(12)
    fig = report_figures.alerts_figure(top, title=title, source=source)
    notes = [alerts.SELECTION_CAUTION] if selection else []
    notes.append(f"Per province, events in the {at.describe()}, against the count the baseline rate predicts. "
                 f"Flagged where a one-sided Poisson test gives p < {alerts.ALPHA} after a Benjamini-Hochberg "
                 f"correction across {len(result)} provinces, with at least {alerts.MIN_EVENTS} events in the window.")
    notes.append("Flagged: " + "; ".join(f"{r.province} ({r.recent} events against {r.expected:.1f} expected)"
                                         for r in flagged.itertuples()) if len(flagged)
                 else f"No province is flagged for the {at.window} days to the view's last day.")
    alt = "; ".join(f"{r.province}: {r.recent} recent, {r.expected:.1f} expected, adjusted p {r.p_adjusted:.2g}"
                    for r in top.itertuples())
    return Chart("alerts", "alerts", title, source, fig, tuple(notes), table=result, alt=alt)


def build_view(dataset, spec: FilterSpec, engine=None) -> View:
    """The view's KPIs, reported totals and every chart the Overview offers for it, with the page's first
    choices, in the page's order."""
    engine = engine or engine_of(dataset)
    domain = engine.domain(dataset.provinces)
    summary = engine.summary(spec)
    before = engine.totals(spec.previous())
    found, note = kpis(dataset.selection, summary.totals, before, spec, domain.first)
    view = View(spec, found, note or NO_EVENTS,
                reported.in_range(dataset.attack_counts, dataset.casualties, spec.start, spec.end))
    catalogue = reported.catalogue(dataset.attack_counts, dataset.casualties)
    rows = comparison_rows(spec, summary.totals, before, engine.totals(spec.year_earlier()), domain.first)
    layer = map_layer(dataset.provinces, summary.located, "Both", street=False)
    outlines, problem = find_boundaries(dataset.folder, dataset.gazetteer)
    words = Words.of(dataset)
    charts = [reported_chart(catalogue[0], engine.events(spec, NOTABLE_MARKS, True), dataset.meetings, spec, words)
              if catalogue else None,
              comparison_chart(spec, rows, words),
              trend_chart(spec, summary.trend[None], dataset.meetings, words),
              map_chart(spec, summary, layer_rows(engine, spec, layer), outlines, dataset.provinces,
                        figures.colour_map(domain.perpetrators), words, problem=problem),
              *(breakdown_chart(summary.breakdown[c], c, spec=spec, words=words) for c in CHARTED
                if len(summary.breakdown[c])),
              casualties_chart(dataset.casualties, populations(dataset.casualties)[0], spec.start, spec.end)
              if len(populations(dataset.casualties)) else None,
              alerts_chart(dataset, engine, spec)]
    view.charts = [c for c in charts if c is not None]
    return view


def before_after_chart(catalogue: list[reported.Series]) -> Chart | None:
    """Each reporter's level per month before and after the takeover, every published period as it stands."""
    rows = takeover.families(takeover.levels(catalogue))
    if rows.empty:
        return None
    reporters = list(dict.fromkeys(rows["reporter"]))
    title = f"The level per month before and after the takeover, {format_day(eras.TAKEOVER)}"
    source = (f"Source: {'; '.join(reporters)}. Each published figure divided by its period's length in months; "
              "periods that span the takeover are left out.")
    notes = tuple(f"{upper_first(m)}: {takeover.COUNTS[m]}." for m in dict.fromkeys(rows["measure"])
                  if m in takeover.COUNTS) + (
        "National totals over every published period: the dates and filters of the view do not apply.",)
    fig = report_figures.before_after_figure(rows, title=title, source=source)
    alt = "; ".join(f"{r.reporter}, {r.measure}, {r.period}: {r.per_month:,.0f} a month ({r.side})"
                    for r in rows.itertuples()) + "."
    return Chart("takeover", "takeover", title, source, fig, notes, table=rows, alt=alt)
