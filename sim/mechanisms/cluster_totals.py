"""Sums of firm columns by cluster, the aggregation most phases need."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.firms import Stage

if TYPE_CHECKING:
    from sim.model import IndustryModel


def cluster_sum(model: IndustryModel, mask: np.ndarray, values: np.ndarray | float = 1.0) -> np.ndarray:
    """Total of `values` over the masked firms of each cluster (float, one entry per cluster)."""
    firms = model.firms
    weights = np.broadcast_to(np.asarray(values, float), (firms.n,))[mask]
    return np.bincount(firms.cluster[mask], weights=weights, minlength=model.clusters.n).astype(float)


def add_cluster_demand(model: IndustryModel, added: np.ndarray) -> float:
    """Give each cluster `added` real demand, shared among its operating firms by their demand.

    Returns the demand actually placed (a cluster with no operating firm gets none).
    """
    firms = model.firms
    operating = firms.alive & (firms.stage == Stage.OPERATING)
    held = cluster_sum(model, operating, firms.demand)
    placed = np.where(held > 0, added, 0.0)
    factor = 1 + np.divide(placed, held, out=np.zeros_like(held), where=held > 0)
    firms.demand[operating] *= factor[firms.cluster[operating]]
    return float(placed.sum())
