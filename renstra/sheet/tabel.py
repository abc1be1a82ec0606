"""A sheet's body as printed: the T-C.27 tree of nodes (bidang urusan, program, kegiatan, sub kegiatan)
with every printed value kept beside the cell it stands in, and the indicator rows of T-C.28/T-C.25.

A node starts at a row with a kode of its own; the rows under it with no kode (or with the kode merged
down from it) are its further indicators. A kode's level comes from its parts (4.01.01 program,
4.01.01.2.01 kegiatan, 4.01.01.2.01.01 sub kegiatan); a kode too broken to tell stays at the level of
the node before it, so one typing slip does not unsettle every sum around it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from renstra.sheet import angka
from renstra.sheet.grid import Lembar, Sel, huruf_kolom
from renstra.sheet.kepala import TC27, Kepala, Tahun

URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB = "urusan", "bidang", "program", "kegiatan", "sub_kegiatan"
TINGKAT_KODE = {1: URUSAN, 2: BIDANG, 3: PROGRAM, 4: KEGIATAN, 5: KEGIATAN}
_TOTAL = re.compile(r"(?i)^(total|jumlah)\b")


@dataclass
class Tercetak:
    """One printed value: the cell (or its empty place) and the number read from it."""

    baris: int
    kolom: int
    tempat: str
    teks: str
    bilangan: angka.Bilangan
    tertutup: bool = False


@dataclass
class IndikatorTercetak:
    baris: int
    nama: Tercetak
    satuan: Tercetak
    formula: Tercetak | None
    awal: Tercetak | None
    target: dict[str, Tercetak]  # by year label
    akhir: Tercetak | None


@dataclass
class Simpul:
    """A row of the printed tree with what the sheet says about it."""

    tingkat: str
    kode: str
    kode_sel: Tercetak
    nama: Tercetak
    sasaran: Tercetak | None
    unit_kerja: Tercetak | None
    lokasi: Tercetak | None
    pagu: dict[str, Tercetak]
    akhir_rp: Tercetak | None
    indikator: list[IndikatorTercetak] = field(default_factory=list)
    anak: list[Simpul] = field(default_factory=list)


@dataclass
class BarisTotal:
    baris: int
    label: Tercetak
    pagu: dict[str, Tercetak]
    akhir_rp: Tercetak | None


@dataclass
class TabelTercetak:
    """One T-C table of a sheet, as printed."""

    jenis: str
    lembar: Lembar
    kepala: Kepala
    simpul: list[Simpul] = field(default_factory=list)  # every node in sheet order
    total: list[BarisTotal] = field(default_factory=list)
    indikator: list[tuple[Tercetak | None, Tercetak | None, IndikatorTercetak]] = field(default_factory=list)

    @property
    def tahun(self) -> list[Tahun]:
        return self.kepala.tahun


def tempat(sheet: Lembar, row: int, column: int) -> str:
    """Where the user finds a cell, empty or not."""
    cell = sheet.get(row, column)
    if cell is not None:
        return cell.tempat
    if sheet.buku:  # a workbook: every cell has a name of its own
        return f"{sheet.nama}!{huruf_kolom(column)}{row}"
    same_row = sheet.sel_pertama(row)
    return same_row.tempat if same_row else str(row)


def nilai(sheet: Lembar, row: int, column: int | None, rupiah: bool, cara: str) -> Tercetak | None:
    if column is None:
        return None
    cell: Sel | None = sheet.get(row, column)
    return Tercetak(
        row,
        column,
        cell.tempat if cell else tempat(sheet, row, column),
        cell.teks if cell else "",
        angka.baca(cell, rupiah, cara),
        bool(cell and cell.tertutup),
    )


def baca(sheet: Lembar, head: Kepala) -> TabelTercetak:
    """The table's body as printed."""
    cara = angka.konvensi(
        sheet.teks(r, c)
        for r in range(head.isi, sheet.jumlah_baris + 1)
        for c in _number_columns(head)
        if isinstance(sheet.get(r, c) and sheet.get(r, c).nilai, str)
    )
    table = TabelTercetak(head.jenis, sheet, head)
    if head.jenis == TC27:
        _tc27(table, cara)
    else:
        _indikator_rows(table, cara)
    return table


def _number_columns(head: Kepala) -> list[int]:
    columns = [c for t in head.tahun for c in (t.target, t.rp) if c]
    return columns + [c for c in (head.akhir_target, head.akhir_rp, head.satu("awal")) if c]


