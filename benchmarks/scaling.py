"""Dazu at k times its size, for measuring how the cost of a run grows with the firms.

Every extensive figure (firm counts, output, employment, credit, land) and every yearly
flow the scenario sets (leads, skilled inflow, land supply, task-force caseload) is
multiplied by k; intensive figures (shares, rates, per-firm sizes) stay. The top-50 firms
keep their absolute output, so their share falls as the economy grows. Bounds meant for
Dazu are not re-checked: this is a load test, not a scenario.
"""

from __future__ import annotations

from typing import Any

from sim.inputs.base_year import BaseYearData
from sim.inputs.scenario import Scenario


def _scaled_figure(figure: Any, factor: float) -> Any:
    update = {"value": figure.value * factor}
    if hasattr(figure, "low"):
        update |= {"low": figure.low * factor, "high": figure.high * factor}
    return figure.model_copy(update=update)


def _scaled_section(section: Any, names: tuple[str, ...], factor: float) -> Any:
    return section.model_copy(update={name: _scaled_figure(getattr(section, name), factor) for name in names})


def scaled_base_year(base: BaseYearData, factor: float) -> BaseYearData:
    """The base-year data of an economy `factor` times Dazu's."""
    output = _scaled_section(base.output, ("gross_output_yi",), factor)
    share = base.output.top50_share_of_above_scale
    output = output.model_copy(
        update={"top50_share_of_above_scale": share.model_copy(update={"value": share.value / factor})}
    )
    return base.model_copy(
        update={
            "output": output,
            "firms": _scaled_section(base.firms, ("above_scale", "small", "tech_enterprises"), factor),
            "employment": _scaled_section(base.employment, ("workers",), factor),
            "credit": _scaled_section(base.credit, ("industrial_loans_yi",), factor),
            "land": _scaled_section(base.land, ("occupied_mu", "vacant_mu", "idle_mu"), factor),
        }
    )


def scaled_scenario(scenario: Scenario, factor: float) -> Scenario:
    """The scenario's yearly flows of leads, talent, land and task-force cases times `factor`."""
    data = scenario.data
    levers = data.levers
    update = {
        "attraction": data.attraction.model_copy(
            update={"leads_per_year": data.attraction.leads_per_year * factor}
        ),
        "labour": data.labour.model_copy(
            update={"skilled_inflow_per_year": data.labour.skilled_inflow_per_year * factor}
        ),
        "land": data.land.model_copy(
            update={"status_quo_supply_mu_per_year": data.land.status_quo_supply_mu_per_year * factor}
        ),
        "levers": levers.model_copy(
            update={
                "land": levers.land.model_copy(
                    update={"extra_supply_mu_per_year": levers.land.extra_supply_mu_per_year * factor}
                ),
                "task_forces": levers.task_forces.model_copy(
                    update={"capacity_per_quarter": round(levers.task_forces.capacity_per_quarter * factor)}
                ),
            }
        ),
    }
    return scenario.model_copy(update={"data": data.model_copy(update=update)})
