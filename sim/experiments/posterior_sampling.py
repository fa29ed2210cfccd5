"""The calibrated posterior as one dimension of an experiment's design.

`python -m sim calibrate` fits the parameters 2021-24 informs and writes weighted
particles (sim/data/posterior.toml). Experiments must keep their correlation, so they
sample whole particles, not independent marginals; and designs (LHS, Sobol, Morris)
need independent dimensions in the unit cube. Both hold when the structural parameters
together are one design dimension u whose value picks a particle.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from sim.experiments.sampled_parameters import SampledParameter
from sim.inputs.errors import InputError
from sim.inputs.posterior_file import Posterior, load_posterior

POSTERIOR = "posterior"  # the design dimension's name (and its results column, param:posterior)


@dataclass(frozen=True)
class PosteriorDraw(SampledParameter):
    """A design dimension u in [0, 1] that picks a particle of the calibrated posterior.

    Particle k is picked when u falls in its share of the cumulative weights, so a uniform
    u draws the posterior exactly and a Latin hypercube stratifies it. Particles are
    ordered by the first structural parameter, so u reads as that parameter's posterior
    quantile (the others follow jointly): sensitivity and scenario discovery see one
    input, the structural parameters together.
    """

    paths: tuple[str, ...] = ()
    particles: tuple[tuple[float, ...], ...] = ()
    cumulative: tuple[float, ...] = ()

    def scenario_paths(self) -> tuple[str, ...]:
        return self.paths

    def assignments(self, sampled: float) -> dict[str, float | int]:
        index = min(bisect.bisect_right(self.cumulative, self.value(sampled)), len(self.particles) - 1)
        return dict(zip(self.paths, self.particles[index], strict=True))


def posterior_draw(posterior: Posterior, origin: str) -> PosteriorDraw:
    """The structural parameters' joint posterior as one design dimension."""
    paths = tuple(posterior.paths("structural"))
    if not paths:
        raise InputError(f"{origin}: the posterior has no structural parameter to sample")
    columns = [posterior.parameters[path].values for path in paths]
    order = sorted(range(len(posterior.weights)), key=lambda i: columns[0][i])
    total = sum(posterior.weights)
    cumulative, running = [], 0.0
    for i in order:
        running += posterior.weights[i] / total
        cumulative.append(running)
    note = (
        f"joint posterior of {', '.join(paths)} ({len(order)} particles, {Path(origin).name}); "
        f"u = the posterior quantile of {paths[0]}"
    )
    return PosteriorDraw(
        POSTERIOR,
        0.0,
        1.0,
        "uncertainty",
        note,
        paths=paths,
        particles=tuple(tuple(float(column[i]) for column in columns) for i in order),
        cumulative=tuple(cumulative),
    )


def posterior_uncertainties(
    ranged: set[str], standard_file: Path, posterior_file: Path
) -> list[SampledParameter]:
    """The posterior's draw for the standard uncertainties, whose own ranges are `ranged`.

    A period-specific parameter (a condition of 2021-24) needs its own forward range in
    the standard file; a structural one must not have one (the posterior samples it).
    """
    posterior = load_posterior(posterior_file)
    if posterior is None:
        raise InputError(
            f"{standard_file}: field 'posterior' samples {posterior_file}, which does not exist: "
            "run python -m sim calibrate"
        )
    for name in posterior.paths("structural"):
        if name in ranged:
            raise InputError(
                f"{standard_file}: parameter '{name}': the posterior ({posterior_file.name}) samples it; "
                "remove its range"
            )
    for name in posterior.paths("period"):
        if name not in ranged:
            raise InputError(
                f"{standard_file}: parameters: '{name}' is period-specific in {posterior_file.name} "
                "(fitted to 2021-24 only): give it a forward range here"
            )
    return [posterior_draw(posterior, str(posterior_file))]
