"""Kode: unique across the program tree, and each child's kode starts with its parent's."""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, tables_of
from renstra.document.resolve import Renstra
from renstra.problems import GALAT, Problem
from renstra.source.models import Model, TabelTC27


def check(renstra: Renstra) -> Iterator[Problem]:
    for table_id, tree in tables_of(renstra, TabelTC27):
        for program in tree.program:
            for kegiatan in program.kegiatan:
                yield from _prefix(renstra, table_id, program, kegiatan)
                for sub in kegiatan.sub_kegiatan:
                    yield from _prefix(renstra, table_id, kegiatan, sub)
        seen: dict[str, Model] = {}
        for _, node in tree.simpul():
            if node.kode in seen:
                _, first, _ = renstra.source.where(table_id, seen[node.kode]._loc + ("kode",))
                yield at(
                    renstra,
                    table_id,
                    node._loc + ("kode",),
                    GALAT,
                    f"kode {node.kode} ganda: sudah dipakai di baris {first}",
                    "setiap kode hanya sekali",
                )
            seen.setdefault(node.kode, node)


def _prefix(renstra, table_id, parent, child) -> Iterator[Problem]:
    if not child.kode.startswith(parent.kode + "."):
        yield at(
            renstra,
            table_id,
            child._loc + ("kode",),
            GALAT,
            f"kode {child.kode} tidak berawalan kode induknya {parent.kode}",
            f"kode di bawah {parent.kode} harus berbentuk {parent.kode}.…",
        )
