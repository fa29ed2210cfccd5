"""The page's settings in its address, so a reload (or a link sent to a colleague) keeps them.

The address holds the language, the seed, the scenario file the settings start from and
every lever that differs from that file: `?lang=zh&seed=1&scenario=baseline&levers.land.reclaim_rate=0.2`.
Settings uploaded from a file keep only their levers (on top of the baseline) this way;
the file itself stays on the user's disk. Anything in an address that is not a known
scenario, lever or value in range is ignored, never run.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sim.reference.lever_docs import lever_rows
from sim.web.i18n import LANGUAGES, Language
from sim.web.state import BASELINE, Settings, lever_value, load_named, scenario_names, with_lever


@dataclass(frozen=True)
class Address:
    lang: Language
    seed: int
    settings: Settings


def to_query(address: Address) -> str:
    """The query string of an address (without '?')."""
    settings = address.settings
    start = settings.name if settings.name in scenario_names() else BASELINE
    origin = load_named(start)
    pairs: list[tuple[str, str]] = [("lang", address.lang), ("seed", str(address.seed)), ("scenario", start)]
    for row in lever_rows():
        value = lever_value(settings, row["lever"], row["default"])
        if value != lever_value(origin, row["lever"], row["default"]):
            pairs.append((row["lever"], f"{value:g}"))
    return urlencode(pairs)


def from_query(query: str | None, default: Address) -> Address:
    """The address a query string names; anything unknown or out of range keeps the default's."""
    pairs = dict(parse_qsl(query or ""))
    lang = pairs["lang"] if pairs.get("lang") in LANGUAGES else default.lang
    try:
        seed = int(pairs.get("seed", default.seed))
    except ValueError:
        seed = default.seed
    name = pairs.get("scenario")
    settings = load_named(name) if name in scenario_names() else default.settings
    for row in lever_rows():
        text = pairs.get(row["lever"])
        if text is None:
            continue
        try:
            value = int(text) if row["integer"] else float(text)
        except ValueError:
            continue
        if row["low"] <= value <= row["high"]:
            settings = with_lever(settings, row["lever"], value)
    return Address(lang, seed, settings)  # type: ignore[arg-type]
