"""Diff: two versions (git refs or the working tree) → what changed, for reviewers.

Both versions go through the same loader and resolve; their tables are compared as printed (the
resolved views), row by key (kode, indicator id, row label), not by position, so a reordered row
is a move, and cell by column id. Derived cells (totals, Akhir Periode) are reported separately,
as consequences of the edits that caused them.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from renstra.document import numbers as angka
from renstra.document.resolve import Renstra
from renstra.review.versions import load_version, workdir  # noqa: F401  (cli and tests import them from here)
from renstra.source.models import Model, TabelTC27

UBAH, TAMBAH, HAPUS, PINDAH = "ubah", "tambah", "hapus", "pindah"


@dataclass(frozen=True)
class Perubahan:
    """One change of one cell, row or position."""

    tabel: str  # table id, or "sasaran"/"dokumen"/"errata"
    kunci: str  # row key: kode, indicator id, row label
    jenis: str  # ubah / tambah / hapus / pindah
    kolom: str = ""  # e.g. pagu.<tahun>, indikator[0].target.<tahun>
    lama: str = ""
    baru: str = ""


@dataclass
class NaskahBerubah:
    """A section of a chapter whose words changed, with the word-level redline."""

    bab: str
    bagian: str
    redline: str  # HTML with <del>/<ins>
    dihapus: list[str] = field(default_factory=list)
    ditambah: list[str] = field(default_factory=list)


@dataclass
class Laporan:
    dari: str
    ke: str
    naskah: list[NaskahBerubah]
    data: list[Perubahan]  # edits of typed data
    akibat: list[Perubahan]  # derived values that changed as a consequence
    anggaran: list[dict]  # per program and year: before, after, delta, %
    total: tuple[int, int]  # Renstra total before, after
    nama: dict[str, str] = field(default_factory=dict)  # table id / chapter path → what a reader calls it
    judul: str = "Renstra"  # the TO version's short title (running header)

    def sebut(self, key: str) -> str:
        return self.nama.get(key, key)

    @property
    def kosong(self) -> bool:
        return not (self.naskah or self.data or self.akibat)


def diff(before: Renstra, after: Renstra, dari: str, ke: str) -> Laporan:
    """Compare two resolved documents, table by table as printed."""
    data, akibat = [], []
    for table_id in sorted(set(before.source.tabel) | set(after.source.tabel)):
        old, new = _view_rows(before, table_id), _view_rows(after, table_id)
        data += _compare_rows(table_id, _part(old, typed=True), _part(new, typed=True))
        # rows added or removed are reported once, under data; here only values that moved along
        akibat += [
            c
            for c in _compare_rows(table_id, _part(old, typed=False), _part(new, typed=False), moves=False)
            if c.jenis == UBAH
        ]
    data += _compare_rows(
        "dokumen",
        {"dokumen": (None, 0, _flatten(before.dokumen), {})},
        {"dokumen": (None, 0, _flatten(after.dokumen), {})},
        moves=False,
    )
    data += _compare_rows("errata", _errata_rows(before), _errata_rows(after), moves=False)
    anggaran, total = _budget(before, after)
    return Laporan(
        dari,
        ke,
        _compare_chapters(before, after),
        data,
        akibat,
        anggaran,
        total,
        _reader_names(before) | _reader_names(after),
        after.identitas.judul_singkat,
    )


def _reader_names(renstra: Renstra) -> dict[str, str]:
    """'tc27' → 'Tabel 6.1 Rencana Program, …', 'content/03-….md' → 'BAB III PERMASALAHAN …'."""
    names = {t: renstra.sebut(t) for t in renstra.source.tabel}
    names |= {c.path: renstra.sebut(c.path) for c in renstra.source.bab}
    return names | {"dokumen": "Identitas dokumen", "errata": "Errata"}


# --- rows by key --------------------------------------------------------------------------------

# key → (parent key, position among its siblings, {column: typed value}, {column: derived value})
Rows = dict[str, tuple[object, int, dict[str, str], dict[str, str]]]


def _view_rows(renstra: Renstra, table_id: str) -> Rows:
    """A table as printed, by row key: the rows of one key (a node's indicators) are one entry, the
    columns of its second and later rows named '… (baris 2)'."""
    if table_id not in renstra.source.tabel:
        return {}
    table = renstra.view(table_id)
    rows: Rows = {
        "(judul tabel)": (
            "(judul)",
            0,
            {"judul": table.judul, "kode_tc": table.kode_tc or "", "sumber": table.sumber or ""},
            {},
        )
    }
    seen: dict[str, int] = {}
    siblings: dict[object, int] = {}
    for row in table.baris:
        if row.kunci is None:
            continue
        seen[row.kunci] = seen.get(row.kunci, 0) + 1
        if seen[row.kunci] == 1:
            siblings[row.induk] = siblings.get(row.induk, -1) + 1
            rows[row.kunci] = (row.induk, siblings[row.induk], {}, {})
        suffix = "" if seen[row.kunci] == 1 else f" (baris {seen[row.kunci]})"
        _, _, typed, derived = rows[row.kunci]
        for sel in row.sel:
            if sel.kolom:
                (derived if sel.turunan else typed)[sel.kolom + suffix] = sel.tampil
    return rows


def _part(rows: Rows, typed: bool) -> Rows:
    return {
        k: (parent, pos, cells if typed else derived, {}) for k, (parent, pos, cells, derived) in rows.items()
    }


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
                changes.append(
                    Perubahan(table, key, UBAH, column, old_cells.get(column, ""), new_cells.get(column, ""))
                )
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
                changes.append(
                    Perubahan(
                        table, key, PINDAH, "urutan", str(before.index(key) + 1), str(after.index(key) + 1)
                    )
                )
    for key in common:
        if old[key][0] != new[key][0]:
            changes.append(Perubahan(table, key, PINDAH, "induk", str(old[key][0]), str(new[key][0])))
    return changes


def _natural(key: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key)]


def _row_summary(cells: dict[str, str]) -> str:
    for column in (
        "nama",
        "unit",
        "bagian",
        "pembidangan",
        "alat_angkutan",
        "strategi",
        "masalah_pokok",
        "indikator",
    ):
        if cells.get(column):
            return cells[column]
    return next(iter(cells.values()), "")


def _printed(value) -> str:
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return angka.bilangan(value)
    if value is None:
        return "N/A"
    if isinstance(value, list):
        return "; ".join(_printed(v) for v in value)
    return angka.bilangan(value) if not isinstance(value, str) and hasattr(value, "as_tuple") else str(value)


def _flatten(model: Model, prefix: str = "") -> dict[str, str]:
    """The identity and errata files are not tables: their fields, one column each."""
    cells = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, Model):
            cells |= _flatten(value, key + ".")
        elif isinstance(value, list) and value and isinstance(value[0], Model):
            for index, item in enumerate(value):
                cells |= _flatten(item, f"{key}[{index}].")
        else:
            cells[key] = _printed(value)
    return cells


def _errata_rows(renstra: Renstra) -> Rows:
    return {
        f"{e.tabel} {e.baris} {e.kolom}": (None, i, _flatten(e), {})
        for i, e in enumerate(renstra.errata.koreksi)
    }


# --- budget --------------------------------------------------------------------------------------


def _programs(renstra: Renstra) -> tuple[dict[str, tuple[str, dict[int, int]]], dict[int, int]]:
    """From the printed program tree: program kode → (name, Rp per year), and the total row per year."""
    programs, total = {}, {}
    trees = renstra.ids_of(TabelTC27)
    for row in renstra.view(trees[0]).baris if trees else []:
        rupiah = {
            int(s.kolom.split(".")[1]): s.nilai for s in row.sel if s.kolom and s.kolom.startswith("pagu.")
        }
        if row.kelas == "program" and rupiah:
            programs[row.kunci] = (row.cell("nama").teks, rupiah)
        elif row.kelas == "total":
            total = rupiah
    return programs, total


def _budget(before: Renstra, after: Renstra) -> tuple[list[dict], tuple[int, int]]:
    """Per program and year: its Rp as printed before and after (Rp and %); the Renstra totals."""
    old, old_total = _programs(before)
    new, new_total = _programs(after)
    years = sorted(set(before.periode.tahun) | set(after.periode.tahun))
    rows = []
    for kode in sorted(old.keys() | new.keys(), key=_natural):
        for year in years:
            lama = old.get(kode, ("", {}))[1].get(year, 0)
            baru = new.get(kode, ("", {}))[1].get(year, 0)
            if lama != baru:
                rows.append(
                    {
                        "program": kode,
                        "nama": (new.get(kode) or old[kode])[0],
                        "tahun": year,
                        "lama": lama,
                        "baru": baru,
                        "selisih": baru - lama,
                        "persen": (baru - lama) / lama * 100 if lama else None,
                    }
                )
    return rows, (sum(old_total.values()), sum(new_total.values()))


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


def _compare_chapters(before: Renstra, after: Renstra) -> list[NaskahBerubah]:
    changed = []
    old_chapters = {c.path: c.text for c in before.source.bab}
    for chapter in after.source.bab:
        old_text = old_chapters.get(chapter.path, "")
        if old_text == chapter.text:
            continue
        old_sections = dict(_sections(old_text))
        for title, body in _sections(chapter.text):
            old_body = old_sections.get(title)
            if old_body is None:
                changed.append(
                    NaskahBerubah(chapter.path, title, f"<ins>{html.escape(body)}</ins>", [], [body])
                )
            elif old_body != body:
                changed.append(_redline(chapter.path, title, old_body, body))
        for title in old_sections.keys() - {t for t, _ in _sections(chapter.text)}:
            changed.append(
                NaskahBerubah(
                    chapter.path,
                    title,
                    f"<del>{html.escape(old_sections[title])}</del>",
                    [old_sections[title]],
                    [],
                )
            )
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
        lines += [
            "**Tabel**",
            "",
            "| Tabel | Sel diubah | Baris ditambah | Baris dihapus | Baris dipindah |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {report.sebut(t)} | {c[UBAH]} | {c[TAMBAH]} | {c[HAPUS]} | {c[PINDAH]} |"
            for t, c in counts.items()
        ]
        lines.append("")
    if report.anggaran:
        lines += [
            "**Anggaran (jumlah sub kegiatan)**",
            "",
            "| Program | Tahun | Sebelum | Sesudah | Selisih | % |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for row in report.anggaran:
            lines.append(
                f"| {row['program']} | {row['tahun']} | {angka.rupiah(row['lama'])} | "
                f"{angka.rupiah(row['baru'])} | "
                f"{signed(row['selisih'])} | {_percent(row['persen'])} |"
            )
        lines.append("")
    before, after = report.total
    lines.append(
        f"Total pendanaan Renstra: {angka.rupiah(before)} → {angka.rupiah(after)} ({signed(after - before)})"
    )
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


def signed(value: int) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + angka.rupiah(abs(value))


def _percent(value) -> str:
    if value is None:
        return "baru"
    if value and abs(value) < 0.01:
        return ("+" if value > 0 else "−") + "<0,01%"
    return ("+" if value > 0 else "") + angka.bilangan(round(value, 2)) + "%"


def render_report_html(report: Laporan, env, fonts: dict[str, Path]) -> str:
    """The reviewer's page: summary first, then the word-level redline and row-level details."""
    per_bab: dict[str, list[str]] = {}
    for item in report.naskah:
        per_bab.setdefault(item.bab, []).append(item.bagian)
    targets = sorted({c.kunci for c in report.data if ".target." in c.kolom or c.kolom.startswith("target.")})
    return env.get_template("perubahan.html.j2").render(
        r=report,
        naskah_per_bab=per_bab,
        counts=_table_counts(report.data),
        targets=targets,
        rp=angka.rupiah,
        signed=signed,
        percent=_percent,
        huruf=fonts["regular"].as_uri(),
        huruf_tebal=fonts["bold"].as_uri(),
    )
