"""Command line over a dataset folder: validate, export, brief, publish, talks, sources, alerts, import, fetch, synth."""

from __future__ import annotations

import argparse
import sys

from trends.cli import commands
from trends.cli import publish_command
from trends.cli import watch_commands
from trends.importers import commands as import_commands
from trends.dataset.loading import FolderError, load_dataset


def _validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.folder)
    except FolderError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for notice in dataset.notices:
        print(f"notice: {notice}")
    for problem in dataset.problems + dataset.findings:
        print(problem)
    missing = [r.file for r in dataset.reports.values() if r.missing]
    for report in dataset.reports.values():
        if not report.missing:
            print(f"{report.file}: {report.rows_read} rows read, {report.rows_loaded} loaded, "
                  f"{report.rows_rejected} rejected"
                  + (f", {len(report.findings)} found by the checks across rows" if report.findings else ""),
                  file=sys.stderr)
    if missing:
        return 2
    return 1 if dataset.problems or dataset.findings else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trends", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = sub.add_parser("validate", help="check a dataset folder; print file:line: column: reason per fault")
    validate.add_argument("folder", nargs="?", help="dataset folder (default: TRENDS_DATA_DIR or data/)")
    validate.set_defaults(func=_validate)
    commands.register(sub)
    publish_command.register(sub)
    watch_commands.register(sub)
    import_commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except commands.BadInput as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
