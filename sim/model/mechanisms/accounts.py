"""Phase 7: profits, debt service, the above-scale list, and exits (with defaults).

Value added is revenue less materials (cheaper for more productive firms) and energy.
Profit is value added less wages, depreciation, interest, taxes, R&D and quality spend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firms import Stage
from sim.model.fiscal import collect, district_income_tax, district_vat, spend
from sim.model.mechanisms.green import annual_energy_bill, tariff_surcharge
from sim.model.mechanisms.innovation import rd_intensity
from sim.model.mechanisms.quality import quality_spend_share

if TYPE_CHECKING:
    from sim.model.mechanisms.finance import LoanAnswers
    from sim.model.model import IndustryModel

MARGIN_SMOOTHING = 0.3  # weight of the latest quarter in the margin banks look at


def value_added(model: IndustryModel) -> np.ndarray:
    firms = model.firms
    materials = firms.revenue * model.clusters.materials_share[firms.cluster] / firms.productivity
    return firms.revenue - materials - annual_energy_bill(model) / 4


def depreciation(model: IndustryModel) -> np.ndarray:
    """This quarter's depreciation; plants still being built are not depreciated."""
    firms = model.firms
    return np.where(firms.producing, model.params.investment.depreciation_rate / 4 * firms.capital, 0.0)


def rd_and_quality_spending(model: IndustryModel) -> tuple[np.ndarray, np.ndarray]:
    """This quarter's R&D and quality spending: the part firms pay, the part the district refunds."""
    levers = model.params.levers
    rd, quality = rd_intensity(model), quality_spend_share(model)
    rd_rate, quality_rate = levers.innovation.rd_subsidy_rate, levers.quality.quality_subsidy_rate
    revenue = model.firms.revenue
    return (
        revenue * (rd * (1 - rd_rate) + quality * (1 - quality_rate)),
        revenue * (rd * rd_rate + quality * quality_rate),
    )


def overtime_pay(model: IndustryModel) -> np.ndarray:
    """This quarter's pay for the hours worked beyond the staff's standard hours, at the premium."""
    firms = model.firms
    labour = model.params.labour
    standard_output = firms.workers * firms.output_per_worker
    extra_workers = np.divide(
        np.maximum(firms.output - standard_output, 0.0),
        firms.output_per_worker,
        out=np.zeros(firms.n),
        where=firms.output_per_worker > 0,
    )
    return model.annual_wage / 4 * (1 + labour.overtime_premium) * extra_workers


def operating_profit(model: IndustryModel) -> np.ndarray:
    """This quarter's profit of every firm, 亿元."""
    spending, _ = rd_and_quality_spending(model)
    return _profit(model, value_added(model), spending, depreciation(model))


def _profit(model: IndustryModel, va: np.ndarray, spending: np.ndarray, wear: np.ndarray) -> np.ndarray:
    """Profit from this quarter's value added, the firms' own R&D and quality spending and
    depreciation (computed once by the caller that needs them again)."""
    firms = model.firms
    wages = model.annual_wage / 4 * (firms.workers + model.constants.skilled_wage_premium * firms.skilled)
    wages += overtime_pay(model)
    overdraft = np.maximum(-firms.cash, 0.0)  # unpaid suppliers and arrears cost interest too
    # Arrears pay the full rate: the district's interest support is only on bank debt.
    interest = (firms.debt + overdraft) * firms.loan_rate / 4 + overdraft * firms.interest_support / 4
    return va - wages - wear - interest - taxes_on_value_added(model, va) - spending


def taxes_on_value_added(model: IndustryModel, va: np.ndarray) -> np.ndarray:
    """Each firm's taxes on this quarter's positive value added (VAT net of refunds, surcharges)."""
    return model.params.accounts.tax_rate_on_value_added * np.maximum(va, 0.0)


def settle_accounts(model: IndustryModel) -> None:
    """Book value added and profit, service debt, roll the four-quarter revenue window.

    Loans amortise over their maturity: each quarter a firm repays debt / (4 x maturity)
    from the cash it has (a firm short of cash repays what it can; the rest waits), which
    frees its bank's lending room for new loans.
    """
    params = model.params
    firms = model.firms
    alive = firms.alive
    va = value_added(model)
    spending, refunds = rd_and_quality_spending(model)
    wear = depreciation(model)
    profit = _profit(model, va, spending, wear)
    refunded, supported, surcharged = _close_books(
        alive,
        firms.stage,
        int(Stage.BUILDING),
        va,
        profit,
        refunds,
        tariff_surcharge(model),
        wear,
        params.finance.maturity_years * 4,
        params.accounts.payout_ratio,
        MARGIN_SMOOTHING,
        firms.value_added,
        firms.profit,
        firms.cash,
        firms.debt,
        firms.interest_support,
        firms.revenue,
        firms.margin,
        firms.revenue_4q,
    )
    spend(model, "subsidies", refunded)
    spend(model, "interest_support", supported / 4)
    collect(model, "tariffs", surcharged / 4)
    collect(model, "vat", district_vat(model, float(taxes_on_value_added(model, va[alive]).sum())))
    collect(model, "income_tax", district_income_tax(model, profit[alive], firms.tech[alive]))
    if model.quarter == 4:
        update_above_scale_list(model)


