"""The built base-year world reproduces the totals of the file it was given; bad figures are refused."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
import tomli_w
from pydantic import AfterValidator

from sim.inputs.base_year import DEFAULT_BASE_YEAR_FILE, BaseYearData, Figure, ListFigure, load_base_year
from sim.inputs.errors import InputError, validate
from sim.inputs.scenario import ScenarioData, default_scenario
from sim.model.model import IndustryModel
from sim.model.parcels import ParcelStatus
from tests.conftest import ROOT, run_cli

DATA = load_base_year()


@pytest.fixture(scope="module", params=[1, 2, 3])
def world_model(request) -> IndustryModel:
    return IndustryModel(rng=request.param)


def close(actual: float, expected: float, tolerance: float = 0.01) -> bool:
    return abs(actual - expected) <= tolerance * abs(expected)


def test_output_totals_match_the_file(world_model):
    firms = world_model.firms
    gross = DATA.output.gross_output_yi.value
    assert close(firms.annual_revenue.sum(), gross)
    above = firms.annual_revenue[firms.above_scale].sum()
    assert close(above, gross * DATA.output.above_scale_share.value)
    by_cluster = np.bincount(firms.cluster, weights=firms.annual_revenue)
    for c, cluster in enumerate(DATA.clusters):
        assert close(by_cluster[c], gross * cluster.output_share), cluster.key


def test_firm_counts_and_concentration(world_model):
    firms = world_model.firms
    assert firms.above_scale.sum() == DATA.firms.above_scale.value
    assert (~firms.above_scale).sum() == DATA.firms.small.value
    above = np.sort(firms.annual_revenue[firms.above_scale])[::-1]
    assert (above >= DATA.firms.above_scale_threshold_yi.value - 1e-9).all()
    assert (firms.annual_revenue[~firms.above_scale] < DATA.firms.above_scale_threshold_yi.value).all()
    top50 = above[:50].sum() / above.sum()
    assert abs(top50 - DATA.output.top50_share_of_above_scale.value) < 0.02
    hardware = world_model.clusters.keys.index("hardware")
    assert firms.annual_revenue[firms.cluster == hardware].max() <= 5.0 + 1e-9  # none above 0.5 bn


def test_employment_credit_land_and_tech(world_model):
    firms, parcels = world_model.firms, world_model.parcels
    assert close(firms.workers.sum(), DATA.employment.workers.value)
    assert close(firms.skilled.sum() / firms.workers.sum(), DATA.employment.skilled_share.value, 0.02)
    assert close(firms.debt.sum(), DATA.credit.industrial_loans_yi.value)
    assert close(parcels.area_by_status(ParcelStatus.OCCUPIED), DATA.land.occupied_mu.value)
    assert close(parcels.area_by_status(ParcelStatus.VACANT), DATA.land.vacant_mu.value)
    assert close(parcels.area_by_status(ParcelStatus.IDLE), DATA.land.idle_mu.value)
    assert firms.tech.sum() == DATA.firms.tech_enterprises.value
    assert len(world_model.task_forces) == 24
    capacity = sum(bank.capacity_yi for bank in world_model.banks)
    assert close(capacity, DATA.credit.industrial_loans_yi.value * (1 + DATA.credit.lending_headroom.value))


def test_value_added_matches_cluster_ratios(world_model):
    firms = world_model.firms
    va = np.bincount(firms.cluster, weights=firms.value_added) * 4
    out = np.bincount(firms.cluster, weights=firms.annual_revenue)
    for c, cluster in enumerate(DATA.clusters):
        assert close(va[c] / out[c], cluster.value_added_ratio), cluster.key


def test_base_output_override_rescales_the_world():
    data = default_scenario().data.model_dump()
    data["world"] = {"gross_output_yi": 520.0}
    from sim.inputs.scenario import Scenario

    model = IndustryModel(Scenario(data=ScenarioData(**data), source="test"), rng=1)
    assert close(model.firms.annual_revenue.sum(), 520.0)


def test_every_figure_has_a_source():
    raw = tomllib.loads(DEFAULT_BASE_YEAR_FILE.read_text())
    for section, block in raw.items():
        if section in {"year", "clusters", "banks", "cluster_columns", "bank_columns"}:
            continue
        for name, figure in block.items():
            assert isinstance(figure, dict) and len(figure["source"]) > 10, f"{section}.{name}"


def _broken(mutate) -> dict:
    raw = tomllib.loads(DEFAULT_BASE_YEAR_FILE.read_text())
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r["clusters"][0].update(output_share=0.5), "output_share must sum to 1"),
        (lambda r: r["output"]["gross_output_yi"].update(value=900.0), "must lie within [low, high]"),
        (lambda r: r["output"]["above_scale_share"].pop("source"), "output.above_scale_share.source"),
        (lambda r: r["cluster_columns"].pop("demand_growth"), "lacks a source for ['demand_growth']"),
        (lambda r: r["clusters"][2].update(task_forces=9), "24 task forces"),
        (lambda r: r["firms"].update(extra={"value": 1, "source": "x"}), "unknown field 'firms.extra'"),
        (lambda r: r["land"]["vacant_mu"].update(value=-1500.0), "value -1500.0 must be >= 0"),
        (lambda r: r["land"]["vacant_parcel_mu"].update(value=0), "value 0.0 must be > 0"),
        (
            lambda r: r["digital"]["tier_shares"].update(value=[1.5, -0.33, -0.07, -0.1]),
            "value[0] 1.5 must be a share in [0, 1]",
        ),
        (lambda r: r["firms"]["above_scale_threshold_yi"].update(value=float("nan")), "finite number"),
        (lambda r: r["output"]["gross_output_yi"].update(high=float("inf")), "finite number"),
        (lambda r: r["employment"]["workers"].update(low=-5.0), "low -5.0 must be > 0"),
        (lambda r: r["land"]["idle_mu"].update(value="900"), "must be a number, not a string"),
        (lambda r: r["firms"]["above_scale"].update(value=True), "must be a number, not true or false"),
    ],
)
def test_bad_base_year_file_is_rejected(mutate, expected):
    with pytest.raises(InputError) as error:
        validate(BaseYearData, _broken(mutate), "my_base.toml")
    assert "my_base.toml" in str(error.value)
    assert expected in str(error.value)


def test_every_figure_has_a_domain():
    """A new figure without a domain could run with a negative area or a share above 1."""
    for section_name, section in BaseYearData.model_fields.items():
        block = section.annotation
        if not (isinstance(block, type) and hasattr(block, "model_fields")):
            continue
        for name, field in block.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, Figure | ListFigure):
                domains = [m for m in field.metadata if isinstance(m, AfterValidator)]
                assert domains, f"{section_name}.{name} has no domain (POSITIVE, SHARE, ... in base_year.py)"


def test_zero_parcel_size_is_refused_before_the_world_is_built(tmp_path):
    """It used to hang the world build: parcels of size 0 never fill the vacant land."""
    raw = _broken(lambda r: r["land"]["vacant_parcel_mu"].update(value=0.0))
    (tmp_path / "zero.toml").write_text(tomli_w.dumps(raw), encoding="utf-8")
    (tmp_path / "s.toml").write_text('name = "s"\n[world]\nbase_year_file = "zero.toml"\n', encoding="utf-8")
    result = run_cli("run", str(tmp_path / "s.toml"), "--out", str(tmp_path / "out"))
    assert result.code == 2 and result.err.count("\n") == 1
    assert "land.vacant_parcel_mu" in result.err and not (tmp_path / "out").exists()


def test_a_base_year_file_in_the_working_folder_does_not_replace_the_shipped_one(tmp_path):
    raw = _broken(lambda r: r["output"]["gross_output_yi"].update(value=520.0))
    (tmp_path / "base_year_2024.toml").write_text(tomli_w.dumps(raw), encoding="utf-8")
    result = run_cli("run", "baseline", cwd=tmp_path)
    assert result.code == 0, result.err
    shipped = ROOT / "sim" / "data" / "base_year_2024.toml"
    assert f"base-year data: {shipped}" in result.out
    assert "2024        575.0" in result.out


def test_a_base_year_file_next_to_the_scenario_is_used_and_named(tmp_path):
    raw = _broken(lambda r: r["output"]["gross_output_yi"].update(value=520.0))
    (tmp_path / "mine.toml").write_text(tomli_w.dumps(raw), encoding="utf-8")
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "s"\n[world]\nbase_year_file = "mine.toml"\n', encoding="utf-8")
    result = run_cli("run", str(scenario), cwd=ROOT)
    assert result.code == 0, result.err
    assert f"base-year data: {tmp_path / 'mine.toml'}" in result.out
    assert "2024        520.0" in result.out
