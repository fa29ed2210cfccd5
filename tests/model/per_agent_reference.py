"""The same model rules written in idiomatic per-agent Mesa style: the reference of issue 7.

`IndustryModel` keeps firm state in numpy arrays and runs each phase of the quarter as one
vectorized function over all firms. `PerAgentIndustryModel` runs the same quarter the way a
textbook Mesa model would: every firm is a `ReferenceEnterprise` agent that holds its own
state as plain Python attributes (floats, ints, bools), and each firm-level phase is
`agents_by_type[ReferenceEnterprise].do("method")`, a per-agent method doing scalar
arithmetic (`math.exp`, plain floats). Cluster aggregates the rules need (totals and means
per cluster) are summed by looping over the agents. It is a benchmark reference and a
readable statement of the firm rules; it is not used by the simulator.

Same world, same rules, same random numbers. The class subclasses `IndustryModel`, so the
world build, banks, task forces, land parcels, scenario, parameters and random streams
are identical. Our mechanisms draw, per mechanism and quarter, one array of `firms.n`
numbers from `model.scratch.streams[name]` and give element i to firm row i; the reference draws
the same arrays from the same streams in the same order and each agent takes the element
of its own row. A run therefore reproduces `IndustryModel` (tests/model/test_per_agent_reference.py).

Per-agent phases (ReferenceEnterprise methods, `do` in row order):
  1 environment: demand growth with the cluster shock (the cluster shocks themselves are
    drawn at model level, as in ours); productivity AR(1) toward the cluster mean
  3 project pipeline: building countdown, ramp-up capacity and customers taken from
    incumbents (before the shared lead conversion and births)
  4 hiring with the skilled pool rationed (served firms first), training; capacity
    investment plans; digital upgrade decisions; innovation and certification; quality;
    green retrofit decisions
  5c funded projects start: payment, borrowing, rate blending, pending capacity, upgrade
    and retrofit completion
  6 supplier matchmaking and channel demand (cluster demand injections), production:
    capacity wear and completion, min(demand, capacity), unmet demand routed to cluster
    peers, lost customers, replicator share dynamics, cluster demand response, spillover,
    expectations, revenue
  7 accounts (value added, profit, debt service, payout, margin, revenue window, the
    above-scale list) and exit decisions; customers of leaving firms pass to peers

Shared phases (our functions, run on `model.firms` after syncing the agents' state into it;
results copied back into the agents):
  1 prices (`move_prices`) and project leads (`draw_leads`): no firm state
  2 task-force evaluation and allocation (`evaluate_task_forces`, `allocate_task_forces`)
  3 lead conversion and small-firm births (`convert_leads`, `give_birth_to_small_firms`):
    newcomers are appended to the arrays and get their agents from them
  5 bank loan approval (`answer_loan_requests`), land supply, reclaim and the yearly
    output-per-mu evaluation (`manage_land`; it may scrap plant and pay firms for land),
    land for expansions (`allocate_expansion_land`)
  7 the bookkeeping of an exit (`IndustryModel.remove_firms`: defaults booked to banks,
    land released, skilled workers back to the pool); its customer hand-over is per-agent
  8 fiscal running costs, bank capacity growth, indicators and data collection
    (`IndustryModel._end_quarter`)

The sync is what the hybrid costs, not what a per-agent model costs, so it is timed apart
(`phase_seconds["sync"]`) from the per-agent phases and the shared phases. Only the columns
each shared phase reads are written before it, and only those it changes are read back
(the lists below); `full_sync = True` copies every column, to check the lists.
`phase_seconds["per_agent"]` includes the exit bookkeeping of `remove_firms`. Phases are
timed in CPU time (`time.process_time`), so a busy machine moves the ratios less.

Rows of firms that exited in an earlier quarter have no agent; their books are closed at the
start of each quarter (no output, revenue, value added or profit, the revenue window rolls
on), which is what our phases do to those rows.

It uses these non-public parts of `IndustryModel`, which a change there may break (the
equivalence test would say so): `_register_firms` (to give newcomers reference agents),
`_enterprises` (the agent of each row, which `remove_firms` removes), `_pass_on_customers`
(overridden per agent), `_begin_quarter` and `_end_quarter`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from sim.inputs.scenario import Scenario
from sim.model.firms import FirmArrays, Stage
from sim.model.fiscal import WAN_PER_YI, collect, district_income_tax, district_vat, spend
from sim.model.mechanisms.accounts import MARGIN_SMOOTHING
from sim.model.mechanisms.attraction import convert_leads, give_birth_to_small_firms
from sim.model.mechanisms.commerce import channel_target_yi
from sim.model.mechanisms.digital import industry_brain_clusters
from sim.model.mechanisms.environment import draw_leads, drift_correction, move_prices
from sim.model.mechanisms.finance import answer_loan_requests
from sim.model.mechanisms.green import intensity_ceiling
from sim.model.mechanisms.innovation import AWARD_RESPONSE_UNIT_WAN
from sim.model.mechanisms.land import allocate_expansion_land, manage_land
from sim.model.mechanisms.projects import Projects
from sim.model.mechanisms.task_force_service import allocate_task_forces, evaluate_task_forces
from sim.model.model import IndustryModel

BUILDING, RAMPING, OPERATING = int(Stage.BUILDING), int(Stage.RAMPING), int(Stage.OPERATING)
TOP_TIER = 3
FIRM_COLUMNS = tuple(FirmArrays.column_names())
PROJECT_COLUMNS = (
    "capacity_add",
    "capacity_cost",
    "land_need_mu",
    "digital",
    "digital_cost",
    "retrofit",
    "retrofit_cost",
    "subsidy",
    "rescue",
)

# What each shared phase reads from `model.firms` (written from the agents before it runs)
# and what it changes there (read back into the agents after).
TASK_FORCE_READS = ("needs_land", "needs_finance", "needs_talent", "revenue_4q")
TASK_FORCE_WRITES = ("served", "needs_land", "needs_finance", "needs_talent")
ATTRACTION_READS = ("stage", "productivity", "quality", "output_per_worker", "above_scale")
FINANCE_LAND_READS = (
    "cash",
    "revenue_4q",
    "debt",
    "capital",
    "margin",
    "above_scale",
    "tier",
    "tech",
    "stage",
    "capacity",
    "pending_capacity",
    "output",
    "needs_finance",
    "needs_land",
)
# The yearly output-per-mu evaluation scraps plant on land given back and pays for the land.
FINANCE_LAND_WRITES = ("needs_finance", "needs_land", "land_mu", "density", "capacity", "capital", "cash")
RECORD_READS = (  # what the indicators and the yearly task-force evaluation read
    "revenue",
    "value_added",
    "above_scale",
    "stage",
    "tech",
    "tier",
    "workers",
    "skilled",
    "debt",
    "output",
    "capacity",
    "energy_intensity",
    "quality",
    "revenue_4q",
)


def logistic_adoption(benefit: float, cost: float, sharpness: float, base_rate: float, nudge: float) -> float:
    """Quarterly chance to adopt (sim/model/mechanisms/adoption.py), for one firm."""
    ratio = benefit / max(cost, 1e-12)
    exponent = -(sharpness * (ratio - 1.0) + nudge)
    return 0.0 if exponent > 700 else base_rate / (1.0 + math.exp(exponent))


@dataclass(frozen=True)
class ClusterConstants:
    """The world's per-cluster constants as Python lists, indexed by cluster number."""

    trend_q: list[float]
    materials_share: list[float]
    quota_allowance: list[float]  # the energy quota's multiple for each cluster's sector
    capital_output: list[float]
    new_density: list[float]
    channel_share: list[float]
    input_supply_share: list[float]
    brain: list[bool]


