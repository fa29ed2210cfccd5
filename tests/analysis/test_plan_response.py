"""No plan inert by construction: paired responses to each effect size over its documented range.

The slow tests share one computation (every plan, the page's seeds and values, 2-5 min
on 2 shared cores): the page docs/plan_response.md must match it, and each plan's
intermediate indicator, and its 2030 output where the mechanism implies a direction,
must follow its effect size. The ones that do not on today's model are marked as expected failures
(issue 14) with what stops them, so they show up when the new mechanisms land.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.analysis.plan_response import (
    CHECKS,
    MEASURES,
    PAIRINGS,
    EffectResponse,
    computed_responses,
    effect_ranges,
    monotone_within_noise,
    plan_effects,
    plan_responses,
    tried_values,
)
from sim.analysis.plan_response_page import COMMAND, binding_constraints, plan_response_markdown
from sim.experiments.executors import local_executor
from sim.experiments.sampled_parameters import SampledParameter
from sim.inputs.levers import plans
from sim.paths import SCENARIOS_DIR
from tests.conftest import ROOT, run_cli

# Responses that do not follow their direction on today's model, and why.
CAPPED = (
    "adoption is capped at digital.base_rate: with larger gains the baseline's firms upgrade more "
    "too and more of them reach the cap, so the subsidy adds fewer upgrades on top, not more"
)
NOT_AS_EXPECTED = {
    ("digital.gain_scale", "indicator"): CAPPED,
}


def _params(what: str) -> list:
    """One test case per check whose mechanism implies a direction for `what`."""
    cases = []
    for check in CHECKS:
        direction = check.direction if what == "indicator" else check.output_direction
        if direction == 0:
            continue
        reason = NOT_AS_EXPECTED.get((check.effect, what))
        marks = [pytest.mark.slow] + ([pytest.mark.xfail(strict=True, reason=reason)] if reason else [])
        cases.append(pytest.param(check.effect, marks=marks, id=f"{check.plan}-{check.effect}"))
    return cases


@pytest.fixture(scope="module")
def responses() -> dict[str, EffectResponse]:
    return {response.check.effect: response for response in computed_responses()}


def test_every_effect_size_of_every_plan_has_one_check():
    expected = {(plan, effect) for plan, effects in plan_effects().items() for effect in effects}
    checked = [(check.plan, check.effect) for check in CHECKS]
    assert len(checked) == len(set(checked)), "an effect size is checked twice"
    assert set(checked) == expected, (
        "CHECKS must cover exactly the levers' effect sizes (sim/inputs/levers.py)"
    )
    assert set(PAIRINGS) == set(plans())
    for check in CHECKS:
        assert check.indicator in MEASURES and {check.direction, check.output_direction} <= {-1, 0, 1}
    for plan_scenario, reference in PAIRINGS.values():
        assert (SCENARIOS_DIR / f"{plan_scenario}.toml").is_file() and (
            SCENARIOS_DIR / f"{reference}.toml"
        ).is_file()
    assert (SCENARIOS_DIR / "no_task_forces.toml").is_file()


def test_values_tried_span_the_documented_range():
    ranges = effect_ranges()
    low_rate = ranges["labour.talent_retention"][0]
    assert tried_values(low_rate) == [low_rate.low, (low_rate.low + low_rate.high) / 2, low_rate.high]
    whole = SampledParameter("task_forces.approval_quarters_saved", 0, 2, "uncertainty", "", integer=True)
    assert tried_values(whole, 5) == [0, 1, 2]


def test_monotone_reads_direction_and_allows_flat_steps():
    def same(values):  # four seeds that agree: no noise
        return [[v] * 4 for v in values]

    assert monotone_within_noise(same([1, 1, 2]), 1) and not monotone_within_noise(same([1, 2, 1.5]), 1)
    assert monotone_within_noise(same([3, 2, 2]), -1) and not monotone_within_noise(same([1, 2]), -1)
    assert monotone_within_noise(same([3, 2, 1]), 0) and not monotone_within_noise(same([1, 3, 2]), 0)
    # A step back the seeds disagree on is within noise; one they all show is not.
    noisy = [[1, 1, 1, 1], [2, 2, 2, 2], [0.5, 3.5, 0.5, 3.5]]
    assert monotone_within_noise(noisy, 1)
    assert not monotone_within_noise([[1, 1, 1, 1], [2, 2, 2, 2], [1.9, 1.9, 1.8, 1.9]], 1)


def test_a_small_computation_is_paired_and_shown_by_the_command(monkeypatch):
    small = plan_responses(seeds=(1,), points=2, plans_wanted=["finance"])
    (response,) = small
    assert response.values == [response.parameter.low, response.parameter.high]
    assert response.indicator[-1] > response.indicator[0] > 0  # more pool cover: more loans than the baseline
    monkeypatch.setattr("sim.analysis.plan_response.computed_responses", lambda workers=None: small)
    page = run_cli("plan-response", "--markdown")
    assert page.code == 0 and page.out.rstrip("\n") == plan_response_markdown(small).rstrip("\n")
    text = run_cli("plan-response")
    assert text.code == 0 and "finance.risk_sensitivity" in text.out and "loans_approved" in text.out


def test_binding_constraints_name_what_the_diagnostics_show():
    (response,) = plan_responses(seeds=(1,), points=2, plans_wanted=["finance"])
    calm = dict.fromkeys(response.diagnostics[-1], 0.0) | {
        "capacity_utilisation": 1.0,
        "backlog_quarters": 0.5,
    }
    idle = calm | {
        "capacity_utilisation": 0.9,
        "backlog_quarters": 0.01,
        "skilled_pool": 9000.0,
        "land_refusals": 40.0,
    }
    quiet = replace(response, diagnostics=[calm, calm], reference_diagnostics=[calm, calm])
    assert binding_constraints(quiet) == []
    busy = replace(
        response, diagnostics=[idle, idle], reference_diagnostics=[calm, calm | {"skilled_pool": 1000.0}]
    )
    found = binding_constraints(busy)
    assert [text.split(":")[0] for text in found] == ["demand", "labour does not bind", "land"]
    assert "9,000 skilled workers" in found[1] and "40 land requests" in found[2]


@pytest.mark.slow
def test_the_numbers_do_not_depend_on_the_number_of_workers():
    serial = plan_responses(seeds=(1, 2), points=2, plans_wanted=["task_forces"])
    with local_executor(2) as executor:
        pooled = plan_responses(seeds=(1, 2), points=2, plans_wanted=["task_forces"], executor=executor)
    assert serial == pooled


@pytest.mark.slow
def test_docs_page_is_in_sync(responses):
    actual = (ROOT / "docs" / "plan_response.md").read_text(encoding="utf-8")
    assert actual.rstrip("\n") == plan_response_markdown(list(responses.values())).rstrip("\n"), (
        f"docs/plan_response.md is stale: run `{COMMAND}`"
    )


@pytest.mark.parametrize("effect", _params("indicator"))
def test_the_intermediate_indicator_follows_the_effect_size(responses, effect):
    response = responses[effect]
    check = response.check
    assert response.indicator_monotone and _moved(response.indicator, check.direction), (
        f"plan {check.plan}: {MEASURES[check.indicator].label} minus the reference's, at {check.effect} = "
        f"{response.values}: {response.indicator}; expected it to "
        f"{'rise' if check.direction > 0 else 'fall'} ({check.why})"
    )


@pytest.mark.parametrize("effect", _params("output"))
def test_2030_output_follows_the_effect_size(responses, effect):
    response = responses[effect]
    check = response.check
    # Output must not move against the mechanism beyond noise; where the plan moves output
    # little (docs/plan_response.md says what binds) it need not move detectably.
    assert response.output_monotone, (
        f"plan {check.plan}: 2030 output minus the reference's (亿元), at {check.effect} = "
        f"{response.values}: {[round(v, 2) for v in response.output]}; expected it not to "
        f"{'fall' if check.output_direction > 0 else 'rise'} beyond noise ({check.why})"
    )


def _moved(values: list[float], direction: int) -> bool:
    """The response at the top of the range differs from the bottom's, in the direction: not inert."""
    return (values[-1] - values[0]) * direction > 1e-9 * max(1.0, abs(values[0]))
