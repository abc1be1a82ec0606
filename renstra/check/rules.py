"""Check: Document → problems (galat / peringatan) about sums, kode, cross-references, narrative, errata.

Every check yields Problems positioned at the YAML value or Markdown line that is wrong; nothing
stops at the first one. Totals of the simple tables are never typed (they are derived), so the
sums that can drift are the declared pagu of TC-27, checked here.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from renstra.document import numbers as angka
from renstra.document.facts import narrative_facts
from renstra.source.load import Document
from renstra.source.models import TAHUN_RENSTRA, Model, TabelTC27
from renstra.document.chapters import number_items, prepare, scan_arahan
from renstra.problems import GALAT, PERINGATAN, Problem, RenstraError, suggest
from renstra.document.views import akhir_text, indikator_sasaran, target_text


def check(doc: Document) -> list[Problem]:
    """All problems of the document, sorted by file and position."""
    problems = list(doc.warnings)
    for rule in RULES:
        problems += list(rule(doc))
    return sorted(set(problems))


def _at(doc: Document, file_id: str, loc: tuple, level: str, message: str, hint: str = "",
        key: bool = False) -> Problem:
    line, col = doc.sources[file_id].where(loc, key=key)
    return Problem(f"data/{file_id}.yaml", line, col, level, message, hint)


# --- 3. pagu rollup -------------------------------------------------------------------------------

def check_pagu(doc: Document) -> Iterator[Problem]:
    """Each kegiatan's pagu = sum of its sub kegiatan; each program's = sum of its kegiatan, per year."""
    tc27: TabelTC27 = doc.tabel["tc27"]
    for program in tc27.program:
        yield from _rollup(doc, program, program.kegiatan, "kegiatan")
        for kegiatan in program.kegiatan:
            yield from _rollup(doc, kegiatan, kegiatan.sub_kegiatan, "sub kegiatan")


def _rollup(doc, parent, children, child_word: str) -> Iterator[Problem]:
    for year in TAHUN_RENSTRA:
        total = sum(child.pagu[year] for child in children)
        declared = parent.pagu[year]
        if total != declared:
            yield _at(doc, "tc27", parent._loc + ("pagu", year), GALAT,
                      f"pagu {year} {parent.kode} {angka.rupiah(declared)} ≠ jumlah {child_word} "
                      f"{angka.rupiah(total)} (selisih {angka.rupiah(abs(declared - total))})",
                      f"samakan pagu dengan jumlah {child_word}, atau perbaiki Rp {child_word} yang salah")


# --- 4. kode ------------------------------------------------------------------------------------

def check_kode(doc: Document) -> Iterator[Problem]:
    """Kode unique across the tree, and each child's kode starts with its parent's."""
    tc27: TabelTC27 = doc.tabel["tc27"]
    seen: dict[str, Model] = {}
    for program in tc27.program:
        for kegiatan in program.kegiatan:
            yield from _prefix(doc, program, kegiatan)
            for sub in kegiatan.sub_kegiatan:
                yield from _prefix(doc, kegiatan, sub)
    for _, node in tc27.simpul():
        if node.kode in seen:
            first = doc.sources["tc27"].where(seen[node.kode]._loc + ("kode",))[0]
            yield _at(doc, "tc27", node._loc + ("kode",), GALAT,
                      f"kode {node.kode} ganda: sudah dipakai di baris {first}", "setiap kode hanya sekali")
        seen.setdefault(node.kode, node)


def _prefix(doc, parent, child) -> Iterator[Problem]:
    if not child.kode.startswith(parent.kode + "."):
        yield _at(doc, "tc27", child._loc + ("kode",), GALAT,
                  f"kode {child.kode} tidak berawalan kode induknya {parent.kode}",
                  f"kode di bawah {parent.kode} harus berbentuk {parent.kode}.…")


# --- 5. cascading and indicator references --------------------------------------------------------

def check_cascading(doc: Document) -> Iterator[Problem]:
    """Tabel 4.2 lists exactly the program/kegiatan/sub kegiatan of Tabel 6.1, at the same level."""
    nodes = {node.kode: (level, node) for level, node in doc.tabel["tc27"].simpul()}
    cascading = doc.tabel["cascading"]
    listed: set[str] = set()
    for p_index, program in enumerate(cascading.program):
        entries = [(program.kode, "program", ("program", p_index, "kode"))]
        for k_index, kegiatan in enumerate(program.kegiatan):
            entries.append((kegiatan.kode, "kegiatan", ("program", p_index, "kegiatan", k_index, "kode")))
            entries += [(kode, "sub_kegiatan", ("program", p_index, "kegiatan", k_index, "sub_kegiatan", s_index))
                        for s_index, kode in enumerate(kegiatan.sub_kegiatan)]
        for kode, level, loc in entries:
            listed.add(kode)
            if kode not in nodes:
                yield _at(doc, "cascading", loc, GALAT, f"kode {kode} tidak ada di Tabel TC-27 (data/tc27.yaml)",
                          suggest(kode, sorted(nodes)))
            elif nodes[kode][0] != level:
                yield _at(doc, "cascading", loc, GALAT,
                          f"kode {kode} adalah {nodes[kode][0].replace('_', ' ')} di TC-27, bukan {level.replace('_', ' ')}")
    for kode, (level, node) in nodes.items():
        if kode not in listed:
            yield _at(doc, "tc27", node._loc + ("kode",), GALAT,
                      f"{level.replace('_', ' ')} {kode} tidak tercantum di Tabel Cascading (data/cascading.yaml)",
                      "tambahkan kodenya ke data/cascading.yaml atau hapus dari TC-27")
    tujuan_ids = {t.id: t for t in doc.sasaran.tujuan}
    if cascading.tujuan not in tujuan_ids:
        yield _at(doc, "cascading", ("tujuan",), GALAT, f"tujuan '{cascading.tujuan}' tidak ada di data/sasaran.yaml",
                  suggest(cascading.tujuan, sorted(tujuan_ids)))
    sasaran_ids = {s.id for t in doc.sasaran.tujuan for s in t.sasaran}
    for index, sasaran_id in enumerate(cascading.sasaran):
        if sasaran_id not in sasaran_ids:
            yield _at(doc, "cascading", ("sasaran", index), GALAT, f"sasaran '{sasaran_id}' tidak ada di data/sasaran.yaml",
                      suggest(sasaran_id, sorted(sasaran_ids)))


def tc28_indicators(doc: Document) -> set[str]:
    """Indicator ids (and program kode) Tabel 7.2 shows, resolved through its groups."""
    shown: set[str] = set()
    for tujuan in doc.sasaran.tujuan:
        for group in doc.tabel["tc28"].kelompok:
            if group.tujuan == tujuan.id:
                shown |= {i.id for i in tujuan.indikator}
            for sasaran in tujuan.sasaran:
                if group.sasaran == sasaran.id:
                    shown |= {i.id for i in sasaran.indikator}
    return shown


def check_indikator(doc: Document) -> Iterator[Problem]:
    """4.1 and 7.1 indicators exist and appear in 7.2; every sasaran of 4.1 has a strategy in 5.1."""
    lookup = indikator_sasaran(doc.sasaran)
    known = sorted(lookup)
    yield from _tc28_groups(doc)
    in_tc28 = tc28_indicators(doc)
    for table_id, table_name in (("tc25", "Tabel 4.1"), ("iku", "Tabel 7.1")):
        for index, ind_id in enumerate(doc.tabel[table_id].indikator):
            if ind_id not in lookup:
                yield _at(doc, table_id, ("indikator", index), GALAT,
                          f"indikator '{ind_id}' tidak ada di data/sasaran.yaml", suggest(ind_id, known))
            elif ind_id not in in_tc28:
                yield _at(doc, table_id, ("indikator", index), GALAT,
                          f"indikator '{ind_id}' ({lookup[ind_id][2].nama}) di {table_name} tidak tercantum di Tabel 7.2 (TC-28)",
                          "tambahkan kelompok tujuan/sasarannya ke data/tc28.yaml")
    served = set()
    for index, strategi in enumerate(doc.tabel["tc26"].strategi):
        if strategi.indikator not in lookup:
            yield _at(doc, "tc26", ("strategi", index, "indikator"), GALAT,
                      f"indikator '{strategi.indikator}' tidak ada di data/sasaran.yaml", suggest(strategi.indikator, known))
        else:
            tujuan, sasaran, _ = lookup[strategi.indikator]
            served.add(sasaran.id if sasaran else tujuan.id)
    for index, ind_id in enumerate(doc.tabel["tc25"].indikator):
        if ind_id in lookup:
            tujuan, sasaran, _ = lookup[ind_id]
            owner = sasaran or tujuan
            if owner.id not in served:
                yield _at(doc, "tc25", ("indikator", index), GALAT,
                          f"sasaran '{owner.nama}' di Tabel 4.1 tidak memiliki strategi di Tabel 5.1 (TC-26)",
                          "tambahkan strategi untuk salah satu indikatornya di data/tc26.yaml")
                served.add(owner.id)


def _tc28_groups(doc: Document) -> Iterator[Problem]:
    tujuan = {t.id for t in doc.sasaran.tujuan}
    sasaran = {s.id for t in doc.sasaran.tujuan for s in t.sasaran}
    programs = {p.kode for p in doc.tabel["tc27"].program}
    for index, group in enumerate(doc.tabel["tc28"].kelompok):
        filled = [(name, value) for name, value in (("tujuan", group.tujuan), ("sasaran", group.sasaran),
                                                     ("program", group.program)) if value]
        if len(filled) != 1:
            yield _at(doc, "tc28", ("kelompok", index), GALAT, "setiap kelompok diisi tepat satu dari: tujuan, sasaran, program")
            continue
        name, value = filled[0]
        known = {"tujuan": tujuan, "sasaran": sasaran, "program": programs}[name]
        if value not in known:
            where = "data/tc27.yaml" if name == "program" else "data/sasaran.yaml"
            yield _at(doc, "tc28", ("kelompok", index, name), GALAT, f"{name} '{value}' tidak ada di {where}",
                      suggest(value, sorted(known)))


# --- 6. references -------------------------------------------------------------------------------

def check_rujukan(doc: Document) -> Iterator[Problem]:
    """Chapters render (directives name existing tables, {{ … }} names existing data, no raw HTML);
    every table is referred to in the narrative (peringatan)."""
    arahan = scan_arahan(doc.bab)
    _, problems = number_items(doc, arahan)
    yield from (p for p in problems if p.level == PERINGATAN)
    try:
        prepare(doc)
    except RenstraError as error:
        yield from error.problems
    referred = {a.id for a in arahan if a.kind == "ref"}
    for item in arahan:
        if item.kind == "tabel" and item.id in doc.tabel and item.id not in referred:
            yield Problem(item.path, item.line, item.column, PERINGATAN,
                          f"tabel '{item.id}' ditempatkan tetapi tidak pernah dirujuk di narasi",
                          f"tambahkan rujukan {{{{ ref(\"{item.id}\") }}}} pada kalimat yang membahasnya")


# --- 7. narrative numbers -------------------------------------------------------------------------

def _literal_patterns(doc: Document) -> list[tuple[str, re.Pattern]]:
    facts = narrative_facts(doc)
    jumlah, pegawai = facts["jumlah"], facts["pegawai"]
    pairs = [("jumlah.program", jumlah.program, r"program"), ("jumlah.kegiatan", jumlah.kegiatan, r"kegiatan"),
             ("jumlah.sub_kegiatan", jumlah.sub_kegiatan, r"sub[- ]kegiatan"),
             ("pegawai.total", pegawai.total, r"orang"), ("pegawai.pns", pegawai.pns, r"orang"),
             ("pegawai.ptt", pegawai.ptt, r"orang")]
    return [(name, re.compile(rf"(?<![\d.{{]){value}\s+{word}\b", re.IGNORECASE)) for name, value, word in pairs]


def check_narasi(doc: Document) -> Iterator[Problem]:
    """A literal number in the text that restates a data value should be an expression (peringatan)."""
    patterns = _literal_patterns(doc)
    for chapter in doc.bab:
        for line_no, line in enumerate(chapter.text.splitlines(), 1):
            plain = re.sub(r"\{\{.*?\}\}", lambda m: " " * len(m.group(0)), line)
            for name, pattern in patterns:
                for match in pattern.finditer(plain):
                    yield Problem(chapter.path, line_no, match.start() + 1, PERINGATAN,
                                  f"angka '{match.group(0)}' mengulang data; tulis {{{{ {name} }}}} agar tidak usang")


# --- 8. duplicate rows ----------------------------------------------------------------------------

def check_duplikat(doc: Document) -> Iterator[Problem]:
    """A row repeated within a table (peringatan); repeated kode are galat in check_kode."""
    for table_id, table in doc.tabel.items():
        for loc, rows in _row_lists(table, ()):
            seen: dict[str, int] = {}
            for index, row in enumerate(rows):
                key = row.model_dump_json() if isinstance(row, Model) else repr(row)
                if key in seen:
                    first = doc.sources[table_id].where(loc + (seen[key],))[0]
                    yield _at(doc, table_id, loc + (index,), PERINGATAN,
                              f"baris ini sama persis dengan baris {first}", "hapus salah satunya bila tidak disengaja")
                seen.setdefault(key, index)


def _row_lists(value, loc):
    """Every list of table rows (models) inside a table model, with its path."""
    if isinstance(value, Model):
        for name in type(value).model_fields:
            yield from _row_lists(getattr(value, name), loc + (name,))
    elif isinstance(value, list) and value and isinstance(value[0], Model):
        yield loc, value
        for index, item in enumerate(value):
            yield from _row_lists(item, loc + (index,))


# --- 9. errata still describe the data ----------------------------------------------------------

def errata_value(doc: Document, tabel: str, baris: str, kolom: str) -> list[str] | None:
    """What the document shows now at (tabel, baris, kolom); None when it cannot be looked up."""
    if tabel == "tc27":
        return _tc27_value(doc, baris, kolom)
    if tabel.startswith("content/"):
        facts = narrative_facts(doc)
        group, _, name = kolom.partition(".")
        if group in facts and hasattr(facts[group], name):
            return [angka.bilangan(getattr(facts[group], name))]
    return None


def _tc27_value(doc: Document, kode: str, kolom: str) -> list[str] | None:
    node = next((n for _, n in doc.tabel["tc27"].simpul() if n.kode == kode), None)
    if node is None:
        return ["(dihapus)"]
    field, _, year = kolom.partition(".")
    if field == "pagu" and year.isdigit() and int(year) in node.pagu:
        return [angka.rupiah(node.pagu[int(year)])]
    if kolom == "akhir_periode.rp":
        return [angka.rupiah(node.pagu_akhir)]
    if kolom == "akhir_periode.target":
        return [akhir_text(i) for i in node.indikator]
    if field == "target" and year.isdigit():
        return [target_text(i, i.target.get(int(year))) for i in node.indikator]
    if kolom == "capaian_awal":
        return [target_text(i, i.capaian_awal) for i in node.indikator]
    if kolom in ("kode", "nama", "sasaran", "unit_kerja", "lokasi"):
        return [getattr(node, kolom)]
    return None


def check_errata(doc: Document) -> Iterator[Problem]:
    """An entry whose 'sekarang' no longer matches what the data gives is stale (galat)."""
    for index, entry in enumerate(doc.errata.koreksi):
        now = errata_value(doc, entry.tabel, entry.baris, entry.kolom)
        if now is not None and entry.sekarang not in now and not (entry.sekarang == "(dihapus)" and now == ["(dihapus)"]):
            yield _at(doc, "errata", ("koreksi", index, "sekarang"), GALAT,
                      f"koreksi usang: {entry.tabel} {entry.baris} {entry.kolom} kini {' / '.join(now)}, "
                      f"bukan '{entry.sekarang}'", "perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi")


def errata_terverifikasi(doc: Document) -> Counter:
    """How many errata entries the checker can verify mechanically, and how many it cannot."""
    return Counter("terverifikasi" if errata_value(doc, e.tabel, e.baris, e.kolom) is not None else "catatan"
                   for e in doc.errata.koreksi)


RULES = [check_pagu, check_kode, check_cascading, check_indikator, check_rujukan, check_narasi,
         check_duplikat, check_errata]