class ReferenceEnterprise(mesa.Agent):
    """A firm holding its own state (every column of `FirmArrays`) as Python attributes.

    Money in 亿元; capacity, demand and output in real 亿元 per quarter. `index` is the
    firm's row in `model.firms` and in every per-firm random draw.
    """

    model: PerAgentIndustryModel

    def __init__(self, model: PerAgentIndustryModel, index: int, state: dict[str, Any]) -> None:
        super().__init__(model)
        self.index = index
        for name, value in state.items():
            setattr(self, name, value)
        self.clear_projects()

    # ----- helpers ----------------------------------------------------------------------------
    @property
    def producing(self) -> bool:
        return self.stage != BUILDING  # agents exist only while the firm is alive

    @property
    def annual_revenue(self) -> float:
        return sum(self.revenue_4q)

    @property
    def skilled_share(self) -> float:
        return self.skilled / max(self.workers, 1e-9)

    def required_skilled_share(self, tiers_ahead: int = 0) -> float:
        shares = self.model.params.labour.required_skilled_share
        return shares[min(self.tier + tiers_ahead, len(shares) - 1)]

    def labour_saving_step(self) -> float:
        """Share of its current workers the firm saves by moving up one tier."""
        saving = self.model.cumulative_labour_saving
        now = saving[self.tier]
        after = saving[min(self.tier + 1, TOP_TIER)]
        return 1 - (1 - after) / (1 - now)

    def energy_at_base_price(self) -> float:
        return self.output * 4 * self.energy_intensity * self.model.energy_price / 1e4

    def tariff_surcharge(self) -> float:
        surcharge = self.model.params.levers.green.tariff_surcharge
        return surcharge * self.energy_excess * self.energy_at_base_price()

    def annual_energy_bill(self) -> float:
        return self.energy_at_base_price() + self.tariff_surcharge()

    def rd_intensity(self) -> float:
        settings = self.model.params.innovation
        own = settings.rd_intensity_tech if self.tech else settings.rd_intensity_other
        return own * self.model.rd_price_factor

    def clear_projects(self) -> None:
        """No project requests and no bank answer yet this quarter."""
        self.capacity_add = self.capacity_cost = self.land_need_mu = 0.0
        self.digital_cost = self.retrofit_cost = self.subsidy = self.rescue = 0.0
        self.digital = self.retrofit = False
        self.loan_offer = self.loan_score = 0.0
        self.rescue_asked = False

    # ----- 1 environment ----------------------------------------------------------------------
    def shock_demand(self) -> None:
        """Demand grows at the cluster's trend plus its AR(1) shock."""
        self.demand *= self.model.demand_growth_factor[self.cluster]

    def shock_productivity(self) -> None:
        """Persistent around the cluster mean of log productivity, with an idiosyncratic shock to
        overall efficiency (output per worker moves with it)."""
        rho = self.model.params.environment.productivity_persistence
        mean = self.model.cluster_log_productivity[self.cluster]
        noise = self.model.draws["productivity"][self.index]
        log_a = math.log(self.productivity)
        drift = rho * log_a + (1 - rho) * mean + noise
        self.output_per_worker *= math.exp(drift - log_a)  # Hicks-neutral: labour productivity moves too
        self.productivity = math.exp(drift)

    # ----- 3 project pipeline -----------------------------------------------------------------
    def advance_project(self) -> None:
        """A building project counts down; a ramping plant adds capacity and wins sales."""
        attraction = self.model.params.attraction
        if self.stage == BUILDING:
            self.stage_timer -= 1
            if self.stage_timer <= 0:
                self.stage = RAMPING
                self.stage_timer = attraction.ramp_quarters
        self.ramp_sales = 0.0
        if self.stage == RAMPING:
            step = self.planned_capacity / attraction.ramp_quarters
            self.capacity += step
            self.ramp_sales = step * attraction.new_plant_utilisation

    def take_ramp_customers(self) -> None:
        """Incumbents lose the customers the cluster's ramping plants take; ramping plants win them."""
        if self.stage == OPERATING:
            self.demand *= self.model.incumbent_keep[self.cluster]
        elif self.stage == RAMPING:
            self.demand += self.ramp_sales
            self.expected_demand += self.ramp_sales
            self.stage_timer -= 1
            if self.stage_timer <= 0:
                self.stage = OPERATING

    # ----- 4 decisions ------------------------------------------------------------------------
    def train(self) -> None:
        """Firms train some of their unskilled workers."""
        trained = self.model.params.labour.training_rate / 4 * (self.workers - self.skilled)
        self.skilled += trained
        self.model.scratch.tally.add("trained", trained)

    def plan_hiring(self) -> None:
        """Staff target for expected output; skilled vacancies for the tier the firm is (or aims) at."""
        labour = self.model.params.labour
        self.output_per_worker *= self.model.output_per_worker_growth
        active = self.stage != BUILDING
        ramp_target = self.planned_capacity if self.stage == RAMPING else self.capacity
        trend = self.model.cluster_constants.trend_q[self.cluster]
        expected_orders = self.expected_demand * math.exp(trend) + self.backlog
        planned_output = min(ramp_target, expected_orders * labour.staffing_buffer)
        self.staff_target = planned_output / self.output_per_worker if active else 0.0
        aims = 1 if self.preparing_upgrade else 0
        self.skilled_target = self.staff_target * self.required_skilled_share(aims)
        self.unskilled = self.workers - self.skilled
        self.skilled_wanted = max(self.skilled_target - self.skilled, 0.0) if active else 0.0

    def staff(self) -> None:
        """Take the skilled workers the pool rations out; fill the rest with unskilled workers."""
        labour = self.model.params.labour
        hired = self.skilled_wanted * self.model.skilled_fill[self.served]
        self.skilled += hired
        self.model.skilled_hired += hired
        active = self.stage != BUILDING
        unskilled = self.unskilled
        gap = max(self.staff_target - self.skilled, 0.0) - unskilled
        change = labour.unskilled_fill_rate * gap if gap > 0 else labour.overstaff_release * gap
        if active:
            unskilled = max(unskilled + change, 0.0)
        self.workers = unskilled + self.skilled
        if active and self.skilled_wanted - hired > 0.1 * self.skilled_target + 1e-9:
            self.needs_talent = True

    def plan_expansion(self) -> None:
        """Expand by the gap to expected demand grown a year past completion, past a trigger."""
        settings = self.model.params.investment
        clusters = self.model.cluster_constants
        installed = self.capacity + self.pending_capacity
        lookahead = clusters.trend_q[self.cluster] * (settings.build_quarters + 4)
        desired = self.expected_demand * (1 + settings.capacity_buffer) * math.exp(lookahead)
        reviewing = self.model.draws["investment"][self.index] < settings.review_rate
        if not (
            reviewing
            and self.stage == OPERATING
            and self.pending_timer == 0
            and self.margin >= settings.min_margin
            and desired > installed * (1 + settings.trigger_gap)
        ):
            return
        add = min(desired - installed, settings.max_expansion * self.capacity)
        self.capacity_add = add
        self.capacity_cost = add * (4 * clusters.capital_output[self.cluster] * self.model.price_index)
        land_capacity = self.land_mu * self.density * (1 + self.model.params.land.onsite_headroom)
        beyond_land = max(installed + add - land_capacity, 0.0)
        params = self.model.params
        plot_ratio = (1 + params.land.new_plant_density_gain) * (1 + params.levers.land.plot_ratio_gain)
        if add > 0:
            self.land_need_mu = beyond_land / (clusters.new_density[self.cluster] * plot_ratio)

    def consider_digital_upgrade(self) -> None:
        """Weigh the next tier's gain against its cost, with peers; skills must be there."""
        if self.stage != OPERATING or self.tier >= TOP_TIER:
            self.preparing_upgrade = False
            return
        model = self.model
        settings = model.params.digital
        clusters = model.cluster_constants
        step = min(self.tier, TOP_TIER - 1)
        materials = self.revenue * 4 * clusters.materials_share[self.cluster] / self.productivity
        wages = model.annual_wage * self.workers
        benefit = settings.horizon_years * (
            settings.productivity_gain[step] * materials + self.labour_saving_step() * wages
        )
        scale = self.capacity * 4 * model.price_index
        brain = clusters.brain[self.cluster]
        full_cost = settings.upgrade_cost[step] * scale * (1 - settings.platform_cost_cut * brain)
        subsidy_rate = model.params.levers.ai.upgrade_subsidy_rate
        cost = full_cost * (1 - subsidy_rate)
        peers = model.tier_share_at_or_above[self.cluster][min(self.tier + 1, TOP_TIER + 1)]
        chance = logistic_adoption(
            benefit, cost, settings.decision_sharpness, settings.base_rate, settings.peer_effect * peers
        )
        wants = model.draws["digital"][self.index] < chance
        skills_ok = self.skilled_share >= settings.skill_tolerance * self.required_skilled_share(1)
        if wants and not skills_ok:  # recruit for the next tier meanwhile
            self.needs_talent = True
            self.preparing_upgrade = True
            return
        # A firm keeps preparing only while the upgrade still pays.
        self.preparing_upgrade = self.preparing_upgrade and benefit >= cost
        if wants:
            self.digital = True
            self.digital_cost = cost
            self.subsidy = full_cost * subsidy_rate

    def innovate(self) -> None:
        """R&D gives a chance of a productivity step; certification follows skills and success."""
        if self.stage == BUILDING:
            return
        model = self.model
        settings = model.params.innovation
        levers = model.params.levers.innovation
        draws = model.draws
        platforms = 1 + settings.boost_per_platform * levers.platforms
        needed = self.required_skilled_share()
        staffing = min(self.skilled_share / needed, 1.0) if needed > 0 else 1.0
        chance = 1 - math.exp(-settings.success_scale * (self.rd_intensity() * platforms * staffing))
        success = draws["innovation"][self.index] < chance
        if success:
            self.productivity *= 1 + draws["innovation_step"][self.index]
            model.scratch.tally.add("innovations", 1)
        if self.tech:
            if draws["lapse"][self.index] < settings.lapse_rate:
                self.tech = False
            return
        propensity = settings.certification_rate * self.skilled_share / model.constants.base_skilled_share
        propensity *= settings.success_certification_boost if success else 1.0
        propensity *= 1 + settings.award_response * levers.certification_award_wan / AWARD_RESPONSE_UNIT_WAN
        if draws["certification"][self.index] < propensity:
            self.tech = True
            model.scratch.tally.add("certifications", 1)
            if not self.ever_certified:
                self.ever_certified = True
                model.first_certifications += 1

    def build_quality(self) -> None:
        """Quality capital wears out and is rebuilt by this quarter's spending."""
        if self.stage == BUILDING:
            return
        wear = self.model.params.quality.depreciation
        self.quality = (1 - wear) * self.quality + wear * self.model.quality_response

    def consider_retrofit(self) -> None:
        """Energy use improves; a retrofit is weighed on its saved bill; mandates add pressure."""
        model = self.model
        settings = model.params.green
        levers = model.params.levers.green
        self.energy_intensity *= model.energy_improvement
        self.energy_excess = 0.0
        if model.quota_ceiling > 0 and self.revenue > 0:
            quota = model.quota_ceiling * model.cluster_constants.quota_allowance[self.cluster]
            allowed = quota * self.value_added / self.revenue / self.energy_intensity
            self.energy_excess = min(max(1 - allowed, 0.0), 1.0)
        self.curtailment = min(self.energy_excess, settings.max_curtailment)
        over = self.energy_excess > 0
        saving = settings.retrofit_saving * self.annual_energy_bill()
        full_cost = settings.retrofit_cost_per_saving * saving
        cost = full_cost * (1 - levers.retrofit_subsidy_rate)
        chance = logistic_adoption(
            settings.horizon_years * saving,
            cost,
            settings.decision_sharpness,
            settings.base_rate,
            settings.mandate_pressure * over,
        )
        if self.stage == OPERATING and saving > 0 and model.draws["green"][self.index] < chance:
            self.retrofit = True
            self.retrofit_cost = cost
            self.subsidy += full_cost * levers.retrofit_subsidy_rate

    # ----- 5c projects start ------------------------------------------------------------------
    @property
    def project_cost(self) -> float:
        return self.capacity_cost + self.digital_cost + self.retrofit_cost

    def start_project(self) -> None:
        """Pay for the funded projects from spare cash and the approved loan; they take effect."""
        model = self.model
        params = model.params
        subsidy = params.levers.finance.interest_subsidy
        cost = self.project_cost
        spare = max(self.cash - params.finance.cash_reserve * self.annual_revenue, 0.0)
        from_cash = min(spare, cost)
        borrowed = min(self.loan_offer, max(cost - from_cash, 0.0) + self.rescue)
        rate = (
            model.constants.policy_rate
            + model.bank_spreads[self.bank]
            + params.finance.risk_premium * (1 - self.loan_score)
            - subsidy
        )
        pools = params.levers.finance
        coverage = max(pools.risk_compensation, pools.st_credit_guarantee * self.tech)
        new_debt = self.debt + borrowed
        if new_debt > 0:  # the new loan's terms blend with the old loans' by amount
            self.loan_rate = (self.debt * self.loan_rate + borrowed * rate) / new_debt
            self.interest_support = (self.debt * self.interest_support + borrowed * subsidy) / new_debt
            self.pool_coverage = (self.debt * self.pool_coverage + borrowed * coverage) / new_debt
        self.debt = new_debt
        self.cash += borrowed - cost
        if self.capacity_add > 0:
            self.pending_capacity += self.capacity_add
            build = max(1, params.investment.build_quarters - params.levers.attraction.approval_quarters_cut)
            self.pending_timer = build + 1  # production this quarter counts the first one down
            model.scratch.tally.add("expansions", 1)
        self.capital += self.capacity_cost
        if self.digital:
            self.complete_upgrade()
        if self.retrofit:
            self.energy_intensity *= 1 - params.green.retrofit_saving
            model.scratch.tally.add("retrofits", 1)
        model.project_subsidy += self.subsidy
        model.scratch.tally.add("investment_yi", cost + self.subsidy)
        model.scratch.tally.add("new_loans_yi", borrowed)

    def complete_upgrade(self) -> None:
        """The next digital tier lifts productivity and output per worker."""
        self.productivity *= 1 + self.model.params.digital.productivity_gain[self.tier]
        self.output_per_worker /= 1 - self.labour_saving_step()
        self.tier += 1
        self.preparing_upgrade = False
        self.model.scratch.tally.add("digital_upgrades", 1)

    # ----- 6 production -----------------------------------------------------------------------
    def gain_cluster_demand(self) -> None:
        """New cluster demand (local sourcing, channels) shared by operating firms' demand."""
        if self.stage == OPERATING:
            self.demand *= self.model.cluster_demand_factor[self.cluster]

    def install_capacity(self) -> None:
        """Capacity and capital wear; an expansion finishing its build comes on line."""
        if self.producing:
            self.capacity *= self.model.capacity_wear
            self.capital *= self.model.capacity_wear
        if self.pending_timer > 0:
            self.pending_timer -= 1
            if self.pending_timer == 0:
                self.capacity += self.pending_capacity
                self.pending_capacity = 0.0

    def effective_capacity(self) -> float:
        if not self.producing:
            return 0.0
        staffed = self.workers * self.output_per_worker * (1 + self.model.params.labour.overtime_limit)
        capacity = min(self.capacity, staffed)
        return capacity * (1 - self.curtailment)

    def offer_output(self) -> None:
        """Sell up to the orders (demand and backlog) within capacity; note the excess and the room."""
        capacity = self.effective_capacity()
        self.orders = self.demand + self.backlog
        self.output = min(self.orders, capacity)
        self.excess_demand = self.orders - self.output
        self.room = capacity - self.output

    def fill_peer_orders(self) -> None:
        """Take a share of the cluster's unmet orders; orders nobody serves wait, less cancellations."""
        model = self.model
        if not self.producing:
            self.output = 0.0
            self.backlog = 0.0
            return
        self.output += self.room * min(model.peer_fill[self.cluster], 1.0)
        waiting = self.excess_demand * model.unserved_share[self.cluster]
        cancelled = model.params.market.unserved_demand_loss * waiting
        current = self.demand / self.orders if self.orders > 0 else 0.0
        self.demand -= cancelled * current
        self.backlog = waiting - cancelled
        self.z = self.competitiveness_now()

    def skill_factor(self) -> float:
        gap = max(self.required_skilled_share() - self.skilled_share, 0.0)
        return max(1 - self.model.params.labour.skill_gap_penalty * gap, 0.5)

    def competitiveness_now(self) -> float:
        """Log quality-adjusted price advantage: passed-through cost cut plus quality premium."""
        params = self.model.params
        effective = self.productivity * self.skill_factor()
        cost_elasticity = params.market.cost_pass_through * self.model.clusters.materials_share[self.cluster]
        premium = params.quality.sales_elasticity / params.market.trade_elasticity * math.log(self.quality)
        return cost_elasticity * math.log(effective) + premium

    def tilt_share(self) -> None:
        """Replicator step: demand tilted toward firms more competitive than the cluster."""
        if self.stage == OPERATING:
            market = self.model.params.market
            elasticity = market.share_elasticity * market.trade_elasticity
            self.tilted = self.demand * math.exp(elasticity * (self.z - self.model.mean_z[self.cluster]))

    def settle_share(self) -> None:
        """The new share mixes merit (tilted) and delivery (what the firm sold)."""
        if self.stage != OPERATING:
            return
        model = self.model
        weight = model.params.market.delivery_weight
        by_merit = self.tilted * model.merit_scale[self.cluster]
        by_delivery = self.output * model.delivery_scale[self.cluster]
        self.demand = (1 - weight) * by_merit + weight * by_delivery

    def respond_to_cluster(self) -> None:
        """Cluster demand follows its firms' competitiveness gain; record competitiveness."""
        if self.producing:
            self.demand *= self.model.cluster_demand_change[self.cluster]
            self.competitiveness = self.z

    def spill_over(self) -> None:
        """Productivity rises with cluster output growth (agglomeration), then expectations adapt."""
        model = self.model
        if self.producing:
            self.productivity *= model.spillover_boost[self.cluster]
            weight = model.params.investment.expectation_weight
            self.expected_demand = weight * self.demand + (1 - weight) * self.expected_demand
        self.revenue = self.output * model.price_index

    # ----- 7 accounts and exits ---------------------------------------------------------------
    def value_added_now(self) -> float:
        materials = (
            self.revenue * self.model.cluster_constants.materials_share[self.cluster] / self.productivity
        )
        return self.revenue - materials - self.annual_energy_bill() / 4

    def settle_accounts(self) -> None:
        """Book value added and profit, service debt, pay out, smooth the margin, roll revenue."""
        model = self.model
        params = model.params
        levers = params.levers
        va = self.value_added_now()
        wages = model.annual_wage / 4 * (self.workers + model.constants.skilled_wage_premium * self.skilled)
        if self.output_per_worker > 0:
            overtime_workers = (
                max(self.output - self.workers * self.output_per_worker, 0.0) / self.output_per_worker
            )
            wages += model.annual_wage / 4 * (1 + params.labour.overtime_premium) * overtime_workers
        overdraft = max(-self.cash, 0.0)
        # Arrears pay the full rate: the district's interest support is only on bank debt.
        interest = (self.debt + overdraft) * self.loan_rate / 4 + overdraft * self.interest_support / 4
        taxes = params.accounts.tax_rate_on_value_added * max(va, 0.0)
        rd, quality = self.rd_intensity(), model.quality_share
        rd_rate, quality_rate = levers.innovation.rd_subsidy_rate, levers.quality.quality_subsidy_rate
        spending = self.revenue * (rd * (1 - rd_rate) + quality * (1 - quality_rate))
        refund = self.revenue * (rd * rd_rate + quality * quality_rate)
        depreciation = params.investment.depreciation_rate / 4 * self.capital if self.producing else 0.0
        self.value_added = va
        self.profit = va - wages - depreciation - interest - taxes - spending
        model.refunds += refund
        model.interest_support_paid += self.debt * self.interest_support
        model.tariff_collected += self.tariff_surcharge()
        model.taxes_on_value_added += taxes
        own = district_income_tax(model, np.array([self.profit]), np.array([self.tech]))
        model.income_tax_collected += own

        due = self.debt / (params.finance.maturity_years * 4)
        principal = min(due, max(self.cash, 0.0))
        payout = params.accounts.payout_ratio * max(self.profit, 0.0)
        self.cash += self.profit - payout + depreciation - principal
        self.debt -= principal
        if self.producing:
            margin = self.profit / self.revenue if self.revenue > 0 else 0.0
            self.margin = (1 - MARGIN_SMOOTHING) * self.margin + MARGIN_SMOOTHING * margin
        self.revenue_4q = [*self.revenue_4q[1:], self.revenue]

    def update_above_scale(self) -> None:
        """Once a year: operating firms at or above the revenue threshold are above scale (规上)."""
        if self.stage != OPERATING:
            return  # firms not yet operating a full year keep their status
        was = self.above_scale
        self.above_scale = self.annual_revenue >= self.model.constants.above_scale_threshold
        if self.above_scale and not was:
            self.model.scratch.tally.add("new_above_scale", 1)

    def consider_exit(self) -> None:
        """Exit at random (closure, relocation) or in distress after a refused rescue loan."""
        if self.stage != OPERATING:
            return
        model = self.model
        demography = model.params.demography
        hazard = (demography.exit_hazard_above if self.above_scale else demography.exit_hazard_small) / 4
        chance_exit = model.draws["exit"][self.index] < hazard
        refused_rescue = self.rescue_asked and self.loan_offer == 0
        distress = refused_rescue and self.cash < demography.distress_cash_ratio * self.annual_revenue
        if distress:
            model.scratch.tally.add("distress_exits", 1)
        if chance_exit or distress:
            model.leaving.append(self)


