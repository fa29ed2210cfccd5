"""The unit of a parameter, read from its name and description (the schema states units in words).

Name rules come first (`_yi` is 亿元, `_mu` is mu, ...), then rules on the description;
EXPLICIT covers the parameters whose wording the rules would misread. A parameter no rule
matches is "dimensionless".
"""

from __future__ import annotations

import re

ANNUAL_OUTPUT = "亿元 / year"
EXPLICIT = {
    "environment.demand_growth_shift": "share / year",
    "environment.macro_volatility": "s.d. of log growth / quarter",
    "environment.cluster_volatility": "s.d. of log growth / quarter",
    "attraction.lead_median_output_yi": ANNUAL_OUTPUT,
    "attraction.new_firm_tier": "tier (0-3)",
    "attraction.newcomer_productivity": "log points",
    "attraction.newcomer_energy_factor": "ratio to cluster mean",
    "attraction.leads_per_year": "leads / year",
    "labour.skilled_inflow_per_year": "workers / year",
    "labour.staffing_buffer": "ratio (>= 1)",
    "investment.capacity_buffer": "share of capacity",
    "investment.min_margin": "share of revenue",
    "innovation.rd_intensity_tech": "share of revenue",
    "innovation.rd_intensity_other": "share of revenue",
    "innovation.platform_boost": "relative increase",
    "task_forces.capacity_per_quarter": "requests / quarter",
    "task_forces.effort": "share (0-1)",
    "task_forces.lead_support": "relative increase",
    "finance.interest_subsidy": "share / year (interest points)",
    "finance.risk_premium": "share / year (interest)",
    "finance.risk_sensitivity": "score points per share covered",
    "finance.score_noise": "score points (s.d.)",
    "finance.profit_weight": "score points per unit of margin",
    "finance.leverage_weight": "score points per unit of leverage",
    "quality.sales_elasticity": "log sales per log spending",
    "quality.depreciation": "share / quarter",
    "market.trade_elasticity": "log sales per log relative price",
    "market.cost_pass_through": "share of a cost change",
    "market.frontier_growth": "share / year",
    "market.frontier_growth_spread": "share / year (s.d.)",
    "digital.base_rate": "probability / quarter",
    "green.retrofit_cost_per_saving": "years of saved energy bill",
    "green.energy_intensive_allowance": "multiple of the general quota",
    "green.max_curtailment": "share of capacity",
    "green.mandate_pressure": "logit points",
    "land.plot_ratio_gain": "share",
    "market.delivery_weight": "share / quarter",
    "market.exit_demand_retention": "share",
    "digital.upgrade_cost": "亿元 per 亿元 of annual output",
    "attraction.lead_max_output_yi": ANNUAL_OUTPUT,
    "attraction.conversion_rate": "probability per lead",
    "labour.skill_gap_penalty": "dimensionless",
    "innovation.success_scale": "dimensionless",
    "market.share_elasticity": "dimensionless / quarter",
    "market.agglomeration_elasticity": "dimensionless",
    "task_forces.evaluation_intensity": "share (0-1)",
    "accounts.tax_rate_on_value_added": "share of value added",
    "accounts.initial_cash_ratio": "share of annual output",
    "output.top50_share_of_above_scale": "share",
    "output.gross_output_yi": ANNUAL_OUTPUT,
    "output.reported_above_scale_growth_2024": "share / year",
    "firms.above_scale": "firms",
    "firms.small": "firms",
    "firms.tech_enterprises": "firms",
    "firms.above_scale_threshold_yi": ANNUAL_OUTPUT,
    "firms.largest_firm_yi": ANNUAL_OUTPUT,
    "employment.workers": "workers",
    "employment.annual_wage_yi": "亿元 / worker / year",
    "employment.skilled_wage_premium": "share of the wage",
    "credit.lending_headroom": "share of the credit stock",
    "credit.loan_rate": "share / year",
    "energy.price_yuan_per_tce": "CNY / tce",
    "heterogeneity.smallest_firm_yi": ANNUAL_OUTPUT,
    "heterogeneity.small_firm_credit_access": "ratio",
    "digital.tier_shares": "shares of firms (tiers 0-3)",
    "clusters.output_share": "share of gross output",
    "clusters.small_firm_share": "share of small firms",
    "clusters.demand_growth": "share / year (nominal)",
    "clusters.value_added_ratio": "share of output",
    "clusters.energy_intensity": "tce / 万元",
    "clusters.capital_output_ratio": "亿元 of capital per 亿元 of annual output",
    "clusters.output_per_worker_yi": "亿元 / worker / year",
    "clusters.largest_firm_yi": ANNUAL_OUTPUT,
    "clusters.task_forces": "task forces",
    "banks.credit_share": "share of the credit stock",
    "banks.score_threshold": "score (0-1)",
    "banks.spread": "share / year (interest)",
    # the revenue side of the district budget
    "revenue.vat_local_share": "share of VAT",
    "revenue.vat_district_share_of_local": "share of the local VAT",
    "revenue.income_tax_rate": "share of profit",
    "revenue.income_tax_rate_high_tech": "share of profit",
    "revenue.small_profit_threshold_yi": "亿元 / year",
    "revenue.small_profit_rate": "share of profit",
    "revenue.income_tax_local_share": "share of income tax",
    "revenue.income_tax_district_share_of_local": "share of the local income tax",
    "revenue.land_price_wan_per_mu": "万元 / mu",
}

NAME_RULES: tuple[tuple[str, str], ...] = (
    (r"_mu_per_year$", "mu / year"),
    (r"_mu$", "mu"),
    (r"_wan$", "万元 / mu"),
    (r"_yi$", "亿元"),
    (r"_quarters(_saved)?$", "quarters"),
    (r"_years$", "years"),
)
DESCRIPTION_RULES: tuple[tuple[str, str], ...] = (
    (r"score (points|bonus)|score bonus", "score points (0-1)"),
    (r"log-s\.d\.|dispersion", "s.d. of logs"),
    (r"AR\(1\)|persistence", "coefficient per quarter"),
    (r"chance|hazard", "probability"),
    (r"elasticity|weight|sharpness|peer|penalty|(?<![-_])\bscale\b|how many times", "dimensionless"),
    (r"^annual|per year|a year|yearly", "share / year"),
    (r"quarterly|per quarter|each quarter|in a quarter|within a quarter", "share / quarter"),
    (r"share|ratio|rate|cut|gain|saving|over revenue|loss|edge|utilisation|growth|intensity", "share"),
)


def unit_of(path: str, description: str) -> str:
    """The unit of parameter `path` (e.g. 'land.reclaim_rate') with its description."""
    if path in EXPLICIT:
        return EXPLICIT[path]
    name = path.split(".")[-1]
    for pattern, unit in NAME_RULES:
        if re.search(pattern, name):
            return unit
    for pattern, unit in DESCRIPTION_RULES:
        if re.search(pattern, description):
            if unit == "probability":
                per = "year" if re.search(r"annual", description) else "quarter"
                return f"probability / {per}"
            return unit
    return "dimensionless"
