"""python -m trends publish and chart_html: a view's numbers and charts as a static page, offline and inert."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from tests.conftest import DATA, SMALL, run_cli
from tests.hostile import FOREIGN_HOSTS, HOSTILE_URL_VALUES, write_hostile_dataset
from tests.published import addresses, captions, charts, parse
from trends.filters import FilterSpec

PACKAGE_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
START, END = "2018-08-01", "2018-09-30"
PREVIOUS = ("2018-06-01", "2018-07-31")  # the 61 days before the view
BASE = "https://dashboard.example.org/trends/"
HOSTILE_TEXT = " ".join(HOSTILE_URL_VALUES.values())


def attacks_between(first: str, last: str) -> pd.DataFrame:
    rows = pd.read_csv(DATA / "attacks.csv", dtype={"date": str})
    return rows[(rows["date"] >= first) & (rows["date"] <= last)]


def change(now: int, before: int) -> str:
    return f"{now - before:+,} ({100 * (now - before) / before:+.0f}%) vs previous period"


def values(trace_axis) -> np.ndarray:
    """A trace's numbers as plotly.js reads them: a list, or a typed array sent as base64."""
    if isinstance(trace_axis, dict):
        return np.frombuffer(base64.b64decode(trace_axis["bdata"]), dtype=np.dtype(trace_axis["dtype"]))
    return np.asarray(trace_axis)


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "aug-sep-2018"
    code, stdout, stderr = run_cli("publish", "--data", str(DATA), "--start", START, "--end", END,
                                   "--out", str(out), "--base-url", BASE)
    assert code == 0, stderr
    assert str(out / "index.html") in stdout
    return out, (out / "index.html").read_text(encoding="utf-8")


def test_kpis_are_the_views_counts(bundled_page):
    _, page = bundled_page
    root = parse(page)
    now, before = attacks_between(START, END), attacks_between(*PREVIOUS)
    cards = {c.all("div", "label")[0].text(): c for c in root.all("div", "card")}
    expected = {"Notable attacks recorded": (len(now), len(before)),
                "Killed (reported)": (int(now["killed"].sum()), int(before["killed"].sum())),
                "Wounded (reported)": (int(now["wounded"].sum()), int(before["wounded"].sum()))}
    # The view the test was written for, counted off attacks.csv by hand: Aug-Sep 2018 holds Gardez, Ghazni,
    # Chinese Camp, Baghlan, Mawoud, the wrestling club and Mohmand Dara; Jun-Jul 2018 the Ulema Council, Rodat,
    # the Sikh bombing and the Jalalabad education department.
    assert expected["Notable attacks recorded"] == (7, 4)
    for label, (n, b) in expected.items():
        assert cards[label].all("div", "value")[0].text() == f"{n:,}"
        assert cards[label].all("div", "change")[0].text() == change(n, b)
        assert cards[label].all("div", "detail")[0].text() == (
            f"Previous period of equal length: 1 June 2018 to 31 July 2018 ({b:,}).")
    note = f"{int(now['killed'].isna().sum()):,} of {len(now):,} attacks have no reported death toll"
    assert note in root.text()


def test_every_chart_has_its_title_and_source_line_as_text(bundled_page):
    _, page = bundled_page
    root = parse(page)
    package = json.loads((DATA / "datapackage.json").read_text())
    attacks = (f"Source: {package['title']} (v{package['version']}), attacks.csv, each row linked to its report. "
               "Notable events, not a complete record.")
    # The default series spans the most years: UCDP's deaths per year, 2008-2024, from one dataset file.
    casualties = pd.read_csv(DATA / "casualties.csv")
    ucdp = casualties[casualties["reporter"] == "UCDP"]
    span = "1 August 2018 to 30 September 2018"
    expected = [
        (f"Conflict deaths (all parties) reported by UCDP, per year, {span}",
         f"Source: UCDP, {len(ucdp)} published periods from {ucdp['source'].nunique()} report (each listed "
         f"with its link below). Marks: notable attacks from {package['title']}, sized by reported deaths. "
         "Diamonds: talks and milestones."),
        (f"Attacks from {span}, compared", attacks),
        (f"Notable attacks per month, {span}", attacks + " Diamonds: talks and milestones."),
        (f"Attacks by province, {span}", attacks),
        (f"By province, {span}", f"Source: {package['title']}."),
        (f"By perpetrator, {span}", f"Source: {package['title']}."),
        (f"By tactic, {span}", f"Source: {package['title']}."),
        (f"Civilians: casualties reported by UNAMA, {span}",
         "Source: UNAMA, as first published; each period's report is linked in the table below."),
        ("Recent events against the count expected, 28 days to 30 September 2018",
         f"Source: {package['title']}; one-sided Poisson test with Benjamini-Hochberg correction."),
    ]
    assert captions(root) == expected
    drawn = charts(root)
    assert len(drawn) == len(expected)
    # The figure's own title (kept inside it for the PNG download) is the same headline.
    for fig, (title, _) in zip(drawn, expected):
        assert fig["layout"]["title"]["text"].replace("<br>", " ") == title.partition(", ")[0]
        assert fig["config"]["displaylogo"] is False and fig["config"]["typesetMath"] is False


