"""Table views: what each table shows, derived from the model — totals, Akhir Periode, resolved references.

Both the HTML (PDF) and the DOCX renderers read these views, so a cell reads the same in both.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from renstra.document import numbers as angka
from renstra.source.load import Document
from renstra.source.models import (TAHUN_RENSTRA, Indikator, IndikatorSasaran, Program, RegistriSasaran, Sasaran,
                     Simpul, TabelTC27, Tujuan)

LANSKAP = {"tc23", "tc24", "tc27", "tc28", "cascading"}


@dataclass
class Sel:
    """One cell: its text and how it aligns (angka = right-aligned number)."""

    teks: str = ""
    kelas: str = ""
    colspan: int = 1
    rowspan: int = 1
    daftar: list[str] = field(default_factory=list)   # a numbered list inside the cell


@dataclass
class Baris:
    sel: list[Sel]
    kelas: str = ""          # total, program, kegiatan, sub-kegiatan, kelompok


@dataclass
class Tampilan:
    """A table ready to draw: header rows, body rows, widths, and where it sits."""

    id: str
    label: str               # "Tabel 6.1"
    judul: str
    kode_tc: str | None
    kepala: list[list[Sel]]
    baris: list[Baris]
    lebar: list[float] = field(default_factory=list)   # relative column widths
    lanskap: bool = False
    sumber: str | None = None
    ukuran: str = ""         # tabel-lebar / tabel-sedang

    @property
    def keterangan(self) -> str:
        suffix = f" ({self.kode_tc})" if self.kode_tc else ""
        return f"{self.label} {self.judul}{suffix}"


def th(teks, colspan=1, rowspan=1) -> Sel:
    return Sel(str(teks), "", colspan, rowspan)


def td(teks, kelas="") -> Sel:
    return Sel("" if teks is None else str(teks), kelas)


def rp(value) -> Sel:
    return Sel(angka.rupiah(value), "angka rp")


def num(value) -> Sel:
    return Sel(angka.bilangan(value) if value is not None else "-", "angka")


# --- registry lookups -------------------------------------------------------------------------

def indikator_sasaran(registry: RegistriSasaran) -> dict[str, tuple[Tujuan, Sasaran | None, IndikatorSasaran]]:
    """Indicator id → (tujuan, sasaran or None for tujuan-level, indicator)."""
    found = {}
    for tujuan in registry.tujuan:
        for ind in tujuan.indikator:
            found[ind.id] = (tujuan, None, ind)
        for sasaran in tujuan.sasaran:
            for ind in sasaran.indikator:
                found[ind.id] = (tujuan, sasaran, ind)
    return found


def program_by_kode(tc27: TabelTC27) -> dict[str, Simpul]:
    return {node.kode: node for _, node in tc27.simpul()}


# --- helpers for indicator cells --------------------------------------------------------------

def satuan_target(ind: Indikator) -> str:
    if ind.satuan_target:
        return ind.satuan_target
    satuan = ind.satuan.strip().lower()
    if satuan in ("persen", "%"):
        return "%"
    return "" if satuan in ("angka", "nilai", "indeks") else satuan  # an index is a bare number


def target_text(ind: Indikator, value) -> str:
    return angka.nilai(value, satuan_target(ind))


def akhir_text(ind: Indikator) -> str:
    unit = ind.satuan_akhir or satuan_target(ind)
    return angka.nilai(ind.target_akhir, unit)


# --- the views ---------------------------------------------------------------------------------

def view(doc: Document, table_id: str, label: str) -> Tampilan:
    """The view of one table by id."""
    builder = _BUILDERS[table_id]
    table = doc.tabel[table_id]
    result = builder(doc, table)
    result.id, result.label = table_id, label
    result.judul, result.kode_tc = table.judul, table.kode_tc
    result.sumber = result.sumber or getattr(table, "sumber", None)
    result.lanskap = table_id in LANSKAP
    return result


def _new(kepala, baris, lebar=(), ukuran="") -> Tampilan:
    return Tampilan("", "", "", None, kepala, baris, list(lebar), ukuran=ukuran)


def _pegawai(doc, t) -> Tampilan:
    kepala = [
        [th("No", rowspan=2), th("SKPD", rowspan=2), th("Uraian", colspan=5), th("Jumlah", colspan=2),
         th("L", rowspan=2), th("P", rowspan=2), th("Jumlah", rowspan=2)],
        [th("Ess II"), th("S. Ahli"), th("Ess III"), th("Ess IV"), th("Staf PNS"), th("PNS"), th("PTT")],
    ]
    rows = []
    cols = ("eselon_ii", "staf_ahli", "eselon_iii", "eselon_iv", "staf_pns")
    for no, r in enumerate(t.baris, 1):
        rows.append(Baris([td(no, "tengah"), td(r.unit)] + [num(getattr(r, c)) for c in cols] +
                          [num(r.pns), num(r.ptt), num(r.laki_laki), num(r.perempuan), num(r.jumlah)]))
    total = lambda attr: sum(getattr(r, attr) or 0 for r in t.baris)  # noqa: E731
    rows.append(Baris([Sel("JUMLAH", colspan=2)] + [num(total(c)) for c in cols] +
                      [num(total("pns")), num(total("ptt")), num(total("laki_laki")), num(total("perempuan")),
                       num(total("jumlah"))], "total"))
    return _new(kepala, rows, [4, 26, 7, 7, 7, 7, 7, 7, 7, 6, 6, 7], "tabel-sedang")


def _inventaris(doc, t) -> Tampilan:
    kepala = [[th("No"), th("Pembidangan Barang"), th("Jumlah"), th("Satuan"), th("Nilai")]]
    rows = [Baris([td(no, "tengah"), td(r.pembidangan), num(r.jumlah), td(r.satuan), rp(r.nilai)])
            for no, r in enumerate(t.baris, 1)]
    rows.append(Baris([Sel("Total Aset Tetap SETDA", colspan=2), num(sum(r.jumlah for r in t.baris)),
                       td(t.satuan_total), rp(sum(r.nilai for r in t.baris))], "total"))
    return _new(kepala, rows, [5, 45, 12, 15, 23])


def _kendaraan(doc, t) -> Tampilan:
    kepala = [[th("No"), th("Alat Angkutan"), th("Jumlah"), th("Nilai")]]
    rows = [Baris([td(no, "tengah"), td(r.alat_angkutan), td(f"{angka.bilangan(r.jumlah)} {r.satuan}", "angka"),
                   rp(r.nilai)]) for no, r in enumerate(t.baris, 1)]
    satuan = t.baris[0].satuan
    rows.append(Baris([Sel("Total", colspan=2), td(f"{angka.bilangan(sum(r.jumlah for r in t.baris))} {satuan}", "angka"),
                       rp(sum(r.nilai for r in t.baris))], "total"))
    return _new(kepala, rows, [6, 50, 18, 26])


def _dua_kolom(kepala_teks, attr_a, attr_b):
    def build(doc, t) -> Tampilan:
        rows = [Baris([td(getattr(r, attr_a)), td(getattr(r, attr_b) or "-")]) for r in t.baris]
        return _new([[th(kepala_teks[0]), th(kepala_teks[1])]], rows, [40, 60])
    return build


def _permasalahan(doc, t) -> Tampilan:
    rows = [Baris([td(r.masalah_pokok), td(r.masalah), Sel("", daftar=list(r.akar_masalah))]) for r in t.baris]
    return _new([[th("Masalah Pokok"), th("Masalah"), th("Akar Masalah")]], rows, [25, 25, 50])


def _historis_kepala(first: str, groups: list[tuple[str, list[str]]], extra: list[Sel]) -> list[list[Sel]]:
    top = [th(first, rowspan=2)] + extra + [th(name, colspan=len(cols)) for name, cols in groups]
    bottom = [th(c) for _, cols in groups for c in cols]
    return [top, bottom]


def _grouped_rows(t, width: int, group_rows) -> list[Baris]:
    """TC-23 and TC-24: a row per bagian, a row per periode (where named), then the group's own rows."""
    rows = []
    for bagian in t.bagian:
        rows.append(Baris([Sel(bagian.nama, colspan=width)], "kelompok"))
        for kelompok in bagian.kelompok:
            if kelompok.periode:
                rows.append(Baris([Sel(kelompok.periode, colspan=width)], "subkelompok"))
            rows += group_rows(kelompok)
    return rows


