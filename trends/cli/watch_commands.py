"""The `sources` and `alerts` subcommands of `python -m trends`: reporters side by side, province surges."""

from __future__ import annotations

import argparse
import json

from trends.analysis import alerts
from trends.analysis import sources
from trends.cli.commands import BadInput, _filter_args, _load, _spec, value_filter_args, value_filter_params
from trends.filters import FilterSpec
from trends.engines.open import engine_of


def _sources(args) -> int:
    dataset = _load(args)
    spec = _spec(args, dataset)
    table = sources.sources_table(dataset, engine_of(dataset), spec)
    print(json.dumps(sources.as_json(table), indent=2) if args.format == "json" else sources.as_markdown(table))
    return 0


def _alerts(args) -> int:
    dataset = _load(args)
    engine = engine_of(dataset)
    domain = engine.domain(dataset.provinces)
    spec = FilterSpec.from_params(value_filter_params(args), domain)
    if spec.notices:
        raise BadInput(" ".join(spec.notices))
    try:
        at = alerts.alert_spec(args.end, args.window, args.baseline, domain.last)
    except ValueError as err:
        raise BadInput(str(err)) from None
    table = alerts.alerts(engine, list(dataset.provinces["province"]), spec, at)
    caution = alerts.SELECTION_CAUTION if dataset.selection else None
    if args.format == "json":
        result = alerts.as_json(table, at)
        if caution:
            result["caution"] = caution
        print(json.dumps(result, indent=2))
    else:
        print(alerts.as_markdown(table, at, caution))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sources", help="every reporter's figures side by side, per year and published period")
    _filter_args(s)
    s.add_argument("--format", choices=["md", "json"], default="md")
    s.set_defaults(func=_sources)
    a = sub.add_parser("alerts", help="province surge alerts: recent events against the baseline rate")
    a.add_argument("--data", help="dataset folder (default: TRENDS_DATA_DIR or data/)")
    value_filter_args(a)  # no date range: the window sets the days
    a.add_argument("--end", help="last day of the window, YYYY-MM-DD (default: the last day of data)")
    a.add_argument("--window", type=int, default=alerts.WINDOW, help="days in the recent window (default 28)")
    a.add_argument("--baseline", type=int, default=alerts.BASELINE, help="days before it (default 364)")
    a.add_argument("--format", choices=["md", "json"], default="md")
    a.set_defaults(func=_alerts)
