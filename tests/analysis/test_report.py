"""The experiment report on small synthetic results folders whose right answers are known."""

from __future__ import annotations

import io
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.discovery import discover
from sim.analysis.probability import paired_difference_from_counts, wilson_interval
from sim.analysis.report import build_report, report_json, report_markdown, write_report
from sim.analysis.report_charts import chart_figures, fan_figure, png_bytes
from sim.analysis.report_html import font_subset
from sim.experiments.results_folder import RESULT_INDICATORS, parameter_column, write_manifest, write_shard
from sim.inputs.errors import InputError

YEARS = list(range(2024, 2031))
TARGETS = [{"year": 2027, "threshold_yi": 700.0}, {"year": 2030, "threshold_yi": 1000.0}]
BASE = parameter_column("world.gross_output_yi")
SUBSIDY = "levers.finance.interest_subsidy"


def output_path(in_2027: float, in_2030: float) -> list[float]:
    """Annual output from 600 in 2024, straight to the 2027 value, then to the 2030 value."""
    return list(np.interp(YEARS, [2024, 2027, 2030], [600.0, in_2027, in_2030]))


def run_rows(
    run_id: int,
    scenario: str,
    replication: int,
    output: list[float],
    cost: float,
    params: dict[str, float],
    revenue: float = 0.0,
) -> pd.DataFrame:
    """One run's rows as the experiment runner writes them; `cost` and `revenue` are the
    yearly gross fiscal cost and revenue after 2024."""
    rows = pd.DataFrame({name: 0.0 for name in RESULT_INDICATORS}, index=range(len(YEARS)))
    rows.insert(0, "run_id", run_id)
    rows.insert(1, "scenario", scenario)
    rows.insert(2, "replication", replication)
    rows.insert(3, "seed", 1000 + replication)
    rows.insert(4, "year", YEARS)
    rows["output_yi"] = output
    after_base = [0.0] + [1.0] * (len(YEARS) - 1)
    rows["fiscal_gross_cost_yi"] = [cost * year for year in after_base]
    rows["fiscal_revenue_yi"] = [revenue * year for year in after_base]
    rows["fiscal_net_cost_yi"] = [(cost - revenue) * year for year in after_base]
    for name, value in params.items():
        rows[parameter_column(name)] = float(value)
    return rows.astype({"run_id": "int64", "replication": "int64", "seed": "int64", "year": "int64"})


def write_experiment(
    folder, *, scenarios, parameters, runs, replications, design="lhs", reference=None, salib=None
):
    """A results folder: the manifest and one shard per scenario's runs done."""
    manifest = {
        "experiment": folder.name,
        "description": "synthetic test experiment",
        "experiment_file": f"experiments/{folder.name}.toml",
        "experiment_hash": "0" * 64,
        "design": design,
        "replications": replications,
        "root_seed": 7,
        "scenarios": scenarios,
        "reference": reference,
        "parameters": parameters,
        "targets": TARGETS,
        "salib": salib,
        "package_version": "0.1.0",
        "runs_total": replications * len(scenarios),
        "runs_done": len(runs),
        "created": "2026-01-01T00:00:00",
        "updated": "2026-01-01T00:00:00",
    }
    write_manifest(folder, manifest)
    frame = pd.concat(runs, ignore_index=True)
    for _, shard in frame.groupby("scenario", sort=False):
        write_shard(folder, shard)
    return folder


# Two scenarios, 8 paired runs. 2030 target met by runs 0-1 of the baseline and 0-2 of the plan;
# 2027 target by run 0 of the baseline and runs 0-3 of the plan. The plan costs 2 亿元 a year
# and brings back 1.5 against the baseline's 1 (which costs nothing): its net cost is 0.5 a year
# against the baseline's -1, so its extra net cost is 1.5 a year, 9 in 2025-30.
MET_2030 = {"baseline": {0, 1}, "plan": {0, 1, 2}}
MET_2027 = {"baseline": {0}, "plan": {0, 1, 2, 3}}
COST = {"baseline": 0.0, "plan": 2.0}
REVENUE = {"baseline": 1.0, "plan": 1.5}
SCENARIOS = [
    {
        "name": "baseline",
        "file": "scenarios/baseline.toml",
        "hash": "a",
        "levers": {SUBSIDY: 0.0, "levers.x": 1.0},
    },
    {"name": "plan", "file": "scenarios/plan.toml", "hash": "b", "levers": {SUBSIDY: 0.5, "levers.x": 1.0}},
]
PARAMETERS = [
    {"name": "world.gross_output_yi", "low": 500.0, "high": 660.0, "kind": "uncertainty", "note": ""},
    {
        "name": "environment.demand_growth_shift",
        "low": -0.02,
        "high": 0.02,
        "kind": "uncertainty",
        "note": "",
    },
]


