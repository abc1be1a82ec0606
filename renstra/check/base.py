"""What every rule needs: a Problem at a data value, the tables of a kind, how a message names a table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from renstra.document.resolve import Renstra
from renstra.problems import Problem

T = TypeVar("T")


def at(
    renstra: Renstra, file_id: str, loc: tuple, level: str, message: str, hint: str = "", key: bool = False
) -> Problem:
    """A problem at the value (or key) `loc` of data file `file_id`."""
    path, line, col = renstra.source.where(file_id, loc, key=key)
    return Problem(path, line, col, level, message, hint)


def tables_of(renstra: Renstra, kind: type[T]) -> Iterator[tuple[str, T]]:
    """(id, table) of every table of one kind, in file order."""
    for table_id in renstra.ids_of(kind):
        yield table_id, renstra.source.tabel[table_id]


def nama(renstra: Renstra, table_id: str, berkas: bool = False) -> str:
    """'Tabel 6.1 (TC-27)' — the number the build gave it; with its file where the fix goes."""
    table = renstra.source.tabel[table_id]
    label = renstra.labels.get(table_id) or f"tabel '{table_id}'"
    inside = [table.kode_tc] if table.kode_tc else []
    if berkas:
        inside.append(renstra.source.path_of(table_id))
    return f"{label} ({', '.join(inside)})" if inside else label
