"""The per-agent reference (a test oracle, also timed by benchmarks/) runs the same rules.

Same scenario and seed, same random streams: the firms' state must agree to rounding.
The reference's agents hold their own state; `sync_firm_arrays` copies it into its
`model.firms` so the two can be compared column by column.

Tolerance: rtol 1e-9 (atol 1e-12 for values that should be zero). The two differ only in
floating-point rounding (`math.exp`/`math.log` against numpy's, and sums taken in another
order), about 1e-16 per operation; differences of large terms (profit, margin, log
competitiveness near zero) show up to ~1e-10 relative after 24 quarters.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.inputs.scenario import load_scenario
from sim.model.model import IndustryModel
from tests.conftest import ROOT
from tests.model.per_agent_reference import FIRM_COLUMNS, PerAgentIndustryModel, run_reference

RTOL, ATOL = 1e-9, 1e-12


def assert_same_firms(ours: IndustryModel, reference: PerAgentIndustryModel) -> None:
    reference.sync_firm_arrays()
    a, b = ours.firms, reference.firms
    assert a.n == b.n
    np.testing.assert_array_equal(a.alive, b.alive)
    alive = a.alive
    for name in FIRM_COLUMNS:
        x, y = getattr(a, name)[alive], getattr(b, name)[alive]
        if x.dtype.kind == "f":
            np.testing.assert_allclose(y, x, rtol=RTOL, atol=ATOL, equal_nan=True, err_msg=name)
        else:
            np.testing.assert_array_equal(y, x, err_msg=name)


def assert_same_indicators(ours: IndustryModel, reference: PerAgentIndustryModel) -> None:
    for name, value in ours.indicators.items():
        assert reference.indicators[name] == pytest.approx(value, rel=RTOL, abs=ATOL), name


@pytest.mark.parametrize("scenario_file", ["baseline.toml", "all_plans.toml"])
def test_reference_matches_vectorized_model(scenario_file: str) -> None:
    """After 4 and 8 quarters (all_plans also exercises matchmaking, channels and levers)."""
    scenario = load_scenario(ROOT / "scenarios" / scenario_file)
    ours, reference = IndustryModel(scenario, rng=11), PerAgentIndustryModel(scenario, rng=11)
    for quarter in range(1, 9):
        ours.step()
        reference.step()
        if quarter in (4, 8):
            assert_same_firms(ours, reference)
            assert_same_indicators(ours, reference)


@pytest.mark.slow  # ~3 s alone, over 5 s on a busy machine
def test_reference_runs_full_horizon(baseline_scenario, baseline_run) -> None:
    """A whole default run completes and reports what ours reports, quarter by quarter."""
    reference = run_reference(baseline_scenario, 11)
    assert reference.steps == baseline_run.steps == baseline_run.total_steps
    assert not reference.running
    ours_table = baseline_run.datacollector.get_model_vars_dataframe()
    reference_table = reference.datacollector.get_model_vars_dataframe()
    assert list(reference_table.columns) == list(ours_table.columns)
    np.testing.assert_allclose(
        reference_table.to_numpy(float), ours_table.to_numpy(float), rtol=RTOL, atol=ATOL
    )
    assert_same_firms(baseline_run, reference)
    assert sum(reference.phase_seconds.values()) > 0
