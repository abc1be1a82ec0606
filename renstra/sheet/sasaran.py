"""T-C.28 and T-C.25 as printed → data/sasaran.yaml (tujuan, sasaran and their indicators, written once),
data/tc28.yaml (its groups by id or kode) and data/tc25.yaml (its indicators by id).

A printed T-C.28 is a run of groups: rows under one Tujuan with no Sasaran are the tujuan's own
indicators; rows under a Sasaran are that sasaran's; rows whose Sasaran and indicators are a T-C.27
program's (its sasaran, its indicators) are that program, by its kode. The ids the registry needs are
made from the names (a sheet prints no ids), unique within the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from slugify import slugify

from renstra.sheet import periksa as rules
from renstra.sheet.tabel import PROGRAM, IndikatorTercetak, TabelTercetak
from renstra.sheet.tulis import MODELINE, judul, nilai_target, peta, skalar


@dataclass
class Kelompok:
    tujuan: str
    sasaran: str
    indikator: list[IndikatorTercetak] = field(default_factory=list)
    program: str | None = None  # the kode, when the group is a T-C.27 program
    id: str = ""


class Registri:
    def __init__(self, years: dict[str, int]):
        self.years = years
        self.taken: set[str] = set()
        self.indicator_ids: dict[str, str] = {}  # indicator name → id

    def id_for(self, name: str, prefix: str = "") -> str:
        base = slugify(name, max_length=40, word_boundary=True) or prefix or "indikator"
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def registri(tc28: TabelTercetak | None, tc25: TabelTercetak | None, years, tc27=None) -> dict[str, str]:
    """The files' texts by file id: sasaran, tc28 and tc25 as far as the sheet has them."""
    main = tc28 or tc25
    groups = _groups(main, tc27)
    reg = Registri(years)
    files = {"sasaran": _sasaran(groups, reg, with_awal=tc28 is not None)}
    if tc28 is not None:
        files["tc28"] = _tc28(tc28, groups)
    if tc25 is not None:
        files["tc25"] = _tc25(tc25, reg)
    return files


def _groups(table: TabelTercetak, tc27: TabelTercetak | None) -> list[Kelompok]:
    programs = {}
    if tc27 is not None:
        for node in tc27.simpul:
            if node.tingkat == PROGRAM and node.sasaran is not None:
                names = tuple(i.nama.teks for i in node.indikator)
                programs[(node.sasaran.teks, names)] = node.kode
    groups: list[Kelompok] = []
    for tujuan, sasaran, ind in table.indikator:
        own_t = tujuan.teks if tujuan is not None and not tujuan.tertutup else ""
        own_s = sasaran.teks if sasaran is not None and not sasaran.tertutup else ""
        if groups and not own_t and not own_s:  # merged down from the group above, or left empty
            groups[-1].indikator.append(ind)
            continue
        tujuan_text = (
            tujuan.teks if tujuan is not None and tujuan.teks else (groups[-1].tujuan if groups else "")
        )
        groups.append(Kelompok(tujuan_text, sasaran.teks if sasaran is not None else "", [ind]))
    for group in groups:
        names = tuple(i.nama.teks for i in group.indikator)
        group.program = programs.get((group.sasaran, names))
    return groups


def _indicator_lines(ind: IndikatorTercetak, reg: Registri, pad: str, with_awal: bool) -> list[str]:
    ind_id = reg.id_for(ind.nama.teks)
    reg.indicator_ids[ind.nama.teks] = ind_id
    satuan = ind.satuan.teks if ind.satuan else ""
    lines = [
        f"{pad}- id: {ind_id}",
        f"{pad}  nama: {skalar(ind.nama.teks)}",
        f"{pad}  satuan: {skalar(satuan)}",
    ]
    if ind.formula and ind.formula.teks:
        lines.append(f"{pad}  formula: {skalar(ind.formula.teks)}")
    awal = nilai_target(ind.awal) if with_awal else None
    if awal is not None:
        lines.append(f"{pad}  kondisi_awal: {peta(awal) if isinstance(awal, dict) else skalar(awal)}")
    targets = {year: nilai_target(ind.target[label]) for label, year in reg.years.items()}
    lines.append(f"{pad}  target: {peta(targets)}")
    rule = _akhir(ind, satuan, targets)
    if rule:
        lines.append(f"{pad}  akhir_periode: {rule}")
    return lines


