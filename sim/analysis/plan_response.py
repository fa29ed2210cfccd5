"""Does each plan respond to how strongly it works? Paired runs over each effect size's range.

A plan whose effect sizes (sim/inputs/levers.py, each lever's `effects`) can be turned
from the bottom to the top of their documented range without its intermediate indicator
or 2030 output moving is inert by construction, whatever its settings. For every plan
and the task forces this runs the plan's scenario and its reference (the baseline; the
task forces: the baseline against no_task_forces.toml) on the same seeds at a few values
of one effect size at a time, every other parameter at its default, and measures the
plan-minus-reference difference of the indicator its mechanism moves first and of 2030
output. When output moves little, diagnostics of the plan's run say which constraint
binds. `python -m sim plan-response --markdown` writes docs/plan_response.md from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from sim.experiments.executors import local_executor
from sim.experiments.sampled_parameters import (
    SampledParameter,
    effect_size_parameters,
    standard_uncertainties,
)
from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.levers import lever_info, plans
from sim.inputs.scenario import load_scenario
from sim.model.firms import Stage
from sim.model.model import IndustryModel
from sim.paths import SCENARIOS_DIR
from sim.run.results import annual_frame

SEEDS = (1, 2, 3, 4)  # paired replications per value: the page's and the tests' default
POINTS = 3  # values tried per effect size: both ends of its range and its middle
# Output "moves little" when the plan's 2030 gain at the top of the range is below this
# share of the reference's 2030 output (assumption: 1%, about 7-8 亿元, a tenth of the
# distance between the baseline's ~760 亿元 and the 1000 亿元 target).
LITTLE_OUTPUT_SHARE = 0.01

# Each plan's scenario and the reference it is compared with (the task forces: what the
# baseline's task forces add over none).
PAIRINGS = {
    "four_chain": ("plan_01_four_chain", "baseline"),
    "innovation": ("plan_02_innovation", "baseline"),
    "talent": ("plan_03_talent", "baseline"),
    "quality": ("plan_04_quality", "baseline"),
    "ai": ("plan_05_ai", "baseline"),
    "attraction": ("plan_06_attraction", "baseline"),
    "commerce": ("plan_07_commerce", "baseline"),
    "finance": ("plan_08_finance", "baseline"),
    "land": ("plan_09_land", "baseline"),
    "green": ("plan_10_green", "baseline"),
    "task_forces": ("baseline", "no_task_forces"),
}


@dataclass(frozen=True)
class Measure:
    """A number read from one finished run: an annual column (summed over the simulated
    years, or its value in the last year) or a diagnostic of the firms at the end."""

    label: str
    read: Callable[[IndustryModel, dict[str, np.ndarray]], float]
    fmt: str = "{:+,.3g}"


def _summed(column: str) -> Callable[[IndustryModel, dict[str, np.ndarray]], float]:
    return lambda model, annual: float(annual[column][1:].sum())


def _last(column: str) -> Callable[[IndustryModel, dict[str, np.ndarray]], float]:
    return lambda model, annual: float(annual[column][-1])


def _mean_over_years(column: str) -> Callable[[IndustryModel, dict[str, np.ndarray]], float]:
    return lambda model, annual: float(annual[column][1:].mean())


def _producing_mean(values: Callable[[IndustryModel], np.ndarray]) -> Callable[..., float]:
    """Plain mean of a firm column over the firms producing at the end (an output-weighted
    mean would move with the mix of firms as much as with the firms' own values)."""

    def read(model: IndustryModel, annual: dict[str, np.ndarray]) -> float:
        firms = model.firms
        producing = firms.alive & (firms.stage != Stage.BUILDING)
        return float(np.mean(values(model)[producing]))

    return read


def _utilisation(model: IndustryModel, annual: dict[str, np.ndarray]) -> float:
    firms = model.firms
    producing = firms.alive & (firms.stage != Stage.BUILDING)
    return float(firms.output[producing].sum() / max(firms.capacity[producing].sum(), 1e-12))


def _backlog_quarters(model: IndustryModel, annual: dict[str, np.ndarray]) -> float:
    """Unserved orders at the end, in quarters of the last quarter's output (both real)."""
    firms = model.firms
    return float(firms.backlog[firms.alive].sum() / max(firms.output[firms.alive].sum(), 1e-12))


def _short_of_skills(model: IndustryModel, annual: dict[str, np.ndarray]) -> float:
    """Share of live firms short of skilled staff at the end (for capacity or the next tier)."""
    firms = model.firms
    alive = firms.alive
    return float((firms.needs_talent | firms.preparing_upgrade)[alive].mean())


def _refused_share(model: IndustryModel, annual: dict[str, np.ndarray]) -> float:
    requests = float(annual["loan_requests"][1:].sum())
    return float(annual["loans_refused"][1:].sum()) / requests if requests else 0.0


MEASURES: dict[str, Measure] = {
    "output_2030": Measure("output in the last year (亿元)", _last("output_yi"), "{:+,.1f}"),
    # intermediate indicators
    "local_input_share": Measure("local input share, last year", _last("local_input_share"), "{:+.4f}"),
    "mean_productivity": Measure(
        "mean productivity of producing firms at the end",
        _producing_mean(lambda model: model.firms.productivity),
        "{:+.4f}",
    ),
    "innovations": Measure("innovations, all years", _summed("innovations"), "{:+,.0f}"),
    "certifications": Measure(
        "first-time S&T certifications, all years", _summed("certifications"), "{:+,.0f}"
    ),
    "skilled_hired": Measure("skilled workers hired, all years", _summed("skilled_hired"), "{:+,.0f}"),
    "quality_index": Measure(
        "output-weighted quality capital (status quo = 1), last year", _last("quality_index"), "{:+.4f}"
    ),
    "quality_premium_pct": Measure(
        "output-weighted quality premium, last year (%)", _last("quality_premium_pct"), "{:+.3f}"
    ),
    "digital_upgrades": Measure("digital upgrades, all years", _summed("digital_upgrades"), "{:+,.0f}"),
    "projects_signed": Measure("projects signed, all years", _summed("projects_signed"), "{:+,.1f}"),
    "signed_output_yi": Measure(
        "planned output of signed projects, all years (亿元)", _summed("signed_output_yi"), "{:+,.1f}"
    ),
    "channel_sales_yi": Measure("channel sales, last year (亿元)", _last("channel_sales_yi"), "{:+,.2f}"),
    "channel_sales_mean_yi": Measure(
        "channel sales, mean of the years (亿元)", _mean_over_years("channel_sales_yi"), "{:+,.2f}"
    ),
    "loans_approved": Measure("loans approved, all years", _summed("loans_approved"), "{:+,.0f}"),
    "land_surrendered_mu": Measure(
        "land given back, all years (mu)", _summed("land_surrendered_mu"), "{:+,.0f}"
    ),
    "retrofits": Measure("energy retrofits, all years", _summed("retrofits"), "{:+,.0f}"),
    "task_force_cases": Measure(
        "task-force cases (leads and requests), all years",
        lambda model, annual: float(
            annual["task_force_leads"][1:].sum() + annual["task_force_requests"][1:].sum()
        ),
        "{:+,.0f}",
    ),
    # diagnostics of what binds (levels of the plan's run)
    "capacity_utilisation": Measure("capacity utilisation at the end", _utilisation, "{:.3f}"),
    "backlog_quarters": Measure(
        "unserved orders at the end (quarters of output)", _backlog_quarters, "{:.3f}"
    ),
    "skilled_pool": Measure(
        "skilled workers left unhired in the pool, last year", _last("skilled_pool"), "{:,.0f}"
    ),
    "short_of_skills": Measure(
        "share of firms short of skilled staff at the end", _short_of_skills, "{:.3f}"
    ),
    "land_refusals": Measure("land requests refused, all years", _summed("land_refusals"), "{:,.0f}"),
    "loans_refused_share": Measure("share of loan requests refused, all years", _refused_share, "{:.3f}"),
    "tier3_share": Measure(
        "share of firms at the top digital tier, last year", _last("tier3_share"), "{:.3f}"
    ),
    "curtailed_share": Measure(
        "share of producing firms cut back by the energy quota at the end",
        _producing_mean(lambda model: (model.firms.curtailment > 0).astype(float)),
        "{:.3f}",
    ),
}
DIAGNOSTICS = (
    "capacity_utilisation",
    "backlog_quarters",
    "skilled_pool",
    "short_of_skills",
    "land_refusals",
    "loans_refused_share",
    "tier3_share",
    "curtailed_share",
)


@dataclass(frozen=True)
class EffectCheck:
    """One effect size of one plan: the indicator it moves first and the direction the
    mechanism implies for it and for output (+1 up, -1 down, 0: no direction implied)."""

    plan: str
    effect: str
    indicator: str
    direction: int
    output_direction: int
    why: str


# Read from the mechanisms (sim/model/mechanisms/*): what each effect size scales.
CHECKS = (
    EffectCheck(
        "four_chain",
        "market.local_share_gain_per_round",
        "local_input_share",
        1,
        1,
        "each matchmaking round moves this much more of purchases to district suppliers",
    ),
    EffectCheck(
        "four_chain",
        "market.local_share_ceiling",
        "local_input_share",
        1,
        1,
        "a higher ceiling lets rounds keep raising the local share",
    ),
    EffectCheck(
        "four_chain",
        "market.agglomeration_elasticity",
        "mean_productivity",
        1,
        1,
        "the extra local share raises productivity through spillovers, in proportion",
    ),
    EffectCheck(
        "innovation",
        "innovation.rd_price_elasticity",
        "innovations",
        1,
        1,
        "the R&D subsidy raises R&D spending more, so more projects succeed",
    ),
    EffectCheck(
        "innovation",
        "innovation.success_scale",
        "innovations",
        1,
        1,
        "the extra R&D intensity and platforms raise success chances more",
    ),
    EffectCheck(
        "innovation",
        "innovation.step_mean",
        "mean_productivity",
        1,
        1,
        "each of the plan's extra successes raises productivity more",
    ),
    EffectCheck(
        "innovation",
        "innovation.boost_per_platform",
        "innovations",
        1,
        1,
        "each platform raises every firm's chance that R&D succeeds more",
    ),
    EffectCheck(
        "innovation",
        "innovation.award_response",
        "certifications",
        1,
        0,
        "the certification award draws more firms to qualify; certification itself "
        "adds no output (it changes credit terms)",
    ),
    EffectCheck(
        "talent",
        "labour.talent_retention",
        "skilled_hired",
        1,
        1,
        "more of the recruited talent stays in the pool firms hire from",
    ),
    EffectCheck(
        "talent",
        "labour.training_completion",
        "skilled_hired",
        1,
        1,
        "more trainees finish and join the pool firms hire from",
    ),
    EffectCheck(
        "quality",
        "quality.subsidy_elasticity",
        "quality_index",
        1,
        1,
        "the subsidy raises firms' quality spending more",
    ),
    EffectCheck(
        "quality",
        "quality.sales_elasticity",
        "quality_premium_pct",
        1,
        1,
        "the quality capital the subsidy builds buys a larger premium, which wins more sales",
    ),
    EffectCheck(
        "ai",
        "digital.gain_scale",
        "digital_upgrades",
        1,
        1,
        "upgrades pay more, so the subsidised cost clears the bar for more firms, and "
        "each upgrade adds more productivity",
    ),
    EffectCheck(
        "ai",
        "digital.decision_sharpness",
        "digital_upgrades",
        0,
        0,
        "sharper choices amplify the subsidy where the benefit-cost ratio is near 1 "
        "and damp it where it is far from 1: no direction implied",
    ),
    EffectCheck(
        "ai",
        "digital.peer_effect",
        "digital_upgrades",
        0,
        0,
        "peers nudge plan and baseline alike: no direction implied for the difference",
    ),
    EffectCheck(
        "ai", "digital.platform_cost_cut", "digital_upgrades", 1, 1, "industry brains cut upgrade costs more"
    ),
    EffectCheck(
        "attraction",
        "attraction.conversion_rate",
        "projects_signed",
        1,
        1,
        "each of the plan's extra leads signs more often",
    ),
    EffectCheck(
        "attraction",
        "attraction.focus_size_gain",
        "signed_output_yi",
        1,
        1,
        "large-firm focus makes leads larger",
    ),
    EffectCheck(
        "attraction",
        "attraction.focus_count_cost",
        "projects_signed",
        -1,
        -1,
        "large-firm focus makes leads fewer",
    ),
    EffectCheck(
        "attraction",
        "attraction.incentive_response",
        "projects_signed",
        1,
        1,
        "incentives raise the chance a lead signs more",
    ),
    EffectCheck(
        "commerce",
        "commerce.sales_per_support",
        "channel_sales_yi",
        1,
        1,
        "each 亿元 of e-commerce support opens more channel sales",
    ),
    EffectCheck(
        "commerce",
        "commerce.additionality",
        "output_2030",
        1,
        1,
        "more of the channel sales are new demand for the clusters",
    ),
    EffectCheck(
        "commerce",
        "commerce.ramp_years",
        "channel_sales_mean_yi",
        -1,
        0,
        "channels reach their target later; by the last year they may have reached it either way",
    ),
    EffectCheck(
        "commerce",
        "commerce.export_potential",
        "channel_sales_yi",
        1,
        1,
        "procurement trade opens more export sales",
    ),
    EffectCheck(
        "finance",
        "finance.risk_sensitivity",
        "loans_approved",
        1,
        1,
        "banks lower the score they ask for more for each point of loss the pools cover",
    ),
    EffectCheck(
        "land",
        "land.surrender_share",
        "land_surrendered_mu",
        1,
        0,
        "low-yield firms give back more of their unused land; whether the land is used "
        "again depends on who asks for it",
    ),
    EffectCheck(
        "green",
        "green.retrofit_saving",
        "retrofits",
        1,
        0,
        "retrofits save more, so more clear the subsidised cost; output may fall or rise with curtailment",
    ),
    EffectCheck(
        "green",
        "green.decision_sharpness",
        "retrofits",
        0,
        0,
        "as for digital.decision_sharpness: no direction implied",
    ),
    EffectCheck(
        "green",
        "green.max_curtailment",
        "output_2030",
        -1,
        -1,
        "firms far above the quota may be cut back further",
    ),
    EffectCheck(
        "green", "green.mandate_pressure", "retrofits", 1, 0, "curtailed firms are pushed harder to retrofit"
    ),
    EffectCheck(
        "task_forces",
        "task_forces.lead_support",
        "projects_signed",
        1,
        1,
        "leads a task force serves sign more often",
    ),
    EffectCheck(
        "task_forces",
        "task_forces.approval_quarters_saved",
        "output_2030",
        1,
        1,
        "served projects start producing sooner",
    ),
    EffectCheck(
        "task_forces",
        "task_forces.loan_score_bonus",
        "loans_approved",
        1,
        1,
        "served firms score better with banks",
    ),
    EffectCheck(
        "task_forces",
        "task_forces.effort",
        "task_force_cases",
        1,
        1,
        "effort scales the cases each task force handles",
    ),
)


def plan_effects() -> dict[str, list[str]]:
    """Plan key -> its levers' effect sizes, each once, in the levers' order."""
    return {
        key: list(
            dict.fromkeys(
                path for field in plan.model_fields.values() for path in lever_info(field)["effects"]
            )
        )
        for key, plan in plans().items()
    }


def effect_ranges() -> dict[str, tuple[SampledParameter, str]]:
    """Each effect size's documented range and where it comes from: its sampled range in
    sim/data/uncertainties.toml where it has one, else its schema bounds (what experiments sample)."""
    ranges = {parameter.name: (parameter, "schema bounds") for parameter in effect_size_parameters()}
    baseline = load_scenario(SCENARIOS_DIR / "baseline.toml")
    for parameter in standard_uncertainties(load_scenario_base_year(baseline)):
        if parameter.name in ranges:
            ranges[parameter.name] = (parameter, "sim/data/uncertainties.toml")
    return ranges


def tried_values(parameter: SampledParameter, points: int = POINTS) -> list[float]:
    """Evenly spaced values over the range, ends included (whole numbers for integer fields)."""
    values = np.linspace(parameter.low, parameter.high, points).tolist()
    return sorted({float(parameter.value(v)) for v in values})


@dataclass(frozen=True)
class RunTask:
    scenario: str
    overrides: tuple[str, ...]
    seed: int


def measure_run(task: RunTask) -> dict[str, float]:
    """Every measure of one run (in a worker process, or here)."""
    scenario = load_scenario(SCENARIOS_DIR / f"{task.scenario}.toml", list(task.overrides))
    model = IndustryModel(scenario, rng=task.seed, base_year=load_scenario_base_year(scenario)).run()
    frame = annual_frame(model)
    annual = {column: frame[column].to_numpy(float) for column in frame.columns}
    measures = {name: measure.read(model, annual) for name, measure in MEASURES.items()}
    model.release()
    return measures


@dataclass(frozen=True)
class EffectResponse:
    """One effect size's paired responses: per value tried, the mean plan-minus-reference
    difference of the indicator and of output, and the plan's diagnostics (means)."""

    check: EffectCheck
    parameter: SampledParameter
    range_origin: str
    values: list[float]
    indicator: list[float]
    output: list[float]
    reference_output: list[float]
    diagnostics: list[dict[str, float]]
    reference_diagnostics: list[dict[str, float]]
    indicator_by_seed: list[list[float]]
    output_by_seed: list[list[float]]

    @property
    def indicator_monotone(self) -> bool:
        return monotone_within_noise(self.indicator_by_seed, self.check.direction)

    @property
    def output_monotone(self) -> bool:
        return monotone_within_noise(self.output_by_seed, self.check.output_direction)

    @property
    def output_moves_little(self) -> bool:
        return max(abs(v) for v in self.output) < LITTLE_OUTPUT_SHARE * float(np.mean(self.reference_output))


NOISE_SE = 2.0  # a step against the direction within this many standard errors counts as flat


def monotone_within_noise(by_seed: Sequence[Sequence[float]], direction: int) -> bool:
    """Monotone up to sampling noise: every step between neighbouring values, measured seed by
    seed (the runs share seeds, so the step's own spread is its noise), goes the way of
    `direction` or against it by less than NOISE_SE standard errors of its mean."""
    if direction == 0:
        return monotone_within_noise(by_seed, 1) or monotone_within_noise(by_seed, -1)
    values = np.asarray(by_seed, float)  # (values tried, seeds)
    steps = np.diff(values, axis=0) * direction
    mean = steps.mean(axis=1)
    spread = steps.std(axis=1, ddof=1) / np.sqrt(values.shape[1]) if values.shape[1] > 1 else 0.0
    tolerance = 1e-9 * max(1.0, float(np.max(np.abs(values))))
    return bool((mean >= -NOISE_SE * spread - tolerance).all())


def plan_responses(
    seeds: Sequence[int] = SEEDS,
    points: int = POINTS,
    plans_wanted: Iterable[str] | None = None,
    executor: Executor | None = None,
) -> list[EffectResponse]:
    """Every effect check (of the plans named, default all), from paired runs on `seeds`.

    The numbers do not depend on the executor: each run depends on its task alone.
    """
    wanted = set(plans_wanted) if plans_wanted is not None else set(PAIRINGS)
    ranges = effect_ranges()
    checks = [check for check in CHECKS if check.plan in wanted]
    tasks: dict[RunTask, dict[str, float]] = {}
    grid = []
    for check in checks:
        plan_scenario, reference = PAIRINGS[check.plan]
        parameter = ranges[check.effect][0]
        for value in tried_values(parameter, points):
            override = (f"{check.effect}={round(value) if parameter.integer else value!r}",)
            pairs = [(RunTask(plan_scenario, override, s), RunTask(reference, override, s)) for s in seeds]
            grid.append((check, value, pairs))
            for pair in pairs:
                tasks.update(dict.fromkeys(pair, {}))
    ordered = list(tasks)
    results = (
        executor.map(measure_run, ordered, chunksize=4) if executor is not None else map(measure_run, ordered)
    )
    for task, measured in zip(ordered, results, strict=True):
        tasks[task] = measured
    responses = []
    for check in checks:
        rows = [(value, pairs) for c, value, pairs in grid if c is check]
        indicator, output, reference_output, diagnostics, reference_diagnostics = [], [], [], [], []
        indicator_by_seed, output_by_seed = [], []
        for _, pairs in rows:
            plan_runs = [tasks[p] for p, _ in pairs]
            reference_runs = [tasks[r] for _, r in pairs]
            indicator_by_seed.append(_differences(plan_runs, reference_runs, check.indicator))
            output_by_seed.append(_differences(plan_runs, reference_runs, "output_2030"))
            indicator.append(float(np.mean(indicator_by_seed[-1])))
            output.append(float(np.mean(output_by_seed[-1])))
            reference_output.append(float(np.mean([r["output_2030"] for r in reference_runs])))
            diagnostics.append(_mean_diagnostics(plan_runs))
            reference_diagnostics.append(_mean_diagnostics(reference_runs))
        responses.append(
            EffectResponse(
                check,
                *ranges[check.effect],
                [v for v, _ in rows],
                indicator,
                output,
                reference_output,
                diagnostics,
                reference_diagnostics,
                indicator_by_seed,
                output_by_seed,
            )
        )
    return responses


def _mean_diagnostics(runs: list[dict[str, float]]) -> dict[str, float]:
    return {name: float(np.mean([run[name] for run in runs])) for name in DIAGNOSTICS}


def _differences(
    plan_runs: list[dict[str, float]], reference_runs: list[dict[str, float]], name: str
) -> list[float]:
    return [p[name] - r[name] for p, r in zip(plan_runs, reference_runs, strict=True)]


def computed_responses(seeds: Sequence[int] = SEEDS, workers: int | None = None) -> list[EffectResponse]:
    """Every plan's responses, on worker processes when more than one is asked for."""
    if workers == 1:
        return plan_responses(seeds)
    with local_executor(workers) as executor:
        return plan_responses(seeds, executor=executor)
