"""Figure builders: traces, values, titles and inert hover text."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from tests.conftest import DATA
from plotly.colors import sample_colorscale
from trends.figures import base as figures
from trends.figures import map_figures
from trends.engines import queries
from trends.dataset.boundaries import load_boundaries
from trends.filters import FilterSpec
from trends.engines.open import engine_of

D = dt.date
AUG_SEP = FilterSpec(D(2018, 8, 1), D(2018, 9, 30))


def test_trend_figure_bars_and_meeting_lane(small):
    series = queries.trend(small.attacks, AUG_SEP)
    meetings = queries.meetings_between(small.meetings, AUG_SEP.start, AUG_SEP.end)
    fig = figures.trend_figure(series, meetings, measure="killed", freq="month", title="Killed per month",
                               source="Source: fixture")
    bars, lane = fig.data
    assert bars.type == "bar" and list(bars.y) == [10, 7]
    assert lane.type == "scatter" and list(lane.y) == ["talks", "conference"]
    assert lane.customdata[0][0] == "Synthetic talks two" and lane.customdata[0][1] == "25 Jul 2018 to 02 Aug 2018"
    assert fig.layout.title.text == "Killed per month"
    assert fig.layout.annotations[-1].text == "Source: fixture"


def test_stacked_trend_has_one_trace_per_group_with_stable_colours(small):
    spec = FilterSpec(D(2018, 6, 1), D(2018, 10, 31))
    series = queries.trend(small.attacks, spec, "perpetrator")
    colours = figures.colour_map(small.attacks["perpetrator"])
    fig = figures.trend_figure(series, small.meetings.iloc[0:0], measure="attacks", freq="month", title="t",
                               source="s", colours=colours)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Islamic State Khorasan Province", "Taliban", "Unknown"]
    assert [b.marker.color for b in bars] == [colours[b.name] for b in bars]
    assert sum(sum(b.y) for b in bars) == 7  # e7, e1, e2, e3, e4, e5, e6
    assert fig.layout.barmode == "stack"


def test_hover_text_from_data_is_escaped(small):
    meetings = small.meetings.copy()
    meetings.loc[0, "title"] = "<img src=x onerror=alert(1)>"
    meetings.loc[0, "summary"] = "<script>alert(1)</script>"
    lane = figures.meetings_lane(meetings)
    assert lane["customdata"][0][0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<script>" not in lane["customdata"][0][3] and "&lt;script&gt;" in lane["customdata"][0][3]


def test_casualties_figure_labels_qualifiers(small):
    from trends.pages import view_charts

    drawn = view_charts.casualties_chart(small.casualties, "security forces", D(2018, 1, 1), D(2018, 12, 31))
    (bar,) = drawn.figure.data
    assert bar.name == "Killed or injured" and list(bar.y) == [1000]
    assert list(bar.text) == ["at least 1,000"] and list(bar.x) == ["August-September 2018"]
    civ = view_charts.casualties_chart(small.casualties, "civilians", D(2017, 1, 1), D(2018, 12, 31)).figure
    assert [t.name for t in civ.data] == ["Killed", "Injured"] and list(civ.data[0].x) == ["2017", "2018"]


def test_casualties_of_different_lengths_stand_in_separate_panels(bundled):
    from trends.pages import view_charts

    drawn = view_charts.casualties_chart(bundled.casualties, "civilians", D(2018, 1, 1), D(2019, 12, 31))
    fig = drawn.figure
    panels = [a.text for a in fig.layout.annotations if a.text != fig.layout.annotations[-1].text]
    # UNAMA published, for 2018-2019: years, first halves, January-September, and first and third quarters.
    assert panels == ["Per year", "First half of each year", "January to September", "Calendar quarters"]
    killed = {t.yaxis: dict(zip(t.x, t.y)) for t in fig.data if t.name == "Killed"}
    assert killed["y"] == {"2018": 3804, "2019": 3403}
    assert killed["y2"] == {"January-June 2018": 1692, "January-June 2019": 1366}
    assert killed["y4"] == {"January-March 2018": 763, "January-March 2019": 581, "July-September 2019": 1174}
    # Outside the range nothing is drawn: no 2017 and no 2020 period.
    assert not any("2017" in x or "2020" in x for t in fig.data for x in t.x)


def test_breakdown_figure_largest_on_top(small):
    rows = queries.breakdown(small.attacks, FilterSpec(D(2017, 1, 1), D(2018, 12, 31)), "province")
    fig = figures.breakdown_figure(rows, by="province", measure="killed", title="By province", source="s")
    # plotly draws the first category at the bottom, so the largest comes last
    assert list(fig.data[0].y) == ["Southland", "Northland", "Westland"]
    assert list(fig.data[0].x) == [0, 19, 27]  # Northland 5+10+3+1, Westland 7+20


def test_bubble_map_without_boundaries(small):
    totals = queries.with_gazetteer(queries.breakdown(small.attacks, AUG_SEP, "province"), small.provinces)
    events = queries.filter_events(small.attacks, AUG_SEP)
    fig = map_figures.province_map_figure(totals, measure="attacks", title="Map", source="s", points=events,
                                      colours=figures.colour_map(small.attacks["perpetrator"]))
    bubbles = fig.data[0]
    assert list(bubbles.text) == ["Southland", "Northland", "Westland"]
    assert [t.name for t in fig.data[1:]] == ["Taliban", "Unknown"]  # e3 has no coordinates
    assert sum(len(t.x) for t in fig.data[1:]) == 3
    assert fig.layout.yaxis.scaleanchor == "x"


def test_boundaries_match_every_province_through_aliases(bundled):
    outlines = load_boundaries(DATA / "boundaries.geojson", bundled.gazetteer)
    assert outlines.unmatched == []
    assert len(outlines.shapes) == 34
    # The file's quirks: "Ghanzi" is Ghazni and "AF_KAN" is AF-KAN; both reach their province through aliases.
    assert "Ghazni" in dict(outlines.shapes)
    assert sorted(name for name, _ in outlines.shapes) == sorted(bundled.provinces["province"])
    spec = FilterSpec(D(2018, 1, 1), D(2018, 12, 31))
    totals = engine_of(bundled).summary(spec).breakdown["province"]
    totals = queries.with_gazetteer(totals, bundled.provinces)
    fig = map_figures.province_map_figure(totals, measure="attacks", title="m", source="s", boundaries=outlines.shapes)
    shapes = [t for t in fig.data if t.fill == "toself"]
    assert sorted(t.name for t in shapes) == sorted(bundled.provinces["province"])
    # Shading and hover against the summary, counted straight from the CSV for 2018.
    rows = [r for r in csv.DictReader(open(DATA / "attacks.csv", encoding="utf-8")) if r["date"].startswith("2018")]
    per = {p: sum(1 for r in rows if r["province"] == p) for p in bundled.provinces["province"]}
    top = max(per.values())
    for t in shapes:
        n = per[t.name]
        assert t.text == f"<b>{t.name}</b>: {n:,} attacks ({100 * n / len(rows):.0f}% of the view)"
        assert t.fillcolor == (sample_colorscale(figures.SEQUENTIAL, [n / top])[0] if n else "#f2f4f7")
    # The darkest shade is the busiest province, and the colour bar runs the same way (light to dark).
    bar = next(t for t in fig.data if t.marker and t.marker.colorbar and t.marker.colorbar.title.text)
    assert bar.marker.cmax == top
    first, last = (bar.marker.colorscale[i][1].replace(" ", "") for i in (0, -1))
    assert (first, last) == ("rgb(247,251,255)", "rgb(8,48,107)")  # light for none, dark for the most
    labels = next(t for t in fig.data if t.name == "Provinces")
    assert sorted(labels.customdata) == sorted(bundled.provinces["province"]) and labels.mode == "markers+text"
    assert fig.data[-1].name == "Provinces"  # names drawn last, over every mark
    assert labels.textfont.shadow == "auto"  # with a halo, legible where a name lies over a bubble


def test_country_outline_is_the_edges_no_two_provinces_share(bundled):
    from trends.dataset.boundaries import label_point, outline

    outlines = load_boundaries(DATA / "boundaries.geojson", bundled.gazetteer)
    xs, ys = outline(outlines.shapes)
    breaks = [i for i, x in enumerate(xs) if x is None]
    assert len(xs) == len(ys) == 738 and breaks == [breaks[0], 737]  # two lines, 736 points

    def drawn(xs, ys):
        return [tuple(sorted(((xs[i], ys[i]), (xs[i + 1], ys[i + 1]))))
                for i in range(len(xs) - 1) if xs[i] is not None and xs[i + 1] is not None]

    edges = drawn(xs, ys)
    assert len(edges) == len(set(edges)) == 734  # 734 edges belong to one province only (1,682 are shared by two)
    # A square split in two: one closed line round the square's 6 edges, without the shared middle edge.
    left = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 2], [0, 2], [0, 0]]]}
    right = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 2], [1, 2], [1, 0]]]}
    xs, ys = outline([("L", left), ("R", right)])
    assert (xs, ys) == ([0, 1, 2, 2, 1, 0, 0, None], [0, 0, 0, 2, 2, 2, 0, None])
    # An open line whose first edge is in its middle is still one line: (0,0) (1,0) (1,1) (2,1).
    parts = {"type": "MultiPolygon", "coordinates": [[[[1, 0], [1, 1], [2, 1]]], [[[0, 0], [1, 0]]]]}
    xs, ys = outline([("P", parts)])
    assert xs.count(None) == 1 and sorted(drawn(xs, ys)) == [((0, 0), (1, 0)), ((1, 0), (1, 1)), ((1, 1), (2, 1))]
    assert label_point(left) == pytest.approx((0.5, 1.0))


def test_the_takeover_is_marked_only_where_an_axis_holds_it():
    from trends.figures.base import TAKEOVER_LABEL, _figure

    def fig(days, panels=1):
        traces = [{"type": "scatter", "x": pd.to_datetime(days), "y": [1] * len(days), "xaxis": f"x{i or ''}",
                   "yaxis": f"y{i or ''}"} for i in ([0] if panels == 1 else [0, 2])]
        layout = {f"xaxis{i or ''}": {"type": "date", "anchor": f"y{i or ''}"} for i in ([0] if panels == 1 else [0, 2])}
        return _figure(traces, layout, "t", "s").to_dict()["layout"]

    across = fig(["2021-01-01", "2022-01-01"])
    assert [a["text"] for a in across["annotations"]].count(TAKEOVER_LABEL) == 1
    assert [(str(s["x0"])[:10], s["yref"]) for s in across["shapes"]] == [("2021-08-15", "paper")]
    before = fig(["2020-01-01", "2021-08-14"])
    assert TAKEOVER_LABEL not in [a["text"] for a in before["annotations"]] and not before.get("shapes")
    # Two panels, each with its own date axis: each line stays in its panel.
    stacked = fig(["2021-01-01", "2022-01-01"], panels=2)
    assert sorted(s["yref"] for s in stacked["shapes"]) == ["y domain", "y2 domain"]
