"""Fonts subset by fontTools (where HarfBuzz-Subset is missing) without reading what it drops."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.pdf import fonts
from weasyprint.text.fonts import FontConfiguration

from renstra.render import pangkas_huruf, pdf  # noqa: F401  (pdf: what every layout registers)

FONTS = Path(__file__).resolve().parents[1] / "fonts"

# Liberation Sans (TrueType, with GPOS and an old kern table) and TeX Gyre Bonum (CFF, GPOS and GSUB),
# upright and bold: "AV", "To" and "fi" kerned or joined where the fonts say so
_FACES = [
    ("Sans", "normal", "LiberationSans-Regular.ttf"),
    ("Sans", "bold", "LiberationSans-Bold.ttf"),
    ("Serif", "normal", "texgyrebonum-regular.otf"),
    ("Serif", "bold", "texgyrebonum-bold.otf"),
]
_TEXT = "AVATAR Tolak fi ffl Rp9.419.360.139 51,48 % Persentase capaian kinerja"


def _html() -> str:
    faces = "".join(
        f"@font-face {{ font-family: {family}; font-weight: {weight}; src: url({(FONTS / name).as_uri()}) }}"
        for family, weight, name in _FACES
    )
    text = "".join(
        f"<p style='font-family: {family}'>{_TEXT} <b>{_TEXT}</b></p>" for family in ("Sans", "Serif")
    )
    return f"<style>{faces} body {{ font-size: 11pt }}</style>{text}"


def _pdf() -> bytes:
    return HTML(string=_html()).write_pdf(font_config=FontConfiguration())


def _tables_read(monkeypatch) -> list[str]:
    """The tables fontTools reads (decompiles) from here on."""
    read = []
    own = TTFont._readTable

    def reading(self, tag):
        read.append(tag)
        return own(self, tag)

    monkeypatch.setattr(TTFont, "_readTable", reading)
    return read


def test_fonttools_makes_the_same_subsets_without_reading_the_layout_tables(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1683000000")  # fontTools stamps the subsets it saves
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without HarfBuzz-Subset
    assert fonts.Font._fonttools_subset is pangkas_huruf._fonttools_subset  # registered
    _pdf()  # each face read once, without its layout tables
    with monkeypatch.context() as watching:
        read = _tables_read(watching)
        ours = _pdf()
    with monkeypatch.context() as alone:
        alone.setattr(fonts.Font, "_fonttools_subset", pangkas_huruf._FONTTOOLS_SUBSET)
        read_by_fonttools = _tables_read(alone)
        theirs = _pdf()
    assert ours == theirs
    assert {"GSUB", "GPOS"} <= set(read_by_fonttools)  # what fontTools alone reads, for every part
    assert not {"GSUB", "GPOS", "kern"} & set(read)


def test_only_the_layout_tables_are_taken_out_and_a_file_fonttools_cannot_read_is_left_as_it_is():
    regular = (FONTS / "LiberationSans-Regular.ttf").read_bytes()
    stripped = pangkas_huruf.without_layout_tables(regular)
    before, after = TTFont(io.BytesIO(regular)), TTFont(io.BytesIO(stripped))
    assert {"GSUB", "GPOS", "kern"} <= set(before.keys())
    assert set(after.keys()) == set(before.keys()) - {"GSUB", "GPOS", "kern"}
    assert all(after.getTableData(tag) == before.getTableData(tag) for tag in ("glyf", "cmap", "hmtx"))
    assert pangkas_huruf.without_layout_tables(stripped) == stripped
    assert pangkas_huruf.without_layout_tables(b"bukan huruf") == b"bukan huruf"
