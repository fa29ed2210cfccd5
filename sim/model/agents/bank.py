"""Bank (银行): scores loan requests and lends within its capacity; books defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

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

    def effective_threshold(self, coverage: np.ndarray) -> np.ndarray:
        """Pools that cover part of a default loss lower the score a bank asks for."""
        return self.score_threshold - self.model.params.finance.risk_sensitivity * coverage

    def approve(self, scores: np.ndarray, amounts: np.ndarray, coverage: np.ndarray) -> np.ndarray:
        """Approve requests above the threshold in score order, each if it still fits the room.

        `coverage` is the share of each borrower's default loss that a district pool covers.
        """
        approved = np.zeros(len(scores), bool)
        room = max(0.0, self.capacity_yi - self.outstanding_yi)
        eligible = np.flatnonzero(scores >= self.effective_threshold(coverage))
        order = eligible[np.argsort(-scores[eligible], kind="stable")]
        for k, amount in zip(order.tolist(), amounts[order].tolist(), strict=True):  # Python floats: faster
            if amount <= room:
                approved[k] = True
                room -= amount
        return approved

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
