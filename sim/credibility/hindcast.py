"""Hindcast: build the world at the end of 2020, run 2021-2024 at status quo, compare with history.

2020 is the earliest year with a published level of Dazu's industrial output (see
sim/data/base_year_2020.toml). Many replications give, for each indicator and year, the
median and 90% band of the simulated values next to the reported figure and its error.
The reported figures and their tolerances live in sim/data/history.toml.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.credibility.history import PERIOD_INDICATORS, History, Observation, load_history
from sim.inputs.base_year import (
    BaseYearData,
    load_base_year,
    load_scenario_base_year,
    resolve_base_year_path,
)
from sim.inputs.errors import InputError
from sim.inputs.scenario import Scenario, load_scenario
from sim.model.model import IndustryModel
from sim.paths import SCENARIOS_DIR
from sim.run.results import (
    align_left,
    align_right,
    annual_frame,
    cluster_frame,
    display_width,
    quarterly_frame,
)

HINDCAST_SCENARIO = SCENARIOS_DIR / "hindcast_2020.toml"
YEARLY_INDICATORS = (
    "above_scale_output_yi",
    "above_scale_output_growth",
    "value_added_growth",
    "above_scale_firms",
    "strategic_emerging_share",
    "tech_enterprises",
)
BAND = (0.05, 0.95)  # the printed 90% band


def load_hindcast_scenario(path: Path = HINDCAST_SCENARIO, overrides: list[str] | None = None) -> Scenario:
    """The hindcast scenario, with the fitted values of the calibration period where it is silent."""
    return load_scenario(path, overrides, calibration_scopes=("model", "hindcast"))


def yearly_indicators(model: IndustryModel, history: History) -> pd.DataFrame:
    """One row per year (base year first) of every indicator the history can be compared on.

    Above-scale output is the output of the firms on the list that year; official growth
    rates compare the same firms across years (可比口径), so entries onto the list make the
    model's level grow a little faster than such a rate would. Value added is that of all
    firms (above-scale firms make ~86% of output), deflated by the model's price index.
    """
    annual = annual_frame(model).set_index("year")
    quarterly = quarterly_frame(model)
    real_va = (quarterly["value_added_yi"] / quarterly["price_index"]).groupby(quarterly["year"]).sum()
    real_va.iloc[0] *= 4  # the base year holds one quarter's flows
    clusters = cluster_frame(model)
    weights = clusters["cluster"].map(history.strategic_emerging_weights.weights()).fillna(0.0)
    emerging = (clusters["output_yi"] * weights).groupby(clusters["year"]).sum()
    output = clusters["output_yi"].groupby(clusters["year"]).sum()
    return pd.DataFrame(
        {
            "above_scale_output_yi": annual["above_scale_output_yi"],
            "above_scale_output_growth": annual["above_scale_output_yi"].pct_change(),
            "value_added_growth": real_va.pct_change(),
            "above_scale_firms": annual["above_scale_firms"].astype(float),
            "strategic_emerging_share": emerging / output,
            "tech_enterprises": annual["tech_enterprises"].astype(float),
        }
    )


def period_value(yearly: pd.DataFrame, observation: Observation) -> float:
    """A period indicator of one run: mean growth over, or ratio across, the years."""
    first, last = observation.first_year, observation.year
    if observation.indicator == "mean_value_added_growth":
        return float(yearly.loc[first:last, "value_added_growth"].mean())
    if observation.indicator == "tech_enterprise_growth":
        return float(yearly.loc[last, "tech_enterprises"] / yearly.loc[first, "tech_enterprises"])
    raise ValueError(f"not a period indicator: {observation.indicator}")


def run_rows(model: IndustryModel, history: History) -> list[dict[str, object]]:
    """Long rows (indicator, years, value) of one finished run."""
    yearly = yearly_indicators(model, history)
    rows: list[dict[str, object]] = [
        {"indicator": name, "years": str(year), "value": float(yearly.loc[year, name])}
        for name in YEARLY_INDICATORS
        for year in yearly.index
    ]
    for observation in history.observations:
        if observation.indicator in PERIOD_INDICATORS:
            rows.append(
                {
                    "indicator": observation.indicator,
                    "years": observation.label,
                    "value": period_value(yearly, observation),
                }
            )
    return rows


def simulate(
    scenario: Scenario,
    seeds: list[int],
    history: History,
    base_year: BaseYearData | None = None,
) -> pd.DataFrame:
    """Every replication's indicators: columns seed, indicator, years, value."""
    base_year = base_year or load_scenario_base_year(scenario)
    rows = []
    for seed in seeds:
        model = IndustryModel(scenario, rng=seed, base_year=base_year).run()
        rows += [{"seed": seed, **row} for row in run_rows(model, history)]
        model.release()
    return pd.DataFrame(rows)


