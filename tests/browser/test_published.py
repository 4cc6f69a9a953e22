"""Published pages in Chromium from file://, with the network cut off: every chart drawn, nothing requested."""

from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import DATA, SMALL, run_cli
from tests.hostile import FOREIGN_HOSTS, write_hostile_dataset
from tests.published import charts, parse
from trends.engines.open import engine_of

DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(p => p.querySelector('.main-svg') && p._fullLayout).length"""
CHARTS_ON_THE_PAGE = 9  # reported series, comparison, trend, map, three breakdowns, casualties, alerts


def publish(out, *args: str) -> str:
    code, _, stderr = run_cli("publish", *args, "--out", str(out), "--base-url", "https://dashboard.example.org/")
    assert code == 0, stderr
    return (out / "index.html").read_text(encoding="utf-8")


def offline_page(browser, width: int = 1300):
    """A page whose every request but a file:// one is recorded and refused, in a context with no network."""
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)

    def refuse(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", refuse)
    return context, page


def open_offline(page, path, charts_expected: int) -> None:
    page.goto(path.as_uri())
    page.wait_for_function(f"() => ({DRAWN})() >= {charts_expected}", timeout=60_000)
    page.wait_for_timeout(500)  # anything a drawn chart would fetch late has had its chance


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "site"
    page = publish(out, "--data", str(DATA), "--start", "2018-08-01", "--end", "2018-09-30")
    return out, page


@pytest.mark.parametrize("width, label", [(1300, "desktop"), (390, "phone")])
def test_published_page_draws_every_chart_offline(browser, published, width, label):
    out, html = published
    expected = len(charts(parse(html)))
    assert expected == CHARTS_ON_THE_PAGE
    context, page = offline_page(browser, width)
    try:
        open_offline(page, out / "index.html", expected)
        assert page.evaluate(DRAWN) == expected
        assert page.evaluate("document.querySelectorAll('.chart').length") == expected
        assert [u for u in page.requests if not u.startswith("file://")] == []
        assert sorted({u.rsplit("/", 1)[-1] for u in page.requests}) == ["index.html", "plotly.min.js"]
        assert page.errors == []
        # Every chart has room: none is wider than the page, whatever the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator(".nojs").first.is_hidden()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screenshots" / f"published-{label}.png"), full_page=True)
    finally:
        context.close()


def test_page_without_plotly_beside_says_so(browser, published, tmp_path):
    out, _ = published
    shutil.copy(out / "index.html", tmp_path / "index.html")
    context, page = offline_page(browser)
    try:
        page.goto((tmp_path / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(DRAWN) == 0
        assert page.locator(".nojs").first.is_visible()
        assert [u for u in page.requests if not u.startswith("file://")] == []
    finally:
        context.close()


def test_single_chart_html_draws_offline_on_its_own(browser, tmp_path):
    from trends.filters import FilterSpec
    from trends.dataset.loading import load_dataset
    from trends.publish.page import chart_html
    from trends.pages.view_charts import build_view

    dataset = load_dataset(DATA)
    view = build_view(dataset, FilterSpec.from_params({"start": "2018-08-01", "end": "2018-09-30"},
                                                      engine_of(dataset).domain(dataset.provinces)))
    chart = view.chart("map")
    path = tmp_path / "map.html"  # alone in its folder: plotly.js must be inside it
    path.write_text(chart_html(chart.figure, chart.title, chart.source, "https://dashboard.example.org/?a=1"))
    context, page = offline_page(browser, 700)
    try:
        open_offline(page, path, 1)
        assert page.evaluate(DRAWN) == 1
        assert page.requests == [path.as_uri()]
        assert page.errors == []
        assert page.get_by_text(chart.source).count() == 1
    finally:
        context.close()


def test_hostile_published_page_makes_no_link_image_or_request(browser, tmp_path):
    folder = write_hostile_dataset(SMALL, tmp_path / "ds")
    html = publish(tmp_path / "site", "--data", str(folder))
    expected = len(charts(parse(html)))
    context, page = offline_page(browser)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        open_offline(page, tmp_path / "site" / "index.html", expected)
        assert page.evaluate(DRAWN) == expected
        # In the drawn page too, Plotly's labels included: no element points at a foreign host.
        pointing = page.evaluate("""() => [...document.querySelectorAll('a, img, image, script, iframe, link')]
            .map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')""")
        assert [u for u in pointing if any(h in u for h in FOREIGN_HOSTS)] == []
        assert [u for u in page.requests if not u.startswith("file://")] == []
        assert dialogs == [] and page.errors == []
    finally:
        context.close()


def test_overview_chart_downloads_as_html_that_draws_offline(server, page, browser, tmp_path):
    """The Overview's trend chart, taken out as HTML from its button, draws on its own from file:// with the
    network cut off, titled as on the page and linking back to the view it came from."""
    from tests.browser.conftest import open_page

    open_page(page, f"{server.url}/?start=2018-08-01&end=2018-09-30")
    folds = page.get_by_text("Chart as text, or as HTML to embed")
    assert folds.count() == 3  # the reported series, the trend and the map (the default lower section)
    folds.nth(1).click()  # the trend's
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="HTML to embed").click()
    assert download.value.suggested_filename == "trend.html"
    saved = tmp_path / "trend.html"
    download.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert "Notable attacks per month, 1 August 2018 to 30 September 2018" in html
    assert "start=2018-08-01&amp;end=2018-09-30" in html  # the link back to the live view
    context, offline = offline_page(browser)
    open_offline(offline, saved, 1)
    assert offline.evaluate(DRAWN) == 1
    assert offline.requests == [saved.as_uri()] and offline.errors == []
    context.close()
