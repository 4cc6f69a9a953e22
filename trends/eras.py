"""Named periods of the war and after, which a link can ask for by name (?era=since-takeover)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TAKEOVER = dt.date(2021, 8, 15)


@dataclass(frozen=True)
class Era:
    slug: str  # the URL's word
    label: str  # the sidebar's word
    start: dt.date
    end: dt.date | None  # None: to the end of the data
    why: str  # what bounds it, for the README and the About page

    def span(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
        """The era's days inside the data's span (an era reaching past the data stops where the data stops)."""
        return max(self.start, first), min(self.end or last, last)


ERAS = (
    Era("surge", "The US troop surge", dt.date(2009, 12, 1), dt.date(2012, 9, 21),
        "from President Obama's announcement of 30,000 more troops (1 Dec 2009) to the Pentagon's statement that "
        "the last surge troops had left (21 Sep 2012)"),
    Era("doha-talks", "The US-Taliban talks", dt.date(2018, 7, 23), dt.date(2020, 2, 29),
        "from the first reported US meeting with the Taliban in Doha (23 Jul 2018) to the Doha agreement "
        "(29 Feb 2020)"),
    Era("last-year", "The Republic's last year", dt.date(2020, 8, 15), dt.date(2021, 8, 14),
        "the twelve months before the Taliban took Kabul"),
    Era("since-takeover", "Since the takeover", TAKEOVER, None,
        "from the Taliban's entry into Kabul (15 Aug 2021) to the end of the data"),
)
BY_SLUG = {e.slug: e for e in ERAS}
