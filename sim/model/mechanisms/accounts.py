"""Phase 7: profits, debt service, the above-scale list, and exits (with defaults).

Value added is revenue less materials (cheaper for more productive firms) and energy.
Profit is value added less wages, depreciation, interest, taxes, R&D and quality spend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.model.compiled import array_sum, maximum, minimum
from sim.model.firm_rows import annual_revenue
from sim.model.firms import Stage
from sim.model.fiscal import (
    collect,
    district_share_of_income_tax,
    district_vat,
    income_tax,
    income_tax_rates,
    spend,
)
from sim.model.mechanisms.green import annual_energy_bill, tariff_surcharge
from sim.model.mechanisms.innovation import rd_intensity
from sim.model.mechanisms.quality import quality_spend_share

if TYPE_CHECKING:
    from sim.model.mechanisms.finance import LoanAnswers
    from sim.model.model import IndustryModel

MARGIN_SMOOTHING = 0.3  # weight of the latest quarter in the margin banks look at


@dataclass(frozen=True)
class ProfitTerms:
    """This quarter's value added and profit of every firm and the terms settling the books
    needs again, 亿元."""

    value_added: np.ndarray
    refunds: np.ndarray  # the part of the firms' R&D and quality spending the district refunds
    wear: np.ndarray  # depreciation (plants still being built are not depreciated)
    profit: np.ndarray


def profit_terms(model: IndustryModel) -> ProfitTerms:
    """Value added (revenue less materials, cheaper for more productive firms, and energy) and
    profit (value added less wages with overtime, depreciation, interest, taxes on value added,
    and the firms' own R&D and quality spending) of every firm this quarter."""
    params = model.params
    firms = model.firms
    levers = params.levers
    rd_rate, quality_rate = levers.innovation.rd_subsidy_rate, levers.quality.quality_subsidy_rate
    quality = quality_spend_share(model)
    quarter_wage = model.annual_wage / 4
    return ProfitTerms(
        *_profit_terms(
            firms.alive,
            firms.stage,
            int(Stage.BUILDING),
            firms.revenue,
            model.clusters.materials_share,
            firms.cluster,
            firms.productivity,
            annual_energy_bill(model),
            params.investment.depreciation_rate / 4,
            firms.capital,
            rd_intensity(model),
            np.array([1 - rd_rate, quality * (1 - quality_rate), rd_rate, quality * quality_rate]),
            quarter_wage,
            quarter_wage * (1 + params.labour.overtime_premium),
            model.constants.skilled_wage_premium,
            firms.workers,
            firms.skilled,
            firms.output,
            firms.output_per_worker,
            firms.cash,
            firms.debt,
            firms.loan_rate,
            firms.interest_support,
            params.accounts.tax_rate_on_value_added,
        )
    )


@numba.njit(cache=True, error_model="numpy")
def _profit_terms(
    alive: np.ndarray,
    stage: np.ndarray,
    building: int,
    revenue: np.ndarray,
    materials_share: np.ndarray,
    cluster: np.ndarray,
    productivity: np.ndarray,
    energy_bill: np.ndarray,
    depreciation_rate: float,
    capital: np.ndarray,
    rd: np.ndarray,
    spending_rates: np.ndarray,
    quarter_wage: float,
    overtime_wage: float,
    skilled_wage_premium: float,
    workers: np.ndarray,
    skilled: np.ndarray,
    output: np.ndarray,
    output_per_worker: np.ndarray,
    cash: np.ndarray,
    debt: np.ndarray,
    loan_rate: np.ndarray,
    interest_support: np.ndarray,
    tax_rate: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The terms of `profit_terms`, firm by firm in numpy's order of operations.

    `spending_rates`: the share of R&D intensity and the quality spend share firms pay, then
    the shares the district refunds. Overtime is the output beyond the staff's standard
    hours, in workers, at the overtime wage; negative cash (unpaid suppliers, arrears) pays
    interest at the full rate, as the district's interest support is on bank debt only.
    """
    n = len(alive)
    va = np.empty(n)
    refunds = np.empty(n)
    wear = np.empty(n)
    profit = np.empty(n)
    for i in range(n):
        materials = revenue[i] * materials_share[cluster[i]] / productivity[i]
        va[i] = revenue[i] - materials - energy_bill[i] / 4
        spending = revenue[i] * (rd[i] * spending_rates[0] + spending_rates[1])
        refunds[i] = revenue[i] * (rd[i] * spending_rates[2] + spending_rates[3])
        wear[i] = depreciation_rate * capital[i] if alive[i] and stage[i] != building else 0.0
        extra_workers = 0.0
        if output_per_worker[i] > 0:
            standard_output = workers[i] * output_per_worker[i]
            extra_workers = maximum(output[i] - standard_output, 0.0) / output_per_worker[i]
        staff = workers[i] + skilled_wage_premium * skilled[i]
        wages = quarter_wage * staff + overtime_wage * extra_workers
        overdraft = maximum(-cash[i], 0.0)
        interest = (debt[i] + overdraft) * loan_rate[i] / 4 + overdraft * interest_support[i] / 4
        taxes = tax_rate * maximum(va[i], 0.0)
        profit[i] = va[i] - wages - wear[i] - interest - taxes - spending
    return va, refunds, wear, profit


def operating_profit(model: IndustryModel) -> np.ndarray:
    """This quarter's profit of every firm, 亿元."""
    return profit_terms(model).profit


def settle_accounts(model: IndustryModel) -> None:
    """Book value added and profit, service debt, roll the four-quarter revenue window.

    Loans amortise over their maturity: each quarter a firm repays debt / (4 x maturity)
    from the cash it has (a firm short of cash repays what it can; the rest waits), which
    frees its bank's lending room for new loans.
    """
    params = model.params
    firms = model.firms
    terms = profit_terms(model)
    refunded, supported, surcharged, taxed, income_tax = _close_books(
        firms.alive,
        firms.stage,
        int(Stage.BUILDING),
        terms.value_added,
        terms.profit,
        terms.refunds,
        tariff_surcharge(model),
        terms.wear,
        params.finance.maturity_years * 4,
        params.accounts.payout_ratio,
        MARGIN_SMOOTHING,
        params.accounts.tax_rate_on_value_added,
        firms.tech,
        income_tax_rates(model),
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
    collect(model, "vat", district_vat(model, taxed))
    collect(model, "income_tax", district_share_of_income_tax(model, income_tax))
    if model.quarter == 4:
        update_above_scale_list(model)


@numba.njit(cache=True, error_model="numpy")
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
    tax_rate: float,
    tech: np.ndarray,
    income_tax_rates: np.ndarray,
    value_added: np.ndarray,
    booked_profit: np.ndarray,
    cash: np.ndarray,
    debt: np.ndarray,
    interest_support: np.ndarray,
    revenue: np.ndarray,
    margin: np.ndarray,
    revenue_4q: np.ndarray,
) -> tuple[float, float, float, float, float]:
    """Live firms book value added and profit, pay out dividends, repay debt / repayment
    quarters from the cash they have and keep the rest; producing firms' margins move toward
    this quarter's; the four-quarter revenue window rolls on (exited firms add nothing).

    Returns, over live firms and each summed in numpy's order: the district's refunds of R&D
    and quality spending, its interest support (a year's), the tariff surcharges (a year's),
    the taxes on value added and the enterprise income tax.
    """
    n = len(alive)
    picked = np.empty((5, n))
    count = 0
    for i in range(n):
        if alive[i]:
            value_added[i] = va[i]
            booked_profit[i] = profit[i]
            picked[0, count] = refunds[i]
            picked[1, count] = debt[i] * interest_support[i]
            picked[2, count] = surcharge[i]
            picked[3, count] = tax_rate * maximum(va[i], 0.0)
            picked[4, count] = income_tax(profit[i], tech[i], income_tax_rates)
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
    return (
        array_sum(picked[0], count),
        array_sum(picked[1], count),
        array_sum(picked[2], count),
        array_sum(picked[3], count),
        array_sum(picked[4], count),
    )


def update_above_scale_list(model: IndustryModel) -> None:
    """Once a year, firms at or above the revenue threshold join the above-scale list (规上)."""
    firms = model.firms
    joined = _list_above_scale(
        firms.alive,
        firms.stage,
        int(Stage.OPERATING),
        firms.revenue_4q,
        model.constants.above_scale_threshold,
        firms.above_scale,
    )
    model.scratch.tally.add("new_above_scale", joined)


@numba.njit(cache=True, error_model="numpy")
def _list_above_scale(
    alive: np.ndarray,
    stage: np.ndarray,
    operating: int,
    revenue_4q: np.ndarray,
    threshold: float,
    above_scale: np.ndarray,
) -> int:
    """Firms operating all year are listed by their annual revenue; other live firms keep
    their listing, exited firms lose it. Returns the number newly listed."""
    joined = 0
    for i in range(len(alive)):
        was = above_scale[i]
        if alive[i] and stage[i] == operating:
            above_scale[i] = annual_revenue(revenue_4q, i) >= threshold
        else:
            above_scale[i] = alive[i] and was
        joined += above_scale[i] and not was
    return joined


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


@numba.njit(cache=True, error_model="numpy")
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
        annual = annual_revenue(revenue_4q, i)
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
    unpaid, lenders, defaults, trade_credit, losses, covered = _defaults(
        leaving,
        firms.cash,
        firms.capital,
        firms.debt,
        firms.pool_coverage,
        firms.bank,
        len(model.banks),
        model.params.finance.recovery_rate,
    )
    for bank in model.banks:
        if lenders[bank.index]:
            bank.book_default(float(unpaid[bank.index]))
    model.scratch.tally.add("defaults", int(defaults))
    model.scratch.tally.add("unpaid_trade_credit_yi", trade_credit)
    model.scratch.tally.add("default_losses_yi", losses)
    spend(model, "risk_compensation", covered)


@numba.njit(cache=True, error_model="numpy")
def _defaults(
    leaving: np.ndarray,
    cash: np.ndarray,
    capital: np.ndarray,
    debt: np.ndarray,
    pool_coverage: np.ndarray,
    bank: np.ndarray,
    n_banks: int,
    recovery_rate: float,
) -> tuple[np.ndarray, np.ndarray, int, float, float, float]:
    """The leaving firms' default losses: each bank's unpaid share and whether any of its
    borrowers left, the number of defaults, and the unpaid trade credit (negative cash), the
    losses and the pools' share of them, each summed in numpy's order over `leaving`."""
    n = len(leaving)
    by_bank = np.empty((n_banks, n))
    per_bank = np.zeros(n_banks, np.int64)
    totals = np.empty((3, n))
    defaults = 0
    for k in range(n):
        i = leaving[k]
        assets = maximum(cash[i], 0.0) + recovery_rate * capital[i]
        loss = maximum(debt[i] - assets, 0.0)
        covered = loss * pool_coverage[i]
        by_bank[bank[i], per_bank[bank[i]]] = loss - covered
        per_bank[bank[i]] += 1
        defaults += loss > 0
        totals[0, k] = maximum(-cash[i], 0.0)
        totals[1, k] = loss
        totals[2, k] = covered
    unpaid = np.array([array_sum(by_bank[b], per_bank[b]) for b in range(n_banks)])
    return (
        unpaid,
        per_bank > 0,
        defaults,
        array_sum(totals[0], n),
        array_sum(totals[1], n),
        array_sum(totals[2], n),
    )
