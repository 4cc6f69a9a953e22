"""Pandera schemas that validate each dataset file as raw text, so every fault is reported per row."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from trends.contract import vocab

_WHOLE = r"-?\d+"
_DECIMAL = r"-?\d+(\.\d+)?"
# A host may end in a dot (a fully qualified name, as some pages are addressed).
_URL = r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}\.?(:\d+)?([/?#][^\s]*)?"


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce")


def _day(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")


def _check(fn, error: str) -> pa.Check:
    # The error text doubles as the reason shown to people, so it is written for them.
    return pa.Check(fn, error=error, ignore_na=True)


def _column(kind: str, required: bool = False, values: tuple = (), unique: bool = False) -> pa.Column:
    checks = {
        "text": [],
        "count": [
            _check(lambda s: s.str.fullmatch(_WHOLE), "must be a whole number"),
            _check(lambda s: ~s.str.startswith("-"), "must not be negative"),
        ],
        "date": [_check(lambda s: _day(s).notna(), "must be a real date written YYYY-MM-DD")],
        "decimal": [_check(lambda s: s.str.fullmatch(_DECIMAL), "must be a decimal number")],
        "enum": [_check(lambda s: s.isin(values), "must be one of: " + ", ".join(values))],
        "url": [_check(lambda s: s.str.fullmatch(_URL), "must be a full http(s) URL")],
    }[kind]
    return pa.Column(
        object, checks=checks, nullable=not required, required=required, unique=unique,
        report_duplicates="exclude_first",
    )


@dataclass(frozen=True)
class Area:
    """Bounding box that event coordinates must fall in."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    def describe(self) -> str:
        return (f"latitude {self.lat_min:g}..{self.lat_max:g}, "
                f"longitude {self.lon_min:g}..{self.lon_max:g}")


def _ordered(low: str, high: str):
    def fn(df: pd.DataFrame) -> pd.Series:
        if low not in df or high not in df:
            return pd.Series(True, index=df.index)
        a, b = (_day(df[low]), _day(df[high])) if "date" in low or "period" in low else (_num(df[low]), _num(df[high]))
        return ~(a > b)
    return fn


def _paired(a: str, b: str):
    def fn(df: pd.DataFrame) -> pd.Series:
        if a not in df or b not in df:
            return pd.Series(True, index=df.index)
        return df[a].isna() == df[b].isna()
    return fn


def _inside(area: Area):
    def fn(df: pd.DataFrame) -> pd.Series:
        if "latitude" not in df or "longitude" not in df:
            return pd.Series(True, index=df.index)
        lat, lon = _num(df["latitude"]), _num(df["longitude"])
        ok = lat.between(area.lat_min, area.lat_max) & lon.between(area.lon_min, area.lon_max)
        return ok | lat.isna() | lon.isna()
    return fn


def _filled(column: str):
    """A column the file may leave out, but that, once in the header, every row fills."""
    def fn(df: pd.DataFrame) -> pd.Series:
        return df[column].notna() if column in df else pd.Series(True, index=df.index)
    return fn


def _blank(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].isna() if column in df else pd.Series(True, index=df.index)


# Words that say how a claim was made: a spokesman, a statement, a post, the Islamic State's news agency.
_CLAIM_CHANNEL = (r"(?i)\b(?:spokes(?:man|person|men)|statement|amaq|twitter|tweet|telegram|website|message|video|"
                  r"news agency|phone|call|audio|posting|post|e-?mail|sms|text|on X|interview|claim(?:ed)? (?:on|in|through|via)|"
                  r"acknowledg\w*|announc\w*|admit\w*|press release|briefing|"
                  # Said outright where the reports name no channel: the curator looked and found none.
                  r"channel not reported)\b")
# Words that say a toll includes the attackers ("466 killed, 326 of them Taliban fighters").
_INCLUDES_ATTACKERS = (r"(?:including|of them|of whom|among them|among the dead(?: were)?)\s+(?:the\s+)?"
                       r"(?:\d[\d,]*\s+)?(?:\w+\s+)?"
                       r"(?:attackers?|assailants?|gunmen|bombers?|militants?|insurgents?|fighters?)\b")
# Notes that describe an event lasting days ("a five-day siege", "the siege ended").
_MULTI_DAY = r"(?i)\b(?:\w+-day (?:siege|battle|offensive|assault|fighting)|siege (?:lasted|ended)|days of fighting)\b"


