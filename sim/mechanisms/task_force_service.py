"""Phase 2: the 24 task forces split their capacity between leads and firms' requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import rankdata

if TYPE_CHECKING:
    from sim.model import IndustryModel


def evaluate_task_forces(model: IndustryModel) -> None:
    """Yearly show-and-compete: rank clusters by last year's output growth, set effort."""
    growth = model.cluster_output_growth
    ranks = (rankdata(growth) - 1) / max(1, len(growth) - 1)  # ties share a rank
    for task_force in model.task_forces:
        task_force.set_effort(float(ranks[task_force.cluster]))


def allocate_task_forces(model: IndustryModel) -> None:
    """Each task force takes its cluster's leads first, then firms' open requests by size."""
    firms = model.firms
    leads = model.leads
    firms.served[:] = False
    asking = firms.alive & (firms.needs_land | firms.needs_finance | firms.needs_talent)
    for cluster in range(model.clusters.n):
        lead_queue = np.flatnonzero(leads.cluster == cluster)
        request_queue = np.flatnonzero(asking & (firms.cluster == cluster))
        request_queue = request_queue[np.argsort(-firms.annual_revenue[request_queue], kind="stable")]
        for task_force in model.task_forces_by_cluster[cluster]:
            took_leads, took_requests = task_force.serve(lead_queue, request_queue)
            leads.supported[took_leads] = True
            firms.served[took_requests] = True
            lead_queue = lead_queue[len(took_leads) :]
            request_queue = request_queue[len(took_requests) :]
    model.cluster_effort = np.array(
        [np.mean([tf.effort for tf in group]) if group else 0.0 for group in model.task_forces_by_cluster]
    )
    firms.needs_land[:] = False
    firms.needs_finance[:] = False
    firms.needs_talent[:] = False
