"""What the audits changed, by file and kind of error, and how many tolls are still provisional."""

from __future__ import annotations

import pandas as pd

from trends.analysis.tolls import provisional

KIND_WORDS = {
    "toll": "a later or final toll replaced an interim one", "attackers": "attackers taken out of the killed",
    "claim": "a claim missed or its claimant wrong", "basis": "an accusation filed as an attribution, or another "
    "basis corrected", "relay": "a news relay's figure differed from the report", "figure": "another wrong number "
    "(a typo, a transposition, a wrong period)", "date": "a date", "place": "a place", "parties": "the parties to "
    "a meeting", "citation": "a better source or the report itself named, or a stated total recorded beside its parts; "
    "figures unchanged", "text": "notes or "
    "summary only", "removed": "a row removed: no report supports the figure as it was labelled",
    "scope": "a row taken out or reclassified under the inclusion rule (not an error of fact)",
}
# Entries that apply the inclusion rule record a choice of scope, not a mended fact: the audit's tallies leave them out.
NOT_AUDIT = ("scope",)


def _kinded(corrections: pd.DataFrame, since: str | None) -> pd.DataFrame:
    """The corrections that name a kind of error, optionally from one date on."""
    log = corrections[corrections["kind"].notna() & ~corrections["kind"].isin(NOT_AUDIT)]
    return log if since is None else log[log["date"] >= pd.Timestamp(since)]


def changes_by_kind(corrections: pd.DataFrame, since: str | None = None) -> pd.DataFrame:
    """Rows changed per file and kind (a row with several changed fields counts once per kind), for the
    corrections that name a kind, optionally from one date on."""
    log = _kinded(corrections, since)
    if log.empty:
        return pd.DataFrame(columns=["file", "kind", "rows", "what"])
    out = (log.groupby(["file", "kind"])["row_id"].nunique().rename("rows").reset_index()
           .sort_values(["file", "rows", "kind"], ascending=[True, False, True]))
    out["what"] = out["kind"].map(KIND_WORDS)
    return out.reset_index(drop=True)


def rows_changed(corrections: pd.DataFrame, since: str | None = None) -> pd.Series:
    """Distinct rows changed per file (whatever the kind)."""
    return _kinded(corrections, since).groupby("file")["row_id"].nunique()


def provisional_count(attacks: pd.DataFrame) -> int:
    """Attacks whose toll comes from a report of the event's own last day, with no later report found."""
    return int(provisional(attacks).sum())


def _day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def row_ids(file: str, frame: pd.DataFrame) -> pd.Series:
    """The id that corrections.csv uses for each row: event_id or meeting_id, and for the reported totals, which
    have no id column, 'reporter|population|attributed_to|start..end' or 'reporter|measure|start..end'."""
    if file == "attacks.csv":
        return frame["event_id"]
    if file == "meetings.csv":
        return frame["meeting_id"]
    period = [f"{_day(a)}..{_day(b)}" for a, b in zip(frame["period_start"], frame["period_end"])]
    if file == "casualties.csv":
        parts = zip(frame["reporter"], frame["population"], frame["attributed_to"].fillna("all"), period)
    else:
        parts = zip(frame["reporter"], frame["measure"], period)
    return pd.Series(["|".join(p) for p in parts], index=frame.index)


_KEY_FIELDS = {"casualties.csv": ("reporter", "population", "attributed_to", "period"),
               "attack_counts.csv": ("reporter", "measure", "period")}


def renamed(corrections: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(file, row_id) -> the id the row has now, where a correction changed a field that its id is made of (the
    reporter of a casualty row, say): the log keeps the id the row had when each change was made."""
    out: dict[tuple[str, str], str] = {}
    for c in corrections.sort_values("date", kind="stable").itertuples():
        parts = _KEY_FIELDS.get(c.file)
        field = "period" if c.field in ("period_start", "period_end") else c.field
        if parts is None or field not in parts:
            continue
        start = out.get((c.file, c.row_id), c.row_id)
        pieces = start.split("|")
        at = parts.index(field)
        if field == "period":
            a, b = pieces[at].split("..")
            pieces[at] = f"{c.new_value}..{b}" if c.field == "period_start" else f"{a}..{c.new_value}"
        else:
            pieces[at] = c.new_value if isinstance(c.new_value, str) and c.new_value else "all"
        out[(c.file, c.row_id)] = "|".join(pieces)
    return out
