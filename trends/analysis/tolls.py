"""When an attack's toll was reported: a toll from the event's own last day, with no later report, is provisional."""

from __future__ import annotations

import numpy as np
import pandas as pd

PROVISIONAL, LATER = "provisional", "from a later report"
# Said wherever the word appears, so a reader knows what it means and what it does not.
PROVISIONAL_MEANS = ("provisional: the toll comes from a report of the event's own (last) day, and no later report, "
                     "UNAMA statement or official final count was found")


def provisional(events: pd.DataFrame) -> pd.Series:
    """True where a reported toll's report is dated no later than the event's last day."""
    if "toll_date" not in events or events.empty:
        return pd.Series(False, index=events.index)
    last = pd.to_datetime(events["end_date"]).fillna(pd.to_datetime(events["date"])) if "end_date" in events \
        else pd.to_datetime(events["date"])
    reported = pd.to_datetime(events["toll_date"], errors="coerce")
    told = events["killed"].notna() | events["wounded"].notna()
    return told & reported.notna() & (reported <= last)


def toll_status(events: pd.DataFrame) -> pd.Series:
    """'provisional', 'from a later report', or blank where the toll's report date is not recorded."""
    if "toll_date" not in events or events.empty:
        return pd.Series(None, index=events.index, dtype=object)
    dated = pd.to_datetime(events["toll_date"], errors="coerce").notna()
    status = np.where(provisional(events), PROVISIONAL, np.where(dated, LATER, None))
    return pd.Series(status, index=events.index, dtype=object)
