"""The `import` and `fetch` subcommands of `python -m trends`."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the importer subcommands to the CLI (filled in by the importers)."""
