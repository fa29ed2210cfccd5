"""dazu-sim: an agent-based model of Dazu District's industry under the "2+10" plan.

The few names a notebook needs, loaded on first use (so `import sim` stays cheap and
checking a file does not import Mesa):

    from sim import IndustryModel, load_scenario
    from sim.paths import SCENARIOS_DIR
    model = IndustryModel(load_scenario(SCENARIOS_DIR / "baseline.toml"), rng=1).run()

    from sim import load_experiment, run_experiment, local_executor, build_report
    from sim import estimate_odds
"""

import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

_PUBLIC = {
    "IndustryModel": "sim.model.model",
    "load_scenario": "sim.inputs.scenario",
    "default_scenario": "sim.inputs.scenario",
    "Scenario": "sim.inputs.scenario",
    "InputError": "sim.inputs.errors",
    "annual_frame": "sim.run.results",
    "load_experiment": "sim.experiments.experiment_file",
    "run_experiment": "sim.experiments.run_into_folder",
    "local_executor": "sim.experiments.executors",
    "build_report": "sim.analysis.report",
    "estimate_odds": "sim.analysis.odds",
}
__all__ = [
    "IndustryModel",
    "InputError",
    "Scenario",
    "__version__",
    "annual_frame",
    "build_report",
    "default_scenario",
    "estimate_odds",
    "load_experiment",
    "load_scenario",
    "local_executor",
    "run_experiment",
]

if _typing.TYPE_CHECKING:
    from sim.analysis.odds import estimate_odds
    from sim.analysis.report import build_report
    from sim.experiments.executors import local_executor
    from sim.experiments.experiment_file import load_experiment
    from sim.experiments.run_into_folder import run_experiment
    from sim.inputs.errors import InputError
    from sim.inputs.scenario import Scenario, default_scenario, load_scenario
    from sim.model.model import IndustryModel
    from sim.run.results import annual_frame


def __getattr__(name: str) -> _typing.Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    return getattr(_importlib.import_module(_PUBLIC[name]), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
