"""UCDP Georeferenced Event Dataset (GED) rows as attacks: column mapping, precision tables and actor names."""

from __future__ import annotations

import re

import pandas as pd

from trends.importers.common import Rejections, cleaned, decimal, iso_day, lookup, repeats, trimmed, whole
from trends.importers.context import Context

NAME = "ucdp"
COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
    "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
    "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)
# The columns the mapping reads; a file (or API page) without one of them cannot be imported.
USED = (
    "id", "type_of_violence", "side_a", "side_b", "source_article", "where_prec", "where_coordinates",
    "adm_1", "adm_2", "latitude", "longitude", "country", "country_id", "date_prec", "date_start", "date_end",
    "best", "high", "low",
)

# Read when present, for the folder's own totals (GED's civilian deaths per year); never required.
OPTIONAL = ("deaths_civilians",)

# where_prec (UCDP GED codebook) -> geo_precision:
#   1 exact location                                   -> exact
#   2 within about 25 km of a named place               -> district
#   3 second-order administrative unit (district, adm2) -> district
#   4 first-order administrative unit (province, adm1)  -> province
#   5 a part of the country larger than a province      -> province
#   6 the country only                                  -> country
#   7 international waters or airspace                  -> country
WHERE_PRECISION = {"1": "exact", "2": "district", "3": "district", "4": "province", "5": "province",
                   "6": "country", "7": "country"}
# date_prec -> date_precision: 1 the day, 2 a span of 2-6 days, 3 the month, 4 the year, 5 longer than a year.
DATE_PRECISION = {"1": "day", "2": "week", "3": "month", "4": "year", "5": "year"}
# type_of_violence: 1 state-based, 2 non-state, 3 one-sided (violence against civilians).
VIOLENCE_TYPES = ("1", "2", "3")

# UCDP's side_a is the first party of the dyad as UCDP orders it (in state-based conflict always the
# government), not an attribution of who attacked; it is kept as the perpetrator because GED has nothing
# better, and only these names are changed, so that the dashboard's actor filter matches the curated data:
#   Government of Afghanistan (events before 15 Aug 2021) -> Afghan government forces
#   IS, IS, Islamic State, Islamic State ... (Afghanistan only) -> Islamic State Khorasan Province
#   Taleban (UCDP's spelling)                              -> Taliban
# From 15 Aug 2021 UCDP's "Government of Afghanistan" is the Taliban-led one, so it is kept verbatim then.
AFGHAN_GOVERNMENT = "government of afghanistan"
TALIBAN_TAKEOVER = pd.Timestamp("2021-08-15")
IS_NAMES = {"is", "is islamic state", "islamic state", "isil", "isis", "is khorasan", "iskp",
            "islamic state khorasan province"}
TALIBAN_NAMES = {"taleban", "taliban"}
ISKP = "Islamic State Khorasan Province"

BAD_DATE = "must be a real date written YYYY-MM-DD (a time may follow)"
EVENT_PAGE = "https://ucdp.uu.se/event/"  # followed by the GED id
CITATION = ("Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. "
            "Journal of Peace Research 50(4): 523-532. UCDP also asks users to cite the current release's "
            "annual 'Organized violence' article (Davies et al.); see https://ucdp.uu.se/downloads/")


def version_from_name(file_name: str) -> str | None:
    """The GED release in a file name: `ged231.csv`, `GEDEvent_v23_1.csv`, `ucdp-23.1.csv` -> 23.1."""
    found = re.search(r"(?<!\d)(\d{2})[._](\d{1,2})(?!\d)", file_name) or re.search(
        r"(?i)ged[_-]?(\d{2})(\d)(?![\dA-Za-z])", file_name)
    return f"{found.group(1)}.{found.group(2)}" if found else None


def source_name(version: str | None) -> str:
    return f"UCDP GED {version}" if version else "UCDP GED"


def select(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, str]:
    """Rows of the country (by name, any case, or Gleditsch-Ward number); rows naming no country stay to be rejected."""
    wanted = ctx.country.strip()
    if wanted.isdigit():
        match = frame["country_id"].str.strip() == wanted
    else:
        match = frame["country"].str.strip().str.casefold() == wanted.casefold()
    unknown = frame["country"].isna() & frame["country_id"].isna()
    return (match | unknown).fillna(False).astype(bool), f"rows of other countries (--country {ctx.country})"


def _key(s: pd.Series) -> pd.Series:
    return s.str.casefold().str.replace(r"[^\w\s]", " ", regex=True).str.split().str.join(" ")


def perpetrators(side_a: pd.Series, start: pd.Series, afghanistan: bool) -> pd.Series:
    key = _key(side_a)
    out = side_a.copy()
    out[(key == AFGHAN_GOVERNMENT) & (start < TALIBAN_TAKEOVER)] = "Afghan government forces"
    out[key.isin(TALIBAN_NAMES)] = "Taliban"
    if afghanistan:
        out[key.isin(IS_NAMES)] = ISKP
    return out


def targets(violence: pd.Series, side_b: pd.Series) -> pd.Series:
    b_government = side_b.str.casefold().str.startswith("government of").fillna(False).astype(bool)
    out = pd.Series("other", index=violence.index, dtype="str")
    out[violence == "3"] = "civilians"
    out[(violence == "1") & b_government] = "security forces"
    return out


