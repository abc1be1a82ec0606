"""Render DOCX: Renstra → an editable Word file with the same content as the PDF.

pandoc turns one HTML document (chapters + tables from the same views as the PDF) into DOCX with a
reference document for the styles; python-docx then does what pandoc cannot: section breaks with
roman/arabic page numbers and landscape pages, TOC fields, footers, right-aligned numbers.
Marker paragraphs (%%…%%) in the HTML say where that work goes; each table is found by its caption.
"""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pypandoc
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renstra.document.chapters import unbreakable
from renstra.document.resolve import Renstra
from renstra.document.views import Tampilan
from renstra.layout import HURUF_TABEL_PT, MARGIN_LANSKAP, MARGIN_POTRET, tata_letak
from renstra.render.docx_reference import build_reference_docx
from renstra.render.gambar import data_uri, embed_images
from renstra.render.html import SLOT, Bagian, daftar_gambar, figure_svg
from renstra.render.pdf_parallel import printed_pages
from renstra.reproducible import normalize_zip, source_date_epoch
from renstra.templating import template_env

MM = 56.6929  # twips per millimetre
MARKER = re.compile(r"^%%([A-Z-]+)(?::([a-z0-9-]+))?%%$")


def render_docx(
    renstra: Renstra,
    env: jinja2.Environment | None = None,
    cache: Path | None = None,
    pool=None,
    page_numbers: bool = True,
) -> bytes:
    """DOCX bytes of the whole document. Its Daftar Isi, Daftar Tabel and Daftar Gambar are filled in
    with the page numbers of the PDF (from the chapter cache a PDF build leaves in `cache`; chapters
    not there are laid out, in `pool` if given): Word renumbers them for its own pages when it updates
    the fields, while LibreOffice and a reader who does not update show the PDF's. Without
    `page_numbers` nothing is laid out and the lists wait for Word: what the redline compares, where a
    page number that moved is no change of the document's."""
    env = env or template_env(renstra.source.root)
    halaman = printed_pages(Bagian.of(renstra, env), cache, pool) if page_numbers else {}

    figures: list[str] = []

    def fill(html: str) -> str:
        def replace(match):
            kind, item_id = match.group(1), match.group(2)
            if kind == "gambar":
                figures.append(item_id)
                return f"<p>%%GAMBAR:{item_id}%%</p>"
            return env.get_template("tabel-docx.html.j2").render(v=renstra.view(item_id))

        return SLOT.sub(replace, html)

    root = renstra.source.root
    bodies = [
        (c.bab.nomor, c.lampiran, embed_images(_two_line_titles(fill(html)), root))
        for c, html in zip(renstra.chapters, renstra.fragments())
    ]
    lambang = renstra.lambang
    source = env.get_template("dokumen-docx.html.j2").render(
        d=renstra.identitas,
        lambang=data_uri(lambang) if lambang else None,
        depan=[h for n, _, h in bodies if not n],
        isi=[h for n, annex, h in bodies if n and not annex],
        lampiran=[h for _, annex, h in bodies if annex],
        ada_gambar=bool(daftar_gambar(renstra)),
    )
    layout = tata_letak(renstra.source.root, renstra.dokumen.tata_letak)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(1, "renstra-pandoc") as aside:
        _, right, _, left = MARGIN_POTRET
        reference = build_reference_docx(
            Path(tmp) / "reference.docx", layout.famili, layout.kertas_mm[0] - left - right
        )
        # pandoc, a process of its own, converts while the figures are drawn here (a second each)
        converting = aside.submit(_pandoc_docx, source, reference)
        pictures = {item_id: figure_png(renstra, env, item_id) for item_id in dict.fromkeys(figures)}
        raw = converting.result()
    return _finish(raw, renstra, layout.kertas_mm, halaman, pictures)


_TITLE_NUMBER = re.compile(r'(<h1\b[^>]*>)<span class="nomor">([^<]*)</span> ')