def compare(simulated: pd.DataFrame, history: History) -> pd.DataFrame:
    """Median and 90% band per indicator and year, next to the reported figure and the error."""
    grouped = simulated.groupby(["indicator", "years"], sort=False)["value"]
    table = pd.DataFrame(
        {
            "median": grouped.median(),
            "p5": grouped.quantile(BAND[0]),
            "p95": grouped.quantile(BAND[1]),
        }
    ).reset_index()
    reported = {(o.indicator, o.label): o for o in history.observations}
    table["reported"] = [
        history.reported(reported[key]) if key in reported else np.nan
        for key in zip(table["indicator"], table["years"], strict=True)
    ]
    table["tolerance"] = [
        reported[key].tolerance if key in reported and reported[key].tolerance else np.nan
        for key in zip(table["indicator"], table["years"], strict=True)
    ]
    table["error"] = table["median"] - table["reported"]
    table["in_band"] = (table["reported"] >= table["p5"]) & (table["reported"] <= table["p95"])
    checked = table["tolerance"].notna()
    table["verdict"] = np.where(
        checked, np.where(table["error"].abs() <= table["tolerance"], "ok", "MISS"), ""
    )
    base = str(history.base_year)
    table.loc[table["years"] == base, ["in_band", "verdict"]] = [True, "base"]
    order = {name: i for i, name in enumerate((*YEARLY_INDICATORS, *PERIOD_INDICATORS))}
    table["_order"] = table["indicator"].map(order)
    return table.sort_values(["_order", "years"], kind="stable").drop(columns="_order").reset_index(drop=True)


def check_horizon(scenario: Scenario, history: History) -> None:
    """A hindcast starts the year after the history's base year and reaches its last figure."""
    run = scenario.data.run
    last = max(observation.year for observation in history.observations)
    if run.first_year != history.base_year + 1 or run.last_year < last:
        raise InputError(
            f"{scenario.source}: field 'run' = {run.first_year}-{run.last_year}: a hindcast must run "
            f"{history.base_year + 1}-{last} from a base year {history.base_year} "
            "(e.g. scenarios/hindcast_2020.toml)"
        )


def run_hindcast(
    scenario: Scenario, replications: int, first_seed: int = 1, history: History | None = None
) -> pd.DataFrame:
    """Simulate `replications` runs (seeds first_seed, first_seed + 1, ...) and compare."""
    history = history or load_history()
    check_horizon(scenario, history)
    seeds = list(range(first_seed, first_seed + replications))
    return compare(simulate(scenario, seeds, history), history)


# How each indicator is printed: (label, format of a value, format of an error)
DISPLAY = {
    "above_scale_output_yi": ("above-scale output 亿元", "{:,.1f}", "{:+,.1f}"),
    "above_scale_output_growth": ("above-scale output growth", "{:+.1%}", "{:+.1%}"),
    "value_added_growth": ("value added growth (real)", "{:+.1%}", "{:+.1%}"),
    "mean_value_added_growth": ("mean value added growth", "{:+.1%}", "{:+.1%}"),
    "above_scale_firms": ("above-scale firms", "{:,.0f}", "{:+,.0f}"),
    "strategic_emerging_share": ("strategic emerging share", "{:.1%}", "{:+.1%}"),
    "tech_enterprises": ("S&T enterprises (industrial)", "{:,.0f}", "{:+,.0f}"),
    "tech_enterprise_growth": ("S&T enterprises, ratio", "{:.2f}", "{:+.2f}"),
}


