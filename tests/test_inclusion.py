"""The inclusion rule of the bundled attacks: each criterion on hand-made rows, and every bundled row meets one."""

from __future__ import annotations

import pandas as pd
import pytest

from trends.contract import inclusion
from trends.dataset.loading import DEFAULT_DATA_DIR, load_dataset


def rows(**columns) -> pd.DataFrame:
    base = {"killed": [None], "target": ["civilians"], "attack_type": ["IED"], "perpetrator": ["Taliban"]}
    return pd.DataFrame({**base, **{k: [v] for k, v in columns.items()}}).astype({"killed": "Int64"})


@pytest.mark.parametrize("columns, met", [
    ({"killed": 25}, "toll"),
    ({"killed": 24}, ""),
    ({"killed": None}, ""),
    ({"killed": 10, "target": "religious"}, "protected target"),
    ({"killed": 9, "target": "education"}, ""),
    ({"killed": 30, "target": "health"}, "toll; protected target"),
    ({"killed": 1, "target": "diplomatic"}, "diplomatic"),
    ({"killed": 0, "target": "diplomatic"}, ""),
    ({"killed": None, "attack_type": "ground offensive"}, "city offensive"),
    ({"killed": 3, "attack_type": "airstrike", "perpetrator": "Pakistani forces"}, "cross-border"),
    ({"killed": 3, "attack_type": "airstrike", "perpetrator": "US forces"}, ""),
])
def test_each_criterion_on_its_columns(columns, met):
    frame = rows(**columns)
    assert inclusion.criteria_met(frame).tolist() == [met]
    assert inclusion.outside(frame).tolist() == [met == ""]


def test_a_folder_may_follow_only_some_criteria():
    frame = rows(killed=12, target="media")
    assert inclusion.outside(frame, ("toll",)).tolist() == [True]
    assert inclusion.outside(frame, ("toll", "protected target")).tolist() == [False]


def test_every_bundled_attack_meets_the_rule_it_declares():
    dataset = load_dataset(DEFAULT_DATA_DIR)
    declared = dataset.resource("attacks")["inclusion_rule"]
    assert declared == list(inclusion.NAMES)
    attacks = dataset.attacks
    # Recomputed here from the columns, independently of trends.contract.inclusion.
    protected = {"religious", "education", "health", "media", "election", "aid workers"}
    for row in attacks.itertuples():
        killed = -1 if pd.isna(row.killed) else int(row.killed)
        assert (killed >= 25 or (row.target in protected and killed >= 10)
                or (row.target == "diplomatic" and killed >= 1) or row.attack_type == "ground offensive"
                or row.perpetrator in {"Pakistani forces", "Iranian forces"}), row.event_id
    assert not inclusion.outside(attacks).any()
    assert not [p for p in dataset.findings if "inclusion" in p.reason]


def test_the_rule_is_written_where_readers_look(monkeypatch):
    from tests.conftest import DATA, ROOT, run_app
    from tests.hostile import visible

    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for criterion in inclusion.CRITERIA:
        assert f"**{criterion.name}**: {criterion.words}" in docs
    about = run_app(monkeypatch, folder=DATA, page="components/about.py")
    shown = "\n".join(visible(m.value) for m in about.markdown)
    assert "**toll**: 25 or more people killed (the final toll, attackers not counted)" in shown
    for criterion in inclusion.CRITERIA:
        assert f"**{criterion.name}**: {criterion.words}" in shown
