"""A sheet's T-C tables → the YAML of a document (one made with `make baru`): data/tc27.yaml, and
data/tc28.yaml, data/tc25.yaml with data/sasaran.yaml where the sheet has them.

What the data types is taken as printed: kode, names, indicators, targets, the Rp of the rows at the
bottom of the tree. What the data derives (a program's pagu as the sum of its kegiatan, Akhir
Periode, the Total) is derived again; where the sheet printed something else, the printed value is
kept as an entry of data/errata.yaml with the sheet cell as its source, so nothing the Perangkat
Daerah signed is lost or silently replaced. A printed Akhir Periode target that follows the other
rule than the satuan's writes that rule (`akhir_periode:`) for the indicator instead.

Findings that leave no table to write (a broken kode, an empty required cell, a number that is no
number) stop the import before any file is touched. Everything is gathered and tried in a copy of
the document first; only then are the files written, each atomically."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from renstra.problems import RenstraError
from renstra.sheet import periksa as rules
from renstra.sheet.kepala import TC25, TC27, TC28
from renstra.sheet.sasaran import registri
from renstra.sheet.tabel import KEGIATAN, PROGRAM, SUB, IndikatorTercetak, Simpul, TabelTercetak, Tercetak
from renstra.sheet.temuan import GALAT, PERINGATAN, Temuan
from renstra.sheet.tulis import MODELINE, judul, nilai_target, peta, skalar
from renstra.write import write_atomic

KEPT = ("jumlah", "akhir_rp", "akhir_target")  # findings an import keeps as errata


def impor(path: Path, shown: str, root: Path, aturan: dict[str, str]) -> tuple[list, list[Temuan]]:
    """Write the sheet's tables into the document at `root`: ([(path, note)], findings)."""
    from renstra.source.load import load_dokumen

    tables, found = rules.baca(path, shown)
    if found:
        return [], found
    findings = rules.periksa(path, shown, aturan)
    blocking = [t for t in findings if t.level == GALAT and t.aturan not in KEPT]
    if blocking:
        return [], blocking
    try:
        periode = load_dokumen(root)[1]
    except RenstraError as error:
        return [], [_whole(shown, f"dokumen tujuan tidak dapat dibaca: {p}") for p in error.problems]
    by_kind = {}
    for table in tables:
        by_kind.setdefault(table.jenis, table)
    files: dict[str, str] = {}
    errata: list[dict] = []
    notes: dict[str, str] = {}  # sheet place → what the import wrote for the finding there
    for jenis, table in by_kind.items():
        years = _years(table, periode.tahun)
        if isinstance(years, str):
            return [], [_whole(shown, years)]
        if jenis == TC27:
            tree = Tc27(table, years, shown, {k.lower(): v for k, v in aturan.items()}, errata)
            files["tc27"] = tree.text()
            notes.update(tree.notes)
    if TC28 in by_kind or TC25 in by_kind:
        years = _years_or_none(by_kind, periode)
        files.update(registri(by_kind.get(TC28), by_kind.get(TC25), years, by_kind.get(TC27)))
    if TC28 in by_kind:
        dokumen = _dokumen_induk(root, by_kind[TC28])
        if dokumen:
            files["dokumen"] = dokumen
    if TC27 in by_kind:
        cascading = _cascading(root, by_kind[TC27])
        if cascading:
            files["cascading"] = cascading
    try:
        errata_text = _tried(root, files, errata)
    except RenstraError as error:
        return [], [_whole(shown, f"hasil impor tidak lolos pemuatan: {p}") for p in error.problems]
    if errata:
        files["errata"] = errata_text
    written = []
    for file_id, text in files.items():
        target = root / "data" / f"{file_id}.yaml"
        write_atomic(target, text.encode("utf-8"))
        note = f" ({len(errata)} koreksi)" if file_id == "errata" else ""
        written.append((target, note))
    return written, _catatan(findings, notes)


def _dokumen_induk(root: Path, table: TabelTercetak) -> str | None:
    """A T-C.28 that names the RPD where the document says RPJMD (its default): the document's
    `dokumen_induk` follows the sheet, so that the header prints as the sheet did."""
    sheet = table.lembar
    header = " ".join(sheet.teks(r, c) for r in table.kepala.baris for c in range(1, sheet.jumlah_kolom + 1))
    path = root / "data" / "dokumen.yaml"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not text or not re.search(r"\bRPD\b", header):
        return None
    if re.search(r"(?m)^dokumen_induk:\s*RPJMD\b", text):
        return re.sub(r"(?m)^dokumen_induk:\s*RPJMD\b", "dokumen_induk: RPD", text, count=1)
    if re.search(r"(?m)^dokumen_induk:", text):
        return None
    return text.rstrip("\n") + "\ndokumen_induk: RPD\n"


