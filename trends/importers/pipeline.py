"""From source rows to a written dataset folder: select the country, map, place, reject, count, write."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from trends.contract import vocab
from trends.dataset.gazetteer import Gazetteer
from trends.contract.problems import Problem
from trends.importers import package
from trends.importers.common import Rejections, cleaned
from trends.importers.context import Context
from trends.importers.output import PARQUET_ABOVE, write_dataset
from trends.importers.places import built_names, built_provinces, bundled_provinces, canonical_names
from trends.importers.reader import ExportError, RawRows


class NothingImported(Exception):
    """Every row was rejected; the old folder is left as it was."""


@dataclass
class Summary:
    read: int
    imported: int
    rejected: int
    skipped: int
    out: Path | None
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"read {self.read}, imported {self.imported}, rejected {self.rejected}"


def _no_rows(frame: pd.DataFrame, ctx: Context) -> ExportError:
    seen = frame["country"].dropna().value_counts().head(8).index.tolist() if "country" in frame else []
    listed = f"; countries in the input: {', '.join(seen)}" if seen else ""
    return ExportError(f"{ctx.origin}: no rows for --country {ctx.country}{listed}")


def _outside(attacks: pd.DataFrame, good: pd.Series, provinces: pd.DataFrame):
    """Rows whose point lies outside the box the dashboard's validator allows for this gazetteer."""
    area = Gazetteer.from_frame(provinces).area
    if area is None:
        return None, None
    lat, lon = attacks["latitude"], attacks["longitude"]
    inside = lat.between(area.lat_min, area.lat_max) & lon.between(area.lon_min, area.lon_max)
    return good & lat.notna() & ~inside, area


def import_rows(raw: RawRows, source, ctx: Context, out: Path, parquet_above: int = PARQUET_ABOVE) -> Summary:
    """Map the rows of one country and write the folder; every row read is imported or listed as rejected."""
    keep, skipped_what = source.select(raw.frame, ctx)
    frame = raw.frame[keep]
    if frame.empty:  # most likely a misspelt --country: say so rather than list every other row's faults
        raise _no_rows(raw.frame, ctx)
    named = frame["country"].dropna()
    ctx = replace(ctx, country_label=named.mode().iloc[0] if len(named) else ctx.country)
    notices = list(raw.notices)
    skipped = int((~keep).sum())
    if skipped:
        notices.append(f"{ctx.origin}: skipped {skipped} {skipped_what}")

    f = cleaned(frame, source.USED)
    rej = Rejections(f, raw.problems)
    attacks = source.to_attacks(f, rej, ctx)
    admin1 = attacks["province"]
    if ctx.afghanistan:
        provinces = bundled_provinces()
        attacks["province"], _ = canonical_names(admin1, Gazetteer.from_frame(provinces))
    else:
        attacks["province"], aliases = built_names(admin1)
    good = ~rej.bad
    # A built gazetteer's box depends on the rows kept, so drop outliers until it no longer moves.
    while True:
        if not ctx.afghanistan:
            provinces = built_provinces(attacks[good], aliases)
        outside, area = _outside(attacks, good, provinces)
        if outside is None or not outside.any():
            break
        rej.add(outside, "latitude", f"coordinates fall outside the gazetteer's area ({area.describe()})",
                shown=f["latitude"] + ", " + f["longitude"])
        good &= ~outside

    unknown = admin1[good & admin1.notna() & (attacks["province"] == vocab.UNKNOWN_PROVINCE)].value_counts()
    if len(unknown):
        listed = ", ".join(f"{name} ({count})" for name, count in unknown.items())
        notices.append(f"{ctx.origin}: {int(unknown.sum())} imported rows name an admin-1 unit that is not in "
                       f"provinces.csv, so their province is Unknown: {listed}")
    final = attacks[good]
    summary = Summary(len(frame) + len(raw.problems), len(final), rej.count, skipped, None,
                      rej.problems(), notices)
    if final.empty:
        raise NothingImported(summary)
    counts = {"input": ctx.origin, "country": ctx.country, "rows_read": summary.read,
              "rows_imported": summary.imported, "rows_rejected": summary.rejected, "rows_skipped": skipped}
    attacks_path = "attacks.parquet" if len(final) > parquet_above else "attacks.csv"
    descriptor = package.build(source.package(ctx), source.NAME, ctx.country_label, counts, attacks_path,
                               ctx.afghanistan)
    if hasattr(source, "yearly_totals"):
        descriptor["source_totals"] = source.yearly_totals(frame, final.index, ctx)
    summary.out = write_dataset(out, final, None if ctx.afghanistan else provinces, descriptor, parquet_above)
    return summary
