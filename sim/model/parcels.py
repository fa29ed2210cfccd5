"""Industrial land parcels as numpy arrays: status, area and occupant.

Land is conserved: parcels are only split (never created from nothing) except when the
land plan supplies new area, which `supplied_mu` records. The arrays grow by doubling
their storage, so splitting a parcel does not copy every column each time.
"""

from __future__ import annotations

from enum import IntEnum

import numba
import numpy as np

from sim.model.compiled import array_sum
from sim.model.land_allocation import serve_requests

NO_OCCUPANT = -1
SPLIT_ABOVE = 1.2  # a vacant parcel more than this multiple of the need is split, not given whole


class ParcelStatus(IntEnum):
    VACANT = 0  # serviced, ready to allocate
    OCCUPIED = 1  # held by a live firm (building or producing)
    IDLE = 2  # left by an exited firm, not yet reclaimed
    PREPARING = 3  # newly supplied, being serviced


_NO_ROWS = np.zeros(0, np.int64)  # no occupants named: the requests are numbered newcomers
_COLUMNS = {"area": np.float64, "status": np.int8, "occupant": np.int64, "timer": np.int16}


@numba.njit(cache=True, error_model="numpy")
def _areas_by_status(area: np.ndarray, status: np.ndarray, statuses: int) -> np.ndarray:
    picked = np.empty((statuses, len(area)))
    counts = np.zeros(statuses, np.int64)
    for i in range(len(area)):
        picked[status[i], counts[status[i]]] = area[i]
        counts[status[i]] += 1
    totals = np.empty(statuses)
    for s in range(statuses):
        totals[s] = array_sum(picked[s], counts[s])
    return totals


@numba.njit(cache=True, error_model="numpy")
def _release(occupant: np.ndarray, status: np.ndarray, firms: np.ndarray, occupied: int, idle: int) -> None:
    """Occupied parcels of the given firms become idle, with no occupant."""
    if len(firms) == 0 or len(occupant) == 0:
        return
    # A lookup table of the leaving firms: one pass over the parcels.
    leaving = np.zeros(max(occupant.max(), firms.max()) + 1, np.bool_)
    for firm in firms:
        leaving[firm] = True
    for p in range(len(occupant)):
        if status[p] == occupied and occupant[p] >= 0 and leaving[occupant[p]]:
            status[p] = idle
            occupant[p] = NO_OCCUPANT