def _indikator(sheet: Lembar, head: Kepala, row: int, cara: str) -> IndikatorTercetak:
    get = lambda role: nilai(sheet, row, head.satu(role), False, cara)  # noqa: E731
    return IndikatorTercetak(
        row,
        get("indikator"),
        get("satuan"),
        get("formula"),
        get("awal"),
        {t.label: nilai(sheet, row, t.target, False, cara) for t in head.tahun},
        nilai(sheet, row, head.akhir_target, False, cara),
    )


def _row_empty(sheet: Lembar, row: int) -> bool:
    return not any(sheet.get(row, c) for c in range(1, sheet.jumlah_kolom + 1))


def _kode(sheet: Lembar, head: Kepala, row: int) -> tuple[str, Sel | None, bool]:
    """The row's kode joined from its cells, its own last cell, and whether it is merged from above."""
    cells = [sheet.get(row, c) for c in head.kolom.get("kode", [])]
    cells = [c for c in cells if c is not None and c.teks]
    if not cells:
        return "", None, False
    return ".".join(c.teks for c in cells), cells[-1], all(c.tertutup for c in cells)


def tingkat_kode(kode: str, previous: str | None) -> str:
    parts = [p for p in re.split(r"[.,\s]+", kode) if p]
    if parts and all(p.isdigit() for p in parts):
        return TINGKAT_KODE.get(len(parts), SUB)
    return previous or PROGRAM


def _tc27(table: TabelTercetak, cara: str) -> None:
    sheet, head = table.lembar, table.kepala
    current: Simpul | None = None
    parents: dict[str, Simpul] = {}
    for row in range(head.isi, sheet.jumlah_baris + 1):
        if _row_empty(sheet, row):
            continue
        label = _total_label(sheet, head, row)
        if label is not None:
            table.total.append(_total(sheet, head, row, label, cara))
            current = None
            continue
        kode, own, merged = _kode(sheet, head, row)
        if not kode or merged:
            if current is not None and sheet.teks(row, head.satu("indikator") or 0):
                current.indikator.append(_indikator(sheet, head, row, cara))
            continue
        level = tingkat_kode(kode, current.tingkat if current else None)
        current = Simpul(
            level,
            kode,
            nilai(sheet, row, own.kolom, False, cara),
            nilai(sheet, row, head.satu("nama"), False, cara),
            nilai(sheet, row, head.satu("sasaran"), False, cara),
            nilai(sheet, row, head.satu("unit_kerja"), False, cara),
            nilai(sheet, row, head.satu("lokasi"), False, cara),
            {t.label: nilai(sheet, row, t.rp, True, cara) for t in head.tahun},
            nilai(sheet, row, head.akhir_rp, True, cara),
        )
        if sheet.teks(row, head.satu("indikator") or 0) or level in (PROGRAM, KEGIATAN, SUB):
            current.indikator.append(_indikator(sheet, head, row, cara))
        table.simpul.append(current)
        order = [URUSAN, BIDANG, PROGRAM, KEGIATAN, SUB]
        parent = next((parents[lv] for lv in reversed(order[: order.index(level)]) if lv in parents), None)
        if parent is not None:
            parent.anak.append(current)
        parents[level] = current
        for lower in order[order.index(level) + 1 :]:
            parents.pop(lower, None)


def _total_label(sheet: Lembar, head: Kepala, row: int) -> Sel | None:
    for column in head.kolom.get("kode", []) + head.kolom.get("sasaran", []) + head.kolom.get("nama", []):
        cell = sheet.get(row, column)
        if cell is not None and _TOTAL.match(cell.teks):
            return cell
    return None


def _total(sheet: Lembar, head: Kepala, row: int, label: Sel, cara: str) -> BarisTotal:
    return BarisTotal(
        row,
        nilai(sheet, row, label.kolom, False, cara),
        {t.label: nilai(sheet, row, t.rp, True, cara) for t in head.tahun},
        nilai(sheet, row, head.akhir_rp, True, cara),
    )


def _indikator_rows(table: TabelTercetak, cara: str) -> None:
    """T-C.28 / T-C.25: per indicator row, the tujuan and sasaran it stands under (merged cells copied
    down, so each row knows its own) and the indicator."""
    sheet, head = table.lembar, table.kepala
    for row in range(head.isi, sheet.jumlah_baris + 1):
        if _row_empty(sheet, row) or not sheet.teks(row, head.satu("indikator") or 0):
            continue
        table.indikator.append(
            (
                nilai(sheet, row, head.satu("tujuan"), False, cara),
                nilai(sheet, row, head.satu("sasaran"), False, cara),
                _indikator(sheet, head, row, cara),
            )
        )
