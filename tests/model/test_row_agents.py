"""Agents registered in bulk are the agents Mesa's constructor would have made, in the same order."""

from __future__ import annotations

import mesa
from mesa.experimental.mesa_signals import ModelSignals

from sim.model.agents import Enterprise, LandParcel


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
