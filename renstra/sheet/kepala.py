"""A sheet's header, found where it stands: which kind of T-C table it is (TC-27, TC-28, TC-25), which
columns hold what, the years and the first row of the body.

The header is the row that names 'Kode' (or 'Tujuan') and 'Indikator', with the row under it when
that one carries Target/Rp or the years; merged header cells arrive copied over every column they
cover (grid.py). A row numbering the columns 1, 2, 3 … under the header is skipped. Years are
calendar years or 'Tahun-1' … 'Tahun-5'. The kode may stand in one column or be split over several."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from renstra.sheet.grid import Lembar

TC27, TC28, TC25 = "tc27", "tc28", "tc25"
SEBUTAN = {TC27: "T-C.27", TC28: "T-C.28", TC25: "T-C.25"}
_TAHUN = re.compile(r"(?i)^(?:(?P<kalender>(?:19|20)\d\d)|tahun\s*(?:ke)?\s*-?\s*(?P<ke>\d{1,2}))$")


@dataclass
class Tahun:
    """One year's columns: its label as printed (a calendar year or 'Tahun-1') and its position."""

    label: str
    ke: int  # 1 for the first year of the period
    kalender: int | None  # the calendar year, when the sheet prints one
    target: int | None = None
    rp: int | None = None
    kepala: tuple[int, int] = (0, 0)  # where its header cell stands (row, column)


@dataclass
class Kepala:
    jenis: str
    baris: list[int]  # the header rows
    isi: int  # first row of the body
    kolom: dict[str, list[int]] = field(default_factory=dict)  # role → columns (kode may be several)
    tahun: list[Tahun] = field(default_factory=list)
    akhir_target: int | None = None
    akhir_rp: int | None = None

    def satu(self, role: str) -> int | None:
        columns = self.kolom.get(role)
        return columns[0] if columns else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\n", " ")).strip().lower()


def cari(sheet: Lembar) -> Kepala | None:
    """The header of a T-C table in this sheet, or None."""
    last = min(sheet.jumlah_baris, 60)
    for row in range(1, last + 1):
        texts = [_norm(sheet.teks(row, c)) for c in range(1, sheet.jumlah_kolom + 1)]
        named = any(t.startswith("kode") or t.startswith("tujuan") for t in texts)
        if not named or not any("indikator" in t for t in texts):
            continue
        return _kepala(sheet, row, texts)
    return None


def _kepala(sheet: Lembar, top: int, texts: list[str]) -> Kepala:
    below = [_norm(sheet.teks(top + 1, c)) for c in range(1, sheet.jumlah_kolom + 1)]
    two = any(t in ("target", "rp", "pagu") or _TAHUN.match(t) for t in below)
    rows = [top, top + 1] if two else [top]
    start = rows[-1] + 1
    if _nomor_kolom(sheet, start):
        start += 1
    joined = " ".join(texts)
    if any(t.startswith("kode") for t in texts) and ("rp" in below or "pagu" in below or " rp" in joined):
        jenis = TC27
    elif "kondisi" in joined or "akhir" in joined:
        jenis = TC28
    else:
        jenis = TC25
    head = Kepala(jenis, rows, start)
    raw = [sheet.teks(top, c) for c in range(1, sheet.jumlah_kolom + 1)]
    raw_below = [sheet.teks(top + 1, c) for c in range(1, sheet.jumlah_kolom + 1)]
    if two:
        raw = _isi_kanan(raw, below)
    for column in range(1, sheet.jumlah_kolom + 1):
        upper, lower = raw[column - 1], raw_below[column - 1] if two else ""
        _peran(head, column, _norm(upper), _norm(lower), (upper, lower), rows)
    return head


def _isi_kanan(upper: list[str], lower: list[str]) -> list[str]:
    """A group title over Target and Rp that lost its merge (CSV): the empty cells to its right that
    have a title below belong to it."""
    filled = list(upper)
    for i in range(1, len(filled)):
        if not filled[i] and lower[i]:
            filled[i] = filled[i - 1]
    return filled


def _nomor_kolom(sheet: Lembar, row: int) -> bool:
    """A row numbering the columns: 1, 2, 3 … from the left, at least five of them."""
    values = [sheet.teks(row, c) for c in range(1, sheet.jumlah_kolom + 1)]
    numbers = [v for v in values if v]
    return len(numbers) >= 5 and numbers == [str(i) for i in range(1, len(numbers) + 1)]


def _peran(head: Kepala, column: int, upper: str, lower: str, printed: tuple, rows: list[int]) -> None:
    year = _TAHUN.match(upper) or _TAHUN.match(lower)
    if year:
        in_upper = bool(_TAHUN.match(upper))
        label = printed[0] if in_upper else printed[1]
        _tahun(head, column, year, label, lower, (rows[0] if in_upper else rows[-1], column))
        return
    if "akhir" in upper:
        if lower.startswith("rp") or lower.startswith("pagu"):
            head.akhir_rp = column
        elif head.akhir_target is None:
            head.akhir_target = column
        return
    role = _role(upper)
    if role:
        head.kolom.setdefault(role, []).append(column)


def _tahun(head: Kepala, column: int, match, label: str, lower: str, where) -> None:
    kalender = int(match["kalender"]) if match["kalender"] else None
    ke = int(match["ke"]) if match["ke"] else None
    found = next((t for t in head.tahun if t.label == label), None)
    if found is None:
        found = Tahun(label, ke or len(head.tahun) + 1, kalender, kepala=where)
        head.tahun.append(found)
    if lower.startswith("rp") or lower.startswith("pagu") or lower.startswith("dana"):
        found.rp = column
    elif found.target is None:
        found.target = column


_ROLES = (
    ("kode", ("kode",)),
    ("sasaran", ("sasaran",)),
    ("tujuan", ("tujuan",)),
    ("indikator", ("indikator",)),
    ("satuan", ("satuan",)),
    ("formula", ("formula", "rumus")),
    ("awal", ("capaian awal", "kondisi kinerja pada awal", "kondisi awal", "capaian kinerja awal")),
    ("unit_kerja", ("unit kerja", "perangkat daerah", "opd")),
    ("lokasi", ("lokasi",)),
    ("nama", ("program", "kegiatan", "uraian", "nama")),
)


def _role(text: str) -> str | None:
    for role, words in _ROLES:
        if any(text.startswith(w) for w in words):
            return role
    return None
