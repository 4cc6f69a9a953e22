"""About page: what each file holds, its sources, licence, version, last update and caveats."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from trends.analysis import audit
from trends.contract import inclusion
from trends.eras import ERAS
from trends.filters import upper_first
from trends.analysis.tolls import PROVISIONAL_MEANS

from . import data
from .common import escape_md, table, text

CHECKS = [
    "every figure names the report it comes from (publisher, title, date, page or table) and links to it where its "
    "address was confirmed; the page where the figure was read is kept as a second link;",
    "a reporter gives one figure per measure and period: where two relays of one report disagree, one row stands "
    "and the other is logged in the corrections;",
    "periods of one length (years, calendar quarters, first halves) never overlap; a year and its first half, "
    "which reporters publish side by side, are drawn as separate series;",
    "killed plus injured equals the total a report states, and published parts (quarters, half-years) add up to "
    "their whole within 5%, the room UNAMA's and SIGAR's later revisions need;",
    "every change a report states in words (\"37 percent more than the same period of 2020\") is recorded and "
    "tested against the two stored figures;",
    "for attacks: the low estimate is at most the toll and the high at least; events lasting days (offensives, "
    "sieges) give their last day; attackers are never counted among the killed but apart; a claim says who "
    "claimed and how (a spokesman, a statement, Amaq); an accusation by one party against its enemy is "
    "\"suspected\", never \"attributed\", and says who accused; every toll records the date of its report.",
]


def page() -> None:
    dataset = data.dataset()
    package = dataset.package or {}
    st.title("About the data")
    text(dataset.title)
    if not dataset.attack_counts.empty or not dataset.casualties.empty:
        st.markdown(
            "**Two kinds of numbers.** *Totals an authority reported* (attack_counts.csv, casualties.csv) count "
            "the violence for the periods their reporters published; the Overview's first chart and its metrics "
            "show them, never split or summed. " + ("*A curated selection of notable attacks* (attacks.csv) "
            "shows what was notable and reported, not how much violence there was; the rest of the Overview, "
            "the Talks study and the Events page count it." if dataset.selection else
            "*The events* (attacks) are this dataset's own records; the rest of the Overview, the Talks study "
            "and the Events page count them."))
    inclusion_section(dataset)
    checked_section(dataset)
    # The dataset is named, never located: a page must not show the server's paths.
    meta = {"Dataset folder": dataset.folder.name,
            "Version": package.get("version", "not stated"),
            "Last updated": package.get("last_updated", "not stated"),
            "Licence": ", ".join(lic.get("title") or lic.get("name", "") for lic in package.get("licenses", []))
            or "not stated"}
    if package.get("citation"):
        meta["Cite as"] = package["citation"]
    st.markdown("\n".join(f"- **{name}:** {escape_md(value)}" for name, value in meta.items()))
    if package.get("description"):
        text(package["description"])
    st.subheader("Read this before citing a number")
    for caveat in package.get("caveats", []):
        st.markdown("- " + escape_md(caveat))
    st.subheader("Files")
    for res in package.get("resources", []):
        with st.expander(escape_md(f"{res.get('path', res.get('name'))}: {res.get('title', '')}")):
            text(res.get("description", ""))
            fields = res.get("schema", {}).get("fields", [])
            if fields:
                # Nested descriptors (constraints, formats) are shown as their JSON text.
                frame = pd.DataFrame(fields).map(lambda v: json.dumps(v) if isinstance(v, (dict, list)) else v)
                table(frame, hide_index=True, width="stretch")
    sources = [s for s in package.get("sources", []) if s.get("path")]
    if sources:
        st.subheader("Sources")
        table(pd.DataFrame(sources)[["title", "path"]], hide_index=True, width="stretch",
              column_config={"path": st.column_config.LinkColumn("Link")})
    corrections_section(dataset.corrections)
    st.subheader("Province outlines")
    st.markdown(
        "The map draws no street tiles, so it contacts no other server. The bundled data ships Afghanistan's 34 "
        "provinces from geoBoundaries (gbOpen, AFG, ADM1; public domain; Runfola et al. 2020, *PLoS ONE* 15(4)). "
        "Any dataset folder may hold its own admin-1 `boundaries.geojson`, and `TRENDS_BOUNDARIES` may name "
        "another file; feature names are matched through the gazetteer's aliases. Without outlines, provinces "
        "are drawn as bubbles at their capitals.")


def inclusion_section(dataset) -> None:
    """Which attacks the folder lists, where its datapackage says it follows the inclusion rule."""
    declared = dataset.resource("attacks").get("inclusion_rule")
    if not declared:
        return
    st.subheader("Which attacks are listed")
    st.markdown("Every year alike, an attack is listed when it meets at least one of these:\n" + "\n".join(
        f"- **{c.name}**: {c.words}" for c in inclusion.CRITERIA if c.name in declared))
    text("Below these thresholds the file lists nothing, so it is a selection, not a complete record. Rows listed "
         "before the rule that met none of its criteria were taken out and are in the corrections log (kind scope).")
    st.markdown("**Named periods** (a link can ask for one: `?era=since-takeover`):\n" + "\n".join(
        f"- **{e.label}** (`{e.slug}`): {e.why}" for e in ERAS))


def checked_section(dataset) -> None:
    """How the figures are checked, what the audits changed, and how many tolls are still provisional."""
    st.subheader("How the figures are checked")
    st.markdown("`python -m trends validate` and the test suite check every row of every file:\n"
                + "\n".join(f"- {line}" for line in CHECKS))
    attacks = dataset.attacks
    if "toll_date" in attacks and attacks["toll_date"].notna().any():
        early = audit.provisional_count(attacks)
        st.markdown(f"**Provisional tolls:** {early:,} of {len(attacks):,} attacks. " + escape_md(
            upper_first(PROVISIONAL_MEANS)) + "; the Events page marks them and the CSV says so in `toll_status`.")
    kinds = audit.changes_by_kind(dataset.corrections)
    if not kinds.empty:
        changed = audit.rows_changed(dataset.corrections)
        st.markdown("**What the audits changed:** " + escape_md(", ".join(
            f"{n:,} rows of {f}" for f, n in changed.items())) + ", by kind of error (a row counts once per kind):")
        table(kinds, hide_index=True, width="stretch", column_config={
            "file": "File", "kind": "Kind", "rows": st.column_config.NumberColumn("Rows"), "what": "What it means"})


def corrections_section(log: pd.DataFrame) -> None:
    """The public corrections log, newest first, as a newspaper keeps one."""
    st.subheader("Corrections")
    if log.empty:
        st.caption("No corrections are logged for this dataset (corrections.csv is absent or empty).")
        return
    rows = log.sort_values(["date", "file", "row_id"], ascending=[False, True, True])
    files = ", ".join(f"{n:,} in {f}" for f, n in rows["file"].value_counts().sort_index().items())
    st.caption(f"{len(rows):,} changes of a published figure or fact ({escape_md(files)}), each with the report "
               "that supports the new value. Reworded notes are not listed.")
    table(rows, hide_index=True, width="stretch", column_config={
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "row_id": st.column_config.TextColumn("Row"),
        "old_value": st.column_config.TextColumn("Was"),
        "new_value": st.column_config.TextColumn("Now"),
        "source_url": st.column_config.LinkColumn("Report", display_text="open"),
    })
