"""The corrected edition's annex: the Daftar Koreksi, computed from data/errata.yaml.

Two tables — the corrections (printed in the signed document, printed now, the difference, why) and
the notes (inconsistencies of the signed text kept as printed) — in a LAMPIRAN after the last BAB,
listed in the Daftar Isi and the PDF's bookmarks. The narrative names it with {{ lampiran.koreksi }},
one sentence that the signed edition does not print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from renstra.document import edisi
from renstra.document import numbers as angka
from renstra.document.chapters import LAMPIRAN, SLOT, Chapter, Judul, unbreakable
from renstra.document.views import Baris, Sel, Tampilan, td, th
from renstra.source.load import Bab, Source
from renstra.source.models import Koreksi

BERKAS = "(lampiran-koreksi)"  # the annex's chapter "path": it has no file, it is generated
ANCHOR = "lampiran-koreksi"
KOREKSI, CATATAN = "daftar-koreksi", "daftar-catatan"  # ids of its two tables
JUDUL = "DAFTAR KOREKSI"


@dataclass(frozen=True)
class Lampiran:
    """What {{ lampiran.koreksi }} prints: where the corrections are listed, or nothing."""

    koreksi: str = ""


def entries(source: Source) -> tuple[list[Koreksi], list[Koreksi]]:
    koreksi = [e for e in source.errata.koreksi if e.jenis == "koreksi"]
    return koreksi, [e for e in source.errata.koreksi if e.jenis == "catatan"]


def ada(source: Source, cetakan: str) -> bool:
    return cetakan == edisi.PERBAIKAN and bool(source.errata.koreksi)


def fakta(source: Source, cetakan: str) -> Lampiran:
    if not ada(source, cetakan):
        return Lampiran()
    koreksi, catatan = entries(source)
    signed = source.dokumen.penetapan
    return Lampiran(
        f"Edisi ini memuat {len(koreksi)} koreksi terhadap dokumen yang ditandatangani di {signed.tempat} "
        f"pada {angka.tanggal(signed.tanggal)}; setiap koreksi, beserta {len(catatan)} catatan atas "
        f"dokumen itu, tercantum dalam LAMPIRAN {JUDUL.title()}."
    )


def tambahkan(renstra) -> None:
    """Append the annex to a corrected edition that has errata: a chapter and its two tables."""
    source = renstra.source
    if not ada(source, renstra.cetakan):
        return
    koreksi, catatan = entries(source)
    signed = source.dokumen.penetapan.tanggal.year
    # Each table under a heading of its own (in the Daftar Isi and the bookmarks), not numbered among
    # the document's tables: the heading is its caption, which is how the DOCX finds it again.
    ids, parts, headings = [], [], [Judul(1, LAMPIRAN, JUDUL, ANCHOR)]
    for table_id, rows, view, title in (
        (KOREKSI, koreksi, _tabel_koreksi, f"Koreksi ({len(koreksi)})"),
        (CATATAN, catatan, _tabel_catatan, f"Catatan ({len(catatan)})"),
    ):
        if rows:
            renstra._views[table_id] = view(renstra, table_id, title, rows, signed)
            anchor = f"{ANCHOR}-{len(ids) + 1}"
            headings.append(Judul(2, "", title, anchor))
            parts.append(f"## {title} {{#{anchor}}}\n\n" + SLOT.format(kind="tabel", id=table_id))
            ids.append(table_id)
    intro = (
        f"Lampiran ini mendaftar setiap tempat di mana edisi ini berbeda dari dokumen yang "
        f"ditandatangani pada {angka.tanggal(source.dokumen.penetapan.tanggal)} (Koreksi), dan "
        "ketidaksesuaian dokumen itu yang dicatat tetapi dibiarkan seperti tercetak (Catatan). Selisih "
        "dihitung dari nilai tercetak dan nilai sekarang, tidak diketik."
    )
    body = "\n\n".join(parts)
    markdown = f"# [LAMPIRAN]{{.nomor}} {JUDUL} {{#{ANCHOR}}}\n\n{intro}\n\n{body}\n"
    renstra.chapters.append(Chapter(Bab(BERKAS, LAMPIRAN, ""), markdown, headings, ids))


def tempat_entri(renstra, entry: Koreksi) -> str:
    """How the annex names an entry's table or chapter: 'Tabel 6.1', 'BAB II'."""
    if entry.tabel in renstra.labels:
        return unbreakable(renstra.labels[entry.tabel])
    for chapter in renstra.chapters:
        if chapter.bab.path == entry.tabel:
            return (
                unbreakable(f"BAB {chapter.bab.nomor}")
                if chapter.bab.nomor
                else chapter.judul[0].teks.title()
            )
    return entry.tabel


def beda(entry: Koreksi) -> str:
    """The difference as printed: +Rp227.050.000, −Rp1; empty when the values are not amounts."""
    value = edisi.selisih(entry)
    if value is None:
        return ""
    return ("+" if value > 0 else "\N{MINUS SIGN}" if value < 0 else "") + angka.rupiah(abs(value))


_LABEL = re.compile(r"\b(Tabel|Gambar|BAB) (?=[\dIVX])")


def _teks(text: str) -> Sel:
    """A cell quoting the data: 'Tabel 7.2' there too is never split over two lines."""
    return td(_LABEL.sub(lambda m: unbreakable(m.group(0)), text))


def _kepala(names: list[str]) -> list[list[Sel]]:
    return [[th(n) for n in names]]


def _tabel_koreksi(renstra, table_id: str, title: str, rows: list[Koreksi], signed: int) -> Tampilan:
    baris = [
        Baris(
            [
                td(i, "tengah"),
                td(tempat_entri(renstra, e)),
                _teks(e.baris),
                _teks(e.kolom),
                _teks(e.tercetak),
                _teks(e.sekarang),
                td(beda(e), "angka"),
                _teks(e.alasan),
            ],
            kunci=str(i),
        )
        for i, e in enumerate(rows, 1)
    ]
    return Tampilan(
        table_id,
        "",
        title,
        None,
        _kepala(["No", "Tabel/Bab", "Baris", "Kolom", f"Tercetak {signed}", "Sekarang", "Selisih", "Alasan"]),
        baris,
        [2.6, 7.5, 10, 8, 13, 13, 11, 18],
        ukuran="tabel-lebar",
    )


def _tabel_catatan(renstra, table_id: str, title: str, rows: list[Koreksi], signed: int) -> Tampilan:
    baris = [
        Baris(
            [
                td(i, "tengah"),
                td(tempat_entri(renstra, e)),
                td(e.baris),
                td(e.kolom),
                td(e.tercetak),
                td(e.alasan),
            ],
            kunci=str(i),
        )
        for i, e in enumerate(rows, 1)
    ]
    return Tampilan(
        table_id,
        "",
        title,
        None,
        _kepala(["No", "Tabel/Bab", "Baris", "Kolom", f"Tercetak {signed}", "Catatan"]),
        baris,
        [2.6, 7.5, 12, 7, 20, 32],
        ukuran="tabel-lebar",
    )
