"""Phase 5a and 5c: banks score and answer loan requests; funded projects then start.

Firms pay a required own share of each project from cash and ask their bank for the rest;
firms whose cash went negative ask for a rescue loan. Policy reaches banks through their
rules: the risk-compensation pool lowers thresholds, S&T and green credit add score, the
interest subsidy lowers the rate firms pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.digital import complete_upgrade
from sim.mechanisms.green import complete_retrofit

if TYPE_CHECKING:
    from sim.model import IndustryModel

# A firm with this margin and leverage, and no bonuses, scores 0.5 (the middle of the scale).
REFERENCE_MARGIN = 0.03
REFERENCE_LEVERAGE = 0.3


def credit_scores(model: IndustryModel, green_share: np.ndarray) -> np.ndarray:
    """Bank scores in [0, 1]: profitability, leverage, size, tier, policy bonuses, noise."""
    finance = model.params.finance
    firms = model.firms
    leverage = firms.debt / np.maximum(firms.capital, 1e-9)
    score = (
        0.5
        + finance.profit_weight * (firms.margin - REFERENCE_MARGIN)
        - finance.leverage_weight * (leverage - REFERENCE_LEVERAGE)
        + finance.above_scale_bonus * firms.above_scale
        + finance.tier_bonus * firms.tier
        + finance.st_credit_bonus * firms.tech
        + finance.green_credit_bonus * green_share
        + model.params.task_forces.loan_score_bonus * firms.served
        + model.streams["finance"].normal(0.0, finance.score_noise, firms.n)
    )
    return np.clip(score, 0.0, 1.0)


def cash_reserve(model: IndustryModel) -> np.ndarray:
    """Cash each firm keeps back, share of annual revenue; only cash above it pays for projects."""
    return model.params.finance.cash_reserve * model.firms.annual_revenue


def answer_loan_requests(model: IndustryModel) -> None:
    """Decide which firms get their loans; projects without own funds or a loan are dropped."""
    firms = model.firms
    projects = model.projects
    reserve = cash_reserve(model)
    spare_cash = np.maximum(firms.cash - reserve, 0.0)
    cost = projects.cost
    short_of_equity = cost > 0
    short_of_equity &= spare_cash < model.params.investment.own_funds_share * cost
    projects.drop(short_of_equity)
    firms.needs_finance |= short_of_equity
    model.counters["projects_short_of_equity"] += int(np.count_nonzero(short_of_equity))

    cost = projects.cost
    projects.rescue[:] = np.where(firms.alive & (firms.cash < 0), reserve - firms.cash, 0.0)
    model.rescue_asked = projects.rescue > 0
    loan = np.maximum(cost - spare_cash, 0.0) + projects.rescue
    asking = firms.alive & (loan > 0)
    green_share = np.divide(projects.retrofit_cost, cost, out=np.zeros(firms.n), where=cost > 0)
    scores = credit_scores(model, green_share)
    approved = np.zeros(firms.n, bool)
    for bank in model.banks:
        candidates = np.flatnonzero(asking & (firms.bank == bank.index))
        approved[candidates] = bank.approve(candidates, scores[candidates], loan[candidates])
    refused = asking & ~approved
    projects.drop(refused)
    projects.rescue[refused] = 0.0
    firms.needs_finance |= refused
    model.loan_offer = np.where(approved, loan, 0.0)
    model.loan_score = scores
    model.counters["loans_refused"] += int(np.count_nonzero(refused))
    model.counters["loan_requests"] += int(np.count_nonzero(asking))
    model.counters["loans_approved"] += int(np.count_nonzero(approved))


def start_projects(model: IndustryModel) -> None:
    """Funded projects are paid (cash first, then the approved loan) and take effect."""
    finance = model.params.finance
    firms = model.firms
    projects = model.projects
    cost = projects.cost
    from_cash = np.minimum(np.maximum(firms.cash - cash_reserve(model), 0.0), cost)
    borrowed = np.minimum(model.loan_offer, np.maximum(cost - from_cash, 0.0) + projects.rescue)
    rate = (
        model.policy_rate
        + np.array([b.spread for b in model.banks])[firms.bank]
        + finance.risk_premium * (1 - model.loan_score)
        - finance.interest_subsidy
    )
    new_debt = firms.debt + borrowed
    firms.loan_rate = np.divide(
        firms.debt * firms.loan_rate + borrowed * rate,
        new_debt,
        out=firms.loan_rate.copy(),
        where=new_debt > 0,
    )
    firms.debt = new_debt
    firms.cash += borrowed - cost  # the cost is paid from cash and the loan together

    expanding = projects.capacity_add > 0
    firms.pending_capacity[expanding] += projects.capacity_add[expanding]
    # +1: production later this quarter counts the first quarter of building down.
    firms.pending_timer[expanding] = model.params.investment.build_quarters + 1
    firms.capital += projects.capacity_cost
    complete_upgrade(model, projects.digital)
    complete_retrofit(model, projects.retrofit)
    model.flows["investment_yi"] += float(cost.sum())
    model.flows["new_loans_yi"] += float(borrowed.sum())
    model.counters["expansions"] += int(np.count_nonzero(expanding))
