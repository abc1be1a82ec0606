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
from renstra.layout import MARGIN_LANSKAP, MARGIN_POTRET, tata_letak
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
    lambang = renstra.lambang
    source = env.get_template("dokumen-docx.html.j2").render(
        d=renstra.identitas,
        lambang=_data_uri(lambang.as_uri(), root) if lambang else None,
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
    """pandoc runs with --sandbox and reads no file: each image goes in as a data: URI."""
    return _FILE_IMG.sub(lambda m: m.group(1) + _data_uri(m.group(2), root) + m.group(3), html)


def _data_uri(url: str, root: Path) -> str:
    """The data: URI of a file: URL. Only files inside the repository (check has vouched for them; this
    is the second wall)."""
    path = Path(unquote(urlparse(url).path)).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        raise RenstraError([galat("content/", 1, 1, f"gambar di luar repositori ditolak: {url}")])
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


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
    _cover_foot(word)
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
    """Right-align numbers, repeat header rows, shrink the wide tables — cell by cell from the view."""
    for table, table_view in tables_by_caption(word, views):
        rows = table._tbl.tr_lst
        header_count = len(table_view.kepala)
        for tr in rows:
            _keep_row_together(tr)
        for tr in rows[:header_count]:
            _repeat_header(tr)
        if table_view.lanskap:
            top, right, bottom, left = MARGIN_LANSKAP
            _fit_width(table._tbl, (max(kertas) - left - right) * MM)
        size = Pt(
            (6.5 if table_view.ukuran == "tabel-lebar" else 8 if table_view.ukuran else 9)
            * table_view.skala_huruf
        )
        for tr, baris in zip(rows[header_count:], table_view.baris):
            for tc, sel in zip(tr.tc_lst, baris.sel):
                for p in tc.iter(qn("w:p")):
                    _align(p, "right" if "angka" in sel.kelas else "left")
                    if baris.kelas in ("total", "program", "kegiatan", "kelompok"):
                        for r in p.iter(qn("w:r")):
                            _bold(r)
        for p in table._tbl.iter(qn("w:p")):
            for r in p.iter(qn("w:r")):
                _size(r, size)


def _repeat_header(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _keep_row_together(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _fit_width(tbl, width_twips: float) -> None:
    """pandoc sizes columns for the portrait text width; a landscape table gets the landscape width."""
    cols = tbl.tblGrid.findall(qn("w:gridCol"))
    factor = width_twips / sum(int(c.get(qn("w:w"))) for c in cols)
    for col in cols:
        col.set(qn("w:w"), str(round(int(col.get(qn("w:w"))) * factor)))
    margins = OxmlElement("w:tblCellMar")  # narrow cell padding, as the PDF's 2 pt
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "40")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl.tblPr.append(margins)
    for tc_w in tbl.iter(qn("w:tcW")):
        if tc_w.get(qn("w:type")) == "dxa":
            tc_w.set(qn("w:w"), str(round(int(tc_w.get(qn("w:w"))) * factor)))


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
        el.set(qn("w:val"), str(int(size.pt * 2)))


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
