"""This quarter's project requests: what firms want to build, upgrade or retrofit, and cost."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np


@dataclass
class Projects:
    """Per-firm requests for the current quarter (one row per firm row). Money in 亿元.

    Firms fill them in phase 4; banks and land cut them in phase 5 before they start.
    """

    capacity_add: np.ndarray
    capacity_cost: np.ndarray
    land_need_mu: np.ndarray
    digital: np.ndarray
    digital_cost: np.ndarray
    retrofit: np.ndarray
    retrofit_cost: np.ndarray
    subsidy: np.ndarray  # the district's share of the upgrade and retrofit costs
    rescue: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Projects:
        zeros = np.zeros(n)
        flags = np.zeros(n, bool)
        return cls(
            capacity_add=zeros.copy(),
            capacity_cost=zeros.copy(),
            land_need_mu=zeros.copy(),
            digital=flags.copy(),
            digital_cost=zeros.copy(),
            retrofit=flags.copy(),
            retrofit_cost=zeros.copy(),
            subsidy=zeros.copy(),
            rescue=zeros.copy(),
        )

    @property
    def droppable(self) -> tuple[np.ndarray, ...]:
        """The columns `drop_projects` clears, in its order, for the compiled loops that drop
        firms' projects."""
        return (
            self.capacity_add,
            self.capacity_cost,
            self.land_need_mu,
            self.digital_cost,
            self.retrofit_cost,
            self.subsidy,
            self.digital,
            self.retrofit,
        )


@numba.njit(cache=True, error_model="numpy", inline="always")
def drop_projects(i: int, droppable: tuple[np.ndarray, ...]) -> None:
    """Cancel every project of firm row i (`droppable`: `Projects.droppable`)."""
    capacity_add, capacity_cost, land_need_mu, digital_cost, retrofit_cost, subsidy, digital, retrofit = (
        droppable
    )
    capacity_add[i] = capacity_cost[i] = land_need_mu[i] = 0.0
    digital_cost[i] = retrofit_cost[i] = subsidy[i] = 0.0
    digital[i] = retrofit[i] = False
