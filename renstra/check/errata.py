"""Errata: an entry whose 'sekarang' no longer matches what the document prints is stale (galat).

What the document prints is read from the resolved views (tables) and facts (narrative), so an
entry is held to the printed cell itself, never to a second derivation of it.

An entry naming a row that the table does not have (a kode the T-C.27 no longer has, or never had:
a tree without sub kegiatan, errata carried over from another document) holds only if it says the
row was deleted. Those that do not are one galat per table, not one per entry: the cause is one.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at, nama
from renstra.document.resolve import DIHAPUS, Renstra
from renstra.problems import GALAT, Problem

SHOWN = 3  # row keys named in the message; the rest are counted


def check(renstra: Renstra) -> Iterator[Problem]:
    absent: dict[str, list[int]] = {}  # table id → entries naming a row it does not have
    for index, entry in enumerate(renstra.errata.koreksi):
        now = renstra.printed(entry.tabel, entry.baris, entry.kolom)
        if now == [DIHAPUS] and entry.sekarang != DIHAPUS:
            absent.setdefault(entry.tabel, []).append(index)
        elif now is not None and entry.sekarang not in now:
            yield at(
                renstra,
                "errata",
                ("koreksi", index, "sekarang"),
                GALAT,
                f"koreksi usang: {entry.tabel} {entry.baris} {entry.kolom} kini {' / '.join(now)}, "
                f"bukan '{entry.sekarang}'",
                "perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi",
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
