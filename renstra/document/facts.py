"""Derived facts the narrative quotes: counts of the TC-27 tree and the totals of the simple tables —
never typed twice.

A fact is a frozen dataclass: its fields are the names a chapter may write after the dot
({{ jumlah.program }}, {{ pegawai.jumlah }}), their values what the chapter prints, and each field's
metadata "kata" the word that follows the number in a sentence ('3 program', '238 orang'), which
lets the narrative check find a number typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, make_dataclass

from renstra.document.chapters import DIRECTIVES
from renstra.document.views import angka_kolom
from renstra.source.load import Source
from renstra.source.models import TabelSederhana, TabelTC27
from renstra.source.sederhana import fact_name

KATA = "kata"  # field metadata: regular expression of the word after the number in the narrative


@dataclass(frozen=True)
class JumlahProgram:
    program: int = field(metadata={KATA: r"program"})
    kegiatan: int = field(metadata={KATA: r"kegiatan"})
    sub_kegiatan: int = field(metadata={KATA: r"sub[- ]kegiatan"})


def jumlah_program(tc27: TabelTC27) -> JumlahProgram:
    kegiatan = [k for p in tc27.program for k in p.kegiatan]
    return JumlahProgram(len(tc27.program), len(kegiatan), sum(len(k.sub_kegiatan) for k in kegiatan))


def jumlah_tabel(table_id: str, table: TabelSederhana):
    """The totals of a simple table's total row, one field per summed column, as the row prints them
    (PUEBI, without the unit): {{ pegawai.jumlah }} → 238, {{ inventaris.nilai }} → Rp69.035.655.795."""
    columns = [k for k in table.kolom if k.dijumlah and fact_name(k.id)]
    words = {k.id: k.satuan_narasi or k.satuan for k in columns}
    kind = make_dataclass(
        f"Jumlah_{table_id}",
        [(k.id, str, field(metadata={KATA: re.escape(words[k.id])} if words[k.id] else {})) for k in columns],
        frozen=True,
    )
    return kind(**{k.id: angka_kolom(k, table.jumlah(k.id)) for k in columns})


def narrative_facts(source: Source) -> dict:
    """The names a chapter may use in {{ … }}: jumlah.program, pegawai.jumlah, … — from the tables of
    their kind, whatever their files are called; a document without such a table has no such name.
    A simple table gives its totals under its own id when it has a total row and its id can be
    written in an expression (pegawai, not kelompok-sasaran); 'jumlah' stays the TC-27 counts."""
    facts = {}
    for table in source.tabel.values():
        if isinstance(table, TabelTC27):
            facts["jumlah"] = jumlah_program(table)
    for table_id, table in source.tabel.items():
        if (
            isinstance(table, TabelSederhana)
            and table.total is not None
            and fact_name(table_id)
            and table_id not in facts
            and table_id not in DIRECTIVES
        ):
            facts[table_id] = jumlah_tabel(table_id, table)
    return facts
