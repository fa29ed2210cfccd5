"""The charts' font, shipped with the package, so Chinese labels draw on any machine.

Matplotlib draws only with Dazu Sans SC (fonts/DazuSansSC-Regular.otf, a subset of Noto
Sans CJK SC under the SIL Open Font License; fonts/OFL.txt, tools/subset_cjk_font.py),
never with a font the machine happens to have: a fresh machine without a CJK font draws
the same charts as one with. The subset holds GB 2312 and the Latin, punctuation and
symbol blocks; `undrawable` names any other character, so text from a user (a scenario's
name) is refused with a message instead of drawn as empty boxes. The web page serves the
same file to the browser.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont
from matplotlib import font_manager

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "DazuSansSC-Regular.otf"
FAMILY = "Dazu Sans SC"


@cache
def use_chart_font() -> None:
    """Register the shipped font with matplotlib and make it the only family charts use."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    matplotlib.rcParams["font.family"] = [FAMILY]
    matplotlib.rcParams["svg.fonttype"] = "path"  # SVG text as outlines: the browser needs no font


@cache
def drawable_characters() -> frozenset[str]:
    """Every character the shipped font has a glyph for."""
    font = TTFont(FONT_FILE, lazy=True)
    try:
        return frozenset(chr(point) for point in font.getBestCmap())
    finally:
        font.close()


def undrawable(text: str) -> str:
    """The characters of `text` the shipped font cannot draw (line breaks and tabs aside), in order."""
    drawable = drawable_characters()
    missing = [c for c in text if c not in drawable and c not in "\n\r\t"]
    return "".join(dict.fromkeys(missing))
