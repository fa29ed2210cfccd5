"""Phase 6b: commerce and circulation. New market channels bring demand to the clusters using them.

The e-commerce demonstration base and the market-procurement trade pilot each aim at a
yearly level of channel sales: support x sales per 亿元 of support, and the pilot's scale
x the export potential of the channel-selling clusters' base output. Sales grow toward
that level over the ramp years; only the additional part is new demand (the rest moves
from other channels). Clusters receive it in proportion to their channel share and demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.firms import Stage
from sim.model.mechanisms.cluster_totals import add_cluster_demand

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def channel_target_yi(model: IndustryModel) -> float:
    """Yearly channel sales the commerce levers aim at once fully running, nominal 亿元."""
    levers = model.params.levers.commerce
    settings = model.params.commerce
    online = levers.ecommerce_support_yi_per_year * settings.sales_per_support
    exports = levers.procurement_trade_scale * settings.export_potential * model.constants.channel_base_yi
    return online + exports


def open_channels(model: IndustryModel) -> None:
    """Channel sales step toward their target; the additional part becomes cluster demand."""
    settings = model.params.commerce
    target = channel_target_yi(model)
    step = min(target / (4 * settings.ramp_years), max(target - model.channel_sales_yi, 0.0))
    if step <= 0:
        return
    firms = model.firms
    demand = _operating_demand(
        firms.alive, firms.stage, int(Stage.OPERATING), firms.cluster, model.clusters.n, firms.demand
    )
    weights = model.clusters.channel_share * demand
    if weights.sum() <= 0:
        return
    new_demand = settings.additionality * step / 4 / model.price_index  # real, per quarter
    placed = add_cluster_demand(model, new_demand * weights / weights.sum())
    model.channel_sales_yi += step * placed / new_demand


@numba.njit(cache=True, error_model="numpy")
def _operating_demand(
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    cluster: np.ndarray,
    n_clusters: int,
    demand: np.ndarray,
) -> np.ndarray:
    """Operating firms' demand by cluster."""
    total = np.zeros(n_clusters)
    for i in range(len(alive)):
        if alive[i] and stage[i] == operating:
            total[cluster[i]] += demand[i]
    return total
