"""What a search measures of a mix on a set of futures: its net fiscal cost and its odds.

The net fiscal cost is read in one place, `net_fiscal_cost_by_year`: the model's budget
accounting (sim/model/fiscal.py: spending booked where each lever acts, less the revenue
the district collects: its shares of VAT and income tax, land-transfer income and the
differential-tariff surcharges). The revenue is that of the whole industry, so only the
difference between mixes on the same futures is the plans' own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# The annual result columns a search needs of every run.
RUN_COLUMNS = ["run_id", "scenario", "replication", "year", "output_yi", "fiscal_net_cost_yi"]


def net_fiscal_cost_by_year(rows: pd.DataFrame) -> pd.Series:
    """Net cost to the district budget of each run in each simulated year, 亿元 (index run_id, year).

    The base year is not simulated (its rows restate the data), so it carries no cost.
    """
    simulated = rows[rows["year"] > rows["year"].min()]
    return simulated.set_index(["run_id", "year"])["fiscal_net_cost_yi"].sort_index()


@dataclass(frozen=True)
class RunOutcomes:
    """One row per run: scenario, future (replication), mean annual net cost, output in each target year."""

    table: pd.DataFrame

    @classmethod
    def of(cls, rows: pd.DataFrame, target_years: list[int]) -> RunOutcomes:
        cost = net_fiscal_cost_by_year(rows)
        table = rows.groupby("run_id", sort=True)[["scenario", "replication"]].first()
        table["cost_yi"] = cost.groupby(level="run_id").mean()
        output = rows.pivot(index="run_id", columns="year", values="output_yi")
        for year in target_years:
            table[f"output_{year}"] = output[year]
        yearly = cost.unstack("year")
        yearly.columns = [f"cost_{year}" for year in yearly.columns]
        return cls(table.join(yearly))

    def of_scenario(self, scenario: str) -> pd.DataFrame:
        return self.table[self.table["scenario"] == scenario].sort_values("replication")


@dataclass(frozen=True)
class Evaluation:
    """A mix measured on a set of futures (the share of futures meeting each target, no interval)."""

    futures: int
    mean_annual_cost_yi: float
    peak_yearly_cost_yi: float  # the costliest year's mean over the futures
    probabilities: dict[int, float]  # target year -> share of futures meeting it


def evaluate(runs: pd.DataFrame, targets: tuple[tuple[int, float], ...]) -> Evaluation:
    """A mix's runs (one row per future, as RunOutcomes) summarised."""
    yearly = runs[[column for column in runs.columns if column.startswith("cost_")]]
    return Evaluation(
        futures=len(runs),
        mean_annual_cost_yi=float(runs["cost_yi"].mean()),
        peak_yearly_cost_yi=float(yearly.mean().max()),
        probabilities={
            year: float((runs[f"output_{year}"] >= threshold).mean()) for year, threshold in targets
        },
    )
