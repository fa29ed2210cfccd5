"""What the model reports each quarter: district totals and a row per cluster.

Flows (output, value added, entries, ...) are per quarter; stocks (firms, credit, land)
are end-of-quarter. Money in nominal 亿元.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import numba
import numpy as np

from sim.model.compiled import array_sum, maximum
from sim.model.firms import Stage
from sim.model.fiscal import FISCAL_TOTALS, budget_totals
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
    *FISCAL_TOTALS,
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
    "quality_premium_pct",
    "competitive_position_pct",
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


# The district totals `_firm_totals` returns, in its order.
_TOTALS = (
    "output",
    "above_scale_output",
    "value_added",
    "producing",
    "above_scale_firms",
    "building",
    "tech",
    "workers",
    "skilled",
    "debt",
    "weight",
    "weighted_energy",
    "weighted_quality",
    "tier0",
    "tier1",
    "tier2",
    "tier3",
)
_AT = {name: k for k, name in enumerate(_TOTALS)}


@numba.njit(cache=True, error_model="numpy")
def _firm_totals(
    alive: np.ndarray,
    stage: np.ndarray,
    above_scale: np.ndarray,
    tech: np.ndarray,
    tier: np.ndarray,
    revenue: np.ndarray,
    value_added: np.ndarray,
    workers: np.ndarray,
    skilled: np.ndarray,
    debt: np.ndarray,
    output: np.ndarray,
    energy_intensity: np.ndarray,
    quality: np.ndarray,
    building: int,
) -> np.ndarray:
    """The district totals of `_TOTALS`: each sum over the firms it names, added in numpy's
    order (`array_sum` of those firms' values in row order), as `values[mask].sum()` adds.
    The counts are kept in local variables, not arrays, so the loop keeps them in registers."""
    n = len(alive)
    above_revenue = np.empty(n)  # the values of the firms each sum is over, in row order
    live_workers = np.empty(n)
    live_skilled = np.empty(n)
    live_debt = np.empty(n)
    made = np.empty(n)
    energy = np.empty(n)
    valued = np.empty(n)
    n_above = n_alive = n_producing = 0
    above_firms = building_firms = tech_firms = 0
    tiers = np.zeros(4, np.int64)
    for i in range(n):
        if above_scale[i]:
            above_revenue[n_above] = revenue[i]
            n_above += 1
        if alive[i]:
            live_workers[n_alive] = workers[i]
            live_skilled[n_alive] = skilled[i]
            live_debt[n_alive] = debt[i]
            n_alive += 1
            above_firms += above_scale[i]
            building_firms += stage[i] == building
            tech_firms += tech[i]
            if stage[i] != building:  # producing
                made[n_producing] = output[i]
                energy[n_producing] = energy_intensity[i] * output[i]
                valued[n_producing] = quality[i] * output[i]
                n_producing += 1
                tiers[tier[i]] += 1
    return np.array(
        [
            array_sum(revenue, n),
            array_sum(above_revenue, n_above),
            array_sum(value_added, n),
            n_producing,
            above_firms,
            building_firms,
            tech_firms,
            array_sum(live_workers, n_alive),
            array_sum(live_skilled, n_alive),
            array_sum(live_debt, n_alive),
            array_sum(made, n_producing),
            array_sum(energy, n_producing),
            array_sum(valued, n_producing),
            tiers[0],
            tiers[1],
            tiers[2],
            tiers[3],
        ],
        np.float64,
    )


def competitive_position(model: IndustryModel) -> float:
    """Output-weighted mean change since the base year of the clusters' log price advantage over
    outside competitors (sim/model/mechanisms/production.py)."""
    last = model.cluster_output
    weights = np.asarray(last if last is not None else model.constants.lead_weights)
    total = float(weights.sum())
    return float(model.competitive_position @ weights) / total if total > 0 else 0.0


def quarter_indicators(model: IndustryModel) -> dict[str, Any]:
    """District totals at the end of the current quarter.

    Flows include firms that exit at the quarter's end; output-weighted means are over
    producing firms (np.average's steps: weighted terms summed, over the weights' sum).
    """
    firms, parcels = model.firms, model.parcels
    totals = dict(
        zip(
            _TOTALS,
            _firm_totals(
                firms.alive,
                firms.stage,
                firms.above_scale,
                firms.tech,
                firms.tier,
                firms.revenue,
                firms.value_added,
                firms.workers,
                firms.skilled,
                firms.debt,
                firms.output,
                firms.energy_intensity,
                firms.quality,
                int(Stage.BUILDING),
            ).tolist(),
            strict=True,
        )
    )
    output = totals["output"]
    land = parcels.areas_by_status().tolist()
    in_use = land[ParcelStatus.OCCUPIED]
    weight = totals["weight"]
    workers = totals["workers"]
    firm_count = int(totals["producing"])
    params = model.params
    quality = totals["weighted_quality"] / weight if weight > 0 else 0.0
    premium_per_log_capital = params.quality.sales_elasticity / params.market.trade_elasticity
    tally = model.scratch.tally.totals()  # every count and money flow, in their declared order
    values: dict[str, Any] = {
        "year": model.year,
        "quarter": model.quarter,
        "output_yi": output,
        "above_scale_output_yi": totals["above_scale_output"],
        "value_added_yi": totals["value_added"],
        "entries": tally["projects_signed"] + tally["births"],
        "task_force_leads": sum(tf.leads_supported for tf in model.task_forces),
        "task_force_requests": sum(tf.requests_served for tf in model.task_forces),
        "firms": firm_count,
        "above_scale_firms": int(totals["above_scale_firms"]),
        "projects_building": int(totals["building"]),
        "tech_enterprises": int(totals["tech"]),
        "employment": workers,
        "skilled_share": totals["skilled"] / workers if workers else 0.0,
        "skilled_pool": float(model.skilled_pool),
        "credit_yi": totals["debt"],
        "bank_capacity_yi": float(sum(bank.capacity_yi for bank in model.banks)),
        "land_in_use_mu": in_use,
        "land_vacant_mu": land[ParcelStatus.VACANT],
        "land_idle_mu": land[ParcelStatus.IDLE],
        "land_total_mu": parcels.total_area,
        "output_per_mu_wan": output * 4 * 1e4 / in_use if in_use else 0.0,
        "energy_intensity": totals["weighted_energy"] / weight if weight > 0 else 0.0,
        "price_index": float(model.price_index),
        "local_input_share": float(model.local_input_share),
        "channel_sales_yi": float(model.channel_sales_yi),
        "quality_index": quality,
        "quality_premium_pct": 100 * (quality**premium_per_log_capital - 1),
        "competitive_position_pct": 100 * competitive_position(model),
        **budget_totals(tally),
    }
    for tier in range(4):
        values[f"tier{tier}_share"] = totals[f"tier{tier}"] / firm_count if firm_count else 0.0
    values.update(tally)
    return values


@numba.njit(cache=True, error_model="numpy")
def _cluster_totals(
    cluster: np.ndarray,
    n_clusters: int,
    alive: np.ndarray,
    stage: np.ndarray,
    above_scale: np.ndarray,
    tech: np.ndarray,
    revenue: np.ndarray,
    value_added: np.ndarray,
    workers: np.ndarray,
    capacity: np.ndarray,
    energy_intensity: np.ndarray,
    output: np.ndarray,
    building: int,
    price_index: float,
) -> np.ndarray:
    """Per cluster (a column each), in row order as `np.bincount` adds: revenue and value added of every firm
    (flows include firms that exit at the quarter's end), producing, above-scale and tech
    firms, and live firms' workers and capacity (at today's prices); in the last row their
    output-weighted energy intensity (energy x output over output, at least 1e-12)."""
    totals = np.zeros((n_clusters, 9))  # a cluster's totals side by side, as the loop adds to them
    for i in range(len(cluster)):
        row = totals[cluster[i]]
        row[0] += revenue[i]
        row[1] += value_added[i]
        if alive[i]:
            row[2] += stage[i] != building
            row[3] += above_scale[i]
            row[4] += workers[i]
            row[5] += tech[i]
            row[6] += capacity[i]
            row[7] += energy_intensity[i] * output[i]
            row[8] += output[i]
    for c in range(n_clusters):
        totals[c, 6] *= price_index
        totals[c, 7] /= maximum(totals[c, 8], 1e-12)
    return totals[:, :8].T


# The columns of the cluster table `_cluster_totals` returns, in its order.
_CLUSTER_TOTALS = CLUSTER_COLUMNS[3:]


def cluster_columns(model: IndustryModel) -> dict[str, list[Any]]:
    """This quarter's rows of the cluster table, one per cluster, as columns."""
    firms = model.firms
    n = model.clusters.n
    totals = _cluster_totals(
        firms.cluster,
        n,
        firms.alive,
        firms.stage,
        firms.above_scale,
        firms.tech,
        firms.revenue,
        firms.value_added,
        firms.workers,
        firms.capacity,
        firms.energy_intensity,
        firms.output,
        int(Stage.BUILDING),
        model.price_index,
    )
    return {
        "year": [model.year] * n,
        "quarter": [model.quarter] * n,
        "cluster": list(model.clusters.keys),
        **dict(zip(_CLUSTER_TOTALS, totals.tolist(), strict=True)),
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
