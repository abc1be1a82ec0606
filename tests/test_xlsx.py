"""`build.py xlsx`: the T-C tables in the Permendagri layout; and the round trip — this document →
XLSX → `impor` into a repository made by `baru` → the same T-C.27 and T-C.28, and the same check."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from renstra.check import check
from renstra.cli import main
from renstra.document.resolve import resolve
from renstra.render.xlsx import angka, render_xlsx
from renstra.sheet.impor import impor
from renstra.source.load import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def workbook_bytes(doc):
    return render_xlsx(doc)


@pytest.fixture(scope="session")
def book(workbook_bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def test_one_sheet_per_t_c_table_in_document_order(book):
    assert book.sheetnames == ["TC-25", "TC-27", "TC-28"]


def test_tc27_header_two_rows_merged_then_the_column_numbers(book):
    ws = book["TC-27"]
    assert ws["A1"].value.startswith("Tabel 6.1 Rencana Program, Kegiatan dan Pendanaan")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "H3:I3", "N3:O3", "P3:P4", "Q3:Q4"} <= merged
    assert [ws.cell(3, c).value for c in (1, 8, 10, 12, 14)] == ["Kode", 2024, 2025, 2026, "Akhir Periode"]
    assert [ws.cell(4, c).value for c in range(8, 16)] == ["Target", "Rp"] * 4
    assert [ws.cell(5, c).value for c in range(1, 18)] == list(range(1, 18))


def test_rp_are_numbers_shown_with_thousands_and_targets_numbers(book):
    ws = book["TC-27"]
    assert (ws["A6"].value, ws["I6"].value, ws["I6"].number_format) == ("4.01.01", 82465101580, "#,##0")
    assert ws["H6"].value == 100
    total = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value == "Total Pendanaan Renstra")
    assert f"A{total}:G{total}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(total, 15).value == sum(ws.cell(total, c).value for c in (9, 11, 13))


def test_frozen_panes_and_landscape_print_setup(book):
    ws = book["TC-27"]
    assert ws.freeze_panes == "D6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$5"
    assert book["TC-28"].freeze_panes == "C6"


def test_a_printed_target_becomes_a_number_only_in_the_rows_unit():
    assert angka("4 dokumen", "Dokumen") == 4
    assert angka("100%", "persen") == 100
    assert angka("51,48", "indeks") == Decimal("51.48")
    assert angka("86 orang/36 bulan", "orang/12 bulan") is None
    assert angka("60 (B-)", "Angka") is None and angka("N/A", "persen") is None


def test_round_trip_gives_back_the_same_tables_and_check(doc, workbook_bytes, tmp_path, capsys):
    sheet = tmp_path / "renstra.xlsx"
    sheet.write_bytes(workbook_bytes)
    target = tmp_path / "baru"
    args = ["--dir", str(target), "--instansi", "Dinas Contoh", "--daerah", "Kabupaten Contoh", "--periode"]
    assert main(["baru", *args, "2024-2026"]) == 0
    # the document's own word list comes along, as its names (Lumajang, …) come along in the sheet
    (target / "data" / "kamus.txt").write_text((doc.source.root / "data" / "kamus.txt").read_text())
    written, notes = impor(sheet, "renstra.xlsx", target, {})
    names = sorted(p.name for p, _ in written)
    assert names == ["cascading.yaml", "dokumen.yaml", "sasaran.yaml", "tc25.yaml", "tc27.yaml", "tc28.yaml"]
    # the indicators whose Akhir Periode the document takes from the last year: the rule is written
    assert {n.level for n in notes} == {"peringatan"} and all(
        "akhir_periode: terakhir" in n.message for n in notes
    )
    before, after = doc, resolve(load(target))
    assert _without_ids(after.source.tabel["tc27"]) == _without_ids(before.source.tabel["tc27"])
    for table_id in ("tc27", "tc28", "tc25"):
        assert _printed(after, table_id) == _printed(before, table_id), table_id
    assert (text := (target / "data" / "tc27.yaml").read_text()).startswith(
        "# yaml-language-server: $schema=../schema/tc27.schema.json\n"
    ) and "\njenis: tc27\n" in text
    problems = check(after)
    imported = [p for p in problems if p.path in ("data/tc27.yaml", "data/tc28.yaml", "data/cascading.yaml")]
    assert imported == [p for p in check(before) if p.path in ("data/tc27.yaml", "data/tc28.yaml")] == []
    # what the sheet does not carry: the new document's strategies (Tabel 5.1) are still to be written
    galat = {p.message.split(" di Tabel 4.1 ")[1] for p in problems if p.level == "galat"}
    assert galat == {"tidak memiliki strategi di Tabel 5.1 (TC-26)"}


@pytest.fixture(scope="session")
def lima_tahun(tmp_path_factory):
    """A repository made by `baru` for five years, copied for each test that imports into it."""
    target = tmp_path_factory.mktemp("kerangka") / "baru"
    args = ["--dir", str(target), "--instansi", "Dinas Contoh", "--daerah", "Kabupaten Contoh", "--periode"]
    assert main(["baru", *args, "2025-2029"]) == 0
    return target


def test_import_stops_before_writing_on_a_broken_sheet(lima_tahun, tmp_path):
    target = tmp_path / "baru"
    shutil.copytree(lima_tahun, target)
    before = (target / "data" / "tc27.yaml").read_text()
    sheet = ROOT / "tests" / "fixtures" / "lembar" / "salah.xlsx"
    written, found = impor(sheet, "salah.xlsx", target, {})
    assert written == [] and len(found) == 7 and all(t.aturan not in ("jumlah", "akhir_rp") for t in found)
    assert (target / "data" / "tc27.yaml").read_text() == before


def test_printed_values_the_data_derives_otherwise_go_to_errata(lima_tahun, tmp_path):
    target = tmp_path / "baru"
    shutil.copytree(lima_tahun, target)
    sheet = ROOT / "tests" / "fixtures" / "lembar" / "lima-tahun.xlsx"
    written, notes = impor(sheet, "lima-tahun.xlsx", target, {})
    assert [str(n) for n in notes] == [
        "lima-tahun.xlsx:Sheet1!S15: peringatan: Akhir Periode Rp1 ≠ jumlah tahun Rp2.268.750.000 "
        "(selisih Rp2.268.749.999); nilai tercetak dicatat di data/errata.yaml"
    ]
    errata = (target / "data" / "errata.yaml").read_text()
    assert (
        '  - tabel: tc27\n    jenis: koreksi\n    baris: "2.16.02.2.01"\n    kolom: akhir_periode.rp\n    tercetak: Rp1\n'
        "    sekarang: Rp2.268.750.000\n    alasan: Tercetak Rp1 di lima-tahun.xlsx:Sheet1!S15; Akhir Periode "
        "diturunkan dari jumlah tahun.\n"
    ) in errata
    assert [p for p in check(resolve(load(target))) if p.level == "galat"] == []


def _without_ids(table):
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(table.model_dump())


def _printed(renstra, table_id):
    view = renstra.view(table_id)
    return (
        view.judul,
        [[c.teks for c in row] for row in view.kepala],
        [[c.tampil for c in row.sel] for row in view.baris],
    )
