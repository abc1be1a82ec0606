"""Table views: every table as printed, derived from the model — totals, Akhir Periode, resolved references.

Each row carries its key (kode, indicator id, row label) and each cell its column id (pagu.<tahun>,
akhir_periode.rp) and whether it is derived. The renderers (HTML/PDF, DOCX), check, koreksi and diff
all read these views, so "as the document prints it" is true by construction. Which view a table
gets follows from its kind (its model class), never from its file name; years from the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from renstra.document import numbers as angka
from renstra.document.lebar import atur, huruf
from renstra.layout import HURUF_TABEL_PT, TataLetak, tata_letak
from renstra.problems import RenstraError
from renstra.source.load import Source
from renstra.source.models import (
    FORMAT_ANGKA,
    BarisKelompok,
    Indikator,
    IndikatorSasaran,
    Kolom,
    RegistriSasaran,
    Sasaran,
    Simpul,
    TabelCascading,
    TabelIKU,
    TabelSederhana,
    TabelTC23,
    TabelTC24,
    TabelTC25,
    TabelTC26,
    TabelTC27,
    TabelTC28,
    Tujuan,
)
from renstra.source.period import Periode
from renstra.source.sederhana import label_span


@dataclass
class Sel:
    """One cell: its text and how it aligns (angka = right-aligned number)."""

    teks: str = ""
    kelas: str = ""
    colspan: int = 1
    rowspan: int = 1
    daftar: list[str] = field(default_factory=list)  # a numbered list inside the cell
    kolom: str | None = None  # column id, e.g. pagu.<tahun>; None for a continuation or label cell
    turunan: bool = False  # derived at build time (total, Akhir Periode, row number)
    nilai: object = None  # the value behind the text, where a review needs to count (Rupiah)
    tertutup: bool = False  # covered by the merged cell above it (see gabung): not drawn
    dibalik: str | None = None  # what the corrected edition prints here, where the signed one differs

    @property
    def tampil(self) -> str:
        """The cell as a reader sees it, a list written out."""
        return "; ".join(self.daftar) if self.daftar else self.teks


@dataclass
class Baris:
    sel: list[Sel]
    kelas: str = ""  # total, program, kegiatan, sub-kegiatan, kelompok
    kunci: str | None = None  # the row's key: kode, indicator id, row label; None for group headings
    induk: str | None = None  # key of the parent row (TC-27 tree, cascading)

    def cell(self, kolom: str) -> Sel | None:
        return next((s for s in self.sel if s.kolom == kolom), None)


@dataclass
class Tampilan:
    """A table ready to draw: header rows, body rows, widths, and where it sits."""

    id: str
    label: str  # "Tabel 6.1"
    judul: str
    kode_tc: str | None
    kepala: list[list[Sel]]
    baris: list[Baris]
    lebar: list[float] = field(default_factory=list)  # relative column widths
    lanskap: bool = False
    sumber: str | None = None
    ukuran: str = ""  # tabel-lebar / tabel-sedang
    nomor_kolom: bool = False  # the last header row numbers the columns (1, 2, 3 …)
    skala_huruf: float = 1.0  # the table's type relative to its `ukuran`'s, < 1 when its columns need it
    # mm per header row at the table's type (measured with `lebar`); the DOCX sets them, as LibreOffice
    # lays a header cell merged down two rows out too short on the pages it is repeated on
    tinggi_kepala: list[float] = field(default_factory=list)

    @property
    def keterangan(self) -> str:
        suffix = f" ({self.kode_tc})" if self.kode_tc else ""
        return f"{self.label} {self.judul}{suffix}".strip()

    @property
    def sebutan(self) -> str:
        """How a message names the table: 'Tabel 6.1 (TC-27)'."""
        name = self.label or f"tabel '{self.id}'"
        return f"{name} ({self.kode_tc})" if self.kode_tc else name

    def values(self, kunci: str, kolom: str) -> list[str] | None:
        """What the table prints in column `kolom` of the rows keyed `kunci`; None if no such row."""
        rows = [r for r in self.baris if r.kunci == kunci]
        if not rows:
            return None
        return [c.tampil for r in rows for c in r.sel if c.kolom == kolom]


def th(teks, colspan=1, rowspan=1) -> Sel:
    return Sel(str(teks), "", colspan, rowspan)


def td(teks, kelas="", kolom=None, turunan=False) -> Sel:
    return Sel("" if teks is None else str(teks), kelas, kolom=kolom, turunan=turunan)


def rp(value, kolom=None, turunan=False) -> Sel:
    return Sel(angka.rupiah(value), "angka rp", kolom=kolom, turunan=turunan, nilai=value)


def blank() -> Sel:
    """A cell left empty under the first row of a group (kode, Rp): no column of its own."""
    return Sel("")


def gabung(rows: list[Baris], index: int, keys: list) -> None:
    """Draw column `index` as one cell down each run of consecutive rows with the same key (None never
    merges): the run's first cell spans it (rowspan), the cells under it are covered and not drawn.
    What each cell holds stays as the builder made it — the column id on the first row of a group, as
    errata and diff read it; a covered cell that starts a row key of its own keeps its value too.
    A cell merged down the rows of several row keys is marked 'lintas' (it is none of theirs alone)."""
    start = 0
    while start < len(rows):
        end = start + 1
        if keys[start] is not None:
            while end < len(rows) and keys[end] == keys[start]:
                end += 1
        if end - start > 1:
            first = rows[start].sel[index]
            first.rowspan = end - start
            for row in rows[start + 1 : end]:
                row.sel[index].tertutup = True
            if len({row.kunci for row in rows[start:end]}) > 1:
                first.kelas = " ".join(part for part in (first.kelas, "lintas") if part)
        start = end


def awal_kelompok(keys: list) -> list[bool]:
    """For each row, whether it starts a run of its key: where a group's value is printed."""
    return [key is not None and (i == 0 or keys[i - 1] != key) for i, key in enumerate(keys)]


