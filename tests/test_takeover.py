"""The before/after view: each published period's level per month, on its side of 15 August 2021."""

from __future__ import annotations

import datetime as dt

import pytest

from trends.analysis import reported
from trends.analysis import takeover
from trends.eras import BY_SLUG, TAKEOVER
from trends.filters import Domain, FilterSpec


@pytest.fixture(scope="module")
def levels(bundled):
    return takeover.families(takeover.levels(reported.catalogue(bundled.attack_counts, bundled.casualties)))


def _row(levels, reporter, measure, start, end=None):
    rows = levels[(levels["reporter"] == reporter) & (levels["measure"] == measure)
                  & (levels["period_start"] == start) & ((levels["period_end"] == end) if end else True)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_levels_per_month_computed_by_hand(levels):
    un = "United Nations (UNAMA/UN Secretary-General)"
    # 22,051 incidents in 2014 over 365 days of 30.4375 (a twelfth of 365.25): 1,838.8 a month.
    row = _row(levels, un, "security incidents", "2014-01-01")
    assert row["side"] == takeover.BEFORE and row["per_month"] == pytest.approx(22051 / (365 / 30.4375), abs=0.05)
    # A monthly average is a level per month already: 960 in 2009.
    assert _row(levels, un, "security incidents (monthly average)", "2009-01-01")["per_month"] == 960
    # UNAMA's 3,774 civilian casualties from 15 Aug 2021 to 30 May 2023 (654 days): 175.6 a month, after.
    days = (dt.date(2023, 5, 30) - dt.date(2021, 8, 15)).days + 1
    row = _row(levels, "UNAMA", "civilian casualties", "2021-08-15", "2023-05-30")
    assert days == 654 and row["side"] == takeover.AFTER
    assert row["per_month"] == pytest.approx(3774 / (days / 30.4375), abs=0.05)


def test_periods_across_the_takeover_and_one_sided_reporters_are_left_out(levels):
    ucdp = levels[levels["reporter"] == "UCDP"]
    assert "2021" not in set(ucdp["period"])  # 2021 holds the takeover: neither side
    assert {"2020", "2022"} <= set(ucdp["period"])
    assert "Resolute Support" not in set(levels["reporter"])  # it published nothing after the takeover


def test_an_era_in_the_link_sets_the_dates():
    domain = Domain(dt.date(2009, 5, 4), dt.date(2026, 3, 16), view_last=dt.date(2026, 4, 7))
    spec = FilterSpec.from_params({"era": ["since-takeover"]}, domain)
    assert (spec.start, spec.end, spec.notices) == (TAKEOVER, dt.date(2026, 4, 7), ())
    surge = FilterSpec.from_params({"era": ["surge"], "end": ["2010-12-31"]}, domain)
    assert (surge.start, surge.end) == (BY_SLUG["surge"].start, dt.date(2010, 12, 31))  # dates given win
    assert "Ignored era" in FilterSpec.from_params({"era": ["war"]}, domain).notices[0]
    early = Domain(dt.date(2015, 4, 18), dt.date(2021, 8, 29))
    assert "holds none of its days" in FilterSpec.from_params({"era": ["surge"]}, early).notices[0]
