"""The "2+10" plan as levers: one typed, bounded group per action plan, plus the task forces.

A lever is what the plan sets (a subsidy rate, a land quota, a number of platforms); its
default is the status quo before the plan (April 2025). How strongly a lever works is not
a lever: those effect sizes are uncertain mechanism parameters (listed in each lever's
`effects`) that experiments sample. Every lever acts through a named mechanism of the
model, never on output directly, and has a fiscal cost rule (sim/model/fiscal.py books it).

The scenario schema (`[levers.<plan>]`), `python -m sim levers`, docs/levers.md and the
web sliders are all derived from these classes.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict, cast

from pydantic import Field
from pydantic.fields import FieldInfo

from sim.inputs.sections import Section


def lever(
    default: float,
    *,
    ge: float,
    le: float,
    unit: str,
    mechanism: str,
    description: str,
    effects: tuple[str, ...] = (),
    cost: str = "none",
) -> Any:
    """A bounded lever field carrying its unit, mechanism, effect parameters and cost rule."""
    return Field(
        default,
        ge=ge,
        le=le,
        description=description,
        json_schema_extra={"unit": unit, "mechanism": mechanism, "effects": list(effects), "cost": cost},
    )


class LeverInfo(TypedDict):
    """What `lever()` attaches to a lever field (as its JSON-schema extra)."""

    unit: str
    mechanism: str
    effects: list[str]
    cost: str


def lever_info(field: FieldInfo) -> LeverInfo:
    """The unit, mechanism, effect sizes and cost rule of a lever field (one made by `lever()`)."""
    # lever() sets json_schema_extra to exactly these keys; pydantic types it as any JSON object.
    return cast(LeverInfo, field.json_schema_extra)


class Plan(Section):
    """One action plan's levers; `number` is its place in the "10" (or "TF")."""

    number: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]


class FourChainPlan(Plan):
    number = "1"
    title_zh = "推动四链融合四侧协同加快制造业高质量发展三年行动计划"
    title_en = "Four-chain integration: industry, innovation, capital and talent chains"

    matchmaking_rounds_per_year: int = lever(
        0,
        ge=0,
        le=24,
        unit="rounds/yr",
        mechanism="linkages: supplier matchmaking raises the local input share; purchases switched to "
        "district suppliers become demand for their clusters, and the share scales agglomeration "
        "spillovers on productivity (sim/model/mechanisms/linkages.py)",
        description="supply-chain matchmaking rounds (产业链供需对接) between district buyers and suppliers",
        effects=(
            "market.local_share_gain_per_round",
            "market.local_share_ceiling",
            "market.agglomeration_elasticity",
        ),
        cost="rounds x fiscal.matchmaking_round_wan",
    )


class InnovationPlan(Plan):
    number = "2"
    title_zh = "科技创新赋能制造业高质量发展行动计划"
    title_en = "Science and technology innovation for manufacturing"

    rd_subsidy_rate: float = lever(
        0.0,
        ge=0,
        le=0.5,
        unit="share of R&D",
        mechanism="innovation: firms' R&D spending responds to its net price; success chances rise with "
        "R&D intensity; successes raise productivity and certification (sim/model/mechanisms/innovation.py)",
        description="share of firms' R&D spending refunded by the district, above national tax credits",
        effects=("innovation.rd_price_elasticity", "innovation.success_scale", "innovation.step_mean"),
        cost="rate x R&D spending of all firms",
    )
    platforms: int = lever(
        0,
        ge=0,
        le=30,
        unit="platforms",
        mechanism="innovation: shared S&T platforms (labs, pilot lines) raise every firm's chance that R&D succeeds",
        description="new S&T platforms and new-type R&D institutions (科技平台) run with district funding",
        effects=("innovation.boost_per_platform",),
        cost="platforms x fiscal.platform_yi_per_year",
    )
    certification_award_wan: float = lever(
        0.0,
        ge=0,
        le=50,
        unit="万元/firm",
        mechanism="innovation: an award for newly certified S&T enterprises raises firms' propensity to "
        "qualify and apply (科技型企业 count, 1,001 -> 1,832 in 2022-25)",
        description="one-off award to a firm certified as a science-and-tech enterprise for the first time",
        effects=("innovation.award_response",),
        cost="award x first-time certifications",
    )