def _cascading(root: Path, table: TabelTercetak) -> str | None:
    """The cascading's program tree from the T-C.27, where the document's cascading has none yet
    (`program: []`, as `make baru` writes it): Tabel 4.2 must hold exactly the T-C.27's kode."""
    path = root / "data" / "cascading.yaml"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    if not re.search(r"(?m)^program:\s*\[\]\s*$", text):
        return None
    lines = ["program:"]
    for program in (n for n in table.simpul if n.tingkat == PROGRAM):
        lines.append(f'  - kode: "{program.kode}"')
        lines.append("    kegiatan:")
        for kegiatan in (k for k in program.anak if k.tingkat == KEGIATAN):
            lines.append(f'      - kode: "{kegiatan.kode}"')
            subs = [f'"{s.kode}"' for s in kegiatan.anak if s.tingkat == SUB]
            if subs:
                lines.append(f"        sub_kegiatan: [{', '.join(subs)}]")
    if len(lines) == 1:
        return None
    return re.sub(r"(?m)^program:\s*\[\]\s*$", lambda _: "\n".join(lines), text, count=1)


def _catatan(findings: list[Temuan], notes: dict[str, str]) -> list[Temuan]:
    """The findings the import resolved, as warnings saying how: kept as errata, or a rule written."""
    return [
        replace(t, level=PERINGATAN, message=f"{t.message}; {notes[t.tempat]}")
        for t in findings
        if t.tempat in notes
    ] + [t for t in findings if t.level != GALAT]


def _whole(shown: str, message: str) -> Temuan:
    return Temuan(shown, 0, 0, 0, "", GALAT, message)


def _years(table: TabelTercetak, period: tuple[int, ...]) -> dict[str, int] | str:
    """Year label → the document's year: calendar years must be the period's; Tahun-N counts from it."""
    labels = [t.label for t in table.tahun]
    if len(labels) != len(period):
        return (
            f"lembar memuat {len(labels)} tahun ({', '.join(labels)}), dokumen tujuan {len(period)} tahun "
            f"({period[0]}–{period[-1]})"
        )
    if all(t.kalender for t in table.tahun):
        printed = [t.kalender for t in table.tahun]
        if tuple(printed) != tuple(period):
            return (
                f"tahun lembar {printed[0]}–{printed[-1]} bukan periode dokumen tujuan "
                f"{period[0]}–{period[-1]}"
            )
    return dict(zip(labels, period))


def _years_or_none(by_kind, periode) -> dict[str, int]:
    table = by_kind.get(TC28) or by_kind.get(TC25)
    years = _years(table, periode.tahun)
    return years if isinstance(years, dict) else {}


def _tried(root: Path, files: dict[str, str], errata: list[dict]) -> str:
    """Load the document with the new files in a copy of it; fill each errata entry's 'sekarang' with
    what the document now prints there. Returns the errata file's new text."""
    from renstra.document.resolve import DIHAPUS, resolve
    from renstra.source.load import load

    with tempfile.TemporaryDirectory(prefix="impor-") as tmp:
        copy = Path(tmp)
        for folder in ("data", "content"):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        for file_id, text in files.items():
            (copy / "data" / f"{file_id}.yaml").write_text(text, encoding="utf-8")
        renstra = resolve(load(copy))
        for entry in errata:
            now = renstra.printed(entry["tabel"], entry["baris"], entry["kolom"])
            entry["sekarang"] = now[0] if now else DIHAPUS
        existing = (root / "data" / "errata.yaml").read_text(encoding="utf-8") if errata else ""
        text = _errata_text(existing, errata)
        if errata:
            (copy / "data" / "errata.yaml").write_text(text, encoding="utf-8")
            load(copy)
        return text


def _errata_text(existing: str, errata: list[dict]) -> str:
    lines = []
    for entry in errata:
        lines.append(f"  - tabel: {entry['tabel']}")
        # a printed value the data now gives otherwise: reversed in the signed edition (koreksi)
        lines.append(f"    jenis: {'catatan' if entry['tercetak'] == entry['sekarang'] else 'koreksi'}")
        for key in ("baris", "kolom", "tercetak", "sekarang", "alasan"):
            lines.append(f"    {key}: {skalar(entry[key], quote=True)}")
    block = "\n".join(lines) + "\n"
    if not existing.strip():
        return MODELINE.format("errata") + "\nkoreksi:\n" + block
    if re.search(r"(?m)^koreksi:\s*\[\]\s*$", existing):
        return re.sub(
            r"(?m)^koreksi:\s*\[\]\s*$", lambda _: "koreksi:\n" + block.rstrip("\n"), existing, count=1
        )
    return existing.rstrip("\n") + "\n" + block


