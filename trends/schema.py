"""Pandera schemas that validate each dataset file as raw text, so every fault is reported per row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from . import vocab

_WHOLE = r"-?\d+"
_DECIMAL = r"-?\d+(\.\d+)?"
_URL = r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?([/?#][^\s]*)?"


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
        "attack_type": _column("enum", required=True, values=vocab.ATTACK_TYPES),
        "target": _column("enum", required=True, values=vocab.TARGETS),
        "killed": _column("count"),
        "wounded": _column("count"),
        "killed_low": _column("count"),
        "killed_high": _column("count"),
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
            "reporter": _column("text", required=True), "source": _column("text", required=True),
            "source_url": _column("url", required=True), "notes": _column("text")}


_PERIOD_ORDER = _frame_check(_ordered("period_start", "period_end"), "period_end is before period_start",
                             "period_end")


def casualties_schema(known_provinces: tuple[str, ...]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        **_period(known_provinces),
        "population": _column("enum", required=True, values=vocab.POPULATIONS),
        "attributed_to": _column("text"),
        "killed": _column("count"),
        "injured": _column("count"),
        "killed_or_injured": _column("count"),
        **_reported_by(),
    }, checks=[
        _PERIOD_ORDER,
        _frame_check(_any_count, "needs at least one of killed, injured, killed_or_injured", "killed"),
    ], name="casualties")


def attack_counts_schema(known_provinces: tuple[str, ...]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        **_period(known_provinces),
        "measure": _column("text", required=True),
        "count": _column("count", required=True),
        **_reported_by(),
    }, checks=[_PERIOD_ORDER], name="attack_counts")


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
    }, name="corrections")


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
