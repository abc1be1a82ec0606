"""Duplicate rows: a row repeated within a table (peringatan); a repeated kode is a galat in codes."""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at
from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem
from renstra.source.models import Model

HANYA_PERINGATAN = True  # never a galat: a build skips it (make check runs it)


def check(renstra: Renstra) -> Iterator[Problem]:
    for table_id, table in renstra.source.tabel.items():
        for loc, rows in _row_lists(table, ()):
            seen: dict[str, int] = {}
            for index, row in enumerate(rows):
                key = row.model_dump_json() if isinstance(row, Model) else repr(row)
                if key in seen:
                    _, first, _ = renstra.source.where(table_id, loc + (seen[key],))
                    yield at(
                        renstra,
                        table_id,
                        loc + (index,),
                        PERINGATAN,
                        f"baris ini sama persis dengan baris {first}",
                        "hapus salah satunya bila tidak disengaja",
                    )
                seen.setdefault(key, index)


def _row_lists(value, loc):
    """Every list of table rows (models) inside a table model, with its path."""
    if isinstance(value, Model):
        for name in type(value).model_fields:
            yield from _row_lists(getattr(value, name), loc + (name,))
    elif isinstance(value, list) and value and isinstance(value[0], Model):
        yield loc, value
        for index, item in enumerate(value):
            yield from _row_lists(item, loc + (index,))
