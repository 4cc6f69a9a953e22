"""The app and the published page show one build of each view: the same headline cards, KPIs and captions."""

from __future__ import annotations

import pytest

from tests.conftest import DATA, run_app, run_cli
from tests.hostile import visible
from tests.published import parse

VIEWS = [
    # SIGAR and the Lead IG both published January-March 2021: one card per report, the report in the label.
    {"start": "2021-01-01", "end": "2021-03-31"},
    {"start": "2018-08-01", "end": "2018-09-30"},
    # A filtered view: the reported totals are national, and their cards say so.
    {"era": "since-takeover", "province": "Kabul"},
]


def _published(tmp_path, view: dict) -> tuple[list[tuple[str, str, str]], str]:
    args = ["publish", "--data", str(DATA), "--out", str(tmp_path / "site")]
    if "era" in view:  # the command line takes dates: the era's, as the app reads them
        args += ["--start", "2021-08-15", "--end", "2026-04-07"]
    else:
        args += ["--start", view["start"], "--end", view["end"]]
    args += [f"--province={view['province']}"] if "province" in view else []
    code, _, err = run_cli(*args)
    assert code == 0, err
    root = parse((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    cards = [(c.all("div", "label")[0].text(), c.all("div", "value")[0].text(),
              (c.all("div", "change") or [None])[0].text() if c.all("div", "change") else "")
             for c in root.all("div", "card")]
    return cards, root.text()


@pytest.mark.parametrize("view", VIEWS, ids=["jan-mar-2021", "aug-sep-2018", "since-takeover-kabul"])
def test_the_app_and_the_published_page_show_the_same_cards(monkeypatch, tmp_path, view):
    at = run_app(monkeypatch, folder=DATA, **view)
    assert not at.exception
    shown = [(visible(m.label), m.value, visible(m.proto.delta or "")) for m in at.metric]
    published, text = _published(tmp_path, view)
    assert shown == published
    # The caption under the reported cards is the same sentence on both.
    caption = next(visible(c.value) for c in at.caption if visible(c.value).startswith("Totals that authorities"))
    assert caption in " ".join(text.split())


def test_two_reports_of_one_quarter_are_named_in_their_labels(monkeypatch):
    at = run_app(monkeypatch, folder=DATA, start="2021-01-01", end="2021-03-31")
    labels = [visible(m.label) for m in at.metric]
    # Hand-read from attack_counts.csv / casualties.csv: nothing else of this quarter is shown twice.
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("view", VIEWS[:2], ids=["jan-mar-2021", "aug-sep-2018"])
def test_the_app_and_the_command_line_give_the_same_brief(monkeypatch, view):
    at = run_app(monkeypatch, folder=DATA, brief="true", **view)
    assert not at.exception
    shown = at.code[0].value
    code, out, err = run_cli("brief", "--data", str(DATA), "--start", view["start"], "--end", view["end"])
    assert code == 0, err
    assert shown.strip() == out.strip()
    assert "Afghanistan conflict trends and the peace process, 2009-2026" in shown
