"""Scenario discovery: which combinations of parameters and levers lead to meeting a target.

A shallow classification tree (CART) is fitted to the runs' inputs and their 0/1 outcome;
each leaf that predicts "met" is a box of conditions on the inputs, a readable rule of the
kind "if the 2024 base is above v and the interest subsidy above w, the target is met".
A box is judged by its density (share of its runs that met the target: how reliable the
rule is) and coverage (share of all runs that met the target that fall in it: how much of
the success it explains), as in Bryant and Lempert (2010).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.tree import DecisionTreeClassifier

MAX_DEPTH = 3  # at most three conditions per box: a rule a planner can read
MIN_LEAF_SHARE = 0.05  # no box smaller than 5% of the runs: no rules fitted to a handful of runs
RANDOM_STATE = 0


@dataclass(frozen=True)
class Condition:
    feature: str
    op: str  # "<=" or ">"
    value: float

    def __str__(self) -> str:
        return f"{self.feature} {self.op} {self.value:.4g}"


@dataclass(frozen=True)
class Box:
    conditions: list[Condition]
    runs: int
    met: int
    density: float
    coverage: float


@dataclass(frozen=True)
class Discovery:
    runs: int
    met: int
    features: list[str]
    boxes: list[Box]  # densest first
    accuracy: float  # in-sample share of runs the tree classifies right (nan when not fitted)
    note: str | None  # why there is no tree, when there is none


def _merge(conditions: list[Condition]) -> list[Condition]:
    """The tightest bound per input and side; inputs in the order first split on, lower bound first."""
    tightest: dict[tuple[str, str], Condition] = {}
    for condition in conditions:
        key = (condition.feature, condition.op)
        kept = tightest.get(key)
        if kept is None or (condition.op == "<=") == (condition.value < kept.value):
            tightest[key] = condition
    features = list(dict.fromkeys(condition.feature for condition in conditions))
    return [tightest[(f, op)] for f in features for op in (">", "<=") if (f, op) in tightest]


def _leaf_conditions(tree: DecisionTreeClassifier, features: list[str]) -> dict[int, list[Condition]]:
    """The path of conditions from the root to every leaf."""
    structure = tree.tree_
    paths: dict[int, list[Condition]] = {}
    stack: list[tuple[int, list[Condition]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # a leaf
            paths[node] = _merge(path)
            continue
        feature, threshold = features[structure.feature[node]], float(structure.threshold[node])
        stack.append((left, [*path, Condition(feature, "<=", threshold)]))
        stack.append((right, [*path, Condition(feature, ">", threshold)]))
    return paths


def discover(features: pd.DataFrame, met: ArrayLike) -> Discovery:
    """Fit the tree on one row per run and report its "met" leaves as boxes."""
    met = np.asarray(met, dtype=bool)
    runs, successes = len(met), int(met.sum())
    names = list(features.columns)
    if successes in (0, runs):
        outcome = "No run met the target" if successes == 0 else "Every run met the target"
        return Discovery(runs, successes, names, [], math.nan, f"{outcome}: there is nothing to tell apart.")
    if not names:
        return Discovery(runs, successes, names, [], math.nan, "No parameter or lever varies between runs.")
    x = features.to_numpy(dtype=float)
    tree = DecisionTreeClassifier(
        max_depth=MAX_DEPTH,
        min_samples_leaf=max(1, math.ceil(MIN_LEAF_SHARE * runs)),
        random_state=RANDOM_STATE,
    ).fit(x, met)
    leaves = tree.apply(x)
    boxes = []
    for leaf, conditions in _leaf_conditions(tree, names).items():
        inside = leaves == leaf
        in_box, met_in_box = int(inside.sum()), int(met[inside].sum())
        if met_in_box * 2 > in_box:  # the leaf predicts "met"
            boxes.append(Box(conditions, in_box, met_in_box, met_in_box / in_box, met_in_box / successes))
    boxes.sort(key=lambda box: (-box.density, -box.coverage))
    return Discovery(runs, successes, names, boxes, float(tree.score(x, met)), None)
