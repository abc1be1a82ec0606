"""Paper, margins and fonts: one place that the PDF's style sheet, the DOCX's sections and the
glyph check read.

The document chooses the paper (A4, F4) and the type (sans, serif) in data/dokumen.yaml; the
measures of each are here, in millimetres, and the font files are those shipped in fonts/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from renstra.problems import RenstraError, galat

KERTAS_MM = {"A4": (210, 297), "F4": (215, 330)}
MARGIN_POTRET = (20, 20, 25, 30)  # top, right, bottom, left in mm (binding on the left)
MARGIN_LANSKAP = (20, 15, 20, 15)
FAMILI = {"sans": "Liberation Sans", "serif": "TeX Gyre Bonum"}
HURUF = {
    "sans": (
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf",
    ),
    "serif": (
        "texgyrebonum-regular.otf",
        "texgyrebonum-bold.otf",
        "texgyrebonum-italic.otf",
        "texgyrebonum-bolditalic.otf",
    ),
}
GAYA = ("regular", "bold", "italic", "bolditalic")
# Type size of the tables in pt (PDF and DOCX), by the view's `ukuran` (the style sheet's classes): the
# largest a table is set in; a view makes its own smaller (Tampilan.skala_huruf) when its columns need
# more than the page's line, and the T-C.27 to hold eight rows a page (renstra/document/lebar.py).
HURUF_TABEL_PT = {"tabel-lebar": 7, "tabel-sedang": 8, "": 9}


@dataclass(frozen=True)
class TataLetak:
    """The page and type of one document, measured."""

    kertas_mm: tuple[int, int]
    huruf: str  # sans / serif
    fonts: dict[str, Path]  # regular/bold/italic/bolditalic → file

    @property
    def famili(self) -> str:
        return FAMILI[self.huruf]

    def garis_mm(self, lanskap: bool = False) -> float:
        """The length of a line between the margins of a portrait or landscape page."""
        width = max(self.kertas_mm) if lanskap else min(self.kertas_mm)
        _, right, _, left = MARGIN_LANSKAP if lanskap else MARGIN_POTRET
        return width - left - right

    def tinggi_isi_mm(self, lanskap: bool = False) -> float:
        """The height between the top and bottom margins of a portrait or landscape page."""
        height = min(self.kertas_mm) if lanskap else max(self.kertas_mm)
        top, _, bottom, _ = MARGIN_LANSKAP if lanskap else MARGIN_POTRET
        return height - top - bottom

    def css_margin(self, lanskap: bool = False) -> str:
        """'2cm 2cm 2.5cm 3cm' — the CSS margin shorthand of the portrait or landscape page."""
        return " ".join(f"{mm / 10:g}cm" for mm in (MARGIN_LANSKAP if lanskap else MARGIN_POTRET))


def tata_letak(root: Path, setting) -> TataLetak:
    """The layout of `setting` (dokumen.tata_letak); a missing font file stops the build:
    never a substitute."""
    files = HURUF[setting.huruf]
    missing = [f for f in files if not (root / "fonts" / f).is_file()]
    if missing:
        raise RenstraError(
            [
                galat(
                    "data/dokumen.yaml",
                    1,
                    1,
                    f"berkas huruf fonts/{name} tidak ada",
                    "kembalikan berkas huruf dari repositori (git checkout fonts/)",
                )
                for name in missing
            ]
        )
    return TataLetak(
        KERTAS_MM[setting.kertas],
        setting.huruf,
        {style: root / "fonts" / name for style, name in zip(GAYA, files)},
    )
