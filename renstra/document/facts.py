"""Derived facts the narrative quotes: counts of the TC-27 tree and of Tabel 2.1 — never typed twice."""

from __future__ import annotations

from dataclasses import dataclass

from renstra.source.load import Source
from renstra.source.models import TabelPegawai, TabelTC27


@dataclass(frozen=True)
class JumlahProgram:
    program: int
    kegiatan: int
    sub_kegiatan: int


@dataclass(frozen=True)
class JumlahPegawai:
    total: int
    pns: int
    ptt: int


def jumlah_program(tc27: TabelTC27) -> JumlahProgram:
    kegiatan = [k for p in tc27.program for k in p.kegiatan]
    return JumlahProgram(len(tc27.program), len(kegiatan), sum(len(k.sub_kegiatan) for k in kegiatan))


def jumlah_pegawai(pegawai: TabelPegawai) -> JumlahPegawai:
    pns = sum(row.pns for row in pegawai.baris)
    ptt = sum(row.ptt or 0 for row in pegawai.baris)
    return JumlahPegawai(pns + ptt, pns, ptt)


def narrative_facts(source: Source) -> dict:
    """The names a chapter may use in {{ … }}: jumlah.program, pegawai.total, … — from the tables of
    their kind, whatever their files are called; a document without such a table has no such name."""
    facts = {}
    for table in source.tabel.values():
        if isinstance(table, TabelTC27):
            facts["jumlah"] = jumlah_program(table)
        elif isinstance(table, TabelPegawai):
            facts["pegawai"] = jumlah_pegawai(table)
    return facts