def _tc23(doc, t) -> Tampilan:
    years = [str(y) for y in range(2019, 2024)]
    kepala = _historis_kepala("Indikator Kinerja",
                              [("Target Renstra Perangkat Daerah Tahun", years), ("Realisasi Capaian Tahun", years),
                               ("Rasio Capaian Tahun", years)],
                              [th("Target NSPK", rowspan=2), th("Target IKK", rowspan=2), th("Target Indikator Lainnya", rowspan=2)])
    kepala[0].insert(0, th("No", rowspan=2))

    def indikator_rows(kelompok):
        for no, ind in enumerate(kelompok.indikator, 1):
            cells = [td(no, "tengah"), td(ind.nama or "")]
            cells += [td(angka.sel(v) if v is not None else "", "tengah") for v in (ind.target_nspk, ind.target_ikk, ind.target_lainnya)]
            for series in (ind.target, ind.realisasi, ind.rasio):
                cells += [td(angka.sel(series[y]), "angka") for y in range(2019, 2024)]
            yield Baris(cells)
    rows = _grouped_rows(t, 19, indikator_rows)
    return _new(kepala, rows, [2.5, 17] + [5] * 3 + [5] * 15, "tabel-lebar")


def _tc24(doc, t) -> Tampilan:
    years = [str(y) for y in range(2019, 2024)]
    kepala = _historis_kepala("Uraian", [("Anggaran pada Tahun", years), ("Realisasi Anggaran pada Tahun", years),
                                         ("Rasio antara Realisasi dan Anggaran Tahun", years),
                                         ("Rata-rata Pertumbuhan", ["Anggaran", "Realisasi"])], [])

    def program_rows(kelompok):
        for prog in kelompok.program:
            cells = [td(prog.nama or "")]
            for series in (prog.anggaran, prog.realisasi):
                cells += [td(angka.sel(series[y]), "angka rp") for y in range(2019, 2024)]
            cells += [td(angka.sel(prog.rasio[y]), "angka") for y in range(2019, 2024)]
            cells += [td(angka.sel(prog.pertumbuhan_anggaran), "angka"), td(angka.sel(prog.pertumbuhan_realisasi), "angka")]
            yield Baris(cells)
    rows = _grouped_rows(t, 18, program_rows)
    return _new(kepala, rows, [12] + [7.2] * 10 + [4] * 5 + [4.5, 4.5], "tabel-lebar")


