"""Render DOCX: Renstra → an editable Word file with the same content as the PDF.

pandoc turns one HTML document (chapters + tables from the same views as the PDF) into DOCX with a
reference document for the styles; python-docx then does what pandoc cannot: section breaks with
roman/arabic page numbers and landscape pages, TOC fields, footers, right-aligned numbers.
Marker paragraphs (%%…%%) in the HTML say where that work goes; each table is found by its caption.
"""

from __future__ import annotations

import base64
import datetime
import io
import mimetypes
import re
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import jinja2
import pypandoc
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renstra.document.numbers import tanggal
from renstra.document.resolve import Renstra
from renstra.document.views import Tampilan
from renstra.layout import HURUF_TABEL_PT, MARGIN_LANSKAP, MARGIN_POTRET, tata_letak
from renstra.problems import RenstraError, galat
from renstra.render.docx_reference import build_reference_docx
from renstra.render.html import SLOT, figure_svg
from renstra.reproducible import normalize_zip, source_date_epoch
from renstra.templating import template_env

MM = 56.6929  # twips per millimetre
MARKER = re.compile(r"^%%([A-Z-]+)(?::([a-z0-9-]+))?%%$")


def render_docx(renstra: Renstra, env: jinja2.Environment | None = None) -> bytes:
    """DOCX bytes of the whole document."""
    env = env or template_env(renstra.source.root)

    def fill(html: str) -> str:
        def replace(match):
            kind, item_id = match.group(1), match.group(2)
            if kind == "gambar":
                return f"<p>%%GAMBAR:{item_id}%%</p>"
            return env.get_template("tabel-docx.html.j2").render(v=renstra.view(item_id))

        return SLOT.sub(replace, html)

    root = renstra.source.root
    bodies = [
        (c.bab.nomor, _embed_images(fill(html), root))
        for c, html in zip(renstra.chapters, renstra.fragments())
    ]
    source = env.get_template("dokumen-docx.html.j2").render(
        d=renstra.identitas,
        depan=[h for n, h in bodies if not n],
        isi=[h for n, h in bodies if n],
        tanggal_penetapan=tanggal(renstra.dokumen.penetapan.tanggal),
    )
    layout = tata_letak(renstra.source.root, renstra.dokumen.tata_letak)
    with tempfile.TemporaryDirectory() as tmp:
        reference = build_reference_docx(Path(tmp) / "reference.docx", layout.famili)
        raw = _pandoc_docx(source, reference)
    return _finish(raw, renstra, env, layout.kertas_mm)


_FILE_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")(file://[^"]+)(")')


def _embed_images(html: str, root: Path) -> str:
    """pandoc runs with --sandbox and reads no file: each image goes in as a data: URI. Only files
    inside the repository (check has vouched for them; this is the second wall)."""
    inside = root.resolve()

    def embed(match: re.Match) -> str:
        path = Path(unquote(urlparse(match.group(2)).path)).resolve()
        if inside not in path.parents or not path.is_file():
            raise RenstraError(
                [galat("content/", 1, 1, f"gambar di luar repositori ditolak: {match.group(2)}")]
            )
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{match.group(1)}data:{kind};base64,{data}{match.group(3)}"

    return _FILE_IMG.sub(embed, html)


def _pandoc_docx(html: str, reference: Path) -> bytes:
    pandoc = pypandoc.get_pandoc_path()
    args = [pandoc, "--from=html", "--to=docx", "--sandbox", f"--reference-doc={reference}", "--output=-"]
    return subprocess.run(
        args, input=html.encode("utf-8"), capture_output=True, check=True, timeout=300
    ).stdout


# --- post-processing with python-docx ------------------------------------------------------------


def _finish(raw: bytes, renstra: Renstra, env, kertas) -> bytes:
    word = open_docx(io.BytesIO(raw))
    _format_tables(word, renstra.views(), kertas)
    _place_figures(word, renstra, env)
    _apply_markers(word, kertas)
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


def _place_figures(word, renstra: Renstra, env) -> None:
    """The figure as a picture: the PDF's SVG laid out by WeasyPrint, rasterised by pdfium to PNG."""
    for p in list(word.paragraphs):
        match = MARKER.match(p.text.strip())
        if match and match.group(1) == "GAMBAR":
            item_id = match.group(2)
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(figure_png(renstra, env, item_id)), width=Mm(150))
            caption_style = next(s for s in word.styles if s.name == "Caption")
            caption = p.insert_paragraph_before(renstra.figure_title(item_id), style=caption_style)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def figure_png(renstra: Renstra, env, item_id: str) -> bytes:
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


def _apply_markers(word, kertas) -> None:
    """Turn %%…%% paragraphs into section breaks and TOC fields."""
    for p in list(word.paragraphs):
        match = MARKER.match(p.text.strip())
        if not match:
            continue
        kind, arg = match.groups()
        if kind == "SEKSI":
            _end_section(p, kertas, arg)
        elif kind == "DAFTAR-ISI":
            _field(p, 'TOC \\o "1-3" \\h \\z \\u')
        elif kind == "DAFTAR-TABEL":
            _field(p, 'TOC \\h \\z \\t "Caption,1"')


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
    """A complex field (begin / instruction / separate / placeholder / end), marked dirty."""
    for run in list(p.runs):
        run._r.getparent().remove(run._r)

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        p._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    text = OxmlElement("w:t")
    text.text = "Klik kanan lalu pilih Perbarui Bidang (Update Field) untuk menampilkan daftar."
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


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
