"""From a finished run to what users read: the annual table and the targets met."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.model.indicators import FLOWS, STOCKS

if TYPE_CHECKING:
    from sim.model.model import IndustryModel

# Columns of the printed table: (column, header, format)
TABLE_COLUMNS = (
    ("year", "year", "{:d}"),
    ("output_yi", "output 亿元", "{:,.1f}"),
    ("output_growth", "growth", "{:+.1%}"),
    ("value_added_yi", "value added", "{:,.1f}"),
    ("firms", "firms", "{:,d}"),
    ("above_scale_firms", "above-scale", "{:,d}"),
    ("tech_enterprises", "S&T firms", "{:,d}"),
    ("employment", "employment", "{:,.0f}"),
    ("credit_yi", "credit 亿元", "{:,.1f}"),
    ("land_in_use_mu", "land mu", "{:,.0f}"),
    ("output_per_mu_wan", "万元/mu", "{:,.0f}"),
    ("energy_intensity", "tce/万元", "{:.3f}"),
)


# The budget table: (column, header); one row per simulated year, 亿元: the costs by
# category and their total, the revenue by source and its total, and the net cost.
FISCAL_COLUMNS = (
    ("fiscal_subsidies_yi", "subsidies"),
    ("fiscal_interest_support_yi", "interest"),
    ("fiscal_risk_compensation_yi", "risk pool"),
    ("fiscal_land_yi", "land"),
    ("fiscal_talent_training_yi", "talent"),
    ("fiscal_task_forces_yi", "task forces"),
    ("fiscal_gross_cost_yi", "gross cost"),
    ("revenue_vat_yi", "VAT"),
    ("revenue_income_tax_yi", "income tax"),
    ("revenue_land_transfer_yi", "land sales"),
    ("revenue_tariffs_yi", "tariffs"),
    ("fiscal_revenue_yi", "revenue"),
    ("fiscal_net_cost_yi", "net cost"),
)


@dataclass(frozen=True)
class TargetResult:
    year: int
    threshold_yi: float
    output_yi: float
    met: bool


def quarterly_frame(model: IndustryModel) -> pd.DataFrame:
    """Model-level series, one row per quarter (the first row is the base-year state)."""
    frame = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    frame.insert(0, "step", range(len(frame)))
    return frame


def cluster_frame(model: IndustryModel) -> pd.DataFrame:
    """Per-cluster series, one row per cluster and quarter."""
    return model.datacollector.get_table_dataframe("clusters")


# Annual columns computed from others once the year's flows and stocks are in, with what
# each needs (output per mu replaces the recorded quarter-end value with the year's).
DERIVED = {"output_per_mu_wan": ("output_yi", "land_in_use_mu"), "output_growth": ("output_yi",)}
INTEGER_COLUMNS = ("year", "firms", "above_scale_firms", "tech_enterprises", "entries", "exits")


def annual_frame(model: IndustryModel) -> pd.DataFrame:
    """Annual table: flows summed over quarters, stocks at year end, base year first.

    The base year has only its end-of-year state; its flows are that quarter times four,
    which reproduces the base-year file's annual totals. Every run of an experiment ends
    here, so the table is built from the recorded columns with numpy rather than through
    pandas' groupby, which cost a tenth of a run. Flows are summed exactly rounded
    (`math.fsum`; groupby's sum could be one unit in the last place off), stocks are the
    year's last value that is not NaN; NaN is skipped as groupby skips it.
    """
    return pd.DataFrame(annual_columns(model))


def annual_columns(model: IndustryModel, names: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """The annual table's columns (`annual_frame`), all of them or only `names`, in that order.

    An experiment's worker keeps 21 of the 77 columns of each run: computing only those
    is most of what its per-run bookkeeping cost.
    """
    recorded = model.datacollector.model_vars
    needed = None if names is None else {*names, *(d for n in names for d in DERIVED.get(n, ()))}
    years = np.asarray(recorded["year"][1:])
    blocks = _year_blocks(years)
    table: dict[str, np.ndarray] = {"year": np.array([recorded["year"][0], *years[[s for s, _ in blocks]]])}
    for name in FLOWS:
        if needed is None or name in needed:
            column = np.asarray(recorded[name])
            table[name] = np.concatenate([column[:1] * 4, _sums(column[1:], blocks)])
    for name in STOCKS:
        if needed is None or name in needed:
            column = np.asarray(recorded[name])
            table[name] = np.concatenate([column[:1], _lasts(column[1:], blocks)])
    if needed is None or "output_per_mu_wan" in needed:
        table["output_per_mu_wan"] = table["output_yi"] * 1e4 / table["land_in_use_mu"]
    if needed is None or "output_growth" in needed:
        output = table["output_yi"]
        table["output_growth"] = np.concatenate([[np.nan], output[1:] / output[:-1] - 1])
    for name in INTEGER_COLUMNS:
        if name in table:
            table[name] = table[name].astype(int)
    return table if names is None else {name: table[name] for name in names}


def _year_blocks(years: np.ndarray) -> list[tuple[int, int]]:
    """Each simulated year's quarters as (start, end) rows; none before the first step."""
    if not len(years):
        return []
    starts = [0, *(np.flatnonzero(years[1:] != years[:-1]) + 1).tolist()]
    return list(zip(starts, [*starts[1:], len(years)], strict=True))


def _sums(column: np.ndarray, blocks: list[tuple[int, int]]) -> np.ndarray:
    """Each block's sum, NaN skipped as pandas skips it; floats summed exactly rounded."""
    if column.dtype.kind != "f":
        return np.array([column[start:end].sum() for start, end in blocks], dtype=column.dtype)
    return np.array([math.fsum(v for v in column[start:end].tolist() if v == v) for start, end in blocks])


def _lasts(column: np.ndarray, blocks: list[tuple[int, int]]) -> np.ndarray:
    """Each block's last value that is not NaN (NaN if it has none), as groupby's last."""
    if column.dtype.kind != "f":
        return np.array([column[end - 1] for _, end in blocks], dtype=column.dtype)
    lasts = np.full(len(blocks), np.nan)
    for index, (start, end) in enumerate(blocks):
        present = column[start:end][~np.isnan(column[start:end])]
        if len(present):
            lasts[index] = present[-1]
    return lasts


def target_results(model: IndustryModel, annual: pd.DataFrame | None = None) -> list[TargetResult]:
    """For each target of the scenario, the simulated output that year and whether it was met."""
    annual = annual_frame(model) if annual is None else annual
    by_year = annual.set_index("year")["output_yi"]
    results = []
    for target in model.params.targets:
        output = float(by_year[target.year])
        results.append(TargetResult(target.year, target.threshold_yi, output, output >= target.threshold_yi))
    return results


def format_table(annual: pd.DataFrame, columns: tuple[tuple[str, str, str], ...] = TABLE_COLUMNS) -> str:
    """A fixed-width text table of the annual indicators."""
    headers = [header for _, header, _ in columns]
    rows = []
    for _, record in annual.iterrows():
        cells = []
        for column, _, fmt in columns:
            value = record[column]
            if pd.isna(value):
                cells.append("")
            elif fmt.endswith("d}"):
                cells.append(fmt.format(int(value)))
            else:
                cells.append(fmt.format(float(value)))
        rows.append(cells)
    widths = [max(display_width(h), *(display_width(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(align_right(h, w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(align_right(c, w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def align_right(text: str, width: int) -> str:
    return " " * (width - display_width(text)) + text


def align_left(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_fiscal_table(annual: pd.DataFrame) -> str:
    """The scenario's yearly cost to the district budget by category, its revenue by source
    and the net cost, 亿元 (simulated years)."""
    columns = (("year", "year", "{:d}"), *((c, h, "{:,.2f}") for c, h in FISCAL_COLUMNS))
    return format_table(annual.iloc[1:], columns)


def format_targets(results: list[TargetResult]) -> str:
    lines = []
    for r in results:
        verdict = "MET" if r.met else "not met"
        lines.append(
            f"target {r.year}: output >= {r.threshold_yi:,.0f} 亿元 -> {r.output_yi:,.1f} 亿元: {verdict}"
        )
    return "\n".join(lines)


def run_summary(model: IndustryModel, seed: int | None) -> dict[str, Any]:
    """The run as one JSON-ready object: scenario, seed, annual rows, targets."""
    annual = annual_frame(model)
    records = annual.astype(object).where(annual.notna(), None).to_dict(orient="records")
    return {
        "scenario": model.scenario_name,
        "seed": seed,
        "annual": records,
        "targets": [
            {"year": r.year, "threshold_yi": r.threshold_yi, "output_yi": r.output_yi, "met": r.met}
            for r in target_results(model, annual)
        ],
    }
