"""The built PDF, read back with pdfplumber: headings, captions, TOC page numbers, landscape, cells."""

from __future__ import annotations

import re

import pytest

from renstra.problems import RenstraError
from renstra.render.pdf import render_pdf

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
LEADER = re.compile(r"^(?P<title>.+?)\s*\.{4,}\s*(?P<page>[0-9ivx]+)$")


def footer(text: str) -> str:
    return text.strip().splitlines()[-1].strip() if text.strip() else ""


def page_index(pages, printed: str, front: bool) -> int:
    """Physical index of the page whose footer prints `printed` in the given numbering style."""
    candidates = [i for i, (text, _, _) in enumerate(pages) if footer(text) == printed]
    if front:
        candidates = [i for i in candidates if printed in ROMAN]
    else:
        candidates = [i for i in candidates if printed.isdigit()]
    assert len(candidates) == 1, (printed, candidates)
    return candidates[0]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_cover(pdf_pages):
    cover = flat(pdf_pages[0][0])
    for part in (
        "PEMERINTAH KABUPATEN LUMAJANG",
        "RENCANA STRATEGIS",
        "TAHUN 2024-2026",
        "Jl. Alun-Alun Utara No. 7",
        "bag.umum@lumajangkab.go.id",
    ):
        assert part in cover


def _first_body_page(pages) -> int:
    return next(i for i, (t, _, _) in enumerate(pages) if t.splitlines()[1:3] == ["BAB I", "PENDAHULUAN"])


def test_every_bab_and_section_heading(doc, pdf_pages):
    """Each heading stands in the body (front matter: before the Daftar Isi), not only in the Daftar Isi."""
    body_start = _first_body_page(pdf_pages)
    toc = next(i for i, (t, _, _) in enumerate(pdf_pages) if t.splitlines()[1:2] == ["DAFTAR ISI"])
    body = flat(" ".join(t for t, _, _ in pdf_pages[body_start:]))
    front = flat(" ".join(t for t, _, _ in pdf_pages[1:toc]))
    for chapter in doc.chapters:
        text = body if chapter.bab.nomor else front
        for judul in chapter.judul:
            assert flat(f"{judul.nomor} {judul.teks}".strip()) in text or (
                judul.nomor in text and flat(judul.teks) in text
            ), judul


def test_every_table_caption_with_its_number(doc, pdf_pages):
    """Each caption stands on a body page, above its table — not only in the Daftar Tabel."""
    body = pdf_pages[_first_body_page(pdf_pages) :]
    for table_id, table in doc.source.tabel.items():
        caption = flat(f"{doc.labels[table_id]} {table.judul}")
        assert any(caption in flat(text) for text, _, _ in body), table_id


def _toc_entries(pages, heading: str):
    """(title, printed page) of a Daftar Isi/Tabel; a title may wrap onto the next line before its leader."""
    start = next(i for i, (t, _, _) in enumerate(pages) if t.splitlines()[1:2] == [heading])
    entries, pending = [], ""
    for index, (text, _, _) in enumerate(pages[start:], start):
        lines = text.splitlines()[1:-1]  # without the running header and the footer
        if index > start and (
            not lines or lines[0] in ("DAFTAR ISI", "DAFTAR TABEL", "DAFTAR GAMBAR", "BAB I")
        ):
            break  # the next front-matter part or BAB I begins
        for line in lines[1:] if index == start else lines:
            match = LEADER.match(line)
            if match:
                entries.append((f"{pending} {match['title']}".strip(), match["page"]))
                pending = ""
            else:
                pending = f"{pending} {line}".strip()
    return entries


def test_daftar_isi_page_numbers_are_where_headings_land(pdf_pages):
    entries = _toc_entries(pdf_pages, "DAFTAR ISI")
    assert len(entries) == 30  # Kata Pengantar, 8 BAB, 18 sections, the LAMPIRAN and its two parts
    for title, printed in entries:
        index = page_index(pdf_pages, printed, front=printed in ROMAN)
        assert flat(title) in flat(pdf_pages[index][0]), (title, printed)


