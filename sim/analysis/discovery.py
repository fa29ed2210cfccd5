"""Scenario discovery: which combinations of parameters and levers lead to meeting a target.

A shallow classification tree (CART) is fitted to the runs' inputs and their 0/1 outcome,
with the two outcomes weighted equally, so a rare success still shapes the tree; each leaf
where the target is met more often than over all runs is a box of conditions on the
inputs, a readable rule of the kind "if the 2024 base is above v and the interest subsidy
above w, the target is met more often".
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
from sklearn.metrics import balanced_accuracy_score
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
    accuracy: float  # in-sample balanced accuracy: mean of the shares of met and unmet runs classified right
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


def _regions(tree: DecisionTreeClassifier, features: list[str]) -> dict[int, list[Condition]]:
    """The conditions leading to every region: a leaf, or a node whose leaves all predict the
    same outcome (one box, not several siblings saying the same thing)."""
    structure = tree.tree_
    predicts_met = structure.value[:, 0, 1] > structure.value[:, 0, 0]

    def leaf_outcomes(node: int) -> set[bool]:
        left, right = structure.children_left[node], structure.children_right[node]
        return {bool(predicts_met[node])} if left == right else leaf_outcomes(left) | leaf_outcomes(right)

    regions: dict[int, list[Condition]] = {}
    stack: list[tuple[int, list[Condition]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right or len(leaf_outcomes(node)) == 1:
            regions[node] = _merge(path)
            continue
        feature, threshold = features[structure.feature[node]], float(structure.threshold[node])
        stack.append((left, [*path, Condition(feature, "<=", threshold)]))
        stack.append((right, [*path, Condition(feature, ">", threshold)]))
    return regions


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
        class_weight="balanced",
        random_state=RANDOM_STATE,
    ).fit(x, met)
    paths = tree.decision_path(x).tocsc()
    boxes = []
    for node, conditions in _regions(tree, names).items():
        inside = paths[:, node].toarray().ravel().astype(bool)
        in_box, met_in_box = int(inside.sum()), int(met[inside].sum())
        if met_in_box * runs > successes * in_box:  # denser than the runs overall: predicts "met"
            boxes.append(Box(conditions, in_box, met_in_box, met_in_box / in_box, met_in_box / successes))
    boxes.sort(key=lambda box: (-box.density, -box.coverage))
    accuracy = balanced_accuracy_score(met, tree.predict(x))
    return Discovery(runs, successes, names, boxes, float(accuracy), None)
