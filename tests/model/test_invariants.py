"""Accounting invariants that must hold after every quarter of a run."""

from __future__ import annotations

import numpy as np
import pytest

from sim.inputs.levers import plans
from sim.inputs.scenario import Scenario, ScenarioData, default_scenario, load_scenario
from sim.inputs.sections import field_bounds
from sim.model.agents import Enterprise, LandParcel
from sim.model.firms import Stage
from sim.model.model import IndustryModel
from sim.model.parcels import NO_OCCUPANT, ParcelStatus
from sim.reference.parameter_docs import mechanism_sections
from tests.conftest import BASELINE


def check_invariants(model: IndustryModel, initial_land: float) -> None:
    firms, parcels = model.firms, model.parcels
    alive = firms.alive
    for column in ("capital", "capacity", "output", "workers", "skilled", "demand", "debt", "revenue"):
        values = getattr(firms, column)[alive]
        assert np.isfinite(values).all(), column
        assert (values >= -1e-9).all(), f"negative {column}"
    assert (firms.skilled <= firms.workers + 1e-6).all()
    assert (firms.output <= firms.capacity + 1e-9).all(), "output above capacity"
    assert (firms.stage[~alive] == Stage.EXITED).all()
    assert (firms.output[firms.stage == Stage.BUILDING] == 0).all()

    # Land: conserved, each occupied parcel held by one live firm, holdings add up.
    assert parcels.total_area == pytest.approx(initial_land + parcels.supplied_mu, rel=1e-9)
    assert (parcels.area > 0).all()
    occupied = parcels.status == ParcelStatus.OCCUPIED
    assert (parcels.occupant[~occupied] == NO_OCCUPANT).all()
    assert firms.alive[parcels.occupant[occupied]].all(), "parcel held by an exited firm"
    held = np.bincount(parcels.occupant[occupied], weights=parcels.area[occupied], minlength=firms.n)
    np.testing.assert_allclose(held, np.where(alive, firms.land_mu, 0.0), rtol=1e-9, atol=1e-9)

    # Credit: each bank within its lending capacity.
    for bank in model.banks:
        assert bank.outstanding_yi <= bank.capacity_yi + 1e-9, bank.name

    # Population: alive = initial + entries - exits, one agent per live firm and per parcel.
    assert alive.sum() == model.initial_firms + model.entries_total - model.exits_total
    assert len(model.agents_by_type[Enterprise]) == alive.sum()
    assert len(model.agents_by_type[LandParcel]) == parcels.n
    assert {a.index for a in model.agents_by_type[Enterprise]} == set(np.flatnonzero(alive))


@pytest.mark.parametrize("seed", [1, 7])
def test_invariants_hold_every_quarter(seed):
    model = IndustryModel(load_scenario(BASELINE), rng=seed)
    initial_land = model.parcels.total_area
    check_invariants(model, initial_land)
    while model.running:
        model.step()
        check_invariants(model, initial_land)
    assert model.steps == 24
    assert model.exits_total > 0 and model.entries_total > 0


def test_invariants_hold_under_stress():
    """Harsh settings (no land, tight credit, mandates, shocks) exercise the edge paths."""
    scenario = load_scenario(
        BASELINE,
        [
            "land.status_quo_supply_mu_per_year=0",
            "levers.land.reclaim_rate=0",
            "environment.macro_volatility=0.08",
            "environment.demand_growth_shift=-0.08",
            "levers.green.intensity_cap=0.3",
            "levers.green.cap_tightening=0.1",
            "green.max_curtailment=0.5",
            "attraction.leads_per_year=300",
            "levers.finance.risk_compensation=0.8",
        ],
    )
    model = IndustryModel(scenario, rng=3)
    initial_land = model.parcels.total_area
    refusals = 0
    while model.running:
        model.step()
        check_invariants(model, initial_land)
        refusals += model.scratch.tally["land_refusals"]
    assert refusals > 0, "with no new land, some projects must be refused land"
    assert model.parcels.area_by_status(ParcelStatus.VACANT) < 1500


def random_scenario(seed: int) -> Scenario:
    """Every mechanism parameter and every lever drawn uniformly within its schema bounds."""
    rng = np.random.default_rng(seed)
    data = default_scenario().data.model_dump()
    sections = [(data[name], section) for name, section in mechanism_sections().items()]
    sections += [(data["levers"][name], plan) for name, plan in plans().items()]
    for values, section in sections:
        for name, field in section.model_fields.items():
            low, high = field_bounds(field)
            if field.annotation is int:
                values[name] = int(rng.integers(low, high + 1))
            elif field.annotation is float:
                values[name] = float(rng.uniform(low, high))
    return Scenario(data=ScenarioData(**data), source=f"random scenario {seed}")


@pytest.mark.parametrize("seed", [12, 31, 47])
def test_invariants_hold_anywhere_in_the_parameter_space(seed):
    """Batch experiments sample parameters over their ranges: every corner must run cleanly."""
    model = IndustryModel(random_scenario(seed), rng=seed)
    initial_land = model.parcels.total_area
    while model.running:
        model.step()
        check_invariants(model, initial_land)
