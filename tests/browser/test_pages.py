"""End-to-end: the dashboard served by `streamlit run`, read and driven in Chromium as a reader would."""

from __future__ import annotations

import csv
import html
import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import ARTIFACTS, AXE, HOSTILE, REQUIRED, metrics, open_page, settle
from tests.conftest import DATA

PAGES = {"overview": "/", "talks": "/talks", "events": "/events", "about": "/about", "sources": "/sources"}
# Streamlit's front end probes these under a page's path before the root; they answer 404 by design.
KNOWN_PROBES = ("/_stcore/health", "/_stcore/host-config")


def bundled_rows(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def count_attacks(start: str, end: str, province: str | None = None) -> int:
    """Counted straight from the CSV text, independently of the app's code."""
    return sum(1 for r in bundled_rows("attacks.csv")
               if start <= r["date"] <= end and (province is None or r["province"] == province))


def plots(page) -> list[dict]:
    # Streamlit wraps titles in <b>; the text is what matters here.
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(g => ({
        title: ((g.layout.title || {}).text || '').replace(/<[^>]+>/g, ''),
        traces: g.data.map(t => ({type: t.type, name: t.name || '', n: (t.x || t.lon || []).length}))}))""")


def test_overview_draws_its_charts_with_the_data(server, page):
    open_page(page, server.url)
    drawn = plots(page)
    titles = [p["title"] for p in drawn]
    assert len(drawn) == 3, titles  # the reported series, the notable attacks' trend, and the map
    assert titles[0].startswith("Conflict deaths (all parties) reported by UCDP"), titles
    trend = next((p for p in drawn if p["title"].startswith("Notable attacks per month")), titles)
    bars = [t for t in trend["traces"] if t["type"] == "bar"]
    lane = [t for t in trend["traces"] if t["name"] == "Talks and milestones"]
    # The default view runs from the first attack to the last day any file reaches (here a meeting's last day).
    meetings = bundled_rows("meetings.csv")
    first = min(r["date"] for r in bundled_rows("attacks.csv"))
    last = max([r["end_date"] or r["date"] for r in meetings] + [r["date"] for r in bundled_rows("attacks.csv")])
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    assert bars[0]["n"] == months
    assert lane[0]["n"] == len(bundled_rows("meetings.csv"))
    assert any("by province" in t for t in titles)
    open_page(page, server.url + "/?section=Breakdowns", charts=5)
    assert any(p["title"].startswith("By province") for p in plots(page))
    assert metrics(page)["Notable attacks recorded"] == f"{len(bundled_rows('attacks.csv')):,}"


def choose_period(page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has=page.get_by_text("Period", exact=True)).click()
    page.get_by_role("option", name=label, exact=True).click()
    settle(page)


def test_changing_the_date_range_changes_kpis_and_url(server, page):
    open_page(page, server.url)
    choose_period(page, "2018")
    assert metrics(page)["Notable attacks recorded"] == f"{count_attacks('2018-01-01', '2018-12-31'):,}"
    query = parse_qs(urlparse(page.url).query)
    assert query["start"] == ["2018-01-01"] and query["end"] == ["2018-12-31"]


def test_a_shared_url_restores_its_view(server, page):
    open_page(page, f"{server.url}/?start=2018-08-01&end=2018-09-30&province=Kabul&freq=week")
    assert metrics(page)["Notable attacks recorded"] == str(count_attacks("2018-08-01", "2018-09-30", "Kabul"))
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stMultiSelect").filter(has_text="Province").get_by_text("Kabul").count() == 1
    assert sidebar.get_by_test_id("stDateInput").locator("input").first.input_value() == "2018-08-01"
    assert any(p["title"].startswith("Notable attacks per week") for p in plots(page))


def test_hovering_a_meeting_shows_its_title(server, page):
    open_page(page, f"{server.url}/?start=2018-11-01&end=2018-11-30")
    box = page.evaluate("""() => {
        const g = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.data.some(t => t.name ===
            'Talks and milestones') && (p.layout.title.text || '').includes('Notable attacks per'));
        g.scrollIntoView();
        const i = g.data.findIndex(t => t.name === 'Talks and milestones');
        // Plotly draws one .trace group per scatter trace, in trace order: take the lane's own group.
        const k = g._fullData.filter(t => t.type === 'scatter').findIndex(t => t.name === 'Talks and milestones');
        const pt = g.querySelectorAll('.scatterlayer .trace')[k].querySelector('.points path');
        const r = pt.getBoundingClientRect();
        return {x: r.x + r.width / 2, y: r.y + r.height / 2, title: g.data[i].customdata[0][0]};
    }""")
    page.mouse.move(box["x"], box["y"])
    page.wait_for_selector(".hoverlayer .hovertext", timeout=30_000)
    # The label was escaped for plotly, which shows it as plain text again.
    assert html.unescape(box["title"]) in page.locator(".hoverlayer .hovertext").first.text_content()


def test_events_table_links_each_row_to_its_report(server, page):
    open_page(page, f"{server.url}/events?start=2018-08-01&end=2018-09-30")
    rows = sorted((r for r in bundled_rows("attacks.csv") if "2018-08-01" <= r["date"] <= "2018-09-30"),
                  key=lambda r: (r["date"], r["event_id"]))
    table = page.get_by_test_id("stDataFrame").first
    heads = table.locator("th").all_inner_texts()
    at = heads.index("Report link")
    # At 1400 pixels the tolls and the report's link are on screen, before the long text columns.
    assert heads[:at + 1] == ["Date", "Killed", "Wounded", "Toll", "Province", "Location", "Report link"]
    # The grid's accessible table holds each cell of its canvas: the link column carries each row's report, or
    # the page it was read at where the report's own address was not confirmed.
    for i, row in enumerate(rows[:5]):
        assert table.get_by_test_id(f"glide-cell-{at}-{i}").inner_text() == (row["report_url"] or row["source_url"])


def test_csv_download_matches_the_view(server, page):
    open_page(page, f"{server.url}/events?start=2018-08-01&end=2018-09-30&province=Kabul")
    # The file is made on the click; a click that lands while a rerun redraws the button is lost, so on a busy
    # machine the click is tried again once the page has settled, rather than failing on the machine's speed.
    for attempt in range(3):
        settle(page)
        try:
            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name="Download these events (CSV)").click()
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    text = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = sorted(r["event_id"] for r in bundled_rows("attacks.csv")
                      if "2018-08-01" <= r["date"] <= "2018-09-30" and r["province"] == "Kabul")
    assert sorted(r["event_id"] for r in rows) == expected
    assert download.value.suggested_filename == "attacks-2018-08-01_2018-09-30-kabul.csv"  # the view in its name


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_healthy_and_offline(server, page, name):
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", "localhost")
            and not r.url.startswith(("data:", "blob:")) else None)
    # Anything not served by the app is refused, as on a closed network.
    page.context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname in (
        "127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")) else route.abort())
    open_page(page, server.url + PAGES[name])
    assert foreign == []
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    # Every 404 is one of the front end's known probes, and those are the only console errors.
    assert all(path.endswith(KNOWN_PROBES) for path in page.not_found), page.not_found
    failed = "the server responded with a status of 404"
    assert [e for e in page.console_errors if failed not in e] == []
    assert sum(failed in e for e in page.console_errors) <= len(page.not_found)
    assert page.get_by_test_id("stHeading").count() >= 1
    if name in ("overview", "talks"):
        assert len(plots(page)) >= 2


def test_text_from_data_stays_text(hostile_server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/?start=2018-07-01&end=2018-09-30", "/events?start=2018-07-01&end=2018-09-30"):
        open_page(page, hostile_server.url + path)
        injected = page.evaluate("""() => document.querySelectorAll('img[src=x]').length +
            [...document.scripts].filter(s => s.text.includes("alert('xss')")).length""")
        assert injected == 0
    open_page(page, hostile_server.url + "/?start=2018-07-01&end=2018-09-30")
    lane = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g => g.data)
        .find(t => t.name === 'Talks and milestones').customdata.map(c => c[0])""")
    assert "&lt;img src=x onerror=alert(&#x27;xss&#x27;)&gt;" in lane
    page.get_by_test_id("stCheckbox").or_(page.get_by_test_id("stToggle")).filter(has_text="Brief").first.click()
    settle(page)
    brief = page.get_by_test_id("stCode").inner_text()
    # The meeting renamed to markup is listed by its title, verbatim, beside an untouched one.
    assert HOSTILE["img"] in brief and "Synthetic talks one" in brief and "Synthetic talks two" not in brief
    assert dialogs == []


