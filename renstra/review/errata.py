"""Koreksi report: every place the document departs from the signed version (data/errata.yaml), grouped
by the table or chapter it concerns, in document order, each entry marked as held to the printed
document or a note only."""

from __future__ import annotations

from itertools import groupby

import jinja2

from renstra.document.lampiran import beda
from renstra.document.numbers import tanggal
from renstra.document.resolve import Renstra


def koreksi_groups(renstra: Renstra) -> list[dict]:
    """Errata grouped by table (in document order), each with its printed name, e.g. 'Tabel 6.1 …'."""
    order = {table_id: index for index, table_id in enumerate(renstra.labels)}
    chapter_order = {c.path: index for index, c in enumerate(renstra.source.bab)}

    def key(entry):
        return (order.get(entry.tabel, chapter_order.get(entry.tabel, 99) - 100), entry.tabel)

    groups = []
    for (_, tabel), entries in groupby(sorted(renstra.errata.koreksi, key=key), key=key):
        title = renstra.sebut(tabel) if tabel in renstra.source.tabel else f"Narasi: {tabel}"
        rows = [
            {
                "e": e,
                "selisih": beda(e),
                "terverifikasi": bool(renstra.printed(e.tabel, e.baris, e.kolom, e.sekarang)),
            }
            for e in entries
        ]
        groups.append({"judul": title, "baris": rows})
    return groups


def render_koreksi_html(renstra: Renstra, env: jinja2.Environment) -> str:
    return env.get_template("koreksi.html.j2").render(
        d=renstra.identitas,
        groups=koreksi_groups(renstra),
        total=len(renstra.errata.koreksi),
        tanggal_penetapan=tanggal(renstra.dokumen.penetapan.tanggal),
    )


def render_koreksi_md(renstra: Renstra) -> str:
    d = renstra.identitas
    signed = d.penetapan.tanggal.year
    lines = [
        f"# Koreksi terhadap {d.judul} (ditandatangani {tanggal(d.penetapan.tanggal)})",
        "",
        f"{len(renstra.errata.koreksi)} koreksi. Kolom 'Tercetak {signed}' adalah yang tercetak di dokumen "
        "yang ditandatangani; 'Sekarang' adalah yang dicetak oleh build ini.",
        "",
    ]
    for group in koreksi_groups(renstra):
        lines += [
            f"## {group['judul']}",
            "",
            f"| Jenis | Baris | Kolom | Tercetak {signed} | Sekarang | Selisih | Alasan |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in group["baris"]:
            e = row["e"]
            cells = [e.jenis, e.baris, e.kolom, e.tercetak, e.sekarang, row["selisih"], e.alasan]
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
