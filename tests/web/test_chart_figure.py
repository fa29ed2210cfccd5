"""A chart figure's shared text measure: the same SVG as matplotlib's own, without measuring again."""

from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure

from sim.model.model import IndustryModel
from sim.web import chart_figure
from sim.web.charts import cluster_chart, indicators_chart, to_svg
from sim.web.live_figure import LiveFigure


def _comparable(svg: str) -> str:
    """The SVG without what differs between any two drawings: its date, random ids, hover ids."""
    svg = re.sub(r"<dc:date>[^<]*", "", svg)
    svg = re.sub(r"\b[pm][0-9a-f]{10}\b", "id", svg)  # clip paths' and markers' ids
    return re.sub(r"tip-\d+", "tip", svg)


@pytest.fixture(scope="module")
def short_run(baseline_scenario) -> IndustryModel:
    model = IndustryModel(baseline_scenario, rng=5)
    for _ in range(3):
        model.step()
    return model


@pytest.mark.parametrize("make", [cluster_chart, indicators_chart])
@pytest.mark.parametrize("standalone", [False, True])
def test_svg_is_matplotlibs_own(make, standalone: bool, short_run: IndustryModel, monkeypatch) -> None:
    chart: LiveFigure = make(short_run, "zh")
    assert isinstance(chart.figure, chart_figure.ChartFigure)
    shared = _comparable(to_svg(chart.draw(short_run), standalone=standalone))
    monkeypatch.setattr(chart_figure.ChartFigure, "draw", Figure.draw)  # matplotlib's measuring
    own = _comparable(to_svg(chart.draw(short_run), standalone=standalone))
    assert shared == own


def test_a_second_drawing_measures_no_text_anew(short_run: IndustryModel) -> None:
    chart = indicators_chart(short_run, "en")
    to_svg(chart.draw(short_run))
    before = chart_figure._measured.cache_info()
    to_svg(chart.draw(short_run))
    after = chart_figure._measured.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits
