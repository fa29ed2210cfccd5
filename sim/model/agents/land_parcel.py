"""LandParcel (地块): one parcel of industrial land, a view onto the model's parcel arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.model.agents.row_agent import RowAgent
from sim.model.parcels import NO_OCCUPANT, ParcelStatus

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


class LandParcel(RowAgent):
    """A parcel; area in mu, status and occupant live in `model.parcels` at row `index`."""

    model: IndustryModel

    @property
    def area_mu(self) -> float:
        return float(self.model.parcels.area[self.index])

    @property
    def status(self) -> ParcelStatus:
        return ParcelStatus(int(self.model.parcels.status[self.index]))

    @property
    def occupant_index(self) -> int | None:
        """Row of the occupying firm in `model.firms`, or None."""
        occupant = int(self.model.parcels.occupant[self.index])
        return None if occupant == NO_OCCUPANT else occupant

    @property
    def output_per_mu_wan(self) -> float:
        """亩均产值: the occupant's annual output per mu of its land, 万元 (0 if unoccupied)."""
        occupant = self.occupant_index
        if occupant is None:
            return 0.0
        firms = self.model.firms
        return float(firms.annual_revenue[occupant] * 1e4 / firms.land_mu[occupant])
