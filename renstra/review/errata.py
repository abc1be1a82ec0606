"""Koreksi report: every place the rendered document departs from the signed 2023 version (from data/errata.yaml)."""
from __future__ import annotations

from itertools import groupby

import jinja2

from renstra.check.rules import errata_value
from renstra.source.load import Document
from renstra.document.chapters import number_items, scan_arahan
from renstra.render.html import tanggal


def koreksi_groups(doc: Document) -> list[dict]:
    """Errata grouped by table (in document order), each with its printed label, e.g. 'Tabel 6.1 …'."""
    penomoran, _ = number_items(doc, scan_arahan(doc.bab))
    order = {table_id: index for index, table_id in enumerate(penomoran.label)}
    chapter_order = {c.path: index for index, c in enumerate(doc.bab)}

    def key(entry):
        return (order.get(entry.tabel, chapter_order.get(entry.tabel, 99) - 100), entry.tabel)

    groups = []
    for (_, tabel), entries in groupby(sorted(doc.errata.koreksi, key=key), key=key):
        if tabel in doc.tabel:
            title = f"{penomoran.label[tabel]} {doc.tabel[tabel].judul}"
        else:
            title = f"Narasi: {tabel}"
        rows = [{"e": e, "terverifikasi": errata_value(doc, e.tabel, e.baris, e.kolom) is not None} for e in entries]
        groups.append({"judul": title, "baris": rows})
    return groups


def render_koreksi_html(doc: Document, env: jinja2.Environment) -> str:
    return env.get_template("koreksi.html.j2").render(d=doc.dokumen, groups=koreksi_groups(doc),
                                                       total=len(doc.errata.koreksi),
                                                       tanggal_penetapan=tanggal(doc.dokumen.penetapan.tanggal))


def render_koreksi_md(doc: Document) -> str:
    lines = [f"# Koreksi terhadap {doc.dokumen.judul} (ditandatangani {tanggal(doc.dokumen.penetapan.tanggal)})", "",
             f"{len(doc.errata.koreksi)} koreksi. Kolom 'Tercetak 2023' adalah yang tercetak di dokumen yang "
             "ditandatangani; 'Sekarang' adalah yang dicetak oleh build ini.", ""]
    for group in koreksi_groups(doc):
        lines += [f"## {group['judul']}", "", "| Baris | Kolom | Tercetak 2023 | Sekarang | Alasan |",
                  "| --- | --- | --- | --- | --- |"]
        for row in group["baris"]:
            e = row["e"]
            cells = [e.baris, e.kolom, e.tercetak, e.sekarang, e.alasan]
            lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
