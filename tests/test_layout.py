"""The house as the README's Layout draws it: folders by concern, data flowing downhill."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.experiments.run_into_folder import MODEL_PARTS
from sim.paths import PACKAGE_DIR

# Each part of sim/ and how far down the flow it sits: a module may import from its own
# part and from parts of a lower rank only (inputs -> model -> run -> experiments /
# credibility -> search -> analysis -> web -> cli). reference/ derives tables from the inputs alone.
RANK = {
    "paths": 0,
    "inputs": 1,
    "reference": 2,
    "model": 2,
    "run": 3,
    "experiments": 4,
    "credibility": 4,
    "search": 5,
    "analysis": 6,
    "web": 7,
    "cli": 8,
    "__main__": 9,
}
ONLY_FROM = {"reference": {"paths", "inputs", "reference"}}
MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if p.relative_to(PACKAGE_DIR).parts[0] != "__init__.py")


def part(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    """The parts of sim/ a module imports, at the top or inside functions (not for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # drop `if TYPE_CHECKING:` blocks: annotations only
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("sim.")}


def test_sim_has_few_top_level_modules_and_every_folder_says_what_it_is_for():
    assert len(list(PACKAGE_DIR.glob("*.py"))) <= 8
    for folder in (p for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()):
        docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert docstring, f"{folder.name}/__init__.py has no docstring"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE_DIR)) for p in MODULES])
def test_no_module_imports_from_a_part_further_down_the_flow(path):
    own = part(path)
    assert own in RANK, f"{own} is not a part of the layout: add it to RANK (and the README's Layout)"
    for other in imported_parts(path) - {own}:
        assert RANK[other] < RANK[own], (
            f"{path.relative_to(PACKAGE_DIR)} imports sim.{other}, which comes later in the flow"
        )
        assert other in ONLY_FROM.get(own, {other}), f"{own}/ may import only {sorted(ONLY_FROM[own])}"


# The parts of sim/ that only read or show results, outside the model hash.
SHOWS_RESULTS = {"analysis", "credibility", "reference", "web", "cli.py", "__main__.py", "__init__.py"}
# The parts that choose which runs to make, in the process that drives them (never in a
# worker): outside the model hash, so changing them leaves experiments resumable; a
# search's manifest hashes its own code beside the model's.
CHOOSES_RUNS = {"search"}


def module_file(name: str) -> Path | None:
    """The file of module `sim.a.b` (a package's __init__.py), or None if it is not one."""
    path = PACKAGE_DIR.joinpath(*name.split(".")[1:])
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(path: Path) -> set[str]:
    """The sim modules a module imports (names imported from a package count as modules too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("sim"))
    return {name for name in names if module_file(name) is not None}


def test_every_part_of_sim_is_either_hashed_as_the_model_or_shows_results():
    parts = {p.name for p in PACKAGE_DIR.iterdir() if p.name != "__pycache__"}
    assert set(MODEL_PARTS) <= parts, "a part of the model hash does not exist"
    assert parts == set(MODEL_PARTS) | SHOWS_RESULTS | CHOOSES_RUNS, (
        "classify the new part: model hash or not"
    )


def test_a_worker_imports_only_code_the_model_hash_covers():
    seen, todo = set(), ["sim.experiments.worker"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = module_file(name)
        assert file is not None
        todo.extend(imported_modules(file))
    outside = {
        name for name in seen if part(module_file(name)) not in {p.removesuffix(".py") for p in MODEL_PARTS}
    }
    assert not outside, f"a worker imports {sorted(outside)}, which the model hash does not cover"
