"""Sums of firm columns by cluster, the aggregation most phases need."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.firms import Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def cluster_sum(model: IndustryModel, mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Total of a firm column over the masked firms of each cluster (one entry per cluster)."""
    firms = model.firms
    sums = np.bincount(firms.cluster[mask], weights=values[mask], minlength=model.clusters.n)
    return sums.astype(float, copy=False)  # bincount of nothing is an integer array


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
