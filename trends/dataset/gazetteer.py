"""Province names: canonical spellings, their aliases, and the area that event coordinates may fall in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from trends.contract.schema import Area

# Capitals sit inside their provinces, so their box is smaller than the country's: pad it.
AREA_PADDING_DEGREES = 2.0


def name_key(name: str) -> str:
    """Spelling-insensitive key: case, hyphens, apostrophes and a trailing 'province' do not matter."""
    key = re.sub(r"[-_'`’.]", " ", str(name).casefold())
    key = re.sub(r"\bprovince\b", " ", key)
    return " ".join(key.split())


@dataclass(frozen=True)
class Gazetteer:
    """Canonical province names with an alias lookup."""

    names: tuple[str, ...]
    lookup: dict[str, str]
    area: Area | None

    @classmethod
    def from_frame(cls, provinces: pd.DataFrame) -> Gazetteer:
        lookup: dict[str, str] = {}
        for row in provinces.itertuples(index=False):
            spellings = [row.province, row.iso_code] + str(row.aliases or "").split(";")
            for spelling in spellings:
                if spelling and str(spelling).strip() and str(spelling) != "nan":
                    lookup.setdefault(name_key(spelling), row.province)
        lat, lon = provinces["latitude"].dropna(), provinces["longitude"].dropna()
        area = None
        if len(lat):
            pad = AREA_PADDING_DEGREES
            area = Area(round(lat.min() - pad, 2), round(lat.max() + pad, 2),
                        round(lon.min() - pad, 2), round(lon.max() + pad, 2))
        return cls(tuple(provinces["province"]), lookup, area)

    def canonical(self, name: str | None) -> str | None:
        """The canonical spelling, or None when the name is not known."""
        if name is None:
            return None
        return self.lookup.get(name_key(name))

    def canonicalise(self, series: pd.Series) -> pd.Series:
        """Map every known spelling to its canonical name; leave unknown ones as written for the error."""
        mapped = series.map(lambda v: self.canonical(v) if isinstance(v, str) else None)
        return mapped.where(mapped.notna(), series)