def test_daftar_tabel_page_numbers_are_where_captions_land(pdf_pages):
    entries = _toc_entries(pdf_pages, "DAFTAR TABEL")
    assert len(entries) == 14
    for title, printed in entries:
        index = page_index(pdf_pages, printed, front=False)
        assert flat(title) in flat(pdf_pages[index][0]), (title, printed)


def test_page_numbers_roman_then_arabic_from_bab_i(pdf_pages):
    assert footer(pdf_pages[1][0]) == "i"  # Kata Pengantar
    bab1 = next(i for i, (t, _, _) in enumerate(pdf_pages) if t.splitlines()[1:3] == ["BAB I", "PENDAHULUAN"])
    assert footer(pdf_pages[bab1][0]) == "1"
    assert footer(pdf_pages[bab1 - 1][0]) in ROMAN


def test_wide_tables_are_on_landscape_pages(doc, pdf_pages):
    for table_id in ("tc23", "tc24", "tc27", "tc28", "cascading"):
        label = doc.labels[table_id]
        pages = [
            (w, h)
            for t, w, h in pdf_pages
            if f"{label} {doc.source.tabel[table_id].judul}"[:40] in flat(t) and "DAFTAR TABEL" not in t
        ]
        assert pages, table_id
        assert all(w > h for w, h in pages), table_id
    pegawai = [(w, h) for t, w, h in pdf_pages if "Tabel 2.1 Daftar pegawai" in flat(t)]
    assert pegawai and all(w < h for w, h in pegawai)


def _tc27_pages(pdf_pages):
    start = next(
        i
        for i, (t, _, _) in enumerate(pdf_pages)
        if "Tabel 6.1 Rencana Program" in flat(t) and "DAFTAR TABEL" not in t
    )
    end = start
    while end < len(pdf_pages) and pdf_pages[end][1] > pdf_pages[end][2]:
        end += 1
    return range(start, end)


def test_multi_page_table_repeats_its_header(pdf_pages, pdf_tables):
    pages = _tc27_pages(pdf_pages)
    assert len(pages) >= 5
    for index in pages:
        rows = pdf_tables[index]
        assert rows[0][:3] == [
            "Kode",
            "Sasaran Program/Kegiatan/Sub Kegiatan",
            "Program/Kegiatan/Sub Kegiatan",
        ], index
        assert "Akhir Periode" in rows[0]
        assert [c for c in rows[1] if c] == ["Target", "Rp"] * 4
        assert rows[2][:3] == ["1", "2", "3"]


def _row(pdf_tables, first_cell: str) -> list[str]:
    rows = [row for page in pdf_tables for row in page if row and row[0] == first_cell]
    assert len(rows) == 1, (first_cell, len(rows))
    return rows[0]


def test_deep_rows_of_tc27_with_rupiah(pdf_tables):
    gaji = _row(pdf_tables, "4.01.01.2.02.01")
    assert gaji[2] == "Penyediaan Gaji dan Tunjangan ASN"
    assert gaji[7:15] == [
        "86 orang/12 bulan",
        "Rp9.419.360.139",
        "86 orang/12 bulan",
        "Rp10.361.296.153",
        "86 orang/12 bulan",
        "Rp11.397.425.768",
        "86 orang/36 bulan",
        "Rp31.178.082.060",
    ]
    bina = _row(pdf_tables, "4.01.02.2.02.01")
    assert bina[8] == "Rp32.409.503.600"
    assert bina[13:15] == ["73 dokumen", "Rp105.683.170.950"]


def test_tc27_total_row_is_the_sum_of_programs(doc, pdf_tables):
    from renstra.document import numbers as angka

    total = [row for page in pdf_tables for row in page if row and row[0] == "Total Pendanaan Renstra"]
    assert len(total) == 1
    tc27 = doc.source.tabel["tc27"]
    expected = [angka.rupiah(sum(p.pagu[y] for p in tc27.program)) for y in (2024, 2025, 2026)]
    assert [c for c in total[0] if c.startswith("Rp")][:3] == expected