def test_charts_carry_the_views_data(bundled_page):
    _, page = bundled_page
    drawn = {c["layout"]["title"]["text"].replace("<br>", " "): c for c in charts(parse(page))}
    now = attacks_between(START, END)
    bars = [t for t in drawn["Notable attacks per month"]["data"] if t["type"] == "bar"]
    assert [int(v) for v in values(bars[0]["y"])] == [
        int(((now["date"] >= f"2018-{m:02d}-01") & (now["date"] < f"2018-{m + 1:02d}-01")).sum()) for m in (8, 9)]
    by_province = drawn["By province"]["data"][0]
    counted = now["province"].value_counts()
    assert dict(zip(by_province["y"], values(by_province["x"]).astype(int))) == {p: int(n) for p, n in counted.items()}
    meetings = pd.read_csv(DATA / "meetings.csv", dtype={"date": str, "end_date": str})
    meeting_days = meetings[(meetings["date"] <= END) & (meetings["end_date"].fillna(meetings["date"]) >= START)]
    lane = next(t for t in drawn["Notable attacks per month"]["data"] if t.get("name") == "Talks and milestones")
    assert len(lane["x"]) == len(meeting_days) >= 1


def test_brief_is_text_with_the_views_facts(bundled_page):
    _, page = bundled_page
    root = parse(page)
    brief = root.all("div", "brief")[0]
    now = attacks_between(START, END)
    deadliest = now.sort_values("killed", ascending=False).iloc[0]
    text = brief.text()
    assert f"the dataset records {len(now)} attacks" in text
    assert f"{deadliest['location']}, {deadliest['province']}: {int(deadliest['killed']):,} killed" in text
    # Its sources are links to the reports of the view's attacks, each one a report of the data.
    reports = set(now["source_url"])
    linked = {a.attrs["href"] for a in brief.all("a")}
    assert linked - {a for a in linked if "start=" in a} <= reports | set(
        pd.read_csv(DATA / "casualties.csv")["source_url"]) | set(pd.read_csv(DATA / "attack_counts.csv")["source_url"])
    assert len(linked & reports) >= 3
    markdown = root.all("pre")[0].text()
    assert markdown.startswith("**Attacks from 1 August 2018 to 30 September 2018**")


def test_permalink_reproduces_the_view(bundled_page):
    _, page = bundled_page
    links = [a.attrs["href"] for a in parse(page).all("a") if a.attrs.get("href", "").startswith(BASE)]
    assert links, "no link back to the live view"
    for url in links:
        query = parse_qs(urlsplit(url).query)
        assert query["start"] == [START] and query["end"] == [END] and query["freq"] == ["month"]


def test_page_asks_for_nothing_outside_its_folder(bundled_page):
    out, page = bundled_page
    root = parse(page)
    assert (out / "plotly.min.js").read_bytes() == PACKAGE_JS.read_bytes()
    scripts = [s.attrs["src"] for s in root.all("script") if "src" in s.attrs]
    assert scripts == ["plotly.min.js"]
    fetched = [(tag, url) for tag, url in addresses(root) if tag != "a"]
    assert fetched == [("script", "plotly.min.js")]
    assert all(url.startswith(("https://", "http://")) for tag, url in addresses(root) if tag == "a")
    # Outside the figures' JSON (whose typed arrays are base64 and may spell anything), no other address.
    words = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", page, flags=re.S)
    assert "cdn" not in words.lower() and "@import" not in words and "url(" not in words
    assert not root.all("link") and not root.all("img") and not root.all("iframe")
    policy = next(m.attrs["content"] for m in root.all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    # Plotly's templates draw no map tiles and name no server.
    assert all("http" not in json.dumps(c["layout"]) for c in charts(root))
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "plotly.min.js"]