def _indikator_rows(ind: IndikatorSasaran, lead: list[Sel]) -> list[Sel]:
    return lead + [td(ind.nama), td(ind.satuan), td(ind.formula)] + \
        [td(target_text(ind, ind.target[y]), "angka") for y in TAHUN_RENSTRA]


def _tc25(doc, t) -> Tampilan:
    lookup = indikator_sasaran(doc.sasaran)
    kepala = [[th("Tujuan", rowspan=2), th("Sasaran", rowspan=2), th("Indikator", rowspan=2), th("Satuan", rowspan=2),
               th("Formulasi Perhitungan", rowspan=2), th("Target", colspan=3)],
              [th(y) for y in TAHUN_RENSTRA]]
    rows, shown_t, shown_s = [], None, None
    for ind_id in t.indikator:
        tujuan, sasaran, ind = lookup[ind_id]
        lead = [td(tujuan.nama if tujuan.id != shown_t else ""),
                td(sasaran.nama if sasaran and sasaran.id != shown_s else "")]
        shown_t, shown_s = tujuan.id, (sasaran.id if sasaran else shown_s)
        rows.append(Baris(_indikator_rows(ind, lead)))
    return _new(kepala, rows, [13, 15, 16, 7, 25, 8, 8, 8], "tabel-sedang")


