"""The base-year constants the quarter reads: fixed when the world is built, never updated."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class BaseYearConstants:
    """Figures of the base year (and of the world built from it) that stay fixed for the run."""

    above_scale_threshold: float  # annual revenue that puts a firm on the above-scale list (规上), 亿元
    policy_rate: float  # the rate banks lend at before spreads and premiums
    skilled_wage_premium: float  # extra wage of a skilled worker, share of the wage
    base_skilled_share: float  # skilled share of employment, the yardstick of certification
    vacant_parcel_mu: float  # median size of a newly supplied parcel
    small_median_yi: float  # median annual revenue of small firms, the size of newborn ones
    small_firm_dispersion: float  # log-s.d. of small firms' sizes
    small_firm_shares: np.ndarray  # share of small firms in each cluster, where newborn ones go
    lead_weights: np.ndarray  # each cluster's share of output: where leads arise, which clusters get brains
    channel_base_yi: float  # yearly output of the channel-selling clusters, the trade pilot's base
    base_cluster_means: np.ndarray  # (3, clusters) means newcomers take in a cluster with no firm left
    productivity_dispersion: float  # log-s.d. of productivity within a cluster, kept stationary
    productivity_shock_sd: float  # s.d. of quarterly log-productivity shocks that keeps it so

    def __post_init__(self) -> None:
        """Frozen stops rebinding; read-only arrays stop edits in place as well."""
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
