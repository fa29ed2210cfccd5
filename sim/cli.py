"""Command line: `python -m sim run SCENARIO [--seed N] [--json] [--out DIR] [--set a.b=v]`."""

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
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.FIELD=VALUE",
        help="override a scenario value, e.g. --set land.reclaim_rate=0.1 (repeatable)",
    )
    params = commands.add_parser("parameters", help="list every parameter with default, bounds and source")
    params.add_argument("--markdown", action="store_true", help="print the Markdown of docs/parameters.md")
    return parser


def _parameters(args: argparse.Namespace) -> int:
    from sim.parameter_docs import parameters_markdown, parameters_text

    print(parameters_markdown() if args.markdown else parameters_text())
    return 0


def _run(args: argparse.Namespace) -> int:
    from sim.model import IndustryModel, load_scenario_base_year
    from sim.results import annual_frame, format_table, format_targets, run_summary, target_results
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
    print(format_table(annual_frame(model)))
    print()
    print(format_targets(target_results(model)))
    if args.out is not None:
        print(f"\nwrote {args.out}/: quarterly.parquet clusters.parquet annual.csv summary.json output.png")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _parameters(args) if args.command == "parameters" else _run(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
