"""Phase 5a and 5c: banks score and answer loan requests; funded projects then start.

Firms pay a required own share of each project from cash and ask their bank for the rest;
firms whose cash went negative ask for a rescue loan. Policy reaches banks through their
rules: the risk-compensation pool lowers thresholds, S&T and green credit add score, the
interest subsidy lowers the rate firms pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.model.agents.bank import answer_requests
from sim.model.fiscal import spend
from sim.model.mechanisms.digital import complete_upgrade
from sim.model.mechanisms.green import complete_retrofit

if TYPE_CHECKING:
    from sim.model.mechanisms.projects import Projects
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
    return np.maximum(levers.risk_compensation, levers.st_credit_guarantee * model.firms.tech)


def credit_scores(model: IndustryModel, green_share: np.ndarray) -> np.ndarray:
    """Bank scores in [0, 1]: profitability, leverage, size, tier, green credit, service, noise."""
    finance = model.params.finance
    firms = model.firms
    leverage = firms.debt / np.maximum(firms.capital, 1e-9)
    score = (
        0.5
        + finance.profit_weight * (firms.margin - REFERENCE_MARGIN)
        - finance.leverage_weight * (leverage - REFERENCE_LEVERAGE)
        + finance.above_scale_bonus * firms.above_scale
        + finance.tier_bonus * firms.tier
        + model.params.levers.green.green_credit_bonus * green_share
        + model.params.task_forces.loan_score_bonus * firms.served
        + model.scratch.streams["finance"].normal(0.0, finance.score_noise, firms.n)
    )
    return np.clip(score, 0.0, 1.0)


def cash_reserve(model: IndustryModel) -> np.ndarray:
    """Cash each firm keeps back, share of annual revenue; only cash above it pays for projects."""
    return model.params.finance.cash_reserve * model.firms.annual_revenue


def answer_loan_requests(model: IndustryModel, projects: Projects) -> LoanAnswers:
    """Decide which firms get their loans; projects without own funds or a loan are dropped.

    Adds the rescue loans asked for to `projects`.
    """
    firms = model.firms
    reserve = cash_reserve(model)
    spare_cash = np.maximum(firms.cash - reserve, 0.0)
    cost = projects.cost
    short_of_equity = cost > 0
    short_of_equity &= spare_cash < model.params.investment.own_funds_share * cost
    projects.drop(short_of_equity)
    firms.needs_finance |= short_of_equity
    model.scratch.tally.add("projects_short_of_equity", int(np.count_nonzero(short_of_equity)))

    cost = projects.cost
    projects.rescue[:] = np.where(firms.alive & (firms.cash < 0), reserve - firms.cash, 0.0)
    rescue_asked = projects.rescue > 0
    loan = np.maximum(cost - spare_cash, 0.0) + projects.rescue
    asking = firms.alive & (loan > 0)
    green_share = np.divide(projects.retrofit_cost, cost, out=np.zeros(firms.n), where=cost > 0)
    scores = credit_scores(model, green_share)
    coverage = loss_coverage(model)
    approved = answer_requests(model, asking, scores, loan, coverage)
    refused = asking & ~approved
    projects.drop(refused)
    projects.rescue[refused] = 0.0
    firms.needs_finance |= refused
    model.scratch.tally.add("loans_refused", int(np.count_nonzero(refused)))
    model.scratch.tally.add("loan_requests", int(np.count_nonzero(asking)))
    model.scratch.tally.add("loans_approved", int(np.count_nonzero(approved)))
    return LoanAnswers(offer=np.where(approved, loan, 0.0), score=scores, rescue_asked=rescue_asked)


def start_projects(model: IndustryModel, projects: Projects, loans: LoanAnswers) -> None:
    """Funded projects are paid (cash first, then the approved loan) and take effect."""
    finance = model.params.finance
    subsidy = model.params.levers.finance.interest_subsidy
    firms = model.firms
    cost = projects.cost
    from_cash = np.minimum(np.maximum(firms.cash - cash_reserve(model), 0.0), cost)
    borrowed = np.minimum(loans.offer, np.maximum(cost - from_cash, 0.0) + projects.rescue)
    rate = (
        model.constants.policy_rate
        + np.array([b.spread for b in model.banks])[firms.bank]
        + finance.risk_premium * (1 - loans.score)
        - subsidy
    )
    new_debt = firms.debt + borrowed
    firms.loan_rate = _blend(firms.debt, firms.loan_rate, borrowed, rate, new_debt)
    firms.interest_support = _blend(firms.debt, firms.interest_support, borrowed, subsidy, new_debt)
    firms.pool_coverage = _blend(firms.debt, firms.pool_coverage, borrowed, loss_coverage(model), new_debt)
    firms.debt = new_debt
    firms.cash += borrowed - cost  # the cost is paid from cash and the loan together

    expanding = projects.capacity_add > 0
    firms.pending_capacity[expanding] += projects.capacity_add[expanding]
    # +1: production later this quarter counts the first quarter of building down.
    build = max(
        1, model.params.investment.build_quarters - model.params.levers.attraction.approval_quarters_cut
    )
    firms.pending_timer[expanding] = build + 1
    firms.capital += projects.capacity_cost
    complete_upgrade(model, projects.digital)
    complete_retrofit(model, projects.retrofit)
    spend(model, "subsidies", float(projects.subsidy.sum()))
    model.scratch.tally.add("investment_yi", float(cost.sum()) + float(projects.subsidy.sum()))
    model.scratch.tally.add("new_loans_yi", float(borrowed.sum()))
    model.scratch.tally.add("expansions", int(np.count_nonzero(expanding)))


def _blend(
    debt: np.ndarray, rate: np.ndarray, borrowed: np.ndarray, new_rate: np.ndarray | float, total: np.ndarray
) -> np.ndarray:
    """Debt-weighted average of the old loans' rate and the new loans' rate."""
    mixed = debt * rate + borrowed * np.asarray(new_rate)
    return np.divide(mixed, total, out=rate.copy(), where=total > 0)
