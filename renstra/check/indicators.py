"""Indicators: every listed indicator exists and appears in the performance table (T-C.28); every sasaran
of the T-C.25 table has a strategy (T-C.26); each T-C.28 group names one tujuan, sasaran or program."""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, nama, tables_of
from renstra.document.resolve import Renstra
from renstra.document.views import indikator_sasaran
from renstra.problems import GALAT, Problem, suggest
from renstra.source.models import TabelDaftarIndikator, TabelTC26, TabelTC27, TabelTC28


def check(renstra: Renstra) -> Iterator[Problem]:
    lookup = indikator_sasaran(renstra.source.sasaran)
    performance = list(tables_of(renstra, TabelTC28))
    shown: set[str] = set()
    for table_id, table in performance:
        yield from _groups(renstra, table_id, table)
        shown |= _shown(renstra, table)
    for table_id, table in tables_of(renstra, TabelDaftarIndikator):
        yield from _listed(renstra, table_id, table, lookup, shown, performance)
    served: set[str] = set()
    for table_id, table in tables_of(renstra, TabelTC26):
        served |= yield from _strategies(renstra, table_id, table, lookup)
    strategy_tables = [t for t, _ in tables_of(renstra, TabelTC26)]
    for table_id, table in tables_of(renstra, TabelDaftarIndikator):
        if table.kode_tc == "TC-25" and strategy_tables:
            yield from _without_strategy(renstra, table_id, table, lookup, served, strategy_tables[0])


def _shown(renstra: Renstra, table: TabelTC28) -> set[str]:
    """Indicator ids the performance table shows, resolved through its groups."""
    shown: set[str] = set()
    for tujuan in renstra.source.sasaran.tujuan:
        for group in table.kelompok:
            if group.tujuan == tujuan.id:
                shown |= {i.id for i in tujuan.indikator}
            for sasaran in tujuan.sasaran:
                if group.sasaran == sasaran.id:
                    shown |= {i.id for i in sasaran.indikator}
    return shown


def _listed(renstra, table_id, table, lookup, shown, performance) -> Iterator[Problem]:
    known = sorted(lookup)
    for index, ind_id in enumerate(table.indikator):
        if ind_id not in lookup:
            yield at(
                renstra,
                table_id,
                ("indikator", index),
                GALAT,
                f"indikator '{ind_id}' tidak ada di {renstra.source.path_of('sasaran')}",
                suggest(ind_id, known),
            )
        elif performance and ind_id not in shown:
            target_id = performance[0][0]
            yield at(
                renstra,
                table_id,
                ("indikator", index),
                GALAT,
                f"indikator '{ind_id}' ({lookup[ind_id][2].nama}) "
                f"di {renstra.labels.get(table_id, table_id)} "
                f"tidak tercantum di {nama(renstra, target_id)}",
                f"tambahkan kelompok tujuan/sasarannya ke {renstra.source.path_of(target_id)}",
            )


def _strategies(renstra, table_id, table, lookup):
    """Galat for unknown indicators; returns the ids of the sasaran/tujuan that have a strategy."""
    served = set()
    for index, strategi in enumerate(table.strategi):
        if strategi.indikator not in lookup:
            yield at(
                renstra,
                table_id,
                ("strategi", index, "indikator"),
                GALAT,
                f"indikator '{strategi.indikator}' tidak ada di {renstra.source.path_of('sasaran')}",
                suggest(strategi.indikator, sorted(lookup)),
            )
        else:
            tujuan, sasaran, _ = lookup[strategi.indikator]
            served.add(sasaran.id if sasaran else tujuan.id)
    return served


def _without_strategy(renstra, table_id, table, lookup, served, strategy_id) -> Iterator[Problem]:
    for index, ind_id in enumerate(table.indikator):
        if ind_id in lookup:
            tujuan, sasaran, _ = lookup[ind_id]
            owner = sasaran or tujuan
            if owner.id not in served:
                yield at(
                    renstra,
                    table_id,
                    ("indikator", index),
                    GALAT,
                    f"sasaran '{owner.nama}' di {renstra.labels.get(table_id, table_id)} "
                    "tidak memiliki strategi "
                    f"di {nama(renstra, strategy_id)}",
                    "tambahkan strategi untuk salah satu indikatornya di "
                    f"{renstra.source.path_of(strategy_id)}",
                )
                served.add(owner.id)


def _groups(renstra, table_id, table) -> Iterator[Problem]:
    tujuan = {t.id for t in renstra.source.sasaran.tujuan}
    sasaran = {s.id for t in renstra.source.sasaran.tujuan for s in t.sasaran}
    trees = list(tables_of(renstra, TabelTC27))
    programs = {p.kode for _, tree in trees for p in tree.program}
    for index, group in enumerate(table.kelompok):
        filled = [
            (name, value)
            for name, value in (
                ("tujuan", group.tujuan),
                ("sasaran", group.sasaran),
                ("program", group.program),
            )
            if value
        ]
        if len(filled) != 1:
            yield at(
                renstra,
                table_id,
                ("kelompok", index),
                GALAT,
                "setiap kelompok diisi tepat satu dari: tujuan, sasaran, program",
            )
            continue
        name, value = filled[0]
        known = {"tujuan": tujuan, "sasaran": sasaran, "program": programs}[name]
        if name == "program" and not trees:
            yield at(
                renstra,
                table_id,
                ("kelompok", index, name),
                GALAT,
                f"program '{value}' tidak dapat dirujuk: dokumen ini tidak memiliki tabel berjenis tc27",
                "tambahkan berkas data berjenis tc27 (jenis: tc27), atau ganti kelompok ini dengan "
                f"tujuan atau sasaran dari {renstra.source.path_of('sasaran')}",
            )
        elif value not in known:
            where = (
                renstra.source.path_of(trees[0][0])
                if name == "program"
                else renstra.source.path_of("sasaran")
            )
            yield at(
                renstra,
                table_id,
                ("kelompok", index, name),
                GALAT,
                f"{name} '{value}' tidak ada di {where}",
                suggest(value, sorted(known)),
            )
