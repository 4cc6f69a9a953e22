"""Published views: a view's static page (index.html beside plotly.min.js) and single charts to embed in a CMS."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from trends.analysis.brief import brief, brief_markdown
from trends.filters import FilterSpec, upper_first
from trends.analysis.headline import headline
from trends.publish.html_page import PLOTLY_JS, SCRIPT, caption, chart_block, document, esc, link, web_url
from trends.analysis.reported import in_range
from trends.pages.view_charts import Chart, View, build_view
from trends.wording import EVENTS_HEADING, NO_PUBLIC_URL, SELECTION_HEADING, SELECTION_NOTE, permalink
from trends.engines.open import engine_of

PAGE = "index.html"
SECTIONS = {"level": "The level of violence, as authorities reported it", "map": "Where", "breakdowns": "Breakdowns",
            "casualties": "Casualties reported by authorities",
            "alerts": "Where events rose in the last weeks of the view"}


class PublishError(Exception):
    """A page that cannot be written; the message is the one-line reason."""


def chart_html(fig: go.Figure, title: str, source: str, permalink: str | None = None,
               plotlyjs: str = "inline") -> str:
    """One chart as a standalone HTML document to embed in a CMS: its title and source line as text (given plain,
    escaped here), the link back to the live view (http(s) only), and plotly.js inline (the one file works
    anywhere, offline) or beside it (`<script src="plotly.min.js">`). Nothing is computed until it is called, so
    a download button can take it as its data callable."""
    back = web_url(permalink)
    name = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "chart"  # the PNG download's file name
    # Where no public address is known, `permalink` is the sentence that says so (wording.link_or_note).
    said = (f'<p class="muted">{link(back, "Open the live view")}</p>' if back else
            f'<p class="muted">{esc(permalink)}</p>' if permalink else "")
    body = f"<figure>\n{chart_block(fig, 'chart', name, title)}\n{caption(title, source)}\n</figure>\n" + said
    return document(title, body, plotlyjs)


def cards(items: list[tuple[str, str, str, str]]) -> str:
    """Headline numbers as cards: (label, value, change, detail)."""
    out = []
    for label, value, change, detail in items:
        out.append(f'<div class="card"><div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
                   + (f'<div class="change">{esc(change)}</div>' if change else "")
                   + (f'<div class="detail">{esc(detail)}</div>' if detail else "") + "</div>")
    return '<div class="cards">' + "".join(out) + "</div>"


def html_table(rows: pd.DataFrame, columns: dict[str, str], links: dict[str, str] | None = None,
               numbers: tuple[str, ...] = ()) -> str:
    """A plain table of the columns that hold anything: `columns` maps column -> header; `links` maps a URL column
    -> the link's text; `numbers` are counts, right-aligned with separators."""
    links = links or {}
    shown = {col: head for col, head in columns.items() if col in rows and rows[col].notna().any()}
    body = []
    for row in rows.to_dict("records"):
        cells = []
        for col in shown:
            value = row.get(col)
            if col in links:
                cells.append(f"<td>{link(value, links[col])}</td>")
            elif col in numbers:
                cells.append(f'<td class="n">{"" if pd.isna(value) else f"{int(value):,}"}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{esc(h)}</th>" for h in shown.values())
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
            "</table></div>")


def folded(summary: str, content: str) -> str:
    """Long tables closed until asked for, as on the Overview, so the charts stay near each other."""
    return f"<details><summary>{esc(summary)}</summary>\n{content}\n</details>"


def figure(chart: Chart, index: int) -> str:
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in chart.notes)
    return (f'<figure>\n{chart_block(chart.figure, f"chart-{index}", chart.key, chart.title)}\n'
            f"{caption(chart.title, chart.source)}\n{notes}</figure>")


def level_html(view: View, charts: dict[str, str]) -> str:
    """The reported totals as the Overview shows them: the same Headline (trends.analysis.headline) in the same words."""
    rows = view.reported_rows
    chosen = view.chart("reported")
    out = [f"<h2>{esc(SECTIONS['level'])}</h2>"]
    if chosen is not None and chosen.series is not None:
        said = headline(chosen.series, rows, view.spec.start, view.spec.end, view.spec.value_filtered)
        if said.none_inside:
            out.append(f'<p class="note">{esc(said.none_inside)}</p>')
        if said.metrics:
            out.append(cards([(m.label, m.value, m.below or "", m.hint) for m in said.metrics]))
        out.append(f'<p class="note">{esc(said.caption)}</p>')
        if said.series_note:
            out.append(f'<p class="note">{esc(said.series_note)}</p>')
    out.append(charts.get("reported", ""))
    if len(rows):
        out.append(folded(f"Every figure authorities reported for this range ({len(rows):,})", html_table(
            rows, {"reporter": "Reporter", "what": "Measure", "period": "Period", "figure": "Figure",
                   "coverage": "Coverage", "source": "Source", "source_url": "Report"}, links={"source_url": "open"})))
    return "\n".join(out)


def brief_html(b: dict) -> str:
    """The brief as text in HTML (never rendered from its Markdown), with its sources and permalink."""
    items = [f"<li>{esc(r['publisher'])} ({esc(r['reporter'])}, {esc(r['period'])}): {link(r['url'])}</li>"
             for r in b.get("reported", [])]
    items += [f"<li>{esc(s['publisher'])} ({esc(s['date'])}): {link(s['url'])}</li>" for s in b["sources"]]
    if b["more_sources"]:
        items.append(f"<li>and the reports of {b['more_sources']:,} more attacks, listed in the events CSV</li>")
    return (f'<h3>This view in words</h3>\n<div class="brief"><p><strong>{esc(b["title"])}</strong></p>'
            f'<p>{esc(b["text"])}</p><p>Sources:</p><ul>{"".join(items)}</ul>'
            f'<p>Data: {esc(b["dataset"])}</p><p>Permalink: '
            f'{link(b["permalink"]) if b["permalink"] else esc(NO_PUBLIC_URL.format(query=b["view"]))}</p></div>\n'
            "<details><summary>The brief as Markdown, to paste</summary>"
            f"<pre>{esc(brief_markdown(b))}</pre></details>")


