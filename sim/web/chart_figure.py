"""The page's chart figures: text measured once per server, not again at every SVG drawing.

To place a text (a tick label, a title, a legend entry) matplotlib measures it with the
renderer it draws with, and caches the size for that renderer only; an SVG drawing makes a
new renderer, so each step's drawing measured all its texts again (about 170 per step,
some 14% of the drawing's time). An SVG renderer measures text with the font alone
(`matplotlib.textpath.TextToPath`, at a fixed scale), the same for every drawing, so a
`ChartFigure` gives the SVG renderers it draws with one measure shared by the server.
The SVG drawn is the same, byte for byte.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path


@lru_cache(maxsize=8192)  # bounded: texts with the run's numbers in them vary
def _measured(text: str, font: FontProperties, ismath: bool | Literal["TeX"]) -> tuple[float, float, float]:
    return text_to_path.get_text_width_height_descent(text, font, ismath)


def _measure(text: str, font: FontProperties, ismath: bool | Literal["TeX"]) -> tuple[float, float, float]:
    """What `RendererSVG.get_text_width_height_descent` returns, from the shared measure.

    The font properties are copied for the key, as matplotlib's own cache does: they are
    mutable, and their hash follows what they hold.
    """
    return _measured(text, font.copy(), ismath)


class ChartFigure(Figure):
    """A figure whose SVG drawings measure text through the server's shared measure."""

    def draw(self, renderer: RendererBase) -> None:
        drawing = getattr(renderer, "_renderer", renderer)  # savefig's mixed-mode renderer wraps it
        if type(drawing) is RendererSVG:
            drawing.get_text_width_height_descent = _measure  # type: ignore[method-assign]
        super().draw(renderer)
