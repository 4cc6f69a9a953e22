"""Browser fixtures: the app served as `make run` serves it, on a free port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, SMALL

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
REQUIRED = os.environ.get("TRENDS_REQUIRE_BROWSER") == "1"


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    if REQUIRED:
        raise pytest.UsageError(f"browser tests are required here but {reason}")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The dashboard's server (components/serve.py, as `make run` starts it) over one dataset folder."""

    def __init__(self, folder: Path, extra_env: dict | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRENDS_")}
        env.update({"TRENDS_DATA_DIR": str(folder), "TRENDS_DATASETS_DIR": str(folder / "no-datasets")},
                   **(extra_env or {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "components.serve", "--server.port", str(self.port),
             "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the dashboard did not start")
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server():
    if _missing():
        pytest.skip(_missing())
    s = Server(DATA)
    yield s
    s.stop()


HOSTILE = {
    "script": "<script>alert('xss')</script>",
    "img": "<img src=x onerror=alert('xss')>",
}


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """SYNTHETIC fixture whose text fields hold markup that must stay text."""
    if _missing():
        pytest.skip(_missing())
    folder = tmp_path_factory.mktemp("hostile") / "ds"
    shutil.copytree(SMALL, folder)
    attacks = (folder / "attacks.csv").read_text()
    attacks = attacks.replace("Synthetic test row.", f'"SYNTHETIC {HOSTILE["script"]}"', 1)
    attacks = attacks.replace(",Nordburg,", f',"{HOSTILE["img"]}",', 1)
    (folder / "attacks.csv").write_text(attacks)
    meetings = (folder / "meetings.csv").read_text()
    meetings = meetings.replace("Synthetic talks two", HOSTILE["img"]).replace(
        "SYNTHETIC fixture meeting.", f'"SYNTHETIC {HOSTILE["script"]}"')
    (folder / "meetings.csv").write_text(meetings)
    s = Server(folder)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    pg = context.new_page()
    pg.console_errors, pg.not_found = [], []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    # The console's "Failed to load resource" line does not name the address; the response does.
    pg.on("response", lambda r: pg.not_found.append(urlparse(r.url).path) if r.status == 404 else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


# Settled: the script is idle, every plot is laid out, and the page has looked the same for three polls.
SETTLED = """() => {
    const idle = document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning';
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const charts = document.querySelectorAll('[data-testid=stPlotlyChart]').length;
    const key = document.querySelectorAll('[data-testid=stElementContainer]').length + ':' + plots.length;
    const drawn = document.querySelector('[data-testid=stMain] [data-testid=stHeading]') !== null;
    const ready = idle && drawn && plots.length === charts && plots.every(p => p._fullLayout);
    window.__settle = ready && window.__settle && window.__settle.key === key
        ? {key, n: window.__settle.n + 1} : {key, n: ready ? 1 : 0};
    return window.__settle.n >= 3;
}"""


def settle(page, timeout: float = 60_000, charts: int = 0) -> None:
    """Wait until the app's script has finished and what it drew has stopped changing.
    `charts`: how many laid-out plots the page must hold at least (chart code loads lazily)."""
    page.wait_for_timeout(200)
    if charts:
        page.wait_for_function("n => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p._fullLayout)"
                               ".length >= n", arg=charts, timeout=timeout)
    # Chart code loads on first use; until it has arrived a page can look idle with no plots in it.
    page.wait_for_load_state("networkidle", timeout=timeout)
    page.wait_for_function(SETTLED, timeout=timeout, polling=200)


# Plots each page draws on the bundled data.
CHARTS = {"": 3, "talks": 2, "events": 0, "about": 0, "sources": 1}


def open_page(page, url: str, charts: int | None = None) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid=stSidebar]", state="attached", timeout=60_000)
    path = urlparse(url).path.strip("/")
    settle(page, charts=CHARTS.get(path, 0) if charts is None else charts)


def metrics(page) -> dict[str, str]:
    out = {}
    for m in page.get_by_test_id("stMetric").all():
        label = m.get_by_test_id("stMetricLabel").inner_text().strip()
        out[label] = m.get_by_test_id("stMetricValue").inner_text().strip()
    return out
