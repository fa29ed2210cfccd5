"""The two languages of what users read: Chinese (the default: most users read it first) and English."""

from __future__ import annotations

from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


def pick(words: tuple[str, str], lang: Language) -> str:
    """The (中文, English) pair's word in the language."""
    return words[0] if lang == "zh" else words[1]