# --- registry lookups -------------------------------------------------------------------------


def indikator_sasaran(
    registry: RegistriSasaran,
) -> dict[str, tuple[Tujuan, Sasaran | None, IndikatorSasaran]]:
    """Indicator id → (tujuan, sasaran or None for tujuan-level, indicator)."""
    found = {}
    for tujuan in registry.tujuan:
        for ind in tujuan.indikator:
            found[ind.id] = (tujuan, None, ind)
        for sasaran in tujuan.sasaran:
            for ind in sasaran.indikator:
                found[ind.id] = (tujuan, sasaran, ind)
    return found


def program_tree(source: Source) -> TabelTC27 | None:
    """The document's program tree (the T-C.27 table), whatever its file is called."""
    return next((t for t in source.tabel.values() if isinstance(t, TabelTC27)), None)


def program_by_kode(tc27: TabelTC27 | None) -> dict[str, Simpul]:
    """Kode → node of the program tree; empty for a document without one (a kode looked up in it is a
    broken reference, which check reports at the place that names it)."""
    return {node.kode: node for _, node in tc27.simpul()} if tc27 is not None else {}


# --- helpers for indicator cells --------------------------------------------------------------


def satuan_target(ind: Indikator) -> str:
    if ind.satuan_target:
        return ind.satuan_target
    satuan = (ind.satuan or "").strip().lower()
    if satuan in ("persen", "%"):
        return "%"
    return "" if satuan in ("angka", "nilai", "indeks") else satuan  # an index is a bare number


def target_text(ind: Indikator, value) -> str:
    return angka.nilai(value, satuan_target(ind))


def akhir_text(ind: Indikator) -> str:
    unit = ind.satuan_akhir or satuan_target(ind)
    return angka.nilai(ind.target_akhir, unit)


# --- the views ---------------------------------------------------------------------------------


@dataclass
class Konteks:
    """What a view is built from besides its own table: the rest of the source and the period."""

    source: Source
    periode: Periode

    @property
    def tahun(self) -> tuple[int, ...]:
        return self.periode.tahun

    @property
    def induk(self) -> str:
        """RPJMD or RPD: the regional plan this Renstra details."""
        return self.source.dokumen.dokumen_induk


class RujukanPutus(Exception):
    """A view cannot be built: the table refers to a kode or id that does not exist (check says where)."""