def _iku(doc, t) -> Tampilan:
    lookup = indikator_sasaran(doc.sasaran)
    kepala = [[th("Sasaran Strategis"), th("Indikator Kinerja Utama"), th("Rumus Perhitungan / Penjelasan"),
               th("Sumber Data"), th("Penanggung Jawab")]]
    rows, shown = [], None
    for ind_id in t.indikator:
        _, sasaran, ind = lookup[ind_id]
        name = sasaran.nama if sasaran else ""
        rows.append(Baris([td(name if name != shown else ""), td(ind.nama), td(ind.formula),
                           td(ind.sumber_data), td(ind.penanggung_jawab)]))
        shown = name
    return _new(kepala, rows, [22, 20, 28, 15, 15], "tabel-sedang")


def _tc26(doc, t) -> Tampilan:
    lookup = indikator_sasaran(doc.sasaran)
    kepala = [[th("Tujuan"), th("Sasaran"), th("Strategi"), th("Arah Kebijakan")]]
    rows, shown_t, shown_s = [], None, None
    for s in t.strategi:
        tujuan, sasaran, _ = lookup[s.indikator]
        rows.append(Baris([td(tujuan.nama if tujuan.id != shown_t else ""),
                           td(sasaran.nama if sasaran and sasaran.id != shown_s else ""),
                           td(s.strategi), Sel("", daftar=list(s.arah_kebijakan))]))
        shown_t, shown_s = tujuan.id, (sasaran.id if sasaran else shown_s)
    return _new(kepala, rows, [17, 20, 20, 43], "tabel-sedang")


def _tc28(doc, t) -> Tampilan:
    lookup = indikator_sasaran(doc.sasaran)
    nodes = program_by_kode(doc.tabel["tc27"])
    kepala = [[th("Tujuan", rowspan=2), th("Sasaran Kinerja", rowspan=2), th("Indikator Kinerja", rowspan=2),
               th("Satuan", rowspan=2), th("Formulasi Penghitungan", rowspan=2),
               th("Kondisi Kinerja pada awal periode RPD (Tahun 2022)", rowspan=2),
               th("Target Capaian Setiap Tahun", colspan=3), th("Kondisi Kinerja pada akhir periode RPD", rowspan=2)],
              [th(y) for y in TAHUN_RENSTRA]]
    rows = []
    for group in t.kelompok:
        if group.program:
            node = nodes[group.program]
            tujuan_name, sasaran_name, indicators = "", node.sasaran, node.indikator
        elif group.sasaran:
            tujuan, sasaran, _ = next(v for v in lookup.values() if v[1] and v[1].id == group.sasaran)
            tujuan_name, sasaran_name, indicators = "", sasaran.nama, sasaran.indikator
        else:
            tujuan = next(tj for tj in doc.sasaran.tujuan if tj.id == group.tujuan)
            tujuan_name, sasaran_name, indicators = tujuan.nama, "", tujuan.indikator
        for i, ind in enumerate(indicators):
            awal = getattr(ind, "kondisi_awal", None) if isinstance(ind, IndikatorSasaran) else ind.capaian_awal
            rows.append(Baris([td(tujuan_name if i == 0 else ""), td(sasaran_name if i == 0 else ""),
                               td(ind.nama), td(ind.satuan), td(ind.formula), td(target_text(ind, awal), "angka")] +
                              [td(target_text(ind, ind.target[y]), "angka") for y in TAHUN_RENSTRA] +
                              [td(akhir_text(ind), "angka")]))
    return _new(kepala, rows, [12, 14, 17, 6, 21, 7, 6, 6, 6, 7], "tabel-sedang")


