"""The shipped font draws every character the page and the reports can put in a chart."""

from __future__ import annotations

import io
import warnings

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from sim.analysis.chart_font import FAMILY, FONT_FILE, undrawable, use_chart_font
from sim.inputs.base_year import load_base_year
from sim.paths import DATA_DIR
from sim.reference.lever_docs import lever_rows
from sim.web import i18n
from sim.web.state import scenario_names


def draw(text: str) -> None:
    figure = Figure()
    figure.subplots().set_title(text)
    figure.savefig(io.BytesIO(), format="png")


def test_charts_use_the_shipped_font_and_no_other():
    use_chart_font()
    import matplotlib

    assert matplotlib.rcParams["font.family"] == [FAMILY]
    assert font_manager.findfont(FAMILY, fallback_to_default=False) == str(FONT_FILE)


def test_a_missing_glyph_fails():
    """The check the chart tests rely on: a character outside the font is a warning made an error."""
    use_chart_font()
    assert undrawable("大足𠀀") == "𠀀"
    with warnings.catch_warnings(), pytest.raises(UserWarning, match="missing from font"):
        warnings.filterwarnings("error", message=".*missing from font")
        draw("𠀀")


def every_word_the_page_draws() -> list[str]:
    words = [word for pair in i18n.LABELS.values() for word in pair]
    words += list(i18n.FISCAL_ZH.values()) + list(i18n.UNITS_ZH.values()) + list(i18n.LEVERS_EN.values())
    words += [word for pair in i18n.LEVERS_ZH.values() for word in pair]
    for row in lever_rows():
        words += [row["plan_title_zh"], row["plan_title_en"], row["description"], row["unit"]]
    for path in DATA_DIR.glob("base_year_*.toml"):
        words += [name for c in load_base_year(path).clusters for name in (c.name_zh, c.name_en)]
    words += [i18n.scenario_title(name, lang) for name in scenario_names() for lang in i18n.LANGUAGES]
    return words + ["0123456789 ,.%+-–−×≥≤亿元 万元/亩 ★ ● ▲"]


def test_the_font_covers_every_word_of_the_page():
    missing = {word: undrawable(word) for word in every_word_the_page_draws() if undrawable(word)}
    assert not missing


def test_the_font_is_the_licensed_subset():
    text = (FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text and "Noto Sans CJK" in text
