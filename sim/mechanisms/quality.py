"""Phase 4e: quality and brand spending builds a quality index that wins market share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model import IndustryModel


def build_quality(model: IndustryModel) -> None:
    """The index decays toward 1 and grows with (subsidy-boosted) quality spending."""
    settings = model.params.quality
    firms = model.firms
    alive = firms.producing  # only firms with sales spend on quality
    effective_spend = settings.spend_share / (1 - settings.subsidy_rate)
    firms.quality[alive] = (
        1
        + (firms.quality[alive] - 1) * (1 - settings.depreciation)
        + settings.effectiveness * effective_spend
    )
