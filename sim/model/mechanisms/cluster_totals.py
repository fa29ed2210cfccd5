"""Sums of firm columns by cluster, the aggregation most phases need."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def cluster_sum(model: IndustryModel, mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Total of a firm column over the masked firms of each cluster (one entry per cluster)."""
    # Zeros in place of the unmasked rows rather than the masked rows picked out: half the
    # cost, and the same sums to the bit (each cluster's terms added in row order, x + 0.0 == x).
    return np.bincount(model.firms.cluster, weights=np.where(mask, values, 0.0), minlength=model.clusters.n)


def add_cluster_demand(model: IndustryModel, added: np.ndarray) -> float:
    """Give each cluster `added` real demand, shared among its operating firms by their demand.

    Returns the demand actually placed (a cluster with no operating firm gets none).
    """
    firms = model.firms
    held = share_out_demand(model, firms.alive & (firms.stage == Stage.OPERATING), added)
    return float(np.where(held > 0, added, 0.0).sum())


def share_out_demand(model: IndustryModel, receivers: np.ndarray, added: np.ndarray) -> np.ndarray:
    """Give each cluster `added` real demand, shared among its `receivers` by their demand.

    Returns the demand each cluster's receivers held before (where they held none, the
    cluster's demand is not placed).
    """
    return _share_out(model.firms.cluster, model.clusters.n, receivers, added, model.firms.demand)


@numba.njit(cache=True)
def _share_out(
    cluster: np.ndarray, n_clusters: int, receivers: np.ndarray, added: np.ndarray, demand: np.ndarray
) -> np.ndarray:
    held = np.zeros(n_clusters)
    for i in range(len(cluster)):
        if receivers[i]:
            held[cluster[i]] += demand[i]
    factor = np.ones(n_clusters)
    for c in range(n_clusters):
        if held[c] > 0:
            factor[c] = 1 + added[c] / held[c]
    for i in range(len(cluster)):
        if receivers[i]:
            demand[i] *= factor[cluster[i]]
    return held