@numba.njit(cache=True)
def _close_books(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    va: np.ndarray,
    profit: np.ndarray,
    refunds: np.ndarray,
    surcharge: np.ndarray,
    wear: np.ndarray,
    repayment_quarters: float,
    payout_ratio: float,
    smoothing: float,
    value_added: np.ndarray,
    booked_profit: np.ndarray,
    cash: np.ndarray,
    debt: np.ndarray,
    interest_support: np.ndarray,
    revenue: np.ndarray,
    margin: np.ndarray,
    revenue_4q: np.ndarray,
) -> tuple[float, float, float]:
    """Live firms book value added and profit, pay out dividends, repay debt / repayment
    quarters from the cash they have and keep the rest; producing firms' margins move toward
    this quarter's; the four-quarter revenue window rolls on (exited firms add nothing).

    Returns the district's refunds of R&D and quality spending, its interest support (a
    year's) and the tariff surcharges (a year's) of live firms, each summed in numpy's order.
    """
    n = len(alive)
    picked = np.empty((3, n))
    count = 0
    for i in range(n):
        if alive[i]:
            value_added[i] = va[i]
            booked_profit[i] = profit[i]
            picked[0, count] = refunds[i]
            picked[1, count] = debt[i] * interest_support[i]
            picked[2, count] = surcharge[i]
            count += 1
            principal = minimum(debt[i] / repayment_quarters, maximum(cash[i], 0.0))
            payout = payout_ratio * maximum(booked_profit[i], 0.0)
            cash[i] += booked_profit[i] - payout + wear[i] - principal
            debt[i] = debt[i] - principal
        else:
            value_added[i] = 0.0
            booked_profit[i] = 0.0
        if alive[i] and stage[i] != building:
            latest = booked_profit[i] / revenue[i] if revenue[i] > 0 else 0.0
            margin[i] = (1 - smoothing) * margin[i] + smoothing * latest
        revenue_4q[i, 0], revenue_4q[i, 1], revenue_4q[i, 2] = (
            revenue_4q[i, 1],
            revenue_4q[i, 2],
            revenue_4q[i, 3],
        )
        revenue_4q[i, 3] = revenue[i] if alive[i] else 0.0
    return array_sum(picked[0], count), array_sum(picked[1], count), array_sum(picked[2], count)


def update_above_scale_list(model: IndustryModel) -> None:
    """Once a year, firms at or above the revenue threshold join the above-scale list (规上)."""
    firms = model.firms
    was = firms.above_scale.copy()
    full_year = firms.alive & (firms.stage == Stage.OPERATING)
    firms.above_scale = full_year & (firms.annual_revenue >= model.constants.above_scale_threshold) | (
        firms.alive & was & ~full_year
    )
    model.scratch.tally.add("new_above_scale", int(np.count_nonzero(firms.above_scale & ~was)))


def close_firms(model: IndustryModel, loans: LoanAnswers) -> None:
    """Firms exit at random (closure, relocation) or in distress.

    Distress: cash below the threshold after a quarter in which the firm was already short
    of cash and its bank refused the rescue loan it asked for.
    """
    demography = model.params.demography
    firms = model.firms
    leaving, distress = _choose_exits(
        model.scratch.streams["exit"].random(firms.n),
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        firms.above_scale,
        demography.exit_hazard_above,
        demography.exit_hazard_small,
        loans.rescue_asked,
        loans.offer,
        firms.cash,
        demography.distress_cash_ratio,
        firms.revenue_4q,
    )
    model.scratch.tally.add("distress_exits", distress)
    if len(leaving):
        model.remove_firms(leaving)


@numba.njit(cache=True)
def _choose_exits(
    draws: np.ndarray,
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    above_scale: np.ndarray,
    hazard_above: float,
    hazard_small: float,
    rescue_asked: np.ndarray,
    offer: np.ndarray,
    cash: np.ndarray,
    distress_cash_ratio: float,
    revenue_4q: np.ndarray,
) -> tuple[np.ndarray, int]:
    """Operating firms that draw an exit (a yearly hazard by size, a quarter's share of it) or
    are in distress; returns their rows, and how many were in distress."""
    n = len(alive)
    leaving = np.empty(n, np.int64)
    count = distressed = 0
    for i in range(n):
        if not (alive[i] and stage[i] == operating):
            continue
        hazard = (hazard_above if above_scale[i] else hazard_small) / 4
        annual = ((revenue_4q[i, 0] + revenue_4q[i, 1]) + revenue_4q[i, 2]) + revenue_4q[i, 3]
        distress = rescue_asked[i] and offer[i] == 0 and cash[i] < distress_cash_ratio * annual
        distressed += distress
        if draws[i] < hazard or distress:
            leaving[count] = i
            count += 1
    return leaving[:count], distressed


def book_defaults(model: IndustryModel, leaving: np.ndarray) -> None:
    """Debt a leaving firm cannot repay from cash and liquidated capital is a default.

    The risk-compensation pool covers its share of the loss, the bank the rest.
    """
    firms = model.firms
    finance = model.params.finance
    assets = np.maximum(firms.cash[leaving], 0.0) + finance.recovery_rate * firms.capital[leaving]
    loss = np.maximum(firms.debt[leaving] - assets, 0.0)
    covered = loss * firms.pool_coverage[leaving]
    lender, unpaid = firms.bank[leaving], loss - covered
    for bank in model.banks:
        mine = lender == bank.index
        if mine.any():
            bank.book_default(float(unpaid[mine].sum()))
    model.scratch.tally.add("defaults", int(np.count_nonzero(loss > 0)))
    model.scratch.tally.add("unpaid_trade_credit_yi", float(np.maximum(-firms.cash[leaving], 0.0).sum()))
    model.scratch.tally.add("default_losses_yi", float(loss.sum()))
    spend(model, "risk_compensation", float(covered.sum()))