def _basis_detail_given(df: pd.DataFrame) -> pd.Series:
    if "basis_detail" not in df or "perpetrator_basis" not in df:
        return pd.Series(True, index=df.index)
    named = df["perpetrator_basis"].isin(("claimed", "attributed", "suspected"))
    return ~named | df["basis_detail"].notna()


def _claim_says_how(df: pd.DataFrame) -> pd.Series:
    if "basis_detail" not in df or "perpetrator_basis" not in df:
        return pd.Series(True, index=df.index)
    claimed = (df["perpetrator_basis"] == "claimed") & df["basis_detail"].notna()
    return ~claimed | df["basis_detail"].fillna("").str.contains(_CLAIM_CHANNEL, regex=True)


def _basis_matches_name(df: pd.DataFrame) -> pd.Series:
    if "perpetrator_basis" not in df:
        return pd.Series(True, index=df.index)
    unknown_name = df["perpetrator"] == "Unknown"
    unknown_basis = df["perpetrator_basis"] == "unknown"
    return ~(unknown_name & df["perpetrator_basis"].notna() & ~unknown_basis) & ~(unknown_basis & ~unknown_name)


def _toll_told(column: str):
    """Where the file has `column`, every row with a toll fills it (the toll's report, or its date). A report that
    shows no date says so in `report` ("date not shown"), and its toll_date stays blank rather than guessed."""
    def fn(df: pd.DataFrame) -> pd.Series:
        if column not in df:
            return pd.Series(True, index=df.index)
        undated = df["report"].fillna("").str.contains("date not shown", case=False, regex=False) \
            if column == "toll_date" and "report" in df else pd.Series(False, index=df.index)
        return (_blank(df, "killed") & _blank(df, "wounded")) | df[column].notna() | undated
    return fn


def _counts_attackers(killed: str, notes: str) -> bool:
    """True where the notes say that this row's own toll, the number in `killed`, includes the attackers."""
    number = f"{int(killed):,}".replace(",", ",?")
    return re.search(rf"(?i)\b{number}\b[^.;]{{0,40}}?{_INCLUDES_ATTACKERS}", notes) is not None


def _curated(df: pd.DataFrame) -> bool:
    """A folder that records when each toll was reported is curated by hand, and held to the curation rules;
    an importer's output (UCDP, ACLED) codes its events by its own rules and leaves these columns out."""
    return "toll_date" in df


def _attackers_apart(df: pd.DataFrame) -> pd.Series:
    if "notes" not in df or "killed" not in df or not _curated(df):
        return pd.Series(True, index=df.index)
    # Only notes that speak of attackers among the dead are read closely, so a large file costs little.
    near = df["notes"].fillna("").str.contains(_INCLUDES_ATTACKERS, case=False, regex=True)
    near &= df["killed"].fillna("").str.fullmatch(_WHOLE)
    counted = [_counts_attackers(k, n) for k, n in zip(df.loc[near, "killed"], df.loc[near, "notes"])]
    return ~pd.Series(counted, index=df.index[near], dtype=bool).reindex(df.index, fill_value=False)


def _multi_day_ends(df: pd.DataFrame) -> pd.Series:
    if not _curated(df):
        return pd.Series(True, index=df.index)
    lasting = df["attack_type"].eq("ground offensive") if "attack_type" in df else pd.Series(False, index=df.index)
    notes = df["notes"].fillna("") if "notes" in df else pd.Series("", index=df.index)
    lasting |= notes.str.contains(_MULTI_DAY, regex=True)
    # A curator who looked and found no report of the last day says so, rather than guess one.
    unknown = notes.str.contains("end date not reported", case=False, regex=False)
    return ~lasting | ~_blank(df, "end_date") | unknown


def _parts_make_total(df: pd.DataFrame) -> pd.Series:
    if not {"killed", "injured", "killed_or_injured"} <= set(df):
        return pd.Series(True, index=df.index)
    total = _num(df["killed"]) + _num(df["injured"])
    stated = _num(df["killed_or_injured"])
    return total.isna() | stated.isna() | (total == stated)


def _any_count(df: pd.DataFrame) -> pd.Series:
    cols = [c for c in ("killed", "injured", "killed_or_injured") if c in df]
    return df[cols].notna().any(axis=1) if cols else pd.Series(False, index=df.index)


# Frame-wide checks report every column they read; this names the one a person should fix.
FRAME_CHECK_COLUMN: dict[str, str] = {}


