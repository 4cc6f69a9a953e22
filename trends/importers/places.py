"""Admin-1 names to provinces: the bundled Afghan gazetteer, or one built from the imported events."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from trends.contract import vocab
from trends.dataset.gazetteer import Gazetteer, name_key
from trends.dataset.loading import DEFAULT_DATA_DIR

AFGHANISTAN_NAMES = {"afghanistan", "700"}  # UCDP's Gleditsch-Ward number for Afghanistan is 700
# A built gazetteer knows no capital; the provinces schema requires the column, so it says so in words.
NO_CAPITAL = "not known"


def is_afghanistan(country: str) -> bool:
    return country.strip().casefold() in AFGHANISTAN_NAMES


def bundled_provinces(data: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    frame = pd.read_csv(data / "provinces.csv", dtype=str, keep_default_na=False, na_values=[""])
    for col in ("latitude", "longitude"):
        frame[col] = pd.to_numeric(frame[col])
    return frame


def canonical_names(admin1: pd.Series, gazetteer: Gazetteer) -> tuple[pd.Series, Counter]:
    """Canonical province per row (Unknown when blank or not in the gazetteer), and the unknown names counted."""
    distinct = admin1.dropna().unique()
    table = {name: gazetteer.canonical(name) or vocab.UNKNOWN_PROVINCE for name in distinct}
    province = admin1.map(table).fillna(vocab.UNKNOWN_PROVINCE).astype("str")
    unknown = Counter({n: int(c) for n, c in admin1[province == vocab.UNKNOWN_PROVINCE].value_counts().items()})
    return province, unknown


def spelled(admin1: pd.Series) -> pd.Series:
    """Admin-1 names without the trailing word UCDP adds (`Kabul province` -> `Kabul`)."""
    return admin1.str.replace(r"(?i)\s+province$", "", regex=True)


def built_names(admin1: pd.Series) -> tuple[pd.Series, dict[str, list[str]]]:
    """Group spellings that differ only in case, hyphens or `province`; the commonest spelling names the group."""
    names = spelled(admin1)
    # Commonest first; ties keep the order of first appearance, so the result does not depend on hashing.
    counts = names.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    groups: dict[str, list[str]] = {}
    for name in counts.index:  # commonest first, so the first of each group is its canonical spelling
        groups.setdefault(name_key(name), []).append(name)
    for raw in admin1.dropna().unique():
        spellings = groups[name_key(raw)]
        if raw not in spellings:
            spellings.append(raw)
    table = {name: groups[name_key(name)][0] for name in counts.index}
    canonical = names.map(table)
    return canonical.fillna(vocab.UNKNOWN_PROVINCE).astype("str"), {v[0]: v[1:] for v in groups.values()}


def built_provinces(attacks: pd.DataFrame, aliases: dict[str, list[str]]) -> pd.DataFrame:
    """One row per admin-1 name seen, placed at the mean of its events' coordinates.

    iso_code repeats the name: the importer knows no ISO 3166-2 code, and an invented one would look official.
    """
    named = attacks[attacks["province"] != vocab.UNKNOWN_PROVINCE]
    centre = named.groupby("province")[["latitude", "longitude"]].mean().round(4)
    rows = pd.DataFrame({"province": sorted(named["province"].unique())})
    rows["iso_code"] = rows["province"]
    rows["capital"] = NO_CAPITAL
    rows["latitude"] = rows["province"].map(centre["latitude"])
    rows["longitude"] = rows["province"].map(centre["longitude"])
    rows["region"] = None
    rows["aliases"] = rows["province"].map(lambda p: "; ".join(aliases.get(p, [])) or None)
    rows["source_url"] = None
    return rows[list(vocab.PROVINCE_COLUMNS)]
