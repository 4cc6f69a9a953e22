"""The rule that decides which attacks a curated folder lists, as conditions on a row's columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

# Targets whose attack is listed at a lower toll, because an attack on them is news whatever its size.
PROTECTED_TARGETS = ("religious", "education", "health", "media", "election", "aid workers")
TOLL, PROTECTED, MISSION = 25, 10, 1


# The forces of Afghanistan's neighbours, as the perpetrator column names them.
NEIGHBOURS = ("Pakistani forces", "Iranian forces")


@dataclass(frozen=True)
class Criterion:
    name: str
    words: str  # the rule in a sentence, as docs/data.md and the About page print it
    test: Callable[[pd.DataFrame], pd.Series]  # the rule as conditions on the columns, one boolean per row

    def met(self, attacks: pd.DataFrame) -> pd.Series:
        return self.test(attacks).fillna(False).astype(bool)


CRITERIA = (
    Criterion("toll", f"{TOLL} or more people killed (the final toll, attackers not counted)",
              lambda a: a["killed"].ge(TOLL)),
    Criterion("protected target", f"{PROTECTED} or more killed at a place of worship or a religious gathering, a "
                                  "school or university, a hospital or clinic, the media, an election, or aid "
                                  "workers",
              lambda a: a["target"].isin(PROTECTED_TARGETS) & a["killed"].ge(PROTECTED)),
    Criterion("diplomatic", "anyone killed at an embassy, a consulate or the United Nations",
              lambda a: a["target"].eq("diplomatic") & a["killed"].ge(MISSION)),
    Criterion("city offensive", "a ground offensive that entered or took a provincial capital or Kabul",
              lambda a: a["attack_type"].eq("ground offensive")),
    Criterion("cross-border", "strikes or fighting by a neighbouring state's forces on Afghan soil, whatever the "
                              "toll",
              lambda a: a["perpetrator"].isin(NEIGHBOURS)),
)
NAMES = tuple(c.name for c in CRITERIA)


def criteria_met(attacks: pd.DataFrame) -> pd.Series:
    """Per row, the names of the criteria it meets, joined by '; ' (empty when it meets none)."""
    met = pd.DataFrame({c.name: c.met(attacks) for c in CRITERIA}, index=attacks.index)
    return met.apply(lambda row: "; ".join(n for n, hit in row.items() if hit), axis=1) if len(attacks) \
        else pd.Series([], dtype="object")


def outside(attacks: pd.DataFrame, names: tuple[str, ...] = NAMES) -> pd.Series:
    """True for rows that meet none of the named criteria: a folder that follows them should not list these."""
    hit = pd.Series(False, index=attacks.index)
    for c in CRITERIA:
        if c.name in names:
            hit |= c.met(attacks)
    return ~hit

