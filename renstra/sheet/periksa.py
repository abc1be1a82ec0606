"""Every printed value of a T-C table in a sheet, checked and never replaced → a list of `Temuan`.

- pagu: program = Σ kegiatan = Σ sub kegiatan, bidang urusan = Σ its programs, Total = Σ the top rows,
  per year; Akhir Periode Rp = Σ the years;
- Akhir Periode target by the indicator's rule (`aturan_akhir`): the sum of the years for counts of
  things done each year, the last year's value for levels (persen, indeks, nilai, angka; and where the
  satuan is empty), as the model derives it; overridable per indicator (`aturan`, by indicator name);
- required cells that are empty, numbers that are not numbers, percentages written as fractions;
- kode: well formed for its level, unique, with its parent's prefix;
- units mixed within one indicator; a year column that holds only zeros or dashes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from renstra.document import numbers as angka_id
from renstra.sheet import grid, kepala, tabel
from renstra.sheet.kepala import TC27
from renstra.sheet.tabel import (
    BIDANG,
    KEGIATAN,
    PROGRAM,
    SUB,
    URUSAN,
    IndikatorTercetak,
    Simpul,
    TabelTercetak,
    Tercetak,
)
from renstra.sheet.temuan import GALAT, Temuan, TidakTerbaca

JUMLAH, TERAKHIR = "jumlah", "terakhir"
POLA_KODE = {
    URUSAN: r"^\d$",
    BIDANG: r"^\d\.\d{2}$",
    PROGRAM: r"^\d\.\d{2}\.\d{2}$",
    KEGIATAN: r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}$",
    SUB: r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{2,4}$",
}
# as the model's own messages say it (renstra.source.models.POLA), for the levels the model has
BENTUK = {
    URUSAN: "kode urusan berbentuk 4",
    BIDANG: "kode bidang urusan berbentuk 4.01",
    PROGRAM: "kode program berbentuk 4.01.01",
    KEGIATAN: "kode kegiatan berbentuk 4.01.01.2.01",
    SUB: "kode sub kegiatan berbentuk 4.01.01.2.01.01",
}
# the levels, not counts: Akhir Periode is the last year's (renstra.source.models.SATUAN_TINGKAT)
SATUAN_TINGKAT = ("persen", "%", "angka", "indeks", "nilai")
SEBUT = {
    URUSAN: "urusan",
    BIDANG: "bidang urusan",
    PROGRAM: "program",
    KEGIATAN: "kegiatan",
    SUB: "sub kegiatan",
}


def baca(path: Path, nama: str | None = None) -> tuple[list[TabelTercetak], list[Temuan]]:
    """The T-C tables of a file as printed, or the one finding that says why there are none."""
    shown = nama or str(path)
    try:
        sheets = grid.read(path)
    except TidakTerbaca as error:
        return [], [Temuan(shown, 0, 0, 0, "", GALAT, error.message, error.hint)]
    tables = []
    for sheet in sheets:
        head = kepala.cari(sheet)
        if head is not None:
            tables.append(tabel.baca(sheet, head))
    if not tables:
        return [], [
            Temuan(
                shown,
                0,
                0,
                0,
                "",
                GALAT,
                "tidak ditemukan kepala tabel T-C.27, T-C.28 atau T-C.25",
                "baris kepala memuat 'Kode' (atau 'Tujuan') dan 'Indikator'",
            )
        ]
    return tables, []


def periksa(path: Path, nama: str | None = None, aturan: dict[str, str] | None = None) -> list[Temuan]:
    """Every finding of a file."""
    shown = nama or str(path)
    tables, found = baca(path, shown)
    rules = {k.strip().lower(): v for k, v in (aturan or {}).items()}
    for table in tables:
        found += list(_periksa(shown, table, rules))
    return sorted(set(found))


def _periksa(berkas: str, table: TabelTercetak, rules: dict[str, str]) -> Iterator[Temuan]:
    say = lambda cell, message, aturan="": Temuan(  # noqa: E731
        berkas, table.lembar.urutan, cell.baris, cell.kolom, cell.tempat, GALAT, message, aturan=aturan
    )
    if not table.tahun:
        first = tabel.nilai(table.lembar, table.kepala.baris[0], 1, False, "id")
        yield say(first, "kepala tabel tidak memuat kolom tahun (tahun kalender atau 'Tahun-1' … 'Tahun-5')")
        return
    empty = set(_kolom_kosong(table))
    for kind, label in sorted(empty):
        year = next(t for t in table.tahun if t.label == label)
        column = year.rp if kind == "Rp" else year.target
        where = tabel.nilai(table.lembar, year.kepala[0], column, False, "id")
        yield say(where, f"kolom {kind} {label} hanya berisi nol atau '-' (tahun ini belum diisi?)")
    if table.jenis == TC27:
        yield from _kode(table, say)
        yield from _pagu(table, say, empty)
        indicators = [(node, ind) for node in table.simpul for ind in node.indikator]
    else:
        indicators = [(None, ind) for _, _, ind in table.indikator]
    for node, ind in indicators:
        yield from _indikator(table, node, ind, rules, say, empty)


def _kolom_kosong(table: TabelTercetak) -> Iterator[tuple[str, str]]:
    """Year columns in which no row prints anything but zeros or dashes."""
    for year in table.tahun:
        if table.jenis == TC27 and table.simpul:
            values = [n.pagu[year.label] for n in table.simpul if n.pagu.get(year.label)]
            if values and all(_nol(v) for v in values):
                yield "Rp", year.label
        targets = [ind.target[year.label] for ind in _semua_indikator(table)]
        if targets and all(_nol(v) for v in targets if v is not None):
            yield "target", year.label


def _nol(value: Tercetak) -> bool:
    b = value.bilangan
    return b.kosong or b.strip or (b.nilai is not None and b.nilai == 0)


def _semua_indikator(table: TabelTercetak) -> list[IndikatorTercetak]:
    if table.jenis == TC27:
        return [ind for node in table.simpul for ind in node.indikator]
    return [ind for _, _, ind in table.indikator]


# --- kode ---------------------------------------------------------------------------------------


def _kode(table: TabelTercetak, say) -> Iterator[Temuan]:
    seen: dict[str, Simpul] = {}
    for node in table.simpul:
        formed = re.match(POLA_KODE[node.tingkat], node.kode)
        if not formed:
            digits = [p for p in re.split(r"[.,\s]+", node.kode) if p]
            if digits and all(p.isdigit() for p in digits):
                yield say(node.kode_sel, f"kode '{node.kode}' tidak sesuai format: {BENTUK[node.tingkat]}")
            else:
                yield say(
                    node.kode_sel,
                    f"kode '{node.kode}' bukan kode program, kegiatan atau sub kegiatan "
                    "(berbentuk 4.01.01, 4.01.01.2.01 atau 4.01.01.2.01.01)",
                )
        elif node.kode in seen:
            yield say(
                node.kode_sel, f"kode {node.kode} ganda: sudah dipakai di {seen[node.kode].kode_sel.tempat}"
            )
        seen.setdefault(node.kode, node)
        for child in node.anak:
            both = re.match(POLA_KODE[child.tingkat], child.kode) and formed
            if both and not child.kode.startswith(node.kode + "."):
                yield say(child.kode_sel, f"kode {child.kode} tidak berawalan kode induknya {node.kode}")


# --- pagu ---------------------------------------------------------------------------------------


def _pagu(table: TabelTercetak, say, empty: set) -> Iterator[Temuan]:
    for node in table.simpul:
        for year in table.tahun:
            if ("Rp", year.label) in empty:
                continue
            cell = node.pagu.get(year.label)
            if cell is None:
                continue
            problem = _angka_salah(cell, f"Rp {year.label} {SEBUT[node.tingkat]} {node.kode}", wajib=True)
            if problem:
                yield say(cell, problem)
                continue
            if node.anak:
                yield from _jumlah(say, cell, node.anak, f"pagu {year.label} {node.kode}", year.label)
        if node.akhir_rp is not None:
            yield from _akhir_rp(say, node.akhir_rp, node.pagu, f"Akhir Periode Rp {node.kode}")
    children = {id(child) for node in table.simpul for child in node.anak}
    tops = [n for n in table.simpul if id(n) not in children]
    for total in table.total:
        for year in table.tahun:
            cell = total.pagu.get(year.label)
            if cell is not None and not _angka_salah(cell, "", wajib=False) and cell.bilangan.ada:
                yield from _jumlah(say, cell, tops, f"Total {year.label}", year.label)
        if total.akhir_rp is not None and total.akhir_rp.bilangan.ada:
            yield from _akhir_rp(say, total.akhir_rp, total.pagu, "Total Akhir Periode Rp")


def _rp(cell: Tercetak) -> int | None:
    b = cell.bilangan
    if b.strip:
        return 0  # '-' in an amount column is how accounts print zero
    return int(b.nilai) if b.nilai is not None else None


def _jumlah(say, cell: Tercetak, children: list[Simpul], what: str, label: str) -> Iterator[Temuan]:
    values = [_rp(c.pagu[label]) if c.pagu.get(label) else None for c in children]
    declared = _rp(cell)
    if declared is None or any(v is None for v in values):
        return  # an empty or unreadable cell is its own finding
    total = sum(values)
    if total != declared:
        word = SEBUT[children[0].tingkat]
        yield say(
            cell,
            f"{what} {angka_id.rupiah(declared)} ≠ jumlah {word} {angka_id.rupiah(total)} "
            f"(selisih {angka_id.rupiah(abs(declared - total))})",
            "jumlah",
        )


def _akhir_rp(say, cell: Tercetak, pagu: dict[str, Tercetak], what: str) -> Iterator[Temuan]:
    problem = _angka_salah(cell, what, wajib=True)
    if problem:
        yield say(cell, problem)
        return
    values = [_rp(v) for v in pagu.values()]
    if not values or any(v is None for v in values):
        return
    declared, total = _rp(cell), sum(values)
    if declared != total:
        yield say(
            cell,
            f"Akhir Periode {angka_id.rupiah(declared)} ≠ jumlah tahun {angka_id.rupiah(total)} "
            f"(selisih {angka_id.rupiah(abs(declared - total))})",
            "akhir_rp",
        )


def _angka_salah(cell: Tercetak, what: str, wajib: bool) -> str:
    b = cell.bilangan
    if b.salah:
        return f"{what} '{b.salah}' bukan angka"
    if b.kosong and wajib:
        return f"{what} kosong (wajib diisi)"
    return ""


# --- indicators ---------------------------------------------------------------------------------


def aturan_akhir(satuan: str, nama: str, rules: dict[str, str]) -> str:
    """The indicator's Akhir Periode rule, as the model derives it unless overridden by name."""
    if nama.strip().lower() in rules:
        return rules[nama.strip().lower()]
    unit = satuan.strip().lower()
    return TERAKHIR if not unit or unit in SATUAN_TINGKAT else JUMLAH


