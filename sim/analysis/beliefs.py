"""What you must believe: the few conditions on the sampled uncertainties that would flip a headline odds.

For each headline probability (every target, under the reference scenario and under the
scenario most likely to reach the final target), scenario discovery (the CART boxes of
sim/analysis/discovery.py) is run on that scenario's own runs, with the sampled
parameters as inputs. If the target is met in fewer than half of the runs, the question
is what would make it more likely than not: the box of at most three conditions where it
is met in at least half of the runs, and of those the one holding most of the runs that
meet it. If it is met in half or more, the question turns round: where is it missed in
at least half. The answer is a sentence in Chinese and English, e.g. "P(2030 ≥ 1,000 亿元)
under all_plans is 11%: it is met in more than half of the runs only where the common
demand shift is above +2.1 points and the 2024 base above 610 亿元".

These are statements about the sampled ranges and the model, as the rest of the report:
a condition at the edge of its range says that believing the flip means believing the
edge of what was sampled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from sim.analysis.discovery import Box, Condition, discover
from sim.analysis.language import Language
from sim.experiments.posterior_sampling import POSTERIOR
from sim.experiments.results_folder import PARAM_PREFIX
from sim.inputs.base_year import load_base_year
from sim.inputs.scenario import Target

FLIP = 0.5  # "flip": from less likely than not to more likely than not, or back
MIN_RUNS_ON_EACH_SIDE = 5  # fewer runs that met (or missed) it than this: no rule to fit


# Names of the standard uncertainties (sim/data/uncertainties.toml) in both languages; any
# other sampled parameter is named by its scenario path.
NAMES: dict[str, tuple[str, str]] = {
    "world.gross_output_yi": ("2024年工业总产值基数", "the 2024 output base"),
    "environment.demand_growth_shift": ("各集群共同的需求增速偏移", "the common demand shift"),
    "environment.inflation": ("工业品价格涨幅", "producer-price inflation"),
    "environment.macro_volatility": ("共同需求冲击的波动", "the volatility of common demand shocks"),
    "environment.cluster_volatility": ("各集群需求冲击的波动", "the volatility of cluster demand shocks"),
    "environment.shock_persistence": ("需求冲击的持续性", "the persistence of demand shocks"),
    "innovation.certification_rate": ("科技型企业认定率", "the S&T certification rate"),
    # The design dimension that picks a particle, ordered by its first structural parameter.
    POSTERIOR: ("2021-24年校准后验的分位数", "the quantile of the 2021-24 calibrated posterior"),
}
CLUSTER_SHIFT = "environment.cluster_demand_shift."
POINTS = ("environment.demand_growth_shift", "environment.inflation", CLUSTER_SHIFT)  # shown in points


@dataclass(frozen=True)
class Belief:
    """One headline probability and the box of conditions that would flip it."""

    scenario: str
    target: Target
    runs: int
    met: int
    direction: Literal["likely", "unlikely"]  # what the box makes the target
    box: Box | None  # None: too few runs on one side to fit a rule
    flips: bool  # the box crosses FLIP (else it is the nearest the sampled futures come)

    @property
    def probability(self) -> float:
        return self.met / self.runs


def headline_scenarios(probabilities: pd.DataFrame, reference: str | None, final: Target) -> list[str]:
    """The reference (the status quo) and the scenario most likely to reach the final target."""
    rows = probabilities[probabilities["year"] == final.year]
    best = str(rows.sort_values("probability", ascending=False, kind="stable")["scenario"].iloc[0])
    first = reference if reference is not None else str(rows["scenario"].iloc[0])
    return list(dict.fromkeys([first, best]))


def what_you_must_believe(
    outcomes: pd.DataFrame, scenarios: list[str], targets: list[Target]
) -> list[Belief]:
    """A Belief for every target under each of the scenarios, from the scenario's own runs."""
    beliefs = []
    for scenario in scenarios:
        runs = outcomes[outcomes["scenario"] == scenario]
        params = [c for c in runs.columns if c.startswith(PARAM_PREFIX) and runs[c].nunique() > 1]
        features = runs[params].astype(float).rename(columns=lambda c: c.removeprefix(PARAM_PREFIX))
        for target in targets:
            met = runs[target.met_column].to_numpy(dtype=bool)
            likely = met.mean() < FLIP
            wanted = met if likely else ~met
            direction: Literal["likely", "unlikely"] = "likely" if likely else "unlikely"
            box = None
            if min(int(wanted.sum()), int((~wanted).sum())) >= MIN_RUNS_ON_EACH_SIDE:
                boxes = discover(features, wanted).boxes
                flipping = [b for b in boxes if b.density >= FLIP]
                if flipping:
                    box = max(flipping, key=lambda b: (b.coverage, b.density))
                elif boxes:
                    box = max(boxes, key=lambda b: (b.density, b.coverage))
            flips = box is not None and box.density >= FLIP
            beliefs.append(Belief(scenario, target, len(met), int(met.sum()), direction, box, flips))
    return beliefs


def _name(feature: str, language: Language, clusters: dict[str, tuple[str, str]]) -> str:
    index = 0 if language == "zh" else 1
    if feature in NAMES:
        return NAMES[feature][index]
    if feature.startswith(CLUSTER_SHIFT) and feature.removeprefix(CLUSTER_SHIFT) in clusters:
        cluster = clusters[feature.removeprefix(CLUSTER_SHIFT)][index]
        return f"{cluster}需求增速偏移" if language == "zh" else f"the demand shift of {cluster}"
    return f"`{feature}`"