def _akhir(ind: IndikatorTercetak, satuan: str, targets: dict) -> str | None:
    """The other rule, where the printed Kondisi akhir follows it and not the satuan's."""
    printed = ind.akhir.bilangan.nilai if ind.akhir else None
    numbers = [v["nilai"] if isinstance(v, dict) else v for v in targets.values()]
    if printed is None or any(v is None for v in numbers):
        return None
    default = rules.aturan_akhir(satuan, ind.nama.teks, {})
    by_rule = {rules.JUMLAH: sum(numbers, Decimal(0)), rules.TERAKHIR: numbers[-1]}
    other = rules.TERAKHIR if default == rules.JUMLAH else rules.JUMLAH
    return other if printed != by_rule[default] and printed == by_rule[other] else None


def _sasaran(groups: list[Kelompok], reg: Registri, with_awal: bool) -> str:
    lines = [
        MODELINE.format("sasaran"),
        "# Diimpor dari lembar kerja: tujuan, sasaran dan indikatornya.",
        "tujuan:",
    ]
    current = None
    count = 0
    for group in groups:
        if group.program:
            continue
        if group.tujuan != current:
            current = group.tujuan
            group_id = reg.id_for(group.tujuan)
            lines += [f"  - id: {group_id}", f"    nama: {skalar(group.tujuan)}"]
            tujuan_level = [g for g in groups if g.tujuan == current and not g.sasaran and not g.program]
            if tujuan_level:
                lines.append("    indikator:")
                for g in tujuan_level:
                    g.id = group_id
                    for ind in g.indikator:
                        lines += _indicator_lines(ind, reg, "      ", with_awal)
            lines.append("    sasaran:")
            count += 1
        if not group.sasaran:
            group.id = group.id or reg.id_for(group.tujuan)
            continue
        group.id = reg.id_for(group.sasaran)
        lines += [f"      - id: {group.id}", f"        nama: {skalar(group.sasaran)}", "        indikator:"]
        for ind in group.indikator:
            lines += _indicator_lines(ind, reg, "          ", with_awal)
    if not count:
        lines[-1] = "tujuan: []"
    return "\n".join(lines) + "\n"


def _tc28(table: TabelTercetak, groups: list[Kelompok]) -> str:
    lines = [
        MODELINE.format("tc28"),
        "# Diimpor dari lembar kerja: kelompok tujuan, sasaran (id di data/sasaran.yaml) dan program (kode).",
        "jenis: tc28",
        f"judul: {skalar(judul(table, 'Indikator Kinerja'))}",
        "kode_tc: TC-28",
        "kelompok:",
    ]
    for group in groups:
        if group.program:
            lines.append(f'  - program: "{group.program}"')
        elif group.sasaran:
            lines.append(f"  - sasaran: {group.id}")
        else:
            lines.append(f"  - tujuan: {group.id}")
    if len(lines) == 6:
        lines[-1] = "kelompok: []"
    return "\n".join(lines) + "\n"


def _tc25(table: TabelTercetak, reg: Registri) -> str:
    ids = [
        reg.indicator_ids[ind.nama.teks]
        for _, _, ind in table.indikator
        if ind.nama.teks in reg.indicator_ids
    ]
    return (
        "\n".join(
            [
                MODELINE.format("tc25"),
                "# Diimpor dari lembar kerja: id indikator dari data/sasaran.yaml, urut tampil.",
                "jenis: tc25",
                f"judul: {skalar(judul(table, 'Tujuan dan Sasaran'))}",
                "kode_tc: TC-25",
                f"indikator: [{', '.join(ids)}]",
            ]
        )
        + "\n"
    )
