"""Province surge alerts: hand-computed p-values, planted surges, false alarms on null data, and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_app, run_cli
from trends.analysis.alerts import surge_test


def poisson_upper(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), summed term by term (independent of scipy)."""
    return 1.0 - sum(math.exp(-mu) * mu ** i / math.factorial(i) for i in range(k))


def test_two_provinces_by_hand():
    # A: 52 events in the 364-day baseline -> 4.0 expected in 28 days; 12 happened.
    # B: 364 in the baseline -> 28.0 expected; 30 happened.
    table = surge_test(pd.Series({"A": 12, "B": 30}), pd.Series({"A": 52, "B": 364}), 28, 364).set_index("province")
    p_a, p_b = poisson_upper(12, 4.0), poisson_upper(30, 28.0)
    assert table.loc["A", "expected"] == pytest.approx(4.0) and table.loc["B", "expected"] == pytest.approx(28.0)
    assert table.loc["A", "p_value"] == pytest.approx(p_a, rel=1e-9)
    assert table.loc["B", "p_value"] == pytest.approx(p_b, rel=1e-9)
    # Benjamini-Hochberg with two tests: the smaller p is doubled (capped by the larger), the larger stays.
    assert table.loc["A", "p_adjusted"] == pytest.approx(min(2 * p_a, p_b), rel=1e-9)
    assert table.loc["B", "p_adjusted"] == pytest.approx(p_b, rel=1e-9)
    assert p_a < 0.005 < 0.3 < p_b
    assert table["flagged"].to_dict() == {"A": True, "B": False}
    assert list(table.index) == ["A", "B"]  # sorted by p


def test_a_surge_from_nothing_needs_five_events():
    table = surge_test(pd.Series({"A": 4, "B": 5}), pd.Series({"A": 0, "B": 0}), 28, 364).set_index("province")
    assert table["p_value"].tolist() == [0.0, 0.0]
    assert table["flagged"].to_dict() == {"A": False, "B": True}


def simulate(rng, provinces: int, rate: float, surge: float = 1.0, window: int = 28, baseline: int = 364):
    """Window and baseline counts for `provinces` provinces at `rate` events a day; province 0's window rate is
    multiplied by `surge`. Counts over a span are Poisson with the span's mean."""
    names = [f"P{i:02d}" for i in range(provinces)]
    recent = rng.poisson(rate * window, provinces)
    recent[0] = rng.poisson(rate * window * surge)
    return pd.Series(recent, index=names), pd.Series(rng.poisson(rate * baseline, provinces), index=names)


def test_null_data_raises_false_alarms_in_at_most_one_percent_of_provinces():
    rng = np.random.default_rng(20181127)
    tested = flagged = 0
    for _ in range(300):
        rate = rng.uniform(0.05, 1.0)  # from quiet provinces to busy ones
        recent, before = simulate(rng, 34, rate)
        table = surge_test(recent, before, 28, 364)
        tested += len(table)
        flagged += int(table["flagged"].sum())
    assert tested == 10_200
    assert flagged / tested <= 0.01


@pytest.mark.parametrize("surge, at_least", [(3.0, 0.8), (4.0, 0.95)])
def test_planted_surges_are_found(surge, at_least):
    rng = np.random.default_rng(7)
    found = 0
    for _ in range(100):
        recent, before = simulate(rng, 34, 0.5, surge=surge)
        found += bool(surge_test(recent, before, 28, 364).set_index("province").loc["P00", "flagged"])
    assert found / 100 >= at_least


def test_cli_alerts_json_on_the_bundled_data():
    code, out, err = run_cli("alerts", "--end", "2021-08-29", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert {k: result[k] for k in ("end", "window_days", "baseline_days", "tested")} == {
        "end": "2021-08-29", "window_days": 28, "baseline_days": 364, "tested": 34}
    assert result["caution"].startswith("Caution: these events are a curated selection")
    assert all(set(a) >= {"province", "recent", "expected", "ratio", "p_value"} for a in result["alerts"])


@pytest.mark.parametrize("args, reason", [(["--window", "3"], "--window 3: give a number of days from 7 to 366"),
                                          (["--end", "someday"], "--end 'someday': write the day as YYYY-MM-DD")])
def test_cli_alerts_bad_input(args, reason):
    code, out, err = run_cli("alerts", *args)
    assert code == 2 and reason in err


def test_overview_panel_takes_window_and_baseline_from_the_url(monkeypatch):
    at = run_app(monkeypatch, window="14", baseline="182")
    assert not at.exception
    assert (at.number_input(key="window").value, at.number_input(key="baseline").value) == (14, 182)
    assert at.query_params["window"] == "14" and at.query_params["baseline"] == "182"
    assert "chart_alerts" in [c.key for c in at.get("plotly_chart")]
