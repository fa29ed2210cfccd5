"""Make sim/analysis/fonts/DazuSansSC-Regular.otf, the charts' and the page's font, from Noto Sans CJK SC.

Run once by a maintainer (not at install or run time), on a machine with Debian's
`fonts-noto-cjk` unpacked or installed:

    python tools/subset_cjk_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The subset keeps every character of GB 2312 (the 6,763 hanzi of the national standard
and its symbols), ASCII and Latin-1, and the punctuation, arrow, mathematical, box,
geometric, dingbat, CJK-punctuation and full-width blocks: the page and the reports draw
their own words from these, and `sim.analysis.chart_font.undrawable` refuses any other
character before it is drawn. Renamed to "Dazu Sans SC", as the SIL Open Font License
asks of a modified version (the original's licence travels with it as OFL.txt).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parents[1] / "sim" / "analysis" / "fonts" / "DazuSansSC-Regular.otf"
SIMPLIFIED_CHINESE = "Noto Sans CJK SC"
FAMILY = "Dazu Sans SC"
BLOCKS = [  # (first, last) code points, inclusive
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 and Latin Extended-A
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x214F),  # letterlike symbols
    (0x2190, 0x22FF),  # arrows, mathematical operators
    (0x2460, 0x27BF),  # enclosed numbers, box drawing, geometric shapes, symbols, dingbats
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # full-width forms
]


def gb2312() -> set[int]:
    """Every character GB 2312 encodes (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    found = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([row, cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection", type=Path, help="NotoSansCJK-Regular.ttc of Debian's fonts-noto-cjk")
    source = parser.parse_args().collection
    font = next(f for f in TTCollection(source).fonts if f["name"].getDebugName(1) == SIMPLIFIED_CHINESE)
    wanted = gb2312() | {point for first, last in BLOCKS for point in range(first, last + 1)}
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted & set(font.getBestCmap()))
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 18, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName(f"{FAMILY} Regular (subset of {SIMPLIFIED_CHINESE})", 3, 3, 1, 0x409)
    names.setName(f"{FAMILY} Regular", 4, 3, 1, 0x409)
    names.setName("DazuSansSC-Regular", 6, 3, 1, 0x409)
    names.setName(
        f"Subset of {SIMPLIFIED_CHINESE} Regular (GB 2312 and Latin) for dazu-sim, renamed as OFL 1.1 asks",
        10,
        3,
        1,
        0x409,
    )
    font["CFF "].cff.fontNames = ["DazuSansSC-Regular"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT}: {len(font.getBestCmap())} characters, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
