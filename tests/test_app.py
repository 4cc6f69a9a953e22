"""The app under streamlit's AppTest: renders, reads the view from the URL, narrows numbers, exports."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, run_app as app
from tests.hostile import page_strings, visible


@pytest.fixture
def downloads(monkeypatch):
    """Record what every download button would send, keyed by file name."""
    sent: dict[str, bytes] = {}
    real = streamlit.download_button

    def spy(label, data, *args, **kwargs):
        # A callable is what the browser gets on click: call it as the click would.
        sent[kwargs.get("file_name", label)] = data() if callable(data) else data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    return sent


KPIS = ("Notable attacks recorded", "Killed (reported)", "Wounded (reported)")


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """The notable-attack KPIs (the reported series' metrics above them are tested on their own)."""
    return {m.label: (m.value, m.delta) for m in at.metric if m.label in KPIS}


@pytest.mark.parametrize("section, charts", [
    (None, ["chart_map"]),
    ("Breakdowns", ["chart_by-province", "chart_by-perpetrator", "chart_by-tactic"]),
    ("Casualties", ["chart_casualties-civilians"]),
    ("Alerts", ["chart_alerts"]),
])
def test_default_view_on_bundled_data_renders_every_chart(monkeypatch, section, charts):
    # The lower sections are drawn one at a time, the one named in the URL (the map by default).
    at = app(monkeypatch, folder=ROOT / "data", **({"section": section} if section else {}))
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["chart_reported", "chart_trend", *charts]
    # The button's word is what the URL holds (section=Breakdowns).
    assert at.segmented_control(key="section").value == (section or "Map")
    assert [m.label for m in at.metric if m.label in KPIS] == list(KPIS)
    first = min(r["date"] for r in csv.DictReader(open(ROOT / "data" / "attacks.csv", encoding="utf-8")))
    # The default view keeps a clean URL: the dates equal the defaults, the whole span, so they are left out.
    assert at.date_input(key="start").value.isoformat() == first and "start" not in at.query_params


@pytest.mark.parametrize("params, expected", [
    ({"start": "2018-08-01", "end": "2018-09-30"},
     {"Notable attacks recorded": ("4", "+2 (+100%) vs previous period"),
      "Killed (reported)": ("17", "-8 (-32%) vs previous period"),
      "Wounded (reported)": ("24", "-8 (-25%) vs previous period")}),
    ({"start": "2018-08-01", "end": "2018-09-30", "province": "Northland"},
     {"Notable attacks recorded": ("1", "+0 (+0%) vs previous period"),
      "Killed (reported)": ("10", "+5 (+100%) vs previous period"),
      "Wounded (reported)": ("20", "+18 (+900%) vs previous period")}),
])
def test_url_narrows_the_kpis(monkeypatch, params, expected):
    at = app(monkeypatch, **params)
    assert not at.exception
    assert metrics(at) == expected
    assert at.query_params["start"] == params["start"] and "freq" not in at.query_params  # month: the default


def test_bad_params_give_notices_not_errors(monkeypatch):
    at = app(monkeypatch, start="2018-02-31", province="Atlantis", freq="daily")
    assert not at.exception
    warnings = " ".join(visible(w.value) for w in at.warning)
    assert 'Ignored start "2018-02-31"' in warnings and 'unknown province: "Atlantis"' in warnings
    assert 'Ignored freq "daily"' in warnings
    assert metrics(at)["Notable attacks recorded"][0] == "8"  # fell back to the whole span
    assert "province" not in at.query_params


def test_sidebar_change_updates_kpis(monkeypatch):
    at = app(monkeypatch, start="2018-08-01", end="2018-09-30")
    at.sidebar.multiselect(key="province").set_value(["Southland"]).run()
    assert metrics(at)["Notable attacks recorded"][0] == "2"
    # The URL follows in the browser (tests/browser/test_view_state.py); here the widget holds the value.
    assert at.sidebar.multiselect(key="province").value == ["Southland"]


def test_events_download_matches_the_filter(monkeypatch, downloads):
    at = app(monkeypatch, page="components/events.py", start="2018-08-01", end="2018-09-30")
    assert not at.exception
    name = "attacks-2018-08-01_2018-09-30.csv"
    frame = pd.read_csv(io.BytesIO(downloads[name]), encoding="utf-8-sig")
    assert sorted(frame["event_id"]) == ["e2", "e3", "e4", "e5"]
    assert frame.set_index("event_id")["killed"].isna().to_dict() == {"e2": False, "e3": True, "e4": False,
                                                                      "e5": False}
    meetings = pd.read_csv(io.BytesIO(downloads["meetings-2018-08-01_2018-09-30.csv"]), encoding="utf-8-sig")
    assert meetings["meeting_id"].tolist() == ["m4", "m2"]


def test_events_tables_head_their_columns_in_words(monkeypatch, downloads):
    at = app(monkeypatch, page="components/events.py")
    events, meetings = at.dataframe[0], at.dataframe[1]
    heads = {name: json.loads(df.proto.columns) for name, df in (("events", events), ("meetings", meetings))}
    shown = {name: [heads[name][c]["label"] for c in df.value.columns]
             for name, df in (("events", events), ("meetings", meetings))}
    # The tolls and the report they come from first; the page where the toll was read after them.
    assert shown["events"] == ["Date", "Killed", "Wounded", "Toll", "Province", "Location", "Report link", "Report",
                               "Perpetrator", "Basis", "Claimed or named by", "Attack type", "Target", "Notes",
                               "Read at", "Read at link", "Toll reported on", "Attackers killed (not in Killed)",
                               "Until", "District", "Killed, low estimate", "Killed, high estimate", "Event ID"]
    assert shown["meetings"] == ["Date", "Until", "Title", "Kind", "City", "Country", "Parties", "Summary", "Source",
                                 "Report"]
    # Only the screen changes: the downloads keep the dataset's column names.
    name = next(n for n in downloads if n.startswith("attacks-"))
    frame = pd.read_csv(io.BytesIO(downloads[name]), encoding="utf-8-sig")
    assert {"attack_type", "perpetrator_basis", "event_id", "toll_status", "report", "toll_date"} <= set(frame.columns)


def test_trend_download_matches_the_chart(monkeypatch, downloads):
    app(monkeypatch, start="2018-08-01", end="2018-09-30")
    frame = pd.read_csv(io.BytesIO(downloads["trend-month-2018-08-01_2018-09-30.csv"]), encoding="utf-8-sig")
    assert frame[["period", "attacks", "killed", "wounded"]].values.tolist() == [
        ["2018-08-01", 2, 10, 24], ["2018-09-01", 2, 7, 0]]


def test_events_page_lists_rejected_rows(monkeypatch, small_copy):
    path = small_copy / "attacks.csv"
    path.write_text(path.read_text().replace("2018-08-15", "2018-08-32"))
    at = app(monkeypatch, folder=small_copy, page="components/events.py")
    assert not at.exception
    problems = at.dataframe[-1].value
    assert problems[["file", "line", "column"]].values.tolist() == [["attacks.csv", 4, "date"]]


def test_about_page_shows_version_and_licence(monkeypatch):
    at = app(monkeypatch, folder=ROOT / "data", page="components/about.py")
    assert not at.exception
    package = json.loads((ROOT / "data" / "datapackage.json").read_text())
    meta = next(visible(m.value) for m in at.markdown if "**Version:**" in m.value)
    assert f"- **Version:** {package['version']}" in meta.splitlines()
    assert "- **Dataset folder:** data" in meta.splitlines()
    assert "Creative Commons" in meta
    # The dataset is named, never located: no page string holds the server's path.
    assert not [s for s in page_strings(at) if str(ROOT) in s]


def test_talks_page_shows_the_study(monkeypatch):
    at = app(monkeypatch, folder=ROOT / "data", page="components/talks.py", start="2018-01-01", end="2021-08-31")
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert set(values) == {"Meetings", "Mean change per meeting", "95% interval", "Placebo p-value"}
    assert int(values["Meetings"]) >= 40
    assert any("causation" in md.value for md in at.markdown)


def test_period_comparison_on_request(monkeypatch):
    at = app(monkeypatch, start="2018-08-01", end="2018-09-30")
    assert "chart_comparison" not in [c.key for c in at.get("plotly_chart")]
    at.toggle(key="compare").set_value(True).run()
    table = next(d.value for d in at.dataframe if "attacks_change_pct" in d.value).set_index("period")
    # fixture: e2-e5 in Aug-Sep 2018; e1, e7 in Jun-Jul; e8 in Aug-Sep 2017
    assert table["attacks"].to_dict() == {"This period": 4, "Previous period": 2, "Same period a year earlier": 1}
    assert "chart_comparison" in [c.key for c in at.get("plotly_chart")]


def test_overview_brief_box_holds_the_kpis(monkeypatch):
    at = app(monkeypatch, start="2018-08-01", end="2018-09-30")
    assert not at.code
    at.toggle(key="brief").set_value(True).run()
    brief_text = at.code[0].value
    assert "records 4 attacks" in brief_text and "at least 17 people killed" in brief_text
    assert "start=2018-08-01&end=2018-09-30" in brief_text


@pytest.mark.parametrize("start, end, expected", [
    # The whole span: the previous period lies wholly before the first attack (5 Aug 2017).
    ("2017-08-05", "2018-10-01", "no data before 5 August 2017"),
    # 1 Sep - 31 Oct 2017: the previous 61 days (2 Jul - 31 Aug) hold data from 5 Aug only: 27 days.
    ("2017-09-01", "2017-10-31", ", 27 of 61 days with data"),
    # Fully covered: the plain change, with no caveat.
    ("2018-08-01", "2018-09-30", "+2 (+100%) vs previous period"),
])
def test_kpis_know_the_span_of_the_data(monkeypatch, start, end, expected):
    at = app(monkeypatch, start=start, end=end)
    delta = {m.label: m.proto.delta for m in at.metric}["Notable attacks recorded"]
    assert delta.endswith(expected) if expected.startswith(",") else delta == expected
    assert ("days with data" in delta) == expected.startswith(",")


@pytest.mark.parametrize("page", ["components/events.py", "components/talks.py", None])
def test_tables_show_missing_values_as_blank_cells(monkeypatch, page):
    # The bundled meetings mostly have no end date, and casualty rows leave killed or injured blank: the grid is
    # told to draw a missing value as a blank cell, and the columns keep their types.
    at = app(monkeypatch, folder=ROOT / "data", page=page, start="2018-01-01", end="2020-12-31",
             **({} if page else {"section": "Casualties"}))
    assert not at.exception
    assert at.dataframe, "the page should hold tables"
    assert all(d.proto.placeholder == "" for d in at.dataframe)
    frames = [d.value for d in at.dataframe]
    if page == "components/events.py":
        events, meetings = frames[0], frames[1]
        # Killed is a number column with gaps: it sorts as numbers (10 after 3), blanks apart.
        assert pd.api.types.is_integer_dtype(events["killed"]) and events["killed"].isna().any()
        assert meetings["end_date"].isna().sum() == sum(
            1 for r in csv.DictReader(open(ROOT / "data" / "meetings.csv", encoding="utf-8"))
            if "2018-01-01" <= r["date"] <= "2020-12-31" and not r["end_date"])


def test_about_page_lists_the_corrections(monkeypatch):
    at = app(monkeypatch, folder=ROOT / "data", page="components/about.py")
    assert not at.exception and not at.error
    with open(ROOT / "data" / "corrections.csv", encoding="utf-8") as f:
        logged = list(csv.DictReader(f))
    log = at.dataframe[-1].value
    assert len(log) == len(logged)
    assert set(zip(log["row_id"], log["field"])) == {(r["row_id"], r["field"]) for r in logged}


def test_downloads_name_the_filters_and_the_national_cards_say_so(monkeypatch, downloads):
    at = app(monkeypatch, folder=ROOT / "data", page="components/events.py", start="2020-02-29", end="2021-08-15",
             province="Kabul", perpetrator="Taliban")
    assert "attacks-2020-02-29_2021-08-15-kabul-taliban.csv" in downloads
    # Kabul attacks by the Taliban in the range, counted from the CSV: the heading agrees, singular or plural.
    n = sum(1 for r in csv.DictReader(open(ROOT / "data" / "attacks.csv", encoding="utf-8"))
            if "2020-02-29" <= r["date"] <= "2021-08-15" and r["province"] == "Kabul" and r["perpetrator"] == "Taliban")
    assert at.subheader[0].value == f"{n:,} attack{'' if n == 1 else 's'}"
    overview = app(monkeypatch, folder=ROOT / "data", start="2020-02-29", end="2021-08-15", province="Kabul")
    national = [m.label for m in overview.metric if m.label.startswith("National ")]
    assert national and all(m.label.startswith("National ") for m in overview.metric
                            if "attacks," in m.label or "casualties," in m.label)
    unfiltered = app(monkeypatch, folder=ROOT / "data", start="2020-02-29", end="2021-08-15")
    assert not [m.label for m in unfiltered.metric if m.label.startswith("National ")]
