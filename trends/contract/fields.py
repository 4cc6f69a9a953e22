"""The filter fields and period lengths of a view: one table each, read by the URL, queries, sidebar and CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One value filter: how the URL, the FilterSpec, the event column, the sidebar and a sentence name it."""

    param: str  # URL parameter and CLI flag (--attack-type)
    attr: str  # FilterSpec and Domain field
    column: str  # events column
    label: str  # sidebar widget and trend split button
    noun: str  # breakdown headings and file names ("By tactic")
    preposition: str  # the clause of describe(): "in Kabul", "by Taliban"
    split: bool  # offered as a split of the trend chart


FIELDS = (
    Field("province", "provinces", "province", "Province", "province", "in", split=False),
    Field("perpetrator", "perpetrators", "perpetrator", "Perpetrator", "perpetrator", "by", split=True),
    Field("attack_type", "attack_types", "attack_type", "Attack type", "tactic", "of type", split=True),
    Field("target", "targets", "target", "Target", "target", "against", split=True),
)
BY_COLUMN = {f.column: f for f in FIELDS}
COLUMNS = tuple(BY_COLUMN)
# The Overview's breakdown charts; targets are a split of the trend instead.
CHARTED = ("province", "perpetrator", "attack_type")
# The trend chart's splits, in the order its buttons show them.
SPLITS = tuple(f.column for f in (BY_COLUMN["perpetrator"], BY_COLUMN["target"], BY_COLUMN["attack_type"]))


@dataclass(frozen=True)
class Period:
    """A period length: pandas' period code, and Plotly's xperiod so a bar spans its whole period."""

    name: str
    pandas: str
    plotly: int | str


PERIODS = {p.name: p for p in (
    Period("week", "W-SUN", 7 * 86_400_000),  # weeks end on Sunday: they start on Monday, as DuckDB's date_trunc
    Period("month", "M", "M1"),
    Period("quarter", "Q", "M3"),
    Period("year", "Y", "M12"),
)}
FREQUENCIES = tuple(PERIODS)