def _two_line_titles(html: str) -> str:
    """'BAB I' on a line of its own above the chapter's title, as the PDF prints it: one Heading 1
    paragraph (one entry of the Daftar Isi) with a line break, the number in the 'Nomor Bab' style."""
    return _TITLE_NUMBER.sub(r'\1<span data-custom-style="Nomor Bab">\2</span><br>', html)


def _pandoc_docx(html: str, reference: Path) -> bytes:
    pandoc = pypandoc.get_pandoc_path()
    args = [pandoc, "--from=html", "--to=docx", "--sandbox", f"--reference-doc={reference}", "--output=-"]
    return subprocess.run(
        args, input=html.encode("utf-8"), capture_output=True, check=True, timeout=300
    ).stdout


# --- post-processing with python-docx ------------------------------------------------------------


def _finish(
    raw: bytes, renstra: Renstra, kertas, halaman: dict[str, str], pictures: dict[str, bytes]
) -> bytes:
    word = open_docx(io.BytesIO(raw))
    _format_tables(word, renstra.views() + renstra.lampiran_views(), kertas)
    _place_figures(word, renstra, pictures)
    _cover_foot(word)
    targets = _Bookmarks(word)
    _numbered_captions(word, renstra, targets)
    _heading_bookmarks(word, renstra, targets)
    _lead_in_with_landscape(word)
    _apply_markers(word, kertas, _daftar(renstra, halaman, targets))
    _final_section(word, kertas)
    _footers_and_headers(word, renstra)
    _update_fields_on_open(word)
    _core_properties(word, renstra)
    out = io.BytesIO()
    word.save(out)
    return normalize_zip(
        out.getvalue(), source_date_epoch(renstra.source.root, renstra.dokumen.penetapan.tanggal)
    )


def _core_properties(word, renstra: Renstra) -> None:
    """Title and author from the document data; dates pinned so two builds give the same bytes."""
    epoch = source_date_epoch(renstra.source.root, renstra.dokumen.penetapan.tanggal)
    when = datetime.datetime.fromtimestamp(epoch, datetime.UTC).replace(tzinfo=None)
    props = word.core_properties
    props.title = renstra.identitas.judul_lengkap
    props.author = props.last_modified_by = renstra.identitas.penulis
    props.language = renstra.identitas.bahasa
    props.created = props.modified = when
    props.revision = 1


def tables_by_caption(word, views: list[Tampilan]) -> list[tuple[object, Tampilan]]:
    """Each Word table with the view whose caption stands right before it. A table of the chapter
    text itself (a Markdown pipe table) has no such caption and is left as pandoc made it."""
    by_caption = {v.keterangan: v for v in views}
    pairs = []
    for table in word.tables:
        previous = table._tbl.getprevious()
        while previous is not None and previous.tag != qn("w:p"):
            previous = previous.getprevious()
        text = "".join(t.text or "" for t in previous.iter(qn("w:t"))) if previous is not None else ""
        if text in by_caption:
            pairs.append((table, by_caption[text]))
    return pairs


