"""The DOCX read back with python-docx: outline, captions, row counts, repeated headers, landscape, cells."""

from __future__ import annotations

import io
import re

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
    assert len(views) == 14 and len(word.tables) == 16  # and the Daftar Koreksi's two, at the end
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
    assert orientations[len(views) :] == ["portrait", "portrait"]  # the Daftar Koreksi's two
    orientations = orientations[: len(views)]
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
    assert 'TOC \\h \\z \\c "Tabel"' in instructions  # built from the captions' SEQ Tabel fields
    assert 'TOC \\h \\z \\c "Gambar"' in instructions
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
    (signature,) = [p.text for p in word.paragraphs if p.style.name == "Tanda Tangan"]
    assert signature.startswith("Lumajang, ……………………\nSEKRETARIS DAERAH")  # corrected edition, to be dated
    assert signature.endswith("Drs. AGUS TRIYONO, M.Si.\nNIP. 19690507 198903 1 004")
    assert texts.index(signature) < texts.index("LAMPIRAN\nDAFTAR KOREKSI")  # the annex follows it


@pytest.fixture(scope="session")
def libreoffice_pages(docx_pdf):
    """Per page of the DOCX as LibreOffice lays it out and exports it to PDF: (text, width, height).
    LibreOffice does not update the fields on opening: it shows the lists as the build wrote them.
    One conversion per session (conftest's docx_pdf), shared with the table tests."""
    import pdfplumber

    with pdfplumber.open(docx_pdf) as pdf:
        return [(page.extract_text() or "", page.width, page.height) for page in pdf.pages]


def test_libreoffice_converts_the_docx(libreoffice_pages):
    text = " ".join(t for t, _, _ in libreoffice_pages)
    landscape = sum(1 for _, w, h in libreoffice_pages if w > h)
    assert "BAB VI RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN" in " ".join(text.split())
    assert landscape >= 10


def test_libreoffice_shows_no_blank_page(libreoffice_pages):
    """Every page but the cover holds more than its running header and page number: no empty
    portrait section between two landscape tables (TC-23, TC-24), none before a landscape table."""
    for index, (text, _, _) in enumerate(libreoffice_pages[1:], start=2):
        assert len(text.strip().splitlines()) > 2, (index, text)


def test_libreoffice_shows_the_lists_and_the_numbers_as_written(libreoffice_pages, views):
    """The lists' field results are what a reader sees without updating; and LibreOffice, which counts
    SEQ fields across the whole document, keeps each caption's number ('Tabel 4.2', not 'Tabel 4.10')."""
    lines = [clean(line) for text, _, _ in libreoffice_pages for line in text.splitlines()]
    assert any(re.fullmatch(r"BAB IV TUJUAN DAN SASARAN\s*\.+\s*\d+", line) for line in lines)
    assert any(re.fullmatch(r"Gambar 1\.1\. Hubungan .*", line) for line in lines)
    body = [clean(t) for t, w, h in libreoffice_pages if "DAFTAR" not in t]
    for table_view in views:
        assert any(clean(table_view.keterangan)[:60] in page for page in body), table_view.id


def _toc_results(word) -> dict[str, list[tuple[str, str, str]]]:
    """Per TOC field (by its instruction): the entries of its result as (text, page, bookmark)."""
    results: dict[str, list[tuple[str, str, str]]] = {}
    current = None
    for p in word.element.body.iterchildren(qn("w:p")):
        for instr in p.iterchildren(qn("w:r")):
            code = "".join(i.text for i in instr.iter(qn("w:instrText"))).strip()
            if code.startswith("TOC"):
                current = code
                results[current] = []
        if current is None:
            continue
        for link in p.iterchildren(qn("w:hyperlink")):
            runs = list(link.iterchildren(qn("w:r")))
            tab = next(i for i, r in enumerate(runs) if r.find(qn("w:tab")) is not None)
            title = "".join(t.text for r in runs[:tab] for t in r.iter(qn("w:t")))
            page = "".join(t.text for r in runs[tab:] for t in r.iter(qn("w:t")))
            results[current].append((title, page, link.get(qn("w:anchor"))))
        ends = [c for r in p.iterchildren(qn("w:r")) for c in r.iter(qn("w:fldChar"))]
        if ends and ends[-1].get(qn("w:fldCharType")) == "end":
            current = None
    return results


