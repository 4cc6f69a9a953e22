"""A shared link or a hostile file cannot put a link or an image on the page, nor make the reader's browser call out."""

from __future__ import annotations

import shutil
from urllib.parse import urlencode, urlparse

import pytest

from tests.browser.conftest import Server, _missing, open_page
from tests.conftest import SMALL
from tests.hostile import FOREIGN_HOSTS, OVERVIEW_PARAMS, URL_PARAMS, hostile_params, write_hostile_dataset

PAGES = ("/", "/talks", "/events", "/about", "/sources")

# Every attribute that can make the browser load or link to something, naming a foreign host.
FOREIGN_ELEMENTS = """hosts => [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
    .filter(a => ['href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data', 'style', 'xlink:href']
        .includes(a.name) && hosts.some(h => a.value.includes(h)))
    .map(a => el.tagName.toLowerCase() + '[' + a.name + '=' + a.value.slice(0, 80) + ']'))"""


@pytest.fixture(scope="module")
def hostile_url_server(tmp_path_factory):
    """SYNTHETIC data with a second dataset folder, so the `dataset` parameter is read too."""
    if _missing():
        pytest.skip(_missing())
    root = tmp_path_factory.mktemp("urls")
    shutil.copytree(SMALL, root / "ds")
    (root / "sets").mkdir()
    shutil.copytree(SMALL, root / "sets" / "other")
    s = Server(root / "ds", extra_env={"TRENDS_DATASETS_DIR": str(root / "sets")})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def hostile_data_server(tmp_path_factory):
    if _missing():
        pytest.skip(_missing())
    folder = write_hostile_dataset(SMALL, tmp_path_factory.mktemp("data") / "ds")
    s = Server(folder)
    yield s
    s.stop()


def _watch(page) -> list[str]:
    """Record every request off the app's host, and refuse it as a closed network would."""
    foreign: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            return r.continue_()
        foreign.append(r.request.url)
        return r.abort()
    page.context.route("**/*", route)
    return foreign


@pytest.mark.parametrize("path", PAGES)
def test_hostile_url_values_stay_text_on_every_page(hostile_url_server, page, path):
    foreign = _watch(page)
    open_page(page, hostile_url_server.url + path + "?" + urlencode(hostile_params()), charts=0)
    assert page.evaluate(FOREIGN_ELEMENTS, list(FOREIGN_HOSTS)) == []
    assert foreign == []
    body = page.locator("[data-testid=stMain]").inner_text().replace("\u2060", "")
    if path != "/about":  # the pages with filters say, in words, which values they dropped
        for key in URL_PARAMS:
            if key != "end" and (path == "/" or key not in OVERVIEW_PARAMS):
                assert f"Ignored {key}" in body or f"Ignored unknown {key}" in body, key
        # The reader sees the value as typed, quoted and shortened, not rendered.
        assert '"![x](http://tracker.example/p.png) [Read the full report](ht…"' in body
    assert page.get_by_test_id("stException").count() == 0


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_in_data_files_stays_text(hostile_data_server, page, path):
    foreign = _watch(page)
    open_page(page, hostile_data_server.url + path + "?start=2018-01-01&end=2018-12-31", charts=0)
    assert page.evaluate(FOREIGN_ELEMENTS, list(FOREIGN_HOSTS)) == []
    assert foreign == []
    assert page.get_by_test_id("stException").count() == 0
    if path == "/about":
        # The title and caveats are shown as the literal text of the file.
        assert "![x](http://tracker.example/p.png)" in page.locator("[data-testid=stMain]").inner_text().replace(
            "\u2060", "")
