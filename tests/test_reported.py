"""Totals that authorities reported: series as published, gaps, figures inside a range, milestones, and the page."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest

from tests.conftest import DATA, run_app, run_cli
from tests.hostile import visible
from trends.analysis import reported
from trends.analysis.brief import brief
from trends.filters import FilterSpec
from trends.periods import FIRST_HALF, NINE_MONTHS, OTHER, QUARTER, THREE_MONTHS, YEAR, period_kind, period_text
from trends.engines.open import engine_of

D = dt.date
T = pd.Timestamp
RS = "attacks|Resolute Support|enemy-initiated attacks|calendar quarters"
# SIGAR also relayed Resolute Support's counts for three-month windows off the calendar (June-August 2019, ...):
# those overlap the quarters, so they are a series of their own.
RS_WINDOWS = "attacks|Resolute Support|enemy-initiated attacks|other three-month periods"


def csv_rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("start, end, kind", [
    ("2019-01-01", "2019-12-31", YEAR), ("2019-01-01", "2019-06-30", FIRST_HALF),
    ("2019-01-01", "2019-09-30", NINE_MONTHS), ("2019-01-01", "2019-03-31", QUARTER),
    ("2020-10-01", "2020-12-31", QUARTER),
    ("2019-06-01", "2019-08-31", THREE_MONTHS), ("2018-10-01", "2018-12-30", THREE_MONTHS),
    ("2020-02-07", "2020-05-14", OTHER), ("2018-08-01", "2018-08-31", OTHER), ("2021-05-01", "2021-06-30", OTHER),
])
def test_period_kind(start, end, kind):
    assert period_kind(T(start), T(end)) == kind


@pytest.mark.parametrize("start, end, text", [
    ("2019-01-01", "2019-12-31", "2019"), ("2019-01-01", "2019-06-30", "January-June 2019"),
    ("2018-08-01", "2018-08-31", "August 2018"), ("2018-10-01", "2018-12-30", "1 October 2018 to 30 December 2018"),
])
def test_period_text(start, end, text):
    assert period_text(start, end) == text


def test_the_first_series_spans_the_most_years_and_carries_its_range(bundled):
    found = reported.catalogue(bundled.attack_counts, bundled.casualties)
    first = found[0]
    assert first.key == "deaths|UCDP|conflict deaths (all parties)|per year"
    assert [s.span_days for s in found] == sorted((s.span_days for s in found), reverse=True)
    # UCDP 25.1, Afghanistan: 2008 best 5,661 (low 5,185, high 7,194); 2021 best 36,386; 2024 best 353.
    by_year = {a.year: (k, lo, hi) for a, k, lo, hi in zip(first.rows["period_start"], first.rows["killed"],
                                                           first.rows["killed_low"], first.rows["killed_high"])}
    assert (min(by_year), max(by_year)) == (2008, 2024)
    assert by_year[2008] == (5661, 5185, 7194) and by_year[2021][0] == 36386 and by_year[2024][0] == 353


def test_resolute_supports_attacks_exactly_as_published(bundled):
    found = reported.catalogue(bundled.attack_counts, bundled.casualties)
    series, windows = next(s for s in found if s.key == RS), next(s for s in found if s.key == RS_WINDOWS)

    def rows(s):
        return sorted((a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d"), int(v))
                      for a, b, v in zip(s.rows["period_start"], s.rows["period_end"], s.rows["value"]))
    # Read off attack_counts.csv by hand: the calendar quarters, one figure each, and the shifted windows.
    assert rows(series) == [("2018-10-01", "2018-12-31", 6974), ("2019-01-01", "2019-03-31", 6358),
                            ("2019-10-01", "2019-12-31", 8204), ("2020-01-01", "2020-03-31", 7620),
                            ("2020-10-01", "2020-12-31", 11551), ("2021-01-01", "2021-03-31", 10431)]
    assert rows(windows) == [("2019-06-01", "2019-08-31", 7183), ("2020-09-01", "2020-11-30", 13242),
                             ("2021-03-01", "2021-05-31", 10383)]
    every = sorted((r["period_start"], r["period_end"], int(r["count"])) for r in csv_rows("attack_counts.csv")
                   if r["reporter"] == "Resolute Support" and r["measure"] == "enemy-initiated attacks")
    assert sorted(rows(series) + rows(windows)) == every


def test_gaps_are_the_spans_between_published_periods(bundled):
    series = next(s for s in reported.catalogue(bundled.attack_counts, bundled.casualties) if s.key == RS)
    # Calendar quarters: none between Jan-Mar 2019 and Oct-Dec 2019, nor between Jan-Mar 2020 and Oct-Dec 2020.
    assert reported.gaps(series) == [(D(2019, 4, 1), D(2019, 9, 30)), (D(2020, 4, 1), D(2020, 9, 30))]


def test_a_series_of_first_halves_has_no_gaps(bundled):
    series = next(s for s in reported.catalogue(bundled.attack_counts, bundled.casualties)
                  if s.key == "civilians|UNAMA|civilian casualties|first half of each year")
    assert reported.gaps(series) == []
    h1_2019 = series.rows[series.rows["period_start"] == "2019-01-01"].iloc[0]
    assert (h1_2019["killed"], h1_2019["injured"]) == (1366, 2446)  # UNAMA mid-year update, 30 Jul 2019


def test_figures_inside_august_and_september_2018(bundled):
    rows = reported.in_range(bundled.attack_counts, bundled.casualties, D(2018, 8, 1), D(2018, 9, 30))
    inside = rows[rows["coverage"] == "inside the range"]
    assert sorted(zip(inside["reporter"], inside["period"], inside["figure"])) == [
        ("Afghan Ministry of Defence", "August 2018", "513 killed, 718 injured"),
        ("US Department of Defense", "August-September 2018", "at least 1,000 killed or injured")]
    partly = rows[rows["coverage"] == "partly outside the range"]
    assert sorted(zip(partly["reporter"], partly["period"])) == [
        ("UCDP", "2018"), ("UNAMA", "2018"), ("UNAMA", "January-September 2018"),
        ("US Department of Defense", "2018"), ("United Nations (UNAMA/UN Secretary-General)", "2018")]


def test_a_range_with_no_published_period_inside_it(bundled):
    rows = reported.in_range(bundled.attack_counts, bundled.casualties, D(2019, 4, 2), D(2019, 5, 30))
    assert (rows["coverage"] == "inside the range").sum() == 0
    # Only periods that contain the whole range meet it: 2019 of UCDP, UNAMA, the UN and the DoD; UNAMA's H1 and 9
    # months.
    assert sorted(rows["period"]) == ["2019", "2019", "2019", "2019", "January-June 2019", "January-September 2019"]


def test_milestones_take_the_periods_either_side(bundled):
    series = next(s for s in reported.catalogue(bundled.attack_counts, bundled.casualties) if s.key == RS)
    table = reported.around_milestones(series, reported.default_milestones(bundled.meetings)).set_index("milestone")
    doha = table.loc["US-Taliban agreement signed in Doha"]
    assert (doha["before_period"], doha["before_figure"]) == ("October-December 2019", "8,204")
    assert (doha["after_period"], doha["after_figure"]) == ("October-December 2020", "11,551")
    talks = table.loc["Intra-Afghan negotiations open in Doha"]  # 12 Sep 2020: between Jan-Mar and Oct-Dec 2020
    assert (talks["before_figure"], talks["after_period"]) == ("7,620", "October-December 2020")
    # 6 Jan 2021 falls inside Jan-Mar 2021, the last quarter published: none after it.
    second = table.loc["Second round of intra-Afghan talks opens in Doha"]
    assert (second["after_period"], second["after_figure"]) == ("", "none published")
    # One figure per quarter since the relay that swapped two quarters was corrected.
    assert table.loc["Afghan government and Taliban agree rules for talks", "after_figure"] == "10,431"


def test_brief_names_the_officials_figure_for_august_september_2018(bundled):
    spec = FilterSpec(D(2018, 8, 1), D(2018, 9, 30))
    figures = reported.in_range(bundled.attack_counts, bundled.casualties, spec.start, spec.end)
    b = brief(engine_of(bundled), bundled.meetings, spec, dataset_title="t", first=D(2015, 4, 18),
              reported_figures=figures)
    assert "US Department of Defense reported at least 1,000 killed or injured (security forces casualties, " \
           "August-September 2018; VOA News)" in b["text"]
    assert [r["url"] for r in b["reported"]] == ["https://www.elnashra.com/news/show/1244647/وزير-دفاع-افغانستان:"
                                                  "-مقتل-513-عنصراً-الجيش-الأفغان",
                                                  "https://www.voanews.com/a/mattis-afghan-report/4636438.html"]


def test_cli_brief_json_carries_the_reported_figures():
    code, out, err = run_cli("brief", "--start", "2018-08-01", "--end", "2018-09-30", "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert [(r["reporter"], r["figure"]) for r in result["reported"]] == [
        ("Afghan Ministry of Defence", "513 killed, 718 injured"),
        ("US Department of Defense", "at least 1,000 killed or injured")]


def _reported_chart(at) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("chart_reported") or
                 "chart_reported" in c.proto.id)
    return json.loads(chart.proto.spec)


# A bound selectbox keeps the words it shows in the URL: the series' label.
RS_LABEL = "Enemy-initiated attacks reported by Resolute Support, calendar quarters"


def _segments(trace) -> list[tuple]:
    return [(x0[:10], x1[:10], y0) for x0, x1, y0 in zip(trace["x"][0::3], trace["x"][1::3], trace["y"][0::3])]


def test_first_chart_is_the_longest_series_with_its_range_and_the_takeover(monkeypatch):
    at = run_app(monkeypatch, folder=DATA)
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")][0] == "chart_reported"
    fig = _reported_chart(at)
    line = next(t for t in fig["data"] if t.get("name") == "Killed" and t.get("mode") == "lines")
    segments = _segments(line)
    # UCDP 25.1, Afghanistan, best estimates read off the country-year file: 2019 30,435; 2021 36,386; 2022 1,574.
    assert ("2019-01-01", "2020-01-01", 30435) in segments and ("2021-01-01", "2022-01-01", 36386) in segments
    assert ("2022-01-01", "2023-01-01", 1574) in segments and len(segments) == 17
    band = next(t for t in fig["data"] if t.get("name") == "Low to high estimate")
    assert band["showlegend"] is False  # named in the chart's note instead
    assert any("spans UCDP's low and high estimates" in visible(c.value) for c in at.caption)
    assert (band["y"][0], band["y"][2]) == (5185, 7194)  # 2008: low 5,185, high 7,194
    takeover = [a for a in fig["layout"]["annotations"] if a["text"] == "Taliban takeover, 15 Aug 2021"]
    assert len(takeover) == 1 and takeover[0]["x"][:10] == "2021-08-15"
    assert any(s["type"] == "line" and s["x0"][:10] == "2021-08-15" for s in fig["layout"]["shapes"])


def test_a_chosen_series_draws_each_published_period_as_its_own_line(monkeypatch):
    at = run_app(monkeypatch, folder=DATA, series=RS_LABEL)
    assert not at.exception
    fig = _reported_chart(at)
    segments = _segments(fig["data"][0])
    # Hand-picked periods: each runs from its first day to the day after its last, at the published count.
    assert ("2019-10-01", "2020-01-01", 8204) in segments
    assert ("2020-10-01", "2021-01-01", 11551) in segments and ("2021-01-01", "2021-04-01", 10431) in segments
    assert len(segments) == 6
    assert [a["text"] for a in fig["layout"]["annotations"]].count("no figure<br>published") == 2
    lanes = {t.get("name") for t in fig["data"]}
    assert {"Notable attacks", "Talks and milestones"} <= lanes


def test_kpis_give_the_reported_figures_inside_the_range(monkeypatch):
    at = run_app(monkeypatch, folder=DATA, start="2018-08-01", end="2018-09-30")
    assert not at.exception
    shown = {visible(m.label): (m.value, m.proto.delta) for m in at.metric}
    assert shown["Security forces casualties, August-September 2018"] == ("at least 1,000", "killed or injured")
    assert shown["Security forces casualties, August 2018"] == ("513 killed", "718 injured")
    assert shown["Notable attacks recorded"][0] == str(sum(
        1 for r in csv_rows("attacks.csv") if "2018-08-01" <= r["date"] <= "2018-09-30"))


def test_a_range_without_published_periods_says_so(monkeypatch):
    # 2 Apr - 30 May 2019 lies between Resolute Support's periods and inside no UNAMA period of its own.
    at = run_app(monkeypatch, folder=DATA, start="2019-04-02", end="2019-05-30")
    assert not at.exception
    notes = [visible(i.value) for i in at.info]
    assert "No authority published a total for a period that lies inside 2 April 2019 to 30 May 2019." in notes


def test_talks_page_sets_reported_periods_beside_the_milestones(monkeypatch):
    at = run_app(monkeypatch, folder=DATA, page="components/talks.py", talks_series=RS_LABEL)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "before_figure" in d.value).set_index("milestone")
    assert table.loc["US-Taliban agreement signed in Doha", "after_figure"] == "11,551"
