"""Every page's metrics, charts and tables match the snapshot taken before the code-health refactor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DATA, PAGES, ROOT, run_app
from tests.snapshot import PAGE_OF, VIEWS, page
from trends.dataset.synth import write_synthetic

SNAPSHOTS = ROOT / "tests" / "fixtures" / "snapshots"
# Set TRENDS_WRITE_SNAPSHOT=1 to record a new snapshot (only when a change of behaviour is intended and reviewed).
WRITE = os.environ.get("TRENDS_WRITE_SNAPSHOT") == "1"
SYNTHETIC_VIEWS = ("overview", "overview-2018", "overview-breakdowns", "overview-taliban", "overview-kabul",
                   "talks-week", "events-province")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_synthetic(tmp_path_factory.mktemp("snap") / "syn-100k", 100_000, parquet=True, seed=11)


def _check(name: str, folder: Path, views, monkeypatch) -> None:
    got = {}
    for view in views:
        at = run_app(monkeypatch, folder, page=PAGES[PAGE_OF.get(view.split("-")[0], "overview")], **VIEWS[view])
        got[view] = page(at)
        assert not got[view]["exceptions"], (view, got[view]["exceptions"])
    path = SNAPSHOTS / f"{name}.json"
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    want = json.loads(path.read_text())
    for view in views:
        assert got[view] == want[view], view


def test_bundled_pages_match_the_snapshot(monkeypatch):
    _check("bundled", DATA, VIEWS, monkeypatch)


def test_synthetic_parquet_pages_match_the_snapshot(monkeypatch, synthetic):
    _check("synthetic-100k", synthetic, SYNTHETIC_VIEWS, monkeypatch)
