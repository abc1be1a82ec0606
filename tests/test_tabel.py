"""The tables as a reviewer reads them, in the built PDF and DOCX: merged cells, T-C.27 pages, hyphens.

Read back from the files the session built once (conftest): header words whole, amounts on one line,
a group's value in one merged cell, eight T-C.27 rows a page, no program or kegiatan row last on a
page, Indonesian hyphenation by PUEBI's rules and never inside an acronym or a number.
"""

from __future__ import annotations

import functools
import io
import re
import statistics

import pdfplumber
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from renstra.document.lebar import baris_per_halaman
from renstra.render.pemenggalan import BERKAS, isi, penggal, utuh

GROUPED = ("tc25", "cascading", "tc26", "tc27", "iku", "tc28")  # tables with a value over a group's rows
HYPHEN = "\u2010"  # the hyphenate-character (gaya.css.j2)
AMOUNT = re.compile(r"Rp\d{1,3}(\.\d{3})*")


def flat(text: str) -> str:
    return " ".join(text.replace(HYPHEN + "\n", "").split())


@pytest.fixture(scope="session")
def pdf(pdf_path):
    with pdfplumber.open(pdf_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def raw_tables(pdf):
    """Per page: the rows of its ruled tables, cells as laid out (line breaks and hyphens kept)."""
    return [[row for table in page.extract_tables() for row in table] for page in pdf.pages]


@pytest.fixture(scope="session")
def views(doc):
    return {v.id: v for v in doc.views()}


def first_page(pdf, view) -> int:
    """The page the table's caption is on (not the Daftar Tabel's)."""
    caption = flat(view.keterangan)[:60]
    for index, page in enumerate(pdf.pages):
        text = page.extract_text() or ""
        if caption in flat(text) and "DAFTAR TABEL" not in text:
            return index
    raise AssertionError(view.id)


def tc27_pages(pdf, views) -> range:
    start = first_page(pdf, views["tc27"])
    end = start
    while end < len(pdf.pages) and pdf.pages[end].width > pdf.pages[end].height:
        end += 1
    return range(start, end)


def body_rows(rows: list[list]) -> list[list]:
    """A T-C.27 page's rows under its header (which ends with the row numbering the columns)."""
    numbers = next(i for i, row in enumerate(rows) if row[:3] == ["1", "2", "3"])
    return rows[numbers + 1 :]


# --- headers, amounts, words ----------------------------------------------------------------------


def test_no_table_header_cell_is_hyphenated(raw_tables, views):
    headers = {flat(sel.tampil) for v in views.values() for row in v.kepala for sel in row}
    checked = 0
    for rows in raw_tables:
        for row in rows:
            cells = [c for c in row if c]
            if cells and all(flat(c) in headers for c in cells):  # a header row, as laid out
                checked += 1
                assert not [c for c in cells if HYPHEN in c], row
    assert checked >= 30  # every table's header, the T-C.27's on each of its pages


def amounts(views) -> set[str]:
    return {
        sel.teks
        for v in views.values()
        for row in v.baris
        for sel in row.sel
        if "rp" in sel.kelas.split() and not sel.tertutup and sel.teks
    }


@functools.cache
def words_of(path) -> frozenset[str]:
    """The words of the document's own pages: the Daftar Koreksi annex quotes the signed text's
    amounts as printed in 2023 (Rp 1,460,790,000), so it stops there."""
    words = set()
    with pdfplumber.open(path) as opened:
        for page in opened.pages:
            if "LAMPIRAN\nDAFTAR KOREKSI" in (page.extract_text() or ""):
                break
            words |= {w["text"] for w in page.extract_words()}
    return frozenset(words)


def test_no_amount_is_split_across_lines_in_the_pdf(pdf_path, views):
    printed = words_of(pdf_path)
    assert len(amounts(views)) > 300
    assert sorted(a for a in amounts(views) if a not in printed) == []
    assert [w for w in printed if w.startswith("Rp") and w[2:3].isdigit() and not AMOUNT.fullmatch(w)] == []


def test_no_amount_is_split_across_lines_in_the_docx(docx_pdf, views):
    """LibreOffice's PDF of the DOCX: an amount wider than its column was cut ("Rp168.539.952.58 / 2")."""
    printed = words_of(docx_pdf)
    assert sorted(a for a in amounts(views) if a not in printed) == []


def test_no_word_of_a_table_is_broken_in_the_docx(docx_pdf, views):
    """Without hyphenation in Word, a column narrower than a word cut it anywhere ("PENUNJAN / G"):
    every word of every table cell is whole in LibreOffice's PDF (a line may break after / or -)."""
    pieces = lambda text: [p for w in text.split() for p in re.split(r"(?<=[/\-])", w) if len(p) > 3]  # noqa: E731
    printed = {p for w in words_of(docx_pdf) for p in pieces(w)}
    wanted = {
        p
        for v in views.values()
        for row in v.baris
        for sel in row.sel
        if not sel.tertutup
        for p in pieces(" ".join(sel.daftar or [sel.teks]))
    }
    assert len(wanted) > 1000
    assert sorted(wanted - printed) == []


def test_no_acronym_or_number_is_hyphenated_in_the_pdf(pdf):
    def last_word(text):  # "2.Persenta‐": a list's number before the word, "Listrik/Penera‐": a slash
        return re.findall(r"\w+$", text.rstrip(HYPHEN)) or [""]

    broken = [
        w["text"]
        for page in pdf.pages
        for w in page.extract_words()
        if w["text"].endswith(HYPHEN) and utuh(last_word(w["text"])[0])
    ]
    assert broken == []
    hyphenated = [w for page in pdf.pages for w in page.extract_words() if w["text"].endswith(HYPHEN)]
    assert hyphenated  # the tables are hyphenated, where a line fills better so


@pytest.mark.parametrize(
    "word, broken",
    [
        ("masyarakat", "ma-sya-ra-kat"),
        ("Lapangan", "La-pa-ngan"),
        ("Milik", "Mi-lik"),
        ("Peralatan", "Pe-ra-la-tan"),
        ("berkategori", "ber-ka-te-go-ri"),
        ("Anggaran", "Ang-ga-ran"),
        ("Realisasi", "Re-a-li-sa-si"),
        ("Kesejahteraan", "Ke-se-jah-te-ra-an"),
        ("penyediaan", "pe-nye-di-a-an"),
        ("instrumen", "in-stru-men"),
        ("bangkrut", "bang-krut"),
        ("saudara", "sau-da-ra"),
        ("SAKIP", "SAKIP"),
        ("LKjIP", "LKjIP"),
        ("PEMERINTAHAN", "PEMERINTAHAN"),
    ],
)
def test_indonesian_words_break_by_the_rules_of_puebi(word, broken):
    assert penggal(word) == broken


def test_the_kept_dictionary_is_the_rules():
    """hyph_id.dic is written by `python -m renstra.render.pemenggalan` from the rules in that module."""
    assert BERKAS.read_text(encoding="utf-8") == isi()


# --- merged cells ---------------------------------------------------------------------------------


def merged_cells(page) -> list[tuple]:
    """The cells of the page's ruled tables that span rows: another cell's top edge lies inside."""
    found = []
    for table in page.find_tables():
        tops = {round(c[1], 1) for c in table.cells}
        found += [c for c in table.cells if any(c[1] + 0.5 < y < c[3] - 0.5 for y in tops)]
    return found


@pytest.mark.parametrize("table_id", GROUPED)
def test_a_groups_value_is_one_merged_cell_in_the_pdf(table_id, pdf, views):
    view = views[table_id]
    first = next(sel for row in view.baris for sel in row.sel if sel.rowspan > 1 and sel.tampil)
    page = pdf.pages[first_page(pdf, view)]
    texts = [flat(page.crop(cell).extract_text() or "") for cell in merged_cells(page)]
    assert any(t.startswith(flat(first.tampil)[:25]) for t in texts), (table_id, first.tampil, texts[:5])


@pytest.mark.parametrize("table_id", GROUPED)
def test_a_groups_value_is_one_merged_cell_in_the_docx(table_id, docx_bytes, views):
    from renstra.render.docx import tables_by_caption

    word = open_docx(io.BytesIO(docx_bytes))
    table = next(t for t, v in tables_by_caption(word, list(views.values())) if v.id == table_id)
    body = table._tbl.tr_lst[len(views[table_id].kepala) :]
    merges = [tc.tcPr.find(qn("w:vMerge")) for tr in body for tc in tr.tc_lst if tc.tcPr is not None]
    values = [m.get(qn("w:val")) for m in merges if m is not None]
    assert "restart" in values and values.count("restart") < len(values), table_id


def test_merged_cells_keep_their_column_on_the_first_row(views):
    """errata and diff read a group's value at its first row; a covered cell draws nothing."""
    tc25 = views["tc25"]
    tujuan = [row.sel[0] for row in tc25.baris]
    assert tujuan[0].kolom == "tujuan" and tujuan[0].rowspan == len(tc25.baris)
    assert all(c.tertutup and c.kolom is None for c in tujuan[1:])
    # a Unit Kerja or Lokasi merged down a kegiatan's rows is still what each row prints
    tc27 = views["tc27"]
    rows = [r for r in tc27.baris if r.kunci == "4.01.01.2.01.03"]
    assert tc27.values("4.01.01.2.01.03", "lokasi") == ["SEKRETARIAT DAERAH KABUPATEN LUMAJANG"]
    assert rows[0].cell("lokasi").tertutup  # drawn by the kegiatan's cell, 4.01.01.2.01


# --- the T-C.27's pages ---------------------------------------------------------------------------


def test_tc27_holds_at_least_eight_rows_on_most_pages(pdf, raw_tables, views):
    pages = tc27_pages(pdf, views)
    counts = [len(body_rows(raw_tables[i])) for i in pages]
    assert sum(counts) == len(views["tc27"].baris)
    full = counts[:-1]  # the last page holds what is left
    assert statistics.median(full) >= 8, counts
    assert sum(c >= 8 for c in full) >= len(full) * 2 / 3, counts
    assert len(pages) <= 12, counts  # it was 20


def test_no_program_or_kegiatan_row_is_last_on_a_page(pdf, raw_tables, views):
    kelas = {row.kunci: row.kelas for row in views["tc27"].baris}
    pages = tc27_pages(pdf, views)
    for index in pages[:-1]:
        kode = next(row[0] for row in reversed(body_rows(raw_tables[index])) if row[0])
        assert kelas[kode] not in ("program", "kegiatan"), (index + 1, kode)


def test_on_f4_the_tc27_is_set_larger_and_still_holds_eight_rows_a_page(repo_copy, views):
    """F4 (215 × 330 mm) gives the landscape line 33 mm more than A4: the type is larger there."""
    from renstra.document.lebar import TataKolom, huruf
    from renstra.layout import HURUF_TABEL_PT, tata_letak
    from renstra.pipeline import resolved

    path = repo_copy / "data" / "dokumen.yaml"
    path.write_text(path.read_text().replace("kertas: A4", "kertas: F4"))
    f4 = resolved(repo_copy)
    view = f4.view("tc27")
    assert view.skala_huruf > views["tc27"].skala_huruf
    layout = tata_letak(repo_copy, f4.dokumen.tata_letak)
    pt = HURUF_TABEL_PT["tabel-lebar"] * view.skala_huruf
    font = huruf(layout.fonts["regular"], layout.fonts["bold"])
    assert font is not None
    kolom = TataKolom(view, font)
    pages = baris_per_halaman(kolom, view.lebar, pt, layout.tinggi_isi_mm(lanskap=True))
    assert statistics.median(pages[:-1]) >= 8, pages
    assert abs(sum(view.lebar) - layout.garis_mm(lanskap=True)) < 0.1


# --- DOCX tables ----------------------------------------------------------------------------------


def test_docx_tables_have_shaded_bold_repeated_headers_fixed_widths_and_padding(docx_bytes, views):
    from renstra.render.docx import MM, tables_by_caption

    word = open_docx(io.BytesIO(docx_bytes))
    for table, view in tables_by_caption(word, list(views.values())):
        tbl = table._tbl
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        assert tbl.tblPr.find(qn("w:tblCellMar")) is not None, view.id
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert max(abs(g / MM - w) for g, w in zip(grid, view.lebar)) < 0.05, view.id  # the view's mm
        for tr in tbl.tr_lst[: len(view.kepala)]:
            assert tr.trPr.find(qn("w:tblHeader")) is not None
            for tc in tr.tc_lst:
                assert tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) in ("E6E6E6", "F3F3F3"), view.id
        first = tbl.tr_lst[0].tc_lst[0]
        assert all(r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None for r in first.iter(qn("w:r")))
