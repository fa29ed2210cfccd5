"""The mechanism parameters: one section per phase of the quarter, each field bounded and sourced.

Behavioural parameters and effect sizes of the model's mechanisms (the plans' levers are
in sim/inputs/levers.py). Every field carries bounds and a description that names its
source, or says "assumption" when nothing is published.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import Field

from sim.inputs.sections import CostRatio, Gain, Section, Share


class Environment(Section):
    """Exogenous demand and prices (phase 1)."""

    inflation: float = Field(
        0.005,
        ge=-0.05,
        le=0.08,
        description="annual producer-price inflation; assumption (PPI fell ~2% a year in 2023-24)",
    )
    demand_growth_shift: float = Field(
        0.0,
        ge=-0.1,
        le=0.1,
        description="added to every cluster's annual demand growth; assumption, the main demand uncertainty",
    )
    cluster_demand_shift: dict[str, Annotated[float, Ge(-0.1), Le(0.1)]] = Field(
        default_factory=dict,
        description="added to the named clusters' annual demand growth (keys: cluster keys of the base-year file); assumption, the per-cluster demand uncertainty",
    )
    macro_volatility: float = Field(
        0.01,
        ge=0,
        le=0.1,
        description="s.d. of the quarterly shock to demand growth common to all clusters; assumption (Dazu's output growth ranged from +2% to +25% a year in 2021-24)",
    )
    cluster_volatility: float = Field(
        0.02,
        ge=0,
        le=0.15,
        description="s.d. of each cluster's own quarterly shock to demand growth; assumption",
    )
    shock_persistence: float = Field(
        0.3, ge=0, le=0.9, description="AR(1) coefficient of the growth shocks per quarter; assumption"
    )
    productivity_persistence: float = Field(
        0.97,
        ge=0.5,
        le=1.0,
        description="quarterly persistence of firm productivity around its cluster mean; assumption. "
        "The shocks' s.d. is set so the process keeps the base-year dispersion (heterogeneity.productivity_dispersion) "
        "stationary: s.d. x sqrt(1 - persistence^2)",
    )


class Attraction(Section):
    """Investment leads, conversion and the build-up of new projects (phase 3)."""

    leads_per_year: float = Field(
        35.0, ge=0, le=500, description="industrial project leads reaching the district per year; assumption"
    )
    lead_median_output_yi: float = Field(
        0.8,
        gt=0,
        le=50,
        description="median planned annual output of a lead at full capacity, 亿元; assumption",
    )
    lead_size_dispersion: float = Field(
        1.1, ge=0, le=2.5, description="log-s.d. of lead sizes (heavy upper tail); assumption"
    )
    lead_max_output_yi: float = Field(
        60.0, gt=0, le=500, description="largest possible project, 亿元 per year; assumption"
    )
    conversion_rate: float = Field(
        0.30,
        ge=0.15,
        le=0.45,
        description="chance a lead signs when land is ready and no task force helps; assumption",
    )
    build_quarters: int = Field(
        5, ge=1, le=16, description="quarters from signing to first production; assumption"
    )
    ramp_quarters: int = Field(
        4, ge=1, le=16, description="quarters from first to full production; assumption"
    )
    newcomer_productivity: float = Field(
        0.05,
        ge=-0.3,
        le=0.5,
        description="log-productivity edge of a new project over its cluster mean (new plants); assumption",
    )
    new_firm_tier: int = Field(2, ge=0, le=3, description="digital tier of a newly built plant; assumption")
    own_demand_share: float = Field(
        0.8,
        ge=0,
        le=1,
        description="share of a project's planned output sold to customers it brings; assumption",
    )

    new_plant_utilisation: float = Field(
        0.85,
        ge=0.3,
        le=1,
        description="share of its capacity a new plant (or newborn small firm) sells at first; assumption",
    )
    min_land_share: float = Field(
        0.5,
        ge=0.1,
        le=1,
        description="a project goes ahead only with at least this share of the land it asked for; assumption",
    )
    new_project_tech_share: float = Field(
        0.5, ge=0, le=1, description="share of new projects that are certified S&T enterprises; assumption"
    )
    newcomer_energy_factor: float = Field(
        0.8,
        ge=0.2,
        le=1.5,
        description="energy intensity of new plants relative to their cluster's base mean; assumption",
    )
    focus_size_gain: float = Field(
        1.0,
        ge=0.5,
        le=1.5,
        description="rise in the median lead size at full focus on large firms (招大引强); assumption",
    )
    focus_count_cost: float = Field(
        0.4, ge=0.2, le=0.6, description="share of leads lost at full focus on large firms; assumption"
    )
    incentive_response: float = Field(
        2.5,
        ge=1,
        le=4,
        description="relative rise in a lead's signing chance per unit of incentive over capital (0.1 -> +25%); assumption",
    )


class Labour(Section):
    """Hiring and the skilled labour pool (phase 4)."""

    skilled_inflow_per_year: float = Field(
        800.0,
        ge=0,
        le=50000,
        description="skilled workers arriving per year (graduates, returnees); assumption",
    )
    training_rate: float = Field(
        0.01, ge=0, le=0.3, description="annual share of unskilled workers trained to skilled; assumption"
    )
    skilled_attrition: float = Field(
        0.04, ge=0, le=0.3, description="annual share of the skilled pool leaving the district; assumption"
    )
    unskilled_fill_rate: float = Field(
        0.85, gt=0, le=1, description="share of unskilled vacancies filled within a quarter; assumption"
    )
    required_skilled_share: tuple[Share, Share, Share, Share] = Field(
        (0.08, 0.12, 0.18, 0.26), description="skilled share a firm needs at digital tier 0..3; assumption"
    )
    skill_gap_penalty: float = Field(
        0.4, ge=0, le=2, description="productivity loss per unit of skilled-share shortfall; assumption"
    )
    wage_growth: float = Field(
        0.05,
        ge=-0.05,
        le=0.2,
        description="annual nominal wage growth; assumption (Chongqing manufacturing wages ~5%/yr)",
    )
    productivity_growth: float = Field(
        0.04,
        ge=0,
        le=0.15,
        description="annual growth of output per worker from ordinary technical progress; assumption (China manufacturing labour productivity ~4-6%/yr)",
    )

    overstaff_release: float = Field(
        0.5, ge=0, le=1, description="share of surplus unskilled workers laid off per quarter; assumption"
    )

    overtime_limit: float = Field(
        0.2,
        ge=0,
        le=0.5,
        description="extra hours firms can work over their staff's standard hours to meet orders: China's Labour "
        "Law caps overtime at 36 hours a month (art. 41) over ~174 standard hours, about 20%",
    )
    overtime_premium: float = Field(
        0.5,
        ge=0,
        le=2,
        description="wage premium on overtime hours: at least 150% of the wage on working days (Labour Law art. 44)",
    )
    staffing_buffer: float = Field(
        1.05,
        ge=1,
        le=1.5,
        description="workers firms keep per unit of expected output (grown a quarter ahead), over the bare need; "
        "assumption (labour hoarding: firms keep a few per cent more staff than current output needs)",
    )
    talent_retention: float = Field(
        0.65,
        ge=0.4,
        le=0.9,
        description="share of recruited talent who settle and work in the district's industry; assumption",
    )
    training_completion: float = Field(
        0.7,
        ge=0.5,
        le=0.9,
        description="share of subsidised training places that yield a skilled worker for industry; assumption",
    )


class Investment(Section):
    """Capacity investment by incumbents, lumpy and finance- and land-constrained (phase 4)."""

    trigger_gap: float = Field(
        0.08,
        ge=0,
        le=1,
        description="firms invest when expected demand exceeds capacity by this share (lumpy investment); assumption",
    )
    capacity_buffer: float = Field(0.15, ge=0, le=1, description="spare capacity firms build for; assumption")
    max_expansion: float = Field(
        0.5, gt=0, le=3, description="largest capacity increase of one project, share of capacity; assumption"
    )
    expectation_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="weight of the latest quarter in firms' adaptive demand expectations; assumption",
    )
    own_funds_share: float = Field(
        0.3,
        ge=0,
        le=1,
        description="share of a project a firm must pay from its own cash (banks lend the rest); assumption",
    )
    build_quarters: int = Field(
        3, ge=1, le=12, description="quarters before new capacity produces; assumption"
    )
    depreciation_rate: float = Field(
        0.05, ge=0, le=0.3, description="annual depreciation of fixed capital and capacity; assumption"
    )
    min_margin: float = Field(
        0.0, ge=-0.5, le=0.5, description="operating margin below which firms do not expand; assumption"
    )

    review_rate: float = Field(
        0.5,
        gt=0,
        le=1,
        description="share of firms reviewing their capacity plans in a quarter (plans are not all made at once); assumption",
    )


class Digital(Section):
    """Tiered digital and AI upgrades (phase 4); the AI plan acts here."""

    upgrade_cost: tuple[CostRatio, CostRatio, CostRatio] = Field(
        (0.05, 0.10, 0.20),
        description="cost of reaching tier 1..3, 亿元 per 亿元 of annual output; assumption",
    )
    productivity_gain: tuple[Gain, Gain, Gain] = Field(
        (0.02, 0.03, 0.05),
        description="productivity gain of reaching tier 1..3; assumption (MIIT smart-manufacturing pilots report 10-30% over several steps)",
    )
    gain_scale: float = Field(
        1.0,
        ge=0.5,
        le=1.5,
        description="how large the digital productivity gains turn out, as a factor on productivity_gain (the effect size experiments sample); assumption (pilot gains of 10-30% vary about that much)",
    )
    labour_saving: tuple[Gain, Gain, Gain] = Field(
        (0.04, 0.08, 0.15), description="cut in workers per unit of output at tier 1..3; assumption"
    )
    peer_effect: float = Field(
        1.5,
        ge=0.5,
        le=2.5,
        description="weight of the cluster's share of firms at the next tier in the decision; assumption",
    )
    decision_sharpness: float = Field(
        3.0, ge=1.5, le=4.5, description="how sharply adoption responds to net benefit; assumption"
    )
    base_rate: float = Field(
        0.065,
        ge=0,
        le=1,
        description="largest quarterly chance a firm for which an upgrade clearly pays takes it; ranged by "
        "Chongqing's 2027 targets (news.cqnews.net 2023-09-05): 0.106 would take the base year's 50% of "
        "firms at tier 1 or above to the 87% digital-design-tool target by the end of 2027 if every tier-0 "
        "firm upgraded at this rate; 0.025, the previous assumption, is the slow end",
    )
    horizon_years: float = Field(
        4.0, gt=0, le=15, description="payback horizon firms use to judge an upgrade; assumption"
    )

    skill_tolerance: float = Field(
        0.8,
        ge=0.3,
        le=1.2,
        description="firms upgrade once they have this share of the next tier's required skilled share; assumption",
    )
    platform_cost_cut: float = Field(
        0.25,
        ge=0.1,
        le=0.4,
        description="cut in upgrade costs for firms in a cluster served by an 'industry brain' platform; assumption",
    )


class Innovation(Section):
    """R&D, innovation success and science-and-tech certification (phase 4)."""

    rd_intensity_tech: float = Field(
        0.015,
        ge=0,
        le=0.2,
        description="R&D over revenue of certified tech firms; Chongqing above-scale R&D intensity ~1.6-2% (2027 target 2%)",
    )
    rd_intensity_other: float = Field(
        0.003, ge=0, le=0.2, description="R&D over revenue of other firms; assumption"
    )
    success_scale: float = Field(
        4.0,
        ge=2,
        le=6,
        description="quarterly success chance is 1 - exp(-scale x effective R&D intensity): ~6% at 1.5%; assumption",
    )
    step_mean: float = Field(
        0.04, ge=0.02, le=0.06, description="mean productivity gain of a success (exponential); assumption"
    )
    certification_rate: float = Field(
        0.03,
        ge=0,
        le=1,
        description="quarterly chance an uncertified firm with an average skilled share is certified as a S&T enterprise (x6 after an innovation success); assumption",
    )
    lapse_rate: float = Field(
        0.01, ge=0, le=0.5, description="quarterly chance a certificate lapses; assumption"
    )

    success_certification_boost: float = Field(
        6.0,
        ge=1,
        le=30,
        description="how many times likelier certification is in a quarter with an innovation success; assumption",
    )
    rd_price_elasticity: float = Field(
        1.0,
        ge=0.5,
        le=1.5,
        description="elasticity of firms' R&D spending to its net price (Bloom, Griffith & Van Reenen 2002: ~1 in the long run)",
    )
    boost_per_platform: float = Field(
        0.03,
        ge=0.01,
        le=0.05,
        description="relative rise in every firm's R&D success chance per S&T platform; assumption",
    )
    award_response: float = Field(
        0.2,
        ge=0.05,
        le=0.35,
        description="relative rise in certification propensity per 10万元 of certification award; assumption",
    )


class Quality(Section):
    """Quality and brand capital: a premium customers pay, which wins sales (phase 4)."""

    spend_share: float = Field(
        0.004, ge=0, le=0.1, description="quality and brand spending over revenue; assumption"
    )
    sales_elasticity: float = Field(
        0.18,
        ge=0.12,
        le=0.24,
        description="long-run elasticity of a firm's sales to its quality and brand spending: the quality "
        "premium it buys is this over the trade elasticity, in log price; assumption ranged by the "
        "advertising meta-analysis of Sethuraman, Tellis & Briesch (2011): 0.12 short-run, 0.24 long-run",
    )
    depreciation: float = Field(
        0.02,
        ge=0,
        le=0.3,
        description="quarterly wear of quality and brand capital (spending keeps it at its steady state); assumption",
    )
    subsidy_elasticity: float = Field(
        1.0,
        ge=0.5,
        le=1.5,
        description="elasticity of firms' quality spending to its net price; assumption",
    )


class Green(Section):
    """Energy costs, efficiency retrofits and intensity mandates (phase 4)."""

    energy_price_growth: float = Field(
        0.02, ge=-0.1, le=0.2, description="annual energy price growth; assumption"
    )
    autonomous_improvement: float = Field(
        0.01, ge=0, le=0.1, description="annual fall in energy intensity without retrofits; assumption"
    )
    retrofit_saving: float = Field(
        0.15, ge=0.05, le=0.25, description="cut in a firm's energy intensity per retrofit; assumption"
    )
    retrofit_cost_per_saving: float = Field(
        3.0,
        gt=0,
        le=20,
        description="retrofit cost over the yearly energy bill it saves (simple payback, years); assumption",
    )
    base_rate: float = Field(
        0.02, ge=0, le=1, description="largest quarterly chance a firm retrofits; assumption"
    )
    horizon_years: float = Field(
        5.0, gt=0, le=20, description="payback horizon firms use to judge a retrofit; assumption"
    )
    decision_sharpness: float = Field(
        3.0, ge=1.5, le=4.5, description="how sharply retrofits respond to net benefit; assumption"
    )
    max_curtailment: float = Field(
        0.3,
        ge=0.1,
        le=0.5,
        description="largest share of its capacity a firm over the energy quota is cut back by (it is cut "
        "by the share of its energy use above quota, up to this); assumption: enforcement of energy "
        "quotas (有序用电, energy dual control) has ranged from trimming output to halting lines; a full "
        "stop is a closure, left to the exit rules",
    )
    energy_intensive_allowance: float = Field(
        4.0,
        ge=1,
        le=8,
        description="energy-intensive sectors' quota limit as a multiple of the general ceiling; "
        "assumption: sector limit values (单位产品能耗限额) are not in the model's data",
    )

    mandate_pressure: float = Field(
        2.0,
        ge=1,
        le=3,
        description="logit shift on retrofit decisions of firms above the intensity ceiling; assumption",
    )


class Finance(Section):
    """Banks' scoring, pricing and default booking (phase 5)."""

    risk_sensitivity: float = Field(
        0.15,
        ge=0.05,
        le=0.25,
        description="score points banks lower their threshold per unit of default loss covered; assumption",
    )
    maturity_years: float = Field(
        4.0, ge=0.5, le=20, description="average maturity of industrial loans; assumption"
    )
    recovery_rate: float = Field(
        0.15,
        ge=0,
        le=1,
        description="share of an exiting firm's fixed capital (book value) recovered in liquidation, for its creditors; assumption (specialised plant sells at a deep discount)",
    )
    score_noise: float = Field(
        0.08, ge=0, le=0.5, description="s.d. of banks' private information in scores; assumption"
    )
    risk_premium: float = Field(
        0.02, ge=0, le=0.1, description="extra interest for a score of 0 over a score of 1; assumption"
    )
    capacity_growth: float = Field(
        0.13,
        ge=0.0,
        le=0.3,
        description="annual growth of banks' lending capacity for industry in the first year; it converges to "
        "long_run_capacity_growth. Chongqing, Apr 2024: manufacturing loans +19.4%, total loans +7.3% (华龙网 2024-05-23); default about midway",
    )
    long_run_capacity_growth: float = Field(
        0.073,
        ge=0.0,
        le=0.3,
        description="annual growth of banks' lending capacity that the first year's growth converges to: "
        "Chongqing's total loans, +7.3% (Apr 2024, 华龙网 2024-05-23)",
    )
    capacity_growth_half_life_years: float = Field(
        2.0,
        gt=0,
        le=20,
        description="years for the gap between this year's and the long-run credit growth to halve; assumption "
        "(credit pushes such as 2023-24's manufacturing-loan drive fade over a few years)",
    )
    cash_reserve: float = Field(
        0.03,
        ge=0,
        le=1,
        description="cash firms keep, share of annual revenue, before spending on projects; assumption",
    )

    profit_weight: float = Field(
        2.0, ge=0, le=10, description="score points per unit of margin above 3%; assumption"
    )
    leverage_weight: float = Field(
        0.5, ge=0, le=5, description="score points lost per unit of debt/capital above 0.3; assumption"
    )
    above_scale_bonus: float = Field(
        0.05, ge=0, le=0.5, description="score bonus of above-scale firms; assumption"
    )
    tier_bonus: float = Field(0.02, ge=0, le=0.2, description="score bonus per digital tier; assumption")