def format_hindcast(table: pd.DataFrame) -> str:
    """The comparison as a fixed-width text table; empty cells where nothing was reported."""

    def shown(fmt: str, value: float) -> str:
        return "" if pd.isna(value) else fmt.format(value)

    header = ("indicator", "years", "reported", "median", "90% band", "in band", "error", "tolerance", "")
    rows = []
    for record in table.dropna(subset=["median"]).itertuples(index=False):
        label, fmt, err = DISPLAY[record.indicator]
        band = "" if pd.isna(record.p5) else f"{fmt.format(record.p5)} .. {fmt.format(record.p95)}"
        tolerance = "" if pd.isna(record.tolerance) else "±" + shown(err, record.tolerance).lstrip("+")
        rows.append(
            (
                label,
                record.years,
                shown(fmt, record.reported),
                shown(fmt, record.median),
                band,
                "" if pd.isna(record.reported) else ("yes" if record.in_band else "no"),
                shown(err, record.error),
                tolerance,
                record.verdict,
            )
        )
    widths = [max(display_width(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = []
    for row in (header, *rows):
        cells = [align_left(row[0], widths[0])] + [
            align_right(c, w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def plot_hindcast(table: pd.DataFrame, path: Path) -> None:
    """One panel per yearly indicator: simulated median and 90% band, reported figures as dots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 3, figsize=(13, 7))
    for axis, name in zip(axes.flat, YEARLY_INDICATORS, strict=True):
        rows = table[table["indicator"] == name].dropna(subset=["median"])
        years = rows["years"].astype(int)
        axis.fill_between(years, rows["p5"], rows["p95"], alpha=0.25, label="simulated 90% band")
        axis.plot(years, rows["median"], marker="o", label="simulated median")
        reported = rows.dropna(subset=["reported"])
        axis.errorbar(
            reported["years"].astype(int),
            reported["reported"],
            yerr=reported["tolerance"].fillna(0.0),
            fmt="o",
            color="black",
            capsize=4,
            zorder=3,
            label="reported (bar: tolerance)",
        )
        axis.set_xticks(sorted(years))
        axis.set_title(DISPLAY[name][0].replace("亿元", "(100 million CNY)"))  # fonts lack CJK
        axis.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    figure.suptitle("Hindcast 2021-2024 from the 2020 base year: simulated against reported")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def level_break_lines(table: pd.DataFrame, history: History) -> list[str]:
    """The size of the level break (history.toml [level_break]): the hindcast's level in its
    last year against the forward base-year file's, as a share. Shown, never tested."""
    level_break = history.level_break
    if level_break is None:
        return []
    base = load_base_year(resolve_base_year_path(level_break.base_year_file, None)).output
    share = base.above_scale_share.value
    forward = (
        np.array([base.gross_output_yi.low, base.gross_output_yi.value, base.gross_output_yi.high]) * share
    )
    row = table[
        (table["indicator"] == "above_scale_output_yi") & (table["years"] == str(level_break.last_year))
    ].iloc[0]
    low, value, high = forward / row["median"]
    return [
        f"level break {history.base_year}-{level_break.last_year} (history.toml [level_break]): "
        f"the hindcast puts {level_break.last_year} above-scale output",
        f"at {row['median']:,.0f} 亿元 ({row['p5']:,.0f} .. {row['p95']:,.0f}); {level_break.base_year_file} "
        f"starts the forward runs at {forward[1]:,.0f} ({forward[0]:,.0f} .. {forward[2]:,.0f}),",
        f"gross output x above-scale share {share:g}: {value:.0%} ({low:.0%} .. {high:.0%}) of it. "
        "Levels across the break are not compared.",
    ]


def tolerance_lines(history: History) -> list[str]:
    """The hindcast's tests as Markdown list items (docs/credibility.md repeats them; a test checks)."""
    lines = []
    for observation in history.observations:
        if observation.tolerance is None:
            continue
        label, fmt, err = DISPLAY[observation.indicator]
        reported = fmt.format(history.reported(observation))
        if "%" in err:
            tolerance = f"{observation.tolerance * 100:g} percentage points"
        else:
            tolerance = err.format(observation.tolerance).lstrip("+")
        lines.append(f"- {label}, {observation.label}: reported {reported}, tolerance ±{tolerance}")
    return lines
