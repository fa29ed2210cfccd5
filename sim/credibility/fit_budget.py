"""How long a posterior fit runs: the defaults took 12.4 CPU-minutes (docs/credibility.md)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.inputs.errors import InputError


@dataclass(frozen=True)
class Budget:
    """How long the fit runs: generations of `population` accepted particles.

    The fit stops after `generations`, or after the generation during which it passed
    `max_simulations` runs (pyabc checks between generations), or when a generation accepts
    fewer than `min_acceptance_rate` of its runs.
    """

    population: int = 200
    generations: int = 8
    max_simulations: int = 4000
    min_acceptance_rate: float = 0.02
    predictive_draws: int = 200

    def __post_init__(self) -> None:
        for name in ("population", "generations", "max_simulations", "predictive_draws"):
            if getattr(self, name) < 1:
                raise InputError(f"--{name.replace('_', '-')} {getattr(self, name)}: must be at least 1")
        if not 0 <= self.min_acceptance_rate < 1:
            raise InputError(f"--min-acceptance-rate {self.min_acceptance_rate}: must lie in [0, 1)")