def _format_tables(word, views: list[Tampilan], kertas) -> None:
    """Each table as the PDF prints it, cell by cell from its view: the view's column widths on the
    page's line (fixed, so that Word and LibreOffice keep them), the PDF's cell padding and type size,
    shaded bold header rows repeated on every page, numbers right-aligned, amounts on one line,
    program, kegiatan and total rows bold and shaded. Merged cells come from pandoc (vMerge)."""
    for table, table_view in tables_by_caption(word, views):
        tbl = table._tbl
        rows = tbl.tr_lst
        header_count = len(table_view.kepala)
        for tr in rows:
            _keep_row_together(tr)
        _set_widths(tbl, table_view, kertas)
        _cell_margins(tbl, table_view.ukuran)
        for index, tr in enumerate(rows[:header_count]):
            _repeat_header(tr)
            if index < len(table_view.tinggi_kepala):
                _row_height(tr, table_view.tinggi_kepala[index])
            numbers = table_view.nomor_kolom and index == header_count - 1  # the 1, 2, 3 … row
            for tc in tr.tc_lst:
                _shade(tc, "F3F3F3" if numbers else "E6E6E6")
                _v_align(tc, "center")
                for p in tc.iter(qn("w:p")):
                    _align(p, "center")
                    if not numbers:
                        for r in p.iter(qn("w:r")):
                            _bold(r)
        for tr, baris in zip(rows[header_count:], table_view.baris):
            for tc, sel in zip(tr.tc_lst, baris.sel):
                classes = set(sel.kelas.split())
                if "rp" in classes:
                    _no_wrap(tc)
                # a cell merged over the rows of several keys is not shaded as its first row; a Unit
                # Kerja or Lokasi so merged is not set in its bold either (gaya.css.j2: td.lintas)
                if baris.kelas in _ISIAN and "lintas" not in classes:
                    _shade(tc, _ISIAN[baris.kelas])
                bold = baris.kelas in ("total", "program", "kegiatan", "kelompok")
                bold = bold and not {"lintas", "unit"} <= classes
                for p in tc.iter(qn("w:p")):
                    _align(p, "right" if "angka" in classes else "center" if "tengah" in classes else "left")
                    if bold:
                        for r in p.iter(qn("w:r")):
                            _bold(r)
        size = Pt(HURUF_TABEL_PT[table_view.ukuran] * table_view.skala_huruf)
        for p in tbl.iter(qn("w:p")):
            for r in p.iter(qn("w:r")):
                _size(r, size)


# the shading of a body row, as the PDF's (gaya.css.j2: tr.total, tr.program, tr.kelompok)
_ISIAN = {"total": "F0F0F0", "program": "F5F5F5", "kelompok": "F5F5F5"}
# the PDF's cell padding in twips (left/right, top/bottom), by the table's size class
_PADDING = {"tabel-lebar": (40, 20), "tabel-sedang": (60, 40), "": (60, 40)}


def _repeat_header(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _row_height(tr, mm: float) -> None:
    """At least `mm` tall (the row's text and its share of a cell merged down from it)."""
    tr_pr = tr.get_or_add_trPr()
    height = tr_pr.find(qn("w:trHeight"))
    if height is None:
        height = OxmlElement("w:trHeight")
        header = tr_pr.find(qn("w:tblHeader"))  # the schema's order: cantSplit, trHeight, tblHeader
        if header is not None:
            header.addprevious(height)
        else:
            tr_pr.append(height)
    height.set(qn("w:val"), str(round(mm * MM)))
    height.set(qn("w:hRule"), "atLeast")


def _keep_row_together(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _set_widths(tbl, table_view: Tampilan, kertas) -> None:
    """The view's column widths (mm, measured from the text at the table's type size) on the line of
    the page the table sits on; each cell as wide as the columns it spans; the layout fixed."""
    top, right, bottom, left = MARGIN_LANSKAP if table_view.lanskap else MARGIN_POTRET
    line = (max(kertas) if table_view.lanskap else min(kertas)) - left - right
    cols = tbl.tblGrid.findall(qn("w:gridCol"))
    lebar = table_view.lebar if len(table_view.lebar) == len(cols) else [1.0] * len(cols)
    twips = [round(line * MM * w / sum(lebar)) for w in lebar]
    for col, width in zip(cols, twips):
        col.set(qn("w:w"), str(width))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(twips)))
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for tr in tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            count = int(span.get(qn("w:val"))) if span is not None else 1
            tc_pr = tc.get_or_add_tcPr()
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:type"), "dxa")
            tc_w.set(qn("w:w"), str(sum(twips[column : column + count])))
            column += count


