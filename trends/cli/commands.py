"""The analysis subcommands of `python -m trends`: brief, talks and export."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from trends.analysis.brief import brief, brief_markdown
from trends.analysis.reported import in_range
from trends.publish.export import csv_bytes, event_rows
from trends.contract.fields import FIELDS
from trends.filters import FilterSpec
from trends.dataset.loading import FolderError, load_dataset
from trends.analysis.talks import WINDOWS, event_study, parties_of, select_meetings
from trends.engines.open import engine_of


class BadInput(Exception):
    """Input that the command cannot use; the message is the one-line reason."""


def _filter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", help="dataset folder (default: TRENDS_DATA_DIR or data/)")
    parser.add_argument("--start", help="first day, YYYY-MM-DD (default: first event)")
    parser.add_argument("--end", help="last day, YYYY-MM-DD (default: last event)")
    value_filter_args(parser)
    parser.add_argument("--freq", default="month", help="week, month, quarter or year")


def value_filter_args(parser: argparse.ArgumentParser) -> None:
    """A repeatable flag per filter field (--province, --attack-type, ...)."""
    for f in FIELDS:
        parser.add_argument(f"--{f.param.replace('_', '-')}", dest=f.param, action="append", default=[],
                            help=f"keep only this {f.label.lower()} (repeatable)")


def value_filter_params(args) -> dict[str, list[str]]:
    """The value filters given on the command line, as URL parameters."""
    return {f.param: getattr(args, f.param) for f in FIELDS if getattr(args, f.param, None)}


def _load(args):
    try:
        dataset = load_dataset(args.data)
    except FolderError as err:
        raise BadInput(str(err)) from err
    if "attacks.parquet" not in dataset.reports and dataset.reports["attacks.csv"].missing:
        raise BadInput(f"{dataset.folder}: attacks.csv is missing")
    return dataset


def _spec(args, dataset) -> FilterSpec:
    params = {k: [v] for k in ("start", "end", "freq") if (v := getattr(args, k, None))}
    params.update(value_filter_params(args))
    spec = FilterSpec.from_params(params, dataset.view_domain(engine_of(dataset)))
    if spec.notices:
        raise BadInput(" ".join(spec.notices))
    return spec


def _brief(args) -> int:
    dataset = _load(args)
    spec = _spec(args, dataset)
    engine = engine_of(dataset)
    figures = in_range(dataset.attack_counts, dataset.casualties, spec.start, spec.end)
    result = brief(engine, dataset.meetings, spec, dataset_title=dataset.title, base_url=args.base_url,
                   first=engine.domain(dataset.provinces).first, reported_figures=figures,
                   selection=dataset.selection)
    print(json.dumps(result, indent=2) if args.format == "json" else brief_markdown(result))
    return 0


def _export(args) -> int:
    dataset = _load(args)
    spec = _spec(args, dataset)
    sys.stdout.buffer.write(csv_bytes(event_rows(engine_of(dataset).events(spec))))
    return 0


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def talks_result(study) -> dict:
    """The event study as plain JSON-ready values (the page shows the same)."""
    meetings = []
    for row in study.meetings.itertuples(index=False):
        meetings.append({"meeting_id": row.meeting_id, "title": row.title, "kind": row.kind,
                         "date": row.date.date().isoformat(),
                         "end_date": row.end_date.date().isoformat() if row.end_date == row.end_date else None,
                         "before": int(row.before), "during": int(row.during), "after": int(row.after),
                         "change": int(row.change), "killed_before": int(row.killed_before),
                         "killed_after": int(row.killed_after), "overlaps": bool(row.overlaps)})
    overall = {k: _clean(v) for k, v in study.overall.items()}
    overall["verdict"] = study.verdict
    return {"window": study.window, "meetings": meetings, "overall": overall,
            "excluded": [{"meeting_id": r.meeting_id, "reason": r.reason} for r in study.excluded.itertuples()]}


def _talks(args) -> int:
    if args.window not in WINDOWS:
        raise BadInput(f"--window must be one of {', '.join(map(str, WINDOWS))}")
    dataset = _load(args)
    unknown = sorted(set(args.kind) - set(dataset.meetings["kind"]))
    if unknown:
        raise BadInput(f"no meetings of kind {', '.join(unknown)}")
    unknown = sorted(set(args.party) - set(parties_of(dataset.meetings)))
    if unknown:
        raise BadInput(f"no meetings with party {', '.join(unknown)}")
    meetings = select_meetings(dataset.meetings, args.kind, args.party)
    engine = engine_of(dataset)
    domain = engine.domain(dataset.provinces)
    daily = engine.daily(FilterSpec(domain.first, domain.last))
    study = event_study(daily, meetings, args.window, exclude_overlaps=args.exclude_overlaps, first=domain.first,
                        last=domain.last)
    result = talks_result(study)
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return 0
    o = result["overall"]
    print(f"# Attacks {args.window} days before and after {o['n']} meetings\n")
    print("| meeting | date | before | during | after | change | overlaps |\n|---|---|---|---|---|---|---|")
    for m in result["meetings"]:
        print(f"| {m['title']} | {m['date']} | {m['before']} | {m['during']} | {m['after']} | {m['change']:+d} | "
              f"{'yes' if m['overlaps'] else ''} |")
    fmt = lambda v: "n/a" if v is None else f"{v:+.2f}"  # noqa: E731
    print(f"\nMean change (after minus before): {fmt(o['mean_change'])} attacks, 95% bootstrap interval "
          f"{fmt(o['ci_low'])} to {fmt(o['ci_high'])}; placebo p-value "
          f"{'n/a' if o['p_value'] is None else round(o['p_value'], 4)}.\n\n{o['verdict']}")
    return 0


def _synth(args) -> int:
    from trends.dataset.synth import write_synthetic

    if args.events < 1:
        raise BadInput("--events must be at least 1")
    from trends.dataset.loading import DEFAULT_DATA_DIR

    out = Path(args.out).resolve()
    if out == DEFAULT_DATA_DIR or DEFAULT_DATA_DIR in out.parents:
        raise BadInput("synthetic data never goes into data/; choose another --out folder")
    folder = write_synthetic(args.out, args.events, parquet=args.parquet, seed=args.seed)
    print(f"wrote {args.events:,} SYNTHETIC events to {folder}")
    return 0


def _spans(args: argparse.Namespace) -> int:
    from trends.analysis.spans import markdown

    print(markdown(_load(args)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("brief", help="plain-English brief of a view, with sources and a permalink")
    _filter_args(b)
    b.add_argument("--format", choices=["md", "json"], default="md")
    b.add_argument("--base-url", help="the dashboard's public address for the permalink (or TRENDS_PUBLIC_URL)")
    b.set_defaults(func=_brief)
    e = sub.add_parser("export", help="CSV of the filtered events (the same as the download button)")
    _filter_args(e)
    e.add_argument("--format", choices=["csv"], default="csv")
    e.set_defaults(func=_export)
    t = sub.add_parser("talks", help="attacks before and after meetings: event study with placebo test")
    t.add_argument("--data", help="dataset folder (default: TRENDS_DATA_DIR or data/)")
    t.add_argument("--window", type=int, default=14, help="days before and after: 7, 14 or 30")
    t.add_argument("--kind", action="append", default=[], help="meeting kind (repeatable), e.g. talks")
    t.add_argument("--party", action="append", default=[], help="meetings with this party (repeatable)")
    t.add_argument("--exclude-overlaps", action="store_true", help="leave out meetings whose windows overlap")
    t.add_argument("--format", choices=["json", "md"], default="md")
    t.set_defaults(func=_talks)
    s = sub.add_parser("spans", help="from when to when each file and reported series reaches (the README's table)")
    s.add_argument("--data", help="dataset folder (default: TRENDS_DATA_DIR or data/)")
    s.set_defaults(func=_spans)
    y = sub.add_parser("synth", help="write a SYNTHETIC dataset folder for benchmarks and tests")
    y.add_argument("--events", type=int, required=True, help="number of synthetic events")
    y.add_argument("--out", required=True, help="folder to write (not data/)")
    y.add_argument("--parquet", action="store_true", help="write attacks.parquet instead of attacks.csv")
    y.add_argument("--seed", type=int, default=0)
    y.set_defaults(func=_synth)