def _frame_check(fn, error: str, column: str) -> pa.Check:
    FRAME_CHECK_COLUMN[error] = column
    return pa.Check(fn, error=error)


def _province_column(known: tuple[str, ...], required: bool) -> pa.Column:
    col = _column("text", required=required)
    listed = known if len(known) <= 12 else known[:12] + ("...",)
    return col.set_checks([_check(
        lambda s: s.isin(known),
        "is not a province in provinces.csv (nor one of its aliases); known: " + ", ".join(listed),
    )])


def attacks_schema(known_provinces: tuple[str, ...], area: Area | None) -> pa.DataFrameSchema:
    checks = [
        _frame_check(_ordered("date", "end_date"), "end_date is before date", "end_date"),
        _frame_check(_ordered("killed_low", "killed"), "killed is below killed_low", "killed"),
        _frame_check(_ordered("killed", "killed_high"), "killed is above killed_high", "killed"),
        _frame_check(_ordered("killed_low", "killed_high"), "killed_low is above killed_high", "killed_low"),
        _frame_check(_paired("latitude", "longitude"), "latitude and longitude must be given together", "latitude"),
        _frame_check(_ordered("date", "toll_date"), "toll_date is before the attack's date", "toll_date"),
        _frame_check(_toll_told("toll_date"), "toll_date is blank: give the date of the report that killed or wounded "
                     "comes from", "toll_date"),
        _frame_check(_basis_detail_given, "basis_detail is blank: say who claimed, attributed or accused, and how",
                     "basis_detail"),
        _frame_check(_claim_says_how, "basis_detail does not say how the claim was made (a spokesman, a statement, "
                     "Amaq, a post)", "basis_detail"),
        _frame_check(_basis_matches_name, "perpetrator and perpetrator_basis disagree: a named actor needs a basis "
                     "other than unknown, and Unknown needs the basis unknown", "perpetrator_basis"),
        _frame_check(_attackers_apart, "the notes say this toll includes the attackers: take them out of killed "
                     "and give them in attackers_killed", "killed"),
        _frame_check(_multi_day_ends, "the event lasted several days (a ground offensive or a siege): give end_date",
                     "end_date"),
        _frame_check(_toll_told("report"), "report is blank: name the report the toll comes from", "report"),
    ]
    if area is not None:
        checks.append(_frame_check(
            _inside(area), f"coordinates fall outside the gazetteer's area ({area.describe()})", "latitude"))
    return pa.DataFrameSchema({
        "event_id": _column("text", required=True, unique=True),
        "date": _column("date", required=True),
        "end_date": _column("date"),
        "date_precision": _column("enum", required=True, values=vocab.DATE_PRECISIONS),
        "province": _province_column(known_provinces + (vocab.UNKNOWN_PROVINCE,), required=True),
        "district": _column("text"),
        "location": _column("text"),
        "latitude": _column("decimal"),
        "longitude": _column("decimal"),
        "geo_precision": _column("enum", required=True, values=vocab.GEO_PRECISIONS),
        "perpetrator": _column("text", required=True),
        "perpetrator_basis": _column("enum", values=vocab.PERPETRATOR_BASES),
        "basis_detail": _column("text"),
        "attack_type": _column("enum", required=True, values=vocab.ATTACK_TYPES),
        "target": _column("enum", required=True, values=vocab.TARGETS),
        "killed": _column("count"),
        "wounded": _column("count"),
        "killed_low": _column("count"),
        "killed_high": _column("count"),
        "attackers_killed": _column("count"),
        "toll_date": _column("date"),
        "report": _column("text"),
        "report_url": _column("url"),
        "source": _column("text", required=True),
        "source_url": _column("url", required=True),
        "notes": _column("text"),
    }, checks=checks, name="attacks")


def _period(known_provinces: tuple[str, ...]) -> dict[str, pa.Column]:
    """The published period and place of a total that an authority reported."""
    return {"period_start": _column("date", required=True), "period_end": _column("date", required=True),
            "province": _province_column(known_provinces, required=False)}


def _reported_by() -> dict[str, pa.Column]:
    """The qualifier, the reporter and the report of a published total."""
    return {"qualifier": _column("enum", required=True, values=vocab.QUALIFIERS),
            "reporter": _column("text", required=True), "report": _column("text"), "report_url": _column("url"),
            "source": _column("text", required=True),
            "source_url": _column("url", required=True), "notes": _column("text")}


