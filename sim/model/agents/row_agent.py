"""RowAgent: a Mesa agent that names one row of the model's arrays, made and removed in bulk.

A run creates some 10,000 Enterprise and LandParcel agents. Made one by one, Mesa's
`Agent.__init__` and `Model.register_agent` (a signal wrapper and a debug log line per
agent) cost about a quarter of a run (issue 17's profile). `create_rows` registers a whole
batch as those would one at a time: unique ids in creation order, each agent in
`model.agents` and `model.agents_by_type[cls]`, in that order. Where anything listens to
the model's agent signals (an observer, a signal batch) or a Mesa dataset tracks the
class, it falls back to the ordinary constructor, so the observers hear every agent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from operator import attrgetter
from typing import Any, ClassVar, Self

import mesa
from mesa.agentset import _HardKeyAgentSet
from mesa.experimental.mesa_signals import ModelSignals


def _observed(model: mesa.Model, signal: Any) -> bool:
    """Whether a signal of the model's agent registry would reach anybody."""
    return ("agents", signal) in model.subscribers or getattr(model, "_batch_context", None) is not None


def _members(agent_set: _HardKeyAgentSet) -> dict[Any, None]:
    """The insertion-ordered dict that holds a Mesa registry's agents (`add` and `discard`
    write one key at a time into it), so a batch is one dict update."""
    members = agent_set._agents
    if type(members) is not dict:  # a Mesa whose registry is not a plain dict
        raise TypeError(f"unexpected Mesa agent registry {type(members).__name__}")
    return members


MAX_RELEASED = 2**18  # agents kept per class: a run at 25x Dazu's firms reuses them all


class RowAgent(mesa.Agent):
    """An agent whose state lives in the model's arrays at row `index`."""

    # Agents of runs that are over (`release`), which `create_rows` takes before making new
    # ones: each class its own. Runs on threads of one process (a Dask worker's) share it,
    # so it is taken from and added to under a lock.
    _released: ClassVar[list[Any]] = []
    _released_guard: ClassVar[threading.Lock] = threading.Lock()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._released = []

    def __init__(self, model: Any, index: int) -> None:
        super().__init__(model)
        self.index = int(index)

    @classmethod
    def create_rows(cls, model: Any, rows: Iterable[int]) -> list[Self]:
        """One registered agent per row, as `cls(model, row)` for each row in turn would make."""
        rows = rows if isinstance(rows, range) else [int(row) for row in rows]
        if cls._datasets or _observed(model, ModelSignals.AGENT_ADDED):
            return [cls(model, row) for row in rows]
        first = model.agent_id_counter
        model.agent_id_counter += len(rows)
        with cls._released_guard:
            released = cls._released
            reused = min(len(released), len(rows))
            agents = released[:reused]  # the oldest first: made together, they sit together in memory
            del released[:reused]
        ids = range(first, first + len(rows))
        for agent, unique_id, row in zip(agents, ids[:reused], rows[:reused], strict=True):
            agent.model = model  # `pos` is still None: no space holds these agents
            agent.unique_id = unique_id
            agent.index = row
        new = object.__new__
        for unique_id, row in zip(ids[reused:], rows[reused:], strict=True):
            # Each agent's attributes set as soon as it is made, in one order: Python then keeps
            # them in its compact per-class layout (132 bytes an agent; made first and filled
            # after, 359: tracemalloc, 7,000 agents).
            agent = new(cls)
            agent.model = model
            agent.unique_id = unique_id
            agent.pos = None
            agent.index = row
            agents.append(agent)
        registry = model.agents_by_type
        if cls not in registry:
            registry[cls] = _HardKeyAgentSet([], random=model.random)
        added = dict.fromkeys(agents)
        for agent_set in (model.agents, registry[cls]):
            _members(agent_set).update(added)
        return agents

    @staticmethod
    def remove_all(model: Any, agents: Iterable[mesa.Agent]) -> None:
        """Deregister the agents (of any Agent class), as `agent.remove()` for each would."""
        agents = list(agents)
        kinds = {type(agent) for agent in agents}
        if _observed(model, ModelSignals.AGENT_REMOVED) or any(kind._datasets for kind in kinds):
            for agent in agents:
                agent.remove()
            return
        everyone = _members(model.agents)
        of_kind = {kind: _members(model.agents_by_type[kind]) for kind in kinds}
        for agent in agents:
            of_kind[type(agent)].pop(agent, None)
            everyone.pop(agent, None)

    @staticmethod
    def remove_every(model: Any, kinds: tuple[type[RowAgent], ...]) -> None:
        """Deregister every agent of these classes, as `remove_all` would, in one pass."""
        if _observed(model, ModelSignals.AGENT_REMOVED) or any(kind._datasets for kind in kinds):
            RowAgent.remove_all(model, [a for kind in kinds for a in model.agents_by_type.get(kind, ())])
            return
        everyone = _members(model.agents)
        # The others, in the registry's order (creation order, that of their unique ids),
        # found without a pass over the many row agents.
        by_type = model.agents_by_type
        others = (agent for kind, of_kind in by_type.items() if kind not in kinds for agent in of_kind)
        kept = dict.fromkeys(sorted(others, key=attrgetter("unique_id")))
        everyone.clear()
        everyone.update(kept)
        for kind in kinds:
            if kind in model.agents_by_type:
                _members(model.agents_by_type[kind]).clear()

    @classmethod
    def release(cls, agents: list[Any]) -> None:
        """Keep the agents of a run that is over for the next run's `create_rows` in this
        process, which then allocates no new objects (they would set off the garbage
        collector, a tenth of a run). The agents must not be used again; at most
        `MAX_RELEASED` are kept."""
        for agent in agents:
            agent.model = None
        with cls._released_guard:
            cls._released += agents[: max(0, MAX_RELEASED - len(cls._released))]
