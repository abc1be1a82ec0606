"""The leader dots of the Daftar Isi, Daftar Tabel and Daftar Gambar, drawn a few at a time.

WeasyPrint fills a `leader(".")` with copies of its dot, each a text box of its own, placed on a grid
that ends at the line's right edge: a page of the Daftar Isi holds three thousand of them, and drawing
each alone (a text object, a Pango layout made active again) was more than half of the time the page
took — at the end of a cold build, when nothing else is left to lay out. Here, once WeasyPrint has
placed a line's dots, every RUN of them becomes one text box of the same dots, from the first one's
place. A run places its dots by their advances, to a thousandth of an em as WeasyPrint places the
letters of every word, so a dot may stand a hundredth of a point from where it stood alone: 0.014 pt
at most in this document (a test holds them to 0.02 pt), where a 600 dpi printer's dot is 0.12 pt.
Where a row would not print the same — a leader of more than one character, kerning between its
copies, a run Pango would not keep on one line — it is left as WeasyPrint made it.
"""

from __future__ import annotations

import itertools

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline, leader
from weasyprint.text.line_break import split_first_line

# A row is kept as WeasyPrint left it unless each run of its dots is as wide as they were side by side.
_TOLERANCE_PX = 1e-3
_HANDLE_LEADER = leader.handle_leader
# Dots a run: a page of the Daftar Isi draws 400 text objects instead of 3 000 (0.32 s → 0.13 s);
# longer runs gain little more and let the last dot of a run stray further (0.24 pt in one run a line)
RUN = 8


def daftarkan() -> None:
    """Lines with a leader are finished by handle_leader below, wherever WeasyPrint lays out."""
    inline.handle_leader = handle_leader


def handle_leader(context, line, containing_block) -> None:
    # WeasyPrint calls this for every line of the document; on a line without a leader its own only
    # looks for one, as this does: the rest of the document is looked through once, as before
    _, box = leader.leader_index(line)
    if box is None:
        return
    _HANDLE_LEADER(context, line, containing_block)
    if len(box.children) > 1:
        box.children = _runs(context, box.children, line.position_x + line.width)


def _runs(context, dots: tuple, end: float) -> tuple:
    """The row of dots as runs of at most RUN dots, each from its first dot's own place; the row as
    it is where that would not print the same. `end`: the line's right end, where the grid starts."""
    if not all(isinstance(dot, boxes.TextBox) for dot in dots):
        return dots
    ordered = sorted(dots, key=lambda dot: dot.position_x)
    first, step = ordered[0], ordered[0].width
    if len(first.text) != 1 or any(d.text != first.text or d.style is not first.style for d in dots):
        return dots
    if any(abs(b.position_x - a.position_x - step) > _TOLERANCE_PX for a, b in zip(ordered, ordered[1:])):
        return dots
    # runs start at the same places of the grid, counted from the line's end, on every line
    key = lambda dot: (round((end - dot.position_x) / step) - 1) // RUN  # noqa: E731
    merged = [_one_run(context, list(run)) for _, run in itertools.groupby(ordered, key=key)]
    return dots if None in merged else tuple(merged)


def _one_run(context, run: list) -> boxes.TextBox | None:
    first = run[0]
    if len(run) == 1:
        return first
    text = first.text * len(run)
    layout, length, resume, width, _, _ = split_first_line(
        text, first.style, context, None, first.justification_spacing
    )
    if (
        resume is not None
        or length != len(text.encode())
        or abs(width - first.width * len(run)) > _TOLERANCE_PX
    ):
        return None
    merged = first.copy_with_text(text)
    merged.pango_layout = layout
    merged.width = width
    return merged
