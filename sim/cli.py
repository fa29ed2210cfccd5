"""Command line: `python -m sim run | compare | levers | parameters`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from sim.input_errors import InputError

EXIT_INPUT_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sim",
        description="Agent-based simulation of Dazu District's industry under the '2+10' plan.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run one scenario with one seed and print the annual table")
    run.add_argument("scenario", type=Path, help="scenario TOML file, e.g. scenarios/baseline.toml")
    run.add_argument("--seed", type=int, default=1, help="random seed of the run (default 1)")
    run.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    run.add_argument("--out", type=Path, help="write quarterly/cluster Parquet, annual CSV and a chart here")
    _add_overrides(run)
    compare = commands.add_parser(
        "compare", help="run two scenarios with the same seed and print them side by side"
    )
    compare.add_argument("first", type=Path, help="scenario TOML, e.g. scenarios/baseline.toml")
    compare.add_argument("second", type=Path, help="scenario TOML, e.g. scenarios/all_plans.toml")
    compare.add_argument("--seed", type=int, default=1, help="random seed of both runs (default 1)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON records")
    _add_overrides(compare, "both scenarios")
    levers = commands.add_parser("levers", help="list every lever of the ten plans and the task forces")
    levers.add_argument("--json", action="store_true", help="print the levers as JSON")
    levers.add_argument("--markdown", action="store_true", help="print the Markdown of docs/levers.md")
    params = commands.add_parser("parameters", help="list every parameter with default, bounds and source")
    params.add_argument("--markdown", action="store_true", help="print the Markdown of docs/parameters.md")
    return parser


def _add_overrides(parser: argparse.ArgumentParser, target: str = "the scenario") -> None:
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.FIELD=VALUE",
        help=f"override a value of {target}, e.g. --set levers.land.reclaim_rate=0.1 (repeatable)",
    )


def _levers(args: argparse.Namespace) -> int:
    from sim.lever_docs import levers_json, levers_markdown, levers_text

    print(levers_json() if args.json else levers_markdown() if args.markdown else levers_text())
    return 0


def _compare(args: argparse.Namespace) -> int:
    from sim.compare import compare, comparison_rows, format_comparison
    from sim.scenario import load_scenario

    first = load_scenario(args.first, args.overrides)
    second = load_scenario(args.second, args.overrides)
    comparison = compare(first, second, args.seed)
    if args.json:
        print(json.dumps(comparison_rows(comparison), ensure_ascii=False))
        return 0
    print(f"{first.name} ({args.first}) vs {second.name} ({args.second}), seed {args.seed} for both")
    print("[n] = the plan whose levers move the indicator; flows are yearly totals, stocks at year end")
    print()
    print(format_comparison(comparison))
    return 0


def _parameters(args: argparse.Namespace) -> int:
    from sim.parameter_docs import parameters_markdown, parameters_text

    print(parameters_markdown() if args.markdown else parameters_text())
    return 0


def _run(args: argparse.Namespace) -> int:
    from sim.model import IndustryModel, load_scenario_base_year
    from sim.results import (
        annual_frame,
        format_fiscal_table,
        format_table,
        format_targets,
        run_summary,
        target_results,
    )
    from sim.run_output import write_run
    from sim.scenario import load_scenario

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise InputError(f"--out {args.out}: exists and is not a folder")
    scenario = load_scenario(args.scenario, args.overrides)
    base_year = load_scenario_base_year(scenario)
    model = IndustryModel(scenario, rng=args.seed, base_year=base_year).run()
    summary = run_summary(model, args.seed)
    if args.out is not None:
        write_run(model, args.out, summary)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(f"scenario: {model.scenario_name} ({args.scenario}), seed {args.seed}")
    annual = annual_frame(model)
    print(format_table(annual))
    print()
    print("fiscal cost to the district, 亿元")
    print(format_fiscal_table(annual))
    print()
    print(format_targets(target_results(model, annual)))
    if args.out is not None:
        print(f"\nwrote {args.out}/: quarterly.parquet clusters.parquet annual.csv summary.json output.png")
    return 0


COMMANDS = {"run": _run, "compare": _compare, "levers": _levers, "parameters": _parameters}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
