"""python -m trends fetch: a local server replays hand-written SYNTHETIC API pages, failures and an interruption."""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import cli_process
from trends.cli.main import build_parser
from trends.importers import acled, ucdp
from trends.importers.commands import run_fetch
from trends.importers.http import FetchError, Http
from trends.dataset.loading import load_dataset


@dataclass
class Request:
    method: str
    target: str
    headers: dict
    body: str


class Replay:
    """Scripted replies per (method, path?query): each request takes the next one; the last one repeats."""

    def __init__(self):
        self.routes: dict[tuple[str, str], list] = {}
        self.log: list[Request] = []
        self.base = ""

    def route(self, method: str, target: str, *replies) -> None:
        self.routes[(method, target)] = list(replies)

    def next(self, method: str, target: str):
        replies = self.routes.get((method, target))
        if not replies:
            return 404, {"error": f"no route for {method} {target}"}
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def targets(self, method: str = "GET") -> list[str]:
        return [r.target for r in self.log if r.method == method]


class Handler(BaseHTTPRequestHandler):
    def _answer(self, method: str) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        replay: Replay = self.server.replay
        replay.log.append(Request(method, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        reply = replay.next(method, self.path)
        if reply == "drop":  # hang up without a reply, as a dropped connection does
            self.close_connection = True
            return
        status, payload, *extra = reply
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra[0] if extra else {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802
        self._answer("GET")

    def do_POST(self):  # noqa: N802
        self._answer("POST")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    replay = Replay()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.replay = replay
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    replay.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield replay
    httpd.shutdown()
    httpd.server_close()


def fetch(*args: str) -> tuple[int, str, str, list[float]]:
    sleeps: list[float] = []
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_fetch(build_parser().parse_args(["fetch", *args]), sleep=sleeps.append)
    return code, out.getvalue(), err.getvalue(), sleeps


# --- UCDP -----------------------------------------------------------------------------------------------------

def ged(event_id: int, **values) -> dict:
    """A GED event as the API gives it (JSON numbers where GED has numbers); SYNTHETIC in its citation."""
    record = dict.fromkeys(ucdp.COLUMNS)
    record.update(id=event_id, type_of_violence=3, side_a="Taleban", side_b="Civilians", where_prec=1,
                  adm_1="Kabul province", latitude=34.53, longitude=69.17, country="Afghanistan", country_id=700,
                  date_prec=1, date_start="2018-08-01T00:00:00.000", date_end="2018-08-01T00:00:00.000",
                  best=3, low=2, high=4, source_article=f"SYNTHETIC API row {event_id}, not a real event")
    record.update(values)
    return record


def ucdp_page(total: int, *records: dict) -> dict:
    return {"TotalCount": 5, "TotalPages": total, "PreviousPageUrl": "", "NextPageUrl": "", "Result": list(records)}


PAGES = [
    ucdp_page(3, ged(9201), ged(9202, side_a="Government of Afghanistan", side_b="Taleban", type_of_violence=1)),
    ucdp_page(3, ged(9203, adm_1="Hilmand province", latitude=31.58, longitude=64.37), ged(9204, side_a="IS")),
    ucdp_page(3, ged(9205, date_end="2018-08-03T00:00:00.000", where_prec=4)),
]


def ucdp_target(page: int, version: str = "23.1") -> str:
    return f"/api/gedevents/{version}?pagesize=1000&page={page}&Country=700"


@pytest.fixture
def ucdp_env(server, monkeypatch):
    monkeypatch.setenv("UCDP_API_BASE", server.base)
    monkeypatch.setenv("UCDP_ACCESS_TOKEN", "synthetic-token")
    return server


def test_ucdp_retries_a_503_then_imports_every_page(ucdp_env, tmp_path):
    ucdp_env.route("GET", ucdp_target(0), (200, PAGES[0]))
    ucdp_env.route("GET", ucdp_target(1), (503, {"error": "busy"}), (200, PAGES[1]))
    ucdp_env.route("GET", ucdp_target(2), (200, PAGES[2]))
    out = tmp_path / "afg"
    code, stdout, err, sleeps = fetch("ucdp", "--country", "Afghanistan", "--out", str(out), "--version", "23.1")
    assert code == 0, err
    assert stdout.splitlines()[-1] == "read 5, imported 5, rejected 0"
    assert sleeps == [1.0]
    assert ucdp_env.targets() == [ucdp_target(0), ucdp_target(1), ucdp_target(1), ucdp_target(2)]
    assert {r.headers.get("x-ucdp-access-token") for r in ucdp_env.log} == {"synthetic-token"}
    assert "HTTP 503; retrying in 1 s (try 2 of 5)" in err
    assert [line for line in err.splitlines() if line.startswith("fetch ucdp:")] == [
        "fetch ucdp: page 1/3 (fetched)", "fetch ucdp: page 2/3 (fetched)", "fetch ucdp: page 3/3 (fetched)"]
    rows = pd.read_csv(out / "attacks.csv", dtype=str, keep_default_na=False).set_index("event_id")
    assert rows[["province", "perpetrator", "target", "killed", "end_date", "geo_precision"]].to_dict("index") == {
        "ucdp-9201": {"province": "Kabul", "perpetrator": "Taliban", "target": "civilians", "killed": "3",
                      "end_date": "", "geo_precision": "exact"},
        "ucdp-9202": {"province": "Kabul", "perpetrator": "Afghan government forces", "target": "other",
                      "killed": "3", "end_date": "", "geo_precision": "exact"},
        "ucdp-9203": {"province": "Helmand", "perpetrator": "Taliban", "target": "civilians", "killed": "3",
                      "end_date": "", "geo_precision": "exact"},
        "ucdp-9204": {"province": "Kabul", "perpetrator": "Islamic State Khorasan Province", "target": "civilians",
                      "killed": "3", "end_date": "", "geo_precision": "exact"},
        "ucdp-9205": {"province": "Kabul", "perpetrator": "Taliban", "target": "civilians", "killed": "3",
                      "end_date": "2018-08-03", "geo_precision": "province"},
    }
    assert set(rows["source"]) == {"UCDP GED 23.1"}
    assert not Path(f"{out}.partial").exists()  # a clean run leaves no cache behind
    assert load_dataset(out).problems == []


def test_ucdp_interrupted_run_resumes_without_refetching_cached_pages(ucdp_env, tmp_path):
    out = tmp_path / "afg"
    out.mkdir()
    (out / "datapackage.json").write_text('{"title": "an older import"}')
    ucdp_env.route("GET", ucdp_target(0), (200, PAGES[0]))
    ucdp_env.route("GET", ucdp_target(1), (200, PAGES[1]))
    ucdp_env.route("GET", ucdp_target(2), (500, {"error": "down"}))
    code, stdout, err, sleeps = fetch("ucdp", "--out", str(out), "--version", "23.1")
    assert code == 2 and stdout == ""
    assert sleeps == [1.0, 2.0, 4.0, 8.0]  # exponential, and bounded at five tries
    partial = Path(f"{out}.partial")
    assert err.splitlines()[-2:] == [
        f"error: {ucdp_env.base}/api/gedevents/23.1: gave up after 5 tries (HTTP 500)",
        f"notice: the pages fetched so far are kept in {partial}/; run the same command again to resume"]
    assert sorted(p.name for p in partial.glob("page-*.json")) == ["page-00000.json", "page-00001.json"]
    assert [p.name for p in out.iterdir()] == ["datapackage.json"]  # the old folder is untouched

    ucdp_env.route("GET", ucdp_target(2), (200, PAGES[2]))
    ucdp_env.log.clear()
    code, stdout, err, sleeps = fetch("ucdp", "--out", str(out), "--version", "23.1")
    assert code == 0, err
    assert ucdp_env.targets() == [ucdp_target(2)]  # pages 0 and 1 came from the cache
    assert [line for line in err.splitlines() if line.startswith("fetch ucdp:")] == [
        "fetch ucdp: page 1/3 (cached)", "fetch ucdp: page 2/3 (cached)", "fetch ucdp: page 3/3 (fetched)"]
    assert stdout.splitlines()[-1] == "read 5, imported 5, rejected 0" and sleeps == []
    assert not partial.exists()


def test_ucdp_cache_of_another_release_is_not_reused(ucdp_env, tmp_path):
    out = tmp_path / "afg"
    ucdp_env.route("GET", ucdp_target(0), (200, PAGES[0]))
    ucdp_env.route("GET", ucdp_target(1), (500, {}))
    assert fetch("ucdp", "--out", str(out), "--version", "23.1")[0] == 2
    for n, page in enumerate(PAGES):
        ucdp_env.route("GET", ucdp_target(n, "24.1"), (200, page))
    ucdp_env.log.clear()
    code, _, err, _ = fetch("ucdp", "--out", str(out), "--version", "24.1")
    assert code == 0, err
    assert ucdp_env.targets() == [ucdp_target(n, "24.1") for n in range(3)]
    assert "1 cached pages are for another query; fetching afresh" in err


@pytest.mark.parametrize("failure, sleeps", [
    ((503, {"error": "busy"}), [1.0]),
    ((502, {"error": "bad gateway"}), [1.0]),
    ((429, {"error": "slow down"}, {"Retry-After": "3"}), [3.0]),
    ("drop", [1.0]),
])
def test_transient_failures_are_retried(server, failure, sleeps):
    server.route("GET", "/x", failure, (200, {"ok": True}))
    waited: list[float] = []
    assert Http(sleep=waited.append).json(server.base + "/x") == {"ok": True}
    assert waited == sleeps and server.targets() == ["/x", "/x"]


def test_backoff_doubles_and_gives_up(server):
    server.route("GET", "/x", (503, {}))
    waited: list[float] = []
    with pytest.raises(FetchError, match=r"gave up after 4 tries \(HTTP 503\)"):
        Http(sleep=waited.append, tries=4, first_wait=0.5).json(server.base + "/x")
    assert waited == [0.5, 1.0, 2.0]


def test_refused_credentials_are_not_retried(server):
    server.route("GET", "/x", (401, {"error": "unauthorised"}))
    waited: list[float] = []
    with pytest.raises(FetchError, match=r"HTTP 401 Unauthorized \(check the credentials\)"):
        Http(sleep=waited.append).json(server.base + "/x")
    assert waited == [] and server.targets() == ["/x"]


# --- ACLED ----------------------------------------------------------------------------------------------------

def acled_row(event_id: str, **values) -> dict:
    record = dict.fromkeys(acled.COLUMNS)
    record.update(event_id_cnty=event_id, event_date="2019-03-04", time_precision="1", event_type="Battles",
                  sub_event_type="Armed clash", actor1="Taliban", actor2="Military Forces of Afghanistan (2004-2021)",
                  country="Afghanistan", admin1="Hilmand", latitude="31.58", longitude="64.37", geo_precision="1",
                  source="Synthetic Test Wire", notes=f"SYNTHETIC API row {event_id}, not a real event",
                  fatalities="2")
    record.update(values)
    return record


def acled_read(page: int) -> str:
    return f"/api/acled/read?country=Afghanistan&limit=2&page={page}"


def test_acled_logs_in_then_reads_pages_with_the_token(server, monkeypatch, tmp_path):
    monkeypatch.setenv("ACLED_API_BASE", server.base)
    monkeypatch.setenv("ACLED_USERNAME", "analyst@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", "synthetic-password")
    server.route("POST", "/oauth/token", (200, {"access_token": "synthetic-bearer", "token_type": "Bearer"}))
    first = [acled_row("AFG9001"), acled_row("AFG9002", actor1="Islamic State (Afghanistan)")]
    server.route("GET", acled_read(1), (200, {"status": 200, "success": True, "count": 2, "data": first}))
    server.route("GET", acled_read(2), (503, {}), (200, {"status": 200, "success": True, "count": 1,
                                                         "data": [acled_row("AFG9003", fatalities="lots")]}))
    out = tmp_path / "afg"
    code, stdout, err, sleeps = fetch("acled", "--out", str(out), "--limit", "2")
    assert code == 0, err
    login = [r for r in server.log if r.method == "POST"]
    assert len(login) == 1 and urllib.parse.parse_qs(login[0].body) == {
        "username": ["analyst@example.org"], "password": ["synthetic-password"], "grant_type": ["password"],
        "client_id": ["acled"]}
    assert server.targets() == [acled_read(1), acled_read(2), acled_read(2)] and sleeps == [1.0]
    assert {r.headers.get("authorization") for r in server.log if r.method == "GET"} == {"Bearer synthetic-bearer"}
    assert "synthetic-password" not in err + stdout
    assert stdout.splitlines()[-1] == "read 3, imported 2, rejected 1"
    partial = Path(f"{out}.partial")
    assert f"{partial}/page-00002.json:1: fatalities: must be a whole number of deaths (found 'lots')" in err
    assert partial.is_dir() and "so the rejected rows can be looked up" in err
    rows = pd.read_csv(out / "attacks.csv", dtype=str, keep_default_na=False).set_index("event_id")
    assert list(rows["perpetrator"]) == ["Taliban", "Islamic State Khorasan Province"]
    assert set(rows["province"]) == {"Helmand"} and set(rows["target"]) == {"security forces"}


@pytest.mark.parametrize("source, unset, reason", [
    ("ucdp", ("UCDP_ACCESS_TOKEN",), "error: UCDP_ACCESS_TOKEN is not set; request an API token from UCDP"),
    ("acled", ("ACLED_USERNAME", "ACLED_PASSWORD"), "error: ACLED_USERNAME is not set; export your ACLED account's"),
    ("acled", ("ACLED_PASSWORD",), "error: ACLED_PASSWORD is not set; export your ACLED account's password"),
])
def test_missing_credentials_exit_with_one_line(tmp_path, source, unset, reason):
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({k: "set" for k in ("ACLED_USERNAME", "ACLED_PASSWORD") if k not in unset})
    env["UCDP_API_BASE"] = env["ACLED_API_BASE"] = "http://127.0.0.1:9"  # never reached
    result = cli_process("fetch", source, "--out", str(tmp_path / "o"), env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(reason)
    assert not (tmp_path / "o").exists()
