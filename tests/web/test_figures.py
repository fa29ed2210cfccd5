"""The page's figures and tables build from a short run, in both languages, without a missing glyph."""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.layout_engine import ConstrainedLayoutEngine

from sim.analysis.odds import Odds, TargetOdds
from sim.model.model import IndustryModel
from sim.web import live_figure
from sim.web.charts import (
    Comparison,
    chart_csv,
    cluster_chart,
    cluster_figure,
    indicators_chart,
    indicators_figure,
    output_chart,
    output_figure,
    to_svg,
)
from sim.web.land_chart import land_by_cluster, land_chart, land_figure
from sim.web.live_figure import Layouts
from sim.web.odds_panel import answer_sentences, fan_csv, fan_figure, odds_table_html, percent
from sim.web.run_panel import comparison_table_html, fiscal_table_html, progress_line
from sim.web.state import OddsComparison, completed_years


@pytest.fixture(scope="module")
def short_run(baseline_scenario) -> IndustryModel:
    model = IndustryModel(baseline_scenario, rng=3)
    for _ in range(5):
        model.step()
    return model


def comparisons_of(model: IndustryModel) -> tuple[Comparison, ...]:
    years = completed_years(model)
    return (
        Comparison("baseline", years.assign(output_yi=years["output_yi"] - 10)),
        Comparison("previous", years),
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_draws_every_glyph(short_run, lang):
    """A glyph missing from the shipped font is a matplotlib warning: here it fails the test."""
    figures = [
        output_figure(short_run, lang, comparisons_of(short_run)),
        cluster_figure(short_run, lang),
        indicators_figure(short_run, lang),
        land_figure(short_run, lang),
        fan_figure(OddsComparison(odds("all_plans", 0.75), odds("baseline", 0.25)), lang),
    ]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        for figure in figures:
            assert to_svg(figure).startswith("<svg")


def test_the_output_chart_draws_the_comparisons_faint(short_run):
    figure = output_figure(short_run, "en", comparisons_of(short_run))
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert "baseline (same seed)" in labels and "previous run" in labels


def test_land_by_cluster_adds_up_to_the_land_in_use(short_run):
    mu, per_mu = land_by_cluster(short_run)
    in_use = float(short_run.datacollector.model_vars["land_in_use_mu"][-1])
    assert mu.sum() == pytest.approx(in_use, rel=1e-9)
    assert len(mu) == 13 and np.all(per_mu[mu > 0] > 0)


def drawn_data(figure) -> list[list[np.ndarray]]:
    """Per axes: the data of every line and the vertices of every band, bar and point set."""
    data = []
    for ax in figure.axes:
        shapes = [np.asarray(line.get_xydata()) for line in ax.get_lines()]
        shapes += [np.asarray(c.get_offsets()) for c in ax.collections if len(c.get_offsets())]
        shapes += [path.vertices for c in ax.collections for path in c.get_paths()]
        shapes += [np.asarray(patch.get_bbox().get_points()) for patch in ax.patches]
        data.append(shapes)
    return data


@pytest.mark.parametrize(
    "make", [output_chart, cluster_chart, indicators_chart, land_chart], ids=lambda make: make.__name__
)
def test_a_chart_kept_between_steps_draws_what_a_fresh_one_draws(baseline_scenario, make):
    model = IndustryModel(baseline_scenario, rng=5)
    kept = make(model, "zh")
    for _ in range(3):
        to_svg(kept.draw(model))
        model.step()
    kept_data, fresh_data = drawn_data(kept.draw(model)), drawn_data(make(model, "zh").draw(model))
    assert [len(shapes) for shapes in kept_data] == [len(shapes) for shapes in fresh_data]
    for kept_shapes, fresh_shapes in zip(kept_data, fresh_data, strict=True):
        for ours, theirs in zip(kept_shapes, fresh_shapes, strict=True):
            np.testing.assert_allclose(ours, theirs)
    fresh_limits = [ax.get_ylim() for ax in make(model, "zh").draw(model).axes]
    np.testing.assert_allclose([ax.get_ylim() for ax in kept.figure.axes], fresh_limits)


@pytest.mark.parametrize(
    "make", [output_chart, cluster_chart, indicators_chart, land_chart], ids=lambda make: make.__name__
)
def test_a_layout_measured_in_one_session_places_another_sessions_chart(short_run, make, monkeypatch):
    monkeypatch.setattr(live_figure, "LAYOUTS", Layouts())  # none measured yet
    first, second = make(short_run, "zh"), make(short_run, "zh")
    first.draw(short_run)
    measured = [ax.get_position().bounds for ax in first.figure.axes]
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda *_: pytest.fail("measured again"))
    second.draw(short_run)
    assert [ax.get_position().bounds for ax in second.figure.axes] == measured
    assert all(ax.get_in_layout() for ax in second.figure.axes)  # a later change of scale lays it out


