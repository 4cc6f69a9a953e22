"""bench/load.py's websocket client against real servers, and make serve's nginx config and proxy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench import load
from deploy.serve import COOKIE, nginx_binary, nginx_config, run_as
from tests.conftest import ROOT

TINY = '''"""A page for the load client's tests: it raises or dawdles when its URL asks it to."""
import time

import streamlit as st

st.title("Tiny")
if st.query_params.get("fail") == "1":
    raise ValueError("asked to fail")
time.sleep(float(st.query_params.get("sleep", "0")))
st.write("done")
'''
NGINX_REQUIRED = os.environ.get("TRENDS_REQUIRE_NGINX") == "1"


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None)


needs_nginx = pytest.mark.skipif(not _nginx() and not NGINX_REQUIRED,
                                 reason="nginx is missing (make test installs it as root)")


def _wait(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the server exited with {proc.returncode}"
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no health check at {url} within {seconds} s")


@pytest.fixture(scope="module")
def tiny_app(tmp_path_factory) -> Path:
    app = tmp_path_factory.mktemp("tiny") / "app.py"
    app.write_text(TINY)
    return app


@pytest.fixture(scope="module")
def tiny_server(tiny_app):
    port = load.free_base(0)
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(tiny_app), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=tiny_app.parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(url, proc)
        yield url
    finally:
        load.stop(proc)


def test_every_session_of_a_burst_finishes_without_errors(tiny_server):
    sessions = load.burst(tiny_server, [""] * 4, timeout=60)
    assert len(sessions) == 4
    assert [s.error for s in sessions] == [None] * 4
    assert all(0 < s.seconds < 60 for s in sessions)
    assert load.summary(sessions)["errors"] == 0


def test_a_script_that_raises_is_counted_only_for_the_sessions_that_asked_for_it(tiny_server):
    sessions = load.burst(tiny_server, ["fail=1", "", "fail=1", "", "start=2018-01-01"], timeout=60)
    assert [s.error for s in sessions] == ["exception on page", None, "exception on page", None, None]
    assert load.summary(sessions)["errors"] == 2


def test_a_burst_runs_from_a_thread_that_already_runs_an_event_loop(tiny_server):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        return load.burst(tiny_server, ["", "fail=1"], timeout=60)
    # On a thread of its own, so the test does not depend on what loop the suite left in the main thread.
    with ThreadPoolExecutor(1) as pool:
        sessions = pool.submit(asyncio.run, inside()).result()
    assert [s.error for s in sessions] == [None, "exception on page"]


def test_a_session_past_its_timeout_is_an_error(tiny_server):
    # Wide margins on both sides, so a busy machine cannot make the quick page miss its timeout: the quick page
    # takes well under a second alone, the slow one sleeps 30 s, and the timeout (10 s) lies far between them.
    sessions = load.burst(tiny_server, ["sleep=30", ""], timeout=10)
    assert [s.error for s in sessions] == ["timeout after 10 s", None]
    assert 10 <= sessions[0].seconds < 30


def test_refused_connections_are_errors():
    nobody = f"http://127.0.0.1:{load.free_base(0)}/"
    sessions = load.burst(nobody, [""] * 3, timeout=10)
    assert load.summary(sessions)["errors"] == 3
    assert all("Connect" in s.error or "Errno" in s.error for s in sessions)


def test_summary_of_known_times():
    sessions = [load.Session(float(t)) for t in range(1, 21)]
    sessions[4].error = "exception on page"
    got = load.summary(sessions)
    assert (got["p50"], got["max"], got["errors"]) == (10.5, 20.0, 1)
    assert got["p95"] == pytest.approx(19.05)
    assert load.summary([load.Session(0.5)])["p95"] == 0.5


def test_stream_url_keeps_host_port_and_base_path():
    assert load.stream_url("http://127.0.0.1:8501/") == ("ws://127.0.0.1:8501/_stcore/stream", "http://127.0.0.1:8501")
    assert load.stream_url("https://example.org/dash") == ("wss://example.org/dash/_stcore/stream",
                                                           "https://example.org")


def test_nginx_config_lists_every_worker_and_upgrades_websockets(tmp_path):
    conf = nginx_config([9101, 9102, 9103], "127.0.0.1:9100", tmp_path)
    assert re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=3 fail_timeout=10s;", conf) == ["9101", "9102", "9103"]
    assert "listen 127.0.0.1:9100;" in conf and "hash $worker_key consistent;" in conf
    stream = conf.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    for line in ("proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                 "proxy_set_header Host $http_host;", "proxy_read_timeout 1d;"):
        assert line in stream
    assert "proxy_http_version 1.1;" in conf
    # Everything nginx writes stays in the given folder.
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[ ;]", conf, re.M)
    assert len(paths) == 8 and all(p.startswith(str(tmp_path)) for p in paths)
    assert "\nuser " not in conf and nginx_config([1], "2", tmp_path, "www www").startswith(
        "# Written by deploy/serve.py at every start; edits are lost.\nuser www www;\n")


@needs_nginx
def test_nginx_accepts_the_generated_config(tmp_path):
    (tmp_path / "temp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config([9101, 9102], "127.0.0.1:9100", tmp_path, run_as()))
    out = subprocess.run([nginx_binary(), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf),
                          "-t"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@needs_nginx
def test_sessions_through_nginx_finish_and_spread_over_two_workers(tiny_app, tmp_path):
    port = load.free_base(2)
    url = f"http://127.0.0.1:{port}/"
    folder = tmp_path / "nginx"
    proc = subprocess.Popen([sys.executable, "deploy/serve.py", "--workers", "2", "--port", str(port), "--address",
                             "127.0.0.1", "--app", str(tiny_app), "--dir", str(folder)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(url, proc)
        sessions = load.burst(url, [""] * 20, timeout=60)
        assert load.summary(sessions)["errors"] == 0 and len(sessions) == 20

        # A new browser is given the cookie; one that has it keeps its worker and is not given another.
        with urllib.request.urlopen(url + "healthz") as r:
            assert r.read() == b"ok"
            assert re.fullmatch(COOKIE + r"=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax",
                                [v for k, v in r.getheaders() if k == "Set-Cookie"][0])
        kept = urllib.request.Request(url + "_stcore/health?kept", headers={"Cookie": f"{COOKIE}={'ab' * 16}"})
        for _ in range(6):
            with urllib.request.urlopen(kept) as r:
                assert COOKIE not in " ".join(r.headers.get_all("Set-Cookie") or [])

        # nginx logs a request just after answering it, so the log is read until every line is in.
        log = folder / "access.log"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            lines = log.read_text().splitlines()
            streams = [line for line in lines if "/_stcore/stream" in line]
            kept_on = [line.rsplit("upstream=", 1)[1] for line in lines if "/_stcore/health?kept" in line]
            if len(streams) == 20 and len(kept_on) == 6:
                break
            time.sleep(0.1)
        assert len(streams) == 20 and all(" 101 " in line for line in streams)
        workers = {line.rsplit("upstream=", 1)[1] for line in streams}
        assert workers == {f"127.0.0.1:{port + 1}", f"127.0.0.1:{port + 2}"}
        assert len(kept_on) == 6 and len(set(kept_on)) == 1
    finally:
        load.stop(proc)
    assert proc.returncode == 0
    assert not (folder / "nginx.pid").exists()  # nginx stopped too