class TalentPlan(Plan):
    number = "3"
    title_zh = "强化人才支撑助力制造业高质量发展行动计划"
    title_en = "Talent support for manufacturing"

    recruited_talent_per_year: float = lever(
        0.0,
        ge=0,
        le=5000,
        unit="persons/yr",
        mechanism="labour: recruited engineers and technicians join the skilled pool firms hire from; "
        "skills gate digital upgrades and productivity (sim/model/mechanisms/labour.py)",
        description="skilled workers recruited from outside with settling allowances (人才引进)",
        effects=("labour.talent_retention",),
        cost="recruited x fiscal.settling_allowance_wan",
    )
    training_places_per_year: float = lever(
        0.0,
        ge=0,
        le=20000,
        unit="places/yr",
        mechanism="labour: subsidised vocational training turns trainees into skilled workers in the pool",
        description="subsidised vocational and skills-upgrading training places (职业技能培训)",
        effects=("labour.training_completion",),
        cost="places x fiscal.training_wan_per_place",
    )


class QualityPlan(Plan):
    number = "4"
    title_zh = "大力实施质量品牌战略助力制造业高质量发展行动计划"
    title_en = "Quality and brand strategy"

    quality_subsidy_rate: float = lever(
        0.0,
        ge=0,
        le=0.5,
        unit="share of spend",
        mechanism="quality: subsidised quality and brand spending builds firms' quality capital, a price premium "
        "customers pay that wins share in the cluster and sales against outside competitors (sim/model/mechanisms/quality.py)",
        description="share of firms' quality, standards and brand spending paid by the district",
        effects=("quality.subsidy_elasticity", "quality.sales_elasticity"),
        cost="rate x quality and brand spending",
    )


class ArtificialIntelligencePlan(Plan):
    number = "5"
    title_zh = "人工智能赋能制造业高质量发展行动计划"
    title_en = "AI empowering manufacturing (tiered digital transformation)"

    upgrade_subsidy_rate: float = lever(
        0.0,
        ge=0,
        le=0.6,
        unit="share of cost",
        mechanism="digital: firms weigh an upgrade's cost against its productivity and labour gains, peers "
        "and their skills; a subsidy lowers the cost they see (sim/model/mechanisms/digital.py)",
        description="share of the cost of a digital-tier upgrade paid by the district (梯次数字化转型)",
        effects=("digital.gain_scale", "digital.decision_sharpness", "digital.peer_effect"),
        cost="rate x cost of upgrades made",
    )
    industry_brain_clusters: int = lever(
        0,
        ge=0,
        le=13,
        unit="clusters",
        mechanism="digital: an 'industry brain' platform in a cluster lowers its firms' upgrade costs "
        "(shared tools, data, integrators); the largest clusters get one first",
        description="clusters served by an 'industry brain' (产业大脑) platform",
        effects=("digital.platform_cost_cut",),
        cost="clusters x fiscal.industry_brain_yi_per_year",
    )


class AttractionPlan(Plan):
    number = "6"
    title_zh = "招商引资促进高质量行动计划"
    title_en = "Investment attraction"

    extra_leads_per_year: float = lever(
        0.0,
        ge=0,
        le=100,
        unit="leads/yr",
        mechanism="attraction: more project leads arrive; each converts with a chance raised by task-force "
        "support and incentives, if it gets land (sim/model/mechanisms/attraction.py)",
        description="project leads added by a rebuilt investment-promotion system (重塑招商体系)",
        effects=("attraction.conversion_rate",),
        cost="leads x fiscal.promotion_wan_per_lead",
    )
    large_firm_focus: float = lever(
        0.0,
        ge=0,
        le=1,
        unit="0-1",
        mechanism="attraction: chasing large and strong firms (招大引强) makes leads larger but fewer",
        description="how far promotion concentrates on large projects (0 = as now, 1 = fully)",
        effects=("attraction.focus_size_gain", "attraction.focus_count_cost"),
    )
    incentive_share: float = lever(
        0.0,
        ge=0,
        le=0.2,
        unit="share of capex",
        mechanism="attraction: investment incentives raise the chance a lead signs",
        description="incentives (equipment subsidy, land-price and rent support) as a share of a project's capital",
        effects=("attraction.incentive_response",),
        cost="share x capital of signed projects",
    )
    approval_quarters_cut: int = lever(
        0,
        ge=0,
        le=3,
        unit="quarters",
        mechanism="attraction: faster approvals (拿地即开工, 承诺制) shorten the build time of new projects "
        "and of incumbents' expansions",
        description="quarters cut from signing to first production by business-environment reform",
    )


