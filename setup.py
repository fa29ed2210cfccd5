"""Packaging beyond pyproject.toml: the shipped scenarios and experiment files go inside the package.

In a checkout they sit at the top (`scenarios/`, `experiments/`); an installed wheel carries
them as `sim/scenarios/` and `sim/experiment_files/` (sim/paths.py finds either).
"""

from setuptools import find_namespace_packages, setup

SHIPPED = {"sim.scenarios": "scenarios", "sim.experiment_files": "experiments"}
DATA = {"sim.data": ["*.toml", "*.md"], "sim.web": ["*.vue", "assets/*"], "sim.analysis": ["fonts/*"]}

setup(
    packages=[*find_namespace_packages(include=["sim", "sim.*"], exclude=["*.__pycache__"]), *SHIPPED],
    package_dir=SHIPPED,
    package_data=DATA | {name: ["*.toml"] for name in SHIPPED},
)
