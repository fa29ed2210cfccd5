"""Mesa agents: the identity and inspection layer over the model's arrays."""

from sim.model.agents.bank import Bank
from sim.model.agents.enterprise import Enterprise
from sim.model.agents.land_parcel import LandParcel
from sim.model.agents.task_force import TaskForce

__all__ = ["Bank", "Enterprise", "LandParcel", "TaskForce"]
