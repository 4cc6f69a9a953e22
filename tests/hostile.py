"""Hostile values for the inertness tests: each would put a link, an image or markup on the page if rendered."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

# Hosts that must never appear in a link, an image or a request made by the page.
FOREIGN_HOSTS = ("phish.example", "tracker.example")

HOSTILE_URL_VALUES = {
    "markdown link and image": "![x](http://tracker.example/p.png) [Read the full report](http://phish.example/login)",
    "bare url": "http://phish.example/login",
    "www autolink": "www.phish.example/offer",
    "e-mail autolink": "victim@phish.example",
    "angle autolink": "<http://phish.example/auto>",
    "html": "<img src=http://tracker.example/i.png><a href=http://phish.example/h>x</a>",
    "reference link": "[report][1] [1]: http://phish.example/ref",
    "directives and math": ":red[Alert] :material/warning: :smile: $x^2$ **bold** `code` ~~gone~~",
}
# Every URL parameter the app reads.
URL_PARAMS = ("start", "end", "province", "perpetrator", "attack_type", "target", "freq", "dataset", "window",
              "baseline")
# Parameters read only on the Overview (its alerts panel).
OVERVIEW_PARAMS = ("window", "baseline")


def hostile_params(values=tuple(HOSTILE_URL_VALUES.values())) -> list[tuple[str, str]]:
    """Every parameter carrying every hostile value (list filters repeat; single-valued ones take them joined)."""
    pairs = []
    for key in URL_PARAMS:
        if key in ("start", "end", "freq", "dataset", *OVERVIEW_PARAMS):
            pairs.append((key, " ".join(values)))
        else:
            pairs += [(key, v) for v in values]
    return pairs


def write_hostile_dataset(source: Path, folder: Path) -> Path:
    """A SYNTHETIC copy of `source` whose every free-text cell, a GeoJSON feature name and the datapackage
    title hold hostile text (controlled-vocabulary and numeric cells must stay valid for the rows to load)."""
    shutil.copytree(source, folder)
    text = " ".join(HOSTILE_URL_VALUES.values())
    free_text = {"attacks.csv": ("district", "location", "source", "notes", "event_id"),
                 "meetings.csv": ("title", "city", "country", "parties", "summary", "source", "meeting_id"),
                 "casualties.csv": ("attributed_to", "reporter", "source", "notes")}
    for name, columns in free_text.items():
        path = folder / name
        rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
        for i, row in enumerate(rows):
            for col in columns:
                if col in row:
                    row[col] = f"SYNTHETIC {i} {text}" if col.endswith("_id") else f"SYNTHETIC {text}"
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    package = json.loads((folder / "datapackage.json").read_text())
    package["title"] = f"SYNTHETIC {text}"
    package["description"] = f"SYNTHETIC {text}"
    package["caveats"] = [f"SYNTHETIC {text}"]
    package["citation"] = f"SYNTHETIC {text}"
    (folder / "datapackage.json").write_text(json.dumps(package))
    square = [[[62.0, 30.0], [70.0, 30.0], [70.0, 37.0], [62.0, 37.0], [62.0, 30.0]]]
    (folder / "boundaries.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"shapeName": f"SYNTHETIC {text}"},
         "geometry": {"type": "Polygon", "coordinates": square}}]}))
    return folder


_ESCAPED = __import__("re").compile(r"\\([!-/:-@\[-`{-~])")


def visible(markdown: str) -> str:
    """The text a reader sees of escaped Markdown: backslash escapes resolved, word joiners dropped."""
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


# Elements whose text Streamlit never renders as Markdown, and fields it shows as plain text (the choices of a
# select box; the browser test checks those on the page itself).
_NOT_MARKDOWN = ("PlotlyChart", "Code", "Arrow", "Json", "DownloadButton", "Text", "Html")
_PLAIN_FIELDS = {("MultiSelect", "options"), ("MultiSelect", "default"), ("MultiSelect", "raw_values"),
                 ("Selectbox", "options"), ("Selectbox", "raw_value")}


def _protos(at) -> list:
    """The proto of every element and block an AppTest run put on the page, in order."""
    found: list = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(proto)
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else []):
            walk(child)

    walk(at._tree)
    return found


def page_strings(at) -> list[str]:
    """Every string of every element and block an AppTest run put on the page (labels, help, bodies, options),
    except in elements that do not render Markdown."""
    found: list[str] = []

    def strings(message) -> None:
        for desc, value in message.ListFields():
            if (type(message).__name__, desc.name) in _PLAIN_FIELDS:
                continue
            values = value if getattr(desc, "is_repeated", False) or isinstance(value, (list, tuple)) \
                or type(value).__name__.startswith("Repeated") else [value]
            for v in values:
                if isinstance(v, str):
                    found.append(v)
                elif hasattr(v, "ListFields"):
                    strings(v)

    for proto in _protos(at):
        if type(proto).__name__ not in _NOT_MARKDOWN:
            strings(proto)
    return found


def _html_bodies(at) -> list[str]:
    return [proto.body for proto in _protos(at) if type(proto).__name__ == "Html"]


def html_tags(at) -> list[str]:
    """Every tag in the st.html elements of a run: only those the code writes may be there (data is escaped)."""
    import re

    return [t for body in _html_bodies(at) for t in re.findall(r"</?[a-zA-Z][^>]*>", body)]


def html_texts(at) -> list[str]:
    """What a reader reads in each st.html element: its tags dropped and its entities resolved."""
    import html
    import re

    return [html.unescape(re.sub(r"<[^>]+>", "", body)) for body in _html_bodies(at)]


def rendered_links(markdown: str) -> list[str]:
    """Links and images that a GFM renderer with autolinks makes of `markdown` (an independent check)."""
    return [t for t in rendered_tags(markdown) if t.startswith(("<a", "<img"))]


def rendered_tags(markdown: str) -> list[str]:
    """Every HTML tag but the paragraph's that a GFM renderer with autolinks makes of `markdown`."""
    import re

    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like", {"linkify": True})
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True})
    md.linkify.tlds(["example"], True)  # the test hosts' reserved top-level domain, as a real TLD would be
    html = md.render(markdown)
    return [t for t in re.findall(r"</?[a-z][^>]*>", html) if t not in ("<p>", "</p>")]
