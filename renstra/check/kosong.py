"""Empty parts: what a new document (`make baru`) starts with and a finished one no longer has — tables
without rows, the registry without tujuan, '> Petunjuk:' lines of the outline, identity fields not yet
filled. Each is a peringatan at its place: the document builds, and the list says what is left to write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from renstra.check.base import at, nama
from renstra.document.chapters import HEADING
from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem
from renstra.source.models import Tabel, TabelSederhana

HANYA_PERINGATAN = True  # never a galat: a build skips it (make check runs it)

# A guidance line of the outline: a Markdown blockquote that starts with 'Petunjuk:'.
PETUNJUK = re.compile(r"^ {0,3}>\s*Petunjuk\s*:", re.IGNORECASE)


def check(renstra: Renstra) -> Iterator[Problem]:
    yield from _empty_tables(renstra)
    yield from _empty_registry(renstra)
    yield from _guidance(renstra)
    yield from _identity(renstra)


def _empty_fields(table: Tabel) -> list[str]:
    """The content fields (beyond judul, kode_tc, …) left empty — [] or null — when no list has a row."""
    if isinstance(table, TabelSederhana):  # its columns and options are its declaration; rows its content
        return [] if table.baris else ["baris"]
    names = [n for n in type(table).model_fields if n not in Tabel.model_fields]
    values = {n: getattr(table, n) for n in names}
    if any(isinstance(v, list) and v for v in values.values()):
        return []
    return [n for n, v in values.items() if v is None or v == []]


def _empty_tables(renstra: Renstra) -> Iterator[Problem]:
    for table_id, table in renstra.source.tabel.items():
        empty = _empty_fields(table)
        if empty:
            fields = ", ".join(f"'{n}'" for n in empty)
            yield at(
                renstra,
                table_id,
                (empty[0],),
                PERINGATAN,
                f"{nama(renstra, table_id)} masih kosong: isi {fields}",
                "tulis baris-barisnya (berkas buatan 'make baru' memuat contohnya di komentar); sampai "
                "diisi, tabel dicetak dengan kepalanya saja",
                key=True,
            )


def _empty_registry(renstra: Renstra) -> Iterator[Problem]:
    if not renstra.source.sasaran.tujuan:
        yield at(
            renstra,
            "sasaran",
            ("tujuan",),
            PERINGATAN,
            "daftar tujuan dan sasaran masih kosong: isi 'tujuan'",
            "Tabel TC-25, TC-26, TC-28 dan IKU merujuk id tujuan, sasaran dan indikator dari sini",
            key=True,
        )


def _guidance(renstra: Renstra) -> Iterator[Problem]:
    """Every '> Petunjuk:' line, named by the heading it stands under (as the build numbers it)."""
    for chapter in renstra.chapters:
        judul = iter(chapter.judul)  # the headings of the source text, in its order, numbered
        current = None
        for line_no, line in enumerate(chapter.bab.text.splitlines(), 1):
            if HEADING.match(line):
                current = next(judul, current)
            elif PETUNJUK.match(line):
                yield Problem(
                    chapter.bab.path,
                    line_no,
                    1,
                    PERINGATAN,
                    f"{_bagian(current)} masih berisi petunjuk",
                    "tulis naskahnya, lalu hapus baris '> Petunjuk: …'",
                )


def _bagian(judul) -> str:
    """'subbab 1.1', 'BAB IV', 'KATA PENGANTAR' — how a planner finds the place in the PDF."""
    if judul is None:
        return "awal bab"
    if judul.level > 1:
        return f"subbab {judul.nomor}"
    return judul.nomor or judul.teks


def _identity(renstra: Renstra) -> Iterator[Problem]:
    edisi = renstra.dokumen.edisi
    if edisi is not None and edisi.tanggal is None:
        yield at(
            renstra,
            "dokumen",
            ("edisi",),
            PERINGATAN,
            f"{edisi.nama} belum bertanggal: tanda tangannya dicetak dengan tanggal kosong (……)",
            "isi edisi.tanggal (dan dasar_hukum) saat edisi ini ditandatangani",
            key=True,
        )
    if renstra.dokumen.penandatangan.nama is None:
        yield at(
            renstra,
            "dokumen",
            ("penandatangan", "nama"),
            PERINGATAN,
            "nama penandatangan masih kosong",
            "isi nama lengkap dengan gelar; sampai diisi, tempat nama di bawah tanda tangan dicetak kosong",
            key=True,
        )