class Land(Section):
    """Land supply, reclaiming idle land and density (phase 5)."""

    onsite_headroom: float = Field(
        0.25,
        ge=0,
        le=2,
        description="capacity a firm can add on its own land before it needs more, share of current; assumption",
    )
    preparation_quarters: int = Field(
        2, ge=0, le=12, description="quarters to service newly supplied land; assumption"
    )

    min_allocation_mu: float = Field(
        2.0,
        ge=0,
        le=100,
        description="smallest plot granted to an expanding firm, mu (land is granted in usable plots); assumption",
    )
    resale_rate: float = Field(
        0.05,
        ge=0,
        le=1,
        description="quarterly chance an idle plot (left by an exited firm) is sold or re-let on the market and "
        "offered again, without the district buying it back; assumption (an idle plot finds a user in 2-12 years)",
    )
    new_plant_density_gain: float = Field(
        0.2,
        ge=0,
        le=1,
        description="capacity per mu of newly allocated land over the cluster's base-year average (newer, "
        "multi-storey plants; 'standard land' 标准地 sets output-per-mu floors for all new land since 2024); assumption",
    )
    status_quo_supply_mu_per_year: float = Field(
        1000.0,
        ge=0,
        le=6000,
        description="new serviced industrial land per year without the land plan; assumption (no published "
        "figure for Dazu; the land plan's lever adds to it)",
    )
    surrender_share: float = Field(
        0.5,
        ge=0.2,
        le=0.8,
        description="share of its unused land a firm below the output-per-mu threshold actually gives back; assumption",
    )


