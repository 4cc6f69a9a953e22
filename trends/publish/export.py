"""CSV export that is safe to open in a spreadsheet (OWASP CSV injection) and says what it holds."""

from __future__ import annotations

import pandas as pd

from trends.analysis.tolls import toll_status

EVENT_COLUMNS = ["date", "end_date", "province", "district", "location", "perpetrator", "perpetrator_basis",
                 "basis_detail", "attack_type", "target", "killed", "wounded", "killed_low", "killed_high",
                 "attackers_killed", "toll_date", "toll_status", "report", "report_url", "source", "source_url",
                 "notes", "event_id"]


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """The events as exported: the contract's columns with each toll's status beside the date of its report."""
    return events.assign(toll_status=toll_status(events)).reindex(columns=EVENT_COLUMNS)

# A spreadsheet treats a cell starting with these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe; numbers and dates are left exactly as they are."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_text, na_action="ignore")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM so spreadsheets pick the encoding; dates as YYYY-MM-DD; unknown stays blank."""
    out = neutralise(frame)
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