def paired_runs(scenario_runs: dict[str, range]) -> list[pd.DataFrame]:
    runs = []
    for number, scenario in enumerate(("baseline", "plan")):
        for i in scenario_runs.get(scenario, ()):
            output = output_path(
                720.0 if i in MET_2027[scenario] else 680.0, 1050.0 if i in MET_2030[scenario] else 950.0
            )
            params = {"world.gross_output_yi": 500.0 + 20.0 * i, "environment.demand_growth_shift": 0.001 * i}
            runs.append(
                run_rows(number * 8 + i, scenario, i, output, COST[scenario], params, REVENUE[scenario])
            )
    return runs


@pytest.fixture(scope="module")
def paired_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results") / "two_scenarios"
    runs = paired_runs({"baseline": range(8), "plan": range(8)})
    return write_experiment(
        folder, scenarios=SCENARIOS, parameters=PARAMETERS, runs=runs, replications=8, reference="baseline"
    )


@pytest.fixture(scope="module")
def paired_report(paired_folder):
    return build_report(paired_folder)


def test_probabilities_count_the_runs_that_met_each_target(paired_report):
    table = report_json(paired_report)["probabilities"]
    plan_2030 = next(r for r in table if r["scenario"] == "plan" and r["year"] == 2030)
    assert (plan_2030["runs"], plan_2030["met"], plan_2030["probability"]) == (8, 3, 3 / 8)
    assert (plan_2030["low"], plan_2030["high"]) == pytest.approx(wilson_interval(3, 8))
    shares = {(r["scenario"], r["year"]): r["met"] for r in table}
    assert shares == {("baseline", 2027): 1, ("baseline", 2030): 2, ("plan", 2027): 4, ("plan", 2030): 3}


def test_marginal_effects_are_paired_against_the_reference(paired_report):
    effects = {r["year"]: r for r in report_json(paired_report)["effects"]}
    assert {r["scenario"] for r in effects.values()} == {"plan"}
    # 2030: both met 2, plan only 1, baseline only 0, neither 5.
    expected = paired_difference_from_counts(2, 1, 0, 5)
    row = effects[2030]
    assert (row["difference"], row["low"], row["high"]) == pytest.approx(expected)
    assert row["pairs"] == 8
    assert row["mean_output_difference_yi"] == pytest.approx(100.0 / 8)
    assert effects[2027]["difference"] == pytest.approx(3 / 8)


def test_budget_shows_gross_cost_revenue_and_net_cost_and_the_extra_net_cost(paired_report):
    budget = {r["scenario"]: r for r in report_json(paired_report)["budget"]}
    plan, baseline = budget["plan"], budget["baseline"]
    assert plan["mean_annual_gross_cost_yi"] == pytest.approx(2.0)
    assert plan["mean_annual_revenue_yi"] == pytest.approx(1.5)
    assert plan["mean_annual_net_cost_yi"] == pytest.approx(0.5)
    assert baseline["mean_annual_net_cost_yi"] == pytest.approx(-1.0)
    assert plan["extra_net_cost_yi"] == pytest.approx(9.0)
    assert plan["extra_net_cost_low_yi"] == pytest.approx(9.0) == plan["extra_net_cost_high_yi"]
    assert baseline["extra_net_cost_yi"] is None