class Market(Section):
    """Market shares, competitiveness and agglomeration (phase 6)."""

    share_elasticity: float = Field(
        0.15,
        ge=0,
        le=2,
        description="quarterly speed at which shares within a cluster move toward their Armington shares "
        "(exp(trade elasticity x competitiveness)); assumption: 0.15 keeps the previous reallocation speed "
        "(0.3 per log point of productivity) at the default trade elasticity, pass-through and the "
        "output-weighted materials share (0.76)",
    )
    delivery_weight: float = Field(
        0.3, ge=0, le=1, description="quarterly shift of share toward what firms delivered; assumption"
    )
    trade_elasticity: float = Field(
        4.0,
        ge=1,
        le=12,
        description="elasticity of a cluster's sales to its quality-adjusted price relative to outside "
        "competitors (Armington/trade elasticity): micro Armington estimates 3-4 (Feenstra, Luck, Obstfeld & "
        "Russ 2018), ~4 (Simonovska & Waugh 2014), ~8 (Eaton & Kortum 2002)",
    )
    cost_pass_through: float = Field(
        0.65,
        ge=0,
        le=1,
        description="share of a unit-cost change firms pass into their prices: incomplete, ~0.3-0.4 for Indian "
        "manufacturers (De Loecker, Goldberg, Khandelwal & Pavcnik 2016) to ~0.65 for the median firm and "
        "near-complete for small ones (Amiti, Itskhoki & Konings 2019)",
    )
    frontier_growth: float = Field(
        0.0125,
        ge=-0.02,
        le=0.06,
        description="annual productivity growth of the outside competitors Dazu's clusters sell against, the "
        "same kind of productivity as the firms' (it cuts materials per unit of output); assumption within "
        "published Chinese manufacturing TFP growth: 2.85%/yr for incumbent firms 1998-2007 (Brandt, Van "
        "Biesebroeck & Zhang 2012), much slower after 2008 (World Bank Policy Research WP 9298, 2020)",
    )
    frontier_growth_spread: float = Field(
        0.005,
        ge=0,
        le=0.03,
        description="s.d. across clusters of their outside competitors' productivity growth around "
        "frontier_growth, drawn once per run; assumption",
    )
    agglomeration_elasticity: float = Field(
        0.04,
        ge=0.02,
        le=0.06,
        description="productivity response to cluster output growth, times local input share; assumption (Marshallian spillovers, Combes & Gobillon 2015: 0.02-0.1)",
    )
    unserved_demand_loss: float = Field(
        0.2,
        ge=0,
        le=1,
        description="share of orders nobody in the cluster could serve that customers cancel each quarter (their "
        "custom leaves the district); the rest wait as an order backlog served when capacity frees up; "
        "assumption (retail stock-outs: ~40% of shoppers buy elsewhere or not at all, Corsten & Gruen 2003; "
        "industrial buyers on contracts wait more)",
    )
    exit_demand_retention: float = Field(
        0.5,
        ge=0,
        le=1,
        description="share of an exiting firm's customers who buy from its cluster peers instead; assumption",
    )
    local_input_share: float = Field(
        0.3, ge=0, le=1, description="share of inputs bought from firms in the district; assumption"
    )
    local_share_gain_per_round: float = Field(
        0.0015,
        ge=0.0005,
        le=0.0025,
        description="rise in the local input share per supplier-matchmaking round; assumption (12 rounds a year: +0.6 to +3 points a year)",
    )
    local_share_ceiling: float = Field(
        0.55,
        ge=0.4,
        le=0.7,
        description="largest local input share matchmaking can reach (specialised inputs come from outside); assumption",
    )


