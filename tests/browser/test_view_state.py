"""One view for the whole app: a filtered link holds across every page, back and forward, and reproduces itself."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import metrics, open_page, settle
from tests.browser.test_pages import bundled_rows

VIEW = {"start": ["2020-02-29"], "end": ["2021-08-15"], "province": ["Kabul"], "perpetrator": ["Taliban"],
        "freq": ["quarter"]}
NAV = ["Talks", "Events", "Sources", "About the data", "Overview"]


def query(page) -> dict:
    return parse_qs(page.evaluate("location.search").lstrip("?"))


def filtered_count() -> int:
    """Kabul attacks by the Taliban in the range, counted from the CSV text, apart from the app's code."""
    return sum(1 for r in bundled_rows("attacks.csv") if "2020-02-29" <= r["date"] <= "2021-08-15"
               and r["province"] == "Kabul" and r["perpetrator"] == "Taliban")


def sidebar_view(page) -> dict:
    side = page.get_by_test_id("stSidebar")
    # A chosen value is a tag named by its aria-label (the widget draws each tag twice, once to measure it).
    chips = {label: sorted(set(side.get_by_test_id("stMultiSelect").filter(has_text=label).locator("[data-tag]")
                               .evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")))
             for label in ("Province", "Perpetrator")}
    dates = side.get_by_test_id("stDateInput").locator("input").evaluate_all("els => els.map(e => e.value)")
    return {"dates": dates, **chips}


def go(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
    page.wait_for_function("n => document.querySelector('[data-testid=stMain] h1')?.innerText.length > 0", arg=1)
    settle(page)


def reopened(browser, url: str) -> tuple[str, dict]:
    """The page's text and its URL's parameters when the link is opened in a new browser context (no session)."""
    fresh = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        other = fresh.new_page()
        open_page(other, url, charts=1)
        return other.get_by_test_id("stMain").inner_text(), query(other)
    finally:
        fresh.close()


def test_a_filtered_view_holds_on_every_page_and_in_the_history(server, page):
    url = server.url + "/?start=2020-02-29&end=2021-08-15&province=Kabul&perpetrator=Taliban&freq=quarter"
    open_page(page, url, charts=1)
    first = metrics(page)
    assert first["Notable attacks recorded"] == str(filtered_count())
    expected_sidebar = {"dates": ["2020-02-29", "2021-08-15"], "Province": ["Kabul"], "Perpetrator": ["Taliban"]}
    assert sidebar_view(page) == expected_sidebar
    paths = []
    for name in NAV:
        go(page, name)
        paths.append(page.evaluate("location.pathname"))
        assert query(page) == VIEW, name
        assert sidebar_view(page) == expected_sidebar, name
        if name == "Events":
            heading = page.get_by_test_id("stMain").get_by_role("heading", level=3).first.inner_text()
            assert heading.startswith(f"{filtered_count():,} attack"), heading
    assert paths == ["/talks", "/events", "/sources", "/about", "/"]
    assert metrics(page) == first
    for move in (page.go_back, page.go_back, page.go_forward, page.reload):
        move()
        settle(page)
        assert query(page) == VIEW and sidebar_view(page) == expected_sidebar
    assert page.evaluate("location.pathname") == "/about"


def test_a_link_reproduces_every_control_it_holds(server, browser, page):
    open_page(page, server.url + "/?start=2018-01-01&end=2019-12-31", charts=1)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").filter(has_text="Reported series").click()
    page.get_by_role("option", name="Civilian casualties reported by UNAMA, first half of each year",
                     exact=True).click()
    settle(page)
    main.get_by_test_id("stRadio").filter(has_text="Split by").get_by_text("Perpetrator", exact=True).click()
    settle(page)
    main.get_by_test_id("stRadio").filter(has_text="Measure").first.get_by_text("Killed (reported)").click()
    settle(page)
    main.get_by_test_id("stButtonGroup").get_by_text("Breakdowns", exact=True).click()
    settle(page)
    held = query(page)
    assert {"split", "measure", "section", "series"} <= set(held), held
    assert reopened(browser, page.url) == (main.inner_text(), held)


def test_the_talks_controls_live_in_the_link(server, browser, page):
    open_page(page, server.url + "/talks?start=2018-01-01&end=2021-08-31", charts=1)
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stRadio").filter(has_text="Window (days)").get_by_text("7", exact=True).click()
    settle(page)
    main.get_by_test_id("stCheckbox").filter(has_text="Leave out meetings").click()
    settle(page)
    held = query(page)
    assert {"days", "apart"} <= set(held), held
    assert reopened(browser, page.url) == (main.inner_text(), held)


def test_overview_answers_at_its_own_address(server, page):
    open_page(page, server.url + "/overview?start=2018-08-01&end=2018-09-30", charts=1)
    body = page.get_by_test_id("stApp").inner_text()
    assert "Page not found" not in body
    assert page.get_by_test_id("stMain").get_by_role("heading", level=1).inner_text() == \
        "Violence and the peace process"