DAFTAR_ISI, DAFTAR_TABEL, DAFTAR_GAMBAR = (
    'TOC \\o "1-3" \\h \\z \\u',
    'TOC \\h \\z \\c "Tabel"',
    'TOC \\h \\z \\c "Gambar"',
)


def test_the_lists_are_filled_in_with_the_pdfs_entries_and_page_numbers(word, pdf_pages, doc):
    """Without updating a field, the Daftar Isi, Daftar Tabel and Daftar Gambar list what the PDF's
    list, with the PDF's page numbers: every BAB and subbab, every table, the figure."""
    results = _toc_results(word)
    for instruction, heading in (
        (DAFTAR_ISI, "DAFTAR ISI"),
        (DAFTAR_TABEL, "DAFTAR TABEL"),
        (DAFTAR_GAMBAR, "DAFTAR GAMBAR"),
    ):
        docx = [(clean(title), page) for title, page, _ in results[instruction]]
        pdf = [(clean(title), page) for title, page in _toc_entries(pdf_pages, heading)]
        assert docx == pdf, heading
        assert all(page for _, page in docx), heading
    babs = [t for t, _, _ in results[DAFTAR_ISI] if t.startswith("BAB\u00a0")]
    assert len(babs) == sum(1 for c in doc.chapters if c.bab.nomor and not c.lampiran) == 8
    assert len(results[DAFTAR_TABEL]) == len(doc.views()) == 14


def test_daftar_gambar_lists_the_figure_and_daftar_tabel_does_not(word):
    results = _toc_results(word)
    assert [clean(t) for t, _, _ in results[DAFTAR_GAMBAR]] == [
        "Gambar 1.1. Hubungan Antar Dokumen RPJMD dengan Dokumen Perencanaan Lainnya"
    ]
    assert all(t.startswith("Tabel\u00a0") for t, _, _ in results[DAFTAR_TABEL])


def test_each_entry_links_to_a_bookmark_on_its_heading_or_caption(word):
    """The hyperlinks and PAGEREF fields name bookmarks that stand in the paragraph they list."""

    def text(p) -> str:  # the line break after "BAB I" is a space in the list
        return "".join(el.text if el.tag == qn("w:t") else " " for el in p.iter(qn("w:t"), qn("w:br")))

    marked = {
        start.get(qn("w:name")): clean(text(p))
        for p in word.element.body.iter(qn("w:p"))
        for start in p.iterchildren(qn("w:bookmarkStart"))
    }
    instructions = {el.text.strip() for el in word.element.body.iter(qn("w:instrText"))}
    for entries in _toc_results(word).values():
        for title, _, bookmark in entries:
            assert marked.get(bookmark) == clean(title), (title, bookmark)
            assert f"PAGEREF {bookmark} \\h" in instructions


def test_captions_carry_the_seq_field_word_builds_the_lists_from(word, views):
    """'Tabel 4.' then { SEQ Tabel \\r 2 }: Word's refresh finds tables and figures apart, and the number
    stays the one the text refers to."""
    captions = [p for p in word.element.body.iter(qn("w:p")) if _style(p) == "Caption"]
    found = []
    for p in captions:
        code = "".join(i.text for i in p.iter(qn("w:instrText"))).strip()
        text = "".join(t.text for t in p.iter(qn("w:t")))
        kind, number = re.match(r"(Tabel|Gambar)\u00a0\d+\.(\d+)", text).groups()
        assert code == f"SEQ {kind} \\* ARABIC \\r {number}", text
        found.append(kind)
    assert found.count("Tabel") == len(views) and found.count("Gambar") == 1