def _satuan_sama(a: str, b: str) -> bool:
    norm = lambda s: {"%": "persen"}.get(s.strip().lower(), s.strip().lower())  # noqa: E731
    return norm(a) == norm(b)


def _indikator(table, node, ind: IndikatorTercetak, rules, say, empty: set) -> Iterator[Temuan]:
    owner = f" {SEBUT[node.tingkat]} {node.kode}" if node else ""
    if node is not None and node.tingkat in (URUSAN, BIDANG):
        return
    if not ind.nama.teks:
        yield say(ind.nama, f"indikator{owner} kosong (wajib diisi)")
        return
    satuan = ind.satuan.teks if ind.satuan else ""
    if table.jenis != TC27 and not satuan and ind.satuan is not None:
        yield say(ind.satuan, f"satuan indikator '{ind.nama.teks}' kosong (wajib diisi)")
    numbers: dict[str, Decimal | None] = {}
    bad = False
    for year in table.tahun:
        cell = ind.target.get(year.label)
        if cell is None or ("target", year.label) in empty:
            bad = True
            continue
        problem = _angka_salah(cell, f"target {year.label} indikator '{ind.nama.teks}'", wajib=True)
        if problem:
            yield say(cell, problem)
            bad = True
            continue
        numbers[year.label] = cell.bilangan.nilai
    yield from _satuan(ind, satuan, say)
    yield from _pecahan(ind, satuan, say)
    if ind.akhir is None or bad:
        return
    problem = _angka_salah(ind.akhir, f"Akhir Periode target indikator '{ind.nama.teks}'", wajib=True)
    if problem:
        yield say(ind.akhir, problem)
        return
    printed = ind.akhir.bilangan.nilai
    if printed is None or any(v is None for v in numbers.values()) or not numbers:
        return
    rule = aturan_akhir(satuan, ind.nama.teks, rules)
    values = [numbers[t.label] for t in table.tahun]
    expected = sum(values, Decimal(0)) if rule == JUMLAH else values[-1]
    if printed != expected:
        told = "jumlah tahun" if rule == JUMLAH else "target tahun terakhir"
        why = f"satuan '{satuan}'" if satuan else "satuan kosong"
        yield say(
            ind.akhir,
            f"Akhir Periode target {angka_id.bilangan(printed)} ≠ {told} {angka_id.bilangan(expected)} "
            f"(aturan {rule}, {why})",
            "akhir_target",
        )


