"""The "what it takes" panel: finds finished searches, draws their frontier, loads a mix into the levers."""

from __future__ import annotations

import io
import json
import re
import shutil

import pandas as pd
import pytest

from sim.analysis.search_report import build_search_report
from sim.search.run_search import run_search
from sim.web.charts import to_svg
from sim.web.search_panel import (
    finished_searches,
    frontier_csv,
    frontier_figure,
    frontier_makers,
    mix_caption,
    mix_settings,
    verified_references,
)
from sim.web.state import lever_value, scenario_of
from tests.search.test_planted_problem import BRAINS, PLATFORMS, PlantedModel, planted_search


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A results folder with a finished search, an unfinished one and an experiment-like folder."""
    root = tmp_path_factory.mktemp("web") / "results"
    search = planted_search(root.parent, candidates=32)
    run_search(search, root / "planted", PlantedModel(), workers=1, show_progress=False)
    shutil.copytree(root / "planted", root / "unfinished")
    manifest = json.loads((root / "unfinished" / "manifest.json").read_text())
    (root / "unfinished" / "manifest.json").write_text(json.dumps(manifest | {"complete": False}))
    (root / "experiment").mkdir()
    (root / "experiment" / "manifest.json").write_text(json.dumps({"experiment": "x"}))
    return root


def test_only_finished_searches_are_offered(results, tmp_path):
    assert [folder.name for folder in finished_searches(results)] == ["planted"]
    assert finished_searches(tmp_path / "nothing") == []


def test_a_chosen_mix_loads_its_levers_into_valid_settings(results):
    report = build_search_report(results / "planted")
    number = int(report.frontier.index[0])
    settings = mix_settings(report, number)
    for lever in (PLATFORMS, BRAINS):
        assert lever_value(settings, lever, -1) == report.candidates.loc[number, lever]
    scenario = scenario_of(settings)
    assert scenario.target_pairs == ((2027, 700.0), (2030, 1000.0))
    assert f" {number}: P(2027)" in mix_caption(report, number, "en")
    assert "亿元/年" in mix_caption(report, number, "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_frontier_figure_marks_the_chosen_mix_and_the_references(results, lang):
    report = build_search_report(results / "planted")
    figure = frontier_figure(report, int(report.frontier.index[0]), lang)
    axis = figure.axes[0]
    assert len(axis.lines) == 2 + len(report.references[report.references["futures_set"] == "verified"])
    assert "2030" in axis.get_ylabel()


def test_the_frontier_says_each_mix_and_reference_on_hover_and_downloads_them(results):
    report = build_search_report(results / "planted")
    chosen = int(report.frontier.index[0])
    said = re.findall(r"<title>([^<]*)</title>", to_svg(frontier_figure(report, chosen, "zh")))
    references = verified_references(report)
    assert said.count(mix_caption(report, chosen, "zh")) == 2  # its point, and the chosen mark
    assert all(mix_caption(report, int(n), "zh") in said for n in report.frontier.index)
    assert sum(tip.startswith(f"{name}: P(2027)") for tip in said for name in references["scenario"]) == len(
        references
    )
    table = pd.read_csv(io.BytesIO(frontier_csv(report)), encoding="utf-8-sig")
    assert list(table.columns) == ["kind", "name", "cost_yi", "p_2027", "p_2030"]
    assert (table["kind"] == "mix").sum() == len(report.frontier)
    assert (table["kind"] == "reference").sum() == len(references)
    assert "<text" not in frontier_makers(report, chosen, "en")[0]()
