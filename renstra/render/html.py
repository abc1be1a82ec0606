"""Render HTML: Renstra → one self-contained HTML string (cover, front matter, TOC, chapters, signature).

The chapters' HTML fragments come from the resolved document; tables and the figure are drawn from
its views by Jinja2 templates and put where the chapter's tabel()/gambar() call stood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from renstra.document.chapters import Chapter, unbreakable
from renstra.document.resolve import Renstra
from renstra.layout import HURUF_TABEL_PT, MARGIN_POTRET, tata_letak
from renstra.render.gambar import data_uri, embed_images
from renstra.reproducible import iso, source_date_epoch
from renstra.templating import template_env

SLOT = re.compile(r"<p>%%SLOT:(tabel|gambar):([^%]+)%%</p>")
# The two parts of the front matter that the PDF lays out apart (Bagian.html's `depan`): the cover and
# the front chapters, which need no page number of the body; and the lists, which do.
PEMBUKA, DAFTAR = "pembuka", "daftar"
# The lists, each of which starts a page of its own: the PDF lays each out alone, beside the others
# (Bagian.html's `daftar`).
DAFTAR_ISI, DAFTAR_TABEL, DAFTAR_GAMBAR = "isi", "tabel", "gambar"


@dataclass
class BabHtml:
    html: str


def render_html(renstra: Renstra, env: jinja2.Environment | None = None) -> str:
    """The whole document as one HTML string for WeasyPrint."""
    return Bagian.of(renstra, env).html()


@dataclass
class Bagian:
    """The document's parts, rendered once: front matter, chapters, and what the TOCs list.

    `html()` gives the whole document in one piece; `html(isi=[i], depan=False)` one chapter
    alone, which lets the PDF be laid out chapter by chapter (see pdf_parallel.py).
    """

    renstra: Renstra
    env: jinja2.Environment
    depan_bab: list[BabHtml]
    isi_bab: list[BabHtml]
    daftar_isi: list[dict]
    daftar_tabel: list[dict]
    daftar_gambar: list[dict]

    @classmethod
    def of(cls, renstra: Renstra, env: jinja2.Environment | None = None) -> Bagian:
        env = env or template_env(renstra.source.root)
        chapters = renstra.chapters
        html_chapters = [BabHtml(_fill_slots(renstra, env, html)) for html in renstra.fragments()]
        return cls(
            renstra,
            env,
            [h for h, c in zip(html_chapters, chapters) if not c.bab.nomor],
            [h for h, c in zip(html_chapters, chapters) if c.bab.nomor],
            _daftar_isi(chapters),
            _daftar_tabel(renstra),
            daftar_gambar(renstra),
        )

    @property
    def tanda_tangan_di(self) -> int:
        """Index (among the chapters) of the one the signature closes: the last BAB, not an annex."""
        isi = [c for c in self.renstra.chapters if c.bab.nomor]
        return max((i for i, c in enumerate(isi) if not c.lampiran), default=len(isi) - 1)

    @property
    def daftar_bagian(self) -> tuple[str, ...]:
        """The lists this document prints: the Daftar Gambar only when there is a figure."""
        return (DAFTAR_ISI, DAFTAR_TABEL) + ((DAFTAR_GAMBAR,) if self.daftar_gambar else ())

    @property
    def root(self):
        return self.renstra.source.root

    def css(
        self, nomor_halaman: bool = True, huruf: dict[str, str] | None = None, romawi_mulai: int = 1
    ) -> str:
        """The style sheet every part is laid out with (fonts, paper, page groups); `huruf` gives the
        fonts' URLs (bawaan: their files); the front matter counts i, ii, … from `romawi_mulai`."""
        return _css(self.renstra, self.env, nomor_halaman, huruf, romawi_mulai)

    def html(
        self,
        isi: list[int] | None = None,
        depan: bool | str = True,
        halaman: dict[str, str] | None = None,
        nomor_halaman: bool = True,
        css: str | None = None,
        lambang: str | None = None,
        romawi_mulai: int = 1,
        daftar: tuple[str, ...] = (DAFTAR_ISI, DAFTAR_TABEL, DAFTAR_GAMBAR),
    ) -> str:
        """HTML of the chosen parts; `halaman` gives literal TOC page numbers (anchor → '12'). `depan`:
        the whole front matter (True), none (False), or one of its two parts — PEMBUKA (the cover and
        the front chapters) or DAFTAR (the lists, numbered from `romawi_mulai`; `daftar`: which of
        them). `nomor_halaman=False`: no page number in any foot. `css` and `lambang` (the cover's
        image URL) replace the PDF's own (see render_pratinjau)."""
        d = self.renstra.identitas
        chosen = range(len(self.isi_bab)) if isi is None else isi
        berkas = self.renstra.lambang
        html = self.env.get_template("dokumen.html.j2").render(
            d=d,
            css=self.css(nomor_halaman, romawi_mulai=romawi_mulai) if css is None else css,
            lambang=lambang or (data_uri(berkas) if berkas else None),
            depan=self.depan_bab if depan else [],
            tampil_depan=bool(depan),
            tampil_pembuka=depan in (True, PEMBUKA),
            tampil_daftar=depan in (True, DAFTAR),
            daftar=daftar,
            isi=[(i, self.isi_bab[i]) for i in chosen],
            tanda_tangan_di=self.tanda_tangan_di,
            halaman=halaman or {},
            judul_sampul=_judul_sampul(d.judul),
            daftar_isi=self.daftar_isi,
            daftar_tabel=self.daftar_tabel,
            daftar_gambar=self.daftar_gambar,
            dibuat=iso(source_date_epoch(self.root, d.penetapan.tanggal)),
        )
        return embed_images(html, self.root)  # chapter images too: the PDF names no path of this machine


