"""Words the app, the published page and the CLI share: counts, responsibility by basis, links, scopes."""

from __future__ import annotations

import os
import re

import pandas as pd

from trends.filters import FilterSpec, format_day

NO_PUBLIC_URL = ("no link: this dashboard has no public address set (TRENDS_PUBLIC_URL or --base-url); the view "
                 "is ?{query}")
NATIONAL = "national totals for all parties; the sidebar's value filters do not apply to them"
_LOCAL_HOSTS = re.compile(r"^https?://(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\])(:\d+)?(/|$)", re.I)


def count(n: int, one: str, many: str) -> str:
    """'1 attack', '2 attacks', '1,204 attacks'."""
    return f"{n:,} {one if n == 1 else many}"


def responsibility(perpetrator, basis) -> str:
    """Who did it, in words as strong as the evidence: 'claimed by the Taliban', 'attributed by officials to
    Islamic State Khorasan Province', 'Taliban suspected', 'perpetrator unknown'."""
    name = perpetrator if isinstance(perpetrator, str) and perpetrator else None
    if name is None or name == "Unknown" or basis == "unknown":
        return "perpetrator unknown"
    if basis == "claimed":
        return f"claimed by {name}"
    if basis == "attributed":
        return f"attributed by officials to {name}"
    if basis == "suspected":
        return f"{name} suspected"
    return f"by {name}, as the dataset codes it"  # an import that records no basis


def public_base(url: str | None = None) -> str | None:
    """The dashboard's public address: the one given, else TRENDS_PUBLIC_URL; a local address is none."""
    base = url or os.environ.get("TRENDS_PUBLIC_URL") or None
    return None if base is None or _LOCAL_HOSTS.match(base) else base


def permalink(spec: FilterSpec, base_url: str | None = None) -> str | None:
    """The view's address on the public dashboard, or None where no public address is known."""
    base = public_base(base_url)
    if base is None:
        return None
    return base.rstrip("?") + ("&" if "?" in base else "?") + spec.query_string()


def link_or_note(spec: FilterSpec, base_url: str | None = None) -> str:
    """The permalink, or a sentence saying why there is none and what the view is."""
    return permalink(spec, base_url) or NO_PUBLIC_URL.format(query=spec.query_string())


def scope(spec: FilterSpec) -> str:
    """The span and the value filters of a view, for a chart's subtitle: '1 January 2018 to 31 December 2019, in
    Kabul, by Taliban'."""
    return ", ".join([f"{format_day(spec.start)} to {format_day(spec.end)}", *spec.value_clauses()])


def file_stem(spec: FilterSpec) -> str:
    """The view in a file name: dates, then each chosen value (attacks-2018-01-01_2018-12-31-kabul-taliban.csv)."""
    values = [v for _, chosen in spec.chosen() for v in chosen]
    words = "-".join(re.sub(r"[^a-z0-9]+", "-", v.lower()).strip("-") for v in values)
    return f"{spec.start}_{spec.end}" + (f"-{words[:80].rstrip('-')}" if words else "")


# The heading and caveat over a curated selection's own counts, on the Overview and the published page alike.
SELECTION_HEADING, EVENTS_HEADING = "Notable attacks: a curated selection", "Events in this dataset"
SELECTION_NOTE = ("The rest of this page counts the dataset's own rows: attacks picked from published reports by one "
                  "rule for every year (25 or more killed, or a high-profile kind the rule names; see About the "
                  "data). They show what was deadly or high-profile and reported, not how much violence there was; "
                  "the totals above are the reporters' counts.")


def number(n) -> str:
    """A count with thousands separators; blank where unknown."""
    return "" if n is None or pd.isna(n) else f"{int(n):,}"


def qualified(n, qualifier: str) -> str:
    """A count with its qualifier: '1,000', 'at least 1,000'; blank where unknown."""
    if n is None or pd.isna(n):
        return ""
    return number(n) if qualifier == "exact" else f"{qualifier} {number(n)}"


# The recurring sentences, one wording each wherever they appear.
NO_EVENTS = "No events match these filters."


def no_total_inside(span: str) -> str:
    """Said where no published period lies wholly inside the view (`span`: its dates in words)."""
    return f"No authority published a total for a period that lies inside {span}."


def no_total_meets(span: str) -> str:
    """Said where no published period even overlaps the view."""
    return f"No authority published a total for a period that meets {span}."