def test_sample_cells_of_every_table(pdf_tables):
    cells = {cell for page in pdf_tables for row in page for cell in row}
    samples = [
        "BAG. TATA PEMERINTAHAN",
        "Rp39.315.093.924",
        "Kendaraan roda 3",
        "Indeks Kepuasan Masyarakat Pelayanan Keprotokolan",
        "99,7%",
        "Program Pelayanan Administrasi Perkantoran",
        "PERANGKAT DAERAH, LEMBAGA KEAGAMAAN DAN KELOMPOK MASYARAKAT",
        "Lbh Posbakummadin dan Kejaksaan Negeri Lumajang",
        "Belum optimalnya penyelenggaraan reformasi birokrasi",
        "Indeks tata kelola pengadaan",
        "60 (B-)",
        "83,5",
        "51,48",
        "Fasilitasi Penyusunan Program Pembangunan",
        "Meningkatkan nilai Indeks tata kelola pengadaan",
        "Bagian Pengadaan Barang dan Jasa",
    ]
    for sample in samples:
        assert sample in cells, sample


def test_simple_table_totals_are_derived(pdf_tables):
    assert _row(pdf_tables, "JUMLAH")[2:] == ["4", "3", "8", "16", "61", "92", "146", "167", "64", "238"]
    kendaraan = _row(pdf_tables, "Total")
    assert kendaraan[-2:] == ["180 unit", "Rp18.379.739.554"]


def test_signature_block(pdf_pages):
    last = next(flat(text) for text, _, _ in pdf_pages if "NIP. 19690507" in text)  # BAB VIII's end
    assert "Lumajang, …………………… SEKRETARIS DAERAH" in last  # the corrected edition, to be dated
    assert "Drs. AGUS TRIYONO, M.Si. NIP. 19690507 198903 1 004" in last


def test_fonts_are_embedded(pdf_path):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any(name.endswith("+Dokumen") for name in fonts)


def test_rendering_refuses_files_outside_the_repository(html):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    bad = html.replace("</body>", '<img src="file:///etc/hostname"></body>')
    with pytest.raises(RenstraError) as caught:
        render_pdf(bad, root)
    assert "sumber di luar repositori ditolak: file:///etc/hostname" in str(caught.value)


def test_a_refusal_in_a_layout_process_reaches_the_user_as_the_same_error():
    """Chapters are laid out in other processes: the error must cross over whole, problems and all."""
    from pathlib import Path

    from renstra.render.layout_processes import layout_chapter, layout_pool

    root = Path(__file__).resolve().parent.parent
    bad = '<html><body><p>BAB I</p><img src="file:///etc/hostname"></body></html>'
    with layout_pool(workers=1) as pool, pytest.raises(RenstraError) as caught:
        pool.submit(layout_chapter, bad, str(root)).result()
    assert [p.message for p in caught.value.problems] == [
        "sumber di luar repositori ditolak: file:///etc/hostname"
    ]


def test_paper_and_font_are_settings(repo_copy):
    from renstra.document.resolve import resolve
    from renstra.render.html import render_html
    from renstra.source.load import load

    path = repo_copy / "data" / "dokumen.yaml"
    path.write_text(
        path.read_text().replace("kertas: A4", "kertas: F4").replace("huruf: sans", "huruf: serif")
    )
    html = render_html(resolve(load(repo_copy)))
    assert "size: 215mm 330mm;" in html and "size: 330mm 215mm;" in html  # portrait and landscape pages
    assert "texgyrebonum-regular.otf" in html and "LiberationSans" not in html


def test_missing_font_is_an_error_not_a_substitution(repo_copy):
    from renstra.document.resolve import resolve
    from renstra.render.html import render_html
    from renstra.source.load import load

    (repo_copy / "fonts" / "LiberationSans-Bold.ttf").unlink()
    with pytest.raises(RenstraError) as caught:
        render_html(resolve(load(repo_copy)))
    assert [str(p) for p in caught.value.problems] == [
        "data/dokumen.yaml:1:1: galat: berkas huruf fonts/LiberationSans-Bold.ttf tidak ada "
        "(kembalikan berkas huruf dari repositori (git checkout fonts/))"
    ]


