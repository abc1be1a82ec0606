"""Editions: the signed text rebuilt by reversing every koreksi, the corrected edition with its computed
Daftar Koreksi, errata whose differences are computed, and the spelling check."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from renstra.check import check, ejaan
from renstra.document import edisi
from renstra.document.resolve import resolve
from renstra.pipeline import output_name, resolved

ROOT = Path(__file__).resolve().parent.parent


def _bare(text: str) -> str:
    """A printed value without the separators and empty-cell markers an entry writes it with."""
    return re.sub(r"[\s|,]|\(kosong\)|\(tidak tercetak\)", "", text)


def _texts(view):
    return [[c.tampil for c in r.sel] for r in view.baris]


def test_every_koreksi_reverses_and_round_trips(doc):
    """Reverse every koreksi (the signed text) and apply it forward again: the data comes back, cell for
    cell, chapter for chapter; and every koreksi was placed — none is left out of the signed edition."""
    koreksi = [e for e in doc.errata.koreksi if e.jenis == "koreksi"]
    assert len(koreksi) > 350
    placed = 0
    for table_id in doc.source.tabel:
        view = doc.view(table_id)
        entries = doc.koreksi_of(table_id)
        signed = copy.deepcopy(view)
        assert edisi.reverse_view(signed, entries) == []
        for entry in entries:
            if entry.sekarang == edisi.DIHAPUS:
                assert any(r.kunci == entry.baris and r.kelas == "tercetak" for r in signed.baris)
            else:
                printed = edisi.tempat(signed, entry.baris, entry.kolom).printed
                assert _bare(entry.tercetak) in [_bare(p) for p in printed], entry
        placed += len(entries)
        assert edisi.reverse_view(signed, list(reversed(entries)), forward=True) == []
        assert _texts(signed) == _texts(view), table_id
    for chapter in doc.chapters:
        entries = doc.koreksi_of(chapter.bab.path)
        signed = copy.deepcopy(chapter)
        assert edisi.reverse_chapter(signed, entries) == []
        placed += len(entries)
        assert edisi.reverse_chapter(signed, list(reversed(entries)), forward=True) == []
        assert signed.markdown == chapter.markdown
        assert [j.teks for j in signed.judul] == [j.teks for j in chapter.judul]
    assert placed == len(koreksi)


@pytest.fixture(scope="session")
def tercetak_pdf(doc, tmp_path_factory):
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel

    signed = resolve(doc.source, edisi.TERCETAK)
    folder = tmp_path_factory.mktemp("tercetak")  # a cache of its own: it runs beside the session's PDF
    path = folder / "tercetak.pdf"
    path.write_bytes(render_pdf_paralel(Bagian.of(signed), cache=folder / "cache"))
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_signed_edition_prints_what_was_signed(tercetak_pdf):
    source = (ROOT / "sumber" / "renstra-2023-teks-tertandatangan.txt").read_text()
    # program 4.01.01 2024 as signed, kegiatan 4.01.01.2.14 2026, the narrative's counts
    assert "Rp 82,238,051,580" in source and "Rp82.238.051.580" in tercetak_pdf
    assert "Rp82.465.101.580" not in tercetak_pdf
    assert "1,460,790,000" in source and "Rp1.460.790.000" in tercetak_pdf
    for phrase in (
        "sebanyak 231 orang",
        "72 sub",
        "Penyelenggaran Urusan PD",
        "Kota Lumajang",
        "2018 - 2023",
    ):
        assert phrase.split()[-1] in source
        assert phrase in re.sub(r"\s+", " ", tercetak_pdf), phrase
    assert re.search(r"Lumajang, 2 Mei 2023\s+SEKRETARIS DAERAH", tercetak_pdf)
    assert "DAFTAR KOREKSI" not in tercetak_pdf and "koreksi" not in tercetak_pdf.lower()


def test_corrected_edition_lists_every_entry_and_is_not_signed_2023(doc, pdf_pages, pdf_path):
    text = "\n".join(page for page, _, _ in pdf_pages)
    assert "Lumajang, 2 Mei 2023" not in text
    assert re.search(r"Lumajang, …+\s+SEKRETARIS DAERAH", text)  # to be dated when signed
    assert re.search(r"LAMPIRAN DAFTAR KOREKSI ?\.+ \d+", text)  # the Daftar Isi lists it
    outline = [item.title for item in PdfReader(pdf_path).outline if not isinstance(item, list)]
    assert any("DAFTAR KOREKSI" in title for title in outline)
    koreksi = [e for e in doc.errata.koreksi if e.jenis == "koreksi"]
    catatan = [e for e in doc.errata.koreksi if e.jenis == "catatan"]
    assert len(doc.view("daftar-koreksi").baris) == len(koreksi)
    assert len(doc.view("daftar-catatan").baris) == len(catatan)
    # each under a heading of its own, listed in the Daftar Isi; not numbered among the data's tables
    assert re.search(rf"Koreksi \({len(koreksi)}\) ?\.+ \d+", text)
    assert re.search(rf"Catatan \({len(catatan)}\) ?\.+ \d+", text)
    assert "Tabel L." not in text and len(doc.views()) == 14
    # the difference is computed: program 4.01.01 2024, whose typed note once said "selisih Rp1"
    row = next(
        r
        for r in doc.view("daftar-koreksi").baris
        if r.sel[2].teks == "4.01.01" and r.sel[3].teks == "pagu.2024"
    )
    assert [c.teks for c in row.sel[4:7]] == ["Rp82.238.051.580", "Rp82.465.101.580", "+Rp227.050.000"]
    assert "+Rp227.050.000" in text
    # the narrative says where the annex is, in one sentence
    assert "tercantum dalam LAMPIRAN Daftar Koreksi." in re.sub(r"\s+", " ", text)


def test_output_name_says_the_edition():
    assert output_name(ROOT) == "renstra-setda-lumajang-2024-2026"
    assert output_name(ROOT, "tercetak") == "renstra-setda-lumajang-2024-2026-tercetak-2023"


def _errata_line(path, needle):
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines) if needle in line) + 1


def test_typed_difference_that_disagrees_is_a_galat(repo_copy):
    errata = repo_copy / "data" / "errata.yaml"
    text = errata.read_text()
    old = 'alasan: "Total diturunkan dari jumlah nilai lima golongan; cetakan kemungkinan dibulatkan.'
    assert old in text
    errata.write_text(
        text.replace(old, old.replace("cetakan kemungkinan", "cetakan selisih Rp5, kemungkinan"))
    )
    line = _errata_line(errata, "cetakan selisih Rp5")
    column = errata.read_text().splitlines()[line - 1].index("selisih Rp5") + 1
    found = [str(p) for p in check(resolved(repo_copy)) if p.level == "galat"]
    assert found == [
        f"data/errata.yaml:{line}:{column}: galat: alasan menyebut selisih Rp5, padahal selisih "
        "Rp 69,035,655,794 → Rp69.035.655.795 adalah Rp1 (hapus selisih dari alasan: Daftar Koreksi "
        "menghitungnya sendiri)"
    ]


def test_koreksi_that_changes_nothing_is_a_galat(repo_copy):
    errata = repo_copy / "data" / "errata.yaml"
    text = errata.read_text()
    old = '    tercetak: "201 unit"\n    sekarang: "180 unit"'
    errata.write_text(text.replace(old, '    tercetak: "180 unit"\n    sekarang: "180 unit"'))
    line = _errata_line(errata, 'tercetak: "180 unit"') - 3  # the entry's jenis
    found = [str(p) for p in check(resolved(repo_copy)) if p.level == "galat"]
    assert found == [
        f"data/errata.yaml:{line}:12: galat: koreksi tanpa perubahan: 'tercetak' sama dengan 'sekarang' "
        "(ketidaksesuaian yang dibiarkan seperti tercetak ditulis jenis: catatan)"
    ]


def test_spelling_finds_planted_slips_and_passes_the_word_list(repo_copy):
    chapter = repo_copy / "content" / "08-penutup.md"
    lines = chapter.read_text().splitlines()
    lines[2] = "Renstra ini disusun dengan cermat oleh Pemerintahn daerah."
    chapter.write_text("\n".join(lines) + "\n")
    tc27 = repo_copy / "data" / "tc27.yaml"
    text = tc27.read_text()
    assert "Terlaksananya Fasilitasi" in text
    tc27.write_text(text.replace("Terlaksananya Fasilitasi", "Terlaksananya Fasilitassi", 1))
    cell_line = _errata_line(tc27, "Fasilitassi")
    cell_col = tc27.read_text().splitlines()[cell_line - 1].index("Fasilitassi") + 1
    doc = resolved(repo_copy)
    found = [str(p) for p in ejaan.check(doc, saran=True) if "ejaan" in p.message]
    assert found == [
        "content/08-penutup.md:3:40: peringatan: ejaan: 'Pemerintahn' tidak dikenal (maksud Anda Pemerintah, "
        "Pemerintahan?; bila benar, tambahkan ke data/kamus.txt)",
        f"data/tc27.yaml:{cell_line}:{cell_col}: peringatan: ejaan: 'Fasilitassi' tidak dikenal (maksud Anda "
        "Fasilitasi?; bila benar, tambahkan ke data/kamus.txt)",
    ]
    kamus = repo_copy / "data" / "kamus.txt"
    kamus.write_text(kamus.read_text() + "pemerintahn\nfasilitassi\n")
    assert [p for p in ejaan.check(resolved(repo_copy)) if "ejaan" in p.message] == []


def test_identity_contradictions_are_peringatan(repo_copy):
    chapter = repo_copy / "content" / "08-penutup.md"
    lines = chapter.read_text().splitlines()
    lines[2] = "Renstra Sekretariat Daerah Kota Lumajang tahun 2019-2023 disusun ulang."
    chapter.write_text("\n".join(lines) + "\n")
    found = [str(p) for p in ejaan.check(resolved(repo_copy)) if p.path == "content/08-penutup.md"]
    assert found == [
        "content/08-penutup.md:3:28: peringatan: 'Kota Lumajang' dalam dokumen Kabupaten Lumajang (maksudnya "
        "Kabupaten Lumajang?)",
        "content/08-penutup.md:3:48: peringatan: periode Renstra 2019–2023 bukan periode dokumen ini (periode "
        "dokumen ini 2024–2026 (data/dokumen.yaml))",
    ]


def test_a_build_does_not_wait_for_the_spelling_check(repo_copy):
    """Spelling only ever warns: make check reports it, a build skips it (it costs a second cold)."""
    from renstra.pipeline import checked

    chapter = repo_copy / "content" / "08-penutup.md"
    chapter.write_text(chapter.read_text() + "\nKata Pemerintahn salah ketik.\n")
    assert any("Pemerintahn" in p.message for p in check(resolved(repo_copy)))
    assert not any("Pemerintahn" in p.message for p in check(resolved(repo_copy), galat_saja=True))
    assert checked(repo_copy).cetakan == edisi.PERBAIKAN  # builds regardless
