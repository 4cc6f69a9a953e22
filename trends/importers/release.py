"""Download a UCDP GED release archive (public, no token), check it, and hand its CSV to the importer."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Callable

from trends.importers.http import FetchError
from trends.importers.reader import ExportError

UCDP_DOWNLOADS = "https://ucdp.uu.se"
CHUNK = 1 << 20  # bytes read at a time: the archive (about 150 MB) never sits in memory
BAR = 30


def release_code(release: str) -> str:
    """'25.1' -> '251', the form of the archive's file name."""
    if not re.fullmatch(r"\d{2}\.\d", release.strip()):
        raise ExportError(f"--release {release}: give a GED release as two digits, a dot and one digit (e.g. 25.1)")
    return release.strip().replace(".", "")


def archive_url(base: str, release: str) -> str:
    return f"{base.rstrip('/')}/downloads/ged/ged{release_code(release)}-csv.zip"


def listed_releases(base: str, timeout: float = 30.0) -> list[str]:
    """The GED releases that the downloads page links to, newest first (empty if the page cannot be read)."""
    try:
        with urllib.request.urlopen(f"{base.rstrip('/')}/downloads/", timeout=timeout) as response:
            page = response.read(4 * CHUNK).decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError, ValueError):
        return []
    codes = set(re.findall(r"ged(\d{2})(\d)-csv\.zip", page))
    return [f"{a}.{b}" for a, b in sorted(codes, reverse=True)]


def progress_bar(done: int, total: int | None) -> str:
    mb = done / 1e6
    if not total:
        return f"fetch ucdp: {mb:,.1f} MB"
    filled = int(BAR * done / total)
    return f"fetch ucdp: [{'#' * filled}{' ' * (BAR - filled)}] {100 * done / total:3.0f}% {mb:,.1f} of " \
           f"{total / 1e6:,.1f} MB"


def download(url: str, dest: Path, base: str, release: str, timeout: float = 60.0,
             show: Callable[[str], None] | None = None) -> Path:
    """Stream `url` to `dest` (through dest.part, so a file named dest is always whole). Raises FetchError with
    a reason a person can act on: no network, no such release, a download cut short."""
    show = show or (lambda line: print(line, file=sys.stderr, flush=True))
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, part.open("wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            done, shown = 0, -1
            while chunk := response.read(CHUNK):
                out.write(chunk)
                done += len(chunk)
                step = int(20 * done / total) if total else done // (10 * CHUNK)
                if step != shown:
                    show(progress_bar(done, total))
                    shown = step
    except urllib.error.HTTPError as err:
        part.unlink(missing_ok=True)
        if err.code == 404:
            known = listed_releases(base, timeout)
            listed = f"; the downloads page lists {', '.join(known)}" if known else \
                "; the downloads page lists no GED release"
            raise FetchError(f"UCDP has no GED release {release} ({url} answered 404){listed}") from None
        raise FetchError(f"{url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as err:
        part.unlink(missing_ok=True)
        reason = getattr(err, "reason", err)
        raise FetchError(f"cannot reach {url} ({reason}); check the network connection and try again") from None
    if total is not None and done != total:
        part.unlink(missing_ok=True)
        raise FetchError(f"{url}: the download stopped after {done:,} of {total:,} bytes; try again")
    part.replace(dest)
    return dest


def extract_csv(archive: Path, folder: Path, required: tuple[str, ...]) -> Path:
    """The archive's CSV, written to `folder`, once it is shown to be a zip whose CSV has the GED header."""
    if not zipfile.is_zipfile(archive):
        raise ExportError(f"{archive.name}: the download is not a zip archive (a web page or a partial file?); "
                          "nothing was imported")
    with zipfile.ZipFile(archive) as z:
        members = [m for m in z.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()]
        if not members:
            raise ExportError(f"{archive.name}: the archive holds no CSV file; nothing was imported")
        member = max(members, key=lambda m: m.file_size)
        with z.open(member) as raw:
            header = next(csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")), [])
        missing = [c for c in required if c not in header]
        if missing:
            raise ExportError(f"{archive.name}: {member.filename} is not a GED events file (its header lacks "
                              f"{', '.join(missing[:5])}); nothing was imported")
        target = folder / Path(member.filename).name
        try:
            with z.open(member) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
        except (zipfile.BadZipFile, EOFError, OSError) as err:
            raise ExportError(f"{archive.name}: the archive is damaged ({err}); nothing was imported") from None
    return target
