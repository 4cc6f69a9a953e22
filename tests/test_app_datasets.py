"""Imported dataset folders in the app: opened by TRENDS_DATA_DIR or picked from datasets/."""

from __future__ import annotations


import pytest

from tests.conftest import PAGES, ROOT, SMALL, cli_process, run_app
from tests.hostile import visible

GED = ROOT / "tests" / "fixtures" / "ucdp" / "GEDEvent_v23_1_synthetic.csv"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("datasets")
    out = cli_process("import", "ucdp", str(GED), "--out", str(root / "ucdp-fixture"))
    assert out.returncode == 0, out.stderr
    # The importer's own count line: 19 rows read, 9 imported (see tests/test_import_ucdp.py for each row).
    assert "read 19, imported 9, rejected 10" in out.stdout + out.stderr
    return root


def test_app_opens_an_imported_folder(monkeypatch, imported):
    at = run_app(monkeypatch, imported / "ucdp-fixture")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Attacks recorded"] == "9"
    at = run_app(monkeypatch, imported / "ucdp-fixture", PAGES["about"])
    assert not at.exception
    meta = next(visible(m.value) for m in at.markdown if "**Version:**" in m.value).splitlines()
    assert "- **Version:** 23.1" in meta
    assert any(line.startswith("- **Cite as:**") and "Sundberg" in line for line in meta)


def test_picker_appears_and_switches_dataset(monkeypatch, imported):
    at = run_app(monkeypatch, SMALL, env={"TRENDS_DATASETS_DIR": imported})
    picker = at.sidebar.selectbox(key="dataset")
    assert picker.options == ["Default (small/)", "ucdp-fixture"]
    assert {m.label: m.value for m in at.metric}["Notable attacks recorded"] == "8"
    picker.set_value("ucdp-fixture").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Attacks recorded"] == "9"
    assert at.sidebar.selectbox(key="dataset").value == "ucdp-fixture"
    # The picker is bound to the URL: a link naming the dataset opens on it.
    again = run_app(monkeypatch, SMALL, env={"TRENDS_DATASETS_DIR": imported}, dataset="ucdp-fixture")
    assert {m.label: m.value for m in again.metric}["Attacks recorded"] == "9"


def test_no_picker_without_dataset_folders(monkeypatch, tmp_path):
    at = run_app(monkeypatch, SMALL, env={"TRENDS_DATASETS_DIR": tmp_path})
    assert not at.exception
    assert not [s for s in at.sidebar.selectbox if s.key == "dataset"]


def test_unknown_dataset_in_the_url_gives_a_notice(monkeypatch, imported):
    at = run_app(monkeypatch, SMALL, env={"TRENDS_DATASETS_DIR": imported}, dataset="nope")
    assert not at.exception
    assert 'Ignored unknown dataset "nope".' in [visible(w.value) for w in at.warning]
