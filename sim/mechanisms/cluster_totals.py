"""Sums of firm columns by cluster, the aggregation most phases need."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import IndustryModel


def cluster_sum(model: IndustryModel, mask: np.ndarray, values: np.ndarray | float = 1.0) -> np.ndarray:
    """Total of `values` over the masked firms of each cluster (float, one entry per cluster)."""
    firms = model.firms
    weights = np.broadcast_to(np.asarray(values, float), (firms.n,))[mask]
    return np.bincount(firms.cluster[mask], weights=weights, minlength=model.clusters.n).astype(float)
