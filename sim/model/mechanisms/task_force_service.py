"""Phase 2: the 24 task forces split their capacity between leads and firms' requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.firm_rows import annual_revenue as row_annual_revenue

if TYPE_CHECKING:
    from sim.model.mechanisms.environment import Leads
    from sim.model.model import IndustryModel


def evaluate_task_forces(model: IndustryModel) -> None:
    """Yearly show-and-compete: rank clusters by last year's output growth, set effort."""
    growth = model.cluster_output_growth
    ranks = (_average_ranks(growth) - 1) / max(1, len(growth) - 1)  # ties share a rank
    for task_force in model.task_forces:
        task_force.set_effort(float(ranks[task_force.cluster]))


@numba.njit(cache=True, error_model="numpy")
def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given the mean of the ranks they span, as scipy's `rankdata` gives them
    (all NaN if a value is NaN; checked in tests/model/test_units.py) at a fraction of its cost
    on 13 values: the values below plus half of those equal, itself included, plus 1/2."""
    n = len(values)
    ranks = np.full(n, np.nan)
    for i in range(n):
        if np.isnan(values[i]):
            return ranks
    for i in range(n):
        below = at_or_below = 0
        for j in range(n):
            below += values[j] < values[i]
            at_or_below += values[j] <= values[i]
        ranks[i] = 0.5 * (at_or_below + below + 1)
    return ranks


def allocate_task_forces(model: IndustryModel, leads: Leads) -> None:
    """Each task force takes its cluster's leads first, then firms' open requests by size.

    Marks the leads supported (for their conversion) and the firms served; the requests
    are closed.
    """
    firms = model.firms
    requests = _take_requests(
        firms.alive,
        firms.needs_land,
        firms.needs_finance,
        firms.needs_talent,
        firms.revenue_4q,
        firms.cluster,
        firms.served,
    )
    in_order = [task_force for group in model.task_forces_by_cluster for task_force in group]
    took_leads, took_requests = _serve_queues(
        np.array([task_force.cluster for task_force in in_order], np.int64),
        np.array([task_force.capacity for task_force in in_order], np.int64),
        model.clusters.n,
        leads.cluster,
        requests,
        firms.cluster,
        leads.supported,
        firms.served,
    )
    for task_force, lead_count, request_count in zip(
        in_order, took_leads.tolist(), took_requests.tolist(), strict=True
    ):
        task_force.leads_supported = lead_count
        task_force.requests_served = request_count
    model.cluster_effort = _mean_by_cluster(
        np.array([task_force.cluster for task_force in model.task_forces], np.int64),
        np.array([task_force.effort for task_force in model.task_forces]),
        model.clusters.n,
    )


@numba.njit(cache=True, error_model="numpy")
def _take_requests(
    alive: np.ndarray,
    needs_land: np.ndarray,
    needs_finance: np.ndarray,
    needs_talent: np.ndarray,
    revenue_4q: np.ndarray,
    cluster: np.ndarray,
    served: np.ndarray,
) -> np.ndarray:
    """The rows of live firms asking for land, finance or talent, as the queues of every
    cluster at once: by cluster, largest firm first (revenue over the last four quarters,
    summed as `FirmArrays.annual_revenue` sums it), ties by row, the order of
    `np.lexsort((-annual_revenue, cluster))`. Every request is closed and nobody is
    served yet."""
    asking = np.empty(len(alive), np.int64)
    count = 0
    for i in range(len(alive)):
        if alive[i] and (needs_land[i] or needs_finance[i] or needs_talent[i]):
            asking[count] = i
            count += 1
        needs_land[i] = needs_finance[i] = needs_talent[i] = False
        served[i] = False
    minus_revenue = np.empty(count)
    for k in range(count):
        minus_revenue[k] = -row_annual_revenue(revenue_4q, asking[k])
    by_size = asking[np.argsort(minus_revenue, kind="mergesort")]  # stable sorts, as lexsort's
    return by_size[np.argsort(cluster[by_size], kind="mergesort")]


@numba.njit(cache=True, error_model="numpy")
def _serve_queues(
    task_force_cluster: np.ndarray,
    capacity: np.ndarray,
    n_clusters: int,
    lead_cluster: np.ndarray,
    requests: np.ndarray,
    firm_cluster: np.ndarray,
    supported: np.ndarray,
    served: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Task forces in turn take the next leads of their cluster (in the order drawn), up to
    their capacity, then with what capacity is left its next requests (in queue order).

    Returns how many leads and requests each task force took.
    """
    lead_queue = np.argsort(lead_cluster, kind="mergesort")
    lead_next = np.zeros(n_clusters + 1, np.int64)
    request_next = np.zeros(n_clusters + 1, np.int64)
    for lead in range(len(lead_cluster)):
        lead_next[lead_cluster[lead] + 1] += 1
    for row in requests:
        request_next[firm_cluster[row] + 1] += 1
    for c in range(n_clusters):
        lead_next[c + 1] += lead_next[c]
        request_next[c + 1] += request_next[c]
    lead_end = lead_next[1:].copy()
    request_end = request_next[1:].copy()
    took_leads = np.zeros(len(capacity), np.int64)
    took_requests = np.zeros(len(capacity), np.int64)
    for j in range(len(capacity)):
        c = task_force_cluster[j]
        took_leads[j] = min(capacity[j], lead_end[c] - lead_next[c])
        for k in range(lead_next[c], lead_next[c] + took_leads[j]):
            supported[lead_queue[k]] = True
        lead_next[c] += took_leads[j]
        took_requests[j] = min(max(0, capacity[j] - took_leads[j]), request_end[c] - request_next[c])
        for k in range(request_next[c], request_next[c] + took_requests[j]):
            served[requests[k]] = True
        request_next[c] += took_requests[j]
    return took_leads, took_requests


@numba.njit(cache=True, error_model="numpy")
def _mean_by_cluster(cluster: np.ndarray, values: np.ndarray, n_clusters: int) -> np.ndarray:
    """Mean of the values of each cluster (0 where it has none)."""
    count = np.zeros(n_clusters, np.int64)
    total = np.zeros(n_clusters)
    for k in range(len(cluster)):
        count[cluster[k]] += 1
        total[cluster[k]] += values[k]
    mean = np.zeros(n_clusters)
    for c in range(n_clusters):
        if count[c] > 0:
            mean[c] = total[c] / count[c]
    return mean
