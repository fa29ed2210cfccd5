"""Sums of firm columns by cluster, the aggregation most phases need."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    operating = firms.alive & (firms.stage == Stage.OPERATING)
    held = cluster_sum(model, operating, firms.demand)
    placed = np.where(held > 0, added, 0.0)
    factor = 1 + np.divide(placed, held, out=np.zeros_like(held), where=held > 0)
    firms.demand *= np.where(operating, factor[firms.cluster], 1.0)  # x 1.0 leaves the others as they are
    return float(placed.sum())