def _value(feature: str, value: float, language: Language) -> str:
    if feature.startswith(POINTS):
        return f"{100 * value:+.1f} " + ("个百分点" if language == "zh" else "points")
    if feature.endswith("_yi"):
        return f"{value:,.0f} 亿元"
    return f"{value:.3g}"


def _condition(condition: Condition, language: Language, clusters: dict[str, tuple[str, str]]) -> str:
    name, value = (
        _name(condition.feature, language, clusters),
        _value(condition.feature, condition.value, language),
    )
    if language == "zh":
        return f"{name}{'高于' if condition.op == '>' else '不高于'}{value}"
    return f"{name} is {'above' if condition.op == '>' else 'at most'} {value}"


def _cluster_names() -> dict[str, tuple[str, str]]:
    return {c.key: (c.name_zh, c.name_en) for c in load_base_year().clusters}


# The sentences, by language and case; {side} is met/missed, {turn} the flip, {verb} meet/miss.
TEMPLATES: dict[Language, dict[str, str]] = {
    "zh": {
        "head": (
            "{scenario}情景下 {year} 年工业总产值达到 {threshold} 亿元的概率为 "
            "{odds}（{met}/{runs} 次模拟）。"
        ),
        "none": (
            "{side}的模拟太少（少于 {minimum} 次），无法判断什么条件能改变这一结论；"
            "在抽样范围内它仍属少数情形。"
        ),
        "flips": (
            "若{conditions}，则{turn}：这类模拟中 {hit} {side}（占抽样情形的 "
            "{share}，包含全部{side}模拟的 {held}）。"
        ),
        "nearest": (
            "在抽样范围内，没有不超过三个条件的组合能使其{turn}；"
            "最接近的是{conditions}，这类模拟中 {hit} {side}（占抽样情形的 {share}）。"
        ),
        "and": "且",
        "met": "达标",
        "missed": "未达标",
        "likely": "达标的可能性过半",
        "unlikely": "更可能达不到目标",
    },
    "en": {
        "head": "P({year} ≥ {threshold} 亿元) under {scenario} is {odds} ({met} of {runs} runs). ",
        "none": (
            "Fewer than {minimum} runs {verb} it, too few to tell which conditions would change that; "
            "within the sampled ranges it stays rare."
        ),
        "flips": (
            "It becomes {turn} if {conditions}: the target is {side} in {hit} of such runs "
            "({share} of the sampled futures, holding {held} of all runs that {verb} it)."
        ),
        "nearest": (
            "No combination of at most three sampled conditions makes it {turn}; the nearest is where "
            "{conditions}, with the target {side} in {hit} of such runs ({share} of the sampled futures)."
        ),
        "and": " and ",
        "met": "met",
        "missed": "missed",
        "likely": "more likely than not",
        "unlikely": "less likely than not",
    },
}


def belief_sentence(belief: Belief, language: Language) -> str:
    """The belief in plain words, in Chinese or English."""
    words, target, box = TEMPLATES[language], belief.target, belief.box
    likely = belief.direction == "likely"
    fields = {
        "scenario": belief.scenario,
        "year": target.year,
        "threshold": f"{target.threshold_yi:,.0f}",
        "odds": f"{100 * belief.probability:.{0 if belief.probability >= 0.1 else 1}f}%",
        "minimum": MIN_RUNS_ON_EACH_SIDE,
        "met": belief.met,
        "runs": belief.runs,
        "side": words["met" if likely else "missed"],
        "verb": "meet" if likely else "miss",
        "turn": words[belief.direction],
    }
    head = words["head"].format(**fields)
    if box is None:
        return head + words["none"].format(**fields)
    clusters = _cluster_names()
    fields |= {
        "conditions": words["and"].join(_condition(c, language, clusters) for c in box.conditions),
        "share": f"{100 * box.runs / belief.runs:.0f}%",
        "hit": f"{100 * box.density:.0f}%",
        "held": f"{100 * box.coverage:.0f}%",
    }
    return head + words["flips" if belief.flips else "nearest"].format(**fields)


def belief_json(belief: Belief) -> dict[str, Any]:
    """A belief as plain data, with its sentence in both languages (for the report's JSON and pages)."""
    box = belief.box
    return {
        "scenario": belief.scenario,
        "year": belief.target.year,
        "threshold_yi": belief.target.threshold_yi,
        "runs": belief.runs,
        "met": belief.met,
        "direction": belief.direction,
        "flips": belief.flips,
        "box": None if box is None else asdict(box),
        "zh": belief_sentence(belief, "zh"),
        "en": belief_sentence(belief, "en"),
    }


def beliefs_markdown(beliefs: list[Belief], language: Language = "en") -> str:
    """The report's section: one sentence per headline probability."""
    title = (
        "## 需要相信什么：改变结论的条件"
        if language == "zh"
        else "## What you must believe: the conditions that flip the odds"
    )
    if not beliefs:
        return title
    lines = [title, ""]
    lines += [f"- {belief_sentence(b, language)}" for b in beliefs]
    return "\n".join(lines)
