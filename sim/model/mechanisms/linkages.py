"""Phase 6a: four-chain integration. Supplier matchmaking switches purchases to local firms.

Each matchmaking round (产业链供需对接) raises the share of inputs district firms buy from
district suppliers, up to a ceiling (specialised inputs still come from outside). The
purchases switched become demand for the district's clusters: import substitution. The
local share also scales the agglomeration spillover in production (sim/model/mechanisms/
production.py). The switched purchases go to the clusters that make inputs, in proportion
to their output of them (output x input-supply share, an assumption in the base-year
file); the share rises only by what district suppliers could take on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum
from sim.model.mechanisms.cluster_totals import add_cluster_demand

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def match_suppliers(model: IndustryModel) -> None:
    """This quarter's rounds raise the local input share; switched purchases become demand."""
    market = model.params.market
    rounds = model.params.levers.four_chain.matchmaking_rounds_per_year / 4
    room = max(market.local_share_ceiling - model.local_input_share, 0.0)
    gain = min(rounds * market.local_share_gain_per_round, room)
    if gain <= 0:
        return
    firms = model.firms
    materials, output = _materials_and_output(
        firms.producing,
        firms.cluster,
        model.clusters.n,
        firms.output,
        model.clusters.materials_share,
        firms.productivity,
    )
    switched = gain * materials
    supply = output * model.clusters.input_supply_share
    if switched <= 0 or supply.sum() <= 0:
        return
    placed = add_cluster_demand(model, switched * supply / supply.sum())
    model.local_input_share += gain * placed / switched
    model.scratch.tally.add("local_sourcing_yi", placed * 4 * model.price_index)


@numba.njit(cache=True, error_model="numpy")
def _materials_and_output(
    producing: np.ndarray,
    cluster: np.ndarray,
    n_clusters: int,
    output: np.ndarray,
    materials_share: np.ndarray,
    productivity: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Producing firms' materials bought (summed as numpy sums them) and output by cluster."""
    materials = np.empty(len(producing))
    by_cluster = np.zeros(n_clusters)
    count = 0
    for i in range(len(producing)):
        if producing[i]:
            materials[count] = output[i] * materials_share[cluster[i]] / productivity[i]
            count += 1
            by_cluster[cluster[i]] += output[i]
    return array_sum(materials, count), by_cluster
