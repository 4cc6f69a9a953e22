"""Controlled vocabularies and column lists of the dataset folder (described in docs/data.md)."""

DATE_PRECISIONS = ("day", "week", "month", "year")
GEO_PRECISIONS = ("exact", "district", "province", "country")
ATTACK_TYPES = (
    "suicide attack", "IED", "armed assault", "complex attack", "indirect fire",
    "targeted killing", "abduction", "airstrike", "ground offensive", "other",
)
TARGETS = (
    "security forces", "civilians", "government", "international forces", "election",
    "religious", "education", "health", "aid workers", "media", "diplomatic", "other",
)
POPULATIONS = ("civilians", "security forces", "international forces", "US forces", "insurgents", "all")
# Why an attack names its perpetrator: the group's own claim, an attribution by UNAMA or officials, a suspicion
# named by reports without either, or no actor named at all.
PERPETRATOR_BASES = ("claimed", "attributed", "suspected", "unknown")
QUALIFIERS = ("exact", "at least", "about", "at most")
MEETING_KINDS = ("talks", "conference", "agreement", "ceasefire", "envoy visit", "announcement", "recognition")
UNKNOWN_PROVINCE = "Unknown"

ATTACK_COLUMNS = (
    "event_id", "date", "end_date", "date_precision", "province", "district", "location",
    "latitude", "longitude", "geo_precision", "perpetrator", "perpetrator_basis", "basis_detail", "attack_type",
    "target", "killed", "wounded", "killed_low", "killed_high", "attackers_killed", "toll_date", "report",
    "report_url", "source", "source_url", "notes",
)
# What a curator records about each toll and claim; an importer, which has none of it, leaves the columns out of its
# CSV, so the checks that read them apply only where a folder keeps them.
CURATION_COLUMNS = ("basis_detail", "attackers_killed", "toll_date", "report", "report_url")
# Columns added to the contract after folders were already imported: an older folder may lack them.
LATER_ATTACK_COLUMNS = ("perpetrator_basis", *CURATION_COLUMNS)
CASUALTY_COLUMNS = (
    "period_start", "period_end", "province", "population", "attributed_to", "killed", "killed_low", "killed_high",
    "injured", "killed_or_injured", "qualifier", "reporter", "report", "report_url", "source", "source_url", "notes",
)
MEETING_COLUMNS = (
    "meeting_id", "date", "end_date", "title", "kind", "city", "country", "latitude", "longitude",
    "parties", "summary", "source", "source_url",
)
ATTACK_COUNT_COLUMNS = (
    "period_start", "period_end", "province", "measure", "count", "qualifier", "reporter", "report", "report_url",
    "source", "source_url", "notes",
)
# What kind of error a correction mends, so the audit can be reported by kind.
CORRECTION_KINDS = ("toll", "attackers", "claim", "basis", "relay", "figure", "date", "place", "parties", "citation",
                    "text", "removed", "scope")
CORRECTION_COLUMNS = ("date", "file", "row_id", "field", "old_value", "new_value", "source_url", "note", "kind")
# A change that a report states in words ("37 percent more than the same period of 2020"), kept to test the figures.
STATED_CHANGE_COLUMNS = ("file", "reporter", "measure", "attributed_to", "column", "period_start", "period_end",
                         "base_start", "base_end", "base_figure", "change_pct", "qualifier", "report", "source_url",
                         "notes")
PROVINCE_COLUMNS = ("province", "iso_code", "capital", "latitude", "longitude", "region", "aliases", "source_url")

FILES = {
    "provinces": ("provinces.csv", PROVINCE_COLUMNS),
    "attacks": ("attacks.csv", ATTACK_COLUMNS),
    "casualties": ("casualties.csv", CASUALTY_COLUMNS),
    "meetings": ("meetings.csv", MEETING_COLUMNS),
    "attack_counts": ("attack_counts.csv", ATTACK_COUNT_COLUMNS),
    "corrections": ("corrections.csv", CORRECTION_COLUMNS),
    "stated_changes": ("stated_changes.csv", STATED_CHANGE_COLUMNS),
}
# Files a dataset folder may leave out without a problem being reported.
OPTIONAL_FILES = ("attack_counts", "corrections", "stated_changes")
