"""Fetch UCDP GED and ACLED events from their APIs, page by page, caching each page so a rerun resumes."""

from __future__ import annotations

import json
import os
import urllib.parse
from pathlib import Path
from typing import Callable

import pandas as pd

from trends.importers.http import FetchError, Http
from trends.importers.reader import ExportError, RawRows, require_columns, rows_from_records

UCDP_BASE = "https://ucdpapi.pcr.uu.se"
ACLED_BASE = "https://acleddata.com"
# The GED release current when this was written; --version asks for another.
DEFAULT_UCDP_VERSION = "25.1"
UCDP_PAGE_SIZE = 1000
ACLED_PAGE_SIZE = 5000
# The UCDP API filters by Gleditsch-Ward number; names are known only for the country this project is about.
GLEDITSCH_WARD = {"afghanistan": "700"}


class MissingCredentials(Exception):
    """An environment variable the API needs is not set."""


def _write_json(path: Path, payload) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(part, path)  # a page file is either whole or absent, whatever kills the run


class PageCache:
    """Pages already fetched, as JSON files in DIR.partial/, valid for one query only."""

    def __init__(self, folder: Path, query: dict, log: Callable[[str], None]):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        stamp = folder / "query.json"
        try:
            same = json.loads(stamp.read_text(encoding="utf-8")) == query
        except (OSError, ValueError):
            same = False
        if not same:
            stale = sorted(folder.glob("page-*.json"))
            if stale:
                log(f"{folder}: {len(stale)} cached pages are for another query; fetching afresh")
            for page in stale:
                page.unlink()
            _write_json(stamp, query)

    def path(self, n: int) -> Path:
        return self.folder / f"page-{n:05d}.json"

    def get(self, n: int):
        try:
            return json.loads(self.path(n).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, n: int, payload) -> None:
        _write_json(self.path(n), payload)


def env(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingCredentials(f"{name} is not set; {why}")
    return value


def ucdp_country(country: str) -> str:
    wanted = country.strip()
    if wanted.isdigit():
        return wanted
    if wanted.casefold() in GLEDITSCH_WARD:
        return GLEDITSCH_WARD[wanted.casefold()]
    raise ExportError(f"--country {country}: give UCDP's Gleditsch-Ward number for this country (Afghanistan is 700)")


def ucdp_pages(http: Http, cache: PageCache, base: str, version: str, gwno: str, token: str,
               progress: Callable[[str], None]) -> list[tuple[Path, list]]:
    pages, n, total = [], 0, None
    while total is None or n < total:
        payload, state = cache.get(n), "cached"
        if payload is None:
            query = urllib.parse.urlencode({"pagesize": UCDP_PAGE_SIZE, "page": n, "Country": gwno})
            payload = http.json(f"{base}/api/gedevents/{version}?{query}", headers={"x-ucdp-access-token": token})
            if not isinstance(payload, dict) or not isinstance(payload.get("Result"), list) \
                    or not isinstance(payload.get("TotalPages"), int):
                raise FetchError(f"{base}: page {n} is not a GED events page (no Result list or TotalPages)")
            cache.put(n, payload)
            state = "fetched"
        total = payload["TotalPages"]
        progress(f"fetch ucdp: page {n + 1}/{max(total, 1)} ({state})")
        pages.append((cache.path(n), payload["Result"]))
        n += 1
    return pages


def acled_token(http: Http, base: str) -> str:
    username = env("ACLED_USERNAME", "export your ACLED account's e-mail address and ACLED_PASSWORD")
    password = env("ACLED_PASSWORD", "export your ACLED account's password")
    reply = http.json(f"{base}/oauth/token", form={"username": username, "password": password,
                                                   "grant_type": "password", "client_id": "acled"})
    token = reply.get("access_token") if isinstance(reply, dict) else None
    if not token:
        raise FetchError(f"{base}/oauth/token: the reply has no access_token")
    return token


def acled_pages(http: Http, cache: PageCache, base: str, country: str, limit: int,
                progress: Callable[[str], None]) -> list[tuple[Path, list]]:
    pages, n, token = [], 1, None
    while True:
        payload, state = cache.get(n), "cached"
        if payload is None:
            token = token or acled_token(http, base)  # only when a page is missing: a full cache needs no login
            query = urllib.parse.urlencode({"country": country, "limit": limit, "page": n})
            payload = http.json(f"{base}/api/acled/read?{query}", headers={"Authorization": f"Bearer {token}"})
            if not isinstance(payload, dict) or payload.get("success") is False \
                    or not isinstance(payload.get("data"), list):
                reason = payload.get("error") if isinstance(payload, dict) else None
                raise FetchError(f"{base}/api/acled/read: page {n} is not an events page ({reason or 'no data list'})")
            cache.put(n, payload)
            state = "fetched"
        rows = payload["data"]
        progress(f"fetch acled: page {n} ({len(rows)} rows, {state})")
        pages.append((cache.path(n), rows))
        if len(rows) < limit:
            return pages
        n += 1


def as_rows(pages: list[tuple[Path, list]], required: tuple[str, ...], origin: str) -> RawRows:
    frames = [rows_from_records(rows, str(path)) for path, rows in pages if rows]
    if not frames:
        raise ExportError(f"{origin}: the API returned no events")
    frame = pd.concat(frames, ignore_index=True)
    require_columns(frame, required, origin)
    return RawRows(frame)