class CommercePlan(Plan):
    number = "7"
    title_zh = "商贸流通服务业高质量发展行动计划"
    title_en = "Commerce and circulation services"

    ecommerce_support_yi_per_year: float = lever(
        0.0,
        ge=0,
        le=3,
        unit="亿元/yr",
        mechanism="commerce: the e-commerce base opens online channels; new channel sales become demand for "
        "the clusters that sell to consumers, in proportion to their channel share (sim/model/mechanisms/commerce.py)",
        description="support for the national e-commerce demonstration base (运营, 直播电商, 物流)",
        effects=("commerce.sales_per_support", "commerce.additionality", "commerce.ramp_years"),
        cost="the support itself",
    )
    procurement_trade_scale: float = lever(
        0.0,
        ge=0,
        le=1,
        unit="0-1",
        mechanism="commerce: market-procurement trade lets small firms export in small lots; export demand "
        "grows for the clusters that sell through it",
        description="scale of the national market-procurement trade pilot (市场采购贸易试点), 1 = fully running",
        effects=("commerce.export_potential", "commerce.additionality", "commerce.ramp_years"),
        cost="scale x fiscal.procurement_pilot_yi_per_year",
    )


class FinancePlan(Plan):
    number = "8"
    title_zh = "金融支持实体经济发展三年行动计划"
    title_en = "Finance supporting the real economy"

    interest_subsidy: float = lever(
        0.0,
        ge=0,
        le=0.03,
        unit="rate points",
        mechanism="finance: lower loan rates on new industrial loans cut interest costs, so firms keep more "
        "cash for projects and fewer fall into distress (sim/model/mechanisms/finance.py)",
        description="interest points the district pays on new industrial loans (贴息)",
        cost="subsidy x subsidised debt outstanding",
    )
    risk_compensation: float = lever(
        0.0,
        ge=0,
        le=0.8,
        unit="share of loss",
        mechanism="finance: a risk-compensation pool covers part of default losses, so banks lower the "
        "score they ask for (sim/model/agents/bank.py)",
        description="share of banks' default losses on industrial loans covered by a district pool",
        effects=("finance.risk_sensitivity",),
        cost="pool payouts on defaults",
    )
    st_credit_guarantee: float = lever(
        0.0,
        ge=0,
        le=0.8,
        unit="share of loss",
        mechanism="finance: S&T credit (科技贷) covers default losses on certified tech firms' loans, so banks "
        "lend to them at lower scores",
        description="share of default losses on loans to S&T enterprises covered by the S&T credit pool",
        effects=("finance.risk_sensitivity",),
        cost="pool payouts on tech firms' defaults",
    )
    credit_growth_guidance: float = lever(
        0.0,
        ge=0,
        le=0.1,
        unit="per year",
        mechanism="finance: guidance and relending let banks' industrial lending capacity grow faster",
        description="extra annual growth of banks' lending capacity for industry (window guidance, 再贷款)",
        cost="none (central-bank facilities)",
    )


class LandPlan(Plan):
    number = "9"
    title_zh = "产业用地节约集约利用行动计划"
    title_en = "Saving and intensive use of industrial land"

    extra_supply_mu_per_year: float = lever(
        0.0,
        ge=0,
        le=5000,
        unit="mu/yr",
        mechanism="land: newly serviced parcels become vacant after preparation; projects and expansions "
        "need vacant land (sim/model/mechanisms/land.py)",
        description="new serviced industrial land per year beyond the status quo (land.status_quo_supply_mu_per_year)",
        cost="mu x fiscal.land_preparation_wan_per_mu",
    )
    reclaim_rate: float = lever(
        0.03,
        ge=0,
        le=1,
        unit="share/quarter",
        mechanism="land: idle parcels left by exited firms are taken back and offered again (盘活闲置土地)",
        description="quarterly share of idle parcels reclaimed; status quo an assumption",
        cost="mu reclaimed x fiscal.reclaim_wan_per_mu",
    )
    low_yield_threshold_wan: float = lever(
        0.0,
        ge=0,
        le=800,
        unit="万元/mu",
        mechanism="land: yearly output-per-mu evaluation (亩均论英雄); firms below the threshold give back "
        "part of the land their output does not use and scrap the idle plant on it; the land is offered again",
        description="output per mu below which a firm must give back unused land; 0 = no evaluation",
        effects=("land.surrender_share",),
        cost="mu given back x fiscal.reclaim_wan_per_mu (paid to the firm)",
    )
    plot_ratio_gain: float = lever(
        0.0,
        ge=0,
        le=1,
        unit="share",
        mechanism="land: higher plot ratios let new and expanding plants put more capacity on each mu",
        description="extra capacity per mu allowed on newly allocated land",
    )
    min_output_per_mu_wan: float = lever(
        0.0,
        ge=0,
        le=3000,
        unit="万元/mu",
        mechanism="land: 'standard land' (标准地) screening turns away projects planning less output per mu",
        description="projects must plan at least this output per mu; 0 = no screen",
    )