def test_the_output_chart_says_each_quarter_year_and_target_on_hover(short_run):
    svg = to_svg(output_figure(short_run, "zh", comparisons_of(short_run)))
    said = re.findall(r"<title>([^<]*)</title>", svg)
    quarters = [tip for tip in said if "季度产值×4" in tip]
    assert len(quarters) == short_run.steps + 1 and quarters[-1].startswith("2026 年第 1 季度")
    assert "本次运行，2025 年全年" in " ".join(said) and "上一次运行，2025 年全年" in " ".join(said)
    assert sum("目标" in tip for tip in said) == 2


def test_each_run_chart_downloads_its_numbers_and_a_standalone_svg(short_run):
    for name in ("output", "clusters", "indicators", "land"):
        table = pd.read_csv(io.BytesIO(chart_csv(name, short_run)), encoding="utf-8-sig")
        assert list(table.columns[:2]) == ["year", "quarter"] and len(table) >= short_run.steps + 1
    svg = to_svg(land_figure(short_run, "zh"), standalone=True)
    assert svg.startswith("<?xml") and "<text" not in svg and "亩均产值" in svg  # outlines, titles kept


def test_progress_line_fiscal_and_comparison_tables(short_run):
    assert progress_line(short_run, "zh").startswith("已模拟到 2026 年第 1 季度")
    html = fiscal_table_html(short_run, "en")
    assert "subsidies" in html and "total" in html and "2026" in html
    assert "补贴" in fiscal_table_html(short_run, "zh")
    table = comparison_table_html(completed_years(short_run), comparisons_of(short_run), "zh")
    assert "比基准" in table and "比上次" in table and "+10.00" in table and "+0.00" in table


def odds(name: str, probability: float, targets=((2027, 700.0), (2030, 1000.0)), runs: int = 3) -> Odds:
    """Odds of `runs` runs over 2024-2030, run r's output rising with r."""
    annual = pd.DataFrame(
        [
            {
                "replication": r,
                "year": year,
                "output_yi": 600 + 50 * (year - 2024) + 10 * r,
                "fiscal_net_cost_yi": 1,
            }
            for r in range(runs)
            for year in range(2024, 2031)
        ]
    )
    rows = tuple(TargetOdds(y, t, 1, runs, probability, 0.1, 0.9) for y, t in targets)
    return Odds(name, rows, annual)


