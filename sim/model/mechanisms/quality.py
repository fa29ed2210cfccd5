"""Phase 4e: quality and brand spending builds a quality index that wins market share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model.model import IndustryModel


def quality_spend_share(model: IndustryModel) -> float:
    """Quality and brand spending over revenue, raised by the subsidy through its net price."""
    settings = model.params.quality
    net_price = 1 - model.params.levers.quality.quality_subsidy_rate
    return settings.spend_share * net_price ** (-settings.subsidy_elasticity)


def build_quality(model: IndustryModel) -> None:
    """The index decays toward 1 and grows with quality spending."""
    settings = model.params.quality
    firms = model.firms
    alive = firms.producing  # only firms with sales spend on quality
    firms.quality[alive] = (
        1
        + (firms.quality[alive] - 1) * (1 - settings.depreciation)
        + settings.effectiveness * quality_spend_share(model)
    )
