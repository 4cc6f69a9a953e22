"""What an import run knows besides the rows: the country asked for, the release and where the rows came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    country: str              # as given on the command line (name, or UCDP's Gleditsch-Ward number)
    afghanistan: bool         # the bundled gazetteer, meetings and casualties apply
    version: str | None       # the source's release, when known (UCDP GED 23.1, ...)
    origin: str               # the file read, or the API address the pages came from
    country_label: str = ""   # the country's name as the source writes it, for titles
    all_events: bool = False  # ACLED: keep protests and strategic developments too
