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
    return _cluster_sum(model.firms.cluster, model.clusters.n, mask, values)


@numba.njit(cache=True)
def _cluster_sum(cluster: np.ndarray, n_clusters: int, mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each cluster's masked values added in row order, as `np.bincount` adds its weights
    (leaving out the unmasked rows adds nothing: a total that starts at 0.0 is never -0.0,
    so adding 0.0 would not change it)."""
    totals = np.zeros(n_clusters)
    for i in range(len(cluster)):
        if mask[i]:
            totals[cluster[i]] += values[i]
    return totals


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