class TaskForces(Section):
    """The 24 cluster task forces (phase 2)."""

    effort: float = Field(0.4, ge=0.2, le=0.6, description="baseline effort of task-force staff; assumption")
    lead_support: float = Field(
        0.6,
        ge=0.2,
        le=1.0,
        description="relative rise in a lead's conversion chance at full effort; assumption",
    )
    approval_quarters_saved: int = Field(
        1, ge=0, le=2, description="build quarters saved for a served project; assumption"
    )
    loan_score_bonus: float = Field(
        0.08,
        ge=0.02,
        le=0.14,
        description="credit score bonus for a firm whose finance request is served; assumption",
    )


class Commerce(Section):
    """Market channels opened by the commerce plan: e-commerce and market-procurement trade."""

    sales_per_support: float = Field(
        6.0,
        ge=2,
        le=10,
        description="yearly channel sales reached per 亿元 of yearly e-commerce support, 亿元; assumption",
    )
    export_potential: float = Field(
        0.06,
        ge=0.02,
        le=0.1,
        description="extra exports through a fully running market-procurement pilot, share of the channel-selling clusters' output; assumption",
    )
    additionality: float = Field(
        0.55,
        ge=0.3,
        le=0.8,
        description="share of channel sales that is new demand rather than sales moved from other channels; assumption",
    )
    ramp_years: float = Field(
        2.5, ge=1, le=4, description="years for a channel to reach its full sales; assumption"
    )


