"""IndustryModel: Dazu District's industrial economy, quarter by quarter, from the base year.

Replicates the structure of Dazu's industry at the end of 2024 (clusters of the "246"
system, ~350 above-scale firms and a few thousand small ones, banks, land parcels, the 24
task forces of the "2+10" plan) and runs it forward under a scenario's parameters.
Firm and parcel state lives in numpy arrays (`firms`, `parcels`); Enterprise and
LandParcel agents name rows of them. docs/model.md and docs/ODD.md describe the mechanisms.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from sim.inputs.base_year import BaseYearData, load_scenario_base_year, with_figures
from sim.inputs.errors import InputError
from sim.inputs.scenario import Scenario, default_scenario
from sim.model.agents import Bank, Enterprise, LandParcel, TaskForce
from sim.model.agents.row_agent import RowAgent
from sim.model.constants import BaseYearConstants
from sim.model.fiscal import pay_running_costs
from sim.model.indicators import IndicatorCollector, cluster_columns, quarter_indicators
from sim.model.mechanisms.accounts import (
    book_defaults,
    close_firms,
    profit_terms,
    settle_accounts,
)
from sim.model.mechanisms.attraction import attract_investment, cluster_means
from sim.model.mechanisms.cluster_totals import share_out_demand
from sim.model.mechanisms.commerce import open_channels
from sim.model.mechanisms.digital import plan_digital_upgrades
from sim.model.mechanisms.environment import draw_environment, stationary_shock_sd
from sim.model.mechanisms.finance import answer_loan_requests, start_projects
from sim.model.mechanisms.green import plan_retrofits
from sim.model.mechanisms.innovation import innovate
from sim.model.mechanisms.investment import plan_capacity_investment
from sim.model.mechanisms.labour import hire
from sim.model.mechanisms.land import allocate_expansion_land, manage_land
from sim.model.mechanisms.linkages import match_suppliers
from sim.model.mechanisms.production import competitiveness, produce
from sim.model.mechanisms.projects import Projects
from sim.model.mechanisms.quality import build_quality
from sim.model.mechanisms.task_force_service import allocate_task_forces, evaluate_task_forces
from sim.model.parcels import ParcelArrays
from sim.model.quarter import STREAMS, QuarterScratch
from sim.model.stream_seeds import StreamSeeds
from sim.model.world import build_world, policy_rate


class IndustryModel(mesa.Model):
    """Dazu's industry under a scenario; one step is one quarter.

    Its attributes are of three kinds, so it is clear what a phase may change:
    - inputs and constants, fixed for the run: `params`, `base_year`, `clusters`
      (per-cluster constants) and `constants` (figures of the base year);
    - district state, carried from quarter to quarter and updated by the phases: the firm
      and parcel arrays, banks, task forces, prices and wage, the skilled pool, demand
      shocks, the local input share, channel sales, cluster output, each cluster's price
      advantage gained over its outside competitors (`competitive_position`; their
      productivity growth `frontier_growth` is drawn once per run) and task-force effort
      (and the run totals `initial_firms`, `entries_total`, `exits_total`);
    - this quarter's scratch, made fresh at its start: `scratch` (random streams and the
      tally of counts and money flows). What one phase hands the next is passed in `step`:
      phases return it (leads, the banks' answers) or fill the request table they are
      given (`Projects`, and task forces mark the `Leads` they support).

    Args:
        scenario: validated scenario (horizon, targets, mechanism parameters); defaults to
            the status quo.
        rng: seed (or generator) of the run; the same scenario and seed give the same run.
        base_year: base-year data; by default the file the scenario names.
    """

    def __init__(
        self, scenario: Scenario | None = None, rng: Any = None, base_year: BaseYearData | None = None
    ) -> None:
        super().__init__(rng=rng)
        scenario = scenario or default_scenario()
        self.scenario_name = scenario.name
        self.params = scenario.data
        # The scenario's overrides of base-year figures ([world.figures]) replace the file's values.
        base = with_figures(base_year or load_scenario_base_year(scenario), self.params.world.figures)
        self.base_year = base  # the data the world was built from, for inspection
        self._entropy = int(self.rng.integers(2**63))
        self._seeds = StreamSeeds(self._entropy, len(STREAMS))
        self.scratch: QuarterScratch  # this quarter's; the base year's until the first step
        self._begin_quarter()
        try:
            world = build_world(base, self.params, self.scratch.streams["world"])
        except ValueError as exc:  # figures each in range but together impossible
            raise InputError(
                f"{scenario.name}: the base year cannot be built from these figures: {exc}"
            ) from None
        self.firms = world.firms
        self.parcels: ParcelArrays = world.parcels
        self.clusters = world.clusters

        # Figures of the base year (and of the world built from it), fixed for the run.
        base_output = self._annual_output_by_cluster()
        small = ~self.firms.above_scale
        shares = np.array([c.small_firm_share for c in base.clusters])
        self.constants = BaseYearConstants(
            above_scale_threshold=base.firms.above_scale_threshold_yi.value,
            policy_rate=policy_rate(base),
            skilled_wage_premium=base.employment.skilled_wage_premium.value,
            base_skilled_share=base.employment.skilled_share.value,
            vacant_parcel_mu=base.land.vacant_parcel_mu.value,
            small_median_yi=float(np.median(self.firms.annual_revenue[small])),
            small_firm_dispersion=base.heterogeneity.small_firm_dispersion.value,
            small_firm_shares=shares / shares.sum(),
            lead_weights=np.array([c.output_share for c in base.clusters]),
            channel_base_yi=float(self.clusters.channel_share @ base_output),
            base_cluster_means=cluster_means(self),
            productivity_dispersion=base.heterogeneity.productivity_dispersion.value,
            productivity_shock_sd=stationary_shock_sd(
                base.heterogeneity.productivity_dispersion.value,
                self.params.environment.productivity_persistence,
            ),
        )

        # District state (besides the firm and parcel arrays), updated quarter by quarter.
        self.skilled_pool = world.skilled_pool
        self.price_index = 1.0
        self.energy_price = base.energy.price_yuan_per_tce.value
        self.annual_wage = base.employment.annual_wage_yi.value
        self.local_input_share = self.params.market.local_input_share
        self.channel_sales_yi = 0.0  # yearly sales the plan's new channels have reached
        self.demand_shock = np.zeros(self.clusters.n)
        self.cluster_output: np.ndarray | None = None  # last quarter's, for the spillover
        # Outside competitors' annual productivity growth, one per cluster, drawn once per run.
        market = self.params.market
        spread = self.scratch.streams["frontier"].normal(0.0, 1.0, self.clusters.n)
        self.frontier_growth = market.frontier_growth + market.frontier_growth_spread * spread
        self.competitive_position = np.zeros(self.clusters.n)  # log price advantage gained since base year
        self.cluster_output_growth = np.zeros(self.clusters.n)  # last year's, for the evaluation
        self._output_last_year = base_output
        self.banks = [
            Bank(self, i, spec.name, spec.capacity_yi, spec.score_threshold, spec.spread)
            for i, spec in enumerate(world.banks)
        ]
        self.task_forces = [
            TaskForce(self, cluster, chain)
            for cluster, count in enumerate(self.clusters.task_forces)
            for chain in range(int(count))
        ]
        self.task_forces_by_cluster = [
            [tf for tf in self.task_forces if tf.cluster == c] for c in range(self.clusters.n)
        ]
        self.cluster_effort = np.full(self.clusters.n, self.params.task_forces.effort)
        self._enterprises: list[Enterprise] = []
        self._parcel_agents: list[LandParcel] = []
        self._register_firms(np.arange(self.firms.n))
        self._sync_parcel_agents()

        terms = profit_terms(self)  # neither margin nor competitiveness enters the terms
        self.firms.margin = np.divide(
            terms.profit,
            self.firms.revenue,
            out=np.zeros(self.firms.n),
            where=self.firms.revenue > 0,
        )
        self.firms.competitiveness = competitiveness(self)
        self.firms.value_added = terms.value_added
        # Run totals, for the population identity: initial + entries - exits = alive.
        self.initial_firms = int(np.count_nonzero(self.firms.alive))
        self.entries_total = 0
        self.exits_total = 0
        self.datacollector = IndicatorCollector()
        self._record()
        self.running = True

    # ----- calendar -------------------------------------------------------------------------
    @property
    def year(self) -> int:
        if self.steps == 0:
            return self.params.run.first_year - 1
        return self.params.run.first_year + (self.steps - 1) // 4

    @property
    def quarter(self) -> int:
        return 4 if self.steps == 0 else (self.steps - 1) % 4 + 1

    @property
    def total_steps(self) -> int:
        run = self.params.run
        return 4 * (run.last_year - run.first_year + 1)

    # ----- the quarter ----------------------------------------------------------------------
    def step(self) -> None:
        """One quarter, in the order docs/model.md describes.

        What a phase hands on is passed explicitly: the leads, the firms' project requests
        and the banks' answers to them.
        """
        self._begin_quarter()
        leads = draw_environment(self)  # 1 prices, demand shocks, productivity shocks, leads
        if self.quarter == 1:
            evaluate_task_forces(self)
        allocate_task_forces(self, leads)  # 2 task forces take leads and firms' requests
        attract_investment(self, leads)  # 3 projects build and ramp, leads convert, small firms born
        projects = Projects.empty(self.firms.n)  # sized after this quarter's newcomers
        hire(self)  # 4 firms decide: staff, expand, upgrade, innovate, quality, retrofit
        plan_capacity_investment(self, projects)
        plan_digital_upgrades(self, projects)
        innovate(self)
        build_quality(self)
        plan_retrofits(self, projects)
        loans = answer_loan_requests(self, projects)  # 5 banks answer; land supplied, reclaimed, allocated
        manage_land(self, projects)
        allocate_expansion_land(self, projects)
        start_projects(self, projects, loans)
        match_suppliers(self)  # 6 new local suppliers and sales channels, then production
        open_channels(self)
        produce(self)
        settle_accounts(self)  # 7 accounts, then exits
        close_firms(self, loans)
        self._end_quarter()  # 8 collect

    def _begin_quarter(self) -> None:
        """Fresh random streams and an empty tally for the quarter about to run."""
        if self._seeds.entropy != self._entropy:  # a test may give the run another seed
            self._seeds = StreamSeeds(self._entropy, len(STREAMS))
        self.scratch = QuarterScratch.begin(self._seeds, self.steps)

    def _end_quarter(self) -> None:
        pay_running_costs(self)
        for bank in self.banks:
            bank.grow_capacity()
        self._sync_parcel_agents()
        if self.quarter == 4:
            by_cluster = self._annual_output_by_cluster()
            self.cluster_output_growth = by_cluster / np.maximum(self._output_last_year, 1e-12) - 1
            self._output_last_year = by_cluster
        self._record()
        if self.steps >= self.total_steps:
            self.running = False

    def _annual_output_by_cluster(self) -> np.ndarray:
        return np.bincount(self.firms.cluster, weights=self.firms.annual_revenue, minlength=self.clusters.n)

    def _record(self) -> None:
        self.indicators = quarter_indicators(self)
        self.datacollector.collect(self)
        self.datacollector.add_cluster_columns(cluster_columns(self))

    # ----- population changes ---------------------------------------------------------------
    def add_firms(self, count: int, **columns: Any) -> np.ndarray:
        """Append firms to the arrays and give each an Enterprise agent."""
        rows = self.firms.add(count, **columns)
        self._register_firms(rows)
        self.entries_total += count
        return rows

    # Agents are registered in bulk (sim/model/agents/row_agent.py): one at a time, Mesa's
    # constructor and registry cost a quarter of a run. Mesa's registry keeps them.
    def _register_firms(self, rows: np.ndarray) -> None:
        """Agents for new rows, consecutive as `FirmArrays.add` returns them (a range, whose
        numbers `create_rows` need not convert)."""
        first = int(rows[0]) if len(rows) else 0
        self._enterprises.extend(Enterprise.create_rows(self, range(first, first + len(rows))))

    def _sync_parcel_agents(self) -> None:
        """Parcels split off by allocation get their LandParcel agents."""
        new = range(len(self._parcel_agents), self.parcels.n)
        self._parcel_agents.extend(LandParcel.create_rows(self, new))

    def remove_firms(self, rows: np.ndarray) -> None:
        """Exit: book defaults, free land and skilled workers, pass on customers, drop agents."""
        book_defaults(self, rows)
        self.parcels.release(rows)
        self._pass_on_customers(rows)
        self.skilled_pool += self.firms.close(rows)
        Enterprise.remove_all(self, [self._enterprises[row] for row in rows.tolist()])
        self.exits_total += len(rows)
        self.scratch.tally.add("exits", len(rows))

    def _pass_on_customers(self, rows: np.ndarray) -> None:
        retained, staying = self.firms.leavers_demand(rows, self.clusters.n)
        retained *= self.params.market.exit_demand_retention
        share_out_demand(self, staying, retained)

    # ----- inspection -----------------------------------------------------------------------
    def enterprise(self, row: int) -> Enterprise:
        return self._enterprises[row]

    def release(self) -> None:
        """Done with this run: its firm and parcel agents are deregistered and kept for the
        next run in this process (`RowAgent.release`); its arrays and indicators stay."""
        RowAgent.remove_every(self, (Enterprise, LandParcel))
        Enterprise.release(self._enterprises)
        LandParcel.release(self._parcel_agents)
        self._enterprises, self._parcel_agents = [], []

    def run(self) -> IndustryModel:
        """Run every quarter of the horizon."""
        while self.running:
            self.step()
        return self