def _cell_margins(tbl, ukuran: str) -> None:
    """The PDF's cell padding, so that a column holds in Word what it holds in the PDF."""
    side, end = _PADDING.get(ukuran, _PADDING[""])
    tbl_pr = tbl.tblPr
    old = tbl_pr.find(qn("w:tblCellMar"))
    if old is not None:
        tbl_pr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for name, value in (("top", end), ("left", side), ("bottom", end), ("right", side)):
        el = OxmlElement(f"w:{name}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    # after the style, the width and the layout, as the schema orders a table's properties
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _tc_pr_child(tc, tag: str):
    """The cell property `tag`, added in the order the schema wants (before the cell's borders,
    shading, margins, alignment …) when missing."""
    tc_pr = tc.get_or_add_tcPr()
    found = tc_pr.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        order = ["w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar"]
        order += ["w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"]
        later = order[order.index(tag) + 1 :]
        following = next((child for child in tc_pr if child.tag in {qn(t) for t in later}), None)
        if following is not None:
            following.addprevious(found)
        else:
            tc_pr.append(found)
    return found


def _shade(tc, fill: str) -> None:
    shd = _tc_pr_child(tc, "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def _no_wrap(tc) -> None:
    _tc_pr_child(tc, "w:noWrap")


def _v_align(tc, where: str) -> None:
    _tc_pr_child(tc, "w:vAlign").set(qn("w:val"), where)


def _align(p, where: str) -> None:
    p_pr = p.get_or_add_pPr()
    jc = p_pr.find(qn("w:jc"))
    if jc is None:
        jc = OxmlElement("w:jc")
        p_pr.append(jc)
    jc.set(qn("w:val"), where)


def _bold(r) -> None:
    r_pr = r.get_or_add_rPr()
    if r_pr.find(qn("w:b")) is None:
        r_pr.append(OxmlElement("w:b"))


def _size(r, size) -> None:
    r_pr = r.get_or_add_rPr()
    for tag in ("w:sz", "w:szCs"):
        el = r_pr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            r_pr.append(el)
        el.set(qn("w:val"), str(int(size.pt * 2 + 1e-6)))  # half points, never larger than the PDF's


def _place_figures(word, renstra: Renstra, pictures: dict[str, bytes]) -> None:
    """The figure as a picture (figure_png)."""
    for p in list(word.paragraphs):
        match = MARKER.match(p.text.strip())
        if match and match.group(1) == "GAMBAR":
            item_id = match.group(2)
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(pictures[item_id]), width=Mm(150))
            caption_style = next(s for s in word.styles if s.name == "Caption")
            caption = p.insert_paragraph_before(renstra.figure_title(item_id), style=caption_style)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


# The cover's last lines, held to the foot of the page as in the PDF (see templates/gaya.css.j2).
_SAMPUL_KAKI = ("Sampul Instansi", "Sampul Alamat", "Sampul Kota")


def _cover_foot(word) -> None:
    """Instansi, alamat and kota in one frame at the bottom margin (consecutive paragraphs with the same
    frame are one frame): a judul of more lines cannot push them onto a second cover page. A frame of the
    paragraph itself, not of its style: LibreOffice reads only the former."""
    for p in word.paragraphs:
        if p.style.name not in _SAMPUL_KAKI:
            continue
        frame = OxmlElement("w:framePr")
        for name, value in (
            ("wrap", "around"),
            ("hAnchor", "margin"),
            ("vAnchor", "margin"),
            ("xAlign", "center"),
            ("yAlign", "bottom"),
        ):
            frame.set(qn(f"w:{name}"), value)
        # after pStyle, keepNext, keepLines and pageBreakBefore, before the rest (the schema's order)
        p._p.get_or_add_pPr().insert_element_before(
            frame, "w:widowControl", "w:numPr", "w:pBdr", "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"
        )
        if p.style.name == _SAMPUL_KAKI[-1]:
            break


def figure_png(renstra: Renstra, env, item_id: str) -> bytes:
    """The PDF's SVG of the figure, laid out by WeasyPrint and rasterised by pdfium to PNG."""
    import pypdfium2

    from renstra.render.pdf import render_pdf

    root = renstra.source.root
    svg = figure_svg(renstra, env, item_id)
    fonts = (root / "fonts" / "LiberationSans-Regular.ttf").as_uri()
    html = (
        f'<style>@font-face {{ font-family: Dokumen; src: url("{fonts}"); }}'
        " @page { size: 160mm 110mm; margin: 0 }"
        f" svg {{ width: 160mm; }}</style>{svg}"
    )
    page = pypdfium2.PdfDocument(render_pdf(html, root))[0]
    image = page.render(scale=3).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


# --- Daftar Isi, Daftar Tabel, Daftar Gambar ------------------------------------------------------

# What Word builds each list from when it updates the field: the headings, and the captions by their
# SEQ field — so tables and figures, both in the Caption style, are two lists.
TOC_INSTRUCTIONS = {
    "DAFTAR-ISI": 'TOC \\o "1-3" \\h \\z \\u',
    "DAFTAR-TABEL": 'TOC \\h \\z \\c "Tabel"',
    "DAFTAR-GAMBAR": 'TOC \\h \\z \\c "Gambar"',
}


@dataclass
class Entri:
    """One line of a table of contents: its style, text, bookmark and printed page."""

    gaya: str  # style id: TOC1…TOC3, TableofFigures
    teks: str
    bookmark: str
    halaman: str


class _Bookmarks:
    """Bookmarks for the headings and captions the lists link to: hidden (_Toc…) as Word's own, named
    in document order so that two builds give the same bytes."""

    def __init__(self, word):
        ids = [int(b.get(qn("w:id"))) for b in word.element.body.iter(qn("w:bookmarkStart"))]
        self.next_id = max(ids, default=0) + 1
        self.by_anchor: dict[str, str] = {}

    def mark(self, p, anchor: str) -> None:
        """Put a bookmark around the content of paragraph `p` (a w:p), for `anchor`."""
        name = f"_TocR{len(self.by_anchor) + 1:04d}"
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        for el in (start, end):
            el.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        self.next_id += 1
        p_pr = p.find(qn("w:pPr"))
        if p_pr is not None:
            p_pr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
        self.by_anchor[anchor] = name


_CAPTION_NUMBER = re.compile(r"^(Tabel|Gambar)\u00a0(\d+\.)(\d+)(.*)$", re.DOTALL)


def _numbered_captions(word, renstra: Renstra, targets: _Bookmarks) -> None:
    """Each caption with the field that Word builds the Daftar Tabel (or Gambar) from: 'Tabel 4.' then
    { SEQ Tabel \\r 2 }. The number is set (\\r), not counted: the text refers to 'Tabel 4.2' in plain
    words, and LibreOffice counts SEQ across the whole document, ignoring a restart at each BAB (\\s)."""
    wanted = {v.keterangan: f"tabel-{v.id}" for v in renstra.views()}
    wanted |= {g["judul"]: g["anchor"] for g in daftar_gambar(renstra)}
    for p in word.paragraphs:
        anchor = wanted.get(p.text) if p.style.name == "Caption" else None
        if anchor is None:
            continue
        match = _CAPTION_NUMBER.match(p.text)
        if match:
            word_, chapter, number, rest = match.groups()
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            p.add_run(f"{word_}\u00a0{chapter}")
            _inline_field(p._p, f"SEQ {word_} \\* ARABIC \\r {number}", number)
            p.add_run(rest)
        targets.mark(p._p, anchor)


def _heading_bookmarks(word, renstra: Renstra, targets: _Bookmarks) -> None:
    """Each heading pandoc wrote (after its own bookmark, named by the heading's anchor)."""
    anchors = {j.anchor for c in renstra.chapters for j in c.judul}
    for start in list(word.element.body.iterchildren(qn("w:bookmarkStart"))):
        name = start.get(qn("w:name"))
        if name not in anchors:
            continue
        heading = start.getnext()
        while heading is not None and heading.tag != qn("w:p"):
            heading = heading.getnext()
        if heading is not None:
            targets.mark(heading, name)


def _daftar(renstra: Renstra, halaman: dict[str, str], targets: _Bookmarks) -> dict[str, list[Entri]]:
    """The entries of the three lists, as the PDF prints them."""

    def entry(style: str, text: str, anchor: str) -> Entri | None:
        name = targets.by_anchor.get(anchor)
        return Entri(style, text, name, halaman.get(anchor, "")) if name else None

    isi = [
        entry(f"TOC{j.level}", f"{unbreakable(j.nomor)} {j.teks}".strip(), j.anchor)
        for c in renstra.chapters
        for j in c.judul
    ]
    tabel = [entry("TableofFigures", v.keterangan, f"tabel-{v.id}") for v in renstra.views()]
    gambar = [entry("TableofFigures", g["judul"], g["anchor"]) for g in daftar_gambar(renstra)]
    return {
        kind: [e for e in entries if e]
        for kind, entries in (("DAFTAR-ISI", isi), ("DAFTAR-TABEL", tabel), ("DAFTAR-GAMBAR", gambar))
    }


def _toc(p, instruction: str, entries: list[Entri]) -> None:
    """A TOC field whose result is already there: one paragraph per entry, each a link to its bookmark
    with the page in a PAGEREF field. Marked dirty, so that Word builds it anew for its own pages."""
    if not entries:
        _field(p, instruction)
        return
    paragraphs = []
    for index, item in enumerate(entries):
        para = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), item.gaya)
        p_pr.append(style)
        para.append(p_pr)
        if index == 0:
            _field_start(para, instruction, dirty=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), item.bookmark)
        link.set(qn("w:history"), "1")
        link.append(_run_text(item.teks))
        tab = OxmlElement("w:r")
        tab.append(OxmlElement("w:tab"))
        link.append(tab)
        _inline_field(link, f"PAGEREF {item.bookmark} \\h", item.halaman)
        para.append(link)
        paragraphs.append(para)
    _field_end(paragraphs[-1])
    for para in reversed(paragraphs):
        p._p.addnext(para)
    p._p.getparent().remove(p._p)


