"""Land requests served one after another from the vacant parcels, as a compiled loop.

The rule is `ParcelArrays.allocate_many`'s (which calls this): each request gets the
smallest vacant parcel that covers it (the lowest-numbered among equals), split off if
much larger; when none is large enough, the largest one (the lowest-numbered among the
largest), whole, unless that is less than `min_share` of the need. Each request sees what
the earlier ones left, so the loop is sequential; in Python it cost ~2 microseconds a
request (bisect and insort on a list of tuples), a twentieth of a run. Compiled with
numba (cached on disk, so a worker loads it instead of compiling it); only comparisons
and one subtraction per split, so the decisions and areas are the ones the Python loop
made, to the bit.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, error_model="numpy")
def _first_at_or_above(areas: np.ndarray, parcels: np.ndarray, count: int, area: float, parcel: int) -> int:
    """First position whose (area, parcel) is not below (area, parcel) in the sorted free list."""
    low, high = 0, count
    while low < high:
        middle = (low + high) // 2
        if areas[middle] < area or (areas[middle] == area and parcels[middle] < parcel):
            low = middle + 1
        else:
            high = middle
    return low


@numba.njit(cache=True, error_model="numpy")
def parcels_in(parcel_status: np.ndarray, status: int) -> np.ndarray:
    """The numbers of the parcels of this status, in order (`np.flatnonzero(parcel_status ==
    status)` without its mask)."""
    parcels = np.empty(len(parcel_status), np.int64)
    count = 0
    for p in range(len(parcel_status)):
        if parcel_status[p] == status:
            parcels[count] = p
            count += 1
    return parcels[:count]


@numba.njit(cache=True, error_model="numpy")
def _free_list(
    parcel_area: np.ndarray, parcel_status: np.ndarray, vacant: int
) -> tuple[np.ndarray, np.ndarray]:
    """The vacant parcels' areas and numbers, sorted by area, then number (a stable sort of
    the parcels in number order)."""
    parcels = parcels_in(parcel_status, vacant)
    areas = parcel_area[parcels]
    order = np.argsort(areas, kind="mergesort")
    return areas[order], parcels[order]


@numba.njit(cache=True, error_model="numpy")
def serve_requests(
    needs: np.ndarray,
    occupants: np.ndarray,
    next_row: int,
    min_share: float,
    split_above: float,
    parcel_area: np.ndarray,
    parcel_status: np.ndarray,
    parcel_occupant: np.ndarray,
    parcel_timer: np.ndarray,
    parcels: int,
    vacant: int,
    occupied: int,
) -> tuple[np.ndarray, int]:
    """Serve `needs` in order from the parcels of status `vacant` (a free list sorted by
    area, then number, kept in order as requests take from it), writing what it decides
    into the parcel arrays.

    The parcel arrays are storage whose first `parcels` rows are the parcels, with room
    for one more per request. `occupants` names each request's firm; if it is empty, the
    firms are newcomers numbered from `next_row` in the order they succeed. A parcel given
    whole gets status `occupied` and its occupant; a split one keeps the area left, and the
    area split off is appended, `occupied` by the request's firm (timer 0), as the
    requests split them. Returns the area granted to each request, and the parcels' count.
    """
    free_areas, free_parcels = _free_list(parcel_area[:parcels], parcel_status[:parcels], vacant)
    count = len(free_areas)
    requests = len(needs)
    granted = np.zeros(requests)
    numbered = len(occupants) == 0
    for k in range(requests):
        need = needs[k]
        if count == 0 or need <= 0:
            continue
        occupant = next_row if numbered else occupants[k]
        pos = _first_at_or_above(free_areas, free_parcels, count, need, -1)
        if pos < count and free_areas[pos] > split_above * need:
            area, parcel = free_areas[pos], free_parcels[pos]
            left = area - need
            # Move the parcel down the sorted list to its place with its smaller area.
            to = _first_at_or_above(free_areas, free_parcels, pos, left, parcel)
            for j in range(pos, to, -1):  # moved in place, from the end (no copy made)
                free_areas[j], free_parcels[j] = free_areas[j - 1], free_parcels[j - 1]
            free_areas[to], free_parcels[to] = left, parcel
            parcel_area[parcel] = left
            parcel_area[parcels], parcel_status[parcels] = need, occupied
            parcel_occupant[parcels], parcel_timer[parcels] = occupant, 0
            parcels += 1
            granted[k] = need
        else:
            if pos == count:  # nothing covers the need: the largest parcel
                pos = _first_at_or_above(free_areas, free_parcels, count, free_areas[count - 1], -1)
            area, parcel = free_areas[pos], free_parcels[pos]
            if area < min_share * need:
                continue
            for j in range(pos, count - 1):  # the parcel leaves the list
                free_areas[j], free_parcels[j] = free_areas[j + 1], free_parcels[j + 1]
            count -= 1
            parcel_status[parcel] = occupied
            parcel_occupant[parcel] = occupant
            granted[k] = area
        next_row += 1
    return granted, parcels