class GreenPlan(Plan):
    number = "10"
    title_zh = "推动企业节能降碳绿色化发展行动计划"
    title_en = "Energy saving, carbon reduction and green development"

    retrofit_subsidy_rate: float = lever(
        0.0,
        ge=0,
        le=0.6,
        unit="share of cost",
        mechanism="green: firms weigh a retrofit's saved energy bill against its cost; a subsidy lowers the "
        "cost (sim/model/mechanisms/green.py)",
        description="share of the cost of energy-efficiency retrofits paid by the district",
        effects=("green.retrofit_saving", "green.decision_sharpness"),
        cost="rate x cost of retrofits made",
    )
    intensity_cap: float = lever(
        0.0,
        ge=0,
        le=0.9,  # about twice Chongqing's 2027 average: hardly binding on ordinary firms
        unit="tce / 万元 VA",
        mechanism="green: a firm using more energy than the quota allows for its value added is cut back by "
        "the share of its energy use above quota (up to green.max_curtailment) and pushed to retrofit",
        description="energy quota in 2027: most energy a firm may use per 万元 of value added "
        "(Chongqing's 2027 average is 0.446, 22,400 CNY per tce); energy-intensive sectors get "
        "green.energy_intensive_allowance times it; 0 = none",
        effects=("green.max_curtailment", "green.mandate_pressure"),
    )
    cap_tightening: float = lever(
        0.0,
        ge=0,
        le=0.1,
        unit="share/yr",
        mechanism="green: the value added the quota asks per tce rises by this share a year from 2027, so the "
        "ceiling is looser before 2027 and tighter after",
        description="yearly tightening of the energy quota (Chongqing: value added per tce up at least 3% a "
        "year); needs a ceiling",
    )
    tariff_surcharge: float = lever(
        0.0,
        ge=0,
        le=0.5,
        unit="share of price",
        mechanism="green: differential tariffs (差别电价) raise the price of the energy firms use above their "
        "quota, cutting their margins and raising the value of a retrofit",
        description="energy-price surcharge on the energy firms use above their quota (needs a ceiling)",
        cost="negative: surcharge revenue",
    )
    green_credit_bonus: float = lever(
        0.0,
        ge=0,
        le=0.3,
        unit="score points",
        mechanism="finance: green-credit lists give loans for retrofits a better score",
        description="score bonus banks give retrofit loans, in proportion to the retrofit share of the request",
        cost="none",
    )


class TaskForceLevers(Plan):
    number = "TF"
    title_zh = "组建特色产业集群培育专班工作方案"
    title_en = "The 24 cluster task forces (专班) and their evaluation"

    capacity_per_quarter: int = lever(
        6,
        ge=0,
        le=40,
        unit="cases/quarter",
        mechanism="task forces: each of the 24 serves its cluster's leads first, then firms' requests for land, "
        "finance and talent (sim/model/agents/task_force.py); served leads sign more often and build faster, "
        "served firms score better with banks and hire first",
        description="leads or firm requests each task force handles per quarter; status quo: pre-plan staff",
        effects=(
            "task_forces.lead_support",
            "task_forces.approval_quarters_saved",
            "task_forces.loan_score_bonus",
        ),
        cost="cases handled (capacity x (0.5 + effort), all task forces) x fiscal.task_force_wan_per_case",
    )
    evaluation_intensity: float = lever(
        0.0,
        ge=0,
        le=1,
        unit="effort",
        mechanism="task forces: show-and-compete evaluation (亮晒比拼) adds effort to task forces ranking "
        "low on their cluster's growth, and effort scales capacity and lead support",
        description="effort added by the yearly evaluation to the lowest-ranking task forces",
        effects=("task_forces.effort",),
    )


class Levers(Section):
    """Every plan's levers; a scenario sets them under [levers.<plan>]."""

    four_chain: FourChainPlan = FourChainPlan()
    innovation: InnovationPlan = InnovationPlan()
    talent: TalentPlan = TalentPlan()
    quality: QualityPlan = QualityPlan()
    ai: ArtificialIntelligencePlan = ArtificialIntelligencePlan()
    attraction: AttractionPlan = AttractionPlan()
    commerce: CommercePlan = CommercePlan()
    finance: FinancePlan = FinancePlan()
    land: LandPlan = LandPlan()
    green: GreenPlan = GreenPlan()
    task_forces: TaskForceLevers = TaskForceLevers()


def plans() -> dict[str, type[Plan]]:
    """Plan key -> lever group, in the plan's own order (1..10, then the task forces)."""
    # Every field of Levers is annotated with its Plan subclass; pydantic types it as any type.
    return {name: cast(type[Plan], field.annotation) for name, field in Levers.model_fields.items()}


def lever_paths() -> list[str]:
    """Every lever's scenario path ('levers.<plan>.<lever>'), in plan order."""
    return [f"levers.{key}.{name}" for key, plan in plans().items() for name in plan.model_fields]