def _run_text(text: str):
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _fld_char(kind: str, dirty: bool = False):
    r = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    r.append(char)
    return r


def _field_start(parent, instruction: str, dirty: bool = False) -> None:
    parent.append(_fld_char("begin", dirty))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    parent.append(r)
    parent.append(_fld_char("separate"))


def _field_end(parent) -> None:
    parent.append(_fld_char("end"))


def _inline_field(parent, instruction: str, result: str) -> None:
    """A complex field with its current result inside `parent` (a paragraph or a hyperlink)."""
    _field_start(parent, instruction)
    parent.append(_run_text(result))
    _field_end(parent)


# --- sections -------------------------------------------------------------------------------------


def _marker(element) -> tuple[str, str | None] | None:
    """(kind, argument) if `element` is a %%…%% marker paragraph."""
    if element is None or element.tag != qn("w:p"):
        return None
    match = MARKER.match("".join(t.text or "" for t in element.iter(qn("w:t"))).strip())
    return match.groups() if match else None


def _style_of(element) -> str | None:
    style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if element.tag == qn("w:p") else None
    return style.get(qn("w:val")) if style is not None else None


_BOOKMARK = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))


def _lead_in_with_landscape(word) -> None:
    """A landscape table begins a section on a new page: the paragraph that leads into it (and the
    subbab headings right above that paragraph) go into its section, as in the PDF — left in the
    portrait section, their last lines would stand alone on a page. Not when that paragraph opens its
    BAB: the title stays portrait with it. Between two landscape tables no portrait section is left:
    it would be an empty page."""
    body = word.element.body
    for marker in [el for el in body.iterchildren(qn("w:p")) if _marker(el) == ("SEKSI", "potret")]:
        before = marker.getprevious()
        while before is not None and before.tag in _BOOKMARK:
            before = before.getprevious()
        if before is None or _marker(before) or _style_of(before) not in ("BodyText", "FirstParagraph"):
            continue
        first, previous = before, before.getprevious()
        while previous is not None and (
            previous.tag == qn("w:bookmarkStart") or _style_of(previous) in ("Heading2", "Heading3")
        ):
            if previous.tag == qn("w:p"):
                first = previous
            previous = previous.getprevious()
        while previous is not None and previous.tag in _BOOKMARK:
            previous = previous.getprevious()
        if previous is not None and _style_of(previous) == "Heading1":
            continue  # the paragraph opens its BAB
        while first.getprevious() is not None and first.getprevious().tag == qn("w:bookmarkStart"):
            first = first.getprevious()
        first.addprevious(marker)
    for marker in [el for el in body.iterchildren(qn("w:p")) if _marker(el) == ("SEKSI", "potret")]:
        before = marker.getprevious()
        while before is not None and before.tag in _BOOKMARK:
            before = before.getprevious()
        if _marker(before) == ("SEKSI", "lanskap"):
            body.remove(marker)