class Tc27:
    """The printed T-C.27 tree → data/tc27.yaml, and the errata of what it printed otherwise."""

    def __init__(self, table: TabelTercetak, years: dict[str, int], shown: str, aturan: dict, errata: list):
        self.table, self.years, self.shown, self.aturan, self.errata = table, years, shown, aturan, errata
        self.judul = judul(table, "Rencana Program, Kegiatan, dan Pendanaan")
        self.lines: list[str] = []
        self.notes: dict[str, str] = {}

    def text(self) -> str:
        programs = [n for n in self.table.simpul if n.tingkat == PROGRAM]
        head = [
            MODELINE.format("tc27"),
            f"# Diimpor dari {self.shown} ({_sebutan(self.table)}). Pagu program dan kegiatan adalah jumlah "
            "rinciannya; Akhir Periode dihitung saat build.",
            "jenis: tc27",
            f"judul: {skalar(self.judul)}",
            "kode_tc: TC-27",
        ]
        if not programs:
            return "\n".join(head + ["program: []"]) + "\n"
        self.lines = head + ["program:"]
        for program in programs:
            self._node(program, 1, ("kegiatan", KEGIATAN))
        self._totals(programs)
        return "\n".join(self.lines) + "\n"

    def _node(self, node: Simpul, depth: int, children: tuple[str, str] | None) -> dict[str, int]:
        pad = "  " * depth
        out = self.lines
        out.append(f'{pad}- kode: "{node.kode}"')
        inner = pad + "  "
        if node.sasaran and node.sasaran.teks:
            out.append(f"{inner}sasaran: {skalar(node.sasaran.teks)}")
        out.append(f"{inner}nama: {skalar(node.nama.teks)}")
        out.append(f"{inner}indikator:")
        for ind in node.indikator:
            self._indikator(ind, node, inner + "  ")
        kids = [c for c in node.anak if children and c.tingkat == children[1]]
        pagu_index = len(out)
        out.append("")  # the pagu line, once the children have given their sums
        if node.unit_kerja and node.unit_kerja.teks:
            out.append(f"{inner}unit_kerja: {skalar(node.unit_kerja.teks)}")
        if node.lokasi and node.lokasi.teks:
            out.append(f"{inner}lokasi: {skalar(node.lokasi.teks)}")
        if kids:
            out.append(f"{inner}{children[0]}:")
            sums = [
                self._node(kid, depth + 2, ("sub_kegiatan", SUB) if kid.tingkat == KEGIATAN else None)
                for kid in kids
            ]
            pagu = {y: sum(s[y] for s in sums) for y in self.years.values()}
            self._kept_pagu(node, pagu)
        else:
            pagu = {year: rules._rp(node.pagu[label]) for label, year in self.years.items()}
        out[pagu_index] = f"{inner}pagu: {peta(pagu)}"
        self._kept_akhir_rp(node, pagu)
        return pagu

    def _indikator(self, ind: IndikatorTercetak, node: Simpul, pad: str) -> None:
        out = self.lines
        out.append(f"{pad}- nama: {skalar(ind.nama.teks)}")
        inner = pad + "  "
        satuan = ind.satuan.teks if ind.satuan else ""
        if satuan:
            out.append(f"{inner}satuan: {skalar(satuan)}")
        if ind.formula and ind.formula.teks:
            out.append(f"{inner}formula: {skalar(ind.formula.teks)}")
        awal = nilai_target(ind.awal)
        if awal is not None:
            out.append(f"{inner}capaian_awal: {peta(awal) if isinstance(awal, dict) else skalar(awal)}")
        targets = {year: nilai_target(ind.target[label]) for label, year in self.years.items()}
        out.append(f"{inner}target: {peta(targets)}")
        rule = self._akhir_rule(ind, satuan, targets, node)
        if rule:
            out.append(f"{inner}akhir_periode: {rule}")
        unit = ind.akhir.bilangan.satuan if ind.akhir else ""
        if unit and not rules._satuan_sama(unit, satuan):
            out.append(f"{inner}satuan_akhir: {skalar(unit)}")

    def _akhir_rule(self, ind: IndikatorTercetak, satuan: str, targets: dict, node: Simpul) -> str | None:
        """The rule to write when the printed Akhir Periode follows the other one; errata when neither."""
        default = rules.aturan_akhir(satuan, ind.nama.teks, self.aturan)
        override = ind.nama.teks.strip().lower() in self.aturan
        printed = ind.akhir.bilangan.nilai if ind.akhir else None
        numbers = [v["nilai"] if isinstance(v, dict) else v for v in targets.values()]
        if printed is None or any(v is None for v in numbers):
            return default if override else None
        by_rule = {rules.JUMLAH: sum(numbers, Decimal(0)), rules.TERAKHIR: numbers[-1]}
        if printed == by_rule[default]:
            return default if override else None
        other = rules.TERAKHIR if default == rules.JUMLAH else rules.JUMLAH
        if printed == by_rule[other] and not override:
            self.notes[ind.akhir.tempat] = f"ditulis akhir_periode: {other} untuk indikator ini"
            return other
        self._keep(
            node.kode,
            "akhir_periode.target",
            ind.akhir,
            f"Akhir Periode target diturunkan menurut aturan '{default}'",
        )
        return default if override else None

    def _kept_pagu(self, node: Simpul, pagu: dict[int, int]) -> None:
        for label, year in self.years.items():
            printed = rules._rp(node.pagu[label])
            if printed != pagu[year]:
                self._keep(
                    node.kode, f"pagu.{year}", node.pagu[label], "pagu diturunkan dari jumlah rinciannya"
                )

    def _kept_akhir_rp(self, node: Simpul, pagu: dict[int, int]) -> None:
        if node.akhir_rp is not None and rules._rp(node.akhir_rp) != sum(pagu.values()):
            self._keep(
                node.kode, "akhir_periode.rp", node.akhir_rp, "Akhir Periode diturunkan dari jumlah tahun"
            )

    def _totals(self, programs: list[Simpul]) -> None:
        """The printed Total row, and bidang urusan rows (the model prints neither as typed)."""
        sums = {}
        for year in self.years.values():
            sums[year] = 0
        for program in programs:
            for label, year in self.years.items():
                sums[year] += _derived(program, label)
        for total in self.table.total:
            for label, year in self.years.items():
                cell = total.pagu.get(label)
                if cell is not None and cell.bilangan.ada and rules._rp(cell) != sums[year]:
                    self._keep(
                        "Total Pendanaan Renstra",
                        f"pagu.{year}",
                        cell,
                        "Total diturunkan dari jumlah program",
                    )
        for node in self.table.simpul:
            if node.tingkat not in (PROGRAM, KEGIATAN, SUB):
                for label, year in self.years.items():
                    printed = rules._rp(node.pagu[label]) if node.pagu.get(label) else None
                    derived = sum(_derived(p, label) for p in programs if p.kode.startswith(node.kode + "."))
                    if printed is not None and printed != derived:
                        self._keep(
                            node.kode,
                            f"pagu.{year}",
                            node.pagu[label],
                            "baris bidang urusan tidak dicetak dokumen; jumlahnya dari program",
                        )

    def _keep(self, baris: str, kolom: str, cell: Tercetak, why: str) -> None:
        printed = tercetak(cell, rupiah=not kolom.endswith("target"))
        self.notes[cell.tempat] = "nilai tercetak dicatat di data/errata.yaml"
        self.errata.append(
            {
                "tabel": "tc27",
                "baris": baris,
                "kolom": kolom,
                "tercetak": printed,
                "alasan": f"Tercetak {printed} di {self.shown}:{cell.tempat}; {why}.",
            }
        )


def tercetak(cell: Tercetak, rupiah: bool) -> str:
    """A printed value as the document would print it (PUEBI), whatever the sheet's convention."""
    from renstra.document import numbers as angka_id

    b = cell.bilangan
    if b.nilai is None:
        return cell.teks or "(kosong)"
    return angka_id.rupiah(int(b.nilai)) if rupiah else angka_id.bilangan(b.nilai)


def _derived(node: Simpul, label: str) -> int:
    """A node's pagu as the model derives it: typed at the bottom of the tree, summed above."""
    kids = [k for k in node.anak if k.tingkat in (KEGIATAN, SUB)]
    if not kids:
        return rules._rp(node.pagu[label]) or 0
    return sum(_derived(k, label) for k in kids)


def _sebutan(table: TabelTercetak) -> str:
    sheet = table.lembar.nama
    return f"lembar {sheet}" if table.lembar.buku else sheet or "lembar"