class PerAgentIndustryModel(IndustryModel):
    """`IndustryModel` with its firm-level phases run per agent (see the module docstring).

    Args:
        scenario: validated scenario; defaults to the status quo.
        rng: seed of the run; the same scenario and seed give the same run as `IndustryModel`.
    """

    # True: copy every column at every sync, to check that the column lists above are complete.
    full_sync = False
    _timing_outer: str | None = None  # the phase being timed, whose sync time is taken out
    _sync_inside = 0.0

    def __init__(self, scenario: Scenario | None = None, rng: Any = None, **kwargs: Any) -> None:
        self.phase_seconds = {"per_agent": 0.0, "shared": 0.0, "sync": 0.0}
        super().__init__(scenario, rng=rng, **kwargs)
        # The base constructor computed margin, competitiveness and value added on the arrays
        # after the agents were made: give them the result.
        self._read_back(FIRM_COLUMNS)
        clusters = self.clusters
        self.cluster_constants = ClusterConstants(
            trend_q=clusters.trend_q.tolist(),
            materials_share=clusters.materials_share.tolist(),
            quota_allowance=np.where(
                clusters.energy_intensive, self.params.green.energy_intensive_allowance, 1.0
            ).tolist(),
            capital_output=clusters.capital_output.tolist(),
            new_density=clusters.new_density.tolist(),
            channel_share=clusters.channel_share.tolist(),
            input_supply_share=clusters.input_supply_share.tolist(),
            brain=industry_brain_clusters(self).tolist(),
        )
        self.cumulative_labour_saving = [0.0, *self.params.digital.labour_saving]
        self.bank_spreads = [bank.spread for bank in self.banks]
        self.cluster_output = None

    # ----- agents and their state -------------------------------------------------------------
    @property
    def enterprises(self) -> mesa.agent.AgentSet:
        return self.agents_by_type[ReferenceEnterprise]

    def _register_firms(self, rows: np.ndarray) -> None:
        """Newcomers get reference agents holding a copy of their rows."""
        firms = self.firms
        columns = {name: getattr(firms, name)[rows].tolist() for name in FIRM_COLUMNS}
        for k, row in enumerate(rows.tolist()):
            state = {name: values[k] for name, values in columns.items()}
            self._enterprises.append(ReferenceEnterprise(self, row, state))

    def _write(self, columns: Sequence[str], agents: Sequence[ReferenceEnterprise] | None = None) -> None:
        """Copy the agents' state into `model.firms` for a shared phase."""
        with self._timed("sync"):
            agents = list(self.enterprises) if agents is None else agents
            columns = FIRM_COLUMNS if self.full_sync else columns
            rows = [agent.index for agent in agents]
            for name in columns:
                getattr(self.firms, name)[rows] = [getattr(agent, name) for agent in agents]

    def _read_back(self, columns: Sequence[str]) -> None:
        """Copy what a shared phase changed in `model.firms` into the agents."""
        with self._timed("sync"):
            for name in FIRM_COLUMNS if self.full_sync else columns:
                values = getattr(self.firms, name).tolist()
                for agent in self.enterprises:
                    setattr(agent, name, values[agent.index])

    def sync_firm_arrays(self) -> None:
        """Write every agent's whole state into `model.firms` (for inspection after a run)."""
        self._write(FIRM_COLUMNS)

    @contextmanager
    def _timed(self, kind: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            elapsed = time.process_time() - start
            self.phase_seconds[kind] += elapsed
            if kind == "sync" and self._timing_outer is not None:
                self._sync_inside += elapsed

    @contextmanager
    def _phase(self, kind: str) -> Iterator[None]:
        """Time a phase, net of the sync it does."""
        self._timing_outer, self._sync_inside = kind, 0.0
        start = time.process_time()
        try:
            yield
        finally:
            self.phase_seconds[kind] += time.process_time() - start - self._sync_inside
            self._timing_outer = None

    def _cluster_totals(self, values: Callable[[ReferenceEnterprise], float], which: Callable) -> list[float]:
        """Sum of `values` over the agents `which` selects, per cluster, in row order."""
        totals = [0.0] * self.clusters.n
        for agent in self.enterprises:
            if which(agent):
                totals[agent.cluster] += values(agent)
        return totals

    def _draw(self, stream: str, method: str, *args: Any) -> list[float]:
        """One draw per firm row, from the stream our vectorized phase uses, in the same order."""
        return getattr(self.scratch.streams[stream], method)(*args, self.firms.n).tolist()

    # ----- the quarter ------------------------------------------------------------------------
    def step(self) -> None:
        """One quarter, in the order of `IndustryModel.step`."""
        self._begin_quarter()
        self.draws: dict[str, list[float]] = {}
        with self._phase("shared"):
            self._close_books_of_exited_firms()
            move_prices(self)
        with self._phase("per_agent"):
            self.shock_demand()
            self.shock_productivity()
        with self._phase("shared"):
            leads = draw_leads(self)
            if self.quarter == 1:
                evaluate_task_forces(self)
            self._write(TASK_FORCE_READS)
            allocate_task_forces(self, leads)
            self._read_back(TASK_FORCE_WRITES)
        with self._phase("per_agent"):
            self.advance_projects()
        with self._phase("shared"):
            self._write(ATTRACTION_READS)
            convert_leads(self, leads)
            give_birth_to_small_firms(self)
        with self._phase("per_agent"):
            self.enterprises.do("clear_projects")
            self.hire()
            self.plan_capacity_investment()
            self.plan_digital_upgrades()
            self.innovate()
            self.build_quality()
            self.plan_retrofits()
        with self._phase("shared"):
            self.finance_and_land()
        with self._phase("per_agent"):
            self.start_projects()
            self.match_suppliers()
            self.open_channels()
            self.produce()
            self.settle_accounts()
            self.close_firms()
        with self._phase("shared"):
            self._write(RECORD_READS)
            self._end_quarter()

    def _close_books_of_exited_firms(self) -> None:
        """Rows of firms gone in an earlier quarter: no flows, the revenue window rolls on."""
        firms = self.firms
        gone = ~firms.alive
        for name in ("output", "revenue", "value_added", "profit"):
            getattr(firms, name)[gone] = 0.0
        firms.revenue_4q[gone] = np.roll(firms.revenue_4q[gone], -1, axis=1)
        firms.revenue_4q[gone, -1] = 0.0
        if self.quarter == 4:
            firms.above_scale[gone] = False

    # 1 environment ----------------------------------------------------------------------------
    def shock_demand(self) -> None:
        """Cluster growth shocks (common plus own, AR(1)) drawn here; each firm's demand follows."""
        env = self.params.environment
        rng = self.scratch.streams["demand"]
        common = rng.normal(0.0, env.macro_volatility)
        own = rng.normal(0.0, env.cluster_volatility, self.clusters.n).tolist()
        previous = self.demand_shock.tolist()
        shock = [env.shock_persistence * previous[c] + common + own[c] for c in range(self.clusters.n)]
        self.demand_shock = np.array(shock)
        drift = drift_correction(self)
        trend = self.cluster_constants.trend_q
        self.demand_growth_factor = [math.exp(trend[c] + shock[c] - drift) for c in range(self.clusters.n)]
        self.enterprises.do("shock_demand")

    def shock_productivity(self) -> None:
        totals = self._cluster_totals(lambda a: math.log(a.productivity), lambda a: True)
        counts = self._cluster_totals(lambda a: 1.0, lambda a: True)
        self.cluster_log_productivity = [t / max(n, 1.0) for t, n in zip(totals, counts, strict=True)]
        self.draws["productivity"] = self._draw(
            "productivity", "normal", 0.0, self.constants.productivity_shock_sd
        )
        self.enterprises.do("shock_productivity")

    # 3 project pipeline -----------------------------------------------------------------------
    def advance_projects(self) -> None:
        own_share = self.params.attraction.own_demand_share
        self.enterprises.do("advance_project")
        taken = self._cluster_totals(lambda a: a.ramp_sales * (1 - own_share), lambda a: a.stage == RAMPING)
        held = self._cluster_totals(lambda a: a.demand, lambda a: a.stage == OPERATING)
        self.incumbent_keep = [
            min(max(1 - (t / h if h > 0 else 0.0), 0.0), 1.0) for t, h in zip(taken, held, strict=True)
        ]
        self.enterprises.do("take_ramp_customers")

    # 4 decisions ------------------------------------------------------------------------------
    def renew_skilled_pool(self) -> None:
        """Skilled workers arrive (and the talent plan adds some) or leave."""
        labour = self.params.labour
        talent = self.params.levers.talent
        recruited = talent.recruited_talent_per_year * labour.talent_retention
        graduates = talent.training_places_per_year * labour.training_completion
        self.skilled_pool += (labour.skilled_inflow_per_year + recruited + graduates) / 4
        self.scratch.tally.add("talent_added", (recruited + graduates) / 4)
        self.skilled_pool *= 1 - labour.skilled_attrition / 4

    def hire(self) -> None:
        """Firms staff up; the skilled pool fills served firms' vacancies first, then pro rata."""
        self.renew_skilled_pool()
        self.enterprises.do("train")
        self.output_per_worker_growth = (1 + self.params.labour.productivity_growth) ** 0.25
        self.enterprises.do("plan_hiring")
        available = self.skilled_pool
        self.skilled_fill = {True: 0.0, False: 0.0}
        for served in (True, False):
            asked = sum(a.skilled_wanted for a in self.enterprises if a.served == served)
            if asked <= 0 or available <= 0:
                continue
            fraction = min(1.0, available / asked)
            self.skilled_fill[served] = fraction
            available -= asked * fraction
        self.skilled_hired = 0.0
        self.enterprises.do("staff")
        self.skilled_pool -= self.skilled_hired
        self.scratch.tally.add("skilled_hired", self.skilled_hired)

    def plan_capacity_investment(self) -> None:
        self.draws["investment"] = self._draw("investment", "random")
        self.enterprises.do("plan_expansion")

    def plan_digital_upgrades(self) -> None:
        """Each firm sees the share of its cluster's operating firms at each tier or higher."""
        self.draws["digital"] = self._draw("digital", "random")
        counts = [[0] * (TOP_TIER + 2) for _ in range(self.clusters.n)]
        for agent in self.enterprises:
            if agent.stage == OPERATING:
                counts[agent.cluster][agent.tier] += 1
        self.tier_share_at_or_above = []
        for row in counts:
            total = max(sum(row), 1)
            self.tier_share_at_or_above.append([sum(row[t:]) / total for t in range(TOP_TIER + 2)])
        self.enterprises.do("consider_digital_upgrade")

    def innovate(self) -> None:
        settings = self.params.innovation
        levers = self.params.levers.innovation
        rng = self.scratch.streams["innovation"]
        n = self.firms.n
        self.draws["innovation"] = rng.random(n).tolist()
        self.draws["innovation_step"] = rng.exponential(settings.step_mean, n).tolist()
        self.draws["certification"] = rng.random(n).tolist()
        self.draws["lapse"] = rng.random(n).tolist()
        self.rd_price_factor = (1 - levers.rd_subsidy_rate) ** (-settings.rd_price_elasticity)
        self.first_certifications = 0  # the award is paid once per firm
        self.enterprises.do("innovate")
        spend(self, "subsidies", levers.certification_award_wan * self.first_certifications / WAN_PER_YI)

    def build_quality(self) -> None:
        """Quality spending over revenue, raised by the subsidy through its net price."""
        settings = self.params.quality
        net_price = 1 - self.params.levers.quality.quality_subsidy_rate
        self.quality_response = net_price ** (-settings.subsidy_elasticity)
        self.quality_share = settings.spend_share * self.quality_response
        self.enterprises.do("build_quality")

    def plan_retrofits(self) -> None:
        self.draws["green"] = self._draw("green", "random")
        self.energy_improvement = (1 - self.params.green.autonomous_improvement) ** 0.25
        self.quota_ceiling = intensity_ceiling(self)
        self.enterprises.do("consider_retrofit")

    # 5 banks and land (shared) ----------------------------------------------------------------
    def finance_and_land(self) -> None:
        """Banks answer loan requests and land is supplied and allocated, on the arrays."""
        agents = list(self.enterprises)
        rows = [agent.index for agent in agents]
        self._write(FINANCE_LAND_READS, agents)
        with self._timed("sync"):
            projects = Projects.empty(self.firms.n)
            for name in PROJECT_COLUMNS:
                getattr(projects, name)[rows] = [getattr(agent, name) for agent in agents]
        loans = answer_loan_requests(self, projects)
        manage_land(self, projects)
        allocate_expansion_land(self, projects)
        self._read_back(FINANCE_LAND_WRITES)
        with self._timed("sync"):
            answers = {
                **{name: getattr(projects, name).tolist() for name in PROJECT_COLUMNS},
                "loan_offer": loans.offer.tolist(),
                "loan_score": loans.score.tolist(),
                "rescue_asked": loans.rescue_asked.tolist(),
            }
            for agent in agents:
                for name, values in answers.items():
                    setattr(agent, name, values[agent.index])

    # 5c and 6 ---------------------------------------------------------------------------------
    def start_projects(self) -> None:
        self.project_subsidy = 0.0
        self.enterprises.do("start_project")
        spend(self, "subsidies", self.project_subsidy)

    def add_cluster_demand(self, added: list[float]) -> float:
        """Give each cluster `added` real demand, shared by its operating firms' demand."""
        held = self._cluster_totals(lambda a: a.demand, lambda a: a.stage == OPERATING)
        placed = [x if h > 0 else 0.0 for x, h in zip(added, held, strict=True)]
        self.cluster_demand_factor = [
            1 + (p / h if h > 0 else 0.0) for p, h in zip(placed, held, strict=True)
        ]
        self.enterprises.do("gain_cluster_demand")
        return sum(placed)

    def match_suppliers(self) -> None:
        """Matchmaking raises the local input share; switched purchases become cluster demand."""
        market = self.params.market
        rounds = self.params.levers.four_chain.matchmaking_rounds_per_year / 4
        room = max(market.local_share_ceiling - self.local_input_share, 0.0)
        gain = min(rounds * market.local_share_gain_per_round, room)
        if gain <= 0:
            return
        materials_share = self.cluster_constants.materials_share
        materials = sum(
            a.output * materials_share[a.cluster] / a.productivity for a in self.enterprises if a.producing
        )
        switched = gain * materials
        output = self._cluster_totals(lambda a: a.output, lambda a: a.producing)
        inputs = self.cluster_constants.input_supply_share
        supply = [x * share for x, share in zip(output, inputs, strict=True)]
        total = sum(supply)
        if switched <= 0 or total <= 0:
            return
        placed = self.add_cluster_demand([switched * s / total for s in supply])
        self.local_input_share += gain * placed / switched
        self.scratch.tally.add("local_sourcing_yi", placed * 4 * self.price_index)

    def open_channels(self) -> None:
        """Channel sales step toward their target; the additional part becomes cluster demand."""
        settings = self.params.commerce
        target = channel_target_yi(self)
        step = min(target / (4 * settings.ramp_years), max(target - self.channel_sales_yi, 0.0))
        if step <= 0:
            return
        demand = self._cluster_totals(lambda a: a.demand, lambda a: a.stage == OPERATING)
        weights = [s * d for s, d in zip(self.cluster_constants.channel_share, demand, strict=True)]
        total = sum(weights)
        if total <= 0:
            return
        new_demand = settings.additionality * step / 4 / self.price_index
        placed = self.add_cluster_demand([new_demand * w / total for w in weights])
        self.channel_sales_yi += step * placed / new_demand

    def produce(self) -> None:
        """Production, unmet demand to peers, shares, cluster demand response and spillover."""
        market = self.params.market
        firms = self.enterprises
        self.capacity_wear = (1 - self.params.investment.depreciation_rate) ** 0.25
        firms.do("install_capacity")
        firms.do("offer_output")
        unmet = self._cluster_totals(lambda a: a.excess_demand, lambda a: a.producing)
        room = self._cluster_totals(lambda a: a.room, lambda a: a.producing)
        self.peer_fill = [u / r if r > 0 else 0.0 for u, r in zip(unmet, room, strict=True)]
        self.unserved_share = [
            (u - min(u, r)) / u if u > 0 else 0.0 for u, r in zip(unmet, room, strict=True)
        ]
        firms.do("fill_peer_orders")

        operating = lambda a: a.stage == OPERATING  # noqa: E731
        total = self._cluster_totals(lambda a: a.demand, operating)
        weighted = self._cluster_totals(lambda a: a.demand * a.z, operating)
        self.mean_z = [w / max(t, 1e-12) for w, t in zip(weighted, total, strict=True)]
        firms.do("tilt_share")
        delivered = self._cluster_totals(lambda a: a.output, operating)
        tilted = self._cluster_totals(lambda a: a.tilted, operating)
        self.merit_scale = [t / max(x, 1e-12) for t, x in zip(total, tilted, strict=True)]
        self.delivery_scale = [t / max(d, 1e-12) for t, d in zip(total, delivered, strict=True)]
        firms.do("settle_share")

        continuing = lambda a: a.producing and not math.isnan(a.competitiveness)  # noqa: E731
        weights = self._cluster_totals(lambda a: a.demand, continuing)
        gains = self._cluster_totals(lambda a: a.demand * (a.z - a.competitiveness), continuing)
        # The cluster's gain over its outside competitors, whose prices fall with their productivity.
        gaps = [
            g / max(w, 1e-12) - market.cost_pass_through * share * math.log1p(growth) / 4
            for g, w, share, growth in zip(
                gains, weights, self.clusters.materials_share, self.frontier_growth, strict=True
            )
        ]
        self.competitive_position += np.array(gaps)
        self.cluster_demand_change = [math.exp(market.trade_elasticity * gap) for gap in gaps]
        firms.do("respond_to_cluster")

        output = self._cluster_totals(lambda a: a.output, lambda a: a.producing)
        self.spillover_boost = [1.0] * self.clusters.n
        if self.cluster_output is not None:
            scale = market.agglomeration_elasticity * self.local_input_share
            self.spillover_boost = [
                math.exp(scale * math.log(max(now, 1e-12) / max(before, 1e-12)))
                for now, before in zip(output, self.cluster_output, strict=True)
            ]
        self.cluster_output = output
        firms.do("spill_over")

    # 7 accounts and exits ---------------------------------------------------------------------
    def settle_accounts(self) -> None:
        self.refunds = self.interest_support_paid = self.tariff_collected = 0.0
        self.taxes_on_value_added = self.income_tax_collected = 0.0
        self.enterprises.do("settle_accounts")
        spend(self, "subsidies", self.refunds)
        spend(self, "interest_support", self.interest_support_paid / 4)
        collect(self, "tariffs", self.tariff_collected / 4)
        collect(self, "vat", district_vat(self, self.taxes_on_value_added))
        collect(self, "income_tax", self.income_tax_collected)
        if self.quarter == 4:
            self.enterprises.do("update_above_scale")

    def close_firms(self) -> None:
        """Agents decide to exit; their defaults, land and workers are booked by `remove_firms`."""
        self.draws["exit"] = self._draw("exit", "random")
        self.leaving: list[ReferenceEnterprise] = []
        self.enterprises.do("consider_exit")
        if self.leaving:
            self._write(FIRM_COLUMNS, self.leaving)
            self.remove_firms(np.array([agent.index for agent in self.leaving]))

    def _pass_on_customers(self, rows: np.ndarray) -> None:
        """Part of a leaving firm's customers go to the producing firms left in its cluster."""
        leaving = set(rows.tolist())
        retention = self.params.market.exit_demand_retention
        retained = self._cluster_totals(lambda a: a.demand, lambda a: a.index in leaving)
        staying = lambda a: a.producing and a.index not in leaving  # noqa: E731
        held = self._cluster_totals(lambda a: a.demand, staying)
        boost = [1 + (r * retention / h if h > 0 else 0.0) for r, h in zip(retained, held, strict=True)]
        for agent in self.enterprises:
            if staying(agent):
                agent.demand *= boost[agent.cluster]

    def run(self) -> PerAgentIndustryModel:
        super().run()
        self.sync_firm_arrays()
        return self


def run_reference(scenario: Scenario | None, seed: Any) -> PerAgentIndustryModel:
    """A full run of the per-agent reference (its `model.firms` synced at the end)."""
    return PerAgentIndustryModel(scenario, rng=seed).run()
