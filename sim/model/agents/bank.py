"""Bank (银行): scores loan requests and lends within its capacity; books defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numba
import numpy as np

from sim.model.compiled import array_sum

if TYPE_CHECKING:
    from sim.inputs.parameters import Finance
    from sim.model.model import IndustryModel


def credit_growth(finance: Finance, years: float) -> float:
    """Annual growth of lending capacity `years` into the run: the first year's rate, its gap
    to the long-run rate halving every `capacity_growth_half_life_years`."""
    gap = finance.capacity_growth - finance.long_run_capacity_growth
    return finance.long_run_capacity_growth + gap * 0.5 ** (years / finance.capacity_growth_half_life_years)


class Bank(mesa.Agent):
    """A lender to the district's industry, with its own risk appetite and lending limit."""

    model: IndustryModel

    def __init__(
        self,
        model: IndustryModel,
        index: int,
        name: str,
        capacity_yi: float,
        score_threshold: float,
        spread: float,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.capacity_yi = capacity_yi
        self.score_threshold = score_threshold
        self.spread = spread
        self.losses_yi = 0.0

    @property
    def outstanding_yi(self) -> float:
        firms = self.model.firms
        return float(firms.debt[firms.alive & (firms.bank == self.index)].sum())

    def grow_capacity(self) -> None:
        """Deposits and capital grow along the credit path; losses already booked stay deducted."""
        params = self.model.params
        growth = (
            credit_growth(params.finance, self.model.steps / 4) + params.levers.finance.credit_growth_guidance
        )
        self.capacity_yi *= (1 + growth) ** 0.25

    def book_default(self, loss_yi: float) -> None:
        """A default's loss (after any risk-compensation share) reduces lending capacity."""
        self.losses_yi += loss_yi
        self.capacity_yi = max(0.0, self.capacity_yi - loss_yi)


def answer_requests(
    model: IndustryModel, asking: np.ndarray, scores: np.ndarray, amounts: np.ndarray, coverage: np.ndarray
) -> np.ndarray:
    """Every bank answers its own borrowers' requests (`asking`): which it approves.

    A bank approves requests whose score reaches its threshold, which pools that cover part
    of a default loss lower (`coverage`, the covered share of each borrower's loss), in
    score order (the lower row first among equals), each if it still fits the room its
    capacity leaves above the debt it holds.
    """
    firms = model.firms
    banks = model.banks
    return _approve(
        asking,
        firms.bank,
        scores,
        amounts,
        coverage,
        firms.alive,
        firms.debt,
        np.array([bank.capacity_yi for bank in banks]),
        np.array([bank.score_threshold for bank in banks]),
        model.params.finance.risk_sensitivity,
    )


@numba.njit(cache=True, error_model="numpy")
def _approve(
    asking: np.ndarray,
    bank: np.ndarray,
    scores: np.ndarray,
    amounts: np.ndarray,
    coverage: np.ndarray,
    alive: np.ndarray,
    debt: np.ndarray,
    capacity: np.ndarray,
    threshold: np.ndarray,
    risk_sensitivity: float,
) -> np.ndarray:
    """One pass over the firms collects each bank's held debt and eligible requests; one
    stable sort by score then serves every bank (restricted to one bank's rows, it is the
    order a sort of that bank's rows alone would give)."""
    n = len(asking)
    n_banks = len(capacity)
    held = np.empty((n_banks, n))
    holders = np.zeros(n_banks, np.int64)
    eligible = np.empty(n, np.int64)
    chosen = 0
    for i in range(n):
        b = bank[i]
        if alive[i]:
            held[b, holders[b]] = debt[i]
            holders[b] += 1
        if asking[i] and scores[i] >= threshold[b] - risk_sensitivity * coverage[i]:
            eligible[chosen] = i
            chosen += 1
    room = np.empty(n_banks)
    for b in range(n_banks):
        # The debt it holds, summed as `outstanding_yi` sums it.
        left = capacity[b] - array_sum(held[b], holders[b])
        room[b] = left if left > 0.0 else 0.0
    approved = np.zeros(n, np.bool_)
    rows = eligible[:chosen]
    # A stable sort: the lower row first among equal scores.
    for k in rows[np.argsort(-scores[rows], kind="mergesort")]:
        if amounts[k] <= room[bank[k]]:
            approved[k] = True
            room[bank[k]] -= amounts[k]
    return approved
