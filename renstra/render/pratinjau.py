"""Render the HTML preview (`build.py html`): the document as one file that opens in any browser and may
be moved, mailed or put on a share — nothing in it points back to the machine that built it.

Fonts and images go inside the file as data: URIs. Links relative to the output would break as soon as
the HTML is moved without fonts/ and content/ beside it; embedded, it shows the same type anywhere.
The four faces are cut to the characters the document uses and packed as WOFF2 (fontTools and brotli,
both already there for WeasyPrint): Liberation Sans is 4 × ~410 KB as TTF (2.2 MB as base64), 4 × ~147 KB
as whole WOFF2 (~0.8 MB and ~6 s to pack); the subsets are ~20 KB a face and take well under a second.

On screen the PDF's own style sheet is followed by templates/layar.css.j2 (all inside @media screen):
each part a white sheet of the paper's size on grey, landscape tables on wider sheets, wide tables
scrolling sideways at a readable size, the Daftar Isi as links without page numbers. WeasyPrint lays
out for print, so none of it reaches the PDF; the PDF is not built from this HTML anyway.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re

import jinja2

from renstra.document.resolve import Renstra
from renstra.layout import GAYA, HURUF_TABEL_PT, MARGIN_LANSKAP, MARGIN_POTRET, tata_letak
from renstra.render.gambar import data_uri, embed_images
from renstra.render.html import Bagian

# Characters every face keeps whatever the text holds: printable ASCII, Latin-1, the General Punctuation
# from U+2010 to U+2027 (hyphens, dashes, quotes, ellipsis, the hyphenation point) and the thin and
# narrow no-break spaces U+2009 and U+202F, which a browser may set by itself. In decimal: the engine
# names no year-like number (tests/test_literal.py).
_SELALU = {chr(c) for c in (*range(32, 127), *range(160, 256), *range(8208, 8232), 8201, 8239)}


def render_pratinjau(
    renstra: Renstra,
    env: jinja2.Environment | None = None,
    huruf: dict[str, str] | None = None,
    lambang: str | None = None,
    bagian: Bagian | None = None,
) -> str:
    """The whole document as one HTML file for the screen, fonts and images inside it — or, for the live
    preview (`build.py preview`), the fonts and the lambang at the URLs `huruf` and `lambang` give: a
    server sends those files once, and an edit that brings a new character cuts no font again. `bagian`:
    the parts, when the caller rendered them already (the preview lays out its PDF from the same)."""
    bagian = bagian or Bagian.of(renstra, env)
    root = renstra.source.root
    layout = tata_letak(root, renstra.dokumen.tata_letak)
    if huruf:
        css = bagian.css(huruf=huruf) + _layar(bagian.env, layout.kertas_mm)
        return bagian.html(css=css, lambang=lambang if renstra.lambang else None)
    placeholder = {style: f"%%HURUF-{style}%%" for style in GAYA}
    css = bagian.css(huruf=placeholder) + _layar(bagian.env, layout.kertas_mm)
    lambang = data_uri(renstra.lambang) if renstra.lambang else None
    html = embed_images(bagian.html(css=css, lambang=lambang), root)
    used = frozenset(set(re.sub(r"data:[^\"')]+", "", html)) | _SELALU)
    for style, path in layout.fonts.items():
        html = html.replace(placeholder[style], _font_uri(path.read_bytes(), used), 1)
    return html


def _layar(env: jinja2.Environment, kertas_mm: tuple[int, int]) -> str:
    """The screen sheet: paper and margins in millimetres, as the PDF's pages measure them."""
    lebar, tinggi = kertas_mm
    top, right, bottom, left = MARGIN_POTRET
    l_top, l_right, l_bottom, l_left = MARGIN_LANSKAP
    return env.get_template("layar.css.j2").render(
        lebar=lebar,
        tinggi=tinggi,
        margin=f"{top}mm {right}mm {bottom}mm {left}mm",
        kiri=left,
        kanan=right,
        bawah=bottom,
        isi=lebar - left - right,
        tinggi_isi=tinggi - top - bottom,
        margin_lanskap=f"{l_top}mm {l_right}mm {l_bottom}mm {l_left}mm",
        isi_lanskap=tinggi - l_left - l_right,
        # a landscape sheet is centred on the portrait one: its left edge from the text's left edge
        geser_lanskap=lebar / 2 - tinggi / 2 - left,
        huruf_tabel=HURUF_TABEL_PT,
    )


_DIPAKAI: dict[tuple[bytes, frozenset[str]], str] = {}  # sha256 of the face and its characters → URI


def _font_uri(font: bytes, chars: frozenset[str]) -> str:
    """A face cut to `chars`, as a WOFF2 data: URI; the same bytes for the same font and text. Kept for
    the next build in the same process (a test session builds many documents with the same fonts)."""
    key = (hashlib.sha256(font).digest(), chars)
    if key not in _DIPAKAI:
        if len(_DIPAKAI) >= 16:
            _DIPAKAI.clear()
        _DIPAKAI[key] = _woff2_uri(font, chars)
    return _DIPAKAI[key]


def _woff2_uri(font_bytes: bytes, chars: frozenset[str]) -> str:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" and the like
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning and ligatures, as in the PDF
    options.notdef_outline = True
    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return f"data:font/woff2;base64,{base64.b64encode(out.getvalue()).decode('ascii')}"