def _satuan(ind: IndikatorTercetak, satuan: str, say) -> Iterator[Temuan]:
    """A unit typed with a number must be the indicator's: '2 Paket' under satuan Dokumen is a finding."""
    # the years only: an Akhir Periode may count in a unit of its own ('orang/36 bulan' over 12-month years)
    cells = list(ind.target.items())
    first_unit = satuan
    for label, cell in cells:
        unit = cell.bilangan.satuan if cell else ""
        if not unit:
            continue
        if not first_unit:
            first_unit = unit
            continue
        if not _satuan_sama(unit, first_unit):
            where = "kolom Satuan" if satuan else "target sebelumnya"
            yield say(
                cell,
                f"satuan campur dalam satu indikator: '{unit}' di target {label}, '{first_unit}' di {where}",
            )


def _pecahan(ind: IndikatorTercetak, satuan: str, say) -> Iterator[Temuan]:
    persen = _satuan_sama(satuan, "persen") or any(
        c and _satuan_sama(c.bilangan.satuan, "%") for c in ind.target.values()
    )
    if not persen:
        return
    for label, cell in ind.target.items():
        value = cell.bilangan.nilai if cell else None
        if value is not None and 0 < value < 1:
            yield say(
                cell,
                f"target {label} {angka_id.bilangan(value)} ditulis sebagai pecahan; persen ditulis skala "
                f"0–100 (maksudnya {angka_id.bilangan((value * 100).normalize())}?)",
            )
