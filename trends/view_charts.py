"""The Overview's numbers and charts for one view, with the page's default choices, for use outside the app."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from . import alerts, figures, map_figures, queries, report_figures, reported
from .boundaries import load_boundaries
from .captions import source_line
from .compare import comparison_rows, coverage
from .fields import BY_COLUMN, CHARTED
from .filters import FilterSpec, format_day
from .map_cells import POINT_LIMIT, layer_rows, map_layer

NOTABLE_MARKS = 300  # as on the Overview: the deadliest events of the view marked on the reported series


@dataclass(frozen=True)
class Chart:
    """One figure with the words that go beside it: its title and source line as text, and captions."""

    key: str
    section: str
    title: str
    source: str
    figure: go.Figure
    notes: tuple[str, ...] = ()
    table: pd.DataFrame | None = None  # the reports behind the figure, where its source line points to them
    series: reported.Series | None = None


@dataclass(frozen=True)
class Kpi:
    label: str
    value: int
    change: str
    detail: str


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
    """A headline number with its change against the previous period, or why there is none (as the page says)."""
    prev = spec.previous()
    cover = coverage(prev, first)
    span = f"{format_day(prev.start)} to {format_day(prev.end)}"
    if cover.none:
        return Kpi(label, now, f"no data before {format_day(first)}",
                   f"The previous period of equal length ({span}) lies wholly before the first day of data, so "
                   "there is nothing to compare with.")
    pct = queries.change(now, before)
    partly = f", {cover.covered:,} of {cover.days:,} days with data" if cover.partial else ""
    return Kpi(label, now, f"{now - before:+,}" + (f" ({pct:+.0f}%)" if pct is not None else "")
               + f" vs previous period{partly}",
               f"Previous period of equal length: {span} ({before:,})."
               + (f" It is {cover.note}, so the change overstates any rise." if cover.partial else ""))


def kpis(dataset, now, before, spec: FilterSpec, first) -> tuple[list[Kpi], str]:
    label = "Notable attacks recorded" if dataset.selection else "Attacks recorded"
    found = [kpi(label, now.attacks, before.attacks, spec, first),
             kpi("Killed (reported)", now.killed, before.killed, spec, first),
             kpi("Wounded (reported)", now.wounded, before.wounded, spec, first)]
    if not now.attacks:
        return found, "No events match these filters."
    return found, (f"Killed and wounded add up the figures that sources reported. {now.killed_unreported:,} of "
                   f"{now.attacks:,} attacks have no reported death toll and {now.wounded_unreported:,} no reported "
                   "number of wounded: they count as attacks but add nothing to those totals, which are therefore "
                   "lower bounds.")


def reported_chart(dataset, engine, spec: FilterSpec) -> Chart | None:
    """The first series of the catalogue, the one the Overview opens on."""
    catalogue = reported.catalogue(dataset.attack_counts, dataset.casualties)
    if not catalogue:
        return None
    series = catalogue[0]
    notable = engine.events(spec, NOTABLE_MARKS, True)
    meetings = queries.meetings_between(dataset.meetings, spec.start, spec.end)
    source = (f"Source: {series.reporter}, {len(series.rows):,} published periods from "
              f"{series.rows['source'].nunique():,} reports (each listed with its link below). Marks: notable "
              f"attacks from {dataset.title}, sized by reported deaths. Diamonds: talks and milestones.")
    title = f"{series.label[:1].upper()}{series.label[1:]}, {format_day(spec.start)} to {format_day(spec.end)}"
    fig = report_figures.reported_figure(series, notable, meetings, title=title, source=source,
                                         gaps=reported.gaps(series), start=spec.start, end=spec.end)
    return Chart("reported", "level", title, source, fig, (
        "Each line spans exactly the period its reporter published; nothing is split, summed or spread over other "
        "periods, and a span with no published figure is left empty.",), series=series)


def comparison_chart(dataset, spec: FilterSpec, now, before, first, engine) -> Chart:
    rows = comparison_rows(spec, now, before, engine.totals(spec.year_earlier()), first)
    title, source = f"{spec.describe()}, compared", source_line(dataset, "attacks")
    return Chart("comparison", "events", title, source, figures.comparison_figure(rows, title=title, source=source))


def trend_chart(dataset, spec: FilterSpec, summary) -> Chart:
    """Attacks per period with no split, over the talks: the Overview's default."""
    series = summary.trend[None]
    meetings = queries.meetings_between(dataset.meetings, spec.start, spec.end)
    what = "Notable attacks" if dataset.selection else figures.MEASURE_LABEL["attacks"]
    title = f"{what} per {spec.freq}, {format_day(spec.start)} to {format_day(spec.end)}"
    source = source_line(dataset, "attacks") + " Diamonds: talks and milestones."
    fig = figures.trend_figure(series, meetings, measure="attacks", freq=spec.freq, title=title, source=source)
    return Chart("trend", "events", title, source, fig, (
        "An attack is counted in the period of its first day; the first and last periods may be partial.",))


def boundaries(dataset) -> tuple[object | None, str | None]:
    """Province outlines as the app finds them (TRENDS_BOUNDARIES, else the folder's file), or a reason."""
    candidates = [Path(dataset.folder) / "boundaries.geojson"]
    if os.environ.get("TRENDS_BOUNDARIES"):
        candidates.insert(0, Path(os.environ["TRENDS_BOUNDARIES"]).expanduser())
    for path in candidates:
        if path.is_file():
            try:
                return load_boundaries(path, dataset.gazetteer), None
            except (ValueError, KeyError, json.JSONDecodeError) as err:
                return None, f"Province outlines from {path.name} could not be read ({err}); showing bubbles instead."
    return None, None


