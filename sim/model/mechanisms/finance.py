"""Phase 5a and 5c: banks score and answer loan requests; funded projects then start.

Firms pay a required own share of each project from cash and ask their bank for the rest;
firms whose cash went negative ask for a rescue loan. Policy reaches banks through their
rules: the risk-compensation pool lowers thresholds, S&T and green credit add score, the
interest subsidy lowers the rate firms pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.agents.bank import answer_requests
from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firm_rows import annual_revenue
from sim.model.fiscal import spend
from sim.model.mechanisms.digital import complete_upgrade
from sim.model.mechanisms.green import complete_retrofit
from sim.model.mechanisms.projects import Projects, drop_projects

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

# A firm with this margin and leverage, and no bonuses, scores 0.5 (the middle of the scale).
REFERENCE_MARGIN = 0.03
REFERENCE_LEVERAGE = 0.3


@dataclass(frozen=True)
class LoanAnswers:
    """The banks' answers this quarter, per firm: projects start on them, and a refused rescue
    can end in a distress exit."""

    offer: np.ndarray  # the approved loan, 亿元 (0 when refused or not asked)
    score: np.ndarray  # the credit score, which prices the loan
    rescue_asked: np.ndarray  # asked for a rescue loan (cash below zero)


def loss_coverage(model: IndustryModel) -> np.ndarray:
    """Share of the default loss on a new loan that the district's pools would cover, per firm:
    the risk-compensation pool for everyone, the S&T credit pool for certified tech firms,
    whichever is larger. Loans keep the coverage they were made with (`pool_coverage`)."""
    levers = model.params.levers.finance
    return _coverage(model.firms.tech, levers.risk_compensation, levers.st_credit_guarantee)


@numba.njit(cache=True, error_model="numpy")
def _coverage(tech: np.ndarray, risk_compensation: float, st_credit_guarantee: float) -> np.ndarray:
    coverage = np.empty(len(tech))
    for i in range(len(tech)):
        coverage[i] = _pool_share(tech[i], risk_compensation, st_credit_guarantee)
    return coverage


@numba.njit(cache=True, error_model="numpy", inline="always")
def _pool_share(tech: bool, risk_compensation: float, st_credit_guarantee: float) -> float:
    """One firm's `loss_coverage`."""
    return maximum(risk_compensation, st_credit_guarantee * (1.0 if tech else 0.0))


def credit_scores(model: IndustryModel, green_share: np.ndarray) -> np.ndarray:
    """Bank scores in [0, 1]: profitability, leverage, size, tier, green credit, service, noise."""
    finance = model.params.finance
    firms = model.firms
    weights = (finance.profit_weight, finance.leverage_weight, finance.above_scale_bonus, finance.tier_bonus)
    bonuses = model.params.levers.green.green_credit_bonus, model.params.task_forces.loan_score_bonus
    return _scores(
        firms.debt,
        firms.capital,
        firms.margin,
        firms.above_scale,
        firms.tier,
        green_share,
        firms.served,
        model.scratch.streams["finance"].normal(0.0, finance.score_noise, firms.n),
        np.array([*weights, *bonuses]),
    )


