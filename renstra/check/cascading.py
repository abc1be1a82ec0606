"""Cascading: the table lists exactly the program/kegiatan/sub kegiatan of the program tree,
at the same level, under a tujuan and sasaran that exist. A document without a cascading table has
nothing to hold; a cascading table in a document without a program tree refers to nothing (one galat)."""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, nama, tables_of
from renstra.document.resolve import Renstra
from renstra.problems import GALAT, Problem, suggest
from renstra.source.models import TabelCascading, TabelTC27


def check(renstra: Renstra) -> Iterator[Problem]:
    trees = list(tables_of(renstra, TabelTC27))
    for table_id, cascading in tables_of(renstra, TabelCascading):
        if trees:
            yield from _against_tree(renstra, table_id, cascading, *trees[0])
        else:
            yield _without_tree(renstra, table_id)
        yield from _registry(renstra, table_id, cascading)


def _entries(cascading: TabelCascading):
    """(kode, level, loc) of every kode the cascading lists."""
    for p_index, program in enumerate(cascading.program):
        yield program.kode, "program", ("program", p_index, "kode")
        for k_index, kegiatan in enumerate(program.kegiatan):
            yield kegiatan.kode, "kegiatan", ("program", p_index, "kegiatan", k_index, "kode")
            for s_index, kode in enumerate(kegiatan.sub_kegiatan):
                yield kode, "sub_kegiatan", ("program", p_index, "kegiatan", k_index, "sub_kegiatan", s_index)


def _without_tree(renstra, table_id) -> Problem:
    return at(
        renstra,
        table_id,
        ("program",),
        GALAT,
        f"{nama(renstra, table_id)} merujuk kode program, kegiatan dan sub kegiatan dari tabel T-C.27, "
        "tetapi dokumen ini tidak memiliki tabel berjenis tc27",
        "tambahkan berkas data berjenis tc27 (jenis: tc27), atau hapus tabel cascading beserta "
        "tabel() dan ref()-nya",
        key=True,
    )


def _against_tree(renstra, table_id, cascading, tree_id, tree) -> Iterator[Problem]:
    nodes = {node.kode: (level, node) for level, node in tree.simpul()}
    listed: set[str] = set()
    for kode, level, loc in _entries(cascading):
        listed.add(kode)
        if kode not in nodes:
            yield at(
                renstra,
                table_id,
                loc,
                GALAT,
                f"kode {kode} tidak ada di {nama(renstra, tree_id, True)}",
                suggest(kode, sorted(nodes)),
            )
        elif nodes[kode][0] != level:
            yield at(
                renstra,
                table_id,
                loc,
                GALAT,
                f"kode {kode} adalah {nodes[kode][0].replace('_', ' ')} di "
                f"{nama(renstra, tree_id)}, bukan {level.replace('_', ' ')}",
            )
    for kode, (level, node) in nodes.items():
        if kode not in listed:
            yield at(
                renstra,
                tree_id,
                node._loc + ("kode",),
                GALAT,
                f"{level.replace('_', ' ')} {kode} tidak tercantum di {nama(renstra, table_id, True)}",
                f"tambahkan kodenya ke {renstra.source.path_of(table_id)} atau hapus dari "
                f"{renstra.source.path_of(tree_id)}",
            )


def _registry(renstra, table_id, cascading) -> Iterator[Problem]:
    registry = renstra.source.path_of("sasaran")
    tujuan_ids = {t.id for t in renstra.source.sasaran.tujuan}
    if cascading.tujuan is not None and cascading.tujuan not in tujuan_ids:  # None: empty, see kosong
        yield at(
            renstra,
            table_id,
            ("tujuan",),
            GALAT,
            f"tujuan '{cascading.tujuan}' tidak ada di {registry}",
            suggest(cascading.tujuan, sorted(tujuan_ids)),
        )
    sasaran_ids = {s.id for t in renstra.source.sasaran.tujuan for s in t.sasaran}
    for index, sasaran_id in enumerate(cascading.sasaran):
        if sasaran_id not in sasaran_ids:
            yield at(
                renstra,
                table_id,
                ("sasaran", index),
                GALAT,
                f"sasaran '{sasaran_id}' tidak ada di {registry}",
                suggest(sasaran_id, sorted(sasaran_ids)),
            )