def view(source: Source, periode: Periode, table_id: str, label: str) -> Tampilan:
    """The view of one table: the builder of its kind."""
    table = source.tabel[table_id]
    builder = _builder(table)
    ctx = Konteks(source, periode)
    try:
        result = builder(ctx, table)
    except (KeyError, StopIteration) as error:  # lookups of tujuan, sasaran, indicator or kode
        raise RujukanPutus(f"{table_id}: {error}") from error
    result.id, result.label = table_id, label
    result.judul, result.kode_tc = table.judul, table.kode_tc
    result.sumber = result.sumber or getattr(table, "sumber", None)
    result.lanskap = isinstance(table, LANSKAP)
    _ukur(ctx, result, padat=isinstance(table, TabelTC27))
    return result


def _ukur(ctx: Konteks, view_: Tampilan, padat: bool) -> None:
    """The table's column widths (mm) and type size measured from its text with the document's font
    on its page (renstra/document/lebar.py); without readable font files (a galat or peringatan of
    their own) the view keeps its proportions."""
    layout = _tata_letak(ctx)
    font = huruf(layout.fonts["regular"], layout.fonts["bold"]) if layout else None
    if font is None:
        return
    base = HURUF_TABEL_PT[view_.ukuran]
    laid = atur(view_, font, layout.garis_mm(view_.lanskap), layout.tinggi_isi_mm(view_.lanskap), base, padat)
    view_.lebar = [round(w, 2) for w in laid.lebar]
    view_.skala_huruf = min(1.0, laid.pt / base)
    view_.tinggi_kepala = [round(h, 2) for h in laid.kepala]


def _tata_letak(ctx: Konteks) -> TataLetak | None:
    try:
        return tata_letak(ctx.source.root, ctx.source.dokumen.tata_letak)
    except RenstraError:
        return None


def _new(kepala, baris, lebar=(), ukuran="") -> Tampilan:
    return Tampilan("", "", "", None, kepala, baris, list(lebar), ukuran=ukuran)


# --- simple tables: columns declared in the file ------------------------------------------------

UKURAN = {"sedang": "tabel-sedang", "lebar": "tabel-lebar"}
_RATA = {"kiri": "", "tengah": "tengah", "kanan": "angka"}  # the classes that align a cell


def _sederhana(ctx, t: TabelSederhana) -> Tampilan:
    """A simple table as its file declares it: header from the columns and their groups, a row per
    data row (numbered by the nomor columns), group rows across the width, the total row."""
    width = len(t.kolom)
    key = t.kolom_kunci
    rows, number = [], 0
    for row in t.baris:
        if isinstance(row, BarisKelompok):
            rows.append(Baris([Sel(row.kelompok, colspan=width)], "kelompok"))
            continue
        number += 1
        cells = [
            td(number, kelas_kolom(k)) if k.bentuk == "nomor" else sel_kolom(k, t.nilai(row, k.id), k.turunan)
            for k in t.kolom
        ]
        rows.append(Baris(cells, kunci=getattr(row, key) if key else str(number)))
    if t.total is not None:
        rows.append(_total_sederhana(t))
    widths = [float(k.lebar) for k in t.kolom] if all(k.lebar is not None for k in t.kolom) else []
    return _new(_kepala_sederhana(t.kolom), rows, widths, UKURAN.get(t.ukuran, ""))


def _kepala_sederhana(kolom: list[Kolom]) -> list[list[Sel]]:
    """One header row; or two when columns are grouped: a group's title spans its columns, the
    titles of ungrouped columns span both rows."""
    if not any(k.kelompok for k in kolom):
        return [[th(k.judul) for k in kolom]]
    top, bottom = [], []
    for group, members in groupby(kolom, key=lambda k: k.kelompok):
        members = list(members)
        if group is None:
            top += [th(k.judul, rowspan=2) for k in members]
        else:
            top.append(th(group, colspan=len(members)))
            bottom += [th(k.judul) for k in members]
    return [top, bottom]


def _total_sederhana(t: TabelSederhana) -> Baris:
    span = label_span(t)
    cells = [Sel(t.total.label, colspan=span)]
    for k in t.kolom[span:]:
        if isinstance(k.total, str):
            cells.append(td(k.total, kelas_kolom(k), k.id))
        elif k.dijumlah:
            cells.append(sel_kolom(k, t.jumlah(k.id), True))
        else:
            cells.append(blank())
    return Baris(cells, "total", kunci=t.total.label)


