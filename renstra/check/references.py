"""References: every placed table is referred to somewhere in the narrative (peringatan).

Directives that name no table, doubled placements and chapters that cannot be expanded are found
while resolving (renstra.problems); this rule adds what only a reader would miss.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem

HANYA_PERINGATAN = True  # never a galat: a build skips it (make check runs it)


def check(renstra: Renstra) -> Iterator[Problem]:
    referred = {a.id for a in renstra.arahan if a.kind == "ref"}
    for item in renstra.arahan:
        if item.kind == "tabel" and item.id in renstra.source.tabel and item.id not in referred:
            yield Problem(
                item.path,
                item.line,
                item.column,
                PERINGATAN,
                f"tabel '{item.id}' ditempatkan tetapi tidak pernah dirujuk di narasi",
                f'tambahkan rujukan {{{{ ref("{item.id}") }}}} pada kalimat yang membahasnya',
            )
