"""The DuckDB engine answers exactly as the pandas engine, on CSV-sized frames and on Parquet files."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from trends.engines import queries
from trends.engines.duck_engine import DuckEvents
from trends.contract.fields import COLUMNS, SPLITS
from trends.filters import FilterSpec
from trends.engines.map_cells import cell_size, points, whole_months
from trends.engines.pandas_engine import PandasEvents
from trends.dataset.loading import load_dataset
from trends.dataset.synth import synthetic_attacks, write_synthetic
from trends.engines.open import engine_of

D = dt.date
SPECS = [
    FilterSpec(D(2012, 1, 1), D(2021, 12, 31)),
    FilterSpec(D(2016, 3, 1), D(2016, 9, 30), freq="week"),
    FilterSpec(D(2014, 1, 1), D(2019, 12, 31), provinces=("Kabul", "Helmand"), freq="quarter"),
    FilterSpec(D(2018, 8, 1), D(2018, 9, 30), perpetrators=("Taliban",), attack_types=("IED", "suicide attack")),
    FilterSpec(D(2020, 1, 1), D(2020, 12, 31), targets=("civilians",), freq="year"),
    FilterSpec(D(2030, 1, 1), D(2030, 2, 1)),  # nothing there
    FilterSpec(D(2014, 2, 10), D(2018, 11, 20), freq="week"),  # partial months at both ends
    FilterSpec(D(2017, 5, 3), D(2017, 5, 29)),  # no whole month
]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    folder = write_synthetic(tmp_path_factory.mktemp("syn") / "ds", 5_000, parquet=True, seed=3)
    data = load_dataset(folder)
    frame = synthetic_attacks(5_000, data.provinces, seed=3)
    return data, PandasEvents(frame), DuckEvents(frame), engine_of(data)


def test_parquet_dataset_uses_duckdb(engines):
    data, _, _, parquet = engines
    assert isinstance(parquet, DuckEvents) and data.reports["attacks.parquet"].rows_loaded == 5_000


@pytest.mark.parametrize("spec", SPECS)
def test_totals_and_summaries_agree(engines, spec):
    _, pandas_engine, *ducks = engines
    for duck in ducks:
        assert duck.totals(spec) == pandas_engine.totals(spec)
        assert duck.count(spec) == pandas_engine.count(spec)
        assert duck.located(spec) == pandas_engine.located(spec)
        for by in (None, *SPLITS):
            _assert_summaries_equal(duck.summary(spec, by), pandas_engine.summary(spec, by))


@pytest.mark.parametrize("spec", SPECS)
def test_daily_grid_and_listings_agree(engines, spec):
    _, pandas_engine, *ducks = engines
    for duck in ducks:
        pd.testing.assert_frame_equal(duck.daily(spec), pandas_engine.daily(spec), check_freq=False,
                                      check_index_type=False)
        pd.testing.assert_frame_equal(duck.grid(spec, 0.5), pandas_engine.grid(spec, 0.5), check_dtype=False)
        assert duck.events(spec, limit=50)["event_id"].tolist() == pandas_engine.events(spec, limit=50)[
            "event_id"].tolist()
        top = duck.events(spec, limit=5, deadliest=True)
        assert top["killed"].tolist() == pandas_engine.events(spec, limit=5, deadliest=True)["killed"].tolist()


def test_domains_agree(engines):
    data, pandas_engine, duck, parquet = engines
    assert duck.domain(data.provinces) == pandas_engine.domain(data.provinces) == parquet.domain(data.provinces)


@pytest.mark.parametrize("limit, drawn", [(10_000, True), (100, False)])
def test_map_switches_to_cells_above_the_threshold(engines, limit, drawn):
    _, pandas_engine, _, parquet = engines
    spec = SPECS[0]
    located = pandas_engine.located(spec)
    assert 100 < located < 10_000
    for engine in (pandas_engine, parquet):
        result = points(engine, spec, limit=limit)
        assert (result is not None) == drawn
        if drawn:
            assert len(result) == located and result[["latitude", "longitude"]].notna().all().all()


@pytest.mark.parametrize("span, cell", [(2.0, 0.05), (15.0, 0.25), (60.0, 1.0), (500.0, 5.0)])
def test_cell_size(span, cell):
    assert cell_size(span) == cell


def test_every_synthetic_row_says_so(engines):
    data, pandas_engine, *_ = engines
    rows = pandas_engine.frame
    assert (rows["source"] == "SYNTHETIC").all() and rows["notes"].str.contains("SYNTHETIC").all()
    assert "SYNTHETIC" in data.package["title"]


@pytest.mark.parametrize("spec", SPECS)
def test_pandas_summary_is_the_single_queries_on_the_filtered_rows(engines, spec):
    _, pandas_engine, _, _ = engines
    frame = pandas_engine.frame
    for by in (None, *SPLITS):
        summary = pandas_engine.summary(spec, by)
        assert summary.totals == queries.totals(frame, spec)
        pd.testing.assert_frame_equal(summary.trend[by], queries.trend(frame, spec, by))
        pd.testing.assert_frame_equal(summary.trend[None], queries.trend(frame, spec))
        for column in COLUMNS:
            pd.testing.assert_frame_equal(summary.breakdown[column], queries.breakdown(frame, spec, column))
        located = queries.filter_events(frame, spec)[["latitude", "longitude"]].notna().all(axis=1).sum()
        assert summary.located == located


def _assert_summaries_equal(got, want):
    assert got.totals == want.totals and got.located == want.located
    for by, frame in want.trend.items():
        pd.testing.assert_frame_equal(got.trend[by], frame)
    for by, frame in want.breakdown.items():
        pd.testing.assert_frame_equal(got.breakdown[by], frame, check_dtype=False)


def test_unfiltered_views_are_summed_from_the_rollup(engines):
    """With no value filters the summary reads the per-day rollup, not the events: emptying the events
    table leaves those answers unchanged, while a filtered view (which must scan events) then finds none."""
    _, pandas_engine, _, _ = engines
    frame = synthetic_attacks(5_000, engines[0].provinces, seed=3)
    duck = DuckEvents(frame)
    plain, split = SPECS[1], ("perpetrator", SPECS[0])
    duck.con.execute("DELETE FROM facts")
    _assert_summaries_equal(duck.summary(plain), pandas_engine.summary(plain))
    _assert_summaries_equal(duck.summary(split[1], split[0]), pandas_engine.summary(split[1], split[0]))
    assert duck.summary(SPECS[2]).totals.attacks == 0 < pandas_engine.totals(SPECS[2]).attacks


def test_rollup_counts_unreported_tolls_as_the_events_do(bundled):
    """Curated rows with no reported toll count as attacks and as unreported in the rollup's sums, exactly
    as the pandas engine counts them (the schema requires perpetrator, tactic and target, so those are never blank)."""
    frame = bundled.attacks.copy()
    frame.loc[frame.index[::3], "killed"] = pd.NA
    frame.loc[frame.index[::4], "wounded"] = pd.NA
    frame.loc[frame.index[::6], ["latitude", "longitude"]] = float("nan")
    pandas_engine, duck = PandasEvents(frame), DuckEvents(frame)
    spec = FilterSpec(D(2015, 1, 1), D(2021, 8, 31), freq="quarter")
    totals = duck.summary(spec).totals
    assert totals.killed_unreported >= 57 and totals.wounded_unreported >= 43
    for by in (None, "perpetrator", "attack_type", "target"):
        _assert_summaries_equal(duck.summary(spec, by), pandas_engine.summary(spec, by))


@pytest.mark.parametrize("start, end, months", [
    (D(2016, 3, 1), D(2016, 9, 30), (D(2016, 3, 1), D(2016, 9, 1), D(2016, 9, 30))),
    (D(2014, 2, 10), D(2018, 11, 20), (D(2014, 3, 1), D(2018, 10, 1), D(2018, 10, 31))),
    (D(2019, 12, 2), D(2020, 2, 29), (D(2020, 1, 1), D(2020, 2, 1), D(2020, 2, 29))),  # leap day ends February
    (D(2017, 5, 3), D(2017, 5, 29), None),
    (D(2017, 5, 3), D(2017, 6, 29), None),
])
def test_whole_months(start, end, months):
    assert whole_months(start, end) == months


def test_grid_sums_whole_months_from_the_monthly_cells(engines):
    """Whole months are read from the per-month cells: once those exist, removing the events inside the whole
    months leaves the grid unchanged, and the partial months at the ends still come from the events."""
    _, pandas_engine, _, _ = engines
    duck = DuckEvents(synthetic_attacks(5_000, engines[0].provinces, seed=3))
    spec = SPECS[6]
    want = pandas_engine.grid(spec, 1.0)
    duck.grid(spec, 1.0)
    duck.con.execute("DELETE FROM facts WHERE date BETWEEN DATE '2014-03-01' AND DATE '2018-10-31'")
    pd.testing.assert_frame_equal(duck.grid(spec, 1.0), want, check_dtype=False)
    edges = pandas_engine.grid(FilterSpec(D(2014, 2, 10), D(2014, 2, 28)), 1.0)["attacks"].sum() + \
        pandas_engine.grid(FilterSpec(D(2018, 11, 1), D(2018, 11, 20)), 1.0)["attacks"].sum()
    assert 0 < duck.grid(replace(spec, perpetrators=("Taliban",)), 1.0)["attacks"].sum() < edges


def test_synthetic_parquet_is_written_in_row_groups_duckdb_can_share_out(tmp_path):
    """DuckDB reads one row group per thread: 130,000 events go into two groups, not one."""
    import pyarrow.parquet as pq

    from trends.dataset.loading import PARQUET_ROW_GROUP

    meta = pq.ParquetFile(write_synthetic(tmp_path / "ds", 130_000, parquet=True) / "attacks.parquet").metadata
    assert PARQUET_ROW_GROUP == 122_880
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [122_880, 7_120]