def _judul_sampul(judul: str) -> list[str]:
    # "RENCANA STRATEGIS <INSTANSI> <DAERAH>", two words a line, as the signed cover prints it
    words = judul.split()
    return [" ".join(words[i : i + 2]) for i in range(0, len(words), 2)]


def _css(
    renstra: Renstra,
    env: jinja2.Environment,
    nomor_halaman: bool = True,
    huruf: dict[str, str] | None = None,
    romawi_mulai: int = 1,
) -> str:
    layout = tata_letak(renstra.source.root, renstra.dokumen.tata_letak)
    lebar, tinggi = layout.kertas_mm
    fonts = huruf or {style: path.as_uri() for style, path in layout.fonts.items()}
    top, _, bottom, _ = MARGIN_POTRET
    return env.get_template("gaya.css.j2").render(
        kertas={"lebar": f"{lebar}mm", "tinggi": f"{tinggi}mm"},
        huruf=fonts,
        tinggi_sampul=f"{tinggi - top - bottom - 1}mm",  # the cover fills its page, a millimetre to spare
        margin_potret=layout.css_margin(),
        margin_lanskap=layout.css_margin(lanskap=True),
        judul_singkat=renstra.identitas.judul_singkat,
        nomor_halaman=nomor_halaman,
        romawi_mulai=romawi_mulai,
        huruf_tabel=HURUF_TABEL_PT,
    )


def figure_svg(renstra: Renstra, env: jinja2.Environment, figure_id: str) -> str:
    """A figure drawn by its template from the document's identity (period, dokumen induk)."""
    return env.get_template(f"gambar/{figure_id}.svg.j2").render(
        d=renstra.identitas, dokumen_induk=renstra.source.dokumen.dokumen_induk
    )


def _fill_slots(renstra: Renstra, env: jinja2.Environment, html: str) -> str:
    html = keep_lead_in(html, {v.id for v in renstra.views() if v.lanskap})

    kept = renstra.memo.tables if renstra.memo else {}

    def replace(match: re.Match) -> str:
        kind, item_id = match.group(1), match.group(2)
        key = (kind, item_id, renstra.labels.get(item_id, ""))
        if key not in kept:
            kept[key] = _item_html(renstra, env, kind, item_id)
        return kept[key]

    return SLOT.sub(replace, html)


def _item_html(renstra: Renstra, env: jinja2.Environment, kind: str, item_id: str) -> str:
    """A table or figure as printed where its slot stands."""
    if kind == "gambar":
        return (
            f'<figure id="gambar-{item_id}"><figcaption>{renstra.figure_title(item_id)}</figcaption>'
            f"{figure_svg(renstra, env, item_id)}</figure>"
        )
    return env.get_template("tabel.html.j2").render(v=renstra.view(item_id), huruf_tabel=HURUF_TABEL_PT)


# The paragraph that introduces a landscape table ("… dapat dilihat pada Tabel 4.2"), with the subbab
# headings right above it: one block per line, as pandoc writes a fragment.
_LEAD_IN = re.compile(
    r"^((?:<h[23][^>\n]*>[^\n]*</h[23]>\n)*)(<p>(?:(?!%%)[^\n])*</p>\n)(<p>%%SLOT:tabel:([^%]+)%%</p>)",
    re.MULTILINE,
)


def keep_lead_in(html: str, landscape: set[str]) -> str:
    """A landscape table starts a new page: the paragraph that leads into it (and the subbab headings
    just above that paragraph) go onto the landscape page with it. Left on the portrait page, its last
    lines would stand alone on a page of their own. Not when that paragraph opens its BAB: the
    chapter's title stays on a portrait page, with its first paragraph."""

    def wrap(match: re.Match) -> str:
        before = html[: match.start()].rstrip("\n").rpartition("\n")[2]
        if match.group(4) not in landscape or before.startswith("<h1"):
            return match.group(0)
        return f'<div class="lanskap">\n{match.group(1)}{match.group(2)}{match.group(3)}\n</div>'

    return _LEAD_IN.sub(wrap, html)


def _daftar_isi(chapters: list[Chapter]) -> list[dict]:
    entries = []
    for chapter in chapters:
        for judul in chapter.judul:
            entries.append(
                {
                    "level": judul.level,
                    "nomor": unbreakable(judul.nomor),
                    "teks": judul.teks,
                    "anchor": judul.anchor,
                    "romawi": not chapter.bab.nomor,
                }
            )
    return entries


def _daftar_tabel(renstra: Renstra) -> list[dict]:
    return [
        {
            "label": v.label,
            "judul": v.judul + (f" ({v.kode_tc})" if v.kode_tc else ""),
            "anchor": f"tabel-{v.id}",
        }
        for v in renstra.views()
    ]


def daftar_gambar(renstra: Renstra) -> list[dict]:
    """The figures in document order, as the Daftar Gambar lists them."""
    return [
        {"judul": renstra.figure_title(item_id), "anchor": f"gambar-{item_id}"}
        for chapter in renstra.chapters
        for item_id in chapter.tabel
        if item_id in renstra.source.dokumen.gambar
    ]
