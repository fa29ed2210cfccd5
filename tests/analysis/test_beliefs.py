"""What you must believe: the conditions that flip a headline probability, found on known rules."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sim.analysis.beliefs import (
    belief_json,
    belief_sentence,
    beliefs_markdown,
    headline_scenarios,
    what_you_must_believe,
)
from sim.inputs.scenario import Target

TARGETS = [Target(year=2027, threshold_yi=700), Target(year=2030, threshold_yi=1000)]


def outcomes(runs: int = 400, seed: int = 3) -> pd.DataFrame:
    """Runs of two scenarios whose targets are met by a known rule on two sampled parameters."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(500, 650, runs)
    shift = rng.uniform(-0.04, 0.04, runs)
    noise = rng.uniform(0, 1, runs)
    frames = []
    for scenario, bonus in (("baseline", 0.0), ("all_plans", 0.03)):
        frame = pd.DataFrame(
            {
                "scenario": scenario,
                "replication": np.arange(runs),
                "param:world.gross_output_yi": base,
                "param:environment.demand_growth_shift": shift,
                "param:environment.inflation": noise,
            }
        )
        # 2030: met only with a base above 600 and a demand shift above +2 points (less with the plans)
        frame["met_2030"] = (base > 600) & (shift + bonus > 0.02)
        # 2027: met unless the base is below 530
        frame["met_2027"] = base > 530
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_a_rare_success_is_explained_by_the_conditions_that_make_it_likely():
    beliefs = what_you_must_believe(outcomes(), ["baseline"], TARGETS)
    final = next(b for b in beliefs if b.target.year == 2030)
    assert final.direction == "likely" and final.flips
    bounds = {(c.feature, c.op): c.value for c in final.box.conditions}
    assert bounds[("world.gross_output_yi", ">")] == pytest.approx(600, abs=5)
    assert bounds[("environment.demand_growth_shift", ">")] == pytest.approx(0.02, abs=0.003)
    assert final.box.density >= 0.5
    sentence = belief_sentence(final, "en")
    assert sentence.startswith(
        "P(2030 ≥ 1,000 亿元) under baseline is 6.0% (24 of 400 runs). It becomes more likely than not if "
    )
    assert re.search(r"the common demand shift is above \+2\.\d points", sentence)
    assert re.search(
        r"the 2024 output base is above 59\d 亿元|the 2024 output base is above 60\d 亿元", sentence
    )
    assert "2024年工业总产值基数高于" in belief_sentence(final, "zh")


def test_a_likely_target_is_explained_by_what_would_make_it_missed():
    beliefs = what_you_must_believe(outcomes(), ["baseline"], TARGETS)
    near = next(b for b in beliefs if b.target.year == 2027)
    assert near.direction == "unlikely" and near.flips
    (condition,) = near.box.conditions
    assert (condition.feature, condition.op) == ("world.gross_output_yi", "<=")
    assert condition.value == pytest.approx(530, abs=5)
    assert "It becomes less likely than not if the 2024 output base is at most 53" in belief_sentence(
        near, "en"
    )
    assert "更可能达不到目标" in belief_sentence(near, "zh")


def test_too_few_successes_say_so_instead_of_fitting_a_rule():
    frame = outcomes()
    frame["met_2030"] = False
    frame.loc[frame.index[:3], "met_2030"] = True
    final = next(b for b in what_you_must_believe(frame, ["baseline"], TARGETS) if b.target.year == 2030)
    assert final.box is None and not final.flips
    assert "Fewer than 5 runs meet it, too few to tell" in belief_sentence(final, "en")
    assert "0.8% (3 of 400 runs)" in belief_sentence(final, "en")
    assert belief_json(final)["box"] is None


def test_the_headlines_are_the_reference_and_the_scenario_likeliest_to_reach_the_final_target():
    probabilities = pd.DataFrame(
        {
            "scenario": ["baseline", "baseline", "plan", "plan", "all_plans", "all_plans"],
            "year": [2027, 2030] * 3,
            "probability": [0.3, 0.01, 0.4, 0.02, 0.6, 0.11],
        }
    )
    assert headline_scenarios(probabilities, "baseline", TARGETS[-1]) == ["baseline", "all_plans"]
    assert headline_scenarios(probabilities, None, TARGETS[-1]) == ["baseline", "all_plans"]


def test_the_section_lists_one_sentence_per_headline_in_either_language():
    beliefs = what_you_must_believe(outcomes(), ["baseline", "all_plans"], TARGETS)
    assert len(beliefs) == 4
    for language in ("en", "zh"):
        text = beliefs_markdown(beliefs, language)
        assert text.count("\n- ") == 4


def test_the_posterior_dimension_is_named_in_words_not_by_its_column():
    frame = outcomes().rename(columns={"param:environment.inflation": "param:posterior"})
    frame["met_2027"] = frame["param:posterior"] > 0.5  # the posterior quantile alone decides
    belief = next(b for b in what_you_must_believe(frame, ["baseline"], TARGETS) if b.target.year == 2027)
    assert any(c.feature == "posterior" for c in belief.box.conditions)
    assert "the quantile of the 2021-24 calibrated posterior" in belief_sentence(belief, "en")
    assert "2021-24年校准后验的分位数" in belief_sentence(belief, "zh")
    assert "`posterior`" not in belief_sentence(belief, "en")
