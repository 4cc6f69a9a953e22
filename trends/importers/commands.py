"""The `import` and `fetch` subcommands of `python -m trends`."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from trends.importers import acled, fetch, release, ucdp
from trends.importers.context import Context
from trends.importers.http import FetchError, Http
from trends.importers.output import OutputError
from trends.importers.pipeline import NothingImported, Summary, import_rows
from trends.importers.places import is_afghanistan
from trends.importers.reader import ExportError, read_export

SOURCES = {"ucdp": ucdp, "acled": acled}


def _report(summary: Summary) -> None:
    for notice in summary.notices:
        print(f"notice: {notice}", file=sys.stderr)
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    if summary.out is not None:
        print(f"wrote {summary.out}", file=sys.stderr)
    print(summary.line())


def _run(make_rows: Callable, source, ctx: Context, out: Path) -> tuple[int, Summary | None]:
    """Exit status: 0 written, 1 every row rejected (nothing written), 2 unusable input, network or folder."""
    try:
        summary = import_rows(make_rows(), source, ctx, out)
    except NothingImported as err:
        _report(err.args[0])
        print(f"error: no row could be imported; {out} was left as it was", file=sys.stderr)
        return 1, err.args[0]
    except (ExportError, OutputError, FetchError, fetch.MissingCredentials, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2, None
    _report(summary)
    return 0, summary


def _import(args: argparse.Namespace) -> int:
    source = SOURCES[args.source]
    path = Path(args.file)
    version = args.version or (ucdp.version_from_name(path.name) if source is ucdp else None)
    ctx = Context(args.country, is_afghanistan(args.country), version, str(path),
                  all_events=getattr(args, "all_events", False))
    return _run(lambda: read_export(path, source.USED, getattr(source, "OPTIONAL", ())), source, ctx,
                Path(args.out))[0]


def run_release(args: argparse.Namespace) -> int:
    """Download UCDP's public GED archive of one release, check it, and import one country from it."""
    base = os.environ.get("UCDP_DOWNLOADS_BASE", release.UCDP_DOWNLOADS)
    out = Path(args.out)
    try:
        url = release.archive_url(base, args.release)
    except ExportError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ucdp-release-") as tmp:
        try:
            archive = release.download(url, Path(tmp) / url.rsplit("/", 1)[-1], base, args.release)
            path = release.extract_csv(archive, Path(tmp), ucdp.USED)
        except (FetchError, ExportError, OSError) as err:
            print(f"error: {err}; {out} was left as it was", file=sys.stderr)
            return 2
        ctx = Context(args.country, is_afghanistan(args.country), args.release, url)
        return _run(lambda: read_export(path, ucdp.USED, ucdp.OPTIONAL), ucdp, ctx, out)[0]


def run_fetch(args: argparse.Namespace, sleep: Callable[[float], None] = time.sleep) -> int:
    """Fetch every page (cached pages are not asked for again), import them, and drop the cache on success."""
    if getattr(args, "release", None):
        return run_release(args)
    source = SOURCES[args.source]
    out = Path(args.out)
    partial = Path(str(out) + ".partial")
    progress = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    http = Http(sleep=sleep, log=progress)
    try:
        if source is ucdp:
            base = os.environ.get("UCDP_API_BASE", fetch.UCDP_BASE).rstrip("/")
            token = fetch.env("UCDP_ACCESS_TOKEN", "request an API token from UCDP (https://ucdp.uu.se/apidocs/)")
            version = args.version or fetch.DEFAULT_UCDP_VERSION
            gwno = fetch.ucdp_country(args.country)
            origin = f"{base}/api/gedevents/{version}?Country={gwno}"
            query = {"source": "ucdp", "base": base, "version": version, "country": gwno}
            cache = fetch.PageCache(partial, query, progress)
            pages = lambda: fetch.ucdp_pages(http, cache, base, version, gwno, token, progress)  # noqa: E731
            country = gwno
        else:
            base = os.environ.get("ACLED_API_BASE", fetch.ACLED_BASE).rstrip("/")
            fetch.env("ACLED_USERNAME", "export your ACLED account's e-mail address (and ACLED_PASSWORD)")
            fetch.env("ACLED_PASSWORD", "export your ACLED account's password")
            version, country = args.version, args.country
            origin = f"{base}/api/acled/read?country={country}"
            query = {"source": "acled", "base": base, "country": country, "limit": args.limit}
            cache = fetch.PageCache(partial, query, progress)
            pages = lambda: fetch.acled_pages(http, cache, base, country, args.limit, progress)  # noqa: E731
    except (fetch.MissingCredentials, ExportError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    ctx = Context(country, is_afghanistan(country), version, origin, all_events=getattr(args, "all_events", False))
    status, summary = _run(lambda: fetch.as_rows(pages(), source.USED, origin), source, ctx, out)
    if status == 0 and not summary.rejected:
        shutil.rmtree(partial, ignore_errors=True)
    elif summary is not None:
        # Rejections name the page files, so they stay until the reader has looked.
        print(f"notice: the pages stay in {partial}/ so the rejected rows can be looked up; "
              "delete it to fetch afresh", file=sys.stderr)
    elif any(partial.glob("page-*.json")):
        print(f"notice: the pages fetched so far are kept in {partial}/; run the same command again to resume",
              file=sys.stderr)
    return status


def _common(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="dataset folder to write (replaced atomically; an old one survives a failure)")
    parser.add_argument("--country", default="Afghanistan",
                        help="country name, any case" + (", or Gleditsch-Ward number (700)" if name == "ucdp" else "")
                        + " (default: Afghanistan)")
    parser.add_argument("--version", help="the source's release, e.g. 23.1 (import ucdp: default from the file "
                                          f"name; fetch ucdp: default {fetch.DEFAULT_UCDP_VERSION})")
    if name == "acled":
        parser.add_argument("--all-events", action="store_true",
                            help="also import protests, riots and strategic developments (as attack_type other)")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `import ucdp|acled FILE` and `fetch ucdp|acled` to the CLI."""
    imp = sub.add_parser("import", help="turn a UCDP GED or ACLED CSV export into a dataset folder")
    imp_sub = imp.add_subparsers(dest="source", required=True, metavar="SOURCE")
    for name, what in (("ucdp", "UCDP GED CSV (49 columns; the HDX variant with an HXL row too)"),
                       ("acled", "ACLED CSV export")):
        parser = imp_sub.add_parser(name, help=f"import a {what}")
        parser.add_argument("file", help=f"the {what}")
        _common(parser, name)
        parser.set_defaults(func=_import)
    get = sub.add_parser("fetch", help="download UCDP GED or ACLED events from their API into a dataset folder")
    get_sub = get.add_subparsers(dest="source", required=True, metavar="SOURCE")
    for name, creds in (("ucdp", "UCDP_ACCESS_TOKEN"), ("acled", "ACLED_USERNAME and ACLED_PASSWORD")):
        parser = get_sub.add_parser(name, help=f"fetch from the {name.upper()} API (needs {creds}); pages are "
                                                f"cached in DIR.partial/ so a rerun resumes")
        _common(parser, name)
        if name == "acled":
            parser.add_argument("--limit", type=int, default=fetch.ACLED_PAGE_SIZE, help="rows per page")
        else:
            parser.add_argument("--release", metavar="RELEASE",
                                help="download UCDP's public archive of this GED release (e.g. 25.1; no token "
                                     "needed) instead of asking the API")
        parser.set_defaults(func=run_fetch)