@numba.njit(cache=True, error_model="numpy")
def _scores(
    debt: np.ndarray,
    capital: np.ndarray,
    margin: np.ndarray,
    above_scale: np.ndarray,
    tier: np.ndarray,
    green_share: np.ndarray,
    served: np.ndarray,
    noise: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """The score of each firm, clipped to [0, 1]; `weights` are the profit and leverage weights,
    the above-scale and tier bonuses, and the green-credit and task-force bonuses."""
    scores = np.empty(len(debt))
    for i in range(len(debt)):
        leverage = debt[i] / maximum(capital[i], 1e-9)
        score = (
            0.5
            + weights[0] * (margin[i] - REFERENCE_MARGIN)
            - weights[1] * (leverage - REFERENCE_LEVERAGE)
            + weights[2] * above_scale[i]
            + weights[3] * tier[i]
            + weights[4] * green_share[i]
            + weights[5] * served[i]
            + noise[i]
        )
        scores[i] = minimum(maximum(score, 0.0), 1.0)
    return scores


def answer_loan_requests(model: IndustryModel, projects: Projects) -> LoanAnswers:
    """Decide which firms get their loans; projects without own funds or a loan are dropped.

    Firms keep back a cash reserve, a share of their annual revenue; only cash above it pays
    for projects. Adds the rescue loans asked for to `projects`.
    """
    firms = model.firms
    loan, asking, green_share, rescue_asked, short = _screen_requests(
        firms.alive,
        firms.cash,
        firms.revenue_4q,
        model.params.finance.cash_reserve,
        model.params.investment.own_funds_share,
        projects.capacity_cost,
        projects.digital_cost,
        projects.retrofit_cost,
        projects.droppable,
        projects.rescue,
        firms.needs_finance,
    )
    scores = credit_scores(model, green_share)
    approved = answer_requests(model, asking, scores, loan, loss_coverage(model))
    offer, counts = _take_answers(
        asking, approved, loan, projects.droppable, projects.rescue, firms.needs_finance
    )
    tally = model.scratch.tally
    tally.add("projects_short_of_equity", short)
    for name, count in zip(("loans_refused", "loan_requests", "loans_approved"), counts, strict=True):
        tally.add(name, int(count))
    return LoanAnswers(offer=offer, score=scores, rescue_asked=rescue_asked)


@numba.njit(cache=True, error_model="numpy")
def _screen_requests(
    alive: np.ndarray,
    cash: np.ndarray,
    revenue_4q: np.ndarray,
    cash_reserve: float,
    own_funds_share: float,
    capacity_cost: np.ndarray,
    digital_cost: np.ndarray,
    retrofit_cost: np.ndarray,
    droppable: tuple[np.ndarray, ...],
    rescue: np.ndarray,
    needs_finance: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Firms pay their own share of a project from the cash above their reserve and ask for
    the rest; a firm without that share drops its projects (and needs finance). A live firm
    whose cash is below zero asks for a rescue loan up to its reserve. Returns each firm's
    request, whether it asks, the retrofit share of its projects' cost and whether it asks for
    a rescue, and the number of firms short of their own share."""
    n = len(alive)
    loan = np.zeros(n)
    asking = np.zeros(n, np.bool_)
    green_share = np.zeros(n)
    rescue_asked = np.zeros(n, np.bool_)
    short = 0
    for i in range(n):
        reserve = cash_reserve * annual_revenue(revenue_4q, i)
        spare = maximum(cash[i] - reserve, 0.0)
        cost = capacity_cost[i] + digital_cost[i] + retrofit_cost[i]
        if cost > 0 and spare < own_funds_share * cost:
            short += 1
            needs_finance[i] = True
            drop_projects(i, droppable)
            cost = retrofit = 0.0
        else:
            retrofit = retrofit_cost[i]
        rescue[i] = reserve - cash[i] if alive[i] and cash[i] < 0 else 0.0
        rescue_asked[i] = rescue[i] > 0
        loan[i] = maximum(cost - spare, 0.0) + rescue[i]
        asking[i] = alive[i] and loan[i] > 0
        green_share[i] = retrofit / cost if cost > 0 else 0.0
    return loan, asking, green_share, rescue_asked, short


@numba.njit(cache=True, error_model="numpy")
def _take_answers(
    asking: np.ndarray,
    approved: np.ndarray,
    loan: np.ndarray,
    droppable: tuple[np.ndarray, ...],
    rescue: np.ndarray,
    needs_finance: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """A refused firm drops its projects and rescue and needs finance; returns each firm's
    approved loan (0 unless approved) and the numbers refused, asking and approved."""
    n = len(asking)
    offer = np.zeros(n)
    counts = np.zeros(3, np.int64)
    for i in range(n):
        if approved[i]:
            offer[i] = loan[i]
            counts[2] += 1
        if asking[i]:
            counts[1] += 1
            if not approved[i]:
                counts[0] += 1
                drop_projects(i, droppable)
                rescue[i] = 0.0
                needs_finance[i] = True
    return offer, counts


def start_projects(model: IndustryModel, projects: Projects, loans: LoanAnswers) -> None:
    """Funded projects are paid (cash first, then the approved loan) and take effect."""
    finance = model.params.finance
    levers = model.params.levers
    firms = model.firms
    # +1: production later this quarter counts the first quarter of building down.
    build = max(1, model.params.investment.build_quarters - levers.attraction.approval_quarters_cut)
    cost, borrowed, expansions = _fund(
        firms.cash,
        firms.revenue_4q,
        finance.cash_reserve,
        projects.capacity_cost,
        projects.digital_cost,
        projects.retrofit_cost,
        projects.rescue,
        projects.capacity_add,
        loans.offer,
        loans.score,
        model.constants.policy_rate + np.array([b.spread for b in model.banks]),
        firms.bank,
        finance.risk_premium,
        levers.finance.interest_subsidy,
        firms.tech,
        levers.finance.risk_compensation,
        levers.finance.st_credit_guarantee,
        build + 1,
        firms.debt,
        firms.loan_rate,
        firms.interest_support,
        firms.pool_coverage,
        firms.pending_capacity,
        firms.pending_timer,
        firms.capital,
    )
    complete_upgrade(model, projects.digital)
    complete_retrofit(model, projects.retrofit)
    subsidies = float(projects.subsidy.sum())
    spend(model, "subsidies", subsidies)
    model.scratch.tally.add("investment_yi", cost + subsidies)
    model.scratch.tally.add("new_loans_yi", borrowed)
    model.scratch.tally.add("expansions", expansions)


@numba.njit(cache=True, error_model="numpy")
def _fund(
    cash: np.ndarray,
    revenue_4q: np.ndarray,
    cash_reserve: float,
    capacity_cost: np.ndarray,
    digital_cost: np.ndarray,
    retrofit_cost: np.ndarray,
    rescue: np.ndarray,
    capacity_add: np.ndarray,
    offer: np.ndarray,
    score: np.ndarray,
    bank_rate: np.ndarray,
    bank: np.ndarray,
    risk_premium: float,
    subsidy: float,
    tech: np.ndarray,
    risk_compensation: float,
    st_credit_guarantee: float,
    build_quarters: int,
    debt: np.ndarray,
    loan_rate: np.ndarray,
    interest_support: np.ndarray,
    pool_coverage: np.ndarray,
    pending_capacity: np.ndarray,
    pending_timer: np.ndarray,
    capital: np.ndarray,
) -> tuple[float, float, int]:
    """Each firm pays its projects from the cash above its reserve, then borrows up to its
    approved offer (the rescue loan too). New loans are priced on their bank's rate
    (`bank_rate`, policy rate plus the bank's spread), a premium for a low score, less the
    interest subsidy; the firm's rate, interest support and pool coverage (`loss_coverage`,
    from `tech` and the two pools' shares) become debt-weighted averages of its old and new
    loans. Expansions start building; capital grows by what the
    firm spent on capacity. Returns the projects' cost and the borrowing, each summed over
    the firms in numpy's order, and the number of expansions."""
    n = len(cash)
    cost = np.empty(n)
    borrowed = np.empty(n)
    expansions = 0
    for i in range(n):
        cost[i] = capacity_cost[i] + digital_cost[i] + retrofit_cost[i]
        reserve = cash_reserve * annual_revenue(revenue_4q, i)
        from_cash = minimum(maximum(cash[i] - reserve, 0.0), cost[i])
        borrowed[i] = minimum(offer[i], maximum(cost[i] - from_cash, 0.0) + rescue[i])
        rate = bank_rate[bank[i]] + risk_premium * (1 - score[i]) - subsidy
        new_debt = debt[i] + borrowed[i]
        if new_debt > 0:  # else the old terms stay
            loan_rate[i] = (debt[i] * loan_rate[i] + borrowed[i] * rate) / new_debt
            interest_support[i] = (debt[i] * interest_support[i] + borrowed[i] * subsidy) / new_debt
            coverage = _pool_share(tech[i], risk_compensation, st_credit_guarantee)
            pool_coverage[i] = (debt[i] * pool_coverage[i] + borrowed[i] * coverage) / new_debt
        debt[i] = new_debt
        cash[i] += borrowed[i] - cost[i]  # the cost is paid from cash and the loan together
        if capacity_add[i] > 0:
            pending_capacity[i] += capacity_add[i]
            pending_timer[i] = build_quarters
            expansions += 1
        capital[i] += capacity_cost[i]
    return array_sum(cost, n), array_sum(borrowed, n), expansions
