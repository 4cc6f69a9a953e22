"""fetch ucdp --release: a local server plays UCDP's downloads page, serving a SYNTHETIC archive in the GED layout."""

from __future__ import annotations

import contextlib
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from tests.conftest import ROOT
from trends.cli.main import build_parser
from trends.importers.commands import run_fetch
from trends.dataset.loading import load_dataset

GED = ROOT / "tests" / "fixtures" / "ucdp" / "GEDEvent_v23_1_synthetic.csv"


def ged_zip(csv_bytes: bytes, name: str = "GEDEvent_v25_1.csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, csv_bytes)
    return buffer.getvalue()


class Downloads(BaseHTTPRequestHandler):
    """path -> (status, body bytes, declared length or None); anything else is 404."""

    def do_GET(self):  # noqa: N802
        self.server.seen.append(self.path)
        status, body, declared = self.server.files.get(self.path, (404, b"not found", None))
        self.send_response(status)
        self.send_header("Content-Length", str(declared if declared is not None else len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def site(monkeypatch):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Downloads)
    httpd.files, httpd.seen = {}, []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("UCDP_DOWNLOADS_BASE", f"http://127.0.0.1:{httpd.server_address[1]}")
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def fetch(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_fetch(build_parser().parse_args(["fetch", "ucdp", *args]))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def old_folder(tmp_path):
    """A dataset folder already in place, which a failed fetch must leave as it was."""
    folder = tmp_path / "ucdp-afg"
    folder.mkdir()
    (folder / "attacks.csv").write_text("SYNTHETIC previous import\n")
    return folder


def test_release_archive_is_downloaded_checked_and_imported(site, tmp_path):
    site.files["/downloads/ged/ged251-csv.zip"] = (200, ged_zip(GED.read_bytes()), None)
    out = tmp_path / "ucdp-afg"
    code, stdout, err = fetch("--release", "25.1", "--country", "Afghanistan", "--out", str(out))
    assert code == 0, err
    assert site.seen == ["/downloads/ged/ged251-csv.zip"]
    # The same 19 rows as `import ucdp` of the fixture: 3 of other countries skipped, 9 imported, 10 rejected.
    assert stdout.splitlines()[-1] == "read 19, imported 9, rejected 10"
    assert "fetch ucdp: [##############################] 100%" in err
    rows = pd.read_csv(out / "attacks.csv", dtype=str, keep_default_na=False)
    assert len(rows) == 9 and set(rows["source"]) == {"UCDP GED 25.1"}
    assert load_dataset(out).problems == []


def test_no_network_is_one_line_and_exit_2(monkeypatch, old_folder):
    monkeypatch.setenv("UCDP_DOWNLOADS_BASE", "http://127.0.0.1:9")  # the discard port: nothing listens
    code, stdout, err = fetch("--release", "25.1", "--out", str(old_folder))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach http://127.0.0.1:9/downloads/ged/ged251-csv.zip")
    assert (old_folder / "attacks.csv").read_text() == "SYNTHETIC previous import\n"


def test_an_unknown_release_names_the_releases_the_page_lists(site, old_folder):
    site.files["/downloads/"] = (200, b'<a href="ged/ged241-csv.zip">24.1</a> <a href="ged/ged251-csv.zip">25.1</a>'
                                      b' <a href="ged/ged251.pdf">codebook</a>', None)
    code, _, err = fetch("--release", "99.1", "--out", str(old_folder))
    assert code == 2
    assert "UCDP has no GED release 99.1" in err and "the downloads page lists 25.1, 24.1" in err
    assert (old_folder / "attacks.csv").read_text() == "SYNTHETIC previous import\n"


@pytest.mark.parametrize("case, body, declared, reason", [
    ("truncated", None, 10_000_000, "the download stopped after"),
    ("html", b"<html><body>Maintenance</body></html>", None, "the download is not a zip archive"),
    ("not ged", "zip:id,name\n1,SYNTHETIC\n", None, "is not a GED events file"),
])
def test_a_bad_download_is_rejected_and_the_old_folder_kept(site, old_folder, case, body, declared, reason):
    if body is None:
        body = ged_zip(GED.read_bytes())[:2000]
    elif isinstance(body, str):
        body = ged_zip(body.removeprefix("zip:").encode())
    site.files["/downloads/ged/ged251-csv.zip"] = (200, body, declared)
    code, _, err = fetch("--release", "25.1", "--out", str(old_folder))
    assert code == 2, err
    assert reason in err and f"{old_folder} was left as it was" in err
    assert sorted(p.name for p in old_folder.iterdir()) == ["attacks.csv"]
    assert (old_folder / "attacks.csv").read_text() == "SYNTHETIC previous import\n"


def test_a_release_must_look_like_one(old_folder):
    code, _, err = fetch("--release", "latest", "--out", str(old_folder))
    assert code == 2 and "give a GED release as two digits, a dot and one digit" in err
