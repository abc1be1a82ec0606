"""A line of text WeasyPrint has broken once is not broken again in the same document.

WeasyPrint breaks every text box into lines with `split_first_line`: a Pango layout made, shaped and
broken for each call, about a third of a chapter's layout time. It shares one computed style among
the elements whose cascade is the same, and the T-C tables repeat the same cells ("Persen",
"Dokumen", "100", "%") at the same column width, row after row: of the 24 000 calls for this
document, 8 700 asked again what had been asked before — the same text, the same style object, the
same width, the same start of line.

The answer is kept for the rest of the document, on WeasyPrint's layout context (it goes with the
document), and given again: the numbers as they were, and a copy of the line's Layout. The Layout
that `split_first_line` returns has let go of its Pango objects already (it keeps the text, the
width it was broken at, the spacing, the direction and the decoration metrics): every text box that
gets one reactivates and draws its own, so each gets its own copy. The style is kept with the answer,
so that no other style can take its id while the answer is kept (a style copied for one cell, then
dropped, would otherwise be mistaken for the next one made at the same address).

The pages come out byte for byte as WeasyPrint lays them out alone (tests/test_baris_teks.py). Only
the layout of boxes is answered from here (weasyprint.layout.inline and .preferred); SVG text, which
WeasyPrint lays out with styles of its own making, calls WeasyPrint's own function.
"""

from __future__ import annotations

import copy

from weasyprint.layout import inline, preferred
from weasyprint.text import line_break

_SPLIT_FIRST_LINE = line_break.split_first_line  # WeasyPrint's own
_MEMO = "_renstra_baris"  # the attribute of WeasyPrint's layout context that keeps the answers


def split_first_line(
    text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False
):
    """WeasyPrint's `split_first_line`, each question answered once per document."""
    memo = context.__dict__.get(_MEMO)
    if memo is None:
        memo = context.__dict__[_MEMO] = {}
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    kept = memo.get(key)
    if kept is not None:
        layout, *numbers = kept[1]
        return (copy.copy(layout), *numbers)
    layout, *numbers = _SPLIT_FIRST_LINE(
        text, style, context, max_width, justification_spacing, is_line_start, minimum
    )
    memo[key] = (style, (copy.copy(layout), *numbers))
    return (layout, *numbers)


def daftarkan() -> None:
    """Where WeasyPrint lays out boxes, lines are broken through this module."""
    inline.split_first_line = split_first_line
    preferred.split_first_line = split_first_line
