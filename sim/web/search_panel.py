"""What it takes: a finished search's frontier, and a chosen mix's levers loaded into the sliders.

The page reads searches that `python -m sim search` finished into `results/` (of the folder
the server runs in); it never runs a search itself. Its words live here, beside the panel,
in the page's two languages.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import solara
from matplotlib.figure import Figure

from sim.analysis.search_mixes import mix_levers
from sim.analysis.search_report import VERIFIED, SearchReport, build_search_report
from sim.experiments.results_folder import read_manifest_object
from sim.inputs.errors import InputError
from sim.inputs.scenario import with_values
from sim.search.search_folder import is_search_folder
from sim.web.chart_tips import tip, tip_each
from sim.web.charts import hover_points, to_svg
from sim.web.downloads import ChartDownloads
from sim.web.i18n import Language
from sim.web.run_panel import svg_chart
from sim.web.state import Settings

RESULTS_DIR = Path("results")
LABELS: dict[str, tuple[str, str]] = {  # key -> (中文, English)
    "what_it_takes": ("实现目标需要什么（政策组合搜索）", "What it takes (searched lever mixes)"),
    "no_search": (
        "尚无完成的搜索：先运行 python -m sim search experiments/what_it_takes.toml",
        "No finished search yet: run python -m sim search experiments/what_it_takes.toml first",
    ),
    "search": ("搜索结果", "Search"),
    "mix": ("组合", "Mix"),
    "load_mix": ("将该组合的杠杆载入滑块", "Load this mix's levers into the sliders"),
    "cost_axis": ("年均财政净支出 2025-2030（亿元/年）", "Mean net fiscal cost 2025-2030 (亿元 a year)"),
    "verified_note": (
        "前沿上的组合已在新的未来情形（不同的抽样与随机种子）上重新验证；图中为验证后的数值",
        "The frontier's mixes were re-run on fresh futures (another sample, other seeds): the chart shows "
        "those numbers",
    ),
    "per_year": ("亿元/年", "亿元 a year"),
    "unreadable": ("无法读取该搜索结果", "This search's results cannot be read"),
}


def label(key: str, lang: Language) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def finished_searches(root: Path = RESULTS_DIR) -> list[Path]:
    """The results folders under `root` that hold a finished (verified) search, by name."""
    if not root.is_dir():
        return []
    found = [folder for folder in sorted(root.iterdir()) if folder.is_dir() and is_search_folder(folder)]
    return [folder for folder in found if read_manifest_object(folder).get("complete")]


def mix_settings(report: SearchReport, number: int) -> Settings:
    """The settings of a frontier mix: the search's base scenario with the mix's levers."""
    raw = with_values(copy.deepcopy(report.base_scenario), mix_levers(report, number), "mix")
    name = f"{report.header.name}_mix_{number}"
    return Settings(name, raw | {"name": name})


def mix_caption(report: SearchReport, number: int, lang: Language) -> str:
    row = report.frontier.loc[number]
    odds = ", ".join(f"P({t.year}) {row[f'{VERIFIED}_p_{t.year}']:.0%}" for t in report.targets)
    return (
        f"{label('mix', lang)} {number}: {odds}, {row[f'{VERIFIED}_cost_yi']:,.2f} {label('per_year', lang)}"
    )


def frontier_figure(report: SearchReport, chosen: int | None, lang: Language) -> Figure:
    """Verified cost against P(final target) of the frontier, the references as stars.

    Hovering on a mix or a reference says its odds of every target and its cost.
    """
    final = report.targets[-1]
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.subplots()
    frontier = report.frontier
    cost, odds = frontier[f"{VERIFIED}_cost_yi"], 100 * frontier[f"{VERIFIED}_p_{final.year}"]
    ax.plot(cost, odds, "o", color="#1f77b4")
    tip_each(hover_points(ax, cost, odds, 60), [mix_caption(report, int(n), lang) for n in frontier.index])
    if chosen is not None and chosen in frontier.index:
        (mark,) = ax.plot([cost[chosen]], [odds[chosen]], "o", color="#ff7f0e", ms=11)
        tip(mark, mix_caption(report, chosen, lang))
    for _, row in verified_references(report).iterrows():
        (star,) = ax.plot([row["cost_yi"]], [100 * row[f"p_{final.year}"]], "*", color="#d62728", ms=13)
        tip(star, reference_caption(report, row, lang))
        ax.annotate(row["scenario"], (row["cost_yi"], 100 * row[f"p_{final.year}"]), fontsize=8)
    ax.set_xlabel(label("cost_axis", lang))
    ax.set_ylabel(f"P({final.year} ≥ {final.threshold_yi:,.0f} 亿元), %")
    ax.set_ylim(-3, 103)
    ax.grid(alpha=0.3)
    return fig


def verified_references(report: SearchReport) -> pd.DataFrame:
    """The reference scenarios' numbers on the verification futures, as the chart shows them."""
    return report.references[report.references["futures_set"] == VERIFIED]