def kelas_kolom(kolom: Kolom) -> str:
    """How a column's cells align: numbers right (angka), row numbers centred; Rupiah do not wrap."""
    if kolom.rata:
        align = _RATA[kolom.rata]
    else:
        align = {"nomor": "tengah"}.get(kolom.bentuk, "angka" if kolom.bentuk in FORMAT_ANGKA else "")
    return " ".join(part for part in (align, "rp" if kolom.bentuk == "rupiah" else "") if part)


def angka_kolom(kolom: Kolom, value) -> str:
    """A number as its column formats it (PUEBI), without the unit: '5.295', 'Rp69.035.655.795'."""
    return angka.rupiah(value) if kolom.bentuk == "rupiah" else angka.bilangan(value)


def sel_kolom(kolom: Kolom, value, turunan: bool = False) -> Sel:
    """One cell of a simple table: its value formatted, an empty one as the column says."""
    kelas = kelas_kolom(kolom)
    if value is None:
        return Sel(kolom.kosong or "", kelas, kolom=kolom.id)
    if kolom.bentuk == "daftar":
        return Sel("", kelas, daftar=list(value), kolom=kolom.id)
    if kolom.bentuk == "teks":
        return Sel(str(value), kelas, kolom=kolom.id)
    text = angka_kolom(kolom, value)
    return Sel(
        f"{text} {kolom.satuan}" if kolom.satuan else text,
        kelas,
        kolom=kolom.id,
        turunan=turunan,
        nilai=value,
    )


def _historis_kepala(first: str, groups: list[tuple[str, list[str]]], extra: list[Sel]) -> list[list[Sel]]:
    top = [th(first, rowspan=2)] + extra + [th(name, colspan=len(cols)) for name, cols in groups]
    bottom = [th(c) for _, cols in groups for c in cols]
    return [top, bottom]


def _grouped_rows(t, width: int, group_rows) -> list[Baris]:
    """TC-23 and TC-24: a row per bagian, a row per periode (where named), then the group's own rows,
    keyed 'bagian / periode / nama' — what a reviewer calls the row."""
    rows = []
    for bagian in t.bagian:
        rows.append(Baris([Sel(bagian.nama, colspan=width, kolom="nama")], "kelompok", bagian.nama))
        for kelompok in bagian.kelompok:
            if kelompok.periode:
                heading = Sel(kelompok.periode, colspan=width, kolom="periode")
                rows.append(Baris([heading], "subkelompok", f"{bagian.nama} / {kelompok.periode}"))
            for row, nama in group_rows(kelompok):
                row.kunci = f"{bagian.nama} / {kelompok.periode or '-'} / {nama or '-'}"
                rows.append(row)
    return rows


def _tc23(ctx, t) -> Tampilan:
    years = ctx.periode.tahun_historis
    labels = [str(y) for y in years]
    kepala = _historis_kepala(
        "Indikator Kinerja",
        [
            ("Target Renstra Perangkat Daerah Tahun", labels),
            ("Realisasi Capaian Tahun", labels),
            ("Rasio Capaian Tahun", labels),
        ],
        [
            th("Target NSPK", rowspan=2),
            th("Target IKK", rowspan=2),
            th("Target Indikator Lainnya", rowspan=2),
        ],
    )
    kepala[0].insert(0, th("No", rowspan=2))

    def indikator_rows(kelompok):
        for no, ind in enumerate(kelompok.indikator, 1):
            cells = [td(no, "tengah", "no"), td(ind.nama or "", kolom="nama")]
            cells += [
                td(angka.sel(v) if v is not None else "", "tengah", name)
                for name, v in (
                    ("target_nspk", ind.target_nspk),
                    ("target_ikk", ind.target_ikk),
                    ("target_lainnya", ind.target_lainnya),
                )
            ]
            for name in ("target", "realisasi", "rasio"):
                series = getattr(ind, name)
                cells += [td(angka.sel(series[y]), "angka", f"{name}.{y}") for y in years]
            yield Baris(cells), ind.nama

    rows = _grouped_rows(t, 4 + 3 * len(years), indikator_rows)
    return _new(kepala, rows, [2.5, 17] + [5] * 3 + [5] * (3 * len(years)), "tabel-lebar")


