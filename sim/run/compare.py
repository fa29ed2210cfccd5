"""Two scenarios side by side, run with the same seed (common random numbers).

With the same seed every mechanism draws the same numbers for the same firm in both runs
(see sim/model/model.py), so the differences printed are the scenarios' effect in that
possible future, not noise between two futures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.inputs.base_year import load_scenario_base_year
from sim.inputs.scenario import Scenario
from sim.model.model import IndustryModel
from sim.run.results import annual_frame

# (label, column of the annual frame, format): output first, then what each plan moves.
COMPARED = (
    ("output 亿元", "output_yi", "{:,.1f}"),
    ("[1] local input share", "local_input_share", "{:.3f}"),
    ("[2] S&T enterprises", "tech_enterprises", "{:,.0f}"),
    ("[2] innovations", "innovations", "{:,.0f}"),
    ("[3] skilled share", "skilled_share", "{:.3f}"),
    ("[4] quality premium %", "quality_premium_pct", "{:.2f}"),
    ("[5] firms at tier 2+", "tier2plus_share", "{:.3f}"),
    ("[6] projects signed", "projects_signed", "{:,.0f}"),
    ("[6] output signed 亿元/yr", "signed_output_yi", "{:,.1f}"),
    ("[7] channel sales 亿元", "channel_sales_yi", "{:,.1f}"),
    ("[8] loan approval rate", "loan_approval_rate", "{:.3f}"),
    ("[8] credit 亿元", "credit_yi", "{:,.1f}"),
    ("[8] defaults", "defaults", "{:,.0f}"),
    ("[9] output per mu 万元", "output_per_mu_wan", "{:,.0f}"),
    ("[9] idle land mu", "land_idle_mu", "{:,.0f}"),
    ("[10] energy intensity", "energy_intensity", "{:.3f}"),
    ("[10] retrofits", "retrofits", "{:,.0f}"),
    ("[TF] cases served", "task_force_cases", "{:,.0f}"),
    ("entries", "entries", "{:,.0f}"),
    ("exits", "exits", "{:,.0f}"),
    ("gross fiscal cost 亿元", "fiscal_gross_cost_yi", "{:,.2f}"),
    ("fiscal revenue 亿元", "fiscal_revenue_yi", "{:,.2f}"),
    ("net fiscal cost 亿元", "fiscal_net_cost_yi", "{:,.2f}"),
)


@dataclass(frozen=True)
class Comparison:
    first: str
    second: str
    seed: int
    first_annual: pd.DataFrame
    second_annual: pd.DataFrame


def compared_frame(model: IndustryModel) -> pd.DataFrame:
    """The annual frame with the derived columns the comparison shows."""
    annual = annual_frame(model)
    annual["tier2plus_share"] = annual["tier2_share"] + annual["tier3_share"]
    requests = annual["loan_requests"].where(annual["loan_requests"] > 0)
    annual["loan_approval_rate"] = annual["loans_approved"] / requests
    annual["task_force_cases"] = annual["task_force_leads"] + annual["task_force_requests"]
    return annual


def compare(first: Scenario, second: Scenario, seed: int) -> Comparison:
    """Run both scenarios with the same seed and keep their annual frames."""
    frames = []
    for scenario in (first, second):
        model = IndustryModel(scenario, rng=seed, base_year=load_scenario_base_year(scenario)).run()
        frames.append(compared_frame(model))
    return Comparison(first.name, second.name, seed, frames[0], frames[1])


def comparison_rows(comparison: Comparison) -> list[dict[str, object]]:
    """One record per indicator and year: both values and their difference (None where undefined)."""
    rows = []
    for label, column, _ in COMPARED:
        for a, b in zip(
            comparison.first_annual.itertuples(), comparison.second_annual.itertuples(), strict=True
        ):
            first, second = getattr(a, column), getattr(b, column)
            rows.append(
                {
                    "indicator": label,
                    "column": column,
                    "year": int(a.year),
                    "first": _number(first),
                    "second": _number(second),
                    "difference": _number(second - first),
                }
            )
    return rows


def _number(value: float) -> float | None:
    """A value for JSON: None where it is undefined (e.g. an approval rate without requests), not NaN."""
    return None if pd.isna(value) else float(value)


def format_comparison(comparison: Comparison) -> str:
    """Years across; under each indicator the first scenario, the second and the difference."""
    years = [int(y) for y in comparison.first_annual["year"]]
    names = (comparison.first, comparison.second, "difference")
    width = max(len(name) for name in names) + 4
    lines = [" " * width + "".join(f"{y:>10}" for y in years)]
    for label, column, fmt in COMPARED:
        first = comparison.first_annual[column].to_numpy(float)
        second = comparison.second_annual[column].to_numpy(float)
        lines.append(label)
        for name, values, signed in zip(
            names, (first, second, second - first), (False, False, True), strict=True
        ):
            cells = "".join(f"{_cell(v, fmt, signed):>10}" for v in values)
            lines.append(f"  {name:<{width - 2}}{cells}")
    return "\n".join(lines)


def _cell(value: float, fmt: str, signed: bool) -> str:
    if pd.isna(value):
        return ""
    text = fmt.replace("{:", "{:+") if signed else fmt
    return text.format(value)
