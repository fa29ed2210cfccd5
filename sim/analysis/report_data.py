"""The report's sections as data: what build_report computes and the text and charts show."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.analysis.beliefs import Belief
from sim.analysis.discovery import Discovery
from sim.inputs.scenario import Target


@dataclass(frozen=True)
class Header:
    experiment: str
    description: str
    experiment_file: str
    design: str
    runs_done: int
    runs_total: int
    root_seed: int
    package_version: str
    reference: str | None
    base_year: int
    final_year: int

    @property
    def complete(self) -> bool:
        return self.runs_done >= self.runs_total


@dataclass(frozen=True)
class Sensitivity:
    method: str  # "sobol" or "morris"
    table: pd.DataFrame  # one row per outcome and parameter, most important first; empty if not computed
    notes: list[str]  # sentences: why the indices, or an outcome's indices, are missing


@dataclass(frozen=True)
class Report:
    header: Header
    targets: list[Target]
    probabilities: pd.DataFrame  # scenario x target: runs, met, probability, Wilson interval
    fan: pd.DataFrame  # scenario x year: quantiles of annual output
    effects: pd.DataFrame | None  # scenario x target against the reference; None without a reference
    budget: pd.DataFrame  # scenario: mean annual gross cost, revenue, net cost; extra net cost
    value_for_money: pd.DataFrame | None  # measure x scenario: gain per 亿元 of extra net cost, ranked
    by_base_output: pd.DataFrame | None  # scenario x 2024-base bin x target; None if the base is not sampled
    sensitivity: Sensitivity | None  # None unless the design is saltelli or morris
    discovery: Discovery  # on the final target
    beliefs: list[Belief] = field(default_factory=list)  # what would flip each headline probability
