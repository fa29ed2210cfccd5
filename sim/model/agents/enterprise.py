"""Enterprise (企业): one industrial firm, a view onto its row of the model's firm arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.model.agents.row_agent import RowAgent
from sim.model.firms import FirmArrays, Stage

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


class Enterprise(RowAgent):
    """A firm. Its state lives in `model.firms` at row `index`; this object names it."""

    model: IndustryModel

    @property
    def cluster_key(self) -> str:
        return self.model.clusters.keys[self.model.firms.cluster[self.index]]

    @property
    def stage(self) -> Stage:
        return Stage(int(self.model.firms.stage[self.index]))

    @property
    def above_scale(self) -> bool:
        """规上: annual main-business revenue at or above the statistical threshold."""
        return bool(self.model.firms.above_scale[self.index])

    @property
    def annual_output_yi(self) -> float:
        """Revenue over the last four quarters, nominal 亿元."""
        return float(self.model.firms.annual_revenue[self.index])

    def snapshot(self) -> dict[str, Any]:
        """Every state column of this firm, for inspection and debugging."""
        firms = self.model.firms
        state: dict[str, Any] = {"unique_id": self.unique_id, "cluster": self.cluster_key}
        for name in FirmArrays.column_names():
            value = getattr(firms, name)[self.index]
            state[name] = value.tolist() if hasattr(value, "tolist") else value
        state["cluster"] = self.cluster_key
        return state
