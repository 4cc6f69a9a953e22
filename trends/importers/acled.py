"""ACLED export rows as attacks: column mapping, tactic and actor tables."""

from __future__ import annotations

import pandas as pd

from trends.importers.common import Rejections, decimal, iso_day, lookup, repeats, trimmed, whole
from trends.importers.context import Context

NAME = "acled"
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
USED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "civilian_targeting", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
)
# Attacks and armed events; protests, riots and strategic developments are not attacks (kept with --all-events).
ARMED_EVENT_TYPES = {"battles", "explosions/remote violence", "violence against civilians"}

TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION = {"1": "exact", "2": "district", "3": "province"}
# sub_event_type (any case) -> attack_type; every other sub-event type is `other`.
TACTICS = {
    "suicide bomb": "suicide attack",
    "remote explosive/landmine/ied": "IED",
    "armed clash": "armed assault",
    "attack": "armed assault",
    "shelling/artillery/missile attack": "indirect fire",
    "air/drone strike": "airstrike",
    "abduction/forced disappearance": "abduction",
    "non-state actor overtakes territory": "ground offensive",
    "government regains territory": "ground offensive",
}


def tactics(sub_event_types: pd.Series) -> pd.Series:
    """The contract's attack_type for each ACLED sub_event_type (any case or spacing); "other" when unlisted."""
    return sub_event_types.str.strip().str.casefold().map(TACTICS).fillna("other").astype("str")
# actor1 -> perpetrator, by pattern on the lower-cased name; every other actor is kept as ACLED writes it.
# "Military Forces of Afghanistan (2021-)" are the Taliban's forces after the takeover, so that open-ended
# period is kept verbatim rather than called "Afghan government forces".
ACTORS = (
    (r"^taliban\b", "Taliban"),
    (r"^(?:islamic state \(afghanistan\)|islamic state[ -]khorasan(?: province)?\b|iskp\b)",
     "Islamic State Khorasan Province"),
    (r"^(?:military|police) forces of afghanistan(?: \((?!2021-\)).*)?$", "Afghan government forces"),
)
SECURITY_FORCES = r"^(?:military|police) forces of "
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")  # ACLED's API and exports write 2018-08-01; older exports 01 August 2018

HOME = "https://acleddata.com/"
CITATION = ("Raleigh, Clionadh, Andrew Linke, Havard Hegre and Joakim Karlsen (2010). Introducing ACLED: "
            "An Armed Conflict Location and Event Dataset. Journal of Peace Research 47(5): 651-660.")


def select(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, str]:
    """Rows of the country (any case) that are attacks or armed events; rows naming no country stay to be rejected."""
    named = frame["country"].str.strip().str.casefold()
    keep = (named == ctx.country.strip().casefold()) | frame["country"].isna()
    what = f"rows of other countries (--country {ctx.country})"
    if not ctx.all_events:
        armed = frame["event_type"].str.strip().str.casefold().isin(ARMED_EVENT_TYPES) | frame["event_type"].isna()
        keep &= armed
        what += " or of event types that are not attacks (protests, riots, strategic developments; "
        what += "--all-events keeps them)"
    return keep.fillna(False).astype(bool), what


def event_dates(s: pd.Series) -> pd.Series:
    out = iso_day(s)
    for fmt in DATE_FORMATS[1:]:
        out = out.fillna(pd.to_datetime(s, format=fmt, errors="coerce"))
    return out


def perpetrators(actor1: pd.Series) -> pd.Series:
    key = actor1.str.casefold()
    out = actor1.copy()
    for pattern, name in ACTORS:
        out[key.str.contains(pattern, regex=True).fillna(False).astype(bool)] = name
    return out


def targets(civilian_targeting: pd.Series, actor2: pd.Series) -> pd.Series:
    key = actor2.str.casefold()
    civilians = (civilian_targeting.str.casefold() == "civilian targeting") | key.str.startswith("civilians")
    security = key.str.contains(SECURITY_FORCES, regex=True)
    out = pd.Series("other", index=actor2.index, dtype="str")
    out[security.fillna(False).astype(bool)] = "security forces"
    out[civilians.fillna(False).astype(bool)] = "civilians"
    return out