def _tc24(ctx, t) -> Tampilan:
    years = ctx.periode.tahun_historis
    labels = [str(y) for y in years]
    kepala = _historis_kepala(
        "Uraian",
        [
            ("Anggaran pada Tahun", labels),
            ("Realisasi Anggaran pada Tahun", labels),
            ("Rasio antara Realisasi dan Anggaran Tahun", labels),
            ("Rata-rata Pertumbuhan", ["Anggaran", "Realisasi"]),
        ],
        [],
    )

    def program_rows(kelompok):
        for prog in kelompok.program:
            cells = [td(prog.nama or "", kolom="nama")]
            for name in ("anggaran", "realisasi"):
                series = getattr(prog, name)
                cells += [td(angka.sel(series[y]), "angka rp", f"{name}.{y}") for y in years]
            cells += [td(angka.sel(prog.rasio[y]), "angka", f"rasio.{y}") for y in years]
            cells += [
                td(angka.sel(prog.pertumbuhan_anggaran), "angka", "pertumbuhan_anggaran"),
                td(angka.sel(prog.pertumbuhan_realisasi), "angka", "pertumbuhan_realisasi"),
            ]
            yield Baris(cells), prog.nama

    rows = _grouped_rows(t, 3 + 3 * len(years), program_rows)
    return _new(kepala, rows, [12] + [7.2] * (2 * len(years)) + [4] * len(years) + [4.5, 4.5], "tabel-lebar")


def _target_cells(ind: Indikator, years) -> list[Sel]:
    return [td(target_text(ind, ind.target[y]), "angka", f"target.{y}") for y in years]


def _indikator_rows(ind: IndikatorSasaran, lead: list[Sel], years) -> list[Sel]:
    return (
        lead
        + [td(ind.nama, kolom="nama"), td(ind.satuan, kolom="satuan"), td(ind.formula, kolom="formula")]
        + _target_cells(ind, years)
    )


def _kunci_tujuan_sasaran(found) -> tuple[list, list]:
    """The merge keys of the Tujuan and Sasaran columns for rows of (tujuan, sasaran, …): a sasaran
    within its tujuan; a tujuan-level row (no sasaran) merges with nothing in the Sasaran column."""
    return (
        [tujuan.id for tujuan, _, _ in found],
        [(tujuan.id, sasaran.id) if sasaran else None for tujuan, sasaran, _ in found],
    )


def _isi_kelompok(keys: list, names: list[str], kolom: str) -> list[Sel]:
    """A group column's cells: the group's name on the first row of its run (with the column id, where
    errata and diff read it), empty below, where gabung draws the one merged cell."""
    return [td(name, kolom=kolom) if first else td("") for first, name in zip(awal_kelompok(keys), names)]


def _tc25(ctx, t) -> Tampilan:
    lookup = indikator_sasaran(ctx.source.sasaran)
    kepala = [
        [
            th("Tujuan", rowspan=2),
            th("Sasaran", rowspan=2),
            th("Indikator", rowspan=2),
            th("Satuan", rowspan=2),
            th("Formulasi Perhitungan", rowspan=2),
            th("Target", colspan=len(ctx.tahun)),
        ],
        [th(y) for y in ctx.tahun],
    ]
    found = [lookup[ind_id] for ind_id in t.indikator]
    keys_t, keys_s = _kunci_tujuan_sasaran(found)
    tujuan = _isi_kelompok(keys_t, [tj.nama for tj, _, _ in found], "tujuan")
    sasaran = _isi_kelompok(keys_s, [s.nama if s else "" for _, s, _ in found], "sasaran")
    rows = [
        Baris(_indikator_rows(ind, [t_cell, s_cell], ctx.tahun), kunci=ind_id)
        for ind_id, (_, _, ind), t_cell, s_cell in zip(t.indikator, found, tujuan, sasaran)
    ]
    gabung(rows, 0, keys_t)
    gabung(rows, 1, keys_s)
    return _new(kepala, rows, [13, 15, 16, 7, 25] + [24 / len(ctx.tahun)] * len(ctx.tahun), "tabel-sedang")


