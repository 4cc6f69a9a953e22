"""Each check of the data contract catches its hand-made faulty fixture, with a line a person can act on."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import ROOT, SMALL, cli_process
from trends.dataset.consistency import parts_against_whole, stated_changes
from trends.dataset.loading import load_dataset

FIXTURES = ROOT / "tests" / "fixtures" / "checks"

# fixture folder -> the exact lines validate prints (rows are rejected by row checks, kept by cross-row ones)
EXPECTED = {
    "claim_without_channel": ["attacks.csv:3: basis_detail: basis_detail does not say how the claim was made (a "
                              "spokesman, a statement, Amaq, a post) (found 'SYNTHETIC group')"],
    "named_without_detail": ["attacks.csv:3: basis_detail: basis_detail is blank: say who claimed, attributed or "
                             "accused, and how"],
    "unknown_with_claim": ["attacks.csv:3: perpetrator_basis: perpetrator and perpetrator_basis disagree: a named "
                           "actor needs a basis other than unknown, and Unknown needs the basis unknown (found "
                           "'claimed')"],
    "attackers_counted": ["attacks.csv:3: killed: the notes say this toll includes the attackers: take them out of "
                          "killed and give them in attackers_killed (found '12')"],
    "siege_without_end": ["attacks.csv:3: end_date: the event lasted several days (a ground offensive or a siege): "
                          "give end_date"],
    "toll_undated": ["attacks.csv:3: toll_date: toll_date is blank: give the date of the report that killed or "
                     "wounded comes from"],
    "toll_before_event": ["attacks.csv:3: toll_date: toll_date is before the attack's date (found '2018-08-01')"],
    "low_above_killed": ["attacks.csv:3: killed: killed is below killed_low (found '4')"],
    "report_blank": ["attacks.csv:3: report: report is blank: name the report the toll comes from"],
    # k1 has 25 killed (toll), k3 10 at a mosque (protected target); k2's 9 at a mosque meets neither.
    "outside_rule": ["attacks.csv:3: killed: meets none of the inclusion criteria (docs/data.md): remove the row, or "
                     "correct the toll, target, attack type or perpetrator that would include it"],
    "casualty_report_blank": ["casualties.csv:2: report: report is blank: name the report (publisher, title, date, "
                              "page)"],
    "parts_not_total": ["casualties.csv:3: injured: killed + injured does not equal the stated total in "
                        "killed_or_injured (found '3254')"],
    "parts_off_whole": ["casualties.csv:4: injured: the parts of SYNTHETIC reporter's civilians, January-September "
                        "2019 (lines 2, 3) add up to 5,585, more than 5% away from this row's 4,676"],
    "two_figures": ["attack_counts.csv:3: count: a second figure for SYNTHETIC reporter's SYNTHETIC attacks, "
                    "January-March 2021 (line 2 has one): keep the figure the report states and log the other in "
                    "corrections.csv"],
    "periods_overlap": ["attack_counts.csv:3: period_start: SYNTHETIC reporter's SYNTHETIC attacks, March-May 2019 "
                        "overlaps line 2's period of the same length; check the dates against the report"],
    # 11,551 against 7,620 is +51.6%; the report's "nearly 37 percent" fits 10,431 (+36.9%).
    "stated_change_misses": ["stated_changes.csv:2: change_pct: the report states about +37%, but "
                             "attack_counts.csv line 3 (11,551) against line 2 (7,620) is +51.6%: one of the two "
                             "figures is not the report's"],
    "stated_change_unmatched": ["stated_changes.csv:2: period_start: attack_counts.csv has no SYNTHETIC reporter "
                                "SYNTHETIC attacks row for January-March 2020 to test this change against"],
}


@pytest.fixture
def faulty(tmp_path):
    def make(case: str):
        folder = tmp_path / case
        shutil.copytree(SMALL, folder)
        for path in (FIXTURES / case).iterdir():
            shutil.copy(path, folder / path.name)
        return folder
    return make


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_check_catches_its_fixture(faulty, case):
    out = cli_process("validate", str(faulty(case)))
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.splitlines() == EXPECTED[case]


@pytest.mark.parametrize("case, fixed", [
    ("parts_not_total", ("casualties.csv", "3254", "3524")),
    ("stated_change_misses", ("attack_counts.csv", "11551", "10431")),
    ("two_figures", ("attack_counts.csv", "2021-01-01,2021-03-31,,SYNTHETIC attacks,10431",
                     "2021-04-01,2021-06-30,,SYNTHETIC attacks,10431")),
    ("attackers_counted", ("attacks.csv", "12 killed, including 5 attackers", "7 killed; 5 attackers also died")),
    # A report that shows no date may leave toll_date blank, where `report` says so rather than guess a date.
    ("toll_undated", ("attacks.csv", "SYNTHETIC report, 5 Aug 2018", "SYNTHETIC report, date not shown")),
])
def test_the_corrected_fixture_passes(faulty, case, fixed):
    folder = faulty(case)
    name, old, new = fixed
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    out = cli_process("validate", str(folder))
    assert out.returncode == 0, out.stdout
    dataset = load_dataset(folder)
    assert dataset.problems == [] and dataset.findings == []


def test_cross_row_findings_keep_the_rows(faulty):
    dataset = load_dataset(faulty("two_figures"))
    report = dataset.reports["attack_counts.csv"]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert [f.line for f in dataset.findings] == [3] and not report.ok


def _rows(periods, column="count"):
    frame = pd.DataFrame([{"period_start": pd.Timestamp(a), "period_end": pd.Timestamp(b), column: n,
                           "reporter": "R", "measure": "m", "province": None, "line_no": i + 2}
                          for i, (a, b, n) in enumerate(periods)])
    return frame


@pytest.mark.parametrize("parts, whole, flagged", [
    # four quarters against their year: 100+100+100+100 = 400
    ([("2019-01-01", "2019-03-31", 100), ("2019-04-01", "2019-06-30", 100), ("2019-07-01", "2019-09-30", 100),
      ("2019-10-01", "2019-12-31", 100)], 420, False),   # 420 is 5% above 400: inside the tolerance
    ([("2019-01-01", "2019-03-31", 100), ("2019-04-01", "2019-06-30", 100), ("2019-07-01", "2019-09-30", 100),
      ("2019-10-01", "2019-12-31", 100)], 430, True),    # 7.5% above
    # a missing quarter: the parts do not cover the year, so nothing is compared
    ([("2019-01-01", "2019-03-31", 100), ("2019-04-01", "2019-06-30", 100), ("2019-10-01", "2019-12-31", 100)],
     999, False),
])
def test_parts_against_whole(parts, whole, flagged):
    rows = _rows(parts + [("2019-01-01", "2019-12-31", whole)])
    found = parts_against_whole("attack_counts.csv", rows)
    assert bool(found) is flagged


@pytest.mark.parametrize("now, base, pct, qualifier, fits, restated", [
    (10431, 7620, 37, "about", True, None),      # +36.9%
    (11551, 7620, 37, "about", False, None),     # +51.6%
    (110, 100, 10, "exact", True, None),
    (111, 100, 10, "exact", False, None),        # +11% against an exact 10
    (150, 100, 40, "at least", True, None),
    (130, 100, 40, "at least", False, None),
    (90, 100, -10, "exact", True, None),
    # UNAMA's first quarter of 2017 (2,181) against its first quarter of 2016: +12.2% on the first-published 1,943,
    # -3.8% on the 2,268 UNAMA later restated, which is what its "4% decrease" compares with.
    (2181, 1943, -4, "exact", False, None),
    (2181, 1943, -4, "exact", True, 2268),
])
def test_stated_change_tolerance(now, base, pct, qualifier, fits, restated):
    counts = {"attack_counts.csv": _rows([("2020-01-01", "2020-03-31", base), ("2021-01-01", "2021-03-31", now)])}
    change = pd.DataFrame([{"file": "attack_counts.csv", "reporter": "R", "measure": "m", "attributed_to": None,
                            "column": "count", "period_start": pd.Timestamp("2021-01-01"),
                            "period_end": pd.Timestamp("2021-03-31"), "base_start": pd.Timestamp("2020-01-01"),
                            "base_end": pd.Timestamp("2020-03-31"), "base_figure": restated, "change_pct": pct,
                            "qualifier": qualifier, "line_no": 2}])
    assert (stated_changes(change, counts) == []) is fits
