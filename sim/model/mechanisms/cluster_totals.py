"""Demand placed in a cluster, shared among its firms in proportion to their demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum
from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def add_cluster_demand(model: IndustryModel, added: np.ndarray) -> float:
    """Give each cluster `added` real demand, shared among its operating firms by their demand.

    Returns the demand actually placed (a cluster with no operating firm gets none).
    """
    firms = model.firms
    clusters = model.clusters.n
    return _add_to_operating(
        firms.cluster, clusters, firms.alive, firms.stage, int(Stage.OPERATING), added, firms.demand
    )


@numba.njit(cache=True, error_model="numpy")
def _add_to_operating(
    cluster: np.ndarray,
    n_clusters: int,
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    added: np.ndarray,
    demand: np.ndarray,
) -> float:
    """`_share_out` to the operating firms; returns the demand placed (summed in numpy's order)."""
    receivers = np.empty(len(cluster), np.bool_)
    for i in range(len(cluster)):
        receivers[i] = alive[i] and stage[i] == operating
    held = _share_out(cluster, n_clusters, receivers, added, demand)
    placed = np.empty(n_clusters)
    for c in range(n_clusters):
        placed[c] = added[c] if held[c] > 0 else 0.0
    return array_sum(placed, n_clusters)


def share_out_demand(model: IndustryModel, receivers: np.ndarray, added: np.ndarray) -> np.ndarray:
    """Give each cluster `added` real demand, shared among its `receivers` by their demand.

    Returns the demand each cluster's receivers held before (where they held none, the
    cluster's demand is not placed).
    """
    return _share_out(model.firms.cluster, model.clusters.n, receivers, added, model.firms.demand)


@numba.njit(cache=True, error_model="numpy")
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
