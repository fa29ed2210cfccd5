"""Industrial land parcels as numpy arrays: status, area and occupant.

Land is conserved: parcels are only split (never created from nothing) except when the
land plan supplies new area, which `supplied_mu` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

NO_OCCUPANT = -1


class ParcelStatus(IntEnum):
    VACANT = 0  # serviced, ready to allocate
    OCCUPIED = 1  # held by a live firm (building or producing)
    IDLE = 2  # left by an exited firm, not yet reclaimed
    PREPARING = 3  # newly supplied, being serviced


@dataclass
class ParcelArrays:
    area: np.ndarray = field(default_factory=lambda: np.zeros(0))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    occupant: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    timer: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    supplied_mu: float = 0.0

    @property
    def n(self) -> int:
        return len(self.area)

    def add(
        self, area: np.ndarray, status: ParcelStatus, occupant: np.ndarray | int = NO_OCCUPANT, timer: int = 0
    ) -> np.ndarray:
        """Append parcels; returns their indices."""
        count = len(area)
        start = self.n
        self.area = np.concatenate([self.area, np.asarray(area, float)])
        self.status = np.concatenate([self.status, np.full(count, status, np.int8)])
        occupants = np.broadcast_to(np.asarray(occupant, np.int64), (count,))
        self.occupant = np.concatenate([self.occupant, occupants])
        self.timer = np.concatenate([self.timer, np.full(count, timer, np.int16)])
        return np.arange(start, start + count)

    def area_by_status(self, status: ParcelStatus) -> float:
        return float(self.area[self.status == status].sum())

    @property
    def total_area(self) -> float:
        return float(self.area.sum())

    def allocate(self, firm: int, need_mu: float) -> float:
        """Give `firm` vacant land covering `need_mu`: best-fit parcel, split if much larger.

        Returns the area granted (0 when no vacant land is left; less than asked when
        only smaller parcels remain).
        """
        vacant = np.flatnonzero(self.status == ParcelStatus.VACANT)
        if len(vacant) == 0 or need_mu <= 0:
            return 0.0
        areas = self.area[vacant]
        fitting = vacant[areas >= need_mu]
        if len(fitting):
            chosen = fitting[np.argmin(self.area[fitting])]
            if self.area[chosen] > 1.2 * need_mu:
                self.area[chosen] -= need_mu
                self.add(np.array([need_mu]), ParcelStatus.OCCUPIED, firm)
                return need_mu
            self._occupy(chosen, firm)
            return float(self.area[chosen])
        largest = vacant[np.argmax(areas)]
        self._occupy(largest, firm)
        return float(self.area[largest])

    def _occupy(self, parcel: int, firm: int) -> None:
        self.status[parcel] = ParcelStatus.OCCUPIED
        self.occupant[parcel] = firm

    def release(self, firms: np.ndarray) -> None:
        """Parcels of exited firms become idle until reclaimed."""
        held = np.isin(self.occupant, firms) & (self.status == ParcelStatus.OCCUPIED)
        self.status[held] = ParcelStatus.IDLE
        self.occupant[held] = NO_OCCUPANT

    def surrender(self, firm: int, area_mu: float) -> float:
        """A firm gives back up to `area_mu` from its largest parcel, which is split if larger.

        Returns the area given back (vacant at once).
        """
        held = np.flatnonzero((self.occupant == firm) & (self.status == ParcelStatus.OCCUPIED))
        if len(held) == 0 or area_mu <= 0:
            return 0.0
        largest = held[np.argmax(self.area[held])]
        if area_mu >= self.area[largest]:
            self.status[largest] = ParcelStatus.VACANT
            self.occupant[largest] = NO_OCCUPANT
            return float(self.area[largest])
        self.area[largest] -= area_mu
        self.add(np.array([area_mu]), ParcelStatus.VACANT)
        return float(area_mu)

    def vacate(self, firm: int) -> None:
        """Return a firm's parcels to the vacant pool (a project that fell through)."""
        held = (self.occupant == firm) & (self.status == ParcelStatus.OCCUPIED)
        self.status[held] = ParcelStatus.VACANT
        self.occupant[held] = NO_OCCUPANT