def test_scenarios_are_ranked_per_yi_of_extra_net_cost_on_each_target_and_on_output(paired_report):
    rows = {r["measure"]: r for r in report_json(paired_report)["value_for_money"]}
    assert set(rows) == {"probability_2027", "probability_2030", "output_2030"}
    expected = {"probability_2027": 37.5 / 9, "probability_2030": 12.5 / 9, "output_2030": 100.0 / 8 / 9}
    for measure, value in expected.items():
        row = rows[measure]
        assert row["scenario"] == "plan" and row["rank"] == 1 and row["standing"] == "costs"
        assert row["per_yi"] == pytest.approx(value)
        assert row["per_yi_low"] <= row["per_yi"] <= row["per_yi_high"]
        assert row["per_yi_low"] < row["per_yi_high"]  # the gains differ between pairs


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_tables_show_the_budget_both_ways_and_the_ranking_with_intervals(paired_report, lang):
    text = report_markdown(paired_report, lang)
    words = {
        "en": ("gross cost (亿元/yr)", "revenue (亿元/yr)", "net cost (亿元/yr)", "extra net cost 2025–2030"),
        "zh": ("年均总支出", "年均收入", "年均净支出", "累计增加净支出"),
    }[lang]
    assert all(word in text for word in words)
    assert "| plan | 8 | 2.00 | 1.50 | 0.50 | +9.00" in text
    per_yi = "pp/亿元 (" if lang == "en" else "个百分点/亿元（"
    assert text.count(per_yi) == 2  # one ratio with its interval per target
    assert "亿元/亿元" in text
    assert (
        "By extra 工业总产值 2030 per 亿元" if lang == "en" else "按 2030 年工业总产值每亿元的增加"
    ) in text


def test_probability_by_quartile_of_the_2024_base(paired_report):
    rows = [
        r
        for r in report_json(paired_report)["by_base_output"]
        if r["scenario"] == "plan" and r["year"] == 2030
    ]
    # Bases 500, 520, ..., 640: quartiles hold two runs each; plan runs 0-2 met 2030.
    assert [r["runs"] for r in rows] == [2, 2, 2, 2]
    assert [r["met"] for r in rows] == [2, 1, 0, 0]
    assert rows[0]["base_low_yi"] == 500.0 and rows[-1]["base_high_yi"] == 640.0


def test_discovery_uses_the_levers_that_differ_between_scenarios(paired_report):
    discovery = report_json(paired_report)["discovery"]
    assert SUBSIDY in discovery["features"] and "levers.x" not in discovery["features"]
    assert BASE in discovery["features"]
    assert (discovery["runs"], discovery["met"]) == (16, 5)


def test_no_sensitivity_section_for_an_lhs_design(paired_report):
    assert paired_report.sensitivity is None
    assert "Global sensitivity" not in report_markdown(paired_report, "en")


def test_report_files_and_markdown(paired_report, paired_folder):
    written = write_report(paired_report, paired_folder, "en")
    assert {path.name for path in written} == {"report_en.md", "output_fan_en.png"}
    assert all(path.stat().st_size > 0 for path in written)
    text = (paired_folder / "report_en.md").read_text(encoding="utf-8")
    assert text == report_markdown(paired_report, "en")
    for expected in (
        "baseline",
        "plan",
        "工业总产值",
        "37.5% (13.7–69.4%)",
        "1.39 pp/亿元",
        "output_fan_en.png",
    ):
        assert expected in text
    assert "resume" not in text
    json.dumps(report_json(paired_report), allow_nan=False)


def test_partial_results_are_reported_on_the_runs_done(tmp_path):
    folder = tmp_path / "partial"
    runs = paired_runs({"baseline": range(5)})
    write_experiment(
        folder, scenarios=SCENARIOS, parameters=PARAMETERS, runs=runs, replications=8, reference="baseline"
    )
    report = build_report(folder)
    data = report_json(report)
    assert (data["header"]["runs_done"], data["header"]["runs_total"], data["header"]["complete"]) == (
        5,
        16,
        False,
    )
    by_scenario = {(r["scenario"], r["year"]): r for r in data["probabilities"]}
    assert by_scenario[("baseline", 2030)]["runs"] == 5 and by_scenario[("baseline", 2030)]["met"] == 2
    assert by_scenario[("plan", 2030)]["runs"] == 0 and by_scenario[("plan", 2030)]["probability"] is None
    assert data["effects"][0]["pairs"] == 0
    text = report_markdown(report, "en")
    assert "resume with --resume" in text and "no runs yet" in text


def test_a_reference_alone_has_no_marginal_effects(tmp_path):
    folder = tmp_path / "alone"
    runs = paired_runs({"baseline": range(8)})
    write_experiment(
        folder,
        scenarios=SCENARIOS[:1],
        parameters=PARAMETERS,
        runs=runs,
        replications=8,
        reference="baseline",
    )
    report = build_report(folder)
    assert report.effects.empty
    assert "No scenario besides the reference (baseline)" in report_markdown(report, "en")
    # One scenario: its levers do not vary, so only the sampled parameters are inputs of the tree.
    assert report.discovery.features == [BASE, parameter_column("environment.demand_growth_shift")]