class Fiscal(Section):
    """Unit costs of the plans to the district's budget (all assumptions: nothing is published)."""

    matchmaking_round_wan: float = Field(
        20.0, ge=10, le=50, description="cost of one supplier-matchmaking round, 万元; assumption"
    )
    platform_yi_per_year: float = Field(
        0.05, ge=0.02, le=0.15, description="yearly district funding of one S&T platform, 亿元; assumption"
    )
    settling_allowance_wan: float = Field(
        5.0, ge=2, le=15, description="allowances per recruited skilled worker, 万元; assumption"
    )
    training_wan_per_place: float = Field(
        0.3, ge=0.1, le=0.8, description="subsidy per vocational training place, 万元; assumption"
    )
    industry_brain_yi_per_year: float = Field(
        0.15,
        ge=0.05,
        le=0.4,
        description="yearly cost of one cluster's industry-brain platform, 亿元; assumption",
    )
    promotion_wan_per_lead: float = Field(
        30.0, ge=10, le=100, description="promotion spending per extra project lead, 万元; assumption"
    )
    procurement_pilot_yi_per_year: float = Field(
        0.3, ge=0.1, le=1, description="yearly cost of running the market-procurement pilot, 亿元; assumption"
    )
    land_preparation_wan_per_mu: float = Field(
        30.0, ge=15, le=60, description="cost of servicing one mu of new industrial land, 万元; assumption"
    )
    reclaim_wan_per_mu: float = Field(
        10.0,
        ge=5,
        le=30,
        description="compensation and clearing cost per mu of reclaimed idle land, 万元; assumption",
    )
    task_force_wan_per_case: float = Field(
        3.0,
        ge=1,
        le=8,
        description="staff cost per case of quarterly task-force capacity, per quarter, 万元; assumption",
    )


