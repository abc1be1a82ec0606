"""Pagu rollup: each program's pagu is the sum of its kegiatan, and each kegiatan's the sum of its sub
kegiatan where it has any (a kegiatan without sub kegiatan, as in tables before the nomenclature
of Kepmendagri 050-5889/2021, is a leaf: its pagu is typed), per year."""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, tables_of
from renstra.document import numbers as angka
from renstra.document.resolve import Renstra
from renstra.problems import GALAT, Problem
from renstra.source.models import TabelTC27


def check(renstra: Renstra) -> Iterator[Problem]:
    for table_id, tree in tables_of(renstra, TabelTC27):
        for program in tree.program:
            yield from _rollup(renstra, table_id, program, program.kegiatan, "kegiatan")
            for kegiatan in program.kegiatan:
                if kegiatan.sub_kegiatan:
                    yield from _rollup(renstra, table_id, kegiatan, kegiatan.sub_kegiatan, "sub kegiatan")


def _rollup(renstra, table_id, parent, children, child_word: str) -> Iterator[Problem]:
    for year in renstra.periode.tahun:
        total = sum(child.pagu[year] for child in children)
        declared = parent.pagu[year]
        if total != declared:
            yield at(
                renstra,
                table_id,
                parent._loc + ("pagu", year),
                GALAT,
                f"pagu {year} {parent.kode} {angka.rupiah(declared)} ≠ jumlah {child_word} "
                f"{angka.rupiah(total)} (selisih {angka.rupiah(abs(declared - total))})",
                f"samakan pagu dengan jumlah {child_word}, atau perbaiki Rp {child_word} yang salah",
            )