def _iku(ctx, t) -> Tampilan:
    lookup = indikator_sasaran(ctx.source.sasaran)
    kepala = [
        [
            th("Sasaran Strategis"),
            th("Indikator Kinerja Utama"),
            th("Rumus Perhitungan / Penjelasan"),
            th("Sumber Data"),
            th("Penanggung Jawab"),
        ]
    ]
    found = [lookup[ind_id] for ind_id in t.indikator]
    _, keys = _kunci_tujuan_sasaran(found)
    sasaran = _isi_kelompok(keys, [s.nama if s else "" for _, s, _ in found], "sasaran")
    rows = [
        Baris(
            [
                s_cell,
                td(ind.nama, kolom="nama"),
                td(ind.formula, kolom="formula"),
                td(ind.sumber_data, kolom="sumber_data"),
                td(ind.penanggung_jawab, kolom="penanggung_jawab"),
            ],
            kunci=ind_id,
        )
        for ind_id, (_, _, ind), s_cell in zip(t.indikator, found, sasaran)
    ]
    gabung(rows, 0, keys)
    return _new(kepala, rows, [22, 20, 28, 15, 15], "tabel-sedang")


def _tc26(ctx, t) -> Tampilan:
    lookup = indikator_sasaran(ctx.source.sasaran)
    kepala = [[th("Tujuan"), th("Sasaran"), th("Strategi"), th("Arah Kebijakan")]]
    found = [lookup[s.indikator] for s in t.strategi]
    keys_t, keys_s = _kunci_tujuan_sasaran(found)
    tujuan = _isi_kelompok(keys_t, [tj.nama for tj, _, _ in found], "tujuan")
    sasaran = _isi_kelompok(keys_s, [sa.nama if sa else "" for _, sa, _ in found], "sasaran")
    rows = [
        Baris(
            [
                t_cell,
                s_cell,
                td(s.strategi, kolom="strategi"),
                Sel("", daftar=list(s.arah_kebijakan), kolom="arah_kebijakan"),
            ],
            kunci=f"{s.indikator}: {s.strategi}",
        )
        for s, t_cell, s_cell in zip(t.strategi, tujuan, sasaran)
    ]
    gabung(rows, 0, keys_t)
    gabung(rows, 1, keys_s)
    return _new(kepala, rows, [17, 20, 20, 43], "tabel-sedang")


def _tc28(ctx, t) -> Tampilan:
    lookup = indikator_sasaran(ctx.source.sasaran)
    nodes = program_by_kode(program_tree(ctx.source))
    years = ctx.tahun
    kepala = [
        [
            th("Tujuan", rowspan=2),
            th("Sasaran Kinerja", rowspan=2),
            th("Indikator Kinerja", rowspan=2),
            th("Satuan", rowspan=2),
            th("Formulasi Penghitungan", rowspan=2),
            th(f"Kondisi Kinerja pada awal periode {ctx.induk} (Tahun {ctx.periode.tahun_dasar})", rowspan=2),
            th("Target Capaian Setiap Tahun", colspan=len(years)),
            th(f"Kondisi Kinerja pada akhir periode {ctx.induk}", rowspan=2),
        ],
        [th(y) for y in years],
    ]
    rows, keys_t, keys_s = [], [], []
    run = None  # the Tujuan cell being drawn down: (tujuan id, its group), None where there is none
    for index, group in enumerate(t.kelompok):
        if group.program:  # a program serves the sasaran listed before it: the tujuan runs on
            node = nodes[group.program]
            tujuan_name, sasaran_name, indicators, key = "", node.sasaran, node.indikator, group.program
        elif group.sasaran:
            tujuan, sasaran, _ = next(v for v in lookup.values() if v[1] and v[1].id == group.sasaran)
            tujuan_name, sasaran_name, indicators, key = "", sasaran.nama, sasaran.indikator, group.sasaran
            run = run if run and run[0] == tujuan.id else None
        else:
            tujuan = next(tj for tj in ctx.source.sasaran.tujuan if tj.id == group.tujuan)
            tujuan_name, sasaran_name, indicators, key = tujuan.nama, "", tujuan.indikator, group.tujuan
            run = (tujuan.id, index)
        keys_t += [run] * len(indicators)
        keys_s += [index if sasaran_name else None] * len(indicators)
        for i, ind in enumerate(indicators):
            awal = (
                getattr(ind, "kondisi_awal", None) if isinstance(ind, IndikatorSasaran) else ind.capaian_awal
            )
            first = i == 0
            rows.append(
                Baris(
                    [
                        td(tujuan_name if first else "", kolom="tujuan" if first and tujuan_name else None),
                        td(
                            sasaran_name if first else "", kolom="sasaran" if first and sasaran_name else None
                        ),
                        td(ind.nama, kolom="nama"),
                        td(ind.satuan, kolom="satuan"),
                        td(ind.formula, kolom="formula"),
                        td(target_text(ind, awal), "angka", "kondisi_awal"),
                    ]
                    + _target_cells(ind, years)
                    + [td(akhir_text(ind), "angka", "akhir_periode", True)],
                    kunci=ind.id or f"{key} [{i + 1}]",
                    induk=key,
                )
            )
    gabung(rows, 0, keys_t)
    gabung(rows, 1, keys_s)
    return _new(kepala, rows, [12, 14, 17, 6, 21, 7] + [18 / len(years)] * len(years) + [7], "tabel-sedang")


