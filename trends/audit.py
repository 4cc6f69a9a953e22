"""What the audits changed, by file and kind of error, and how many tolls are still provisional."""

from __future__ import annotations

import pandas as pd

from .tolls import provisional

KIND_WORDS = {
    "toll": "a later or final toll replaced an interim one", "attackers": "attackers taken out of the killed",
    "claim": "a claim missed or its claimant wrong", "basis": "an accusation filed as an attribution, or another "
    "basis corrected", "relay": "a news relay's figure differed from the report", "figure": "another wrong number "
    "(a typo, a transposition, a wrong period)", "date": "a date", "place": "a place", "parties": "the parties to "
    "a meeting", "citation": "a better source or the report itself found, figures unchanged", "text": "notes or "
    "summary only", "removed": "a row that could not be sourced, removed",
}


def changes_by_kind(corrections: pd.DataFrame, since: str | None = None) -> pd.DataFrame:
    """Rows changed per file and kind (a row with several changed fields counts once per kind), for the
    corrections that name a kind, optionally from one date on."""
    log = corrections[corrections["kind"].notna()]
    if since is not None:
        log = log[log["date"] >= pd.Timestamp(since)]
    if log.empty:
        return pd.DataFrame(columns=["file", "kind", "rows", "what"])
    out = (log.groupby(["file", "kind"])["row_id"].nunique().rename("rows").reset_index()
           .sort_values(["file", "rows", "kind"], ascending=[True, False, True]))
    out["what"] = out["kind"].map(KIND_WORDS)
    return out.reset_index(drop=True)


def rows_changed(corrections: pd.DataFrame, since: str | None = None) -> pd.Series:
    """Distinct rows changed per file (whatever the kind)."""
    log = corrections[corrections["kind"].notna()]
    if since is not None:
        log = log[log["date"] >= pd.Timestamp(since)]
    return log.groupby("file")["row_id"].nunique()


def provisional_count(attacks: pd.DataFrame) -> int:
    """Attacks whose toll comes from a report of the event's own last day, with no later report found."""
    return int(provisional(attacks).sum())
