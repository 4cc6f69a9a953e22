"""Every reporter's figures side by side: the table against the CSVs, the CLI's JSON, an imported GED folder."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import DATA, ROOT, cli_process, run_app, run_cli
from trends.analysis import sources
from trends.filters import FilterSpec
from trends.dataset.loading import load_dataset
from trends.engines.open import engine_of

GED = ROOT / "tests" / "fixtures" / "ucdp" / "GEDEvent_v23_1_synthetic.csv"


def csv_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def table(bundled):
    domain = engine_of(bundled).domain(bundled.provinces)
    return sources.sources_table(bundled, engine_of(bundled), FilterSpec(domain.first, domain.last))


def value(table, period, reporter, measure):
    rows = table[(table["period"] == period) & (table["reporter"] == reporter) & (table["measure"] == measure)]
    assert len(rows) == 1, (period, reporter, measure, len(rows))
    return rows.iloc[0]


def test_published_figures_as_in_the_csvs(table):
    unama = value(table, "2018", "UNAMA", "civilians killed")
    assert unama["value"] == 3804
    row = next(r for r in csv_rows(DATA / "casualties.csv") if r["period_start"] == "2018-01-01"
               and r["period_end"] == "2018-12-31" and r["population"] == "civilians" and not r["attributed_to"])
    assert unama["source_url"] == row["source_url"]
    assert value(table, "October-December 2019", "Resolute Support", "enemy-initiated attacks")["value"] == 8204


def test_curated_counts_for_whole_years_and_published_periods(table):
    attacks = csv_rows(DATA / "attacks.csv")
    in_2018 = [r for r in attacks if r["date"].startswith("2018")]
    assert value(table, "2018", sources.CURATED, "attacks (count)")["value"] == len(in_2018)
    assert value(table, "2018", sources.CURATED, "killed (reported sum)")["value"] == sum(
        int(r["killed"]) for r in in_2018 if r["killed"])
    h1 = [r for r in attacks if "2019-01-01" <= r["date"] <= "2019-06-30"]
    assert value(table, "January-June 2019", sources.CURATED, "attacks (count)")["value"] == len(h1)
    # 2009 and 2026 are only partly inside the data's span (4 May 2009 - 16 Mar 2026): no count for them.
    curated = table[table["reporter"] == sources.CURATED]
    assert not {"2009", "2026"} & set(curated["period"])
    assert {"2010", "2025"} <= set(curated["period"])


def test_no_ratio_between_unlike_measures(table):
    assert sources.ratios(table).empty  # the curated selection is never set against UNAMA


def test_cli_json_rows_have_the_documented_keys():
    code, out, err = run_cli("sources", "--format", "json", "--start", "2018-01-01", "--end", "2018-12-31")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert all(list(r) == ["period", "period_start", "period_end", "reporter", "measure", "value", "report", "report_url",
                          "source_url"]
               for r in rows)
    assert {"period": "2018", "period_start": "2018-01-01", "period_end": "2018-12-31", "reporter": "UNAMA",
            "measure": "civilians killed", "value": 3804} in [{k: v for k, v in r.items() if k not in ("source_url", "report", "report_url")}
                                                                for r in rows]
    assert any(r["reporter"] == "curated notable attacks" and r["measure"] == "killed (reported sum)" for r in rows)


@pytest.fixture(scope="module")
def ged_file(tmp_path_factory):
    """The SYNTHETIC GED fixture with civilian deaths filled in (the id's last two digits), so sums mean something."""
    rows = csv_rows(GED)
    for r in rows:
        if r["id"].isdigit():
            r["deaths_civilians"] = str(int(r["id"]) % 100)
    path = tmp_path_factory.mktemp("ged") / "GEDEvent_v23_1_synthetic.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def ged_folder(ged_file):
    out = ged_file.parent / "ucdp-afg"
    done = cli_process("import", "ucdp", str(ged_file), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_an_imported_ged_folder_gives_its_own_counts_and_a_comparable_ratio(ged_folder, ged_file):
    dataset = load_dataset(ged_folder)
    domain = engine_of(dataset).domain(dataset.provinces)
    table = sources.sources_table(dataset, engine_of(dataset), FilterSpec(domain.first, domain.last))
    imported = {r["event_id"].removeprefix("ucdp-") for r in csv_rows(ged_folder / "attacks.csv")}
    # Imported rows, matched on id and date (the fixture repeats an id to test rejection).
    dates = {(r["event_id"].removeprefix("ucdp-"), r["date"]) for r in csv_rows(ged_folder / "attacks.csv")}
    ged = [r for r in csv_rows(ged_file) if (r["id"], r["date_start"][:10]) in dates]
    assert len(ged) == len(imported) == 9
    years = sorted({r["date_start"][:4] for r in ged})
    for year in years:
        rows = [r for r in ged if r["date_start"].startswith(year)]
        civ = value(table, year, "UCDP GED 23.1", "civilian deaths")["value"]
        assert civ == sum(int(r["deaths_civilians"]) for r in rows)
    full_years = [y for y in years if f"{y}-01-01" >= domain.first.isoformat() and f"{y}-12-31" <=
                  domain.last.isoformat()]
    for year in full_years:
        rows = [r for r in ged if r["date_start"].startswith(year)]
        assert value(table, year, "UCDP GED 23.1", "events")["value"] == len(rows)
        assert value(table, year, "UCDP GED 23.1", "deaths (best)")["value"] == sum(int(r["best"]) for r in rows)
    # 2018: events 9001 and 9002 -> 1 + 2 civilian deaths, against UNAMA's 3,804 civilians killed.
    civ_2018 = sum(int(r["deaths_civilians"]) for r in ged if r["date_start"].startswith("2018"))
    assert civ_2018 == 3
    assert sources.ratios(table).set_index("period").loc["2018", "ratio"] == round(3 / 3804, 6)


def test_sources_page_renders(monkeypatch):
    at = run_app(monkeypatch, folder=DATA, page="components/sources.py")
    assert not at.exception
    assert "chart_sources" in [c.key for c in at.get("plotly_chart")]
    figures = next(d.value for d in at.dataframe if "measure" in d.value and "value" in d.value)
    assert (figures["reporter"] == "UNAMA").any() and (figures["reporter"] == sources.CURATED).any()


def test_both_commands_and_views_work_on_an_imported_ged_folder(monkeypatch, ged_folder):
    code, out, err = run_cli("sources", "--data", str(ged_folder), "--format", "json")
    assert code == 0, err
    assert any(r["reporter"] == "UCDP GED 23.1" and r["measure"] == "deaths (best)" for r in json.loads(out)["rows"])
    code, out, err = run_cli("alerts", "--data", str(ged_folder), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["end"] == "2021-09-10" and "caution" not in result  # the last imported event; not a selection
    for page in ("components/sources.py", None):
        at = run_app(monkeypatch, folder=ged_folder, page=page, **({} if page else {"section": "Alerts"}))
        assert not at.exception
        keys = [c.key for c in at.get("plotly_chart")]
        assert ("chart_sources" if page else "chart_alerts") in keys
