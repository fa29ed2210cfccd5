"""The search report: verified answers beside in-sample ones, the frontier, shared levers, mixes as files.

Built on a planted search (tests/search/test_planted_problem.py: a stand-in model behind the
executor), so the folder is real and fast to make.
"""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from sim.analysis.search_report import IN_SAMPLE, VERIFIED, build_search_report
from sim.analysis.search_report_text import curse_sentence
from sim.inputs.scenario import load_scenario, value_at
from sim.search.run_search import run_search
from sim.search.search_folder import VERIFICATION_RUNS
from tests.conftest import run_cli
from tests.search.test_planted_problem import BRAINS, PLATFORMS, PlantedModel, planted_search


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    search = planted_search(folder, candidates=48)
    run_search(search, folder / "results", PlantedModel(), workers=2, show_progress=False)
    return folder / "results"


def test_the_frontier_carries_in_sample_and_verified_numbers_with_intervals(planted):
    report = build_search_report(planted)
    assert report.header.verified and report.header.candidates_done == 48
    frontier = report.frontier
    assert not frontier.empty and frontier["label"].str.startswith("candidate_").all()
    for phase in (IN_SAMPLE, VERIFIED):
        p, low, high = (frontier[f"{phase}_p_2030{end}"] for end in ("", "_low", "_high"))
        assert ((low <= p) & (p <= high)).all()
        assert (frontier[f"{phase}_futures"] == 20).all()
    assert frontier[f"{VERIFIED}_cost_yi"].is_monotonic_increasing  # cheapest first
    # The planted cost does not depend on the future: in-sample and verified costs agree.
    assert (frontier[f"{IN_SAMPLE}_cost_yi"] - frontier[f"{VERIFIED}_cost_yi"]).abs().max() < 1e-9
    assert set(report.references["futures_set"]) == {IN_SAMPLE, VERIFIED}


def test_each_answer_is_the_cheapest_frontier_mix_that_reaches_the_stated_probability_verified(planted):
    report = build_search_report(planted)
    assert [(a.year, a.stated) for a in report.answers] == [(2030, 0.5), (2030, 0.8)]
    verified = report.frontier[f"{VERIFIED}_p_2030"]
    for answer in report.answers:
        reaching = report.frontier[verified >= answer.stated]
        assert answer.reached == (not reaching.empty)
        if answer.reached:
            assert answer.number == reaching[f"{VERIFIED}_cost_yi"].idxmin()
            assert answer.probability >= answer.stated
        else:
            assert answer.probability == verified.max()


def test_the_report_writes_markdown_the_chart_and_mixes_that_load_as_scenarios(planted, tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(planted, folder)
    result = run_cli("report", str(folder), "--lang", "en")
    assert result.code == 0, result.err
    text = (folder / "report_en.md").read_text(encoding="utf-8")
    assert text in result.out and "## Answers" in text and "optimiser's curse" in text
    assert "The cheapest mix found that reaches P(2030 >= 1,000 亿元) >= 50%" in text
    assert "![frontier](frontier_en.png)" in text and (folder / "frontier_en.png").stat().st_size > 0
    every = pd.read_csv(folder / "candidates.csv")
    assert len(every) == 48 and {PLATFORMS, BRAINS, "in_sample_p_2030_low", "verified_p_2030"} <= set(
        every.columns
    )
    report = build_search_report(folder)
    first = report.answers[0]
    mix = load_scenario(folder / "scenarios" / "planted_reaches_2030_50pct.toml")
    levers = mix.data.model_dump(mode="json")
    assert value_at(levers, PLATFORMS) == report.candidates.loc[first.number, PLATFORMS]
    assert value_at(levers, BRAINS) == report.candidates.loc[first.number, BRAINS]
    assert mix.target_pairs == ((2027, 700.0), (2030, 1000.0))
    data = json.loads(run_cli("report", str(folder), "--json", "--lang", "en").out)
    assert data["header"]["verified"] and len(data["candidates"]) == 48
    assert data["answers"][0]["sentence"].startswith("The cheapest mix found")


def test_the_report_in_chinese_by_default_and_as_one_html_file(planted, tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(planted, folder)
    result = run_cli("report", str(folder))
    assert result.code == 0, result.err
    text = (folder / "report.md").read_text(encoding="utf-8")
    assert text in result.out and text.startswith("# 实现目标需要什么：") and "## 答案" in text
    assert "找到的达到 P(2030 >= 1,000 亿元) >= 50% 的最便宜组合" in text and "优化者的诅咒" in text
    assert "![前沿](frontier.png)" in text and (folder / "frontier.png").stat().st_size > 0
    words = re.sub(r"`[^`]*`|\(frontier\.png\)", "", text)  # file names aside
    assert not re.search(r"\b(the|of|mix|mixes|frontier|futures)\b", words), words
    result = run_cli("report", str(folder), "--format", "html")
    assert result.code == 0, result.err
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "data:image/png;base64," in page and "data:font/otf;base64," in page  # chart and font inside
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched
    assert "frontier.png" not in page


def test_a_search_stopped_before_its_verification_reports_in_sample_numbers_and_says_so(planted, tmp_path):
    folder = tmp_path / "results"
    shutil.copytree(planted, folder)
    shutil.rmtree(folder / VERIFICATION_RUNS)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(manifest | {"complete": False}))
    result = run_cli("report", str(folder), "--lang", "en")
    assert result.code == 0, result.err
    assert "not yet: the numbers below are in-sample only" in result.out
    assert "resume the search to finish it" in result.out
    assert not (folder / "scenarios").exists(), "no mix is recommended on in-sample numbers"


@pytest.mark.parametrize(
    ("gaps", "sentence"),
    [
        ({2027: 3.0, 2030: 1.5}, "curse"),
        ({2027: 2.0, 2030: -1.0}, "curse_mixed"),
        ({2027: -2.0, 2030: 0.0}, "no_curse"),
    ],
)
def test_the_curse_is_named_only_when_the_search_futures_flattered_every_target(gaps, sentence):
    assert curse_sentence(gaps) == sentence
