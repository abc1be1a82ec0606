"""The DOCX read back with python-docx: outline, captions, row counts, repeated headers, landscape, cells."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from test_render_pdf import _toc_entries

WIDE = {"tc23", "tc24", "tc27", "tc28", "cascading"}


@pytest.fixture(scope="session")
def word(docx_bytes):
    return open_docx(io.BytesIO(docx_bytes))


@pytest.fixture(scope="session")
def views(doc):
    return doc.views()


def clean(text: str) -> str:
    # a table cell's slash between letters is followed by a zero-width space (a place to break the line)
    return " ".join(text.replace("\u200b", "").split()).replace("/ ", "/")


def test_heading_outline_equals_the_pdf_daftar_isi(word, pdf_pages):
    headings = [
        clean(p.text) for p in word.paragraphs if p.style.name in ("Heading 1", "Heading 2", "Heading 3")
    ]
    pdf_outline = [clean(title) for title, _ in _toc_entries(pdf_pages, "DAFTAR ISI")]
    assert headings == pdf_outline


def _caption_before(table):
    previous = table._tbl.getprevious()
    while previous is not None and previous.tag != qn("w:p"):
        previous = previous.getprevious()
    style = previous.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val"))
    text = "".join(t.text for t in previous.iter(qn("w:t")))
    return style, text


def test_every_table_with_caption_and_row_count(word, views):
    assert len(word.tables) == len(views) == 14
    for table, table_view in zip(word.tables, views):
        assert _caption_before(table) == ("Caption", table_view.keterangan)
        assert len(table.rows) == len(table_view.kepala) + len(table_view.baris), table_view.id


def test_header_rows_repeat(word, views):
    for table, table_view in zip(word.tables, views):
        rows = table._tbl.tr_lst
        flagged = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows]
        assert flagged == [True] * len(table_view.kepala) + [False] * len(table_view.baris), table_view.id


def _section_orientation_of_tables(word):
    """For each table in order, the orientation of the section it sits in (the next sectPr after it)."""
    body = word.element.body
    result, pending = [], 0
    for element in body.iterchildren():
        if element.tag == qn("w:tbl"):
            pending += 1
            continue
        sect = (
            element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if element.tag == qn("w:p")
            else (element if element.tag == qn("w:sectPr") else None)
        )
        if sect is not None:
            orient = sect.find(qn("w:pgSz")).get(qn("w:orient"), "portrait")
            result += [orient] * pending
            pending = 0
    return result


def test_wide_tables_are_in_landscape_sections(word, views):
    orientations = _section_orientation_of_tables(word)
    assert len(orientations) == len(views)
    for orientation, table_view in zip(orientations, views):
        assert orientation == ("landscape" if table_view.id in WIDE else "portrait"), table_view.id


def test_cell_text_equals_the_pdf_table_by_table(word, views, pdf_tables):
    def joined(text):  # a PDF line break after a hyphen leaves "Perundang- undangan"
        return re.sub(r"(\w)- (\w)", r"\1-\2", text)

    pdf_cells = {joined(cell) for page in pdf_tables for row in page for cell in row if cell}
    for table, table_view in zip(word.tables, views):
        header = len(table_view.kepala)
        for tr_index, tr in enumerate(table._tbl.tr_lst[header:]):
            texts = [clean("".join(t.text for t in tc.iter(qn("w:t")))) for tc in tr.tc_lst]
            # a cell covered by the merged cell above it is an empty continuation (vMerge) in Word
            expected = [
                "" if s.tertutup else clean(s.teks) if not s.daftar else None
                for s in table_view.baris[tr_index].sel
            ]
            for text, want in zip(texts, expected):
                if want is not None:
                    assert text == want, (table_view.id, tr_index)
                if text and want is not None:
                    assert joined(text) in pdf_cells, (table_view.id, text)


def test_numbers_right_aligned_and_identical_to_pdf(word):
    tc27 = word.tables[11]
    row = next(
        tr
        for tr in tc27._tbl.tr_lst
        if "".join(t.text for t in tr.tc_lst[0].iter(qn("w:t"))) == "4.01.01.2.02.01"
    )
    cell = row.tc_lst[8]
    assert "".join(t.text for t in cell.iter(qn("w:t"))) == "Rp9.419.360.139"
    assert cell.find(f"{qn('w:p')}/{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == "right"


def test_styles_not_direct_formatting(word):
    names = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Caption", "Body Text"} <= names
    assert {t.style.name for t in word.tables} == {"Table"}
    assert word.styles["Normal"].font.name == "Liberation Sans"


def test_toc_fields_page_numbers_and_sections(word):
    instructions = [el.text.strip() for el in word.element.body.iter(qn("w:instrText"))]
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions
    assert 'TOC \\h \\z \\t "Caption,1"' in instructions
    assert word.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    formats = [
        (
            s._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt"))
            if s._sectPr.find(qn("w:pgNumType")) is not None
            else None,
            s._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
            if s._sectPr.find(qn("w:pgNumType")) is not None
            else None,
        )
        for s in word.sections
    ]
    assert formats[0] == (None, None)  # cover: no number
    assert formats[1] == ("lowerRoman", "1")  # front matter: i, ii, …
    assert formats[2] == ("decimal", "1")  # BAB I starts at 1
    assert all(f == ("decimal", None) for f in formats[3:])
    footer_xml = word.sections[1].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml


def test_cover_and_signature(word):
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "PEMERINTAH KABUPATEN LUMAJANG"
    assert "Lumajang, 2 Mei 2023\nSEKRETARIS DAERAH" in texts[-1] and texts[-1].endswith(
        "Drs. AGUS TRIYONO, M.Si."
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (apt-get install libreoffice-writer-nogui) not installed",
)
def test_libreoffice_converts_the_docx(docx_bytes, tmp_path):
    source = tmp_path / "renstra.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    import pdfplumber

    with pdfplumber.open(tmp_path / "renstra.pdf") as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
        landscape = sum(1 for page in pdf.pages if page.width > page.height)
    assert "BAB VI RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN" in " ".join(text.split())
    assert landscape >= 10


def test_a_pipe_table_in_a_chapter_does_not_shift_the_formatting_of_the_others(repo_copy):
    """Tables are matched to their views by caption: a chapter's own Markdown table is left alone."""
    from renstra.pipeline import resolved
    from renstra.render.docx import render_docx, tables_by_caption

    path = repo_copy / "content" / "05-strategi-arah-kebijakan.md"
    path.write_text(path.read_text() + "\n\n| Kolom A | Kolom B |\n| --- | --- |\n| 1 | 2 |\n")
    renstra = resolved(repo_copy)
    word = open_docx(io.BytesIO(render_docx(renstra)))
    assert len(word.tables) == 15
    paired = tables_by_caption(word, renstra.views())
    assert [v.id for _, v in paired] == [v.id for v in renstra.views()]
    for table, table_view in paired:
        header = table._tbl.tr_lst[: len(table_view.kepala)]
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in header), (
            table_view.id
        )