def bands_of(fan) -> list:
    """The fan chart's bands, not the unseen points that say their values on hover."""
    return [collection for collection in fan.axes[0].collections if collection.get_alpha() != 0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_odds_table_and_fan_with_the_baseline(lang):
    result = OddsComparison(odds("all_plans", 0.75), odds("baseline", 0.25))
    html = odds_table_html(result, lang)
    assert html.count("<tr>") == 3 and "75%" in html and "25%" in html and "10% – 90%" in html
    assert "all_plans, 3" in html
    fan = fan_figure(result, lang)
    assert len(bands_of(fan)) == 4  # two bands for each of the two scenarios


def test_the_difference_is_paired_and_rounded_as_shown():
    """40.5% against 29.5% is +11 points, and says so with one decimal rather than 40% vs 30%."""
    assert percent(0.405) == "40.5%" and percent(0.3) == "30%"
    ours, theirs = odds("mine", 0.0, runs=200), odds("baseline", 0.0, runs=200)
    ours.annual["output_yi"] = np.where(ours.annual["replication"] < 81, 800.0, 0.0)  # 40.5% reach 700
    theirs.annual["output_yi"] = np.where(theirs.annual["replication"] < 59, 800.0, 0.0)  # 29.5%
    difference = OddsComparison(ours, theirs).difference(2027, 700.0)
    assert difference.value == pytest.approx(0.11)
    assert difference.low < 0.11 < difference.high and difference.low > 0  # paired: the 22 extra runs only


@pytest.mark.parametrize(
    ("lang", "start", "difference"),
    [
        ("zh", "在 200 次模拟中，约 54%（95% 区间", "比现状高 20 个百分点（区间 +"),
        ("en", "In 200 runs, about 54% (95%", "20 points above"),
    ],
)
def test_the_answer_in_words(lang, start, difference):
    ours, theirs = odds("mine", 0.54, runs=200), odds("baseline", 0.34, runs=200)
    ours.annual["output_yi"] = np.where(ours.annual["replication"] < 108, 800.0, 0.0)
    theirs.annual["output_yi"] = np.where(theirs.annual["replication"] < 68, 800.0, 0.0)
    sentences = answer_sentences(OddsComparison(ours, theirs), lang)
    assert len(sentences) == 2 and sentences[0].startswith(start) and difference in sentences[0]


def test_the_odds_table_without_the_baseline_escapes_the_name():
    result = OddsComparison(odds("<b>mine</b>", 0.5), None)
    html = odds_table_html(result, "en")
    assert "&lt;b&gt;mine&lt;/b&gt;" in html and "<b>" not in html
    assert "Baseline" not in html and "Difference" not in html
    assert len(bands_of(fan_figure(result, "en"))) == 2


def test_other_targets_are_not_compared():
    result = OddsComparison(odds("mine", 0.5, targets=((2027, 800.0),)), None, other_targets=True)
    html = odds_table_html(result, "en")
    assert "2027 ≥ 800" in html and "other targets" in html and "Difference" not in html


def test_rows_pair_targets_by_year_and_threshold():
    result = OddsComparison(odds("mine", 0.5, targets=((2027, 800.0), (2030, 1000.0))), odds("baseline", 0.2))
    assert [(year, theirs is None) for year, _, _, theirs in result.rows()] == [(2027, True), (2030, False)]


def test_the_fan_chart_says_each_years_median_and_bands_on_hover_and_downloads_them():
    result = OddsComparison(odds("all_plans", 0.75), odds("baseline", 0.25))
    svg = to_svg(fan_figure(result, "zh"))
    said = re.findall(r"<title>([^<]*)</title>", svg)
    years = [tip for tip in said if "中位数" in tip]
    assert len(years) == 2 * 7  # each year 2024-2030 of both series
    assert "当前设置，2027 年：中位数 760.0 亿元，50% 区间 755.0–765.0，90% 区间 751.0–769.0" in years
    assert sum("目标" in tip for tip in said) == 2
    table = pd.read_csv(io.BytesIO(fan_csv(result)), encoding="utf-8-sig")
    assert list(table.columns) == ["series", "scenario", "year", "p5", "p25", "p50", "p75", "p95"]
    assert table.groupby(["series", "scenario"]).size().to_dict() == {
        ("baseline", "baseline"): 7,
        ("settings", "all_plans"): 7,
    }
    assert "<text" not in to_svg(fan_figure(result, "en"), standalone=True)


def boxes_overlap(one, other) -> bool:
    return one.x0 < other.x1 and other.x0 < one.x1 and one.y0 < other.y1 and other.y0 < one.y1


@pytest.mark.parametrize(
    "make", [output_chart, cluster_chart, indicators_chart, land_chart], ids=lambda make: make.__name__
)
def test_no_axis_label_runs_over_its_tick_labels(baseline_scenario, make, monkeypatch):
    """Labels are placed once per layout; after the tick labels change, they still stand clear."""
    monkeypatch.setattr(live_figure, "LAYOUTS", Layouts())
    model = IndustryModel(baseline_scenario, rng=2)
    kept = make(model, "zh")
    for steps in (1, 11):  # a run's first quarter, then three years on: other tick labels
        for _ in range(steps):
            model.step()
        figure = kept.draw(model)
        renderer = figure._get_renderer()
        figure.draw_without_rendering()
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if not axis.label.get_text():
                    continue
                label = axis.label.get_window_extent(renderer)
                ticks = [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_text()]
                assert ticks and not any(boxes_overlap(label, tick) for tick in ticks), axis.label.get_text()