def map_chart(dataset, engine, spec: FilterSpec, summary, domain) -> Chart:
    """Provinces shaded by attacks with the events on top (points while few, else grid cells)."""
    title = f"{figures.MEASURE_LABEL['attacks']} by province, {format_day(spec.start)} to {format_day(spec.end)}"
    source = source_line(dataset, "attacks")
    totals = queries.with_gazetteer(summary.breakdown["province"], dataset.provinces)
    layer = map_layer(dataset.provinces, summary.located, "Both", street=False)
    rows = layer_rows(engine, spec, layer)
    found = rows if layer.kind == "points" else None
    cells = (rows, layer.cell) if layer.kind == "grid" else None
    outlines, problem = boundaries(dataset)
    fig = map_figures.province_map_figure(
        totals, measure="attacks", title=title, source=source, boundaries=outlines.shapes if outlines else None,
        points=found, colours=figures.colour_map(domain.perpetrators), cells=cells)
    notes = [problem] if problem else []
    if outlines and outlines.unmatched:
        notes.append("Outlines with no matching province: " + ", ".join(outlines.unmatched))
    if cells is not None:
        notes.append(f"{summary.located:,} located events are more than {POINT_LIMIT:,}, so they are counted in "
                     f"{cells[1]:g}-degree cells (squares sized by attacks); every event counts in its province.")
    else:
        notes.append(f"{summary.located:,} of {summary.totals.attacks:,} events have coordinates and appear as points "
                     "(sized by reported killed plus wounded, coloured by perpetrator); every event counts in its "
                     "province's total.")
    return Chart("map", "map", title, source, fig, tuple(notes))


def breakdown_charts(dataset, summary) -> list[Chart]:
    found = []
    for by, label in ((c, BY_COLUMN[c].noun) for c in CHARTED):
        rows = summary.breakdown[by]
        if rows.empty:
            continue
        title, source = f"By {label}", source_line(dataset, "attacks", short=True)
        fig = figures.breakdown_figure(rows, by=by, measure="attacks", title=title, source=source)
        found.append(Chart(f"by-{label}", "breakdowns", title, source, fig))
    return found


def casualties_chart(dataset) -> Chart | None:
    """Civilian casualties (the population the Overview opens on) from the reporter with the most periods."""
    cas = dataset.casualties
    if cas.empty:
        return None
    populations = sorted(cas["population"].dropna().unique(), key=lambda p: (p != "civilians", p))
    if not populations:
        return None
    population = populations[0]
    rows = queries.reported_casualties(cas, population)
    if rows.empty:
        return None
    main = rows["reporter"].value_counts().index[0]
    shown = rows[rows["reporter"] == main]
    title = f"{population.capitalize()}: casualties reported by {main}"
    source = f"Source: {main}, as first published; each period's report is linked in the table below."
    fig = figures.casualties_figure(shown, title=title, source=source)
    table = shown.assign(period=[reported.period_text(s, e)
                                 for s, e in zip(shown["period_start"], shown["period_end"])])
    return Chart(f"casualties-{population}", "casualties", title, source, fig, table=table)


def alerts_chart(dataset, engine, spec: FilterSpec) -> Chart:
    at = alerts.AlertSpec(spec.end)
    result = alerts.alerts(engine, list(dataset.provinces["province"]), spec, at)
    flagged = result[result["flagged"]]
    title = f"Recent events against the count expected, {at.window} days to {spec.end:%d %b %Y}"
    source = f"Source: {dataset.title}; one-sided Poisson test with Benjamini-Hochberg correction."
    fig = report_figures.alerts_figure(result.head(12), title=title, source=source)
    notes = [alerts.SELECTION_CAUTION] if dataset.selection else []
    notes.append(f"Per province, events in the {at.describe()}, against the count the baseline rate predicts. "
                 f"Flagged where a one-sided Poisson test gives p < {alerts.ALPHA} after a Benjamini-Hochberg "
                 f"correction across {len(result)} provinces, with at least {alerts.MIN_EVENTS} events in the window.")
    notes.append("Flagged: " + "; ".join(f"{r.province} ({r.recent} events against {r.expected:.1f} expected)"
                                         for r in flagged.itertuples()) if len(flagged)
                 else f"No province is flagged for the {at.window} days to the view's last day.")
    return Chart("alerts", "alerts", title, source, fig, tuple(notes))


def build_view(dataset, spec: FilterSpec, engine=None) -> View:
    """The view's KPIs, reported totals and every chart the Overview offers for it, in the page's order."""
    engine = engine or dataset.engine()
    domain = engine.domain(dataset.provinces)
    summary = engine.summary(spec)
    before = engine.totals(spec.previous())
    found, note = kpis(dataset, summary.totals, before, spec, domain.first)
    view = View(spec, found, note, reported.in_range(dataset.attack_counts, dataset.casualties, spec.start, spec.end))
    charts = [reported_chart(dataset, engine, spec),
              comparison_chart(dataset, spec, summary.totals, before, domain.first, engine),
              trend_chart(dataset, spec, summary), map_chart(dataset, engine, spec, summary, domain),
              *breakdown_charts(dataset, summary), casualties_chart(dataset), alerts_chart(dataset, engine, spec)]
    view.charts = [c for c in charts if c is not None]
    return view
