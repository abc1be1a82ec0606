"""Diff: two versions (git refs or the working tree) → what changed, for reviewers.

Both versions go through the same loader; the models are compared by key (kode, indicator id,
row label), not by position, so a reordered row is a move. Values are compared as the document
prints them. Derived values (totals, rollups, Akhir Periode) are reported separately as
consequences of the edits that caused them.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from renstra.document import numbers as angka
from renstra.source.load import Document
from renstra.document.chapters import number_items, scan_arahan
from renstra.source.models import TAHUN_RENSTRA, Berpredikat, Model, TabelTC27
from renstra.document.views import akhir_text, target_text
from renstra.review.versions import load_version, workdir  # noqa: F401  (cli and tests import them from here)

UBAH, TAMBAH, HAPUS, PINDAH = "ubah", "tambah", "hapus", "pindah"


@dataclass(frozen=True)
class Perubahan:
    """One change of one cell, row or position."""

    tabel: str          # table id, or "sasaran"/"dokumen"/"errata"
    kunci: str          # row key: kode, indicator id, row label
    jenis: str          # ubah / tambah / hapus / pindah
    kolom: str = ""     # e.g. pagu.2025, indikator[0].target.2026
    lama: str = ""
    baru: str = ""


@dataclass
class NaskahBerubah:
    """A section of a chapter whose words changed, with the word-level redline."""

    bab: str
    bagian: str
    redline: str        # HTML with <del>/<ins>
    dihapus: list[str] = field(default_factory=list)
    ditambah: list[str] = field(default_factory=list)


@dataclass
class Laporan:
    dari: str
    ke: str
    naskah: list[NaskahBerubah]
    data: list[Perubahan]           # edits of typed data
    akibat: list[Perubahan]         # derived values that changed as a consequence
    anggaran: list[dict]            # per program and year: before, after, delta, %
    total: tuple[int, int]          # Renstra total before, after
    nama: dict[str, str] = field(default_factory=dict)   # table id / chapter path → what a reader calls it

    def sebut(self, key: str) -> str:
        return self.nama.get(key, key)

    @property
    def kosong(self) -> bool:
        return not (self.naskah or self.data or self.akibat)


def diff(before: Document, after: Document, dari: str, ke: str) -> Laporan:
    """Compare two loaded documents."""
    data, akibat = [], []
    for table_id in sorted(set(before.tabel) | set(after.tabel)):
        old, new = before.tabel.get(table_id), after.tabel.get(table_id)
        if table_id == "tc27":
            data += _compare_rows(table_id, _tc27_rows(old), _tc27_rows(new))
            # rows added or removed are reported once, under data; here only values that moved along
            akibat += [c for c in _compare_rows(table_id, _tc27_derived(old), _tc27_derived(new), moves=False)
                       if c.jenis == UBAH]
        else:
            data += _compare_rows(table_id, _generic_rows(table_id, old), _generic_rows(table_id, new))
    data += _compare_rows("sasaran", _indicator_rows(before), _indicator_rows(after), moves=False)
    data += _compare_rows("dokumen", {"dokumen": (None, 0, _flatten(before.dokumen))},
                          {"dokumen": (None, 0, _flatten(after.dokumen))}, moves=False)
    data += _compare_rows("errata", _errata_rows(before), _errata_rows(after), moves=False)
    anggaran, total = _budget(before.tabel["tc27"], after.tabel["tc27"])
    return Laporan(dari, ke, _compare_chapters(before, after), data, akibat, anggaran, total,
                   _reader_names(before) | _reader_names(after))


def _reader_names(doc: Document) -> dict[str, str]:
    """'tc27' → 'Tabel 6.1 Rencana Program, …', 'content/03-….md' → 'BAB III PERMASALAHAN …'."""
    penomoran, _ = number_items(doc, scan_arahan(doc.bab))
    names = {t: f"{penomoran.label.get(t, t)} {doc.tabel[t].judul}" for t in doc.tabel}
    for chapter in doc.bab:
        title = next((l.lstrip("# ").strip() for l in chapter.text.splitlines() if l.startswith("# ")), chapter.path)
        names[chapter.path] = f"BAB {chapter.nomor} {title}" if chapter.nomor else title
    return names | {"sasaran": "Tujuan, sasaran dan indikator", "dokumen": "Identitas dokumen", "errata": "Errata"}


# --- rows by key --------------------------------------------------------------------------------

Rows = dict[str, tuple[object, int, dict[str, str]]]   # key → (parent key, position, {column: printed value})


def _compare_rows(table: str, old: Rows, new: Rows, moves: bool = True) -> list[Perubahan]:
    changes = []
    for key in old.keys() - new.keys():
        changes.append(Perubahan(table, key, HAPUS, lama=_row_summary(old[key][2])))
    for key in new.keys() - old.keys():
        changes.append(Perubahan(table, key, TAMBAH, baru=_row_summary(new[key][2])))
    common = [k for k in new if k in old]
    for key in common:
        old_cells, new_cells = old[key][2], new[key][2]
        for column in sorted(old_cells.keys() | new_cells.keys()):
            if old_cells.get(column, "") != new_cells.get(column, ""):
                changes.append(Perubahan(table, key, UBAH, column, old_cells.get(column, ""), new_cells.get(column, "")))
    if moves:
        changes += _moves(table, old, new, common)
    return sorted(changes, key=lambda c: (c.tabel, _natural(c.kunci), c.jenis, c.kolom))


def _moves(table: str, old: Rows, new: Rows, common: list[str]) -> list[Perubahan]:
    """Rows whose place among their siblings changed; the longest unchanged order is not a move."""
    changes = []
    parents = {old[k][0] for k in common} | {new[k][0] for k in common}
    for parent in parents:
        before = sorted((k for k in common if old[k][0] == parent), key=lambda k: old[k][1])
        after = sorted((k for k in common if new[k][0] == parent), key=lambda k: new[k][1])
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        stable = {before[b.a + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
        for key in after:
            if key not in stable and key in before:
                changes.append(Perubahan(table, key, PINDAH, "urutan", str(before.index(key) + 1),
                                         str(after.index(key) + 1)))
    for key in common:
        if old[key][0] != new[key][0]:
            changes.append(Perubahan(table, key, PINDAH, "induk", str(old[key][0]), str(new[key][0])))
    return changes


def _natural(key: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


def _row_summary(cells: dict[str, str]) -> str:
    for column in ("nama", "unit", "bagian", "pembidangan", "alat_angkutan", "strategi", "masalah_pokok"):
        if cells.get(column):
            return cells[column]
    return next(iter(cells.values()), "")


def _printed(value) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return angka.bilangan(value)
    if isinstance(value, Berpredikat):
        return angka.nilai(value)
    if value is None:
        return "N/A"
    if isinstance(value, list):
        return "; ".join(_printed(v) for v in value)
    return angka.bilangan(value) if not isinstance(value, str) and hasattr(value, "as_tuple") else str(value)


def _flatten(model: Model, prefix: str = "", skip: tuple = ()) -> dict[str, str]:
    cells = {}
    for name in type(model).model_fields:
        if name in skip:
            continue
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, Model):
            cells |= _flatten(value, key + ".")
        elif isinstance(value, dict):
            cells |= {f"{key}.{k}": _printed(v) for k, v in value.items()}
        elif isinstance(value, list) and value and isinstance(value[0], Model):
            for index, item in enumerate(value):
                cells |= _flatten(item, f"{key}[{index}].")
        else:
            cells[key] = _printed(value)
    return cells


def _tc27_rows(table: TabelTC27 | None) -> Rows:
    rows: Rows = {}
    if table is None:
        return rows
    for p_index, program in enumerate(table.program):
        rows[program.kode] = (None, p_index, _node_cells(program))
        for k_index, kegiatan in enumerate(program.kegiatan):
            rows[kegiatan.kode] = (program.kode, k_index, _node_cells(kegiatan))
            for s_index, sub in enumerate(kegiatan.sub_kegiatan):
                rows[sub.kode] = (kegiatan.kode, s_index, _node_cells(sub))
    return rows


def _node_cells(node) -> dict[str, str]:
    cells = _flatten(node, skip=("kode", "kegiatan", "sub_kegiatan", "pagu", "indikator"))
    cells |= {f"pagu.{y}": angka.rupiah(node.pagu[y]) for y in TAHUN_RENSTRA}
    for index, ind in enumerate(node.indikator):
        cells |= {f"indikator[{index}].{k}": v for k, v in _flatten(ind, skip=("target", "capaian_awal")).items()}
        cells[f"indikator[{index}].capaian_awal"] = target_text(ind, ind.capaian_awal)
        cells |= {f"indikator[{index}].target.{y}": target_text(ind, ind.target[y]) for y in TAHUN_RENSTRA}
    return cells


def _tc27_derived(table: TabelTC27 | None) -> Rows:
    """Akhir Periode of every node, the sum of the leaves under each kegiatan/program, the Renstra total."""
    rows: Rows = {}
    if table is None:
        return rows
    for level, node in table.simpul():
        cells = {"akhir_periode.rp": angka.rupiah(node.pagu_akhir)}
        cells |= {f"indikator[{i}].akhir_periode.target": akhir_text(ind) for i, ind in enumerate(node.indikator)}
        if level != "sub_kegiatan":
            leaves = _leaves(node)
            cells |= {f"jumlah_rincian.{y}": angka.rupiah(sum(s.pagu[y] for s in leaves)) for y in TAHUN_RENSTRA}
        rows[node.kode] = (None, 0, cells)
    totals = {y: sum(s.pagu[y] for p in table.program for s in _leaves(p)) for y in TAHUN_RENSTRA}
    rows["Total Pendanaan Renstra"] = (None, 0, {f"pagu.{y}": angka.rupiah(v) for y, v in totals.items()} |
                                       {"akhir_periode.rp": angka.rupiah(sum(totals.values()))})
    return rows


def _leaves(node):
    if hasattr(node, "sub_kegiatan"):
        return node.sub_kegiatan
    return [s for k in node.kegiatan for s in k.sub_kegiatan]


# Natural keys of the other tables: what a reviewer calls a row.
_ROW_KEY = {"pegawai": "unit", "inventaris": "pembidangan", "kendaraan": "alat_angkutan",
            "kelompok-sasaran": "bagian", "mitra": "bagian", "permasalahan": "masalah_pokok"}


def _generic_rows(table_id: str, table) -> Rows:
    rows: Rows = {}
    if table is None:
        return rows
    if table_id in _ROW_KEY:
        items = [(getattr(r, _ROW_KEY[table_id]), r) for r in table.baris]
    elif table_id in ("tc23", "tc24"):
        items = [(f"{b.nama} / {k.periode or '-'} / {getattr(r, 'nama', '') or '-'}", r)
                 for b in table.bagian for k in b.kelompok for r in (k.indikator if table_id == "tc23" else k.program)]
    elif table_id in ("tc25", "iku"):
        items = [(ind_id, None) for ind_id in table.indikator]
    elif table_id == "tc26":
        items = [(f"{s.indikator}: {s.strategi}", s) for s in table.strategi]
    elif table_id == "tc28":
        items = [(g.tujuan or g.sasaran or g.program, None) for g in table.kelompok]
    elif table_id == "cascading":
        items = [(k, None) for p in table.program for k in [p.kode] + [g.kode for g in p.kegiatan] +
                 [s for g in p.kegiatan for s in g.sub_kegiatan]]
    else:
        items = []
    seen: dict[str, int] = {}
    for index, (key, row) in enumerate(items):
        seen[key] = seen.get(key, 0) + 1
        unique = key if seen[key] == 1 else f"{key} ({seen[key]})"
        rows[unique] = (None, index, _flatten(row) if row is not None else {})
    head = _flatten(table, skip=("baris", "bagian", "indikator", "strategi", "kelompok", "program", "sasaran"))
    rows["(judul tabel)"] = ("(judul)", 0, head)
    return rows


def _indicator_rows(doc: Document) -> Rows:
    rows: Rows = {}
    for tujuan in doc.sasaran.tujuan:
        for owner in [tujuan] + list(tujuan.sasaran):
            for index, ind in enumerate(owner.indikator):
                cells = _flatten(ind, skip=("target", "kondisi_awal", "capaian_awal"))
                cells |= {f"target.{y}": target_text(ind, ind.target[y]) for y in TAHUN_RENSTRA}
                cells["kondisi_awal"] = target_text(ind, ind.kondisi_awal)
                cells["sasaran"] = owner.nama
                rows[ind.id] = (owner.id, index, cells)
    return rows


def _errata_rows(doc: Document) -> Rows:
    return {f"{e.tabel} {e.baris} {e.kolom}": (None, i, _flatten(e)) for i, e in enumerate(doc.errata.koreksi)}


# --- budget --------------------------------------------------------------------------------------

def _budget(old: TabelTC27, new: TabelTC27) -> tuple[list[dict], tuple[int, int]]:
    """Per program and year: the sum of its sub kegiatan before and after (Rp and %)."""
    rows = []
    programs = {p.kode: p for p in old.program} | {p.kode: p for p in new.program}
    old_by, new_by = {p.kode: p for p in old.program}, {p.kode: p for p in new.program}
    for kode in sorted(programs, key=_natural):
        for year in TAHUN_RENSTRA:
            before = sum(s.pagu[year] for s in _leaves(old_by[kode])) if kode in old_by else 0
            after = sum(s.pagu[year] for s in _leaves(new_by[kode])) if kode in new_by else 0
            if before != after:
                rows.append({"program": kode, "nama": programs[kode].nama, "tahun": year, "lama": before,
                             "baru": after, "selisih": after - before,
                             "persen": (after - before) / before * 100 if before else None})
    total = (sum(s.pagu[y] for p in old.program for s in _leaves(p) for y in TAHUN_RENSTRA),
             sum(s.pagu[y] for p in new.program for s in _leaves(p) for y in TAHUN_RENSTRA))
    return rows, total


# --- narrative -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|[^\s]+")


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) pairs: the chapter title part, then each ## / ### section."""
    parts, title, lines = [], "(awal bab)", []
    for line in text.splitlines():
        if re.match(r"^#{1,3}\s", line):
            parts.append((title, "\n".join(lines)))
            title, lines = line.lstrip("#").strip(), []
        else:
            lines.append(line)
    parts.append((title, "\n".join(lines)))
    return parts


