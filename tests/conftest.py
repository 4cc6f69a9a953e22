"""Shared fixtures: the small synthetic dataset and helpers to break copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trends.loading import load_dataset

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "small"
DATA = ROOT / "data"
APP = str(ROOT / "app.py")
PAGES = {"overview": None, "talks": "components/talks.py", "events": "components/events.py",
         "about": "components/about.py", "sources": "components/sources.py"}


@pytest.fixture(scope="session")
def small():
    return load_dataset(SMALL)


@pytest.fixture(scope="session")
def bundled():
    return load_dataset(DATA)


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(SMALL, folder)
    return folder


def run_app(monkeypatch, folder: Path = SMALL, page: str | None = None, env: dict | None = None, **params):
    """The app under AppTest on `folder`, opened on `page` with URL parameters (a list value repeats the key)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRENDS_DATA_DIR", str(folder))
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m trends` in this process; returns exit code, stdout, stderr."""
    import contextlib
    import io

    from trends.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def attacks_of(folder: Path):
    """An output folder's attacks.csv as text cells, indexed by event_id."""
    import pandas as pd

    return pd.read_csv(folder / "attacks.csv", dtype=str, keep_default_na=False).set_index("event_id")
