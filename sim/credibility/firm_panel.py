"""A yearly panel of firm-level state from one run, for statistics the district series hide.

The model keeps only the current state of each firm; `record_panel` runs a model to its
end and copies a few firm columns at the base year and each year's end. The default run
does none of this, so it costs nothing unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.firms import Stage
from sim.model.model import IndustryModel


@dataclass(frozen=True)
class FirmPanel:
    """Arrays of shape (years, firms); NaN where a firm did not produce a full year.

    sales: revenue over the year (nominal 亿元); capital: fixed capital at the year's end;
    value_added_per_worker: the year's value added over year-end workers (labour
    productivity); cluster: each firm's cluster; depreciation_rate: annual.
    """

    years: np.ndarray
    sales: np.ndarray
    capital: np.ndarray
    value_added_per_worker: np.ndarray
    cluster: np.ndarray
    depreciation_rate: float


def _snapshot(model: IndustryModel, value_added: np.ndarray) -> tuple[np.ndarray, ...]:
    firms = model.firms
    full_year = firms.alive & (firms.stage == Stage.OPERATING) & (firms.revenue_4q > 0).all(axis=1)
    sales = np.where(full_year, firms.annual_revenue, np.nan)
    capital = np.where(full_year, firms.capital, np.nan)
    workers = np.where(firms.workers > 0, firms.workers, np.nan)
    per_worker = np.where(full_year & (value_added > 0), value_added / workers, np.nan)
    return sales, capital, per_worker


def record_panel(model: IndustryModel) -> FirmPanel:
    """Run `model` to the end of its horizon, recording the panel at every year's end."""
    rows: list[tuple[np.ndarray, ...]] = [_snapshot(model, model.firms.value_added * 4)]
    years = [model.year]
    value_added = np.zeros(model.firms.n)
    while model.running:
        model.step()
        value_added = np.concatenate([value_added, np.zeros(model.firms.n - len(value_added))])
        value_added += model.firms.value_added
        if model.quarter == 4:
            rows.append(_snapshot(model, value_added))
            years.append(model.year)
            value_added = np.zeros(model.firms.n)
    n = model.firms.n

    def stack(column: int) -> np.ndarray:
        return np.vstack([np.pad(r[column], (0, n - len(r[column])), constant_values=np.nan) for r in rows])

    return FirmPanel(
        years=np.array(years),
        sales=stack(0),
        capital=stack(1),
        value_added_per_worker=stack(2),
        cluster=model.firms.cluster.copy(),
        depreciation_rate=model.params.investment.depreciation_rate,
    )