def test_accessibility_has_no_serious_violations(server, page):
    if not AXE.is_file():
        if REQUIRED:
            pytest.fail(f"{AXE} is missing; run make test (it installs axe-core with npm)")
        pytest.skip("axe-core is not installed (npm missing)")
    found = {}
    for name, path in PAGES.items():
        open_page(page, server.url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".filter(v => ['serious', 'critical'].includes(v.impact))"
                               ".map(v => ({id: v.id, impact: v.impact, n: v.nodes.length, "
                               "where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
        if result:
            found[name] = result
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(found, indent=2))
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("width, label", [(1400, "desktop"), (390, "phone")])
def test_screenshots(server, browser, width, label):
    # Streamlit scrolls inside the page, so a tall viewport stands in for a full-page shot.
    context = browser.new_context(viewport={"width": width, "height": 3200 if width > 800 else 6000})
    page = context.new_page()
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    for name, path in PAGES.items():
        open_page(page, server.url + path + "?start=2018-01-01&end=2018-12-31")
        out = ARTIFACTS / "screenshots" / f"{name}-{label}.png"
        page.screenshot(path=str(out))
        assert out.stat().st_size > 10_000
    context.close()


CLICK_PROVINCE = """name => {
    const g = [...document.querySelectorAll('.js-plotly-plot')].find(p => p.data.some(t => t.name === 'Provinces'));
    g.scrollIntoView();
    const k = g._fullData.filter(t => t.type === 'scatter').findIndex(t => t.name === 'Provinces');
    const i = g.data.find(t => t.name === 'Provinces').customdata.indexOf(name);
    const r = g.querySelectorAll('.scatterlayer .trace')[k].querySelectorAll('.points path')[i].getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y + r.height / 2, shapes: g.data.filter(t => t.fill === 'toself').length};
}"""


