"""Phase 4e: quality and brand spending builds quality capital, a price premium customers pay.

Each firm's quality capital is measured against the steady state that status-quo spending
keeps (1): it wears out at `depreciation` a quarter and is rebuilt by spending, so a subsidy
that raises spending by x% raises it toward 1 + x% over time. The premium customers pay for
it is `sales_elasticity / trade_elasticity` in log price per log unit of capital, so in the
long run a firm's sales rise by `sales_elasticity` per log unit of spending (the unit a
planner can check against marketing studies); it enters competitiveness
(sim/model/mechanisms/production.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def spending_response(model: IndustryModel) -> float:
    """Firms' quality spending relative to the status quo's, raised by the subsidy through its net price."""
    net_price = 1 - model.params.levers.quality.quality_subsidy_rate
    return net_price ** (-model.params.quality.subsidy_elasticity)


def quality_spend_share(model: IndustryModel) -> float:
    """Quality and brand spending over revenue."""
    return model.params.quality.spend_share * spending_response(model)


def quality_premium_elasticity(model: IndustryModel) -> float:
    """Quality premium in log price per log unit of quality capital: sales / trade elasticity."""
    params = model.params
    return params.quality.sales_elasticity / params.market.trade_elasticity


def build_quality(model: IndustryModel) -> None:
    """Producing firms' quality capital wears out and is rebuilt by this quarter's spending."""
    wear = model.params.quality.depreciation
    firms = model.firms
    _rebuild(firms.alive, firms.stage, int(Stage.BUILDING), wear, spending_response(model), firms.quality)


@numba.njit(cache=True, error_model="numpy")
def _rebuild(
    alive: np.ndarray, stage: np.ndarray, building: int, wear: float, spending: float, quality: np.ndarray
) -> None:
    """Only producing firms (live, not building) have sales, so only they spend."""
    for i in range(len(alive)):
        if alive[i] and stage[i] != building:
            quality[i] = (1 - wear) * quality[i] + wear * spending
