"""dazu-sim: an agent-based model of Dazu District's industry under the "2+10" plan."""

__version__ = "0.1.0"
