"""The first-paint benchmark's comparison pages: the charts-alone page draws exactly the Overview's figures."""

from __future__ import annotations

import base64
import json

import numpy as np

from bench.first_paint import BARE, FIGURES
from tests.conftest import ROOT, run_app


def _page(tmp_path, text: str):
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "page.py"
    script.write_text(text)
    return AppTest.from_file(str(script), default_timeout=120).run()


def test_the_charts_alone_page_draws_the_overviews_own_figures(monkeypatch, tmp_path):
    overview = run_app(monkeypatch, folder=None)
    drawn = overview.get("plotly_chart")
    assert len(drawn) == 3
    alone = _page(tmp_path, FIGURES.format(root=str(ROOT), names=["reported", "trend", "map"]))
    assert not alone.exception
    charts = alone.get("plotly_chart")
    # Same figures, same toolbar, same order: only the rest of the page differs.
    assert [c.proto.spec for c in charts] == [c.proto.spec for c in drawn]
    assert [json.loads(c.proto.config) for c in charts] == [json.loads(c.proto.config) for c in drawn]
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in charts]
    assert titles[0] == "Conflict deaths (all parties) reported by UCDP"
    assert not alone.sidebar.children and not alone.metric and not alone.markdown


def test_the_bare_page_draws_n_lines_of_200_points(tmp_path):
    bare = _page(tmp_path, BARE.format(n=3))
    specs = [json.loads(c.proto.spec) for c in bare.get("plotly_chart")]
    assert len(specs) == 3 and all(len(s["data"]) == 1 for s in specs)
    for s in specs:  # x is sent in Plotly's binary form: 200 numbers of its dtype
        x = np.frombuffer(base64.b64decode(s["data"][0]["x"]["bdata"]), dtype=s["data"][0]["x"]["dtype"])
        assert x.tolist() == list(range(200))