def test_a_base_url_that_is_not_http_writes_no_link(tmp_path):
    code, _, stderr = run_cli("publish", "--data", str(SMALL), "--out", str(tmp_path / "site"),
                              "--base-url", "javascript:alert(1)//")
    assert code == 0 and "instead of linking back" in stderr
    root = parse((tmp_path / "site" / "index.html").read_text())
    hrefs = [a.attrs["href"] for a in root.all("a")]
    assert hrefs and all(h.startswith("https://example.org/synthetic/") for h in hrefs)
    assert "javascript:alert(1)//?start=" in root.text()  # the brief names it, as text


def test_without_a_public_address_the_page_says_so_instead_of_linking_to_localhost(tmp_path, monkeypatch):
    monkeypatch.delenv("TRENDS_PUBLIC_URL", raising=False)
    code, _, stderr = run_cli("publish", "--data", str(SMALL), "--out", str(tmp_path / "site"), "--start",
                              "2018-08-01", "--end", "2018-09-30")
    assert code == 0 and "no public http(s) address" in stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert "localhost" not in page and "127.0.0.1" not in page
    assert "this dashboard has no public address set" in parse(page).text()
    assert "start=2018-08-01&amp;end=2018-09-30" in page  # the view itself is still named, as text


@pytest.mark.parametrize("base, expected", [
    (None, None), ("http://localhost:8501/", None), ("http://127.0.0.1:8501", None),
    ("https://trends.example.org/", "https://trends.example.org/?start=2018-08-01&end=2018-09-30&freq=month"),
])
def test_permalink_only_for_a_public_address(monkeypatch, base, expected):
    from trends.wording import permalink

    monkeypatch.delenv("TRENDS_PUBLIC_URL", raising=False)
    assert permalink(FilterSpec(dt.date(2018, 8, 1), dt.date(2018, 9, 30)), base) == expected


def test_out_that_is_a_file_is_one_line_and_exit_2(tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep me")
    code, stdout, stderr = run_cli("publish", "--data", str(SMALL), "--out", str(target))
    assert code == 2 and stdout == ""
    assert stderr == f"error: {target} exists and is not a folder\n"
    assert target.read_text() == "keep me"


def test_bad_filter_is_one_line_and_exit_2(tmp_path):
    code, _, stderr = run_cli("publish", "--data", str(SMALL), "--province", "Atlantis", "--out", str(tmp_path / "x"))
    assert code == 2 and stderr.count("\n") == 1 and "Atlantis" in stderr
    assert not (tmp_path / "x").exists()


def _site(folder: Path, page: str) -> Path:
    """A folder published into before: an old page, and a file of someone else's beside it."""
    folder.mkdir()
    (folder / "index.html").write_text(page)
    (folder / "notes.txt").write_text("not ours")
    return folder


def test_a_failed_write_leaves_no_half_page(tmp_path, monkeypatch):
    import shutil

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", broken)
    code, _, stderr = run_cli("publish", "--data", str(SMALL), "--out", str(tmp_path / "new"))
    assert code == 2 and stderr == f"error: cannot write {tmp_path / 'new'}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []  # no folder, and no temporary one left behind
    old = _site(tmp_path / "old", "the old page")
    code, _, _ = run_cli("publish", "--data", str(SMALL), "--out", str(old))
    assert code == 2
    assert sorted(p.name for p in old.iterdir()) == ["index.html", "notes.txt"]
    assert (old / "index.html").read_text() == "the old page"


def test_republishing_into_a_folder_replaces_the_page_and_keeps_other_files(tmp_path):
    site = _site(tmp_path / "site", "old")
    code, _, _ = run_cli("publish", "--data", str(SMALL), "--out", str(site))
    assert code == 0
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "notes.txt", "plotly.min.js"]
    assert (site / "index.html").read_text().startswith("<!DOCTYPE html>")


