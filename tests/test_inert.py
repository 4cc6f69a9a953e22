"""Text from data is never markup, and exported cells never formulas: hostile strings stay inert everywhere."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.common import escape_md
from tests.conftest import PAGES, SMALL, cli_process, run_app
from tests.hostile import (FOREIGN_HOSTS, html_tags, html_texts, HOSTILE_URL_VALUES, OVERVIEW_PARAMS, URL_PARAMS, page_strings, rendered_links, rendered_tags, visible,
                           write_hostile_dataset)
from trends.figures.base import safe

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[link](javascript:alert(1))",
           "**bold** _it_ `code` # head", "=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1)", "+1+1", "-2+3",
           "\tTAB", "\rCR", "$x$ ~strike~ | pipe"]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_escape_leaves_no_active_character(value):
    escaped = escape_md(value)
    for ch in "<>[]()*_`#$~|":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == ch)


@pytest.mark.parametrize("name, value", list(HOSTILE_URL_VALUES.items()))
def test_escaped_markdown_renders_no_link_and_reads_as_typed(name, value):
    assert rendered_tags(value), f"{name}: the raw value must be active, or this test proves nothing"
    assert rendered_tags(escape_md(value)) == []
    assert visible(escape_md(value)) == value


def _foreign(strings: list[str]) -> list[str]:
    return [link for s in strings for link in rendered_links(s) if any(h in link for h in FOREIGN_HOSTS)]


# The only tags the code writes into st.html: the captions' paragraph and the app's style sheet.
OWN_TAGS = {'<p class="trends-caption">', "</p>", "<style>", "</style>"}


def _foreign_tags(at) -> list[str]:
    return [t for t in html_tags(at) if t not in OWN_TAGS]


@pytest.fixture(scope="module")
def url_datasets(tmp_path_factory):
    """A second dataset folder, so that the dataset picker (and its URL parameter) is on the page."""
    root = tmp_path_factory.mktemp("sets")
    shutil.copytree(SMALL, root / "other")
    return str(root)


@pytest.mark.parametrize("param", URL_PARAMS)
@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_url_values_reach_no_markdown_as_links(monkeypatch, url_datasets, page, param):
    values = list(HOSTILE_URL_VALUES.values())
    value = values if param in ("province", "perpetrator", "attack_type", "target") else " ".join(values)
    at = run_app(monkeypatch, page=PAGES[page], env={"TRENDS_DATASETS_DIR": url_datasets}, **{param: value})
    assert not at.exception
    strings = page_strings(at)
    assert _foreign(strings) == [] and _foreign_tags(at) == []
    if page != "about" and (page == "overview" or param not in OVERVIEW_PARAMS):
        # pages with filters name what they dropped, quoted and shortened to 60 characters
        notices = " ".join(visible(w.value) for w in at.warning)
        assert f"Ignored {'unknown ' if param in ('province', 'perpetrator', 'attack_type', 'target', 'dataset') else ''}{param}" in notices
        first = " ".join(values[0].split()) if isinstance(value, list) else " ".join(value.split())
        assert f'"{first[:60]}…"' in notices


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_text_in_every_data_file_reaches_no_markdown_as_links(monkeypatch, tmp_path, page):
    folder = write_hostile_dataset(SMALL, tmp_path / "ds")
    at = run_app(monkeypatch, folder=folder, page=PAGES[page], start="2017-01-01", end="2018-12-31")
    assert not at.exception
    strings = page_strings(at)
    assert _foreign(strings) == [] and _foreign_tags(at) == []
    if page == "about":
        assert any("![x](http://tracker.example/p.png)" in visible(s) for s in strings)
    if page == "overview":  # the GeoJSON feature matches no province and is named, as text
        assert any(t.startswith("Outlines with no matching province: SYNTHETIC ![x]") for t in html_texts(at))


@pytest.mark.parametrize("value, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ('"quoted" & \'single\'', "&quot;quoted&quot; &amp; &#x27;single&#x27;"),
])
def test_plot_labels_are_escaped(value, expected):
    assert safe(value) == expected


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "hostile"
    shutil.copytree(SMALL, folder)
    rows = list(csv.DictReader(open(folder / "attacks.csv", newline="")))
    for row, value in zip(rows, HOSTILE):
        row["notes"] = f"SYNTHETIC {value}" if not value.startswith(("=", "@", "+", "-", "\t", "\r")) else value
        row["location"] = value
    with open(folder / "attacks.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder, rows


def test_cli_export_neutralises_formulas_and_keeps_numbers(hostile_folder):
    folder, rows = hostile_folder
    out = cli_process("export", "--data", str(folder), text=False)
    assert out.returncode == 0, out.stderr
    exported = {r["event_id"]: r for r in csv.DictReader(io.StringIO(out.stdout.decode("utf-8-sig")))}
    for row in rows:
        got = exported[row["event_id"]]
        for col in ("notes", "location"):
            value = row[col]
            assert got[col] == ("'" + value if value.startswith(("=", "@", "+", "-", "\t", "\r")) else value)
        assert got["killed"] == row["killed"] and got["wounded"] == row["wounded"]


def test_events_table_holds_hostile_text_verbatim(monkeypatch, hostile_folder):
    """The grid draws cells as text, so they keep the raw strings (neither escaped twice nor dropped). Text that
    reaches Markdown is checked page by page in test_hostile_text_in_every_data_file_reaches_no_markdown_as_links."""
    folder, rows = hostile_folder
    at = run_app(monkeypatch, folder, PAGES["events"])
    assert not at.exception
    written = {r["location"] for r in rows}
    assert len(written & set(HOSTILE)) == min(len(rows), len(HOSTILE)) >= 8
    assert written <= set(at.dataframe[0].value["location"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["start", "end", "province", "perpetrator", "attack_type", "target", "freq",
                                        "dataset", "x"]),
                       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24), max_size=5))
def test_any_url_parameters_render_without_error(monkeypatch, params):
    at = run_app(monkeypatch, SMALL, **params)
    assert not at.exception
    assert [m.label for m in at.metric][-3:] == ["Notable attacks recorded", "Killed (reported)", "Wounded (reported)"]
