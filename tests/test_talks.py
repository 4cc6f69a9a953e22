"""Event study, period comparison, ceasefire scorecard and brief: planted effects, nulls and hand counts."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import cli_process
from trends.engines import queries
from trends.analysis.brief import brief
from trends.wording import permalink
from trends.analysis.compare import ceasefire_scorecard, comparison_rows, coverage
from trends.filters import FilterSpec
from trends.engines.pandas_engine import PandasEvents
from trends.analysis.talks import event_study
from trends.engines.open import engine_of

D = dt.date


def per_day(attacks: pd.DataFrame) -> pd.DataFrame:
    """Attacks and killed per day with events, as the engines give them to the study."""
    return PandasEvents(attacks).daily(FilterSpec(D(1900, 1, 1), D(2100, 12, 31)))


def synthetic(planted_per_day: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC: Poisson background attacks over 2018-2020, 20 one-day meetings 50 days apart, and
    `planted_per_day` extra attacks on each of the 7 days before every meeting."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2018-01-01", "2020-12-31", freq="D")
    meetings = pd.DataFrame({"meeting_id": [f"syn-{i}" for i in range(20)],
                             "title": [f"SYNTHETIC meeting {i}" for i in range(20)], "kind": "talks",
                             "date": pd.date_range("2018-03-01", periods=20, freq="50D"),
                             "end_date": pd.NaT})
    counts = rng.poisson(0.5, len(days))
    for start in meetings["date"]:
        counts[(days >= start - pd.Timedelta(days=7)) & (days < start)] += planted_per_day
    dates = np.repeat(days.to_numpy(), counts)
    attacks = pd.DataFrame({"event_id": [f"syn-{i}" for i in range(len(dates))], "date": dates,
                            "killed": pd.array(np.ones(len(dates), dtype=int), dtype="Int64")})
    return attacks, meetings


def test_planted_rise_before_meetings_is_found():
    attacks, meetings = synthetic(planted_per_day=2)
    study = event_study(per_day(attacks), meetings, 7, n_resamples=2999)
    o = study.overall
    assert o["n"] == 20 and o["caution"] == ""
    assert o["mean_change"] < -10  # about 14 planted attacks before each meeting
    assert o["ci_high"] < 0 and o["p_value"] < 0.01
    assert "higher before the meetings" in study.verdict
    assert study.event_time.set_index("day").loc[-3, "mean_attacks"] > study.event_time.set_index("day").loc[
        -3, "placebo_high"]


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_nothing_planted_shows_nothing(seed):
    attacks, meetings = synthetic(planted_per_day=0, seed=seed)
    o = event_study(per_day(attacks), meetings, 7, n_resamples=2999).overall
    assert o["p_value"] >= 0.05
    assert o["ci_low"] <= 0 <= o["ci_high"]


def test_results_reproduce_with_the_seed():
    attacks, meetings = synthetic(planted_per_day=1)
    a = event_study(per_day(attacks), meetings, 14, n_resamples=999).overall
    b = event_study(per_day(attacks), meetings, 14, n_resamples=999).overall
    assert a == b


@pytest.mark.parametrize("meeting_id, window, before, during, after, killed_before", [
    # Geneva, 27-28 Nov 2018: Kabul Mawlid bombing (20 Nov, 55) and Khost mosque (23 Nov, 27) before; nothing
    # during or 29 Nov-5 Dec (the smaller attacks of those days are below the inclusion rule).
    ("m-20181127-geneva-conference", 7, 2, 0, 0, 82),
    # Doha agreement, 29 Feb 2020: nothing 15-28 Feb; the Mazari ceremony attack on 6 Mar after.
    ("m-20200229-us-taliban-doha-agreement", 14, 0, 0, 1, 0),
    # Intra-Afghan talks open 12 Sep 2020: nothing 5-19 Sep under the rule (the Saleh convoy bombing, 10 killed,
    # is below it)...
    ("m-20200912-intra-afghan-talks-open", 7, 0, 0, 0, 0),
    # ...and with 30 days the Lashkar Gah offensive (11 Oct, toll not reported) falls after.
    ("m-20200912-intra-afghan-talks-open", 30, 0, 0, 1, 0),
    # Murree, 7-8 Jul 2015: nothing 23 Jun-6 Jul; the Khost checkpoint car bombing (12 Jul, 33 killed) after.
    ("m-20150707-murree-talks", 14, 0, 0, 1, 0),
])
def test_hand_checked_windows_in_bundled_data(bundled, meeting_id, window, before, during, after, killed_before):
    study = event_study(per_day(bundled.attacks), bundled.meetings, window, n_resamples=99)
    row = study.meetings.set_index("meeting_id").loc[meeting_id]
    assert (row["before"], row["during"], row["after"], row["killed_before"]) == (before, during, after,
                                                                                  killed_before)
    assert row["change"] == after - before


def test_overlaps_are_flagged_and_can_be_excluded(bundled):
    study = event_study(per_day(bundled.attacks), bundled.meetings, 7, n_resamples=99)
    flags = study.meetings.set_index("meeting_id")["overlaps"]
    # Geneva (27-28 Nov) and Ghani's roadmap (28 Nov) share their windows.
    assert flags["m-20181127-geneva-conference"] and flags["m-20181128-ghani-roadmap-geneva"]
    kept = event_study(per_day(bundled.attacks), bundled.meetings, 7, exclude_overlaps=True, n_resamples=99)
    assert not kept.meetings["overlaps"].any()
    assert len(kept.meetings) + int(flags.sum()) == len(study.meetings)


def test_low_counts_give_a_caution(small):
    study = event_study(per_day(small.attacks), small.meetings, 7, n_resamples=99)
    assert study.overall["caution"].startswith("Too few to judge")
    assert study.verdict == study.overall["caution"]


def test_meeting_windows_outside_the_data_are_set_aside(small):
    # Fixture attacks run 5 Aug 2017 - 1 Oct 2018; m3 (5 Oct 2018) has no full window after it.
    study = event_study(per_day(small.attacks), small.meetings, 7, n_resamples=99)
    assert study.excluded["meeting_id"].tolist() == ["m3"]


SMALL_FIRST = D(2017, 8, 5)  # the fixture's first attack


def _comparison(engine, spec):
    return comparison_rows(spec, engine.totals(spec), engine.totals(spec.previous()),
                           engine.totals(spec.year_earlier()), SMALL_FIRST).set_index("period")


def test_period_comparison(small):
    rows = _comparison(engine_of(small), FilterSpec(D(2018, 8, 1), D(2018, 9, 30)))
    assert rows["attacks"].to_dict() == {"This period": 4, "Previous period": 2, "Same period a year earlier": 1}
    assert rows.loc["Previous period", "attacks_change_pct"] == 100.0
    assert rows.loc["Same period a year earlier", "attacks_change_pct"] == 300.0
    # 1 Aug - 30 Sep 2017: the data starts on 5 Aug, so 57 of the 61 days are covered.
    assert pd.isna(rows.loc["Previous period", "note"])
    assert rows.loc["Same period a year earlier", "note"] == (
        "partly before the data: only 57 of its 61 days are on or after 5 August 2017")


def test_a_period_wholly_before_the_data_has_no_numbers(small):
    # 5 Aug - 30 Sep 2017 is 57 days; the previous 57 days (9 Jun - 4 Aug 2017) precede the first attack.
    rows = _comparison(engine_of(small), FilterSpec(D(2017, 8, 5), D(2017, 9, 30)))
    prev = rows.loc["Previous period"]
    assert (prev["start"], prev["end"]) == (D(2017, 6, 9), D(2017, 8, 4))
    assert pd.isna(prev["attacks"]) and pd.isna(prev["killed"]) and pd.isna(prev["attacks_change_pct"])
    assert prev["note"] == "no data before 5 August 2017"


@pytest.mark.parametrize("start, end, covered, days", [
    (D(2017, 6, 9), D(2017, 8, 4), 0, 57),
    (D(2017, 8, 1), D(2017, 9, 30), 57, 61),
    (D(2017, 8, 5), D(2017, 8, 5), 1, 1),
    (D(2018, 1, 1), D(2018, 12, 31), 365, 365),
])
def test_coverage_counts_days_on_or_after_the_first(start, end, covered, days):
    c = coverage(FilterSpec(start, end), SMALL_FIRST)
    assert (c.covered, c.days, c.none, c.partial) == (covered, days, covered == 0, 0 < covered < days)


def test_ceasefire_scorecard(small):
    card = ceasefire_scorecard(per_day(small.attacks), small.meetings).set_index("meeting_id")
    # m3: 5 Oct 2018; baseline 7 Sep - 4 Oct holds e4 (10 Sep), e5 (30 Sep), e6 (1 Oct).
    row = card.loc["m3"]
    assert (row["attacks_during"], row["baseline_attacks"], row["days"]) == (0, 3, 1)
    assert row["expected"] == pytest.approx(3 / 28)
    assert row["expected_low"] == pytest.approx(0.6187 / 28, abs=1e-4)   # exact Poisson interval of 3
    assert row["expected_high"] == pytest.approx(8.7673 / 28, abs=1e-4)


@pytest.mark.parametrize("spec", [FilterSpec(D(2018, 8, 1), D(2018, 9, 30)),
                                  FilterSpec(D(2015, 1, 1), D(2021, 8, 31), provinces=("Kabul",)),
                                  FilterSpec(D(2019, 1, 1), D(2019, 12, 31), perpetrators=("Taliban",))])
def test_brief_numbers_equal_the_kpis(bundled, spec):
    b = brief(engine_of(bundled), bundled.meetings, spec, dataset_title="t", base_url="https://x.example/",
              first=bundled.attacks["date"].min().date())
    t = queries.totals(bundled.attacks, spec)
    assert (b["numbers"]["attacks"], b["numbers"]["killed"], b["numbers"]["wounded"]) == (t.attacks, t.killed,
                                                                                         t.wounded)
    assert f"records {t.attacks:,} attack" in b["text"] and f"at least {t.killed:,} " in b["text"]
    assert b["permalink"] == "https://x.example/?" + spec.query_string()
    urls = set(queries.filter_events(bundled.attacks, spec)["source_url"])
    assert b["sources"] and all(s["url"] in urls for s in b["sources"])


def test_brief_text_for_august_september_2018(small):
    b = brief(engine_of(small), small.meetings, FilterSpec(D(2018, 8, 1), D(2018, 9, 30)), dataset_title="t",
              base_url="http://h/", first=SMALL_FIRST)
    assert b["text"].startswith("Between 1 August 2018 and 30 September 2018 the dataset records 4 attacks.")
    assert "at least 17 people killed and 24 wounded" in b["text"] and "2 more than the 61 days before" in b["text"]
    assert "2 meetings or milestones of the peace process fall in the period" in b["text"]


def test_brief_says_there_is_nothing_to_compare_before_the_data(small):
    b = brief(engine_of(small), small.meetings, FilterSpec(D(2017, 8, 5), D(2017, 9, 30)), dataset_title="t",
              base_url="http://h/", first=SMALL_FIRST)
    assert "There is no earlier period to compare with: the 57 days before (9 June 2017 to 4 August 2017) lie " \
           "before the first day of data, 5 August 2017." in b["text"]
    assert "more than" not in b["text"] and "fewer than" not in b["text"]
    assert b["numbers"]["previous_attacks"] is None
    assert b["previous_period"] == {"start": "2017-06-09", "end": "2017-08-04", "days_with_data": 0, "days": 57,
                                    "note": "no data before 5 August 2017"}


def test_permalink_keeps_an_existing_query():
    assert permalink(FilterSpec(D(2018, 1, 1), D(2018, 1, 2)), "http://h/app?x=1").startswith("http://h/app?x=1&start=")


def test_talks_cli_json_matches_the_study(bundled):
    out = cli_process("talks", "--window", "7", "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    study = event_study(per_day(bundled.attacks), bundled.meetings, 7)
    assert set(result["overall"]) >= {"mean_change", "ci_low", "ci_high", "p_value", "n"}
    assert result["overall"]["n"] == study.overall["n"]
    assert result["overall"]["p_value"] == pytest.approx(study.overall["p_value"])
    geneva = next(m for m in result["meetings"] if m["meeting_id"] == "m-20181127-geneva-conference")
    assert (geneva["before"], geneva["after"], geneva["date"]) == (2, 0, "2018-11-27")


@pytest.mark.parametrize("args, reason", [
    (["talks", "--window", "10"], "--window must be one of 7, 14, 30"),
    (["talks", "--kind", "picnic"], "no meetings of kind picnic"),
    (["brief", "--start", "2018-02-30"], 'Ignored start "2018-02-30"'),
    (["brief", "--province", "Atlantis"], 'Ignored unknown province: "Atlantis"'),
])
def test_cli_bad_input_exits_non_zero_with_a_reason(args, reason):
    out = cli_process(*args)
    assert out.returncode == 2 and reason in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_export_cli_equals_the_download(bundled):
    from trends.publish.export import csv_bytes, event_rows

    out = cli_process("export", "--start", "2018-08-01", "--end", "2018-09-30", text=False)
    spec = FilterSpec(D(2018, 8, 1), D(2018, 9, 30))
    assert out.returncode == 0
    expected = event_rows(queries.filter_events(bundled.attacks, spec).sort_values(["date", "event_id"]))
    assert out.stdout == csv_bytes(expected)


def test_brief_names_each_value_filter_once_with_its_values_joined(bundled):
    """A filter of three provinces reads "in Kabul, Helmand or Ghazni", and the filters are set apart by ";"."""
    spec = FilterSpec(D(2018, 1, 1), D(2018, 12, 31), provinces=("Kabul", "Helmand", "Ghazni"),
                      perpetrators=("Taliban",))
    a = bundled.attacks
    n = int(((a["date"].dt.year == 2018) & a["province"].isin(["Kabul", "Helmand", "Ghazni"])
             & (a["perpetrator"] == "Taliban")).sum())
    b = brief(engine_of(bundled), bundled.meetings, spec, dataset_title="t", base_url="http://h/", first=D(2015, 1, 1))
    assert n > 1 and f"the dataset records {n:,} attacks in Kabul, Helmand or Ghazni; by Taliban." in b["text"]
