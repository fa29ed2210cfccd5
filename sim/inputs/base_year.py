"""The base-year data file: Dazu's industry at the end of the base year, every figure sourced.

A planner with official statistics replaces the file (or points a scenario at another one);
the schema makes sure each figure carries a source and sits in its documented range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field, create_model, model_validator

from sim.inputs.errors import InputError, read_toml, validate
from sim.inputs.sections import Section
from sim.paths import DATA_DIR

if TYPE_CHECKING:
    from sim.inputs.scenario import Scenario

DEFAULT_BASE_YEAR_FILE = DATA_DIR / "base_year_2024.toml"


class Figure(Section):
    """A number with where it comes from ("assumption: ..." when nothing is published)."""

    value: float
    source: str = Field(min_length=3)


class RangedFigure(Figure):
    """An uncertain number: default value plus the range the uncertainty analysis samples."""

    low: float
    high: float

    @model_validator(mode="after")
    def _value_in_range(self) -> RangedFigure:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"value {self.value} must lie within [low, high] = [{self.low}, {self.high}]")
        return self


class ListFigure(Section):
    value: list[float]
    source: str = Field(min_length=3)


@dataclass(frozen=True)
class Domain:
    """A figure's domain: its value (and the ends of its range, which are sampled) must satisfy it.

    Outside it the world is meaningless (a negative land area, a share above 1) or cannot
    be built (parcels of size 0 never fill an area), so the file is refused at load.
    """

    rule: str
    holds: Callable[[float], bool]

    def __call__(self, figure: Section) -> Section:
        for name, number in figure.model_dump(exclude={"source"}).items():
            items = enumerate(number) if isinstance(number, list) else [(None, number)]
            for index, item in items:
                if not self.holds(item):
                    where = name if index is None else f"{name}[{index}]"
                    raise ValueError(f"{where} {item} must be {self.rule}")
        return figure


def _domain(rule: str, holds: Callable[[float], bool]) -> AfterValidator:
    return AfterValidator(Domain(rule, holds))


POSITIVE = _domain("> 0", lambda x: x > 0)
NON_NEGATIVE = _domain(">= 0", lambda x: x >= 0)
SHARE = _domain("a share in [0, 1]", lambda x: 0 <= x <= 1)
GROWTH = _domain("a growth rate above -1 (-100%)", lambda x: x > -1)
AT_LEAST_ONE = _domain(">= 1", lambda x: x >= 1)
POSITIVE_SHARE = _domain("a share in (0, 1]", lambda x: 0 < x <= 1)
RATE = _domain("a rate in [0, 1]", lambda x: 0 <= x <= 1)


class OutputData(Section):
    gross_output_yi: Annotated[RangedFigure, POSITIVE]
    above_scale_share: Annotated[RangedFigure, SHARE]
    top50_share_of_above_scale: Annotated[Figure, POSITIVE_SHARE]
    reported_above_scale_growth_2024: Annotated[Figure, GROWTH]


class FirmData(Section):
    above_scale: Annotated[RangedFigure, AT_LEAST_ONE]
    small: Annotated[RangedFigure, AT_LEAST_ONE]
    above_scale_threshold_yi: Annotated[Figure, POSITIVE]
    largest_firm_yi: Annotated[Figure, POSITIVE]
    tech_enterprise_share_above_scale: Annotated[Figure, SHARE]
    tech_enterprises: Annotated[RangedFigure, NON_NEGATIVE]


class EmploymentData(Section):
    workers: Annotated[RangedFigure, POSITIVE]
    skilled_share: Annotated[RangedFigure, SHARE]
    annual_wage_yi: Annotated[RangedFigure, POSITIVE]
    skilled_wage_premium: Annotated[Figure, NON_NEGATIVE]


class CreditData(Section):
    industrial_loans_yi: Annotated[RangedFigure, POSITIVE]
    lending_headroom: Annotated[Figure, NON_NEGATIVE]
    loan_rate: Annotated[Figure, RATE]


class LandData(Section):
    occupied_mu: Annotated[RangedFigure, POSITIVE]
    vacant_mu: Annotated[Figure, NON_NEGATIVE]
    idle_mu: Annotated[Figure, NON_NEGATIVE]
    vacant_parcel_mu: Annotated[Figure, POSITIVE]


class EnergyData(Section):
    price_yuan_per_tce: Annotated[RangedFigure, POSITIVE]


class HeterogeneityData(Section):
    """How firms differ within the base year: dispersions and starting conditions."""

    smallest_firm_yi: Annotated[RangedFigure, POSITIVE]
    small_firm_dispersion: Annotated[RangedFigure, NON_NEGATIVE]
    productivity_dispersion: Annotated[RangedFigure, NON_NEGATIVE]
    energy_dispersion: Annotated[RangedFigure, NON_NEGATIVE]
    quality_dispersion: Annotated[RangedFigure, NON_NEGATIVE]
    utilisation_low: Annotated[RangedFigure, POSITIVE_SHARE]
    utilisation_high: Annotated[RangedFigure, POSITIVE_SHARE]
    skilled_pool_share: Annotated[RangedFigure, SHARE]
    small_firm_credit_access: Annotated[RangedFigure, SHARE]


class DigitalData(Section):
    tier_shares: Annotated[ListFigure, SHARE]


class Cluster(Section):
    """One cluster of the "246" system (or "other"), with its base-year structure."""

    key: str = Field(pattern=r"^[a-z_]+$")
    name_zh: str
    name_en: str
    tier: Literal["leading", "featured", "niche", "other"]
    output_share: float = Field(gt=0, lt=1)
    small_firm_share: float = Field(ge=0, lt=1)
    demand_growth: float = Field(ge=-0.2, le=0.5, description="nominal annual market growth")
    value_added_ratio: float = Field(gt=0.05, lt=0.6)
    energy_intensity: float = Field(gt=0, le=2, description="tce per 万元 of output")
    capital_output_ratio: float = Field(gt=0.1, le=5)
    output_per_worker_yi: float = Field(gt=0.001, le=0.2)
    largest_firm_yi: float = Field(gt=0.2)
    task_forces: int = Field(ge=0, le=24)
    channel_share: float = Field(
        0.0, ge=0, le=1, description="share of sales through consumer and trade channels (e-commerce, export)"
    )
    input_supply_share: float = Field(
        0.0, ge=0, le=1, description="share of output that is inputs other district industries could buy"
    )
    energy_intensive: bool = Field(
        False, description="an energy-intensive sector, whose energy quota is a multiple of the general one"
    )


class BankRow(Section):
    """One bank (or group of banks) lending to the district's industry."""

    name: str
    credit_share: float = Field(gt=0, le=1)
    score_threshold: float = Field(ge=0, le=1)
    spread: float = Field(ge=0, le=0.1)


