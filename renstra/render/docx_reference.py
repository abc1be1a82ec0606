"""The reference document pandoc takes its DOCX styles from, built from pandoc's own default.

Styles, not direct formatting: Normal, Title, Heading 1–3, Caption, the 'Table' table style and the
cover/signature styles carry the font family of the PDF (renstra/layout.py, as the document chooses).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypandoc
from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor


def build_reference_docx(path: Path, family: str, text_width_mm: float = 160) -> Path:
    """Write the reference .docx for pandoc to `path` and return it. `text_width_mm`: the portrait
    page's line, where the page numbers of the tables of contents stand."""
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    ).stdout
    word = open_docx(io.BytesIO(default))
    styles = word.styles
    _font(styles["Normal"], family, 12)
    for name in ("Body Text", "First Paragraph"):
        _paragraph(styles[name], align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, line=1.5)
    _font(styles["Compact"], family, 12)
    _paragraph(styles["Compact"], after=0, line=1.0)
    _font(styles["Title"], family, 20, bold=True)
    _paragraph(styles["Title"], align=WD_ALIGN_PARAGRAPH.CENTER, before=68, after=0, line=1.15)
    for level, size in ((1, 14), (2, 12), (3, 12)):
        style = styles[f"Heading {level}"]
        _font(style, family, size, bold=True, italic=level == 3)
        _paragraph(style, align=WD_ALIGN_PARAGRAPH.CENTER if level == 1 else None, before=12, after=6)
        style.paragraph_format.page_break_before = level == 1
    caption = _style(styles, "Caption")
    _font(caption, family, 11, bold=True, italic=False)
    _paragraph(caption, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=4)
    caption.paragraph_format.keep_with_next = True
    _custom(
        styles, "TOC Heading", family, 14, WD_ALIGN_PARAGRAPH.CENTER, bold=True
    ).paragraph_format.page_break_before = True
    _cover_styles(styles, family)
    signature = _custom(styles, "Tanda Tangan", family, 12, WD_ALIGN_PARAGRAPH.CENTER, before=24)
    signature.paragraph_format.left_indent = Pt(240)  # as the PDF's block: the right 45 % of the line
    signature.paragraph_format.keep_together = True  # the block is one paragraph: never split
    # Chapter titles: "BAB I", a line break, the title — one Heading 1; the number in a style of its own
    if not any(s.name == "Nomor Bab" for s in styles):
        styles.add_style("Nomor Bab", WD_STYLE_TYPE.CHARACTER)
    # The entries of the Daftar Isi (toc 1–3) and of the Daftar Tabel and Gambar (table of figures):
    # Word's own style names, which it applies again when it updates the fields
    for style_id, name, indent in (
        ("TOC1", "toc 1", 0),
        ("TOC2", "toc 2", 19),
        ("TOC3", "toc 3", 38),
        ("TableofFigures", "table of figures", 0),
    ):
        _toc_style(styles, style_id, name, family, indent, text_width_mm)
    _table_borders(next(s for s in styles if s.name == "Table"))
    word.save(path)
    return path


def _cover_styles(styles, family: str) -> None:
    """The cover as the PDF's: pemerintah, lambang and judul from the top; instansi, alamat and kota at
    the foot (docx.py puts those three in a frame held to the bottom margin)."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    _custom(styles, "Sampul Pemerintah", family, 16, center, bold=True, before=28)
    _custom(styles, "Sampul Lambang", family, 12, center, before=74)
    _custom(styles, "Sampul Instansi", family, 14, center, bold=True).paragraph_format.space_after = Pt(0)
    _custom(styles, "Sampul Alamat", family, 10, center).paragraph_format.space_after = Pt(0)
    kota = _custom(styles, "Sampul Kota", family, 14, center, bold=True, before=10)
    kota.paragraph_format.space_after = Pt(0)
    spacing = OxmlElement("w:spacing")  # the kota spaced out, as the PDF's letter-spacing: 0.4em
    spacing.set(qn("w:val"), str(round(14 * 0.4 * 20)))  # in twentieths of a point
    kota.element.get_or_add_rPr().insert_element_before(
        spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang"
    )


def _font(style, family: str, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    style.font.name = family
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    r_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        r_fonts.set(qn(attr), family)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        r_fonts.attrib.pop(qn(attr), None)


def _paragraph(style, align=None, before: float = 0, after: float = 0, line: float | None = None) -> None:
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line:
        fmt.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        fmt.line_spacing = line


def _style(styles, name: str):
    """The paragraph style called `name`, added if missing (looked up by name: pandoc's names are
    capitalised where python-docx's built-in name table expects lower case)."""
    found = next((s for s in styles if s.name == name), None)
    return found or styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)


def _custom(styles, name, family, size, align, bold=False, before=0):
    style = _style(styles, name)
    style.base_style = styles["Normal"]
    _font(style, family, size, bold=bold)
    _paragraph(style, align=align, before=before, after=6)
    return style


def _toc_style(styles, style_id: str, name: str, family: str, indent: float, text_width_mm: float) -> None:
    """A list entry: the title, then a dotted leader to the page number at the end of the line."""
    style = next((s for s in styles if s.style_id == style_id), None)
    if style is None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
    style.element.name_val = name
    style.base_style = styles["Normal"]
    _font(style, family, 12)
    _paragraph(style, align=WD_ALIGN_PARAGRAPH.LEFT, after=4, line=1.15)
    fmt = style.paragraph_format
    fmt.left_indent = Pt(indent)
    fmt.right_indent = Mm(10)  # a long title wraps before the page numbers' column
    fmt.tab_stops.add_tab_stop(Mm(text_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _table_borders(style) -> None:
    """The named table style 'Table': thin borders on every cell, as in the PDF."""
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)
