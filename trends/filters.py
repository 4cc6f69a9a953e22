"""FilterSpec: the one object that carries a view from the URL and sidebar to the queries, and says it in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from trends.eras import BY_SLUG
from trends.contract.fields import FIELDS, FREQUENCIES

DEFAULT_FREQ = "month"
SHOWN_CHARS = 60


def shown(value) -> str:
    """A value that came from outside (a URL, a file), as a notice quotes it: one line, at most 60 characters."""
    flat = " ".join(str(value).split())
    return '"' + (flat[:SHOWN_CHARS] + "…" if len(flat) > SHOWN_CHARS else flat) + '"'


@dataclass(frozen=True)
class Domain:
    """What a view may choose from: the data's date span and the values present in each filterable column."""

    first: dt.date
    last: dt.date
    provinces: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    attack_types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    # The days every file of the dataset reaches (reported totals and meetings too), where wider than the events':
    # the default view shows all of them, while changes against a previous period still count from `first`.
    view_first: dt.date | None = None
    view_last: dt.date | None = None

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        return self.view_first or self.first, self.view_last or self.last

    @classmethod
    def of(cls, first: dt.date, last: dt.date, present, gazetteer: Sequence[str] = ()) -> Domain:
        """A domain from `present(column)`, the values found in a column; every gazetteer province is offered."""
        values = {f.attr: tuple(present(f.column)) for f in FIELDS}
        values["provinces"] = tuple(sorted(set(values["provinces"]) | set(gazetteer)))
        return cls(first, last, **values)


@dataclass(frozen=True)
class FilterSpec:
    """A dashboard view: an inclusive date range, value filters (empty = all) and the period length."""

    start: dt.date
    end: dt.date
    provinces: tuple[str, ...] = ()
    perpetrators: tuple[str, ...] = ()
    attack_types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    freq: str = DEFAULT_FREQ
    notices: tuple[str, ...] = field(default=(), compare=False, hash=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def value_filtered(self) -> bool:
        """True when the view narrows any column to chosen values (not only the dates)."""
        return any(getattr(self, f.attr) for f in FIELDS)

    def chosen(self):
        """(field, chosen values) for each value filter the view narrows, in the table's order."""
        return [(f, getattr(self, f.attr)) for f in FIELDS if getattr(self, f.attr)]

    def with_dates(self, start: dt.date, end: dt.date) -> FilterSpec:
        """The same value filters over other dates, at the default period length (for counts, not charts)."""
        return replace(self, start=start, end=end, freq=DEFAULT_FREQ, notices=())

    def previous(self) -> FilterSpec:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end, notices=())

    def year_earlier(self) -> FilterSpec:
        return replace(self, start=_minus_year(self.start), end=_minus_year(self.end), notices=())

    def to_params(self) -> dict[str, list[str]]:
        params = {"start": [self.start.isoformat()], "end": [self.end.isoformat()]}
        for f, values in self.chosen():
            params[f.param] = list(values)
        params["freq"] = [self.freq]
        return params

    def query_string(self) -> str:
        return urlencode([(k, v) for k, values in self.to_params().items() for v in values])

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]], domain: Domain) -> FilterSpec:
        """Read a view from URL parameters; bad or unknown values are dropped and said in `notices`."""
        notices: list[str] = []

        def values(key: str) -> list[str]:
            raw = params.get(key, [])
            return [raw] if isinstance(raw, str) else [str(v) for v in raw]

        def one_date(key: str, default: dt.date) -> dt.date:
            given = values(key)
            if not given:
                return default
            try:
                return dt.date.fromisoformat(given[-1].strip()[:10])
            except ValueError:
                notices.append(f"Ignored {key} {shown(given[-1])}: not a date written YYYY-MM-DD.")
                return default

        first, last = domain.span
        era = (values("era") or [None])[-1]
        if era is not None and era not in BY_SLUG:
            notices.append(f"Ignored era {shown(era)}: use one of {', '.join(BY_SLUG)}.")
        elif era is not None and BY_SLUG[era].span(*domain.span)[0] > BY_SLUG[era].span(*domain.span)[1]:
            notices.append(f"Ignored era {shown(era)}: the data holds none of its days.")
        elif era is not None:
            first, last = BY_SLUG[era].span(*domain.span)  # dates given beside it still win
        start, end = one_date("start", first), one_date("end", last)
        if start > end:
            notices.append(f"Ignored start={start} and end={end}: the start is after the end.")
            start, end = domain.span
        chosen: dict[str, tuple[str, ...]] = {}
        for f in FIELDS:
            allowed = getattr(domain, f.attr)
            kept = [v for v in dict.fromkeys(values(f.param)) if v in allowed]
            dropped = [v for v in values(f.param) if v not in allowed]
            if dropped:
                notices.append(f"Ignored unknown {f.param}: {', '.join(shown(v) for v in dropped)}.")
            chosen[f.attr] = tuple(kept)
        freq = (values("freq") or [DEFAULT_FREQ])[-1]
        if freq not in FREQUENCIES:
            notices.append(f"Ignored freq {shown(freq)}: use one of {', '.join(FREQUENCIES)}.")
            freq = DEFAULT_FREQ
        return cls(start, end, freq=freq, notices=tuple(notices), **chosen)

    def value_clauses(self) -> list[str]:
        """The value filters in words, one clause each ("in Kabul", "by Taliban or Haqqani Network")."""
        return [f"{f.preposition} {_join(values)}" for f, values in self.chosen()]

    def describe(self) -> str:
        """The view in plain English, for captions, briefs and exports."""
        return "Attacks " + ", ".join([f"from {format_day(self.start)} to {format_day(self.end)}",
                                       *self.value_clauses()])

    def sql_where(self, dates: bool = True) -> tuple[str, list]:
        """The view as a SQL condition on the events' columns, with its parameters in order."""
        clauses, params = ["TRUE"], []
        if dates:
            clauses.append("date BETWEEN ? AND ?")
            params += [self.start, self.end]
        for f, values in self.chosen():
            clauses.append(f"{f.column} IN ({', '.join('?' * len(values))})")
            params += list(values)
        return " AND ".join(clauses), params


def format_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def upper_first(words: str) -> str:
    """The words with a capital first letter and the rest as written ("UNAMA" stays UNAMA)."""
    return words[:1].upper() + words[1:]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
