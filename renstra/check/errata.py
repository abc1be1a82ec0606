"""Errata: every entry is held to what the corrected edition prints, and nothing in it that can be
computed is typed wrong.

- A koreksi must name a place the document has (a table cell, a deleted row, a chapter section that
  prints its `sekarang`): the signed edition is rebuilt by reversing it there.
- Its `sekarang` must be what that place prints now (the entry is stale otherwise), for every table,
  simple tables' totals and chapter text alike; a catatan is held to that too where its place exists.
- A koreksi whose two values are equal changes nothing: it is a catatan.
- A difference stated in its reason ('selisih Rp1') must be the one its two values give.

An entry naming a row that a tree table does not have (a kode the T-C.27 no longer has) holds only if
it says the row was deleted. Those that do not are one galat per table, not one per entry: the cause
is one.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, nama
from renstra.document import edisi
from renstra.document.numbers import rupiah
from renstra.document.resolve import DIHAPUS, Renstra
from renstra.problems import GALAT, Problem

SHOWN = 3  # row keys named in the message; the rest are counted


def check(renstra: Renstra) -> Iterator[Problem]:
    absent: dict[str, list[int]] = {}  # table id → entries naming a row it does not have
    missing: dict[str, list[int]] = {}  # table or chapter the document does not have → its entries
    chapters = {c.bab.path for c in renstra.chapters}
    for index, entry in enumerate(renstra.errata.koreksi):
        yield from _computed(renstra, index, entry)
        if entry.tabel not in renstra.source.tabel and entry.tabel not in chapters:
            missing.setdefault(entry.tabel, []).append(index)
            continue
        now = renstra.printed(entry.tabel, entry.baris, entry.kolom, entry.sekarang)
        if entry.sekarang == DIHAPUS:
            if now not in (None, [DIHAPUS]):
                yield _at(renstra, index, "baris", f"baris {entry.baris} masih dicetak, bukan dihapus")
            continue
        if now == [DIHAPUS]:
            absent.setdefault(entry.tabel, []).append(index)
        elif now is None:
            if entry.jenis == "koreksi":
                yield _at(
                    renstra,
                    index,
                    "baris",
                    f"tempat koreksi tidak ditemukan: {entry.tabel} baris '{entry.baris}' kolom "
                    f"'{entry.kolom}'",
                    "edisi tercetak dibangun dengan membalik koreksi di tempatnya; perbaiki baris/kolom, "
                    "atau jadikan jenis: catatan",
                )
        elif entry.sekarang not in now:
            shown = " / ".join(now) if now else f"tidak lagi memuat '{entry.sekarang}'"
            yield _at(
                renstra,
                index,
                "sekarang",
                f"koreksi usang: {entry.tabel} {entry.baris} {entry.kolom} kini {shown}"
                + (f", bukan '{entry.sekarang}'" if now else ""),
                "perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi",
            )
    for name, indexes in missing.items():
        yield _at(
            renstra,
            indexes[0],
            "tabel",
            f"{len(indexes)} entri errata merujuk '{name}', yang tidak ada di dokumen ini",
            "hapus entri itu, atau kembalikan tabel/babnya: edisi tercetak tidak dapat membaliknya",
        )
    for table_id, indexes in absent.items():
        rows = list(dict.fromkeys(renstra.errata.koreksi[i].baris for i in indexes))
        named = ", ".join(rows[:SHOWN]) + (
            f" dan {len(rows) - SHOWN} baris lain" if len(rows) > SHOWN else ""
        )
        yield at(
            renstra,
            "errata",
            ("koreksi", indexes[0], "baris"),
            GALAT,
            f"{len(indexes)} entri koreksi merujuk baris yang tidak ada di {nama(renstra, table_id)}: "
            + named,
            f"hapus entri itu dari {renstra.source.path_of('errata')}, atau tulis sekarang: "
            f'"{DIHAPUS}" bila barisnya memang dihapus',
        )


def _computed(renstra: Renstra, index: int, entry) -> Iterator[Problem]:
    computed = edisi.selisih(entry)
    if entry.jenis == "koreksi" and (entry.tercetak == entry.sekarang or computed == 0):
        yield _at(
            renstra,
            index,
            "jenis",
            "koreksi tanpa perubahan: 'tercetak' sama dengan 'sekarang'",
            "ketidaksesuaian yang dibiarkan seperti tercetak ditulis jenis: catatan",
        )
    for offset, typed in edisi.typed_differences(entry.alasan):
        if computed is not None and abs(typed) == abs(computed):
            continue
        path, line, col = _at_character(renstra, ("koreksi", index, "alasan"), offset)
        actual = (
            f"selisih {entry.tercetak} → {entry.sekarang} adalah {rupiah(abs(computed))}"
            if computed is not None
            else "'tercetak' dan 'sekarang' bukan nilai rupiah, selisihnya tidak dapat dihitung"
        )
        yield Problem(
            path,
            line,
            col,
            GALAT,
            f"alasan menyebut selisih {rupiah(abs(typed))}, padahal {actual}",
            "hapus selisih dari alasan: Daftar Koreksi menghitungnya sendiri",
        )


def _at_character(renstra: Renstra, loc: tuple, offset: int) -> tuple[str, int, int]:
    """(file, line, column) of character `offset` of the text at `loc` in data/errata.yaml, from where
    the reader saw that text start; a text written over several lines maps to its start."""
    path, line, col = renstra.source.where("errata", loc)
    start = renstra.source.sources["errata"].teks.get(loc)
    if start is None or not start.satu_baris:
        return path, line, col
    return path, start.baris, start.kolom + offset


def _at(renstra: Renstra, index: int, field: str, message: str, hint: str = "") -> Problem:
    return at(renstra, "errata", ("koreksi", index, field), GALAT, message, hint)