def _apply_markers(word, kertas, daftar: dict[str, list[Entri]]) -> None:
    """Turn %%…%% paragraphs into section breaks and the tables of contents."""
    for p in list(word.paragraphs):
        match = MARKER.match(p.text.strip())
        if not match:
            continue
        kind, arg = match.groups()
        if kind == "SEKSI":
            _end_section(p, kertas, arg)
        elif kind in TOC_INSTRUCTIONS:
            _toc(p, TOC_INSTRUCTIONS[kind], daftar[kind])


def _sect_pr(kertas, orientation: str, numbering: str | None, start: bool):
    width, height = kertas
    landscape = orientation == "lanskap"
    sect = OxmlElement("w:sectPr")
    size = OxmlElement("w:pgSz")
    w, h = (height, width) if landscape else (width, height)
    size.set(qn("w:w"), str(round(w * MM)))
    size.set(qn("w:h"), str(round(h * MM)))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    sect.append(size)
    top, right, bottom, left = MARGIN_LANSKAP if landscape else MARGIN_POTRET
    margin = OxmlElement("w:pgMar")
    for name, value in (
        ("top", top),
        ("right", right),
        ("bottom", bottom),
        ("left", left),
        ("header", 10),
        ("footer", 10),
        ("gutter", 0),
    ):
        margin.set(qn(f"w:{name}"), str(round(value * MM)))
    sect.append(margin)
    if numbering:
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:fmt"), numbering)
        if start:
            pg.set(qn("w:start"), "1")
        sect.append(pg)
    return sect


