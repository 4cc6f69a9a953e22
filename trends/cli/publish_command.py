"""The `publish` subcommand of `python -m trends`: a view as a static page that works offline."""

from __future__ import annotations

import argparse
import sys

from trends.wording import permalink
from trends.cli.commands import BadInput, _filter_args, _load, _spec
from trends.publish.page import PublishError, publish, web_url


def _publish(args) -> int:
    dataset = _load(args)
    spec = _spec(args, dataset)
    try:
        written = publish(dataset, spec, args.out, args.base_url)
    except PublishError as err:
        raise BadInput(str(err)) from None
    if not web_url(permalink(spec, args.base_url)):
        print("notice: no public http(s) address was given (--base-url or TRENDS_PUBLIC_URL), so the page says so "
              "instead of linking back to the live view", file=sys.stderr)
    print(f"wrote {written[0]} (open it from the folder; {written[1].name} must stay beside it)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="a view as a static page (index.html and plotly.min.js) that works offline")
    _filter_args(p)
    p.add_argument("--out", required=True, help="folder to write index.html and plotly.min.js into")
    p.add_argument("--base-url", help="the dashboard's public address for the link back (or TRENDS_PUBLIC_URL)")
    p.set_defaults(func=_publish)
