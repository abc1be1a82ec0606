"""Errata: an entry whose 'sekarang' no longer matches what the document prints is stale (galat).

What the document prints is read from the resolved views (tables) and facts (narrative), so an
entry is held to the printed cell itself, never to a second derivation of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at
from renstra.document.resolve import Renstra
from renstra.problems import GALAT, Problem


def check(renstra: Renstra) -> Iterator[Problem]:
    for index, entry in enumerate(renstra.errata.koreksi):
        now = renstra.printed(entry.tabel, entry.baris, entry.kolom)
        if now is not None and entry.sekarang not in now:
            yield at(
                renstra,
                "errata",
                ("koreksi", index, "sekarang"),
                GALAT,
                f"koreksi usang: {entry.tabel} {entry.baris} {entry.kolom} kini {' / '.join(now)}, "
                f"bukan '{entry.sekarang}'",
                "perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi",
            )
