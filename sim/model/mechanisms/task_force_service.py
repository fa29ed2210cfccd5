"""Phase 2: the 24 task forces split their capacity between leads and firms' requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import rankdata

if TYPE_CHECKING:
    from sim.model.mechanisms.environment import Leads
    from sim.model.model import IndustryModel


def evaluate_task_forces(model: IndustryModel) -> None:
    """Yearly show-and-compete: rank clusters by last year's output growth, set effort."""
    growth = model.cluster_output_growth
    ranks = (rankdata(growth) - 1) / max(1, len(growth) - 1)  # ties share a rank
    for task_force in model.task_forces:
        task_force.set_effort(float(ranks[task_force.cluster]))


def allocate_task_forces(model: IndustryModel, leads: Leads) -> None:
    """Each task force takes its cluster's leads first, then firms' open requests by size.

    Marks the leads supported (for their conversion) and the firms served.
    """
    firms = model.firms
    firms.served[:] = False
    asking = np.flatnonzero(firms.alive & (firms.needs_land | firms.needs_finance | firms.needs_talent))
    # Queues of every cluster at once: requests by cluster, largest firm first (ties by row).
    requests = asking[np.lexsort((-firms.annual_revenue[asking], firms.cluster[asking]))]
    lead_order = np.argsort(leads.cluster, kind="stable")
    clusters = np.arange(model.clusters.n + 1)
    request_bounds = np.searchsorted(firms.cluster[requests], clusters)
    lead_bounds = np.searchsorted(leads.cluster[lead_order], clusters)
    for cluster in range(model.clusters.n):
        lead_queue = lead_order[lead_bounds[cluster] : lead_bounds[cluster + 1]]
        request_queue = requests[request_bounds[cluster] : request_bounds[cluster + 1]]
        for task_force in model.task_forces_by_cluster[cluster]:
            took_leads, took_requests = task_force.serve(lead_queue, request_queue)
            leads.supported[took_leads] = True
            firms.served[took_requests] = True
            lead_queue = lead_queue[len(took_leads) :]
            request_queue = request_queue[len(took_requests) :]
    model.cluster_effort = _mean_effort_by_cluster(model)
    firms.needs_land[:] = False
    firms.needs_finance[:] = False
    firms.needs_talent[:] = False


def _mean_effort_by_cluster(model: IndustryModel) -> np.ndarray:
    """Average effort of each cluster's task forces (0 where it has none)."""
    cluster = np.array([tf.cluster for tf in model.task_forces], dtype=np.int64)
    effort = np.array([tf.effort for tf in model.task_forces])
    count = np.bincount(cluster, minlength=model.clusters.n)
    total = np.bincount(cluster, weights=effort, minlength=model.clusters.n)
    return np.divide(total, count, out=np.zeros(model.clusters.n), where=count > 0)
