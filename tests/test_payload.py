"""What reaches the browser stays bounded: lean points up to the limit, aggregated cells above it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import open_app, run_app
from trends.engines.map_cells import POINT_LIMIT, points
from trends.engines.pandas_engine import PandasEvents
from trends.engines.queries import with_gazetteer
from trends.figures.map_figures import province_map_figure
from trends.filters import FilterSpec
from trends.dataset.loading import load_dataset
from trends.dataset.synth import synthetic_attacks, write_synthetic
from trends.engines.open import engine_of

MB = 1_000_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return write_synthetic(tmp_path_factory.mktemp("big") / "ds", 40_000, parquet=True, seed=5)


def test_the_largest_point_map_stays_under_a_megabyte(bundled):
    frame = synthetic_attacks(int(POINT_LIMIT * 1.1), bundled.provinces, seed=9)
    engine = PandasEvents(frame)
    spec = FilterSpec(dt.date(2012, 1, 1), dt.date(2021, 12, 31))
    drawn = points(engine, spec, POINT_LIMIT)
    assert drawn is not None and POINT_LIMIT * 0.85 < len(drawn) <= POINT_LIMIT  # 15% have no point
    totals = with_gazetteer(engine.summary(spec).breakdown["province"], bundled.provinces)
    fig = province_map_figure(totals, measure="attacks", title="t", source="s", points=drawn)
    assert len(fig.to_json()) < MB
    assert {t.type for t in fig.data[1:]} == {"scattergl"}


def test_app_aggregates_above_the_threshold_and_bounds_the_payload(monkeypatch, big):
    at = run_app(monkeypatch, big)
    assert not at.exception
    charts = at.get("plotly_chart")
    sent = sum(len(c.proto.SerializeToString()) for c in charts)
    assert sent < MB
    map_json = next(c.proto.spec for c in charts if "by province" in c.proto.spec)
    assert "degree cell" in map_json  # 34,000 located events: drawn as cells, not points
    assert "attacks.parquet, each row" in map_json and "attacks.csv" not in map_json  # the file it came from
    # Narrowed to one province and year, the same map draws the events themselves.
    at.sidebar.multiselect(key="province").set_value(["Kabul"]).run()
    period(at).set_value("2016").run()
    map_json = next(c.proto.spec for c in at.get("plotly_chart") if "by province" in c.proto.spec)
    assert "degree cell" not in map_json and '"Taliban"' in map_json
    assert engine_of(load_dataset(big)).located(FilterSpec(dt.date(2016, 1, 1), dt.date(2016, 12, 31),
                                                         provinces=("Kabul",))) < POINT_LIMIT


def test_prefetched_queries_run_once_per_view(monkeypatch, big):
    """The map's events and the previous period's totals start in the background while the page draws; the
    page's own calls wait for those results rather than querying again."""
    from trends.engines.duck_engine import DuckEvents

    calls = []
    for name in ("grid", "totals", "events"):
        original = getattr(DuckEvents, name)
        monkeypatch.setattr(DuckEvents, name, lambda self, *a, _f=original, _n=name, **k: calls.append(_n)
                            or _f(self, *a, **k))
    import streamlit as st

    st.cache_data.clear()  # results of the test above would otherwise be served from the cache
    at = run_app(monkeypatch, big)
    assert not at.exception and sorted(calls) == ["grid", "totals"]  # every year: cells
    calls.clear()
    period(at).set_value("2016").run()
    assert not at.exception and sorted(calls) == ["events", "totals"]  # one year: about 3,400 points


def test_the_shared_engine_answers_the_same_from_many_threads(big):
    """Every session's thread queries one DuckDB engine: each query takes a cursor of its own, and the map's
    per-month cell tables are made once even when several threads ask for them together."""
    from concurrent.futures import ThreadPoolExecutor

    specs = [FilterSpec(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(2012, 2021)]

    def answer(spec):
        engine_ = shared
        cells = engine_.grid(spec, 0.5)
        return (engine_.totals(spec), engine_.count(spec), len(cells), int(cells["attacks"].sum()))

    shared = engine_of(load_dataset(big))
    with ThreadPoolExecutor(max_workers=8) as pool:  # the cell table does not exist yet when they all start
        together = list(pool.map(answer, specs * 4))
    alone = engine_of(load_dataset(big))
    one_by_one = [(alone.totals(s), alone.count(s), len(alone.grid(s, 0.5)), int(alone.grid(s, 0.5)["attacks"].sum()))
                  for s in specs] * 4
    assert together == one_by_one
    assert [t[1] for t in together[:9]] == [t[0].attacks for t in together[:9]]


def test_prefetch_is_bounded_and_logs_failures(monkeypatch, caplog):
    """A crowd cannot queue background work without bound, and a failed prefetch is logged, not swallowed."""
    import threading

    from components import data

    release = threading.Event()
    monkeypatch.setattr(data, "_slots", threading.BoundedSemaphore(1))
    monkeypatch.setattr(data, "key", lambda: ("folder", ()))

    def slow(*args):
        release.wait(10)
        raise RuntimeError("SYNTHETIC failure")

    spec = FilterSpec(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    with caplog.at_level("WARNING", logger="components.data"):
        assert data.prefetch(slow, spec) is True
        assert data.prefetch(slow, spec) is False  # the only slot is taken: nothing is queued
        release.set()
        data._background().shutdown(wait=True)
        data._pool = None
    assert "prefetch of slow failed" in caplog.text and "SYNTHETIC failure" in caplog.text
    assert data._slots.acquire(blocking=False)  # the slot was given back


def test_concurrent_sessions_with_prefetch_see_what_one_session_sees(monkeypatch, big):
    """Six sessions at once, each on its own year, share the prefetch pool, its slots and the cache: each page's
    metrics and map equal those of the same page opened alone afterwards."""
    from concurrent.futures import ThreadPoolExecutor

    import streamlit as st

    from tests.snapshot import page

    years = [str(y) for y in range(2014, 2020)]

    def open_year(year: str) -> dict:
        at = open_app(monkeypatch, big, start=f"{year}-01-01", end=f"{year}-12-31")
        shown = page(at.run())
        assert not shown["exceptions"]
        return {"metrics": shown["metrics"], "map": shown["charts"]["chart_map"]}

    st.cache_data.clear()
    monkeypatch.setenv("TRENDS_DATA_DIR", str(big))  # set once, before the threads start
    with ThreadPoolExecutor(max_workers=len(years)) as pool:
        together = list(pool.map(open_year, years))
    st.cache_data.clear()
    alone = [open_year(y) for y in years]
    assert together == alone
    assert len({str(t["metrics"]) for t in together}) == len(years)  # six different views, not one six times


def period(at):
    """The sidebar's Period presets (unkeyed: it follows the dates)."""
    return next(s for s in at.sidebar.selectbox if s.label == "Period")
