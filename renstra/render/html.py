"""Render HTML: Document → one self-contained HTML string (cover, front matter, TOC, chapters, signature).

Markdown goes through pandoc (all chapters converted concurrently); tables and the figure are drawn
from the model by Jinja2 templates and put where the chapter's tabel()/gambar() call stood.
"""
from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pypandoc

from renstra.source.load import Document
from renstra.problems import RenstraError, galat
from renstra.document.chapters import GAMBAR, BabSiap, Penomoran, prepare
from renstra.reproducible import iso, source_date_epoch
from renstra.document.views import view

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]
KERTAS = {"A4": ("210mm", "297mm"), "F4": ("215mm", "330mm")}
HURUF = {
    "sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
             "LiberationSans-BoldItalic.ttf"),
    "serif": ("texgyrebonum-regular.otf", "texgyrebonum-bold.otf", "texgyrebonum-italic.otf",
              "texgyrebonum-bolditalic.otf"),
}
_SLOT = re.compile(r"<p>%%SLOT:(tabel|gambar):([^%]+)%%</p>")
_PANDOC_ARGS = ["--from=markdown-raw_html-raw_attribute-citations+fancy_lists+startnum", "--to=html5",
                "--sandbox", "--wrap=none", "--section-divs=false"]


@dataclass
class BabHtml:
    html: str


def template_env(root: Path) -> jinja2.Environment:
    """Jinja2 for HTML: autoescape on, a misspelled field is an error, not a blank in a signed document."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(root / "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=False)


def render_html(doc: Document, env: jinja2.Environment | None = None) -> str:
    """The whole document as one HTML string for WeasyPrint."""
    return Bagian.of(doc, env).html()


@dataclass
class Bagian:
    """The document's parts, rendered once: front matter, chapters, and what the TOCs list.

    `html()` gives the whole document in one piece; `html(isi=[i], depan=False)` one chapter
    alone, which lets the PDF be laid out chapter by chapter (see render_pdf_paralel.py).
    """

    doc: Document
    env: jinja2.Environment
    depan_bab: list[BabHtml]
    isi_bab: list[BabHtml]
    daftar_isi: list[dict]
    daftar_tabel: list[dict]

    @classmethod
    def of(cls, doc: Document, env: jinja2.Environment | None = None) -> "Bagian":
        env = env or template_env(doc.root)
        chapters, penomoran = prepare(doc)
        fragments = markdown_to_html([c.markdown for c in chapters])
        html_chapters = [BabHtml(_fill_slots(doc, env, html, penomoran)) for html in fragments]
        return cls(doc, env, [h for h, c in zip(html_chapters, chapters) if not c.bab.nomor],
                   [h for h, c in zip(html_chapters, chapters) if c.bab.nomor],
                   _daftar_isi(chapters), _daftar_tabel(doc, chapters, penomoran))

    def css(self, nomor_halaman: bool = True) -> str:
        """The style sheet every part is laid out with (fonts, paper, page groups)."""
        return _css(self.doc, self.env, nomor_halaman)

    def html(self, isi: list[int] | None = None, depan: bool = True, halaman: dict[str, str] | None = None,
             nomor_halaman: bool = True) -> str:
        """HTML of the chosen parts; `halaman` gives literal TOC page numbers (anchor → '12')."""
        d = self.doc.dokumen
        chosen = range(len(self.isi_bab)) if isi is None else isi
        return self.env.get_template("dokumen.html.j2").render(
            d=d, css=self.css(nomor_halaman), depan=self.depan_bab if depan else [],
            tampil_depan=depan, isi=[(i, self.isi_bab[i]) for i in chosen], jumlah_isi=len(self.isi_bab),
            halaman=halaman or {}, judul_sampul=_judul_sampul(d.judul),
            daftar_isi=self.daftar_isi, daftar_tabel=self.daftar_tabel,
            tanggal_penetapan=tanggal(d.penetapan.tanggal),
            dibuat=iso(source_date_epoch(self.doc.root, d.penetapan.tanggal)))


def markdown_to_html(texts: list[str]) -> list[str]:
    """Run one pandoc per chapter, in parallel threads (pandoc is a separate process)."""
    pandoc = pypandoc.get_pandoc_path()

    def convert(text: str) -> str:
        result = subprocess.run([pandoc, *_PANDOC_ARGS], input=text.encode("utf-8"), capture_output=True, check=True)
        return result.stdout.decode("utf-8")

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(convert, texts))


def tanggal(value) -> str:
    """2 Mei 2023."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def _judul_sampul(judul: str) -> list[str]:
    # "RENCANA STRATEGIS SEKRETARIAT DAERAH KABUPATEN LUMAJANG" → the cover's four lines as printed
    words = judul.split()
    return [" ".join(words[i:i + 2]) for i in range(0, len(words), 2)]


def _css(doc: Document, env: jinja2.Environment, nomor_halaman: bool = True) -> str:
    lebar, tinggi = KERTAS[doc.dokumen.tata_letak.kertas]
    files = HURUF[doc.dokumen.tata_letak.huruf]
    missing = [f for f in files if not (doc.root / "fonts" / f).is_file()]
    if missing:  # never let WeasyPrint substitute another font in a document that gets signed
        raise RenstraError([galat("data/dokumen.yaml", 1, 1, f"berkas huruf fonts/{name} tidak ada",
                                  "kembalikan berkas huruf dari repositori (git checkout fonts/)") for name in missing])
    fonts = {k: (doc.root / "fonts" / f).as_uri() for k, f in zip(("regular", "bold", "italic", "bolditalic"), files)}
    return env.get_template("gaya.css.j2").render(kertas={"lebar": lebar, "tinggi": tinggi}, huruf=fonts,
                                                  judul_singkat=doc.dokumen.judul_singkat, nomor_halaman=nomor_halaman)


def _fill_slots(doc: Document, env: jinja2.Environment, html: str, penomoran: Penomoran) -> str:
    def replace(match: re.Match) -> str:
        kind, item_id = match.group(1), match.group(2)
        label = penomoran.label[item_id]
        if kind == "gambar":
            svg = env.get_template(f"gambar/{item_id}.svg.j2").render()
            return (f'<figure id="gambar-{item_id}"><figcaption>{label}. {GAMBAR[item_id]}</figcaption>'
                    f"{svg}</figure>")
        return env.get_template("tabel.html.j2").render(v=view(doc, item_id, label))
    return _SLOT.sub(replace, html)


def _daftar_isi(chapters: list[BabSiap]) -> list[dict]:
    entries = []
    for chapter in chapters:
        for judul in chapter.judul:
            entries.append({"level": judul.level, "nomor": judul.nomor, "teks": judul.teks,
                            "anchor": judul.anchor, "romawi": not chapter.bab.nomor})
    return entries


def _daftar_tabel(doc: Document, chapters: list[BabSiap], penomoran: Penomoran) -> list[dict]:
    entries = []
    for chapter in chapters:
        for item_id in chapter.tabel:
            if item_id in doc.tabel:
                table = doc.tabel[item_id]
                suffix = f" ({table.kode_tc})" if table.kode_tc else ""
                entries.append({"label": penomoran.label[item_id], "judul": table.judul + suffix,
                                "anchor": f"tabel-{item_id}"})
    return entries