def reference_caption(report: SearchReport, row: pd.Series, lang: Language) -> str:
    odds = ", ".join(f"P({t.year}) {row[f'p_{t.year}']:.0%}" for t in report.targets)
    return f"{row['scenario']}: {odds}, {row['cost_yi']:,.2f} {label('per_year', lang)}"


def frontier_csv(report: SearchReport) -> bytes:
    """The frontier chart's numbers: each mix's and reference's verified cost and odds, as CSV.

    With a byte-order mark, so that Excel on Chinese Windows reads it right.
    """
    years = [t.year for t in report.targets]
    mixes = pd.DataFrame(
        {
            "kind": "mix",
            "name": [str(n) for n in report.frontier.index],
            "cost_yi": report.frontier[f"{VERIFIED}_cost_yi"].to_numpy(),
            **{f"p_{y}": report.frontier[f"{VERIFIED}_p_{y}"].to_numpy() for y in years},
        }
    )
    references = verified_references(report)
    stars = pd.DataFrame(
        {
            "kind": "reference",
            "name": references["scenario"].to_numpy(),
            "cost_yi": references["cost_yi"].to_numpy(),
            **{f"p_{y}": references[f"p_{y}"].to_numpy() for y in years},
        }
    )
    return pd.concat([mixes, stars]).to_csv(index=False).encode("utf-8-sig")


def frontier_makers(
    report: SearchReport, chosen: int | None, lang: Language
) -> tuple[Callable[[], str], Callable[[], bytes]]:
    """What the frontier's download links make when clicked: the chart as an SVG file, its numbers."""
    return (
        lambda: to_svg(frontier_figure(report, chosen, lang), standalone=True),
        lambda: frontier_csv(report),
    )


def _load(name: str) -> SearchReport | str | None:
    """The report of a search folder of results/, the reason it cannot be read, or None."""
    if not name:
        return None
    try:
        return build_search_report(RESULTS_DIR / name)
    except InputError as exc:
        return str(exc)


@solara.component
def SearchPanel(on_settings: Callable[[Settings], None], lang: Language):
    """Pick a finished search and a frontier mix; load the mix's levers into the sliders."""
    folders = solara.use_memo(finished_searches, [])
    chosen_folder = solara.use_reactive(folders[0].name if folders else "")
    chosen_mix: solara.Reactive[int | None] = solara.use_reactive(None)
    report = solara.use_memo(lambda: _load(chosen_folder.value), [chosen_folder.value])
    numbers = [int(n) for n in report.frontier.index] if isinstance(report, SearchReport) else []
    current = chosen_mix.value if chosen_mix.value in numbers else (numbers[0] if numbers else None)
    figure = solara.use_memo(
        lambda: to_svg(frontier_figure(report, current, lang)) if isinstance(report, SearchReport) else None,
        [report, current, lang],
    )
    makers = solara.use_memo(
        lambda: frontier_makers(report, current, lang) if isinstance(report, SearchReport) else None,
        [report, current, lang],
    )
    with solara.Card(label("what_it_takes", lang), classes=["search-panel"]):
        if not folders:
            solara.Text(label("no_search", lang), classes=["no-search"])
            return
        solara.Select(
            label("search", lang),
            values=[f.name for f in folders],
            value=chosen_folder,
            classes=["search-pick"],
        )
        if isinstance(report, str):
            solara.Error(f"{label('unreadable', lang)}: {report}")
        if not isinstance(report, SearchReport) or figure is None or makers is None:
            return
        solara.Text(label("verified_note", lang), style={"font-size": "0.85em", "color": "#666"})
        svg_chart(figure, "frontier")
        ChartDownloads("frontier", f"dazu_frontier_{chosen_folder.value}", *makers, lang)
        if current is None:
            return
        captions = {mix_caption(report, n, lang): n for n in numbers}
        solara.Select(
            label("mix", lang),
            values=list(captions),
            value=mix_caption(report, current, lang),
            on_value=lambda caption: chosen_mix.set(captions[caption]),
            classes=["mix-pick"],
        )
        solara.Button(
            label("load_mix", lang),
            on_click=lambda: on_settings(mix_settings(report, current)),
            color="primary",
            classes=["load-mix"],
        )
