"""Sheets as printed: every planted finding at its cell and nothing else, the header found in each
layout, both number conventions, and one clear message for a file that cannot be read.

The fixtures are written by tests/fixtures/lembar/buat.py (its comments name each plant)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from renstra.cli import main
from renstra.sheet import angka, grid, kepala
from renstra.sheet.periksa import periksa

LEMBAR = Path(__file__).resolve().parent / "fixtures" / "lembar"


def found(name: str, **kwargs) -> list[str]:
    return [str(t) for t in periksa(LEMBAR / name, name, **kwargs)]


@pytest.mark.parametrize("name", ["bersih.xlsx", "bersih.csv", "bersih.html", "bersih.ods"])
def test_a_clean_sheet_has_no_finding_in_any_format(name):
    assert found(name) == []


def test_each_kind_of_error_at_its_cell_and_nothing_else():
    assert found("salah.xlsx") == [
        "salah.xlsx:Sheet1!M6: galat: pagu 2027 2.16 Rp7.234.549.713 ≠ jumlah program Rp7.234.549.712 (selisih Rp1)",
        "salah.xlsx:Sheet1!K8: galat: Rp 2026 kegiatan 2.16.01.2.01 kosong (wajib diisi)",
        "salah.xlsx:Sheet1!J10: galat: satuan campur dalam satu indikator: 'Paket' di target 2026, 'Dokumen' di kolom Satuan",
        "salah.xlsx:Sheet1!N10: galat: Akhir Periode target 2 ≠ jumlah tahun 7 (aturan jumlah, satuan 'Dokumen')",
        "salah.xlsx:Sheet1!A11: galat: kode 2.16.01.2.01.01 ganda: sudah dipakai di Sheet1!A10",
        "salah.xlsx:Sheet1!O11: galat: Akhir Periode Rp47.496.043.200 ≠ jumlah tahun Rp54.309.150 (selisih Rp47.441.734.050)",
        "salah.xlsx:Sheet1!I12: galat: pagu 2025 2.16.01.2.02 Rp6.125.431.000 ≠ jumlah sub kegiatan Rp6.125.430.000 (selisih Rp1.000)",
        "salah.xlsx:Sheet1!A13: galat: kode 2.16.01.2.03.01 tidak berawalan kode induknya 2.16.01.2.02",
        "salah.xlsx:Sheet1!J13: galat: target 2026 0,95 ditulis sebagai pecahan; persen ditulis skala 0–100 (maksudnya 95?)",
        "salah.xlsx:Sheet1!K14: galat: pagu 2026 2.16.02 Rp433.124.500 ≠ jumlah kegiatan Rp433.125.000 (selisih Rp500)",
        "salah.xlsx:Sheet1!N14: galat: Akhir Periode target 97 ≠ target tahun terakhir 95 (aturan terakhir, satuan 'persen')",
        "salah.xlsx:Sheet1!O15: galat: Akhir Periode Rp 2.16.02.2.01 'dua juta' bukan angka",
        "salah.xlsx:Sheet1!A16: galat: kode '2.16.02.2.01.1' tidak sesuai format: kode sub kegiatan berbentuk 4.01.01.2.01.01",
        "salah.xlsx:Sheet1!I17: galat: Total 2025 Rp6.576.864.385 ≠ jumlah bidang urusan Rp6.576.864.375 (selisih Rp10)",
    ]


def test_an_indicator_rule_can_be_overridden_by_name():
    """The planted count's Akhir Periode 2 is its last year's target: under 'terakhir' it holds."""
    kept = found("salah.xlsx", aturan={"Jumlah dokumen perencanaan yang tersusun": "terakhir"})
    assert not any("Sheet1!N10" in line for line in kept)
    assert len(kept) == 13


def test_five_years_labelled_tahun_1_to_5():
    assert found("lima-tahun.xlsx") == [
        "lima-tahun.xlsx:Sheet1!S15: galat: Akhir Periode Rp1 ≠ jumlah tahun Rp2.268.750.000 (selisih Rp2.268.749.999)"
    ]
    head = kepala.cari(grid.read(LEMBAR / "lima-tahun.xlsx")[0])
    assert [(t.label, t.ke, t.kalender) for t in head.tahun] == [(f"Tahun-{i}", i, None) for i in range(1, 6)]


def test_a_sheet_without_sub_kegiatan():
    assert found("tanpa-sub.xlsx") == [
        "tanpa-sub.xlsx:Sheet1!M7: galat: pagu 2027 2.16.01 Rp6.780.799.719 ≠ jumlah kegiatan Rp6.780.799.712 (selisih Rp7)"
    ]


def test_kode_split_over_five_cells_with_a_comma_typed():
    assert found("kode-lima.xlsx") == [
        "kode-lima.xlsx:Sheet1!D15: galat: kode '2.16.02.2,01' tidak sesuai format: kode kegiatan berbentuk 4.01.01.2.01"
    ]
    head = kepala.cari(grid.read(LEMBAR / "kode-lima.xlsx")[0])
    assert head.kolom["kode"] == [1, 2, 3, 4, 5]


def test_kode_in_one_cell_in_html_with_rowspans_and_us_numbers_at_its_line():
    assert found("kode-satu.html") == [
        "kode-satu.html:13: galat: Akhir Periode Rp1.000 ≠ jumlah tahun Rp68.330.980 (selisih Rp68.329.980)"
    ]


def test_csv_with_semicolons_a_year_of_dashes_and_an_akhir_periode_count():
    assert found("salah.csv") == [
        "salah.csv:3: galat: kolom Rp 2027 hanya berisi nol atau '-' (tahun ini belum diisi?)",
        "salah.csv:11: galat: Akhir Periode target 11 ≠ jumlah tahun 12 (aturan jumlah, satuan 'Laporan')",
    ]


@pytest.mark.parametrize(
    "name, message",
    [
        ("kosong.xlsx", "kosong.xlsx: galat: berkas kosong"),
        (
            "rusak.xlsx",
            "rusak.xlsx: galat: bukan berkas .xlsx yang sah (simpan ulang dari Excel atau LibreOffice "
            "(File is not a zip file))",
        ),
        (
            "terkunci.xlsx",
            "terkunci.xlsx: galat: berkas terkunci kata sandi (buka di Excel atau LibreOffice, hapus kata "
            "sandinya, lalu simpan ulang sebagai .xlsx)",
        ),
        (
            "tanpa-kepala.xlsx",
            "tanpa-kepala.xlsx: galat: tidak ditemukan kepala tabel T-C.27, T-C.28 atau T-C.25 (baris kepala "
            "memuat 'Kode' (atau 'Tujuan') dan 'Indikator')",
        ),
        ("tidak-ada.xlsx", "tidak-ada.xlsx: galat: berkas tidak ditemukan"),
        (
            "buat.py",
            "buat.py: galat: jenis berkas '.py' tidak dikenal (yang dapat dibaca: .xlsx, .ods, .csv, .html)",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_message(name, message):
    assert found(name) == [message]


def test_a_legacy_xls_is_told_apart_from_a_locked_workbook(tmp_path):
    path = tmp_path / "lama.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    assert found_at(path) == [
        "lama.xlsx: galat: berkas berformat Excel lama (.xls) (buka di Excel atau LibreOffice dan simpan sebagai .xlsx)"
    ]


def found_at(path: Path) -> list[str]:
    return [str(t) for t in periksa(path, path.name)]


def test_cli_exit_codes_and_json_also_when_nothing_loads(capsys):
    assert main(["periksa", str(LEMBAR / "bersih.xlsx")]) == 0
    assert capsys.readouterr().out.startswith("0 galat, 0 peringatan")
    assert main(["periksa", str(LEMBAR / "terkunci.xlsx"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(r["tempat"], r["tingkat"], r["pesan"]) for r in report] == [
        ("", "galat", "berkas terkunci kata sandi")
    ]
    assert main(["periksa", str(LEMBAR / "salah.xlsx"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report[0]["tempat"] == "Sheet1!M6" and report[0]["aturan"] == "jumlah" and len(report) == 14


def test_cli_refuses_a_rule_that_is_not_one(capsys):
    assert main(["periksa", str(LEMBAR / "bersih.xlsx"), "--aturan", "Indeks=rata-rata"]) == 2
    assert "tulis NAMA INDIKATOR=jumlah atau NAMA INDIKATOR=terakhir" in capsys.readouterr().err


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, rupiah, cara, value, satuan",
    [
        ("1.234.567,89", False, angka.ID, Decimal("1234567.89"), ""),
        ("1,234,567.89", False, angka.ID, Decimal("1234567.89"), ""),
        ("Rp47.496.043.200", True, angka.ID, Decimal(47496043200), ""),
        ("Rp 47,496,043,200", True, angka.US, Decimal(47496043200), ""),
        ("1.234", True, angka.US, Decimal(1234), ""),  # a Rupiah has no sen: three digits are thousands
        ("1.234", False, angka.US, Decimal("1.234"), ""),
        ("1,234", False, angka.ID, Decimal("1.234"), ""),
        ("54,26", False, angka.ID, Decimal("54.26"), ""),
        ("0,5426", False, angka.ID, Decimal("0.5426"), ""),
        ("54,26%", False, angka.ID, Decimal("54.26"), "%"),
        ("2 Paket", False, angka.ID, Decimal(2), "Paket"),
    ],
)
def test_numbers_in_both_conventions(text, rupiah, cara, value, satuan):
    number = angka.teks(text, rupiah, cara)
    assert (number.nilai, number.satuan, number.salah) == (value, satuan, "")


def test_dashes_predikat_and_text_that_is_no_number():
    assert angka.teks("-").strip and angka.teks("N/A").strip
    assert angka.teks("60 (B-)").predikat == "B-"
    assert angka.teks("dua juta").salah == "dua juta"
    assert angka.teks("1.23.456").salah == "1.23.456"


def test_a_workbook_percentage_is_what_the_reader_sees():
    cell = grid.Sel(1, 1, 0.5426, "Sheet1!A1", persen=True)
    assert angka.baca(cell) == angka.Bilangan(Decimal("54.26"), satuan="%")


def test_the_convention_of_a_file_is_read_from_its_unambiguous_numbers():
    assert angka.konvensi(["1,234,567", "12.5", "1,234"]) == angka.US
    assert angka.konvensi(["1.234.567", "12,5", "1.234"]) == angka.ID
    assert angka.konvensi(["1.234"]) == angka.ID


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_csv_delimiter_is_found(sep):
    text = sep.join(["Kode", "Indikator", '"1,5"']) + "\n" + sep.join(["4.01.01", "Jumlah", "2"]) + "\n"
    assert grid.delimiter(text) == sep


def test_the_sheet_rules_are_the_models():
    """periksa keeps its own copy (the models load pydantic, which a sheet check need not wait for)."""
    from renstra.sheet import periksa as rules
    from renstra.source import models

    assert rules.SATUAN_TINGKAT == models.SATUAN_TINGKAT
    for level in (rules.PROGRAM, rules.KEGIATAN, rules.SUB):
        assert models.POLA[rules.POLA_KODE[level]] == rules.BENTUK[level]