class BaseYearData(Section):
    """The whole base-year file."""

    year: int = Field(ge=2000, le=2030)
    output: OutputData
    firms: FirmData
    employment: EmploymentData
    credit: CreditData
    land: LandData
    energy: EnergyData
    heterogeneity: HeterogeneityData
    digital: DigitalData
    cluster_columns: dict[str, str]
    clusters: list[Cluster] = Field(min_length=1)
    bank_columns: dict[str, str]
    banks: list[BankRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> BaseYearData:
        shares = sum(c.output_share for c in self.clusters)
        if abs(shares - 1.0) > 1e-3:
            raise ValueError(f"clusters' output_share must sum to 1, got {shares:.4f}")
        small = sum(c.small_firm_share for c in self.clusters)
        if abs(small - 1.0) > 1e-3:
            raise ValueError(f"clusters' small_firm_share must sum to 1, got {small:.4f}")
        keys = [c.key for c in self.clusters]
        if len(set(keys)) != len(keys):
            raise ValueError(f"cluster keys must be unique, got {keys}")
        if sum(c.task_forces for c in self.clusters) != 24:
            raise ValueError("clusters' task_forces must add up to the plan's 24 task forces")
        fewest = self.firms.above_scale.low
        if self.output.top50_share_of_above_scale.value <= min(50, fewest) / fewest:
            raise ValueError(
                "output.top50_share_of_above_scale must exceed the share 50 equal firms would have "
                f"among the fewest above-scale firms sampled (50 / {fewest:g})"
            )
        tiers = self.digital.tier_shares.value
        if len(tiers) != 4 or abs(sum(tiers) - 1.0) > 1e-3:
            raise ValueError("digital.tier_shares must be four shares (tiers 0-3) summing to 1")
        columns = set(Cluster.model_fields) - {"key", "name_zh", "name_en", "tier"}
        missing = columns - set(self.cluster_columns)
        if missing:
            raise ValueError(f"cluster_columns lacks a source for {sorted(missing)}")
        credit = sum(b.credit_share for b in self.banks)
        if abs(credit - 1.0) > 1e-3:
            raise ValueError(f"banks' credit_share must sum to 1, got {credit:.4f}")
        missing = set(BankRow.model_fields) - {"name"} - set(self.bank_columns)
        if missing:
            raise ValueError(f"bank_columns lacks a source for {sorted(missing)}")
        return self


# The 2024 output base has its own, older scenario field (`world.gross_output_yi`).
OWN_FIELD_FIGURES = {"output.gross_output_yi": "world.gross_output_yi"}
FIGURES_PATH = "world.figures"  # scenario path of the overrides of ranged base-year figures


def ranged_figures() -> dict[str, str]:
    """'section.figure' of every ranged figure of the base-year schema -> its scenario path.

    Walked from the schema, so a figure that gains a range becomes samplable with no edit.
    """
    paths = {}
    for section_name, section_field in BaseYearData.model_fields.items():
        section = section_field.annotation
        if not (isinstance(section, type) and issubclass(section, Section)):
            continue
        for name, field in section.model_fields.items():
            if field.annotation is RangedFigure:
                figure = f"{section_name}.{name}"
                paths[figure] = OWN_FIELD_FIGURES.get(figure, f"{FIGURES_PATH}.{figure}")
    return paths


def _figure_overrides_schema() -> type[Section]:
    """`[world.figures.<section>]`: a value for any ranged figure, in place of the file's."""
    sections: dict[str, dict[str, Any]] = {}
    for figure, path in ranged_figures().items():
        if path.startswith(FIGURES_PATH + "."):
            section, name = figure.split(".")
            description = f"override of the base-year figure {figure} (must lie in the file's range)"
            sections.setdefault(section, {})[name] = (float | None, Field(None, description=description))
    blocks: dict[str, Any] = {}
    for section, fields in sections.items():
        block = create_model(f"{section.title()}Figures", __base__=Section, __module__=__name__, **fields)
        globals()[block.__name__] = block  # importable by name, so scenarios pickle to worker processes
        blocks[section] = (block, block())
    return create_model("FigureOverrides", __base__=Section, __module__=__name__, **blocks)


if TYPE_CHECKING:
    FigureOverrides = Section
else:
    FigureOverrides = _figure_overrides_schema()


def figure_overrides(overrides: Section) -> dict[str, float]:
    """'section.figure' -> value of every figure a scenario's `[world.figures]` sets."""
    return {
        f"{section}.{name}": value
        for section, values in overrides.model_dump().items()
        for name, value in values.items()
        if value is not None
    }


def with_figures(data: BaseYearData, overrides: Section) -> BaseYearData:
    """The base-year data with a scenario's figure overrides in place of the file's values."""
    for figure, value in figure_overrides(overrides).items():
        section_name, name = figure.split(".")
        section = getattr(data, section_name)
        replaced = getattr(section, name).model_copy(update={"value": value})
        data = data.model_copy(update={section_name: section.model_copy(update={name: replaced})})
    return data


def figure_at(data: BaseYearData, figure: str) -> RangedFigure:
    """The ranged figure 'section.figure' of base-year data."""
    section, name = figure.split(".")
    return getattr(getattr(data, section), name)


def resolve_base_year_path(name: str, relative_to: Path | None) -> Path:
    """Find a base-year file: an absolute path, else next to the scenario naming it, else a shipped one.

    Never in the working folder: a `base_year_2024.toml` that happens to lie there would
    otherwise replace the shipped data without a word.
    """
    path = Path(name)
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [*([relative_to / path] if relative_to is not None else []), DATA_DIR / path]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise InputError(f"base-year file '{name}' not found (looked in: {tried})")


def scenario_base_year_path(scenario: Scenario) -> Path:
    """The base-year file a scenario uses (see resolve_base_year_path)."""
    return resolve_base_year_path(scenario.data.world.base_year_file, scenario.directory)


def load_base_year(path: Path = DEFAULT_BASE_YEAR_FILE) -> BaseYearData:
    """Load and validate a base-year file."""
    return validate(BaseYearData, read_toml(path), str(path))


def load_scenario_base_year(scenario: Scenario) -> BaseYearData:
    """The base-year data a scenario points at, checked against the scenario."""
    path = scenario_base_year_path(scenario)
    return check_base_year(scenario, load_base_year(path), path)


def check_base_year(scenario: Scenario, data: BaseYearData, path: Path | str) -> BaseYearData:
    """Refuse a scenario whose figure overrides, cluster names or first year don't fit the data."""
    world = scenario.data.world
    overrides = figure_overrides(world.figures)
    if world.gross_output_yi is not None:
        overrides["output.gross_output_yi"] = world.gross_output_yi
    paths = ranged_figures()
    for name, value in overrides.items():
        figure = figure_at(data, name)
        if not figure.low <= value <= figure.high:
            raise InputError(
                f"{scenario.source}: field '{paths[name]}' = {value}: must lie within the "
                f"range [{figure.low}, {figure.high}] documented in {path}"
            )
    unknown = set(scenario.data.environment.cluster_demand_shift) - {c.key for c in data.clusters}
    if unknown:
        raise InputError(
            f"{scenario.source}: field 'environment.cluster_demand_shift' names {sorted(unknown)}: "
            f"not clusters of {path} (allowed: {', '.join(c.key for c in data.clusters)})"
        )
    if data.year != scenario.data.run.first_year - 1:
        raise InputError(
            f"{scenario.source}: field 'run.first_year' = {scenario.data.run.first_year}: must be the "
            f"year after the base year {data.year} of {path}"
        )
    return data