def page_html(dataset, view: View, b: dict, url: str | None) -> str:
    """The published page of a view: what the Overview shows for it, in its order, as static HTML."""
    spec = view.spec
    charts = {c.key: figure(c, i) for i, c in enumerate(view.charts, 1)}
    package = dataset.package or {}
    said = ([f"v{package['version']}"] if package.get("version") else []) + (
        [f"last updated {package['last_updated']}"] if package.get("last_updated") else [])
    about = f"Data: {dataset.title}" + (f" ({', '.join(said)})" if said else "") + "."
    back = web_url(url)
    out = [f'<header><h1>Violence and the peace process</h1><p class="muted">{esc(spec.describe())}.</p>'
           f'<p class="muted">{esc(about)}</p>'
           + (f'<p>{link(back, "Open this view in the live dashboard")}</p>' if back else
              f'<p class="muted">{esc(upper_first(NO_PUBLIC_URL.format(query=spec.query_string())))}.</p>')
           + "</header>"]
    rejected = sum(r.rows_rejected for r in dataset.reports.values())
    if rejected:
        out.append(f'<p class="warning">Data quality: {rejected:,} rows could not be loaded; the valid rows are '
                   "shown.</p>")
    out.append(level_html(view, charts))
    out.append(f"<h2>{esc(SELECTION_HEADING if dataset.selection else EVENTS_HEADING)}</h2>")
    if dataset.selection:
        out.append(f'<p class="note">{esc(SELECTION_NOTE)}</p>')
    out.append(cards([(k.label, f"{k.value:,}", k.change, k.detail) for k in view.kpis]))
    out.append(f'<p class="note">{esc(view.kpi_note)}</p>')
    out.append(brief_html(b))
    for key in ("comparison", "trend"):
        out.append(charts.get(key, ""))
    for section in ("map", "breakdowns", "casualties", "alerts"):
        shown = [c for c in view.charts if c.section == section]
        if not shown:
            continue
        out.append(f"<h2>{esc(SECTIONS[section])}</h2>")
        blocks = [charts[c.key] for c in shown]
        out.append(f'<div class="row">{"".join(blocks)}</div>' if section == "breakdowns" else "\n".join(blocks))
        for c in shown:
            if c.table is not None:
                out.append(folded(f"Each period's figure and report ({len(c.table):,})", html_table(c.table, {
                    "period": "Period", "killed": "Killed", "injured": "Injured",
                    "killed_or_injured": "Killed or injured", "qualifier": "Qualifier", "source": "Source",
                    "source_url": "Report"}, links={"source_url": "open"},
                    numbers=("killed", "injured", "killed_or_injured"))))
    licence = ", ".join(str(x.get("name") or x.get("title")) for x in package.get("licenses", [])
                        if isinstance(x, dict))
    out.append('<footer><h2>About this page</h2><p class="note">Published with <code>python -m trends publish</code>. '
               "The charts are drawn by plotly.js, saved beside this page; the page asks no server for anything. "
               "Each chart's toolbar downloads it as a PNG with its title and source line inside."
               + (f" Data licence: {esc(licence)}." if licence else "") + "</p></footer>")
    return document(f"Violence and the peace process: {spec.describe()}", "\n".join(out), "beside")


def publish(dataset, spec: FilterSpec, out_dir, base_url: str | None = None) -> list[Path]:
    """Write the view's static page (index.html) and plotly.min.js into `out_dir`; returns their paths.
    The link back to the live view is the base URL (else TRENDS_PUBLIC_URL, else the local app) with the
    view's query string, written only for an http(s) address. Files are written whole or not at all."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a folder")
    engine = engine_of(dataset)
    view = build_view(dataset, spec, engine)
    url = permalink(spec, base_url)
    b = brief(engine, dataset.meetings, spec, dataset_title=dataset.title, base_url=base_url,
              first=engine.domain(dataset.provinces).first, selection=dataset.selection,
              reported_figures=in_range(dataset.attack_counts, dataset.casualties, spec.start, spec.end))
    return write(out, page_html(dataset, view, b, url))


def _write_file(folder: Path, name: str, fill) -> None:
    """A file made beside its final name and renamed over it, so a reader never meets half of it."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(out: Path, page: str) -> list[Path]:
    """plotly.min.js, then index.html. A new folder is filled under a temporary name and renamed into place; in
    an existing folder each file replaces its old version whole (the script first, so the page never precedes
    it), and nothing else in the folder is touched."""
    def script(f):
        with open(PLOTLY_JS, "rb") as src:
            shutil.copyfileobj(src, f)

    def text(f):
        f.write(page.encode("utf-8"))

    try:
        if out.is_dir():
            _write_file(out, SCRIPT, script)
            _write_file(out, PAGE, text)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
            try:
                _write_file(tmp, SCRIPT, script)
                _write_file(tmp, PAGE, text)
                os.chmod(tmp, 0o755)
                os.rename(tmp, out)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as err:
        raise PublishError(f"cannot write {out}: {err.strerror or err}") from err
    return [out / PAGE, out / SCRIPT]
