"""`make run`'s launcher: it imports the pages, survives a broken dataset, and runs app.py with the given flags."""

from __future__ import annotations

import sys

from components import serve
from tests.conftest import ROOT


def test_warm_up_survives_a_folder_that_cannot_load(tmp_path, monkeypatch):
    (tmp_path / "attacks.csv").write_bytes(b"\xff\xfe\x00not,a,dataset")
    monkeypatch.setenv("TRENDS_DATA_DIR", str(tmp_path))
    serve.warm()
    assert "components.overview" in sys.modules and "trends.dataset.loading" in sys.modules


def test_runs_app_py_with_the_flags_it_was_given(monkeypatch):
    seen = {}
    monkeypatch.setattr(serve, "warm", lambda: seen.setdefault("warmed", True))
    monkeypatch.setattr("streamlit.web.cli.main", lambda: seen.setdefault("argv", list(sys.argv)) and 0)
    monkeypatch.setattr(sys, "argv", ["serve"])
    assert serve.main(["--server.port", "8599"]) == 0
    assert seen["warmed"] and seen["argv"] == ["streamlit", "run", str(ROOT / "app.py"), "--server.port", "8599"]
