"""A line of text broken once per document: the pages are WeasyPrint's own, byte for byte."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline, preferred
from weasyprint.text.fonts import FontConfiguration

from renstra.render import baris_teks, pdf  # noqa: F401  (pdf: what every layout registers)

FONTS = Path(__file__).resolve().parents[1] / "fonts"

# The same cells row after row, as in the T-C tables; the same sentence in a narrow and in a wide
# column (other lines at each width), in bold and not (other glyphs); a cell of fixed height (WeasyPrint
# lays it out with a copy of its style); long words hyphenated in a narrow column; a justified paragraph.
_SENTENCE = "Persentase capaian kinerja penyelenggaraan pemerintahan daerah"
_ROW = (
    "<tr><td>Persen</td><td class=sempit>{s}</td><td>{s}</td><td><b>{s}</b></td>"
    "<td style='height: 40px'>100</td><td class=sempit>penyelenggaraan kesejahteraan</td></tr>"
)
_HTML = (
    "<html lang=id><style>"
    f"@font-face {{ font-family: Huruf; src: url({(FONTS / 'LiberationSans-Regular.ttf').as_uri()}) }}"
    f"@font-face {{ font-family: Huruf; font-weight: bold;"
    f" src: url({(FONTS / 'LiberationSans-Bold.ttf').as_uri()}) }}"
    "@page { size: A4 landscape; margin: 1.5cm } body { font: 9pt Huruf }"
    "table { border-collapse: collapse } td { border: 1px solid; vertical-align: top }"
    ".sempit { width: 25mm; hyphens: auto } p { text-align: justify; hyphens: auto; width: 120mm }"
    "</style><body>"
    f"<p>{_SENTENCE * 6}</p><table>" + _ROW.format(s=_SENTENCE) * 40 + "</table></body></html>"
)


def _laid_out(html: str = _HTML):
    return HTML(string=html).render(font_config=FontConfiguration())


def _weasyprints_own(monkeypatch) -> None:
    for module in (inline, preferred):
        monkeypatch.setattr(module, "split_first_line", baris_teks._SPLIT_FIRST_LINE)


def _counted(monkeypatch) -> dict[str, int]:
    """How often WeasyPrint's own line breaking runs, and how often it is asked."""
    calls = {"ditanya": 0, "dihitung": 0}
    own, memo = baris_teks._SPLIT_FIRST_LINE, baris_teks.split_first_line

    def computed(*args, **kwargs):
        calls["dihitung"] += 1
        return own(*args, **kwargs)

    def asked(*args, **kwargs):
        calls["ditanya"] += 1
        return memo(*args, **kwargs)

    monkeypatch.setattr(baris_teks, "_SPLIT_FIRST_LINE", computed)
    for module in (inline, preferred):
        monkeypatch.setattr(module, "split_first_line", asked)
    return calls


def test_the_pages_are_weasyprints_own_and_a_repeated_line_is_broken_once(monkeypatch):
    assert inline.split_first_line is preferred.split_first_line is baris_teks.split_first_line  # registered
    with monkeypatch.context() as counting:
        calls = _counted(counting)
        ours = _laid_out().write_pdf()
    with monkeypatch.context() as alone:
        _weasyprints_own(alone)
        theirs = _laid_out().write_pdf()
    assert ours == theirs
    # 40 rows alike: nearly every line after the first row's is answered from what was kept
    assert calls["dihitung"] < calls["ditanya"] / 4, calls


def test_every_text_box_draws_its_own_layout():
    document = _laid_out()
    layouts = [
        box.pango_layout
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    ]
    assert len(layouts) > 400
    assert len({id(layout) for layout in layouts}) == len(layouts)


def test_the_answers_go_with_their_document():
    """Kept on the document's layout context, they and the styles they hold are let go with it: a
    memo kept for the life of the process would hold every style of every document laid out (the
    live preview lays out one after another)."""

    def a_style_of_a_document_laid_out() -> weakref.ref:
        document = _laid_out()
        text = next(b for b in document.pages[0]._page_box.descendants() if isinstance(b, boxes.TextBox))
        return weakref.ref(text.style)

    style = a_style_of_a_document_laid_out()
    gc.collect()
    assert style() is None


def test_every_part_of_a_document_is_laid_out_as_weasyprint_lays_it_out(tmp_path, monkeypatch):
    """The small five-year document's chapters, cover with Kata Pengantar and lists, each laid out as
    the layout processes do (renstra.render.pdf.laid_out): the same bytes with WeasyPrint's own line
    breaking (its tables repeat few cells: some of its lines are answered from what was kept)."""
    from conftest import kecil

    from renstra.document.resolve import resolve
    from renstra.render.html import DAFTAR, PEMBUKA, Bagian
    from renstra.render.pdf import laid_out
    from renstra.render.pdf_parallel import _chapter_htmls
    from renstra.source.load import load

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1683000000")
    root = kecil(tmp_path / "dokumen")
    bagian = Bagian.of(resolve(load(root)))
    parts = _chapter_htmls(bagian) + [bagian.html(isi=[], depan=d) for d in (PEMBUKA, DAFTAR)]
    with monkeypatch.context() as counting:
        calls = _counted(counting)
        ours = [laid_out(part, root).write_pdf() for part in parts]
    with monkeypatch.context() as alone:
        _weasyprints_own(alone)
        theirs = [laid_out(part, root).write_pdf() for part in parts]
    assert ours == theirs
    assert calls["dihitung"] < calls["ditanya"], calls
