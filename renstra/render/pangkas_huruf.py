"""The PDF's fonts subset by fontTools without reading the tables it throws away.

WeasyPrint subsets every font it embeds. With HarfBuzz-Subset (libharfbuzz-subset0) that takes a
millisecond; without it WeasyPrint falls back to fontTools, which (4.68) reads and converts the whole
GSUB and GPOS tables of each font before it drops them, as WeasyPrint asks it to: 0.05-0.07 s a face, for
every part of the PDF laid out alone (ten chapters and the cover, three lists, the sheet of page
numbers), so that a build from scratch took a quarter longer than with HarfBuzz-Subset.

Here the font handed to fontTools has those tables taken out already — read once per layout process,
not once per part — and with them the old `kern` table wherever the font has GPOS, which fontTools
drops then too (its `legacy_kern` is off, and it looks at `kern` before GPOS). What fontTools makes of
it is the same font, byte for byte (tests/test_pangkas_huruf.py). With HarfBuzz-Subset installed this
module does nothing: WeasyPrint does not call fontTools to subset.
"""

from __future__ import annotations

import functools
import io

from fontTools.ttLib import TTFont
from weasyprint.pdf import fonts

_FONTTOOLS_SUBSET = fonts.Font._fonttools_subset  # WeasyPrint's own
_DROPPED = ("GSUB", "GPOS")  # of what WeasyPrint has fontTools drop, what is slow to read


def _fonttools_subset(self, to_unicode, hinting):
    """WeasyPrint's subsetting by fontTools, of the font without its layout tables."""
    if self.index == 0 and self.file_content[:4] != b"ttcf":  # not one font of a collection
        self.file_content = without_layout_tables(self.file_content)
    return _FONTTOOLS_SUBSET(self, to_unicode, hinting)


@functools.lru_cache(maxsize=16)
def without_layout_tables(content: bytes) -> bytes:
    """The font file without GSUB and GPOS (and `kern` where there is GPOS); the others as they are."""
    try:
        font = TTFont(io.BytesIO(content), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
        if not any(tag in font for tag in _DROPPED):
            return content
        if "GPOS" in font and "kern" in font:
            del font["kern"]
        for tag in _DROPPED:
            if tag in font:
                del font[tag]
        out = io.BytesIO()
        font.save(out)
    except Exception:  # a font fontTools cannot read: WeasyPrint's own subsetting says so, as before
        return content
    return out.getvalue()


def daftarkan() -> None:
    """Where WeasyPrint subsets with fontTools, it subsets through this module."""
    fonts.Font._fonttools_subset = _fonttools_subset