def _style(p) -> str | None:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def test_chapter_titles_are_two_lines_in_heading_1(word, doc):
    """'BAB I' (style Nomor Bab), a line break, then the title: as the PDF prints it."""
    titles = [p for p in word.paragraphs if p.style.name == "Heading 1" and p.text.startswith("BAB")]
    expected = [
        (f"BAB\u00a0{c.bab.nomor}", c.judul[0].teks) for c in doc.chapters if c.bab.nomor and not c.lampiran
    ]
    assert [tuple(p.text.split("\n")) for p in titles] == expected
    for p in titles:
        runs = p._p.findall(qn("w:r"))
        assert runs[0].find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "NomorBab"
        assert runs[1].find(qn("w:br")) is not None
    assert "Nomor Bab" in {s.name for s in word.styles}


def test_labels_never_split_from_their_number(word):
    """'Tabel 4.2', 'Gambar 1.1', 'BAB IV' with a non-breaking space in the text, lists and captions."""
    texts = [p.text for p in word.paragraphs]
    assert any("Tabel\u00a04.2" in t for t in texts)
    for text in texts:
        assert not re.search(r"\b(Tabel|Gambar) \d+\.\d+|\bBAB [IVXL]+\b", text), text


def test_no_section_is_empty(word):
    """Each section break closes a section that holds something: no blank page in Word either."""
    body = word.element.body
    content = False
    for element in body.iterchildren():
        if element.tag == qn("w:tbl"):
            content = True
            continue
        if element.tag != qn("w:p"):
            continue
        if (
            "".join(t.text for t in element.iter(qn("w:t"))).strip()
            or element.find(f".//{qn('w:drawing')}") is not None
        ):
            content = True
        if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            assert content, "an empty section"
            content = False


def test_the_paragraph_leading_into_a_landscape_table_is_in_its_section(word):
    """As in the PDF: the heading and the paragraph right above TC-23 and the Cascading table are
    laid out on the landscape page, not left as a few lines on a portrait page."""
    body = list(word.element.body.iterchildren())
    for heading in ("2.3 Kinerja Pelayanan Perangkat Daerah", "4.2 Cascading Kinerja Perangkat Daerah"):
        index = next(
            i for i, el in enumerate(body) if clean("".join(t.text for t in el.iter(qn("w:t")))) == heading
        )
        closing = next(
            el for el in body[index:] if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
        ).find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        assert closing.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape", heading


def test_a_pipe_table_in_a_chapter_does_not_shift_the_formatting_of_the_others(
    repo_copy, pdf_path, pdf_cache
):
    """Tables are matched to their views by caption: a chapter's own Markdown table is left alone."""
    from renstra.pipeline import resolved
    from renstra.render.docx import render_docx, tables_by_caption

    path = repo_copy / "content" / "05-strategi-arah-kebijakan.md"
    path.write_text(path.read_text() + "\n\n| Kolom A | Kolom B |\n| --- | --- |\n| 1 | 2 |\n")
    renstra = resolved(repo_copy)
    word = open_docx(io.BytesIO(render_docx(renstra, cache=pdf_cache)))
    assert len(word.tables) == 17  # and the annex's two
    paired = tables_by_caption(word, renstra.views())
    assert [v.id for _, v in paired] == [v.id for v in renstra.views()]
    for table, table_view in paired:
        header = table._tbl.tr_lst[: len(table_view.kepala)]
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in header), (
            table_view.id
        )


def test_the_figure_stands_under_its_caption_as_the_pdf_draws_it(word, doc):
    """Under 'Gambar 1.1', a picture 150 mm wide: the figure's SVG laid out and rasterised (drawn
    while pandoc converts), the same PNG as figure_png gives."""
    from docx.shared import Mm

    from renstra.render.docx import figure_png
    from renstra.templating import template_env

    paragraphs = word.paragraphs
    captions = [i for i, p in enumerate(paragraphs) if p.style.name == "Caption" and "Gambar" in p.text]
    assert [clean(paragraphs[i].text) for i in captions] == [
        "Gambar 1.1. Hubungan Antar Dokumen RPJMD dengan Dokumen Perencanaan Lainnya"
    ]
    at = captions[0]
    under = paragraphs[at + 1]._p
    pictures = [s for s in word.inline_shapes if under in s._inline.iterancestors()]
    assert [round(s.width / Mm(1)) for s in pictures] == [150]
    blip = pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert word.part.related_parts[blip].blob == figure_png(
        doc, template_env(doc.source.root), "hubungan-dokumen"
    )