def _cascading(doc, t) -> Tampilan:
    registry = {tj.id: tj for tj in doc.sasaran.tujuan}
    tujuan = registry[t.tujuan]
    sasaran_names = [s.nama for s in tujuan.sasaran if s.id in t.sasaran]
    nodes = program_by_kode(doc.tabel["tc27"])
    kepala = [[th("Tujuan"), Sel(tujuan.nama, colspan=3)],
              [th("Sasaran"), Sel("", colspan=3, daftar=sasaran_names)],
              [th("Program"), th("Kegiatan"), th("Sub Kegiatan"), th("Indikator")]]
    rows = []
    for cp in t.program:
        rows += _cascading_rows(nodes[cp.kode], 0, "program")
        for ck in cp.kegiatan:
            rows += _cascading_rows(nodes[ck.kode], 1, "kegiatan")
            for kode in ck.sub_kegiatan:
                rows += _cascading_rows(nodes[kode], 2, "sub-kegiatan")
    return _new(kepala, rows, [22, 22, 26, 30], "tabel-sedang")


def _cascading_rows(node: Simpul, level: int, kelas: str) -> list[Baris]:
    rows = []
    for i, ind in enumerate(node.indikator):
        names = [td(""), td(""), td("")]
        if i == 0:
            names[level] = td(node.nama)
        rows.append(Baris(names + [td(ind.nama)], kelas))
    return rows


def _tc27(doc, t: TabelTC27) -> Tampilan:
    kepala = [
        [th("Kode", rowspan=2), th("Sasaran Program/ Kegiatan/ Sub Kegiatan", rowspan=2),
         th("Program/ Kegiatan/ Sub Kegiatan", rowspan=2), th("Indikator", rowspan=2), th("Satuan", rowspan=2),
         th("Formulasi Penghitungan", rowspan=2), th("Capaian awal tahun perencanaan (Tahun 2022)", rowspan=2)]
        + [th(y, colspan=2) for y in TAHUN_RENSTRA] + [th("Akhir Periode", colspan=2),
                                                         th("Unit Kerja", rowspan=2), th("Lokasi", rowspan=2)],
        [th(x) for _ in range(4) for x in ("Target", "Rp")],
        [th(i) for i in range(1, 18)],
    ]
    rows = []
    for level, node in t.simpul():
        rows += _tc27_rows(node, level.replace("_", "-"))
    pagu = {y: sum(p.pagu[y] for p in t.program) for y in TAHUN_RENSTRA}
    total = [Sel("Total Pendanaan Renstra", colspan=7)]
    for y in TAHUN_RENSTRA:
        total += [td(""), rp(pagu[y])]
    total += [td(""), rp(sum(pagu.values())), td(""), td("")]
    rows.append(Baris(total, "total"))
    # widths in mm of a 267 mm landscape line: a Rp column must hold "Rp131.639.051.580" at 6.3 pt
    return _new(kepala, rows, [18, 15.5, 15.5, 15.5, 11, 15.5, 11] + [11, 21.5] * 4 + [19, 19], "tabel-lebar")


def _tc27_rows(node: Simpul, kelas: str) -> list[Baris]:
    rows = []
    for i, ind in enumerate(node.indikator):
        first = i == 0
        cells = [td(node.kode if first else ""), td(node.sasaran if first else ""),
                 td(node.nama if first else "", "nama"), td(ind.nama), td(ind.satuan), td(ind.formula),
                 td(target_text(ind, ind.capaian_awal), "angka")]
        for y in TAHUN_RENSTRA:
            cells += [td(target_text(ind, ind.target[y]), "angka"), rp(node.pagu[y]) if first else td("")]
        cells += [td(akhir_text(ind), "angka"), rp(node.pagu_akhir) if first else td(""),
                  td(node.unit_kerja if first else ""), td(node.lokasi if first else "")]
        rows.append(Baris(cells, kelas))
    return rows


_BUILDERS = {
    "pegawai": _pegawai,
    "inventaris": _inventaris,
    "kendaraan": _kendaraan,
    "tc23": _tc23,
    "tc24": _tc24,
    "kelompok-sasaran": _dua_kolom(("Bagian", "Kelompok Sasaran Pelayanan"), "bagian", "kelompok_sasaran"),
    "mitra": _dua_kolom(("Bagian", "Mitra Pelayanan Publik"), "bagian", "mitra"),
    "permasalahan": _permasalahan,
    "tc25": _tc25,
    "cascading": _cascading,
    "tc26": _tc26,
    "tc27": _tc27,
    "iku": _iku,
    "tc28": _tc28,
}
