#!/usr/bin/python3
"""Regenerates the Japanese card font: a subset of IPAGothic holding only the glyphs of the
Japanese strings drawn on share cards (api/internal/share/cardtext.go).

Needs Debian's fonts-ipafont-gothic (installed by `make test`) and python3-fonttools:
    apt-get install fonts-ipafont-gothic python3-fonttools
    scripts/subset-card-font.py

The IPA Font License allows derived fonts on condition that they do not carry the original's
name, are licensed under the same agreement, and come with the means to get back to the
original; so the subset is renamed "Nezame Card Gothic" and api/internal/share/cardfont/README.md
says how to replace it with the original.
"""
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = pathlib.Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
TEXTS = ROOT / "api/internal/share/cardtext.go"
OUT = ROOT / "api/internal/share/cardfont/cardgothic.ttf"
FAMILY = "Nezame Card Gothic"


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: apt-get install fonts-ipafont-gothic", file=sys.stderr)
        return 1
    # Every non-ASCII character of the card's strings; ASCII is drawn with the Go fonts.
    chars = sorted({c for c in TEXTS.read_text(encoding="utf-8") if ord(c) > 0x7F})
    options = subset.Options()
    options.hinting = False          # the renderer does not run TrueType hinting programs
    options.layout_features = []     # no shaping: one glyph per character
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.glyph_names = False
    font = TTFont(str(SOURCE))
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            rec.string = FAMILY
        elif rec.nameID == 3:
            rec.string = FAMILY + " subset"
        elif rec.nameID == 6:
            rec.string = FAMILY.replace(" ", "")
        elif rec.nameID == 5:
            rec.string = "Version 003.03; subset for nezame share cards"
    # Fixed timestamps so the file only changes when the characters do.
    font["head"].created = font["head"].modified = 0
    font.save(str(OUT), reorderTables=True)
    print(f"{OUT.relative_to(ROOT)}: {len(chars)} characters, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