def _cascading(ctx, t) -> Tampilan:
    registry = {tj.id: tj for tj in ctx.source.sasaran.tujuan}
    tujuan = registry[t.tujuan] if t.tujuan is not None else None  # None: not yet filled in
    sasaran_names = [s.nama for s in tujuan.sasaran if s.id in t.sasaran] if tujuan else []
    nodes = program_by_kode(program_tree(ctx.source))
    kepala = [
        [th("Tujuan"), Sel(tujuan.nama if tujuan else "", colspan=3)],
        [th("Sasaran"), Sel("", colspan=3, daftar=sasaran_names)],
        [th("Program"), th("Kegiatan"), th("Sub Kegiatan"), th("Indikator")],
    ]
    rows, keys = [], []  # keys: per row, the program, kegiatan and sub kegiatan it lies under
    for cp in t.program:
        rows += _cascading_rows(nodes[cp.kode], 0, "program", None)
        keys += [(cp.kode, None, None)] * (len(rows) - len(keys))
        for ck in cp.kegiatan:
            rows += _cascading_rows(nodes[ck.kode], 1, "kegiatan", cp.kode)
            keys += [(cp.kode, ck.kode, None)] * (len(rows) - len(keys))
            for kode in ck.sub_kegiatan:
                rows += _cascading_rows(nodes[kode], 2, "sub-kegiatan", ck.kode)
                keys += [(cp.kode, ck.kode, kode)] * (len(rows) - len(keys))
    # a program's name runs down all the rows under it, a kegiatan's down its sub kegiatan: the cascade
    for level in range(3):
        gabung(rows, level, [k[: level + 1] if k[level] else None for k in keys])
    return _new(kepala, rows, [22, 22, 26, 30], "tabel-sedang")


_TINGKAT = ("program", "kegiatan", "sub_kegiatan")


def _cascading_rows(node: Simpul, level: int, kelas: str, induk: str | None) -> list[Baris]:
    rows = []
    for i, ind in enumerate(node.indikator):
        names = [td(""), td(""), td("")]
        if i == 0:
            names[level] = td(node.nama, kolom=_TINGKAT[level])
        rows.append(Baris(names + [td(ind.nama, kolom="indikator")], kelas, kunci=node.kode, induk=induk))
    return rows