SALIB_PARAMETERS = [
    {"name": name, "low": 0.0, "high": 1.0, "kind": "uncertainty", "note": ""} for name in ("a", "b", "c")
]
PROBLEM = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}


def write_salib_experiment(folder, design, sample, salib, keep=None, floor=800.0):
    """One scenario with 2030 output floor + 400 (a + 0.1 b); with floor 800, met when a + 0.1 b >= 0.5."""
    runs = []
    for i, (a, b, c) in enumerate(sample[:keep]):
        final = floor + 400.0 * (a + 0.1 * b)
        runs.append(run_rows(i, "baseline", i, output_path(750.0, final), 0.0, {"a": a, "b": b, "c": c}))
    return write_experiment(
        folder,
        scenarios=SCENARIOS[:1],
        parameters=SALIB_PARAMETERS,
        runs=runs,
        replications=len(sample),
        design=design,
        salib=salib,
    )


def indices(report, outcome):
    return [r for r in report_json(report)["sensitivity"]["table"] if r["outcome"] == outcome]


def test_sobol_indices_rank_the_parameters(tmp_path):
    sample = sobol_sample.sample(PROBLEM, 64, calc_second_order=False, seed=3)
    folder = write_salib_experiment(
        tmp_path / "sobol", "saltelli", sample, {"calc_second_order": False, "N": 64}
    )
    report = build_report(folder)
    output = indices(report, "output_2030")
    assert [r["parameter"] for r in output] == ["a", "b", "c"]
    # Analytic: S_a = 1 / 1.01, S_b = 0.01 / 1.01, c has no effect.
    assert output[0]["ST"] == pytest.approx(0.99, abs=0.1) and output[0]["S1"] == pytest.approx(
        0.99, abs=0.15
    )
    assert output[1]["ST"] == pytest.approx(0.0099, abs=0.01)
    assert output[2]["ST"] == 0.0
    assert indices(report, "met_2030")[0]["parameter"] == "a"
    assert {path.name for path in write_report(report, folder, "en")} == {
        "report_en.md",
        "output_fan_en.png",
        "sensitivity_en.png",
    }
    assert "Sobol indices" in (folder / "report_en.md").read_text(encoding="utf-8")


def test_morris_screening_ranks_the_parameters(tmp_path):
    sample = morris_sample.sample(PROBLEM, N=10, num_levels=4, seed=3)
    folder = write_salib_experiment(
        tmp_path / "morris", "morris", sample, {"num_levels": 4, "trajectories": 10}
    )
    report = build_report(folder)
    output = indices(report, "output_2030")
    assert [r["parameter"] for r in output] == ["a", "b", "c"]
    # A linear output: every elementary effect of a is 400 per unit range, of b 40, of c 0.
    assert [r["mu_star"] for r in output] == pytest.approx([400.0, 40.0, 0.0])
    assert [r["sigma"] for r in output] == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)
    assert indices(report, "met_2030")[0]["parameter"] == "a"
    assert "Morris screening" in report_markdown(report, "en")


def test_sensitivity_waits_for_the_complete_design(tmp_path):
    sample = sobol_sample.sample(PROBLEM, 16, calc_second_order=False, seed=3)
    folder = write_salib_experiment(tmp_path / "sobol", "saltelli", sample, {"N": 16}, keep=50)
    report = build_report(folder)
    assert report.sensitivity.table.empty
    assert report.sensitivity.notes == [
        "Needs the complete design: 50 of 80 runs done; resume with --resume."
    ]
    assert {path.name for path in write_report(report, folder)} == {"report.md", "output_fan.png"}
    assert "Needs the complete design" in report_markdown(report, "en")


def test_sensitivity_of_an_outcome_that_never_varies_is_explained(tmp_path):
    sample = sobol_sample.sample(PROBLEM, 16, calc_second_order=False, seed=3)
    folder = write_salib_experiment(tmp_path / "sobol", "saltelli", sample, {"N": 16}, floor=1100.0)
    report = build_report(folder)
    assert set(report.sensitivity.table["outcome"]) == {"output_2030"}
    assert (
        "met_2030: the outcome is the same in every run: no parameter moves it." in report.sensitivity.notes
    )
    text = report_markdown(report, "en")
    assert "no parameter moves it" in text and "Every run met the target" in text


