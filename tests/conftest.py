"""Shared fixtures: the small synthetic dataset and helpers to break copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trends.dataset.loading import load_dataset

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


def open_app(monkeypatch, folder: Path | None = SMALL, page: str | None = None, env: dict | None = None, **params):
    """The app under AppTest, not yet run: on `folder` (None: the default data/), opened on `page`, with URL
    parameters (a list value repeats the key)."""
    from streamlit.testing.v1 import AppTest

    if folder is None:
        monkeypatch.delenv("TRENDS_DATA_DIR", raising=False)
    else:
        monkeypatch.setenv("TRENDS_DATA_DIR", str(folder))
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, str(value))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at


def run_app(monkeypatch, folder: Path | None = SMALL, page: str | None = None, env: dict | None = None, **params):
    """open_app(...), run once."""
    return open_app(monkeypatch, folder, page, env, **params).run()


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `python -m trends` in this process; returns exit code, stdout, stderr."""
    import contextlib
    import io

    from trends.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def cli_process(*args: str, env: dict | None = None, text: bool = True):
    """Run `python -m trends` as its own process, as a shell would: for exit codes and exact output bytes."""
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "trends", *args], cwd=ROOT, capture_output=True, text=text,
                          env=None if env is None else {**os.environ, **env})


def attacks_of(folder: Path):
    """An output folder's attacks.csv as text cells, indexed by event_id."""
    import pandas as pd

    return pd.read_csv(folder / "attacks.csv", dtype=str, keep_default_na=False).set_index("event_id")


# What a test drives, read from its code and the code of its module's fixtures, as a marker: `browser` (Chromium,
# under tests/browser/), `fuzz` (hypothesis), `app` (Streamlit's AppTest), `cli` (the command line, in this process
# or another, or a server process) and `unit` (functions of trends/ called directly). `pytest -m unit` is the fast
# part.
_DRIVES = (("app", ("run_app(", "open_app(", "AppTest")),
           ("cli", ("run_cli(", "cli_process(", "subprocess", "Popen(", "tiny_server", "_lint(", "cycles(")))


def _kind(item) -> str:
    import inspect

    if "browser" in Path(str(item.fspath)).parts:
        return "browser"
    if hasattr(getattr(item, "function", None), "hypothesis"):
        return "fuzz"  # hundreds of generated inputs: thorough, and the slowest of the in-process tests
    sources = []
    for fn in [getattr(item, "function", None)] + [getattr(item.module, name, None) for name in item.fixturenames]:
        fn = getattr(fn, "__wrapped__", fn)
        try:
            sources.append(inspect.getsource(fn))
        except (TypeError, OSError):
            continue
    code = "\n".join(sources)
    return next((kind for kind, calls in _DRIVES if any(c in code for c in calls)), "unit")


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(_kind(item))