def _tc27(ctx, t: TabelTC27) -> Tampilan:
    years = ctx.tahun
    # a table made before the Kepmendagri 050-5889/2021 nomenclature stops at kegiatan; its headers say so
    levels = "Program/ Kegiatan" + (
        "/ Sub Kegiatan" if any(level == "sub_kegiatan" for level, _ in t.simpul()) else ""
    )
    kepala = [
        [
            th("Kode", rowspan=2),
            th(f"Sasaran {levels}", rowspan=2),
            th(levels, rowspan=2),
            th("Indikator", rowspan=2),
            th("Satuan", rowspan=2),
            th("Formulasi Penghitungan", rowspan=2),
            th(f"Capaian awal tahun perencanaan (Tahun {ctx.periode.tahun_dasar})", rowspan=2),
        ]
        + [th(y, colspan=2) for y in years]
        + [th("Akhir Periode", colspan=2), th("Unit Kerja", rowspan=2), th("Lokasi", rowspan=2)],
        [th(x) for _ in range(len(years) + 1) for x in ("Target", "Rp")],
        [th(i) for i in range(1, 2 * len(years) + 12)],
    ]
    rows = []
    parents: dict[str, str] = {}
    for program in t.program:
        for kegiatan in program.kegiatan:
            parents[kegiatan.kode] = program.kode
            for sub in kegiatan.sub_kegiatan:
                parents[sub.kode] = kegiatan.kode
    # per row: its node, and the group its Unit Kerja and Lokasi run down while they stay the same (a
    # program's own rows; a kegiatan with its sub kegiatan)
    node_keys, unit_keys, place_keys = [], [], []
    for level, node in t.simpul():
        rows += _tc27_rows(node, level.replace("_", "-"), years, parents.get(node.kode))
        group = parents[node.kode] if level == "sub_kegiatan" else node.kode
        count = len(node.indikator)
        node_keys += [node.kode] * count
        unit_keys += [(group, node.unit_kerja or "")] * count
        place_keys += [(group, node.lokasi or "")] * count
    pagu = {y: sum(p.pagu[y] for p in t.program) for y in years}
    total = [Sel("Total Pendanaan Renstra", colspan=7)]
    for y in years:
        total += [td(""), rp(pagu[y], f"pagu.{y}", True)]
    total += [td(""), rp(sum(pagu.values()), "akhir_periode.rp", True), td(""), td("")]
    rows.append(Baris(total, "total", kunci="Total Pendanaan Renstra"))
    node_keys.append(None)
    unit_keys.append(None)
    place_keys.append(None)
    width = len(rows[0].sel)
    own = [0, 1, 2] + [8 + 2 * i for i in range(len(years) + 1)]  # kode, sasaran, nama, each Rp
    for index in own:
        gabung(rows, index, node_keys)
    gabung(rows, width - 2, unit_keys)
    gabung(rows, width - 1, place_keys)
    # proportions only: the widths and the type come from the text measured (_ukur), the T-C.27's
    # columns shared so that its pages hold as many rows as they can
    widths = [18, 15.5, 15.5, 15.5, 11, 15.5, 11] + [11, 21.5] * (len(years) + 1) + [19, 19]
    view_ = _new(kepala, rows, widths, "tabel-lebar")
    view_.nomor_kolom = True
    return view_


def _tc27_rows(node: Simpul, kelas: str, years, induk: str | None) -> list[Baris]:
    rows = []
    for i, ind in enumerate(node.indikator):
        first = i == 0

        def own(value, kolom, kelas_sel="", first=first):
            """A cell of the node itself: printed on its first row only."""
            return td(value, kelas_sel, kolom) if first else td("")

        cells = [
            own(node.kode, "kode"),
            own(node.sasaran, "sasaran"),
            own(node.nama, "nama", "nama"),
            td(ind.nama, kolom="indikator"),
            td(ind.satuan, kolom="satuan"),
            td(ind.formula, kolom="formula"),
            td(target_text(ind, ind.capaian_awal), "angka", "capaian_awal"),
        ]
        if not first:
            cells[2] = td("", "nama")
        for y in years:
            cells += [
                td(target_text(ind, ind.target[y]), "angka", f"target.{y}"),
                rp(node.pagu[y], f"pagu.{y}") if first else td(""),
            ]
        cells += [
            td(akhir_text(ind), "angka", "akhir_periode.target", True),
            rp(node.pagu_akhir, "akhir_periode.rp", True) if first else td(""),
            own(node.unit_kerja, "unit_kerja", "unit"),
            own(node.lokasi, "lokasi", "unit"),
        ]
        rows.append(Baris(cells, kelas, kunci=node.kode, induk=induk))
    return rows


# The wide kinds, laid out on landscape pages.
LANSKAP = (TabelTC23, TabelTC24, TabelTC27, TabelTC28, TabelCascading)

_BUILDERS = {
    TabelSederhana: _sederhana,
    TabelTC23: _tc23,
    TabelTC24: _tc24,
    TabelTC25: _tc25,
    TabelIKU: _iku,
    TabelCascading: _cascading,
    TabelTC26: _tc26,
    TabelTC27: _tc27,
    TabelTC28: _tc28,
}


def _builder(table):
    return _BUILDERS[type(table)]
