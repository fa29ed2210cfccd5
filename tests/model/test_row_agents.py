"""Agents registered in bulk are the agents Mesa's constructor would have made, in the same order."""

from __future__ import annotations

import mesa
import pandas as pd
from mesa.experimental.mesa_signals import ModelSignals

from sim.inputs.scenario import load_scenario
from sim.model.agents import Enterprise, LandParcel
from sim.model.model import IndustryModel
from sim.paths import SCENARIOS_DIR
from sim.run.results import quarterly_frame
from tests.model.golden_run import golden_series, read_golden
from tests.model.test_golden import assert_same_series


def registry(model: mesa.Model) -> list[tuple[str, int, int]]:
    return [(type(a).__name__, a.unique_id, a.index) for a in model.agents]


def test_bulk_creation_matches_one_at_a_time() -> None:
    bulk, single = mesa.Model(rng=1), mesa.Model(rng=1)
    made = Enterprise.create_rows(bulk, [0, 1, 2]) + LandParcel.create_rows(bulk, range(2))
    for cls, rows in ((Enterprise, [0, 1, 2]), (LandParcel, range(2))):
        for row in rows:
            cls(single, row)
    assert registry(bulk) == registry(single)
    assert [a.unique_id for a in made] == [1, 2, 3, 4, 5]
    assert list(bulk.agents_by_type[Enterprise]) == made[:3]
    assert all(a.model is bulk and a.pos is None for a in made)
    assert bulk.agent_id_counter == single.agent_id_counter


def test_bulk_removal_deregisters() -> None:
    model = mesa.Model(rng=1)
    firms = Enterprise.create_rows(model, range(4))
    Enterprise.remove_all(model, firms[1:3])
    assert [a.index for a in model.agents_by_type[Enterprise]] == [0, 3]
    assert [a.index for a in model.agents] == [0, 3]


def test_observers_hear_every_agent() -> None:
    model = mesa.Model(rng=1)
    heard = []

    def added(signal: object) -> None:  # Mesa holds observers weakly: keep them named
        heard.append("added")

    def removed(signal: object) -> None:
        heard.append("removed")

    model.observe("agents", ModelSignals.AGENT_ADDED, added)
    model.observe("agents", ModelSignals.AGENT_REMOVED, removed)
    firms = Enterprise.create_rows(model, range(3))
    Enterprise.remove_all(model, firms[:2])
    assert heard == ["added"] * 3 + ["removed"] * 2
    assert [a.index for a in model.agents] == [2]


def test_released_agents_are_reused_as_new_ones() -> None:
    """A finished run's agents serve the next model, registered as fresh agents would be."""
    done, fresh = mesa.Model(rng=1), mesa.Model(rng=1)
    old = Enterprise.create_rows(done, range(3))
    Enterprise.remove_all(done, old)
    Enterprise.release(old)
    assert all(agent.model is None for agent in old)
    made = Enterprise.create_rows(fresh, [5, 6, 7, 8])
    assert {id(agent) for agent in made[:3]} == {id(agent) for agent in old}
    assert [(a.unique_id, a.index) for a in made] == [(1, 5), (2, 6), (3, 7), (4, 8)]
    assert all(a.model is fresh and a.pos is None for a in made)
    assert list(fresh.agents_by_type[Enterprise]) == made
    assert LandParcel.create_rows(fresh, [0])[0] not in old  # each class keeps its own


def test_a_released_run_keeps_its_results_and_the_next_run_is_unchanged() -> None:
    """Runs after a release give the same numbers as in a fresh process (golden file)."""
    first = IndustryModel(load_scenario(SCENARIOS_DIR / "baseline.toml"), rng=4).run()
    before = quarterly_frame(first)
    first.release()
    assert len(first.agents) == len(first.banks) + len(first.task_forces)
    pd.testing.assert_frame_equal(quarterly_frame(first), before)
    assert_same_series(golden_series("baseline_seed3"), read_golden("baseline_seed3"))


def test_removing_every_agent_of_some_classes_keeps_the_others_in_order() -> None:
    model = mesa.Model(rng=1)
    first = mesa.Agent(model)
    firms = Enterprise.create_rows(model, range(3))
    parcels = LandParcel.create_rows(model, range(2))
    last = mesa.Agent(model)
    Enterprise.remove_all(model, firms[:1])
    Enterprise.remove_every(model, (Enterprise,))
    assert list(model.agents) == [first, *parcels, last]
    assert not list(model.agents_by_type[Enterprise])
    assert list(model.agents_by_type[LandParcel]) == parcels
