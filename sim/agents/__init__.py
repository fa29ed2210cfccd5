"""Mesa agents: the identity and inspection layer over the model's arrays."""

from sim.agents.bank import Bank
from sim.agents.enterprise import Enterprise
from sim.agents.land_parcel import LandParcel
from sim.agents.task_force import TaskForce

__all__ = ["Bank", "Enterprise", "LandParcel", "TaskForce"]