def test_after_editing_one_chapter_the_incremental_pdf_equals_a_cold_build(tmp_path):
    """Only the edited chapter is laid out again, and the result is the cold build, byte for byte:
    the same pages, page numbers, Daftar Isi, Daftar Tabel, links and bookmarks (of a small document:
    the mechanism does not depend on its size)."""
    from conftest import kecil

    from renstra.document.resolve import resolve
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel
    from renstra.source.load import load

    root = kecil(tmp_path / "dokumen")
    warm = tmp_path / "cache"
    render_pdf_paralel(Bagian.of(resolve(load(root))), cache=warm)
    bab3 = root / "content" / "03-permasalahan-isu-strategis.md"
    text = bab3.read_text()
    assert text.count("\n\n") > 2
    bab3.write_text(text.replace("\n\n", "\n\nKalimat baru yang disisipkan.\n\n", 1))
    before = set(warm.iterdir())
    bagian = Bagian.of(resolve(load(root)))
    incremental = render_pdf_paralel(bagian, cache=warm)
    assert len(set(warm.iterdir()) - before) == 2  # one chapter laid out again: its .pdf and .json
    cold = render_pdf_paralel(bagian, cache=None)
    assert incremental == cold


def test_a_part_laid_out_with_the_processs_parsed_sheet_is_the_part_laid_out_alone(tmp_path, monkeypatch):
    """A layout process parses the style sheet once and gives it to WeasyPrint apart (of the user's
    origin, not the author's): every part — chapters, cover with Kata Pengantar, the lists — comes out
    byte for byte as when laid out from its own <style>, twice in a row."""
    from conftest import kecil

    from renstra.document.resolve import resolve
    from renstra.render.html import DAFTAR, PEMBUKA, Bagian
    from renstra.render.pdf import laid_out, weasy_html
    from renstra.render.pdf_parallel import _chapter_htmls
    from renstra.source.load import load

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1683000000")
    root = kecil(tmp_path / "dokumen")
    bagian = Bagian.of(resolve(load(root)))
    parts = _chapter_htmls(bagian) + [bagian.html(isi=[], depan=d) for d in (PEMBUKA, DAFTAR)]
    assert all(part.count("<style>") == 1 for part in parts)  # what laid_out takes apart
    for part in parts + parts[:1]:
        assert laid_out(part, root).write_pdf() == weasy_html(part, root).render().write_pdf()


def test_bookmarks_and_toc_links_point_at_their_pages(pdf_path, pdf_pages):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    marks = {
        flat(item.title): reader.get_destination_page_number(item)  # "BAB\u00a0VI …": flat as a space
        for item in reader.outline
        if not isinstance(item, list)
    }
    bab6 = marks["BAB VI RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN"]
    assert pdf_pages[bab6][0].splitlines()[1:3] == ["BAB VI", "RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN"]
    toc = next(i for i, (t, _, _) in enumerate(pdf_pages) if t.splitlines()[1:2] == ["DAFTAR ISI"])
    dests = [annot.get_object().get("/Dest") for annot in reader.pages[toc]["/Annots"]]
    assert dests and all(not isinstance(d, str) for d in dests)  # no link to a name that is not there
    targets = {d[0].idnum for d in dests if d is not None}
    page_ids = [page.indirect_reference.idnum for page in reader.pages]
    assert page_ids[bab6] in targets


def test_running_header_text_is_escaped_for_css_not_html(repo_copy):
    from renstra.document.resolve import resolve
    from renstra.render.html import Bagian
    from renstra.source.load import load

    path = repo_copy / "data" / "dokumen.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "singkatan: Setda\n", "singkatan: Setda\njudul_singkat: 'Renstra Setda & \"Lumajang\"'\n"
        )
    )
    css = Bagian.of(resolve(load(repo_copy))).css()
    assert 'content: "Renstra Setda \\26  \\22 Lumajang\\22 ";' in css
    assert "&amp;" not in css and "&#34;" not in css