def test_clicking_a_province_filters_by_it_and_a_second_click_clears_it(server, page):
    open_page(page, f"{server.url}/?start=2018-01-01&end=2018-12-31")
    spot = page.evaluate(CLICK_PROVINCE, "Kandahar")
    assert spot["shapes"] == 34
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("() => location.search.includes('province=Kandahar')", timeout=30_000)
    settle(page)
    assert metrics(page)["Notable attacks recorded"] == str(count_attacks("2018-01-01", "2018-12-31", "Kandahar"))
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stMultiSelect").filter(has_text="Province").get_by_text("Kandahar").count() == 1
    spot = page.evaluate(CLICK_PROVINCE, "Kandahar")
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("() => !location.search.includes('province=')", timeout=30_000)
    settle(page)
    assert metrics(page)["Notable attacks recorded"] == str(count_attacks("2018-01-01", "2018-12-31"))


def test_events_table_sorts_killed_as_numbers(server, page):
    from components.events import TABLE_COLUMNS, WIDTHS

    open_page(page, f"{server.url}/events?start=2018-01-01&end=2018-12-31")
    table = page.get_by_test_id("stDataFrame").first
    grid = table.locator("canvas").first.bounding_box()
    # The grid is a canvas: its heading row is clicked where the fixed widths put the Killed column.
    at = TABLE_COLUMNS.index("killed")
    x = grid["x"] + sum(WIDTHS[c] for c in TABLE_COLUMNS[:at]) + WIDTHS["killed"] / 2
    page.mouse.click(x, grid["y"] + 17)
    page.wait_for_timeout(800)
    shown = [table.get_by_test_id(f"glide-cell-{at}-{i}").inner_text() for i in range(12)]
    year = [r for r in bundled_rows("attacks.csv") if "2018-01-01" <= r["date"] <= "2018-12-31"]
    blank = sum(1 for r in year if not r["killed"])
    tolls = sorted(int(r["killed"]) for r in year if r["killed"])
    # Blanks (no reported toll) first, then ascending as numbers (3 before 10), counted from the CSV text;
    # sorted as text, "10" would come before "3".
    assert shown[:blank] == [""] * blank
    assert [int(v.replace(",", "")) for v in shown[blank:]] == tolls[:12 - blank]