def _compare_chapters(before: Document, after: Document) -> list[NaskahBerubah]:
    changed = []
    old_chapters = {c.path: c.text for c in before.bab}
    for chapter in after.bab:
        old_text = old_chapters.get(chapter.path, "")
        if old_text == chapter.text:
            continue
        old_sections = dict(_sections(old_text))
        for title, body in _sections(chapter.text):
            old_body = old_sections.get(title)
            if old_body is None:
                changed.append(NaskahBerubah(chapter.path, title, f"<ins>{html.escape(body)}</ins>", [], [body]))
            elif old_body != body:
                changed.append(_redline(chapter.path, title, old_body, body))
        for title in old_sections.keys() - {t for t, _ in _sections(chapter.text)}:
            changed.append(NaskahBerubah(chapter.path, title, f"<del>{html.escape(old_sections[title])}</del>",
                                         [old_sections[title]], []))
    return changed


def _redline(path: str, title: str, old: str, new: str) -> NaskahBerubah:
    """Word-level redline: unchanged words plain, deleted words <del>, inserted words <ins>."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out, removed, added = [], [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_context(a[i1:i2]))
            continue
        if i2 > i1:
            removed.append("".join(a[i1:i2]).strip())
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            added.append("".join(b[j1:j2]).strip())
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return NaskahBerubah(path, title, "".join(out), removed, added)


def _context(tokens: list[str], keep: int = 24) -> str:
    """Unchanged text around an edit, shortened in the middle so the redline stays readable."""
    text = "".join(tokens)
    words = text.split(" ")
    if len(words) > 2 * keep + 5:
        text = " ".join(words[:keep]) + " … " + " ".join(words[-keep:])
    return html.escape(text)


# --- summary --------------------------------------------------------------------------------------

def summary_markdown(report: Laporan) -> str:
    """A short Markdown summary that fits a pull-request comment."""
    if report.kosong:
        return f"Tidak ada perubahan antara `{report.dari}` dan `{report.ke}`."
    lines = [f"## Perubahan Renstra: `{report.dari}` → `{report.ke}`", ""]
    if report.naskah:
        lines.append("**Naskah**")
        per_bab: dict[str, list[str]] = {}
        for item in report.naskah:
            per_bab.setdefault(item.bab, []).append(item.bagian)
        lines += [f"- {report.sebut(bab)}: {', '.join(parts)}" for bab, parts in per_bab.items()]
        lines.append("")
    counts = _table_counts(report.data)
    if counts:
        lines += ["**Tabel**", "", "| Tabel | Sel diubah | Baris ditambah | Baris dihapus | Baris dipindah |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {report.sebut(t)} | {c[UBAH]} | {c[TAMBAH]} | {c[HAPUS]} | {c[PINDAH]} |" for t, c in counts.items()]
        lines.append("")
    if report.anggaran:
        lines += ["**Anggaran (jumlah sub kegiatan)**", "", "| Program | Tahun | Sebelum | Sesudah | Selisih | % |",
                  "| --- | --- | ---: | ---: | ---: | ---: |"]
        for row in report.anggaran:
            lines.append(f"| {row['program']} | {row['tahun']} | {angka.rupiah(row['lama'])} | {angka.rupiah(row['baru'])} | "
                         f"{_signed(row['selisih'])} | {_percent(row['persen'])} |")
        lines.append("")
    before, after = report.total
    lines.append(f"Total pendanaan Renstra: {angka.rupiah(before)} → {angka.rupiah(after)} ({_signed(after - before)})")
    targets = sorted({c.kunci for c in report.data if ".target." in c.kolom or c.kolom.startswith("target.")})
    if targets:
        lines += ["", f"Indikator dengan target berubah: {', '.join(targets)}"]
    return "\n".join(lines)


def _table_counts(changes: list[Perubahan]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for change in changes:
        entry = counts.setdefault(change.tabel, {UBAH: 0, TAMBAH: 0, HAPUS: 0, PINDAH: 0})
        entry[change.jenis] += 1
    return counts


def _signed(value: int) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + angka.rupiah(abs(value))


def _percent(value) -> str:
    if value is None:
        return "baru"
    if value and abs(value) < 0.01:
        return ("+" if value > 0 else "−") + "<0,01%"
    return ("+" if value > 0 else "") + angka.bilangan(round(value, 2)) + "%"


def render_report_html(report: Laporan, env, root: Path) -> str:
    """The reviewer's page: summary first, then the word-level redline and row-level details."""
    per_bab: dict[str, list[str]] = {}
    for item in report.naskah:
        per_bab.setdefault(item.bab, []).append(item.bagian)
    targets = sorted({c.kunci for c in report.data if ".target." in c.kolom or c.kolom.startswith("target.")})
    return env.get_template("perubahan.html.j2").render(
        r=report, naskah_per_bab=per_bab, counts=_table_counts(report.data), targets=targets,
        rp=angka.rupiah, signed=_signed, percent=_percent,
        huruf=(root / "fonts" / "LiberationSans-Regular.ttf").as_uri(),
        huruf_tebal=(root / "fonts" / "LiberationSans-Bold.ttf").as_uri())
