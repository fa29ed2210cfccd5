"""Command line: `python -m sim run|compare|experiment|report|levers|plan-response|hindcast|...|web`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.credibility.fit_budget import Budget
from sim.inputs.errors import InputError, read_toml
from sim.paths import locate_experiment, locate_scenario

EXIT_INPUT_ERROR = 2
EXIT_INTERRUPTED = 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sim",
        description="Agent-based simulation of Dazu District's industry under the '2+10' plan.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run one scenario with one seed and print the annual table")
    run.add_argument(
        "scenario", type=scenario_file, help="scenario: a TOML file or a shipped name, e.g. baseline"
    )
    run.add_argument("--seed", type=seed, default=1, help="random seed of the run (default 1)")
    run.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    run.add_argument("--out", type=Path, help="write quarterly/cluster Parquet, annual CSV and a chart here")
    _add_overrides(run)
    compare = commands.add_parser(
        "compare", help="run two scenarios with the same seed and print them side by side"
    )
    compare.add_argument("first", type=scenario_file, help="scenario TOML or shipped name, e.g. baseline")
    compare.add_argument("second", type=scenario_file, help="scenario TOML or shipped name, e.g. all_plans")
    compare.add_argument("--seed", type=seed, default=1, help="random seed of both runs (default 1)")
    compare.add_argument("--json", action="store_true", help="print the comparison as JSON records")
    _add_overrides(compare, "both scenarios")
    experiment = commands.add_parser(
        "experiment", help="run a batch experiment (many runs, uncertainties sampled) into a results folder"
    )
    experiment.add_argument(
        "file", type=experiment_file, help="experiment TOML or shipped name, e.g. target_probability"
    )
    experiment.add_argument("--out", type=Path, help="results folder (default results/<experiment name>)")
    experiment.add_argument("--resume", action="store_true", help="complete the runs missing from --out")
    experiment.add_argument(
        "--workers", type=positive, help="worker processes on this machine (default: all cores)"
    )
    experiment.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster instead of local processes"
    )
    experiment.add_argument("--quiet", action="store_true", help="no progress bar")
    search = commands.add_parser(
        "search", help="search the levers for the cheapest mixes that reach the targets (what it takes)"
    )
    search.add_argument("file", type=experiment_file, help="search TOML or shipped name, e.g. what_it_takes")
    search.add_argument("--out", type=Path, help="results folder (default results/<search name>)")
    search.add_argument("--resume", action="store_true", help="continue the search in --out")
    search.add_argument(
        "--workers", type=positive, help="worker processes on this machine (default: all cores)"
    )
    search.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster instead of local processes"
    )
    search.add_argument("--quiet", action="store_true", help="no progress bar")
    report = commands.add_parser(
        "report", help="probabilities, fan charts, plan effects, costs, sensitivity: report.md in the folder"
    )
    report.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of the report (default zh: Chinese)"
    )
    report.add_argument(
        "--format",
        choices=["md", "html"],
        default="md",
        help="md: Markdown with PNG charts beside it; html: one self-contained file (charts and font inside)",
    )
    report.add_argument("folder", type=Path, help="results folder, e.g. results/target_probability")
    report.add_argument("--json", action="store_true", help="print the numbers as JSON instead of Markdown")
    audit = commands.add_parser(
        "audit",
        help="classify every parameter from an audit's runs: sampled, fixed and inert, or influential",
    )
    audit.add_argument(
        "folder", type=Path, help="results folder of experiments/audit.toml, e.g. results/audit"
    )
    audit.add_argument(
        "--write",
        type=Path,
        metavar="PAGE",
        help="write the page (e.g. docs/assumptions.md) and its .json summary",
    )
    levers = commands.add_parser("levers", help="list every lever of the ten plans and the task forces")
    levers.add_argument("--json", action="store_true", help="print the levers as JSON")
    levers.add_argument("--markdown", action="store_true", help="print the Markdown of docs/levers.md")
    hindcast = commands.add_parser(
        "hindcast", help="run 2021-2024 from the 2020 world and compare with the reported figures"
    )
    hindcast.add_argument(
        "scenario", type=scenario_file, nargs="?", help="hindcast scenario (default: hindcast_2020)"
    )
    _add_replications(hindcast, 50)
    hindcast.add_argument("--out", type=Path, help="write hindcast.csv and hindcast.png here")
    _add_overrides(hindcast)
    calibrate = commands.add_parser(
        "calibrate",
        help="fit the parameters the reported 2021-24 history informs (ABC-SMC posterior, or a point fit)",
    )
    calibrate.add_argument(
        "--method",
        choices=("abc", "msm"),
        default="abc",
        help="abc: posterior by ABC-SMC into sim/data/posterior.toml (default); "
        "msm: simulated-moments point fit into sim/data/calibration.toml",
    )
    _add_replications(calibrate, 20, "runs per evaluation (msm only; default 20)")
    calibrate.add_argument(
        "--max-evaluations",
        type=int,
        default=40,
        help="msm: most loss evaluations of the search, each Jacobian adding one per parameter (default 40)",
    )
    calibrate.add_argument(
        "--checkpoint",
        type=Path,
        help="file of finished work (default results/calibration/abc.db; msm: .../checkpoint.json)",
    )
    calibrate.add_argument("--resume", action="store_true", help="continue the saved fit of --checkpoint")
    budget = Budget()  # the defaults
    calibrate.add_argument(
        "--population",
        type=int,
        default=budget.population,
        help=f"abc: particles per generation (default {budget.population})",
    )
    calibrate.add_argument(
        "--generations",
        type=int,
        default=budget.generations,
        help=f"abc: most generations (default {budget.generations})",
    )
    calibrate.add_argument(
        "--max-simulations",
        type=int,
        default=budget.max_simulations,
        help=f"abc: no new generation after this many runs (default {budget.max_simulations:,})",
    )
    calibrate.add_argument(
        "--predictive-draws",
        type=int,
        default=budget.predictive_draws,
        help=f"abc: posterior-predictive runs of the fit check (default {budget.predictive_draws})",
    )
    calibrate.add_argument(
        "--workers", type=positive, help="abc: worker processes on this machine (default: all cores)"
    )
    calibrate.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="abc: run on this Dask cluster instead of local processes",
    )
    calibrate.add_argument(
        "--output",
        type=Path,
        help="file to write (default sim/data/posterior.toml, msm: sim/data/calibration.toml); "
        "abc with --output writes no defaults",
    )
    calibrate.add_argument(
        "--keep-defaults",
        action="store_true",
        help="abc: write the posterior only; single runs' defaults (sim/data/calibration.toml) stay",
    )
    facts = commands.add_parser(
        "facts", help="check stylized facts (firm sizes, growth, productivity, investment) on simulated firms"
    )
    facts.add_argument("scenario", type=scenario_file, nargs="?", help="scenario (default: baseline)")
    _add_replications(facts, 5)
    _add_overrides(facts)
    response = commands.add_parser(
        "plan-response",
        help="paired runs of each plan over its effect sizes' ranges: indicator, output and what binds",
    )
    response.add_argument(
        "--markdown", action="store_true", help="print the Markdown of docs/plan_response.md"
    )
    response.add_argument(
        "--workers", type=positive, default=None, help="worker processes (default: all cores; same numbers)"
    )
    params = commands.add_parser("parameters", help="list every parameter with default, bounds and source")
    params.add_argument("--markdown", action="store_true", help="print the Markdown of docs/parameters.md")
    params.add_argument(
        "--update-odd", action="store_true", help="regenerate the parameter table of docs/ODD.md in place"
    )
    web = commands.add_parser("web", help="serve the web page (levers, one run, the odds) until Ctrl-C")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=port_number, default=8765, help="port, 1-65535 (default 8765)")
    web.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name browsers reach the server by, e.g. via a proxy (repeatable; docs/server.md)",
    )
    return parser


def scenario_file(text: str) -> Path:
    """A scenario argument: a path, or the name of a shipped scenario."""
    return locate_scenario(Path(text))


def experiment_file(text: str) -> Path:
    """An experiment argument: a path, or the name of a shipped experiment file."""
    return locate_experiment(Path(text))


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
    from sim.reference.lever_docs import levers_json, levers_markdown, levers_text

    print(levers_json() if args.json else levers_markdown() if args.markdown else levers_text())
    return 0


def _compare(args: argparse.Namespace) -> int:
    from sim.inputs.scenario import load_scenario

    first = load_scenario(args.first, args.overrides)
    second = load_scenario(args.second, args.overrides)
    from sim.run.compare import compare, comparison_rows, format_comparison  # after the checks, as in _run

    comparison = compare(first, second, args.seed)
    if args.json:
        print(json.dumps(comparison_rows(comparison), ensure_ascii=False, allow_nan=False))
        return 0
    print(f"{first.name} ({args.first}) vs {second.name} ({args.second}), seed {args.seed} for both")
    print("[n] = the plan whose levers move the indicator; flows are yearly totals, stocks at year end")
    print()
    print(format_comparison(comparison))
    return 0


def _add_replications(parser: argparse.ArgumentParser, default: int, help_text: str | None = None) -> None:
    parser.add_argument(
        "--replications",
        type=int,
        default=default,
        help=help_text or f"runs per evaluation (default {default})",
    )
    parser.add_argument(
        "--seed", type=seed, default=1, help="seed of the first run; then +1 each (default 1)"
    )


def shown_path(path: Path) -> str:
    """A path as the user can find it: relative to the working folder when inside it."""
    absolute = path.absolute()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(absolute)


def _check_out(out: Path | None) -> None:
    """Refuse an output folder that cannot be written before any work is done."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a folder")
    existing = next(p for p in (out, *out.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise InputError(f"--out {out}: cannot be created or written ({existing} is not a writable folder)")


def _integer(text: str, minimum: int, rule: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{value}: {rule}")
    return value


def seed(text: str) -> int:
    """A random seed: a non-negative integer."""
    return _integer(text, 0, "seeds are integers >= 0 (numpy refuses negative ones)")


def positive(text: str) -> int:
    """A count of at least 1."""
    return _integer(text, 1, "must be at least 1")


def port_number(text: str) -> int:
    """A TCP port a server can listen on."""
    value = _integer(text, 1, "ports are 1-65535")
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value}: ports are 1-65535")
    return value


def _experiment(args: argparse.Namespace) -> int:
    import time

    from sim.experiments.executors import experiment_executor

    read_toml(args.file)  # a missing or malformed file is reported before any worker starts
    experiment = None
    try:  # outside the folder and the workers, so that they see an interruption too
        # The workers start first: their imports (~2.6 s each) then overlap this process's own
        # (the sampler, ~1.1 s; the model only in the workers) and its reading of the file.
        with experiment_executor(args.scheduler, args.workers) as (executor, workers):
            from sim.experiments.experiment_file import load_experiment
            from sim.experiments.run_into_folder import results_folder, run_missing

            experiment = load_experiment(args.file, show_progress=not args.quiet)
            folder = args.out or Path("results") / experiment.name
            _check_out(folder)
            print(
                f"experiment: {experiment.name} ({args.file}): {len(experiment.scenarios)} scenarios x "
                f"{experiment.runs_per_scenario:,} runs = {experiment.runs_total:,} runs; "
                f"design {experiment.design}, {len(experiment.parameters)} sampled parameters, "
                f"root seed {experiment.root_seed}"
            )
            base_year_files = dict.fromkeys(
                shown_path(Path(s.base_year_file)) for s in experiment.scenarios.values()
            )
            print(f"base-year data: {', '.join(base_year_files)}")
            started = time.monotonic()
            with results_folder(folder, experiment, args.resume) as prepared:
                where = args.scheduler or "this machine"
                print(f"running on {where} with {workers} workers; results stream to {folder}/", flush=True)
                manifest = run_missing(
                    experiment, folder, prepared, executor, workers, show_progress=not args.quiet
                )
    except InputError:
        raise
    except KeyboardInterrupt:
        if experiment is None:  # nothing started, nothing to save
            raise
        print(f"\ninterrupted: {_saved(folder, experiment.runs_total)}")
        return EXIT_INTERRUPTED
    except Exception as failure:  # a run failed (or the workers died): say what, and what is kept
        if experiment is None:
            raise
        print(f"\nerror: {failure}\n{_saved(folder, experiment.runs_total)}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    print(f"done: {manifest['runs_done']:,} runs in {folder}/ ({elapsed:.0f} s)")
    print(f"next: python -m sim report {folder}")
    return 0


def _saved(folder: Path, total: int) -> str:
    """What an interrupted or failed experiment kept, and how to go on."""
    from sim.experiments.results_folder import finished_run_ids

    if not folder.exists():
        return "no run was finished, so nothing is kept; run the same command again"
    return (
        f"{len(finished_run_ids(folder)):,} of {total:,} runs are saved in {folder}/; "
        "run the same command with --resume to complete it"
    )


def _search(args: argparse.Namespace) -> int:
    import time

    from sim.experiments.executors import experiment_executor

    read_toml(args.file)  # a missing or malformed file is reported before any worker starts
    search = None
    try:  # outside the workers, so that an interruption or a failure stops them at once
        # The workers start first: their imports overlap this process's (~1.3 s) and its reading of the file.
        with experiment_executor(args.scheduler, args.workers) as (executor, workers):
            from sim.search.run_search import run_search, search_runs_total
            from sim.search.search_file import load_search

            search = load_search(args.file)
            folder = args.out or Path("results") / search.name
            _check_out(folder)
            print(
                f"search: {search.name} ({args.file}): {len(search.levers)} levers, "
                f"{search.candidates:,} candidates in {search.generations} generations of "
                f"{search.population} ({search.optimiser}), each on the same {len(search.futures):,} "
                f"futures ({search_runs_total(search):,} runs with the {len(search.references)} "
                f"references); frontier verified on {len(search.verification):,} fresh futures; "
                f"root seed {search.root_seed}"
            )
            started = time.monotonic()
            where = args.scheduler or "this machine"
            print(f"running on {where} with {workers} workers; results stream to {folder}/", flush=True)
            run_search(
                search,
                folder,
                executor,
                workers,
                resume=args.resume,
                show_progress=not args.quiet,
                say=lambda line: print(line, flush=True),
            )
    except InputError:
        raise
    except KeyboardInterrupt:
        if search is None:  # nothing started, nothing to save
            raise
        print(
            f"\ninterrupted: the finished runs and candidates are saved in {folder}/; "
            "run the same command with --resume"
        )
        return EXIT_INTERRUPTED
    except Exception as failure:  # a run failed (or the workers died): say what, and what is kept
        if search is None:
            raise
        print(
            f"\nerror: {failure}\nthe finished runs and candidates are saved in {folder}/; "
            "after fixing the cause, run it with --resume",
            file=sys.stderr,
        )
        return 1
    print(f"done in {time.monotonic() - started:.0f} s: {folder}/")
    print(f"next: python -m sim report {folder}")
    return 0


def _report(args: argparse.Namespace) -> int:
    """An experiment's report, or a search's: the same languages, formats and way of writing."""
    from sim.search.search_folder import is_search_folder

    if is_search_folder(args.folder):
        from sim.analysis.search_report import build_search_report
        from sim.analysis.search_report_files import (
            render_search_report,
            search_report_json,
            write_search_report,
        )

        search = build_search_report(args.folder)
        return _show_and_write(
            args,
            lambda: search_report_json(search, args.lang),
            lambda: render_search_report(search, args.lang),
            lambda: write_search_report(search, args.folder, args.lang, args.format),
        )
    from sim.analysis.report import build_report, render_report, report_json, write_report

    report = build_report(args.folder)
    return _show_and_write(
        args,
        lambda: report_json(report),
        lambda: render_report(report, args.lang),
        lambda: write_report(report, args.folder, args.lang, args.format),
    )


def _show_and_write(
    args: argparse.Namespace,
    as_json: Callable[[], dict[str, Any]],
    markdown: Callable[[], str],
    write: Callable[[], list[Path]],
) -> int:
    """Print the report's JSON or Markdown (not its HTML), write its files and say which."""
    if args.json:
        print(json.dumps(as_json(), ensure_ascii=False))
    elif args.format == "md":
        print(markdown())
    try:
        written = write()
    except OSError as exc:
        raise InputError(f"{args.folder}: cannot write the report files ({exc.strerror})") from None
    if not args.json:
        print(f"wrote {', '.join(str(path) for path in written)}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from sim.analysis.audit import audit_summary, influential, summary_json
    from sim.analysis.audit_page import assumptions_page
    from sim.run.output_folder import write_atomically

    command = f"python -m sim audit {args.folder}" + (f" --write {args.write}" if args.write else "")
    summary = audit_summary(args.folder, command)
    page = assumptions_page(summary)
    print(page)
    if args.write is not None:
        if args.write.suffix != ".md":
            raise InputError(
                f"--write {args.write}: give a Markdown page (.md); its summary goes beside it (.json)"
            )
        summary_file = args.write.with_suffix(".json")
        text = summary_json(summary)
        try:
            write_atomically(
                args.write.parent,
                {
                    summary_file.name: lambda target: target.write_text(text, encoding="utf-8"),
                    args.write.name: lambda target: target.write_text(page, encoding="utf-8"),
                },
            )
        except OSError as exc:
            raise InputError(f"--write {args.write}: cannot be written ({exc.strerror})") from None
        print(f"wrote {args.write} and {summary_file}")
    fixed = influential(summary)
    if fixed:
        print(f"{len(fixed)} fixed parameters move the answer: {', '.join(r['name'] for r in fixed)}")
    return 0


def _check_replications(args: argparse.Namespace) -> None:
    if args.replications < 2:
        raise InputError(f"--replications {args.replications}: need at least 2 (for a band and a spread)")


def _hindcast(args: argparse.Namespace) -> int:
    from sim.credibility.hindcast import (
        HINDCAST_SCENARIO,
        format_hindcast,
        level_break_lines,
        load_hindcast_scenario,
        plot_hindcast,
        run_hindcast,
    )
    from sim.credibility.history import load_history
    from sim.run.output_folder import write_atomically

    _check_out(args.out)
    _check_replications(args)
    path = args.scenario or Path(os.path.relpath(HINDCAST_SCENARIO))
    scenario = load_hindcast_scenario(path, args.overrides)
    table = run_hindcast(scenario, args.replications, args.seed)
    run = scenario.data.run
    print(
        f"hindcast: {scenario.name} ({path}), {run.first_year}-{run.last_year}, "
        f"{args.replications} runs (seeds {args.seed}..{args.seed + args.replications - 1})"
    )
    print(format_hindcast(table))
    print()
    print("\n".join(level_break_lines(table, load_history())))
    if args.out is not None:
        write_atomically(
            args.out,
            {
                "hindcast.csv": lambda target: table.to_csv(target, index=False),
                "hindcast.png": lambda target: plot_hindcast(table, target),
            },
        )
        print(f"\nwrote {args.out}/: hindcast.csv hindcast.png")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    return _calibrate_posterior(args) if args.method == "abc" else _calibrate_msm(args)


def _calibrate_posterior(args: argparse.Namespace) -> int:
    from sim.credibility.hindcast import load_hindcast_scenario
    from sim.credibility.history import DEFAULT_HISTORY_FILE, load_history
    from sim.credibility.posterior import fit_posterior
    from sim.credibility.posterior_report import (
        HEADER,
        POINT_HEADER,
        format_posterior,
        point_values_document,
        posterior_document,
        write_toml,
    )
    from sim.experiments.executors import experiment_executor
    from sim.inputs.calibration_file import DEFAULT_CALIBRATION_FILE
    from sim.inputs.posterior_file import DEFAULT_POSTERIOR_FILE

    budget = Budget(
        population=args.population,
        generations=args.generations,
        max_simulations=args.max_simulations,
        predictive_draws=args.predictive_draws,
    )
    database = args.checkpoint or Path("results/calibration/abc.db")
    output = args.output or DEFAULT_POSTERIOR_FILE
    print(
        f"calibrating on {DEFAULT_HISTORY_FILE.name} by ABC-SMC: {budget.population} particles, "
        f"at most {budget.generations} generations and {budget.max_simulations:,} runs; saved in {database}"
    )
    with experiment_executor(args.scheduler, args.workers) as (executor, workers):
        print(f"running on {args.scheduler or 'this machine'} with {workers} workers", flush=True)
        try:
            fit = fit_posterior(
                load_hindcast_scenario(),
                load_history(),
                executor,
                2 * workers,
                database,
                budget,
                seed=args.seed,
                resume=args.resume,
                progress=lambda text: print(text, end="", flush=True),
            )
        except KeyboardInterrupt:
            print(
                f"\nstopped; finished generations are saved in {database}: "
                "run the same command with --resume to continue"
            )
            return EXIT_INTERRUPTED
    print()
    print(format_posterior(fit))
    command = (
        f"python -m sim calibrate --population {budget.population} --generations {budget.generations} "
        f"--max-simulations {budget.max_simulations} --predictive-draws {budget.predictive_draws} "
        f"--seed {args.seed}"
    )
    history_file = DEFAULT_HISTORY_FILE.name
    write_toml(posterior_document(fit, command, history_file), output, HEADER)
    print(f"\nwrote {os.path.relpath(output)}")
    if not args.keep_defaults and args.output is None:
        write_toml(point_values_document(fit, command, history_file), DEFAULT_CALIBRATION_FILE, POINT_HEADER)
        print(f"wrote {os.path.relpath(DEFAULT_CALIBRATION_FILE)} (single runs' defaults: posterior medians)")
    return 0


def _calibrate_msm(args: argparse.Namespace) -> int:
    from sim.credibility.hindcast import load_hindcast_scenario
    from sim.credibility.history import DEFAULT_HISTORY_FILE, load_history
    from sim.credibility.msm import Checkpoint, fit, format_fit, write_calibration
    from sim.inputs.calibration_file import DEFAULT_CALIBRATION_FILE

    _check_replications(args)
    if args.max_evaluations < 1:
        raise InputError(f"--max-evaluations {args.max_evaluations}: must be at least 1")
    seeds = list(range(args.seed, args.seed + args.replications))
    checkpoint_path = args.checkpoint or Path("results/calibration/checkpoint.json")
    checkpoint = Checkpoint.open(checkpoint_path, seeds, args.resume)
    output = args.output or DEFAULT_CALIBRATION_FILE
    print(f"calibrating on {DEFAULT_HISTORY_FILE.name}: {args.replications} runs per evaluation")
    try:
        result = fit(
            load_hindcast_scenario(),
            load_history(),
            None,
            seeds,
            checkpoint,
            max_evaluations=args.max_evaluations,
            progress=lambda line: print(line, flush=True),
        )
    except KeyboardInterrupt:
        print(
            f"\nstopped after {len(checkpoint.evaluations)} saved evaluations in {checkpoint_path}; "
            "run the same command with --resume to continue"
        )
        return EXIT_INTERRUPTED
    print()
    print(format_fit(result))
    command = f"python -m sim calibrate --method msm --replications {args.replications} --seed {args.seed}"
    write_calibration(result, output, command, DEFAULT_HISTORY_FILE.name)
    print(f"\nwrote {os.path.relpath(output)}")
    return 0


def _facts(args: argparse.Namespace) -> int:
    from sim.credibility.stylized_facts import (
        BASELINE_SCENARIO,
        COMPARISONS,
        format_facts,
        measure,
        simulate_panels,
    )
    from sim.inputs.scenario import load_scenario

    _check_replications(args)
    path = args.scenario or Path(os.path.relpath(BASELINE_SCENARIO))
    scenario = load_scenario(path, args.overrides)
    seeds = list(range(args.seed, args.seed + args.replications))
    panels = simulate_panels(scenario, seeds)
    runs = f"{len(seeds)} runs (seeds {seeds[0]}..{seeds[-1]})"
    print(f"stylized facts: {scenario.name} ({path}), firm-years of {runs}")
    print(format_facts(measure(panels), measure(panels, COMPARISONS)))
    return 0


def _parameters(args: argparse.Namespace) -> int:
    from sim.reference.parameter_docs import parameters_markdown, parameters_text

    if args.update_odd:
        from sim.reference.odd_table import ODD_FILE, write_odd

        write_odd()
        print(f"updated the parameter table of {ODD_FILE}")
        return 0
    print(parameters_markdown() if args.markdown else parameters_text())
    return 0


def _plan_response(args: argparse.Namespace) -> int:
    from sim.analysis.plan_response import computed_responses
    from sim.analysis.plan_response_page import plan_response_markdown, plan_response_text

    responses = computed_responses(workers=args.workers)
    print(plan_response_markdown(responses) if args.markdown else plan_response_text(responses))
    return 0


def _web(args: argparse.Namespace) -> int:
    from sim.web.server import serve

    serve(args.host, args.port, tuple(args.allow_host))
    return 0


def _run(args: argparse.Namespace) -> int:
    from sim.inputs.base_year import load_scenario_base_year, scenario_base_year_path
    from sim.inputs.scenario import load_scenario

    _check_out(args.out)
    scenario = load_scenario(args.scenario, args.overrides)
    base_year = load_scenario_base_year(scenario)
    base_year_file = scenario_base_year_path(scenario)
    # The inputs are checked before the model (and Mesa) is imported: a bad file fails at once.
    from sim.model.model import IndustryModel
    from sim.run.output_folder import OUTPUT_FILES, write_run
    from sim.run.results import (
        annual_frame,
        format_fiscal_table,
        format_table,
        format_targets,
        run_summary,
        target_results,
    )

    model = IndustryModel(scenario, rng=args.seed, base_year=base_year).run()
    summary = run_summary(model, args.seed)
    if args.out is not None:
        write_run(model, args.out, summary)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, allow_nan=False))
        return 0
    print(f"scenario: {model.scenario_name} ({args.scenario}), seed {args.seed}")
    print(f"base-year data: {shown_path(base_year_file)}")
    annual = annual_frame(model)
    print(format_table(annual))
    print()
    print("district budget: cost, revenue and net cost, 亿元")
    print(format_fiscal_table(annual))
    print()
    print(format_targets(target_results(model, annual)))
    if args.out is not None:
        print(f"\nwrote {args.out}/: {' '.join(OUTPUT_FILES)}")
    return 0


COMMANDS = {
    "run": _run,
    "compare": _compare,
    "experiment": _experiment,
    "search": _search,
    "report": _report,
    "audit": _audit,
    "levers": _levers,
    "hindcast": _hindcast,
    "calibrate": _calibrate,
    "facts": _facts,
    "parameters": _parameters,
    "plan-response": _plan_response,
    "web": _web,
}


def main(argv: list[str] | None = None) -> int:
    from sim.experiments.executors import sigterm_as_interrupt

    args = _parser().parse_args(argv)
    try:
        with sigterm_as_interrupt():
            return COMMANDS[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM where the command has nothing to save
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
