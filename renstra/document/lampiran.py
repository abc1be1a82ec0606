"""The corrected edition's annex: the Daftar Koreksi, computed from data/errata.yaml.

Two tables — the corrections (printed in the signed document, printed now, the difference, why) and
the notes (inconsistencies of the signed text kept as printed) — in a LAMPIRAN after the last BAB,
listed in the Daftar Isi and the PDF's bookmarks. The narrative names it with {{ lampiran.koreksi }},
one sentence that the signed edition does not print.
"""

from __future__ import annotations

from dataclasses import dataclass

from renstra.document import edisi
from renstra.document import numbers as angka
from renstra.document.chapters import LAMPIRAN, SLOT, Chapter, Judul, unbreakable, unbreakable_labels
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
    for table_id, rows, kolom, title in (
        (KOREKSI, koreksi, _KOLOM_KOREKSI, f"Koreksi ({len(koreksi)})"),
        (CATATAN, catatan, _KOLOM_CATATAN, f"Catatan ({len(catatan)})"),
    ):
        if rows:
            renstra._views[table_id] = _tabel(renstra, table_id, title, rows, signed, kolom)
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


def _teks(text: str) -> Sel:
    """A cell quoting the data: 'Tabel 7.2' there too is never split over two lines."""
    return td(unbreakable_labels(text))


# The annex's two tables: (header, cell of an entry) per column, and the columns' widths.
_KOLOM_KOREKSI = (
    [
        ("Baris", lambda e: _teks(e.baris)),
        ("Kolom", lambda e: _teks(e.kolom)),
        ("Tercetak {tahun}", lambda e: _teks(e.tercetak)),
        ("Sekarang", lambda e: _teks(e.sekarang)),
        ("Selisih", lambda e: td(beda(e), "angka")),
        ("Alasan", lambda e: _teks(e.alasan)),
    ],
    [2.6, 7.5, 10, 8, 13, 13, 11, 18],
)
_KOLOM_CATATAN = (
    [
        ("Baris", lambda e: _teks(e.baris)),
        ("Kolom", lambda e: _teks(e.kolom)),
        ("Tercetak {tahun}", lambda e: _teks(e.tercetak)),
        ("Catatan", lambda e: _teks(e.alasan)),
    ],
    [2.6, 7.5, 12, 7, 20, 32],
)


def _tabel(renstra, table_id: str, title: str, rows: list[Koreksi], signed: int, kolom) -> Tampilan:
    """One annex table: number, table or chapter, then the columns of `kolom`, one row per entry."""
    columns, widths = kolom
    header = ["No", "Tabel/Bab"] + [name.format(tahun=signed) for name, _ in columns]
    body = [
        Baris(
            [td(i, "tengah"), td(tempat_entri(renstra, e))] + [cell(e) for _, cell in columns],
            kunci=str(i),
        )
        for i, e in enumerate(rows, 1)
    ]
    return Tampilan(table_id, "", title, None, [[th(n) for n in header]], body, widths, ukuran="tabel-lebar")
