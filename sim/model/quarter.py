"""One quarter's scratch: its random streams and its tally, made fresh at the start of each quarter.

What one phase hands the next (leads, project requests, the banks' answers) is not kept
here: phases return it and `IndustryModel.step` passes it on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from sim.model.fiscal import FISCAL_FLOWS
from sim.model.stream_seeds import StreamSeeds

# One random stream per mechanism and quarter, so a lever that changes one mechanism's
# draws, or the number of firms, leaves every other draw unchanged: firm row i gets the
# same numbers in paired scenarios (common random numbers).
STREAMS = (
    "world",
    "demand",
    "productivity",
    "leads",
    "births",
    "digital",
    "innovation",
    "green",
    "finance",
    "land_supply",
    "reclaim",
    "exit",
    "investment",
    "frontier",
)

# What the phases count this quarter (events, and quantities in workers or mu).
COUNTS = (
    "leads",
    "leads_screened_out",
    "projects_signed",
    "births",
    "exits",
    "distress_exits",
    "defaults",
    "new_above_scale",
    "loan_requests",
    "loans_approved",
    "loans_refused",
    "projects_short_of_equity",
    "expansions",
    "digital_upgrades",
    "innovations",
    "certifications",
    "retrofits",
    "land_refusals",
    "land_supplied_mu",
    "land_reclaimed_mu",
    "land_resold_mu",
    "land_surrendered_mu",
    "skilled_hired",
    "trained",
    "talent_added",
)
# The money that flows this quarter, nominal 亿元.
MONEY_FLOWS = (
    "investment_yi",
    "new_loans_yi",
    "default_losses_yi",
    "unpaid_trade_credit_yi",
    "local_sourcing_yi",
    "signed_output_yi",
    *FISCAL_FLOWS,
)


_STREAM_KEYS = {name: k for k, name in enumerate(STREAMS)}


class QuarterStreams(Mapping[str, np.random.Generator]):
    """Quarter `step`'s generators, keyed by (mechanism, quarter) under the run's seed.

    Each is made when a phase first asks for it (a quarter that skips a mechanism, and
    every quarter after the world build, make fewer of them), the same generator
    `np.random.default_rng(SeedSequence(entropy, spawn_key=(k, step)))` would make, from
    the run's table of seeds (`seeds`).
    """

    def __init__(self, seeds: StreamSeeds, step: int) -> None:
        self._seeds, self._step = seeds, step
        self._made: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        made = self._made.get(name)
        if made is None:
            seed = self._seeds.seed(_STREAM_KEYS[name], self._step)
            made = self._made[name] = np.random.Generator(np.random.PCG64(seed))
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(STREAMS)

    def __len__(self) -> int:
        return len(STREAMS)


def quarter_streams(entropy: int, step: int) -> QuarterStreams:
    """Fresh generators for quarter `step` of the run seeded with `entropy`, one per mechanism."""
    return QuarterStreams(StreamSeeds(entropy, len(STREAMS)), step)


class Tally:
    """This quarter's counts and money flows, under the declared names only.

    A misspelt name is refused rather than starting a total that no indicator reads.
    """

    def __init__(self) -> None:
        # Counts start as integers, so counts of events stay integers in the indicators.
        self._totals: dict[str, float] = {**dict.fromkeys(COUNTS, 0), **dict.fromkeys(MONEY_FLOWS, 0.0)}

    def add(self, name: str, amount: float) -> None:
        totals = self._totals
        if name not in totals:  # `_check` only for a name it refuses: adding is frequent
            self._check(name)
        totals[name] += amount

    def __getitem__(self, name: str) -> float:
        self._check(name)
        return self._totals[name]

    def totals(self) -> dict[str, float]:
        """Every count and money flow, by name (a copy)."""
        return dict(self._totals)

    def _check(self, name: str) -> None:
        if name not in self._totals:
            raise KeyError(f"{name!r} is not a declared count or money flow (sim/model/quarter.py)")


@dataclass(frozen=True)
class QuarterScratch:
    """What lives for one quarter only; `IndustryModel.scratch` holds the current one."""

    streams: QuarterStreams
    tally: Tally

    @classmethod
    def begin(cls, seeds: StreamSeeds, step: int) -> QuarterScratch:
        return cls(streams=QuarterStreams(seeds, step), tally=Tally())
