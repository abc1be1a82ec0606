"""Editor schema: schema/*.schema.json must match the models and the period (peringatan).

The editor (yaml-language-server) reads these files while a planner types; after the document's
period changes, a stale schema would mark the right years as wrong and the wrong ones as right.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem
from renstra.source.schema import schema_texts

HANYA_PERINGATAN = True  # never a galat: a build skips it (make check runs it)


def check(renstra: Renstra) -> Iterator[Problem]:
    folder = renstra.source.root / "schema"
    for name, text in schema_texts(renstra.periode).items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            state = "belum ada" if current is None else "tidak sesuai model dan periode dokumen"
            yield Problem(
                f"schema/{name}",
                1,
                1,
                PERINGATAN,
                f"skema editor {state}",
                "jalankan make schema lalu simpan hasilnya bersama perubahan ini",
            )
