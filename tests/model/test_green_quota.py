"""The energy quota (levers.green.intensity_cap): who is over it, how far they are cut, and
how a retrofit ends it (paired runs, same seed)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.inputs.scenario import load_scenario
from sim.model.mechanisms.green import complete_retrofit, intensity_ceiling, tariff_surcharge
from sim.model.model import IndustryModel
from tests.conftest import BASELINE

QUARTERS = 6


def stepped(overrides: list[str], seed: int, quarters: int = QUARTERS) -> IndustryModel:
    model = IndustryModel(load_scenario(BASELINE, overrides), rng=seed)
    for _ in range(quarters):
        model.step()
    return model


def share_over(model: IndustryModel) -> float:
    firms = model.firms
    return float(np.mean(firms.energy_excess[firms.producing] > 0))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_share_of_firms_over_the_quota_falls_as_it_loosens(seed):
    caps = [0.3, 0.446, 0.6, 0.9]
    shares = [share_over(stepped([f"levers.green.intensity_cap={cap}"], seed)) for cap in caps]
    assert all(tight > loose for tight, loose in zip(shares, shares[1:], strict=False)), shares
    assert shares[0] > 0.3 and shares[-1] > 0  # the recycled cluster stays over a loose general quota


def test_the_share_over_the_quota_by_2030_rises_as_it_tightens_faster():
    def share_at_the_end(tightening: float) -> float:
        overrides = ["levers.green.intensity_cap=0.446", f"levers.green.cap_tightening={tightening}"]
        return share_over(IndustryModel(load_scenario(BASELINE, overrides), rng=2).run())

    shares = [share_at_the_end(t) for t in (0.0, 0.03, 0.06)]
    assert shares[0] < shares[1] < shares[2], shares


def test_a_firm_is_cut_by_the_share_of_its_energy_use_above_quota():
    overrides = ["levers.green.intensity_cap=0.446", "levers.green.tariff_surcharge=0.1"]
    before = stepped(overrides, seed=3, quarters=0)  # what the first quarter's quota check reads
    model = stepped(overrides, seed=3, quarters=1)
    firms, n = model.firms, before.firms.n  # rows 0..n-1 are the same firms in both
    settings = model.params.green
    allowance = np.where(model.clusters.energy_intensive, settings.energy_intensive_allowance, 1.0)
    intensity = before.firms.energy_intensity * (1 - settings.autonomous_improvement) ** 0.25
    used = intensity * before.firms.revenue  # energy at last quarter's value-added ratio, per 亿元 of sales
    allowed = intensity_ceiling(before) * allowance[before.firms.cluster] * before.firms.value_added
    excess = firms.energy_excess[:n]
    partly = (excess > 0) & (excess < 1)
    assert partly.sum() > 10 and (excess == 0).sum() > 10
    # Cutting the excess share of its energy use brings a firm down to what the quota allows...
    np.testing.assert_allclose((used * (1 - excess))[partly], allowed[partly], rtol=1e-9)
    # ...and firms not over it use no more than it allows.
    under = (excess == 0) & (before.firms.revenue > 0)
    assert np.all(used[under] <= allowed[under] * (1 + 1e-12))
    # The cut is that share, up to the largest cut; production honours it.
    expected_cut = np.minimum(firms.energy_excess, settings.max_curtailment)
    np.testing.assert_array_equal(firms.curtailment, expected_cut)
    assert (firms.curtailment == settings.max_curtailment).any()
    assert np.all(firms.output <= firms.capacity * (1 - firms.curtailment) * (1 + 1e-12))
    # The differential tariff falls on the energy used above quota only.
    at_base = firms.output * 4 * firms.energy_intensity * model.energy_price / 1e4
    np.testing.assert_allclose(tariff_surcharge(model), 0.1 * firms.energy_excess * at_base, rtol=1e-12)


def test_a_retrofit_that_brings_a_firm_under_the_quota_ends_its_curtailment():
    overrides = ["levers.green.intensity_cap=0.446"]
    treated, control = stepped(overrides, seed=5, quarters=1), stepped(overrides, seed=5, quarters=1)
    control.step()
    # Next quarter's check reads the same value added in both runs; in the treated one, every
    # firm over quota this quarter completes a retrofit first.
    excess = control.firms.energy_excess[: treated.firms.n]
    saving = treated.params.green.retrofit_saving
    retrofitted = treated.firms.energy_excess > 0
    complete_retrofit(treated, retrofitted)
    treated.step()
    within_reach = retrofitted & (excess > 0) & (excess < saving * 0.99)
    beyond_reach = retrofitted & (excess > saving * 1.01)
    assert within_reach.sum() >= 10 and beyond_reach.sum() >= 10
    assert np.all(treated.firms.curtailment[: len(excess)][within_reach] == 0)
    assert np.all(treated.firms.curtailment[: len(excess)][beyond_reach] > 0)


def test_the_mandate_pushes_firms_over_quota_to_retrofit():
    def mean_intensity(pressure: float) -> float:
        overrides = ["levers.green.intensity_cap=0.446", f"green.mandate_pressure={pressure}"]
        firms = stepped(overrides, seed=6, quarters=8).firms
        return float(np.mean(firms.energy_intensity[firms.alive]))

    assert mean_intensity(3.0) < mean_intensity(1.0)


def test_without_a_ceiling_nobody_is_over_quota_or_curtailed(baseline_run):
    firms = baseline_run.firms
    assert baseline_run.params.levers.green.intensity_cap == 0
    assert not firms.energy_excess.any() and not firms.curtailment.any()
    assert not tariff_surcharge(baseline_run).any()


def test_the_quota_follows_chongqings_path_from_2027():
    overrides = ["levers.green.intensity_cap=0.446", "levers.green.cap_tightening=0.03"]
    model = IndustryModel(load_scenario(BASELINE, overrides), rng=1)
    ceilings = {}
    while model.year < 2030 or model.quarter < 4:
        model.step()
        ceilings[model.year] = intensity_ceiling(model)
    assert ceilings[2027] == pytest.approx(0.446)
    assert ceilings[2030] == pytest.approx(0.446 / 1.03**3)
    assert ceilings[2025] == pytest.approx(0.446 * 1.03**2)
