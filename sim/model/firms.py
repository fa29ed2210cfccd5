"""Firm state as a struct of numpy arrays, so each phase of the quarter is vectorized.

Row i is the firm whose Enterprise agent has `index == i`. Rows are never reused: an
exited firm keeps its row (alive = False) so histories stay addressable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import IntEnum

import numba
import numpy as np
from numpy.typing import ArrayLike

from sim.model.compiled import array_sum


class Stage(IntEnum):
    """Life stage of a firm (a project that signed is a firm in BUILDING)."""

    BUILDING = 0
    RAMPING = 1
    OPERATING = 2
    EXITED = 3


_FLOAT = np.float64


@dataclass
class FirmArrays:
    """Columns of firm state. Money in 亿元; capacity, demand and output in real 亿元 per quarter."""

    n: int = 0
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    stage: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    # Index-sized: it indexes per-cluster tables in most phases, twice as fast as int16.
    cluster: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))
    above_scale: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    tech: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    ever_certified: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # awards only once
    tier: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    bank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    stage_timer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    pending_timer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    entry_step: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    planned_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    pending_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    capital: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    productivity: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    quality: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    competitiveness: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    workers: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    skilled: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    output_per_worker: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    energy_intensity: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    demand: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    expected_demand: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    # Orders taken but not yet delivered (nobody in the cluster had the capacity), real 亿元.
    backlog: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    output: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    revenue: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    value_added: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    profit: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    margin: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    revenue_4q: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), _FLOAT))
    cash: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    debt: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    loan_rate: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    # Interest rate points on the firm's debt paid by the district (interest subsidy).
    interest_support: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    # Share of a default loss on the firm's debt that district pools cover (as lent).
    pool_coverage: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    land_mu: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    density: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    # Share of the firm's energy use above what the intensity quota allows (0 under it), and
    # the share of its capacity the mandate cuts this quarter (that, up to the largest cut).
    energy_excess: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    curtailment: np.ndarray = field(default_factory=lambda: np.zeros(0, _FLOAT))
    needs_land: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    needs_finance: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    needs_talent: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # Wants the next digital tier but lacks its skills: recruits for that tier meanwhile.
    preparing_upgrade: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    served: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # Per column, storage with room for more rows, whose first n rows the column is while no
    # phase has replaced it with a new array: an append then copies nothing.
    _storage: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name not in ("n", "_storage")]

    def add(self, count: int, **columns: ArrayLike) -> np.ndarray:
        """Append `count` firms; unspecified columns start at zero, scalars fill every new row.

        Returns their row indices.
        """
        unknown = columns.keys() - _COLUMN_SET
        if unknown:
            raise KeyError(f"unknown firm columns {sorted(unknown)}")
        n = self.n
        end = n + count
        storage = self._storage
        state = vars(self)  # the columns, read and set without getattr's and setattr's detour
        for name in _COLUMN_NAMES:
            current = state[name]
            room = storage.get(name)
            if room is None or len(room) < end or current.base is not room or len(current) != n:
                # A replaced column (or one out of room) moves to new storage, an eighth larger,
                # zero beyond its rows (no phase writes there): a new row starts at zero.
                room = np.zeros((end + max(64, end // 8), *current.shape[1:]), current.dtype)
                room[:n] = current
                storage[name] = room
            state[name] = room[:end]
        for name, values in columns.items():
            storage[name][n:end] = values
        self.n = end
        return np.arange(n, end)

    def leavers_demand(self, rows: np.ndarray, clusters: int) -> tuple[np.ndarray, np.ndarray]:
        """The demand of these (leaving) rows by cluster, summed as `np.bincount` sums it,
        and the producing firms other than them: one pass for what an exit hands on."""
        return _leavers_demand(
            rows, clusters, self.cluster, self.demand, self.alive, self.stage, int(Stage.BUILDING)
        )

    def close(self, rows: np.ndarray) -> float:
        """Mark these rows exited (not alive) with no workers, demand, output, capacity,
        debt, cash or land, in one compiled pass; returns their skilled workers' sum (as
        numpy sums `skilled[rows]`)."""
        return _close(
            rows,
            int(Stage.EXITED),
            self.alive,
            self.stage,
            self.skilled,
            self.workers,
            self.demand,
            self.expected_demand,
            self.backlog,
            self.output,
            self.capacity,
            self.pending_capacity,
            self.debt,
            self.cash,
            self.land_mu,
        )

    @property
    def producing(self) -> np.ndarray:
        """Firms that can produce this quarter (ramping or operating)."""
        return self.alive & (self.stage != Stage.BUILDING)

    @property
    def annual_revenue(self) -> np.ndarray:
        """Revenue over the last four quarters (nominal 亿元).

        Summed column by column, in the order `sum(axis=1)` would use, which is much slower
        on a four-wide array.
        """
        quarters = self.revenue_4q
        return ((quarters[:, 0] + quarters[:, 1]) + quarters[:, 2]) + quarters[:, 3]


_COLUMN_NAMES = tuple(FirmArrays.column_names())
_COLUMN_SET = frozenset(_COLUMN_NAMES)


@numba.njit(cache=True, error_model="numpy")
def _leavers_demand(
    rows: np.ndarray,
    clusters: int,
    cluster: np.ndarray,
    demand: np.ndarray,
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
) -> tuple[np.ndarray, np.ndarray]:
    left = np.zeros(clusters)
    for row in rows:
        left[cluster[row]] += demand[row]
    staying = np.empty(len(alive), np.bool_)
    for i in range(len(alive)):
        staying[i] = alive[i] and stage[i] != building
    for row in rows:
        staying[row] = False
    return left, staying


@numba.njit(cache=True, error_model="numpy")
def _close(
    rows: np.ndarray,
    exited: int,
    alive: np.ndarray,
    stage: np.ndarray,
    skilled: np.ndarray,
    workers: np.ndarray,
    demand: np.ndarray,
    expected_demand: np.ndarray,
    backlog: np.ndarray,
    output: np.ndarray,
    capacity: np.ndarray,
    pending_capacity: np.ndarray,
    debt: np.ndarray,
    cash: np.ndarray,
    land_mu: np.ndarray,
) -> float:
    leaving_skilled = np.empty(len(rows))
    for k in range(len(rows)):
        leaving_skilled[k] = skilled[rows[k]]
    for row in rows:
        alive[row] = False
        stage[row] = exited
        skilled[row] = workers[row] = demand[row] = expected_demand[row] = backlog[row] = 0.0
        output[row] = capacity[row] = pending_capacity[row] = debt[row] = cash[row] = land_mu[row] = 0.0
    return array_sum(leaving_skilled, len(rows))