ALLOWED_LABEL_TAGS = {"br", "b", "i", "extra"}  # what the figure builders put in labels themselves


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = write_hostile_dataset(SMALL, root / "ds")
    code, _, stderr = run_cli("publish", "--data", str(folder), "--out", str(root / "site"), "--base-url", BASE)
    assert code == 0, stderr
    return (root / "site" / "index.html").read_text(encoding="utf-8")


def test_hostile_text_makes_no_link_image_or_request(hostile_page):
    root = parse(hostile_page)
    found = addresses(root)
    assert found, "the page has links, or this test proves nothing"
    assert [(t, u) for t, u in found if any(h in u for h in FOREIGN_HOSTS)] == []
    assert [t for t, u in found if t != "a"] == ["script"]
    # The hostile text is on the page, as text (the parser saw it as data, not as tags).
    assert "<img src=http://tracker.example/i.png><a href=http://phish.example/h>x</a>" in root.text()
    assert f"Data: SYNTHETIC {HOSTILE_TEXT}" in root.text()
    assert any(HOSTILE_TEXT in item.text() for item in root.all("div", "brief")[0].all("li"))
    # Nothing in the data closed a <script> early: every script is one the page wrote.
    scripts = root.all("script")
    assert len(scripts) == len(charts(root)) + 2
    assert hostile_page.count("</script>") == len(scripts)


def test_hostile_text_in_figures_is_escaped_for_plotly_labels(hostile_page):
    drawn = charts(parse(hostile_page))
    assert drawn
    seen_hostile = False
    for fig in drawn:
        for text in _strings({"data": fig["data"], "layout": fig["layout"]}):
            tags = {m.lower() for m in re.findall(r"</?([a-zA-Z]+)", text)}
            assert tags <= ALLOWED_LABEL_TAGS, (tags, text[:200])
            seen_hostile |= "&lt;img src=http://tracker.example/i.png&gt;" in text
    assert seen_hostile


def _figure(title: str = "A title") -> go.Figure:
    return go.Figure({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}],
                      "layout": {"title": {"text": title}, "height": 300}}, _validate=False)


def test_chart_html_inline_is_one_self_contained_file():
    from trends.publish.page import chart_html

    doc = chart_html(_figure(), "Attacks per month", "Source: somebody.", BASE + "?start=2018-08-01")
    root = parse(doc)
    assert not [s for s in root.all("script") if "src" in s.attrs]
    assert PACKAGE_JS.read_text(encoding="utf-8") in doc
    assert captions(root) == [("Attacks per month", "Source: somebody.")]
    assert [a.attrs["href"] for a in root.all("a")] == [BASE + "?start=2018-08-01"]
    assert len(charts(root)) == 1 and charts(root)[0]["data"][0]["y"] == [1, 2]


def test_chart_html_beside_and_without_a_link():
    from trends.publish.page import chart_html

    doc = chart_html(_figure(), "T", "S", "file:///etc/passwd", plotlyjs="beside")
    root = parse(doc)
    assert [s.attrs["src"] for s in root.all("script") if "src" in s.attrs] == ["plotly.min.js"]
    assert root.all("a") == [] and len(doc) < 100_000
    with pytest.raises(ValueError):
        chart_html(_figure(), "T", "S", None, plotlyjs="cdn")


def test_chart_html_escapes_its_words_and_the_figures_json():
    from trends.publish.page import chart_html

    evil = "</script><script>alert(1)</script><!--"
    doc = chart_html(_figure(evil), f"{evil} <a href=http://phish.example/x>x</a>", evil,
                     'https://ok.example/?a="><img src=http://tracker.example/i.png>')
    root = parse(doc)
    assert doc.count("</script>") == len(root.all("script")) == 3  # plotly.js, the figure's JSON, the drawing
    assert [a.attrs["href"] for a in root.all("a")] == ['https://ok.example/?a="><img src=http://tracker.example/i.png>']
    assert not root.all("img") and captions(root)[0][0].startswith(evil)
    assert charts(root)[0]["layout"]["title"]["text"] == evil  # intact once parsed back


def test_source_line_names_the_dataset_its_version_and_file(bundled):
    import json

    from trends.pages.captions import source_line

    package = json.loads((DATA / "datapackage.json").read_text())
    assert source_line(bundled, "attacks") == (f"Source: {package['title']} (v{package['version']}), attacks.csv, each "
                                               "row linked to its report. Notable events, not a complete record.")
    assert source_line(bundled, "attacks", short=True) == f"Source: {package['title']}."