_PERIOD_ORDER = _frame_check(_ordered("period_start", "period_end"), "period_end is before period_start",
                             "period_end")
_REPORT_NAMED = _frame_check(_filled("report"), "report is blank: name the report (publisher, title, date, page)",
                             "report")


# The same range checks as an attack's toll, for estimates published with a low and a high figure.
_RANGE_HOLDS = [
    _frame_check(_ordered("killed_low", "killed"), "killed is below killed_low", "killed"),
    _frame_check(_ordered("killed", "killed_high"), "killed is above killed_high", "killed"),
    _frame_check(_ordered("killed_low", "killed_high"), "killed_low is above killed_high", "killed_low"),
]


def casualties_schema(known_provinces: tuple[str, ...]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        **_period(known_provinces),
        "population": _column("enum", required=True, values=vocab.POPULATIONS),
        "attributed_to": _column("text"),
        "killed": _column("count"),
        # An estimate's range (UCDP publishes low, best and high): optional columns, blank for a single figure.
        "killed_low": _column("count"),
        "killed_high": _column("count"),
        "injured": _column("count"),
        "killed_or_injured": _column("count"),
        **_reported_by(),
    }, checks=[
        _PERIOD_ORDER, _REPORT_NAMED, *_RANGE_HOLDS,
        _frame_check(_any_count, "needs at least one of killed, injured, killed_or_injured", "killed"),
        _frame_check(_parts_make_total, "killed + injured does not equal the stated total in killed_or_injured",
                     "injured"),
    ], name="casualties")


def attack_counts_schema(known_provinces: tuple[str, ...]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        **_period(known_provinces),
        "measure": _column("text", required=True),
        "count": _column("count", required=True),
        **_reported_by(),
    }, checks=[_PERIOD_ORDER, _REPORT_NAMED], name="attack_counts")


def corrections_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "date": _column("date", required=True),
        "file": _column("text", required=True),
        "row_id": _column("text", required=True),
        "field": _column("text", required=True),
        "old_value": _column("text"),
        "new_value": _column("text"),
        "source_url": _column("url", required=True),
        "note": _column("text"),
        "kind": _column("enum", values=vocab.CORRECTION_KINDS),
    }, name="corrections")


def stated_changes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "file": _column("enum", required=True, values=("casualties.csv", "attack_counts.csv")),
        "reporter": _column("text", required=True),
        "measure": _column("text", required=True),
        "attributed_to": _column("text"),
        "column": _column("enum", required=True, values=("count", "killed", "injured", "killed_or_injured")),
        "period_start": _column("date", required=True),
        "period_end": _column("date", required=True),
        "base_start": _column("date", required=True),
        "base_end": _column("date", required=True),
        "base_figure": _column("count"),
        "change_pct": _column("decimal", required=True),
        "qualifier": _column("enum", required=True, values=vocab.QUALIFIERS),
        "report": _column("text", required=True),
        "source_url": _column("url", required=True),
        "notes": _column("text"),
    }, checks=[_PERIOD_ORDER, _frame_check(_ordered("base_start", "base_end"), "base_end is before base_start",
                                           "base_end")], name="stated_changes")


def meetings_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "meeting_id": _column("text", required=True, unique=True),
        "date": _column("date", required=True),
        "end_date": _column("date"),
        "title": _column("text", required=True),
        "kind": _column("enum", required=True, values=vocab.MEETING_KINDS),
        # Blank where the event had no single place (a nationwide ceasefire, a letter) or the source is silent.
        "city": _column("text"),
        "country": _column("text"),
        "latitude": _column("decimal"),
        "longitude": _column("decimal"),
        "parties": _column("text", required=True),
        "summary": _column("text"),
        "source": _column("text", required=True),
        "source_url": _column("url", required=True),
    }, checks=[
        _frame_check(_ordered("date", "end_date"), "end_date is before date", "end_date"),
        _frame_check(_paired("latitude", "longitude"), "latitude and longitude must be given together", "latitude"),
    ], name="meetings")


def provinces_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "province": _column("text", required=True, unique=True),
        "iso_code": _column("text", required=True, unique=True),
        "capital": _column("text", required=True),
        "latitude": _column("decimal"),
        "longitude": _column("decimal"),
        "region": _column("text"),
        "aliases": _column("text"),
        "source_url": _column("url"),
    }, checks=[
        _frame_check(_paired("latitude", "longitude"), "latitude and longitude must be given together", "latitude"),
    ], name="provinces")
