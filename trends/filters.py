"""FilterSpec: the one object that carries a view from the URL and sidebar to the queries, and says it in English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from .vocab import FREQUENCIES

# URL parameter -> FilterSpec field, for the repeatable multi-value filters of a shareable URL (README).
LIST_PARAMS = {
    "province": "provinces",
    "perpetrator": "perpetrators",
    "attack_type": "attack_types",
    "target": "targets",
}
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

    @classmethod
    def whole(cls, domain: Domain) -> FilterSpec:
        return cls(domain.first, domain.last)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def value_filtered(self) -> bool:
        """True when the view narrows any column to chosen values (not only the dates)."""
        return any(getattr(self, attr) for attr in LIST_PARAMS.values())

    def previous(self) -> FilterSpec:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end, notices=())

    def year_earlier(self) -> FilterSpec:
        return replace(self, start=_minus_year(self.start), end=_minus_year(self.end), notices=())

    def to_params(self) -> dict[str, list[str]]:
        params = {"start": [self.start.isoformat()], "end": [self.end.isoformat()]}
        for key, attr in LIST_PARAMS.items():
            if getattr(self, attr):
                params[key] = list(getattr(self, attr))
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

        start, end = one_date("start", domain.first), one_date("end", domain.last)
        if start > end:
            notices.append(f"Ignored start={start} and end={end}: the start is after the end.")
            start, end = domain.first, domain.last
        chosen: dict[str, tuple[str, ...]] = {}
        for key, attr in LIST_PARAMS.items():
            allowed = getattr(domain, attr)
            kept = [v for v in dict.fromkeys(values(key)) if v in allowed]
            dropped = [v for v in values(key) if v not in allowed]
            if dropped:
                notices.append(f"Ignored unknown {key}: {', '.join(shown(v) for v in dropped)}.")
            chosen[attr] = tuple(kept)
        freq = (values("freq") or [DEFAULT_FREQ])[-1]
        if freq not in FREQUENCIES:
            notices.append(f"Ignored freq {shown(freq)}: use one of {', '.join(FREQUENCIES)}.")
            freq = DEFAULT_FREQ
        return cls(start, end, freq=freq, notices=tuple(notices), **chosen)

    def describe(self) -> str:
        """The view in plain English, for captions, briefs and exports."""
        parts = [f"from {format_day(self.start)} to {format_day(self.end)}"]
        for label, attr in (("in", "provinces"), ("by", "perpetrators"),
                            ("of type", "attack_types"), ("against", "targets")):
            chosen = getattr(self, attr)
            if chosen:
                parts.append(f"{label} {_join(chosen)}")
        return "Attacks " + ", ".join(parts)


def format_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