# Which section a marker closes: the cover (no number), the front matter (i, ii, …), a portrait
# stretch of chapters before a landscape table, or the landscape table itself.
_SEKSI = {
    "sampul": ("potret", None, False),
    "depan": ("potret", "lowerRoman", True),
    "potret": ("potret", "decimal", False),
    "lanskap": ("lanskap", "decimal", False),
}


def _end_section(p, kertas, kind: str) -> None:
    orientation, numbering, start = _SEKSI[kind]
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    p._p.get_or_add_pPr().append(_sect_pr(kertas, orientation, numbering, start))


def _final_section(word, kertas) -> None:
    body = word.element.body
    old = body.find(qn("w:sectPr"))
    new = _sect_pr(kertas, "potret", "decimal", False)
    if old is not None:
        body.replace(old, new)
    else:
        body.append(new)
    # arabic numbering restarts at BAB I: the first section after the front matter starts at 1
    sections = word.sections
    for section in sections:
        pg = section._sectPr.find(qn("w:pgNumType"))
        if pg is not None and pg.get(qn("w:fmt")) == "decimal":
            pg.set(qn("w:start"), "1")
            break


def _field(p, instruction: str) -> None:
    """An empty list's field (begin / instruction / separate / placeholder / end), marked dirty."""
    for run in list(p.runs):
        run._r.getparent().remove(run._r)
    _field_start(p._p, instruction, dirty=True)
    p._p.append(_run_text("Klik kanan lalu pilih Perbarui Bidang (Update Field) untuk menampilkan daftar."))
    _field_end(p._p)


def _footers_and_headers(word, renstra: Renstra) -> None:
    """Page number in the footer of every section but the cover; running short title in the header."""
    for index, section in enumerate(word.sections):
        footer, header = section.footer, section.header
        if index == 0:
            footer.is_linked_to_previous = False
            header.is_linked_to_previous = False
            continue
        if index == 1:
            footer.is_linked_to_previous = False
            header.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _page_field(paragraph)
            head = header.paragraphs[0]
            head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = head.add_run(renstra.identitas.judul_singkat)
            run.italic = True
            run.font.size = Pt(8)
        else:
            footer.is_linked_to_previous = True
            header.is_linked_to_previous = True


def _page_field(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _update_fields_on_open(word) -> None:
    """Ask Word/LibreOffice to refresh the TOC and page fields when the file is opened."""
    settings = word.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")