def test_discovery_finds_a_planted_rule(tmp_path):
    rng = np.random.default_rng(5)
    runs = []
    for i in range(200):
        a, b, c = rng.uniform(size=3)
        final = 1100.0 if a > 0.5 else 900.0
        runs.append(run_rows(i, "baseline", i, output_path(750.0, final), 0.0, {"a": a, "b": b, "c": c}))
    folder = write_experiment(
        tmp_path / "rule", scenarios=SCENARIOS[:1], parameters=SALIB_PARAMETERS, runs=runs, replications=200
    )
    discovery = build_report(folder).discovery
    assert discovery.accuracy == 1.0
    [box] = discovery.boxes
    [condition] = box.conditions
    assert (condition.feature, condition.op) == (parameter_column("a"), ">")
    assert condition.value == pytest.approx(0.5, abs=0.02)
    assert (box.density, box.coverage) == (1.0, 1.0)


@pytest.mark.parametrize(
    ("met", "says"), [(False, "No run met the target"), (True, "Every run met the target")]
)
def test_discovery_says_when_there_is_nothing_to_tell_apart(met, says):
    features = pd.DataFrame({"param:a": np.linspace(0.0, 1.0, 20)})
    discovery = discover(features, np.full(20, met))
    assert discovery.boxes == [] and discovery.note.startswith(says)


def test_discovery_merges_conditions_on_the_same_input():
    """A box between two cuts of one input reads as one lower bound, then one upper bound."""
    x = np.linspace(0.0, 1.0, 100)
    met = (x > 0.3) & (x <= 0.7)
    discovery = discover(pd.DataFrame({"param:x": x}), met)
    [box] = discovery.boxes
    assert [(c.op, round(c.value, 2)) for c in box.conditions] == [(">", 0.3), ("<=", 0.7)]
    assert box.density == 1.0 and box.coverage == 1.0


def test_the_chinese_report_is_the_default_and_says_the_same_numbers(paired_report, paired_folder):
    written = write_report(paired_report, paired_folder)
    assert {path.name for path in written} == {"report.md", "output_fan.png"}
    text = (paired_folder / "report.md").read_text(encoding="utf-8")
    assert text == report_markdown(paired_report)
    for expected in (
        "## 实现目标的概率",
        "37.5% (13.7–69.4%)",
        "1.39 个百分点/亿元",
        "output_fan.png",
        "## 区财政：支出、收入与净支出",
    ):
        assert expected in text
    english = report_markdown(paired_report, "en")
    assert re.findall(r"\d+\.\d+%", text) == re.findall(r"\d+\.\d+%", english)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_charts_draw_every_glyph(paired_report, lang):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font")
        for figure in chart_figures(paired_report, lang).values():
            assert png_bytes(figure).startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_report_is_self_contained_and_embeds_its_charts(paired_report, paired_folder, lang):
    written = write_report(paired_report, paired_folder, lang, "html")
    assert [path.name for path in written] == ["report.html" if lang == "zh" else "report_en.html"]
    page = written[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    sources = re.findall(r"""(?:src|href)\s*=\s*["']?([^"' >]+)""", page) + re.findall(
        r"url\(([^)]+)\)", page
    )
    assert sources and all(source.startswith("data:") for source in sources), sources
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 1  # the fan chart, inside
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "data:font/otf;base64," in page and "@media print" in page
    assert ("实现目标的概率" if lang == "zh" else "Probability of reaching the targets") in page


def test_the_embedded_font_draws_every_character_of_the_report(paired_report):
    from fontTools.ttLib import TTFont

    text = report_markdown(paired_report)
    font = TTFont(io.BytesIO(font_subset(text)))
    assert set(text) - {"\n"} <= {chr(point) for point in font.getBestCmap()}


def test_a_scenario_name_the_font_cannot_draw_is_refused(paired_report):
    fan = paired_report.fan.assign(scenario="𠀀")
    with pytest.raises(InputError, match="not in the report's font"):
        fan_figure(fan, paired_report.targets, "zh")
