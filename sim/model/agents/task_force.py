"""TaskForce (专班): one of the 24 cluster task forces serving firms and chasing leads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


class TaskForce(mesa.Agent):
    """Serves a limited number of leads and firm requests in its cluster each quarter: leads
    first (attraction is the core job), then firms' requests, up to its capacity
    (sim/model/mechanisms/task_force_service.py serves every task force's queues at once)."""

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
        self.effort = min(max(self.model.params.task_forces.effort + push, 0.0), 1.0)  # NaN stays NaN
