"""Controlled vocabularies and column lists of the dataset folder (described in docs/data.md)."""

DATE_PRECISIONS = ("day", "week", "month", "year")
GEO_PRECISIONS = ("exact", "district", "province", "country")
ATTACK_TYPES = (
    "suicide attack", "IED", "armed assault", "complex attack", "indirect fire",
    "targeted killing", "abduction", "airstrike", "ground offensive", "other",
)
TARGETS = (
    "security forces", "civilians", "government", "international forces", "election",
    "religious", "education", "health", "aid workers", "media", "other",
)
POPULATIONS = ("civilians", "security forces", "international forces", "US forces", "insurgents", "all")
QUALIFIERS = ("exact", "at least", "about", "at most")
MEETING_KINDS = ("talks", "conference", "agreement", "ceasefire", "envoy visit", "announcement")
FREQUENCIES = ("week", "month", "quarter", "year")
UNKNOWN_PROVINCE = "Unknown"

ATTACK_COLUMNS = (
    "event_id", "date", "end_date", "date_precision", "province", "district", "location",
    "latitude", "longitude", "geo_precision", "perpetrator", "attack_type", "target",
    "killed", "wounded", "killed_low", "killed_high", "source", "source_url", "notes",
)
CASUALTY_COLUMNS = (
    "period_start", "period_end", "province", "population", "attributed_to", "killed", "injured",
    "killed_or_injured", "qualifier", "reporter", "source", "source_url", "notes",
)
MEETING_COLUMNS = (
    "meeting_id", "date", "end_date", "title", "kind", "city", "country", "latitude", "longitude",
    "parties", "summary", "source", "source_url",
)
PROVINCE_COLUMNS = ("province", "iso_code", "capital", "latitude", "longitude", "region", "aliases", "source_url")

FILES = {
    "provinces": ("provinces.csv", PROVINCE_COLUMNS),
    "attacks": ("attacks.csv", ATTACK_COLUMNS),
    "casualties": ("casualties.csv", CASUALTY_COLUMNS),
    "meetings": ("meetings.csv", MEETING_COLUMNS),
}