class Revenue(Section):
    """What the district's budget collects from the firms and the land the plans bring (revenue
    side of the fiscal accounts; booked only, never seen by firms)."""

    vat_local_share: Share = Field(
        0.5,
        description="local governments' part of domestic VAT; 国发〔2016〕26号 (全面推开营改增后"
        "中央与地方增值税收入划分过渡方案): 50:50 centre:local",
    )
    vat_district_share_of_local: Share = Field(
        0.5,
        description="district's part of the local VAT, the rest going to Chongqing municipality; "
        "assumption: the municipal-district sharing rule for Dazu was not found",
    )
    income_tax_rate: Share = Field(
        0.25, description="enterprise income tax on positive profit; statutory (企业所得税法 art. 4): 25%"
    )
    income_tax_rate_high_tech: Share = Field(
        0.15,
        description="income tax rate of certified high-tech enterprises (the model's S&T firms); "
        "statutory (企业所得税法 art. 28): 15%",
    )
    small_profit_threshold_yi: float = Field(
        0.03,
        ge=0,
        le=1,
        description="annual taxable profit up to which a firm pays the small-profit rate, 亿元; "
        "财政部 税务总局公告2023年第12号: 300万元 (to 2027)",
    )
    small_profit_rate: Share = Field(
        0.05,
        description="effective income tax rate of small low-profit firms (25% of profit taxed at 20%); "
        "财政部 税务总局公告2023年第12号",
    )
    income_tax_local_share: Share = Field(
        0.4,
        description="local governments' part of enterprise income tax (60:40 centre:local since 2003); 国发〔2003〕26号",
    )
    income_tax_district_share_of_local: Share = Field(
        0.5,
        description="district's part of the local income tax, the rest going to Chongqing municipality; "
        "assumption: the municipal-district sharing rule for Dazu was not found",
    )
    land_price_wan_per_mu: float = Field(
        8.8,
        ge=4,
        le=56,
        description="transfer price of industrial land (土地出让收入) per mu, 万元; 国土资发〔2006〕307号 "
        "全国工业用地出让最低价标准 grades 10-13 (96-168 元/m2, 6.4-11.2 万元/mu at 666.7 m2/mu); "
        "assumption: which grade Dazu is in, and that land sells at the floor",
    )