def _chapter_starts(pdf_path) -> list[int]:
    """The page index where each BAB begins, from the PDF's bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    return sorted(
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list) and flat(item.title).startswith("BAB ")
    )


def test_no_body_page_with_three_lines_or_fewer(pdf_path, pdf_pages):
    """No page of the body holds three lines of text or fewer (its running header and page number
    aside) — such as the last lines of a paragraph left on a portrait page because the landscape
    table it introduces starts a new page. Not counted: the cover and the front matter (each part
    of it is as long as its list), and the last page of a BAB: every BAB starts on a new page, so
    where the one before ends is the length of its text, not a break the layout chose."""
    starts = _chapter_starts(pdf_path)
    assert len(starts) == 8
    last_pages = {start - 1 for start in starts[1:]} | {len(pdf_pages) - 1}
    short = []
    for index in range(starts[0], len(pdf_pages)):
        lines = pdf_pages[index][0].strip().splitlines()[1:-1]
        if index not in last_pages and len(lines) <= 3:
            short.append((index + 1, lines))
    assert short == []


def test_the_lead_in_stands_with_its_landscape_table(doc, pdf_pages):
    """The paragraph that introduces the Cascading table and TC-28 is on the table's landscape page."""
    for table_id, words in (
        ("cascading", "dapat dilihat pada Tabel 4.2"),
        ("tc28", "dilihat pada Tabel 7.2"),
    ):
        caption = flat(doc.view(table_id).keterangan)
        page = next(p for p in pdf_pages if caption in flat(p[0]) and "DAFTAR TABEL" not in p[0])
        assert words in flat(page[0]) and page[1] > page[2], table_id


def test_a_label_and_its_number_are_never_on_two_lines(pdf_pages):
    """'Tabel 4.2', 'Gambar 1.1', 'BAB IV': a non-breaking space holds them on one line (pdfplumber
    reads it back as a space)."""
    split = re.compile(
        r"\b(?:Tabel|Gambar)[ \u00a0]*\n[ \u00a0]*\d+\.\d+|\bBAB[ \u00a0]*\n[ \u00a0]*[IVXL]+\b"
    )
    found = [
        (index + 1, m.group(0)) for index, (text, _, _) in enumerate(pdf_pages) for m in split.finditer(text)
    ]
    assert found == []
    assert any("Tabel 4.2 dibawah ini" in flat(text) for text, _, _ in pdf_pages)


def test_which_lead_in_goes_onto_the_landscape_page():
    """The paragraph right before a landscape table, with the subbab headings right above it; not a
    portrait table's, and not the paragraph that opens a BAB (its title stays on a portrait page)."""
    from renstra.render.html import keep_lead_in

    subbab = '<p>Lain.</p>\n<h2 id="sub-4-2">4.2 Judul</h2>\n<p>Lihat Tabel 4.2.</p>\n<p>%%SLOT:tabel:lebar%%</p>\n'
    assert keep_lead_in(subbab, {"lebar"}) == (
        '<p>Lain.</p>\n<div class="lanskap">\n<h2 id="sub-4-2">4.2 Judul</h2>\n<p>Lihat Tabel 4.2.</p>\n'
        "<p>%%SLOT:tabel:lebar%%</p>\n</div>\n"
    )
    assert keep_lead_in(subbab, set()) == subbab
    opening = '<h1 id="bab-6">BAB VI</h1>\n<p>Lihat Tabel 6.1.</p>\n<p>%%SLOT:tabel:lebar%%</p>\n'
    assert keep_lead_in(opening, {"lebar"}) == opening
    after_table = "<p>%%SLOT:tabel:lebar%%</p>\n<p>%%SLOT:tabel:lebar2%%</p>\n"
    assert keep_lead_in(after_table, {"lebar", "lebar2"}) == after_table
