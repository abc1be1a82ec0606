"""Renstra → XLSX: one sheet per T-C table (TC-27, TC-28, TC-25) as the document prints it, in the
Permendagri 86/2017 column layout, for SIPD entry and for Bappeda.

Each sheet: the table's caption, its header rows with their merged cells, the column-number row,
the body with the cells merged down as in the PDF, Rp as numbers shown `#,##0`, targets as numbers
where the document prints a number (its unit stands in the Satuan column), panes frozen under the
header, landscape print set-up with the header repeated on every page. The sheets are read from the
views (renstra/document/views.py), so what the workbook holds is what the document prints; importing
it (`build.py impor`) gives back the same tables."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal

from renstra.document.numbers import LOCALE
from renstra.document.resolve import Renstra
from renstra.document.views import Sel, Tampilan
from renstra.source.models import TabelTC25, TabelTC27, TabelTC28

JENIS_LEMBAR = (TabelTC27, TabelTC28, TabelTC25)
FORMAT_RP = "#,##0"
FORMAT_ANGKA = "#,##0.##"
_ANGKA = re.compile(r"^(?P<angka>\d[\d.]*(?:,\d+)?)\s*(?P<satuan>%|[^\d(][^()]*)?$")


def render_xlsx(renstra: Renstra) -> bytes:
    """The workbook's bytes: one sheet per T-C.27, T-C.28 and T-C.25 table, in document order."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    kertas = 9 if renstra.dokumen.tata_letak.kertas == "A4" else 14  # 14: Folio, the nearest to F4
    for table_id in renstra.table_ids:
        if isinstance(renstra.source.tabel[table_id], JENIS_LEMBAR):
            _lembar(book, renstra.view(table_id), kertas)
    if not book.worksheets:
        book.create_sheet("T-C")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _nama_lembar(book, view_: Tampilan) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", view_.kode_tc or view_.id)[:31]
    taken = {ws.title for ws in book.worksheets}
    base, n = name, 1
    while name in taken:
        n += 1
        name = f"{base[:28]} {n}"
    return name


def _lembar(book, view_: Tampilan, kertas: int) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(_nama_lembar(book, view_))
    ws.cell(1, 1, view_.keterangan.replace("\u00a0", " ")).font = Font(bold=True)
    width = sum(c.colspan for c in view_.kepala[0])
    kepala = [list(row) for row in view_.kepala]
    if not view_.nomor_kolom:
        kepala.append([Sel(str(i)) for i in range(1, width + 1)])
    first = 3
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    row = _tulis(ws, kepala, first, header=True, box=box)
    body = [list(r.sel) for r in view_.baris]
    units = [next((c.tampil for c in r.sel if c.kolom == "satuan"), "") for r in view_.baris]
    _tulis(ws, body, row, header=False, box=box, units=units)
    for column in range(1, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = _lebar(view_, column - 1)
    for header_row in range(first, row):
        for column in range(1, width + 1):
            cell = ws.cell(header_row, column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    nama = 4 if isinstance(view_.kode_tc, str) and view_.kode_tc == "TC-27" else 3
    ws.freeze_panes = ws.cell(row, nama)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = kertas
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{first}:{row - 1}"


def _tulis(ws, rows: list[list[Sel]], first: int, header: bool, box, units=None) -> int:
    """Lay rows of cells out from row `first`, spans as merged ranges; returns the row after them."""
    from openpyxl.styles import Alignment

    taken: set[tuple[int, int]] = set()
    for offset, cells in enumerate(rows):
        r = first + offset
        column = 0
        for cell in cells:
            column += 1
            # a header row leaves out the cells a rowspan above covers (as HTML does); a body row
            # carries them, marked tertutup, in their own place
            while header and (r, column) in taken:
                column += 1
            if cell.tertutup:
                continue
            target = ws.cell(r, column)
            _isi(target, cell, header, units[offset] if units else "")
            target.border = box
            if not header:
                numeric = "angka" in cell.kelas
                target.alignment = Alignment(
                    vertical="top", wrap_text=True, horizontal="right" if numeric else None
                )
            if cell.colspan > 1 or cell.rowspan > 1:
                for rr in range(r, r + cell.rowspan):
                    for cc in range(column, column + cell.colspan):
                        taken.add((rr, cc))
                        ws.cell(rr, cc).border = box
                ws.merge_cells(
                    start_row=r,
                    start_column=column,
                    end_row=r + cell.rowspan - 1,
                    end_column=column + cell.colspan - 1,
                )
            column += cell.colspan - 1
    return first + len(rows)


def _isi(target, cell: Sel, header: bool, satuan: str) -> None:
    """A cell's value: Rp as a whole number, a printed number as a number when the unit printed with it
    is the row's Satuan (or none), anything else as printed ('86 orang/36 bulan', '60 (B-)', 'N/A')."""
    text = cell.tampil.replace("\u00a0", " ")
    if header:
        target.value = int(text) if text.isdigit() else text
        return
    if "rp" in cell.kelas.split() and isinstance(cell.nilai, int):
        target.value = cell.nilai
        target.number_format = FORMAT_RP
        return
    number = angka(text, satuan) if "angka" in cell.kelas.split() else None
    if number is not None:
        target.value = int(number) if number == number.to_integral_value() else float(number)
        target.number_format = FORMAT_ANGKA
        return
    target.value = text or None


def angka(text: str, satuan: str = "") -> Decimal | None:
    """The number in a printed target ('100%', '4 dokumen', '51,48'); None for 'N/A', '60 (B-)' and a
    unit other than the row's satuan."""
    match = _ANGKA.match(text.strip())
    if not match:
        return None
    unit = (match["satuan"] or "").strip().lower()
    if unit and unit != satuan.strip().lower() and not (unit == "%" and satuan.lower() in ("persen", "%")):
        return None
    try:
        return parse_decimal(match["angka"], locale=LOCALE, strict=True)
    except NumberFormatError:
        return None


def _lebar(view_: Tampilan, index: int) -> float:
    """A column's width in characters, from the view's proportions."""
    if not view_.lebar or index >= len(view_.lebar):
        return 12
    total = sum(view_.lebar)
    return max(6, min(40, view_.lebar[index] / total * 220))