def to_attacks(f: pd.DataFrame, rej: Rejections, ctx: Context) -> pd.DataFrame:
    """Attack rows for the cleaned cells of `f`; each fault goes to `rej`, which marks the row rejected."""
    rej.add(f["country"].isna() & f["country_id"].isna(), "country", "is blank, and so is country_id")
    ids = f["id"]
    rej.add(ids.isna(), "id", "is blank; every UCDP event has an id")
    rej.add(ids.notna() & ~ids.str.fullmatch(r"\d+").fillna(False).astype(bool), "id", "must be a whole number")
    rej.add(ids.notna() & ids.duplicated(), "id", repeats(f, ids))

    start, end = iso_day(f["date_start"]), iso_day(f["date_end"])
    rej.add(start.isna(), "date_start", BAD_DATE)
    rej.add(f["date_end"].notna() & end.isna(), "date_end", BAD_DATE)
    rej.add(end < start, "date_end", "is before date_start")
    date_precision = lookup(f["date_prec"], DATE_PRECISION)
    rej.add(date_precision.isna(), "date_prec", "must be 1, 2, 3, 4 or 5")

    best, best_bad = whole(f["best"])
    low, low_bad = whole(f["low"])
    high, high_bad = whole(f["high"])
    rej.add(f["best"].isna(), "best", "is blank; UCDP gives a best estimate for every event")
    for col, bad in (("best", best_bad), ("low", low_bad), ("high", high_bad)):
        rej.add(bad, col, "must be a whole number of deaths")
    rej.add(low > best, "low", "is above best")
    rej.add(best > high, "high", "is below best")

    lat, lat_bad = decimal(f["latitude"], 90)
    lon, lon_bad = decimal(f["longitude"], 180)
    rej.add(lat_bad, "latitude", "must be a number of degrees between -90 and 90")
    rej.add(lon_bad, "longitude", "must be a number of degrees between -180 and 180")
    rej.add(f["latitude"].isna() != f["longitude"].isna(), "latitude", "latitude and longitude must be given together")
    geo_precision = lookup(f["where_prec"], WHERE_PRECISION)
    rej.add(geo_precision.isna(), "where_prec", "must be a whole number from 1 to 7")

    rej.add(~f["type_of_violence"].isin(VIOLENCE_TYPES), "type_of_violence", "must be 1, 2 or 3")
    rej.add(f["side_a"].isna(), "side_a", "is blank; every UCDP event names side_a")

    return pd.DataFrame({
        "event_id": "ucdp-" + ids,
        "date": start,
        "end_date": end.where(end != start),
        "date_precision": date_precision,
        "province": f["adm_1"],
        "district": f["adm_2"],
        "location": f["where_coordinates"],
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo_precision,
        "perpetrator": perpetrators(f["side_a"], start, ctx.afghanistan),
        "attack_type": "other",  # GED records no tactic
        "target": targets(f["type_of_violence"], f["side_b"]),
        "killed": best,
        "wounded": pd.Series(pd.NA, index=f.index, dtype="Int64"),  # GED counts no wounded
        "killed_low": low,
        "killed_high": high,
        "source": source_name(ctx.version),
        "source_url": EVENT_PAGE + ids,
        "notes": trimmed(f["source_article"]),
    }, index=f.index)


def yearly_totals(frame: pd.DataFrame, imported: pd.Index, ctx: Context) -> list[dict]:
    """GED's own civilian deaths (deaths_civilians) of the imported events, per year of date_start: kept in the
    folder's datapackage.json because the attacks columns have no place for them."""
    if "deaths_civilians" not in frame:
        return []
    rows = cleaned(frame.loc[imported], ("deaths_civilians", "date_start"))
    deaths, _ = whole(rows["deaths_civilians"])
    year = iso_day(rows["date_start"]).dt.year
    sums = deaths.groupby(year).sum(min_count=1).dropna()
    return [{"reporter": source_name(ctx.version), "measure": "civilian deaths", "period": str(int(y)),
             "period_start": f"{int(y)}-01-01", "period_end": f"{int(y)}-12-31", "value": int(v)}
            for y, v in sums.items()]


def package(ctx: Context) -> dict:
    """What datapackage.json says about a GED import: name, version, citation, terms and the URL form used."""
    return {
        "title": f"{source_name(ctx.version)} events, {ctx.country_label} (imported)",
        "source_dataset": {"name": "UCDP Georeferenced Event Dataset (GED)", "version": ctx.version or "not stated",
                           "publisher": "Uppsala Conflict Data Program (UCDP), Uppsala University",
                           "path": "https://ucdp.uu.se/downloads/", "input": ctx.origin},
        "citation": CITATION,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0, UCDP's terms for its datasets: cite UCDP"}],
        "source_url_form": "https://ucdp.uu.se/event/<id>: UCDP's page for the event (GED id)",
        "mapping": {
            "perpetrator": "UCDP side_a, which is the first party of the dyad as UCDP orders it (in state-based "
                           "conflict always the government) and NOT an attribution of who attacked. Renamed: "
                           "Government of Afghanistan (before 15 Aug 2021) -> Afghan government forces; IS "
                           "variants (Afghanistan only) -> Islamic State Khorasan Province; Taleban -> Taliban.",
            "target": "type_of_violence 3 (one-sided) -> civilians; 1 (state-based) with side_b a government -> "
                      "security forces; other state-based and 2 (non-state) -> other.",
            "attack_type": "other: GED records no tactic.",
            "geo_precision": "where_prec 1 exact; 2, 3 district; 4, 5 province; 6, 7 country.",
            "date_precision": "date_prec 1 day; 2 week; 3 month; 4, 5 year.",
            "killed": "best; killed_low and killed_high are low and high. wounded is blank: GED has no such count.",
            "notes": "source_article (UCDP's citation of its sources), cut to 300 characters.",
        },
        "caveats": [
            "Perpetrator is UCDP's side_a, not an attribution of who attacked: in state-based events the "
            "government is side_a whoever struck first.",
            "From 15 August 2021 UCDP's 'Government of Afghanistan' is the Taliban-led government; those rows "
            "keep UCDP's name rather than 'Afghan government forces'.",
            "GED counts deaths only: wounded is blank, never 0.",
        ],
    }