def to_attacks(f: pd.DataFrame, rej: Rejections, ctx: Context) -> pd.DataFrame:
    """Attack rows for the cleaned cells of `f`; each fault goes to `rej`, which marks the row rejected."""
    ids = f["event_id_cnty"]
    rej.add(f["country"].isna(), "country", "is blank")
    rej.add(ids.isna(), "event_id_cnty", "is blank; every ACLED event has an id")
    rej.add(ids.notna() & ids.duplicated(), "event_id_cnty", repeats(f, ids))
    date = event_dates(f["event_date"])
    rej.add(date.isna(), "event_date", "must be a real date written YYYY-MM-DD or like 01 August 2018")
    date_precision = lookup(f["time_precision"], TIME_PRECISION)
    rej.add(date_precision.isna(), "time_precision", "must be 1, 2 or 3")
    geo_precision = lookup(f["geo_precision"], GEO_PRECISION)
    rej.add(geo_precision.isna(), "geo_precision", "must be 1, 2 or 3")
    killed, killed_bad = whole(f["fatalities"])
    rej.add(killed_bad, "fatalities", "must be a whole number of deaths")
    lat, lat_bad = decimal(f["latitude"], 90)
    lon, lon_bad = decimal(f["longitude"], 180)
    rej.add(lat_bad, "latitude", "must be a number of degrees between -90 and 90")
    rej.add(lon_bad, "longitude", "must be a number of degrees between -180 and 180")
    rej.add(f["latitude"].isna() != f["longitude"].isna(), "latitude", "latitude and longitude must be given together")
    rej.add(f["actor1"].isna(), "actor1", "is blank; every ACLED event names actor1")

    tactic = tactics(f["sub_event_type"])
    source = ("ACLED: " + f["source"]).fillna("ACLED")
    return pd.DataFrame({
        "event_id": "acled-" + ids,
        "date": date,
        "end_date": pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]"),
        "date_precision": date_precision,
        "province": f["admin1"],
        "district": f["admin2"],
        "location": f["location"],
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo_precision,
        "perpetrator": perpetrators(f["actor1"]),
        "attack_type": tactic,
        "target": targets(f["civilian_targeting"], f["actor2"]),
        "killed": killed,
        "wounded": pd.Series(pd.NA, index=f.index, dtype="Int64"),  # ACLED counts no wounded
        "killed_low": pd.Series(pd.NA, index=f.index, dtype="Int64"),
        "killed_high": pd.Series(pd.NA, index=f.index, dtype="Int64"),
        "source": source,
        "source_url": HOME,  # ACLED publishes no page per event
        "notes": trimmed(f["notes"]),
    }, index=f.index)


def package(ctx: Context) -> dict:
    """What datapackage.json says about an ACLED import: name, citation, terms and the URL used."""
    return {
        "title": f"ACLED events, {ctx.country_label} (imported)",
        "source_dataset": {"name": "Armed Conflict Location & Event Data (ACLED)",
                           "version": ctx.version or "export of the date in last_updated",
                           "publisher": "ACLED", "path": HOME, "input": ctx.origin},
        "citation": CITATION + " Cite the export as ACLED asks in its terms of use.",
        "licenses": [{"name": "ACLED-terms-of-use", "path": "https://acleddata.com/terms-of-use/",
                      "title": "ACLED Terms of Use: attribution required; the rows may not be redistributed"}],
        "source_url_form": "https://acleddata.com/ for every row: ACLED publishes no page per event; "
                           "source names the publishers ACLED cites",
        "mapping": {
            "perpetrator": "actor1; Taliban variants -> Taliban; Islamic State (Afghanistan) and Islamic State "
                           "Khorasan Province variants -> Islamic State Khorasan Province; Military or Police "
                           "Forces of Afghanistan (periods up to 2021) -> Afghan government forces; "
                           "'(2021-)' kept verbatim.",
            "attack_type": "sub_event_type: " + "; ".join(f"{k} -> {v}" for k, v in TACTICS.items())
                           + "; any other -> other.",
            "target": "civilian_targeting 'Civilian targeting' or actor2 'Civilians ...' -> civilians; actor2 "
                      "military or police forces -> security forces; else other.",
            "date_precision": "time_precision 1 day; 2 week; 3 month.",
            "geo_precision": "geo_precision 1 exact; 2 district; 3 province.",
            "killed": "fatalities; wounded is blank: ACLED has no such count.",
            "notes": "ACLED's notes, cut to 300 characters.",
        },
        "caveats": [
            "ACLED's terms forbid redistributing its rows: do not publish or commit this folder.",
            "ACLED writes 0 fatalities where its sources report none, so 0 here can mean 'none reported'.",
            "Only battles, explosions/remote violence and violence against civilians are imported unless "
            "--all-events was given.",
        ],
    }
