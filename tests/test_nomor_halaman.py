"""The body's page numbers, drawn from one typeset sheet: each where WeasyPrint itself prints it, in
the same type, with its own kerning — and a sheet that does not say what it should is refused."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter

from renstra.render import nomor_halaman
from renstra.render.layout_processes import layout_chapter
from renstra.render.nomor_halaman import Lembar, body_numbers, stamp

# portrait and landscape body pages, in an order that puts a landscape page after one of each kind
LANDSCAPE = [False, False, False, True, False, False, False, False, False, False, True, False, True]


def footers(data: bytes) -> list[list[tuple]]:
    """Per page, the characters of its foot (the lowest 60 pt): text, position, font and size."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [
                (c["text"], round(c["x0"], 3), round(c["top"], 3), c["fontname"].split("+")[-1], c["size"])
                for c in page.chars
                if c["top"] > page.height - 60
            ]
            for page in pdf.pages
        ]


@pytest.fixture(scope="module")
def bagian(tmp_path_factory):
    from conftest import kecil

    from renstra.document.resolve import resolve
    from renstra.render.html import Bagian
    from renstra.source.load import load

    return Bagian.of(resolve(load(kecil(tmp_path_factory.mktemp("nomor") / "dokumen"))))


def body_pages(bagian, numbered: bool) -> bytes:
    """Empty pages of the body's two sizes, as WeasyPrint lays them out with its own page numbers in
    the footer (`numbered`) or with none."""
    pages = "".join(f'<div class="{"l" if wide else "p"}"></div>' for wide in LANDSCAPE)
    number = "counter(page)" if numbered else "none"
    html = (
        f"<html lang='id'><head><style>{bagian.css()} body {{ margin: 0 }}"
        " div.p { break-after: page; height: 1px } div.l { page: lanskap; break-after: page; height: 1px }"
        f" @page {{ @top-right {{ content: none }} @bottom-center {{ content: {number} }} }}"
        f" @page lanskap {{ @bottom-center {{ content: {number}; font: 10pt 'Dokumen' }} }}"
        f"</style></head><body><div class='isi'>{pages}</div></body></html>"
    )
    return layout_chapter(html, str(bagian.root)).pdf


def laid_out(bagian, sheet: Lembar) -> bytes:
    return layout_chapter(sheet.html(bagian), str(bagian.root)).pdf


def numbered(bagian, pages: tuple[int, int], sheet: Lembar) -> bytes:
    """The empty body pages without numbers, `pages` of them, numbered from the laid-out `sheet`."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(body_pages(bagian, numbered=False))), pages=pages)
    stamps = sheet.stamps(laid_out(bagian, sheet))
    stamp(writer, body_numbers(0, LANDSCAPE[: len(writer.pages)]), stamps)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_number_is_drawn_where_weasyprint_prints_it_kerning_and_all(bagian):
    sheet = Lembar(len(LANDSCAPE))
    drawn = footers(numbered(bagian, (0, len(LANDSCAPE)), sheet))
    printed = footers(body_pages(bagian, numbered=True))
    assert ["".join(c[0] for c in page) for page in drawn] == [str(n) for n in range(1, len(LANDSCAPE) + 1)]
    assert drawn == printed  # text, place to a thousandth of a point, font and size
    # "11" is kerned (narrower than "12"): the sheet's glyphs and widths carry it, not a digit's advance
    widths = sheet.stamps(laid_out(bagian, sheet)).widths
    assert widths["11"] < widths["12"] == widths["10"]


def test_the_chapters_joined_are_numbered_as_one_pass_numbers_them(bagian):
    """Front matter in roman numbers, the body in arabic from BAB I, portrait and landscape pages: every
    foot of the PDF joined from its parts is the foot of the PDF laid out in one pass."""
    from renstra.render.pdf import render_pdf
    from renstra.render.pdf_parallel import render_pdf_paralel

    joined, one_pass = footers(render_pdf_paralel(bagian)), footers(render_pdf(bagian.html(), bagian.root))
    assert joined == one_pass
    assert ["".join(c[0] for c in page) for page in joined][4] == "1"


def test_a_sheet_in_other_type_than_the_foot_is_refused(bagian, monkeypatch):
    monkeypatch.setattr(nomor_halaman, "_TYPE", "9pt 'Dokumen'")  # the foot keeps the style sheet's 10pt
    sheet = Lembar(3)
    with pytest.raises(RuntimeError, match="huruf nomor berbeda dengan huruf kaki halaman"):
        sheet.stamps(laid_out(bagian, sheet))


def test_a_sheet_without_every_number_is_refused(bagian):
    with pytest.raises(RuntimeError, match="lembar nomor halaman: 4 nomor tertata, seharusnya 5"):
        Lembar(4).stamps(laid_out(bagian, Lembar(3)))  # 1 2 3 i against 1 2 3 4 i


def test_front_pages_beyond_the_sheets_roman_numbers_are_refused(bagian):
    sheet = Lembar(2, romawi_mulai=3, romawi=2)  # iii and iv
    stamps = sheet.stamps(laid_out(bagian, sheet))
    assert [number for _, number, _ in stamps.front(range(5, 7))] == ["iii", "iv"]
    with pytest.raises(RuntimeError, match="lembar nomor halaman: nomor v tidak tertata"):
        stamps.front(range(5, 8))


def test_a_body_of_one_page_is_numbered_as_well(bagian):
    """The sheet always holds the samples' numbers, 1 and 2, even for a body of one page."""
    assert footers(numbered(bagian, (0, 1), Lembar(1))) == footers(body_pages(bagian, numbered=True))[:1]
