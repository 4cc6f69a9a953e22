"""Reading a published page back: a small element tree from html.parser, and the page's charts and links."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "img", "link", "input", "hr", "source", "area", "base", "col", "embed", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.attrs.get("class", "").split()):
                    found.append(child)
                found += child.all(tag, cls)
        return found


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree.root


def charts(root: Node) -> list[dict]:
    """Each chart's figure JSON (data, layout, config) with the id of the element it is drawn in."""
    return [{**json.loads(s.text()), "element": s.attrs["data-chart"]}
            for s in root.all("script") if s.attrs.get("type") == "application/json" and "data-chart" in s.attrs]


def captions(root: Node) -> list[tuple[str, str]]:
    """(title, source line) of every chart, as the page's text says them."""
    out = []
    for cap in root.all("figcaption"):
        title = cap.all("span", "title")[0].text()
        out.append((title, cap.text()[len(title):]))
    return out


def addresses(root: Node) -> list[tuple[str, str]]:
    """Every (tag, URL) that would make the browser follow or fetch something."""
    found = []
    for node in root.all():
        for attr in ("href", "src", "action", "data", "poster", "srcset", "formaction"):
            if attr in node.attrs:
                found.append((node.tag, node.attrs[attr]))
    return found
