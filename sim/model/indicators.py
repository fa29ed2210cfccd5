"""What the model reports each quarter: district totals and a row per cluster.

Flows (output, value added, entries, ...) are per quarter; stocks (firms, credit, land)
are end-of-quarter. Money in nominal 亿元.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.model.firms import Stage
from sim.model.fiscal import total_cost_yi
from sim.model.parcels import ParcelStatus
from sim.model.quarter import COUNTS, MONEY_FLOWS

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

FLOWS = (
    "output_yi",
    "above_scale_output_yi",
    "value_added_yi",
    "entries",
    "task_force_leads",
    "task_force_requests",
    *COUNTS,
    *MONEY_FLOWS,
    "fiscal_cost_yi",
)
STOCKS = (
    "firms",
    "above_scale_firms",
    "projects_building",
    "tech_enterprises",
    "employment",
    "skilled_share",
    "skilled_pool",
    "credit_yi",
    "bank_capacity_yi",
    "land_in_use_mu",
    "land_vacant_mu",
    "land_idle_mu",
    "land_total_mu",
    "output_per_mu_wan",
    "energy_intensity",
    "tier0_share",
    "tier1_share",
    "tier2_share",
    "tier3_share",
    "price_index",
    "local_input_share",
    "channel_sales_yi",
    "quality_index",
)
INDICATORS = ("year", "quarter", *FLOWS, *STOCKS)
CLUSTER_COLUMNS = (
    "year",
    "quarter",
    "cluster",
    "output_yi",
    "value_added_yi",
    "firms",
    "above_scale_firms",
    "employment",
    "tech_enterprises",
    "capacity_yi",
    "energy_intensity",
)


def quarter_indicators(model: IndustryModel) -> dict[str, Any]:
    """District totals at the end of the current quarter."""
    firms, parcels = model.firms, model.parcels
    alive = firms.alive
    producing = firms.producing
    output = float(firms.revenue.sum())  # flows include firms that exit at the quarter's end
    in_use = parcels.area_by_status(ParcelStatus.OCCUPIED)
    weights = firms.output[producing]
    weight_total = weights.sum()

    def output_weighted(values: np.ndarray) -> float:
        # np.average's own steps (weighted terms summed, over the weights' sum), without its checks.
        if weight_total <= 0:
            return 0.0
        return float(np.multiply(values[producing], weights).sum() / weight_total)

    tally = model.scratch.tally.totals()
    workers = float(firms.workers[alive].sum())
    tiers = np.bincount(firms.tier[producing], minlength=4)
    firm_count = int(np.count_nonzero(producing))
    values: dict[str, Any] = {
        "year": model.year,
        "quarter": model.quarter,
        "output_yi": output,
        "above_scale_output_yi": float(firms.revenue[firms.above_scale].sum()),
        "value_added_yi": float(firms.value_added.sum()),
        "entries": tally["projects_signed"] + tally["births"],
        "task_force_leads": sum(tf.leads_supported for tf in model.task_forces),
        "task_force_requests": sum(tf.requests_served for tf in model.task_forces),
        "firms": firm_count,
        "above_scale_firms": int(np.count_nonzero(alive & firms.above_scale)),
        "projects_building": int(np.count_nonzero(alive & (firms.stage == Stage.BUILDING))),
        "tech_enterprises": int(np.count_nonzero(alive & firms.tech)),
        "employment": workers,
        "skilled_share": float(firms.skilled[alive].sum() / workers) if workers else 0.0,
        "skilled_pool": float(model.skilled_pool),
        "credit_yi": float(firms.debt[alive].sum()),
        "bank_capacity_yi": float(sum(bank.capacity_yi for bank in model.banks)),
        "land_in_use_mu": in_use,
        "land_vacant_mu": parcels.area_by_status(ParcelStatus.VACANT),
        "land_idle_mu": parcels.area_by_status(ParcelStatus.IDLE),
        "land_total_mu": parcels.total_area,
        "output_per_mu_wan": output * 4 * 1e4 / in_use if in_use else 0.0,
        "energy_intensity": output_weighted(firms.energy_intensity),
        "price_index": float(model.price_index),
        "local_input_share": float(model.local_input_share),
        "channel_sales_yi": float(model.channel_sales_yi),
        "quality_index": output_weighted(firms.quality),
        "fiscal_cost_yi": total_cost_yi(model.scratch.tally),
    }
    for tier in range(4):
        values[f"tier{tier}_share"] = float(tiers[tier] / firm_count) if firm_count else 0.0
    for name in (*COUNTS, *MONEY_FLOWS):
        values[name] = tally[name]
    return values


def cluster_columns(model: IndustryModel) -> dict[str, list[Any]]:
    """This quarter's rows of the cluster table, one per cluster, as columns."""
    firms = model.firms
    alive = firms.alive
    n = model.clusters.n

    # Zeros for the rows left out rather than the rows picked out (as `cluster_sum` does):
    # the same sums to the bit, at half the cost.
    def total(values: np.ndarray) -> np.ndarray:
        """Sum over live firms."""
        return np.bincount(firms.cluster, weights=np.where(alive, values, 0.0), minlength=n)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(firms.cluster, weights=mask, minlength=n)

    def flow(values: np.ndarray) -> np.ndarray:
        """Sum over every firm: flows include firms that exit at the quarter's end."""
        return np.bincount(firms.cluster, weights=values, minlength=n)

    energy = total(firms.energy_intensity * firms.output) / np.maximum(total(firms.output), 1e-12)
    columns = {
        "output_yi": flow(firms.revenue),
        "value_added_yi": flow(firms.value_added),
        "firms": count(firms.producing),
        "above_scale_firms": count(alive & firms.above_scale),
        "employment": total(firms.workers),
        "tech_enterprises": count(alive & firms.tech),
        "capacity_yi": total(firms.capacity) * model.price_index,
        "energy_intensity": energy,
    }
    return {
        "year": [model.year] * n,
        "quarter": [model.quarter] * n,
        "cluster": list(model.clusters.keys),
        **{name: np.asarray(values, float).tolist() for name, values in columns.items()},
    }


class IndicatorCollector(mesa.DataCollector):
    """Mesa's DataCollector of the quarter's indicators (`model.indicators`) and cluster table.

    It stores what Mesa's `collect` and `add_table_row` would, without their per-value
    deepcopy and per-row checks: every value is a Python number or string, which a copy
    would return unchanged, and `cluster_columns` fills every column of the table.
    """

    def __init__(self) -> None:
        super().__init__(
            model_reporters={name: partial(_read, name=name) for name in INDICATORS},
            tables={"clusters": list(CLUSTER_COLUMNS)},
        )

    def collect(self, model: Any) -> None:
        self._collection_steps.append(model.time)
        for name, values in self.model_vars.items():
            values.append(model.indicators[name])

    def add_cluster_columns(self, columns: dict[str, list[Any]]) -> None:
        for name, values in self.tables["clusters"].items():
            values.extend(columns[name])


def _read(model: IndustryModel, name: str) -> Any:
    return model.indicators[name]
