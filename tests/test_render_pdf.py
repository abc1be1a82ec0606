"""The built PDF, read back with pdfplumber: headings, captions, TOC page numbers, landscape, cells."""
from __future__ import annotations

import re

import pytest

from renstra.naskah import prepare
from renstra.render_pdf import render_pdf
from renstra.problems import RenstraError

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
    for part in ("PEMERINTAH KABUPATEN LUMAJANG", "RENCANA STRATEGIS", "TAHUN 2024-2026",
                 "Jl. Alun-Alun Utara No. 7", "bag.umum@lumajangkab.go.id"):
        assert part in cover


def test_every_bab_and_section_heading(doc, pdf_pages):
    text = flat(" ".join(t for t, _, _ in pdf_pages))
    chapters, _ = prepare(doc)
    for chapter in chapters:
        for judul in chapter.judul:
            assert flat(f"{judul.nomor} {judul.teks}".strip()) in text or \
                (judul.nomor in text and flat(judul.teks) in text), judul


def test_every_table_caption_with_its_number(doc, pdf_pages):
    text = flat(" ".join(t for t, _, _ in pdf_pages))
    _, penomoran = prepare(doc)
    for table_id, table in doc.tabel.items():
        assert flat(f"{penomoran.label[table_id]} {table.judul}") in text, table_id


def _toc_entries(pages, heading: str):
    start = next(i for i, (t, _, _) in enumerate(pages) if t.strip().startswith(heading))
    entries = []
    for index in range(start, len(pages)):
        lines = pages[index][0].splitlines()
        if index > start and not any(LEADER.match(l) for l in lines):
            break
        entries += [LEADER.match(l).groupdict() for l in lines if LEADER.match(l)]
    return entries


def test_daftar_isi_page_numbers_are_where_headings_land(pdf_pages):
    entries = _toc_entries(pdf_pages, "DAFTAR ISI")
    assert len(entries) > 30
    for entry in entries:
        front = entry["page"] in ROMAN
        index = page_index(pdf_pages, entry["page"], front)
        title = entry["title"]
        body = flat(pdf_pages[index][0])
        assert flat(title.split(" ", 2)[-1])[:25] in body, (title, entry["page"])


def test_daftar_tabel_page_numbers_are_where_captions_land(pdf_pages):
    entries = _toc_entries(pdf_pages, "DAFTAR TABEL")
    assert len(entries) == 14
    for entry in entries:
        index = page_index(pdf_pages, entry["page"], front=False)
        label = " ".join(entry["title"].split()[:2])  # "Tabel 6.1"
        assert label in pdf_pages[index][0], (entry, index)


def test_page_numbers_roman_then_arabic_from_bab_i(pdf_pages):
    assert footer(pdf_pages[1][0]) == "i"  # Kata Pengantar
    bab1 = next(i for i, (t, _, _) in enumerate(pdf_pages) if t.startswith("BAB I\nPENDAHULUAN") or "BAB I PENDAHULUAN" in t.split("\n")[0:3])
    assert footer(pdf_pages[bab1][0]) == "1"


def test_wide_tables_are_on_landscape_pages(doc, pdf_pages):
    _, penomoran = prepare(doc)
    for table_id in ("tc23", "tc24", "tc27", "tc28", "cascading"):
        label = penomoran.label[table_id]
        pages = [(w, h) for t, w, h in pdf_pages if f"{label} {doc.tabel[table_id].judul}"[:40] in flat(t)]
        assert pages, table_id
        assert all(w > h for w, h in pages), table_id
    pegawai = [(w, h) for t, w, h in pdf_pages if "Tabel 2.1 Daftar pegawai" in flat(t)]
    assert pegawai and all(w < h for w, h in pegawai)


def test_multi_page_table_repeats_its_header(pdf_pages):
    start = next(i for i, (t, _, _) in enumerate(pdf_pages) if "Tabel 6.1 Rencana Program" in flat(t))
    tc27_pages = []
    for text, w, h in pdf_pages[start:]:
        if w < h:
            break
        tc27_pages.append(text)
    assert len(tc27_pages) >= 5
    for text in tc27_pages:
        assert "Formulasi Penghitungan" in text and "Akhir Periode" in text and "Target Rp" in flat(text)


def test_deep_rows_of_tc27_with_rupiah(pdf_pages):
    text = flat(" ".join(t for t, _, _ in pdf_pages))
    assert re.search(r"4\.01\.01\.2\.02\.01 .*?Rp9\.419\.360\.139", text)
    assert "Rp10.361.296.153" in text and "Rp11.397.425.768" in text
    assert "Rp31.178.082.060" in text  # Akhir Periode of 4.01.01.2.02.01: the sum of the three years


def test_sample_cells_of_every_table(pdf_pages):
    text = flat(" ".join(t for t, _, _ in pdf_pages))
    samples = [
        "BAG. TATA PEMERINTAHAN",          # 2.1
        "GOLONGAN PERALATAN DAN MESIN",    # 2.2
        "Rp39.315.093.924",
        "Kendaraan roda 3",                # 2.3
        "Indeks Kepuasan Masyarakat Pelayanan Keprotokolan",  # 2.4
        "Program Pelayanan Administrasi Perkantoran",          # 2.5
        "PERANGKAT DAERAH, LEMBAGA KEAGAMAAN DAN KELOMPOK MASYARAKAT",  # 2.6
        "Lbh Posbakummadin dan Kejaksaan Negeri Lumajang",     # 2.7
        "Belum optimalnya penyelenggaraan reformasi birokrasi",  # 3.1
        "Indeks tata kelola pengadaan",    # 4.1, 7.1, 7.2
        "60 (B-)",
        "Fasilitasi Penyusunan Program Pembangunan",  # 4.2
        "Meningkatkan nilai Indeks tata kelola pengadaan",  # 5.1
        "Bagian Pengadaan Barang dan Jasa",  # 7.1
        "51,48",                           # 7.2 kondisi awal, Indonesian decimals
        "83,5",
    ]
    for sample in samples:
        assert sample in text, sample


def test_signature_block(pdf_pages):
    last = flat(pdf_pages[-1][0])
    assert "Lumajang, 2 Mei 2023 SEKRETARIS DAERAH" in last
    assert "Drs. AGUS TRIYONO, M.Si." in last


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
