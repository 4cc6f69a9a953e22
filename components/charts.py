"""The Overview's charts, built once per view and choice and shared by every session that asks for the same."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from trends.figures import base as figures
from trends.pages import view_charts
from trends.contract.fields import BY_COLUMN
from trends.filters import FilterSpec
from trends.engines.map_cells import map_layer
from trends.pages.view_charts import NOTABLE_MARKS, Chart

from . import data

# A crowd opening one link asks for the same figures: each is built by the first reader and then only sent.
# Figures are never changed after they are built, so every session can draw the same object.
SHARED = dict(max_entries=64, show_spinner=False)


class SentFigure(go.Figure):
    """A built figure whose plain form (arrays already in Plotly's binary encoding) is made once. st.plotly_chart
    asks every figure for to_dict() and sends the JSON of it; for a shared figure that would copy and encode
    the same arrays again for every reader (a third of the Overview's script time). Nothing changes the dict."""

    def __init__(self, figure: go.Figure):
        plain = figure.to_dict()
        super().__init__(plain)
        self._plain = plain

    def to_dict(self) -> dict:
        return self._plain


def _ready(chart: Chart | None) -> Chart | None:
    return chart and replace(chart, figure=SentFigure(chart.figure))


@st.cache_resource(**SHARED)
def reported(folder: str, signature: str, spec: FilterSpec, series_key: str) -> Chart:
    series = next(s for s in data.catalogue_of(folder, signature) if s.key == series_key)
    notable = data.events_of(folder, signature, spec, NOTABLE_MARKS, True)
    dataset = data.dataset_of(folder, signature)
    return _ready(view_charts.reported_chart(series, notable, dataset.meetings, spec, view_charts.Words.of(dataset)))


@st.cache_resource(**SHARED)
def comparison(folder: str, signature: str, spec: FilterSpec) -> Chart:
    rows = data.comparison_rows_of(folder, signature, spec)
    return _ready(view_charts.comparison_chart(spec, rows, view_charts.Words.of(data.dataset_of(folder, signature))))


@st.cache_resource(**SHARED)
def trend(folder: str, signature: str, spec: FilterSpec, measure: str, by: str | None) -> Chart:
    series = data.summary_of(folder, signature, spec, by).trend[by]
    colours = figures.colour_map(getattr(data.domain_of(folder, signature), BY_COLUMN[by].attr)) if by else None
    dataset = data.dataset_of(folder, signature)
    return _ready(view_charts.trend_chart(spec, series, dataset.meetings, view_charts.Words.of(dataset), measure, by,
                                          colours))


@st.cache_resource(**SHARED)
def where(folder: str, signature: str, files: tuple, spec: FilterSpec, measure: str, show: str,
          street: bool) -> Chart:
    """The map; `files` are the outline files and their times (data.boundary_key), so an edit redraws it."""
    dataset = data.dataset_of(folder, signature)
    summary = data.summary_of(folder, signature, spec, None)
    layer = map_layer(dataset.provinces, summary.located, show, street)
    rows = data.map_rows_of(folder, signature, spec, layer) if layer else None
    outlines = data.boundaries_of(folder, signature, files)[0] if show != "Events" else None
    colours = figures.colour_map(data.domain_of(folder, signature).perpetrators)
    return _ready(view_charts.map_chart(spec, summary, rows, outlines, dataset.provinces, colours,
                                        view_charts.Words.of(dataset), measure, show, street))


@st.cache_resource(**SHARED)
def breakdown(folder: str, signature: str, spec: FilterSpec, by: str, measure: str) -> Chart:
    rows = data.summary_of(folder, signature, spec, None).breakdown[by]
    words = view_charts.Words.of(data.dataset_of(folder, signature))
    return _ready(view_charts.breakdown_chart(rows, by, measure, spec=spec, words=words))


@st.cache_resource(**SHARED)
def casualties(folder: str, signature: str, population: str, start, end) -> Chart | None:
    return _ready(view_charts.casualties_chart(data.dataset_of(folder, signature).casualties, population, start, end))


@st.cache_resource(**SHARED)
def before_after(folder: str, signature: str) -> Chart | None:
    return _ready(view_charts.before_after_chart(data.catalogue_of(folder, signature)))
