"""The moments the calibration matches, and the loss it minimises: named in one place.

Each moment is a reported figure of sim/data/history.toml (indicator and years) that a
parameter of the model moves. Its data uncertainty `data_sd` says how precisely the
figure is known; the loss adds the model's own run-to-run spread, since the reported
history is one realisation of a stochastic process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.credibility.history import History


@dataclass(frozen=True)
class Moment:
    """A reported figure the calibration matches."""

    name: str
    indicator: str
    years: str
    data_sd: float
    why: str


MOMENTS = (
    Moment(
        "mean_value_added_growth_2021_2024",
        "mean_value_added_growth",
        "2021-2024",
        0.01,
        "rounded 2021-25 average (新华网 2025-12-25), compared over 2021-24",
    ),
    Moment(
        "value_added_growth_2023",
        "value_added_growth",
        "2023",
        0.005,
        "rounded to a whole percent (2024 work report)",
    ),
    Moment(
        "above_scale_output_growth_2024",
        "above_scale_output_growth",
        "2024",
        0.01,
        "one decimal, but above-scale lists and prices are revised between years",
    ),
    Moment(
        "tech_enterprises_2022",
        "tech_enterprises",
        "2022",
        70.0,
        "district-wide count scaled by an assumed industrial share of 2/3 (about +-10%)",
    ),
    Moment(
        "tech_enterprises_2024",
        "tech_enterprises",
        "2024",
        120.0,
        "as for 2022; 'early 2025' read as the end of 2024",
    ),
)
LOSS_NAME = "weighted squared error: sum over moments of ((simulated mean - reported) / sd)^2"


def data_moments(history: History, moments: tuple[Moment, ...] = MOMENTS) -> np.ndarray:
    """The reported value of each moment."""
    values = []
    for moment in moments:
        matches = [
            o for o in history.observations if o.indicator == moment.indicator and o.label == moment.years
        ]
        if not matches:
            raise KeyError(f"moment {moment.name}: no reported {moment.indicator} for {moment.years}")
        values.append(history.reported(matches[0]))
    return np.array(values)


def simulated_moments(simulated: pd.DataFrame, moments: tuple[Moment, ...] = MOMENTS) -> np.ndarray:
    """Moments per replication (rows: seeds, columns: moments) from hindcast.simulate output."""
    table = simulated.pivot_table(index="seed", columns=["indicator", "years"], values="value")
    return np.column_stack([table[(m.indicator, m.years)].to_numpy() for m in moments])


def moment_sd(per_seed: np.ndarray, moments: tuple[Moment, ...] = MOMENTS) -> np.ndarray:
    """Total s.d. of each moment's gap: data uncertainty plus one run's spread and the mean's.

    The factor (1 + 1/R) is the usual method-of-simulated-moments correction for
    estimating the model's mean from R replications.
    """
    replications = per_seed.shape[0]
    run_variance = per_seed.var(axis=0, ddof=1) if replications > 1 else np.zeros(per_seed.shape[1])
    data_variance = np.array([m.data_sd for m in moments]) ** 2
    return np.sqrt(data_variance + run_variance * (1 + 1 / replications))


def residuals(simulated_mean: np.ndarray, reported: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """Standardised gaps between the model's mean moments and the reported ones."""
    return (simulated_mean - reported) / sd


def loss(gaps: np.ndarray) -> float:
    """The weighted squared error (see LOSS_NAME) of standardised gaps."""
    return float(np.sum(gaps**2))