class Demography(Section):
    """Births and exits of small firms, and exit rules (phases 3 and 7)."""

    small_birth_rate: float = Field(
        0.07, ge=0, le=0.5, description="annual births of small firms over the small-firm count; assumption"
    )
    exit_hazard_small: float = Field(
        0.05, ge=0, le=0.5, description="annual exogenous exit hazard of small firms; assumption"
    )
    exit_hazard_above: float = Field(
        0.01, ge=0, le=0.5, description="annual exogenous exit hazard of above-scale firms; assumption"
    )
    distress_cash_ratio: float = Field(
        -0.15,
        ge=-2,
        le=0,
        description="firms exit when cash falls below this share of annual revenue and no bank lends; assumption",
    )

    birth_digital_share: float = Field(
        0.4, ge=0, le=1, description="share of newborn small firms that start digitised (tier 1); assumption"
    )


class Accounts(Section):
    """Firms' accounts (phase 7)."""

    tax_rate_on_value_added: float = Field(
        0.10,
        ge=0,
        le=0.5,
        description="taxes on value added (VAT net of refunds plus surcharges); assumption",
    )
    payout_ratio: float = Field(
        0.4, ge=0, le=1, description="share of positive profit paid out to owners each quarter; assumption"
    )
    initial_cash_ratio: float = Field(
        0.10, ge=0, le=1, description="base-year cash over annual output; assumption"
    )