@numba.njit(cache=True, error_model="numpy")
def _surrender(
    area: np.ndarray,
    status: np.ndarray,
    occupant: np.ndarray,
    firms: np.ndarray,
    areas: np.ndarray,
    occupied: int,
    vacant: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each firm (distinct) gives back up to its area from its largest occupied parcel (the
    lowest-numbered among equals), which turns vacant if the area covers it and is split
    otherwise. Returns the area each gave back and the areas split off, in order (for the
    caller to append, vacant)."""
    given = np.zeros(len(firms))
    split_area = np.empty(len(firms))
    if len(firms) == 0 or len(occupant) == 0:
        return given, split_area[:0]
    # Each firm's place in `firms`, and its largest parcel: one pass over the parcels.
    position = np.full(max(occupant.max(), firms.max()) + 1, -1, np.int64)
    for k in range(len(firms)):
        position[firms[k]] = k
    largest = np.full(len(firms), -1, np.int64)
    for p in range(len(occupant)):
        if status[p] == occupied and occupant[p] >= 0 and position[occupant[p]] >= 0:
            k = position[occupant[p]]
            if largest[k] < 0 or area[p] > area[largest[k]]:
                largest[k] = p
    splits = 0
    for k in range(len(firms)):
        p = largest[k]
        if p < 0 or areas[k] <= 0:
            continue
        if areas[k] >= area[p]:
            status[p] = vacant
            occupant[p] = NO_OCCUPANT
            given[k] = area[p]
        else:
            area[p] -= areas[k]
            split_area[splits] = areas[k]
            splits += 1
            given[k] = areas[k]
    return given, split_area[:splits]


class ParcelArrays:
    """Columns `area`, `status`, `occupant`, `timer` (views of length `n`) and `supplied_mu`.

    The columns are views into storage that `add` and `allocate_many` (which appends the
    parcels it splits off) may replace: take them afresh after either rather than keeping
    one across it.
    """

    def __init__(self) -> None:
        self.n = 0
        self.supplied_mu = 0.0
        self._storage = {name: np.zeros(64, dtype) for name, dtype in _COLUMNS.items()}

    @property
    def area(self) -> np.ndarray:
        """Area in mu."""
        return self._storage["area"][: self.n]

    @property
    def status(self) -> np.ndarray:
        """A ParcelStatus per parcel."""
        return self._storage["status"][: self.n]

    @property
    def occupant(self) -> np.ndarray:
        """Firm row holding the parcel, or NO_OCCUPANT."""
        return self._storage["occupant"][: self.n]

    @property
    def timer(self) -> np.ndarray:
        """Quarters of preparation left."""
        return self._storage["timer"][: self.n]

    def add(
        self, area: np.ndarray, status: ParcelStatus, occupant: np.ndarray | int = NO_OCCUPANT, timer: int = 0
    ) -> np.ndarray:
        """Append parcels; returns their indices."""
        count = len(area)
        start, end = self.n, self.n + count
        self._make_room(end)
        self._storage["area"][start:end] = area
        self._storage["status"][start:end] = status
        self._storage["occupant"][start:end] = occupant
        self._storage["timer"][start:end] = timer
        self.n = end
        return np.arange(start, end)

    def _make_room(self, end: int) -> None:
        """Storage for at least `end` parcels (doubled when it grows)."""
        if end > len(self._storage["area"]):
            size = max(end, 2 * len(self._storage["area"]))
            for name, column in self._storage.items():
                grown = np.zeros(size, column.dtype)
                grown[: self.n] = column[: self.n]
                self._storage[name] = grown

    def area_by_status(self, status: ParcelStatus) -> float:
        return float(self.area[self.status == status].sum())

    def areas_by_status(self) -> np.ndarray:
        """The area in each status (indexed by ParcelStatus), each summed as `area_by_status` sums it."""
        return _areas_by_status(self.area, self.status, len(ParcelStatus))

    @property
    def total_area(self) -> float:
        return float(self.area.sum())

    def allocate_many(
        self, occupants: np.ndarray | int, needs: np.ndarray, min_share: float = 0.0
    ) -> np.ndarray:
        """Serve land requests in order, each from the vacant land the earlier ones left.

        Each request gets the smallest vacant parcel that covers it (the lowest-numbered
        among equals), split off if much larger; when none is large enough, the largest
        one, whole. A request that would get less than `min_share` of its need gets
        nothing and the parcel stays vacant. `occupants` names each request's firm, or is
        the first row of newcomers who are numbered in the order they succeed. A parcel
        split off is appended as a new, occupied parcel.
        Returns the area granted to each request (0 when refused or nothing is vacant).
        """
        needs = np.asarray(needs, float)
        self._make_room(self.n + len(needs))  # the kernel appends a parcel per split
        storage = self._storage
        granted, self.n = serve_requests(
            needs,
            _NO_ROWS if isinstance(occupants, int) else np.asarray(occupants, np.int64),
            occupants if isinstance(occupants, int) else 0,
            float(min_share),
            SPLIT_ABOVE,
            storage["area"],
            storage["status"],
            storage["occupant"],
            storage["timer"],
            self.n,
            int(ParcelStatus.VACANT),
            int(ParcelStatus.OCCUPIED),
        )
        return granted

    def release(self, firms: np.ndarray) -> None:
        """Parcels of exited firms become idle until reclaimed."""
        _release(
            self.occupant,
            self.status,
            np.asarray(firms, np.int64),
            int(ParcelStatus.OCCUPIED),
            int(ParcelStatus.IDLE),
        )

    def surrender(self, firm: int, area_mu: float) -> float:
        """A firm gives back up to `area_mu` from its largest parcel, which is split if larger.

        Returns the area given back (vacant at once).
        """
        return float(self.surrender_many(np.array([firm]), np.array([area_mu]))[0])

    def surrender_many(self, firms: np.ndarray, areas_mu: np.ndarray) -> np.ndarray:
        """`surrender` for each of these (distinct) firms in turn; returns the areas given back.

        The parcels split off are appended in the firms' order, as one surrender at a time
        appends them."""
        given, split_area = _surrender(
            self.area,
            self.status,
            self.occupant,
            np.asarray(firms, np.int64),
            np.asarray(areas_mu, float),
            int(ParcelStatus.OCCUPIED),
            int(ParcelStatus.VACANT),
        )
        if len(split_area):
            self.add(split_area, ParcelStatus.VACANT)
        return given

    def vacate(self, firm: int) -> None:
        """Return a firm's parcels to the vacant pool (a project that fell through)."""
        held = (self.occupant == firm) & (self.status == ParcelStatus.OCCUPIED)
        self.status[held] = ParcelStatus.VACANT
        self.occupant[held] = NO_OCCUPANT
