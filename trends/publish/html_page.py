"""HTML documents that draw Plotly figures from a file, offline: escaping, the page's shell, chart blocks."""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import plotly
import plotly.graph_objects as go

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
SCRIPT = "plotly.min.js"  # the name plotly.js has beside a page
# Nothing may leave the page: no fetch, font, image or frame from anywhere but the page's own folder and the
# data: and blob: URLs plotly.js makes for its PNG download. WebGL traces (many map points) compile shaders
# with eval, hence 'unsafe-eval'.
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
       "img-src data: blob:; connect-src 'none'; font-src 'none'; frame-src 'none'; object-src 'none'; "
       "base-uri 'none'; form-action 'none'")
STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: #1f2328; line-height: 1.5;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #fff; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .5rem; padding-top: 1rem; border-top: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .25rem; }
p { margin: .4rem 0; }
a { color: #0969da; overflow-wrap: anywhere; }
.muted, figcaption, .note { color: #57606a; font-size: .875rem; }
.warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .5rem .75rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: .75rem; margin: .75rem 0; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem .85rem; }
.card .label { font-size: .85rem; color: #57606a; }
.card .value { font-size: 1.75rem; font-weight: 600; line-height: 1.2; }
.card .change { font-size: .85rem; }
.card .detail { font-size: .8rem; color: #57606a; }
figure { margin: 1.25rem 0; min-width: 0; }
.chart { width: 100%; }
figcaption .title { display: block; color: #1f2328; font-weight: 600; font-size: .95rem; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 0 1.5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eaeef2; }
th { font-weight: 600; border-bottom-color: #d0d7de; }
td.n { text-align: right; white-space: nowrap; }
.brief { border-left: 4px solid #0969da; padding: .25rem 0 .25rem 1rem; font-size: .95rem; }
details { margin: .75rem 0; }
summary { cursor: pointer; color: #0969da; }
.brief ul { padding-left: 1.2rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .75rem; border-radius: 6px;
      font-size: .8rem; }
.nojs { display: none; }
@media (max-width: 600px) { main { padding: 1rem .75rem 2rem; } h1 { font-size: 1.4rem; } }
"""
# Reads each chart's JSON block and draws it; says so in the page when plotly.min.js is not beside it. On a narrow
# screen a title longer than the chart is wide is wrapped to more lines (the figure wraps it for a desktop).
DRAW = """(function () {
  if (typeof Plotly === 'undefined') {
    document.querySelectorAll('.nojs').forEach(function (e) { e.style.display = 'block'; });
    return;
  }
  function wrap(text, chars) {
    var lines = [], line = '';
    text.split('<br>').join(' ').split(' ').forEach(function (word) {
      if (line && (line + ' ' + word).length > chars) { lines.push(line); line = word; }
      else { line = line ? line + ' ' + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (block) {
    var spec = JSON.parse(block.textContent);
    var el = document.getElementById(block.getAttribute('data-chart'));
    var title = spec.layout.title || {};
    var chars = Math.floor((el.clientWidth - 16) / 8);
    if (title.text && title.text.split('<br>').join(' ').length > chars) {
      var lines = wrap(title.text, chars);
      title.text = lines.join('<br>');
      title.pad = {t: 10, b: 0, l: 0, r: 0};  // a title of several lines anchored at its top rises out of view
      spec.layout.margin = spec.layout.margin || {};
      spec.layout.margin.t = (spec.layout.margin.t || 90) + 20 * (lines.length - 1);
      spec.layout.height = (spec.layout.height || 450) + 20 * (lines.length - 1);
    }
    Plotly.newPlot(el, spec.data, spec.layout, spec.config);
  });
})();"""


def esc(value) -> str:
    """Any text, as inert HTML text or attribute value."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def web_url(url) -> str | None:
    """The URL when a link to it is safe to write (http or https with a host), else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def link(url, text=None) -> str:
    """A link for an http(s) URL; any other value is shown as it is, as text."""
    target = web_url(url)
    if target is None:
        return esc(url)
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(text if text is not None else url)}</a>'


def script_json(text: str) -> str:
    """JSON that cannot end its <script> element nor open a comment in it: <, > and & become \\u escapes
    (valid only inside JSON strings, where data text is)."""
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def plot_config(name: str) -> dict:
    # As in the app's toolbar: a PNG download with the title and source inside. No logo: it links to plotly.com.
    return {"displaylogo": False, "responsive": True, "typesetMath": False, "showLink": False,
            "showSendToCloud": False, "showEditInChartStudio": False,
            "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def figure_json(fig: go.Figure, name: str) -> str:
    """The figure and its toolbar config as one JSON object, safe inside a <script> element."""
    spec = json.loads(fig.to_json())  # plotly's own encoder: dates, NaN and typed arrays as plotly.js reads them
    spec["config"] = plot_config(name)
    return script_json(json.dumps(spec, separators=(",", ":")))


def chart_block(fig: go.Figure, element_id: str, name: str, label: str) -> str:
    """The chart's container (as tall as the figure, so the page does not jump) and its JSON for DRAW."""
    height = int(fig.layout.height or 450)
    return (f'<div class="chart" id="{esc(element_id)}" role="img" aria-label="{esc(label)}" '
            f'style="min-height:{height}px"></div>\n'
            f'<script type="application/json" data-chart="{esc(element_id)}">{figure_json(fig, name)}</script>')


def caption(title: str, source: str) -> str:
    return (f'<figcaption><span class="title">{esc(title)}</span>{esc(source)}</figcaption>')


NO_SCRIPT = ('<p class="nojs warning">The charts need plotly.min.js in the same folder as this page, and '
             'JavaScript.</p>')


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js as installed with plotly (read once; the file is about 5 MB)."""
    return PLOTLY_JS.read_text(encoding="utf-8")


def document(title: str, body: str, plotlyjs: str) -> str:
    """A whole HTML document: the page's style and policy, `body`, plotly.js (inline or beside) and DRAW."""
    if plotlyjs == "inline":
        script = f"<script>{plotly_js()}</script>"
    elif plotlyjs == "beside":
        script = f'<script src="{SCRIPT}"></script>'
    else:
        raise ValueError(f"plotlyjs must be 'inline' or 'beside', not {plotlyjs!r}")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="referrer" content="no-referrer">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n"
            f"{NO_SCRIPT}\n</main>\n{script}\n<script>{DRAW}</script>\n</body>\n</html>\n")
