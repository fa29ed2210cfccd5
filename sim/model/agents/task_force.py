"""TaskForce (专班): one of the 24 cluster task forces serving firms and chasing leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


class TaskForce(mesa.Agent):
    """Serves a limited number of leads and firm requests in its cluster each quarter."""

    model: IndustryModel

    def __init__(self, model: IndustryModel, cluster: int, chain: int) -> None:
        super().__init__(model)
        self.cluster = cluster
        self.chain = chain
        self.effort = model.params.task_forces.effort
        self.leads_supported = 0
        self.requests_served = 0

    @property
    def capacity(self) -> int:
        """Cases handled this quarter: staff capacity scaled by effort (0.5x at none, 1.5x at full)."""
        return int(round(self.model.params.levers.task_forces.capacity_per_quarter * (0.5 + self.effort)))

    def set_effort(self, rank_from_bottom: float) -> None:
        """Show-and-compete evaluation: task forces ranking low are pushed to try harder."""
        intensity = self.model.params.levers.task_forces.evaluation_intensity
        push = intensity * (0.5 + 0.5 * (1 - rank_from_bottom))
        self.effort = float(np.clip(self.model.params.task_forces.effort + push, 0.0, 1.0))

    def serve(self, leads: np.ndarray, requests: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Take leads first (attraction is the core job), then firms' requests, up to capacity."""
        capacity = self.capacity
        took_leads = leads[:capacity]
        took_requests = requests[: max(0, capacity - len(took_leads))]
        self.leads_supported = len(took_leads)
        self.requests_served = len(took_requests)
        return took_leads, took_requests
