"""Values a chart says on hover: an SVG `<title>` on the drawn element, which every browser
shows as a tooltip, with no script and nothing fetched.

A plotting function names what an artist shows (`tip`: one text for a line, a band, a bar)
or what each point of a scatter shows (`tip_each`); `with_tips` puts the texts into the
figure's SVG. Matplotlib writes an artist with a gid as `<g id=gid>`, a scatter's points as
its elements in order, so the texts find their elements by the gid alone.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from weakref import WeakKeyDictionary

from matplotlib.artist import Artist
from matplotlib.figure import Figure

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

_TIPS: WeakKeyDictionary[Figure, dict[str, tuple[str, ...]]] = WeakKeyDictionary()
_NUMBERS = itertools.count()
DRAWN = {f"{{{SVG}}}{name}" for name in ("path", "use", "rect", "circle", "polygon")}


def _register(artist: Artist, texts: tuple[str, ...]) -> None:
    figure = artist.get_figure(root=True)
    if not isinstance(figure, Figure):
        raise ValueError("an artist says its value only once it is on a figure")
    gid = f"tip-{next(_NUMBERS)}"
    artist.set_gid(gid)
    _TIPS.setdefault(figure, {})[gid] = texts


def tip(artist: Artist, text: str) -> None:
    """Hovering anywhere on the artist (a line, a band, a bar) shows `text`."""
    _register(artist, (text,))


def tip_each(artist: Artist, texts: Sequence[str]) -> None:
    """Hovering on each point of a scatter shows its own text, in the order of the points."""
    _register(artist, tuple(texts))


def _drawn_elements(group: ET.Element) -> Iterator[ET.Element]:
    """The group's drawn elements in order, not the marker shapes it defines (`<defs>`)."""
    for child in group:
        if child.tag == f"{{{SVG}}}defs":
            continue
        if child.tag in DRAWN:
            yield child
        yield from _drawn_elements(child)


def with_tips(figure: Figure, svg: str) -> str:
    """The figure's SVG with each named artist's texts as `<title>`s of its elements."""
    tips = _TIPS.get(figure)
    if not tips:
        return svg
    root = ET.fromstring(svg)
    for group in root.iter(f"{{{SVG}}}g"):
        texts = tips.get(group.get("id", ""))
        if texts is None:
            continue
        targets = [group] if len(texts) == 1 else list(_drawn_elements(group))
        for target, text in zip(targets, texts, strict=False):
            title = ET.Element(f"{{{SVG}}}title")
            title.text = text
            target.insert(0, title)
    return ET.tostring(root, encoding="unicode")


def forget_tip(artist: Artist) -> None:
    """Drop an artist's texts, once it is taken off its figure (a kept figure draws its data anew)."""
    figure = artist.get_figure(root=True)
    gid = artist.get_gid()
    if isinstance(figure, Figure) and gid is not None:
        _TIPS.get(figure, {}).pop(gid, None)
