"""Any sheet → one grid: `read(path)` opens .xlsx (openpyxl), .ods (odfpy), .csv (csv, delimiter found
from the file) and .html (lxml, every <table>) and returns its sheets as `Lembar`s: cells by (row,
column), each with the place the user sees ("Sheet1!M14" in a workbook, the line "14" in text files).

A merged cell (xlsx/ods merge, HTML rowspan/colspan) is copied into every cell it covers, marked
`tertutup` and placed at the merge's first cell: the header reader sees "Kode" over all its columns,
the row reader sees that a kode or Rp merged down belongs to the row above."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from renstra.sheet.temuan import TidakTerbaca

DIBACA = (".xlsx", ".xlsm", ".ods", ".csv", ".html", ".htm")
_SPACES = re.compile(r"\s+")
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the Compound File signature: legacy .xls, or an encrypted xlsx


@dataclass(frozen=True)
class Sel:
    """One cell as read: its value (text, or the number a workbook stores) and where the user finds it."""

    baris: int
    kolom: int
    nilai: object
    tempat: str
    persen: bool = False  # a workbook number shown as a percentage: 0.5426 is displayed 54,26%
    digit: int = 0  # a whole number shown zero-padded (number format "00"): 1 is displayed 01
    tertutup: bool = False  # covered by a merged cell: a copy of the merge's first cell

    @cached_property  # asked for many times per cell; a frozen dataclass keeps it in its __dict__
    def teks(self) -> str:
        """The cell as text, whitespace collapsed; a padded number as displayed."""
        value = self.nilai
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and self.digit:
            return f"{value:0{self.digit}d}"
        return _SPACES.sub(" ", str(value)).strip()


@dataclass
class Lembar:
    """One sheet (or one HTML table): its cells, and how its places are written."""

    nama: str
    urutan: int
    sel: dict[tuple[int, int], Sel] = field(default_factory=dict)
    buku: bool = True  # a workbook's sheet, whose cells are named Sheet1!M14; False: a text file's lines
    _ukuran: tuple[int, int, int] | None = field(default=None, repr=False)  # (cells, rows, columns)

    def _dimensions(self) -> tuple[int, int]:
        # counted once per change in the number of cells: the readers ask for them in every loop
        if self._ukuran is None or self._ukuran[0] != len(self.sel):
            rows = max((r for r, _ in self.sel), default=0)
            self._ukuran = (len(self.sel), rows, max((c for _, c in self.sel), default=0))
            self._baris_pertama = {}
            for (r, _c), cell in sorted(self.sel.items()):
                self._baris_pertama.setdefault(r, cell)
        return self._ukuran[1], self._ukuran[2]

    @property
    def jumlah_baris(self) -> int:
        return self._dimensions()[0]

    @property
    def jumlah_kolom(self) -> int:
        return self._dimensions()[1]

    def sel_pertama(self, baris: int) -> Sel | None:
        """The first cell of a row that has one."""
        self._dimensions()
        return self._baris_pertama.get(baris)

    def get(self, baris: int, kolom: int) -> Sel | None:
        return self.sel.get((baris, kolom))

    def teks(self, baris: int, kolom: int) -> str:
        cell = self.sel.get((baris, kolom))
        return cell.teks if cell else ""


def huruf_kolom(kolom: int) -> str:
    """1 → A, 27 → AA: the column as a workbook names it."""
    name = ""
    while kolom:
        kolom, rest = divmod(kolom - 1, 26)
        name = chr(65 + rest) + name
    return name


def read(path: Path) -> list[Lembar]:
    """Every sheet of a file; TidakTerbaca with one message when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in DIBACA:
        raise TidakTerbaca(
            f"jenis berkas '{path.suffix or path.name}' tidak dikenal",
            "yang dapat dibaca: .xlsx, .ods, .csv, .html",
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TidakTerbaca("berkas tidak ditemukan") from None
    except IsADirectoryError:
        raise TidakTerbaca("ini folder, bukan berkas lembar kerja") from None
    except OSError as error:
        raise TidakTerbaca(f"berkas tidak dapat dibaca: {error.strerror or error}") from None
    if not raw.strip():
        raise TidakTerbaca("berkas kosong")
    if raw.startswith(OLE2):
        raise TidakTerbaca(*_ole2(raw))
    reader = {".ods": _ods, ".csv": _csv, ".html": _html, ".htm": _html}.get(suffix, _xlsx)
    try:
        sheets = reader(raw)
    except TidakTerbaca:
        raise
    except Exception as error:  # a damaged file can fail deep inside a reader: still one message
        raise TidakTerbaca(
            f"berkas tidak dapat dibaca sebagai {suffix}",
            f"simpan ulang dari aplikasi pembuatnya ({type(error).__name__}: {error})",
        ) from None
    sheets = [s for s in sheets if s.sel]
    if not sheets:
        raise TidakTerbaca("berkas tidak berisi satu sel pun")
    return sheets


def _ole2(raw: bytes) -> tuple[str, str]:
    if "EncryptionInfo".encode("utf-16-le") in raw:
        return (
            "berkas terkunci kata sandi",
            "buka di Excel atau LibreOffice, hapus kata sandinya, lalu simpan ulang sebagai .xlsx",
        )
    return ("berkas berformat Excel lama (.xls)", "buka di Excel atau LibreOffice dan simpan sebagai .xlsx")


def _place(sheet: str, row: int, column: int) -> str:
    return f"{sheet}!{huruf_kolom(column)}{row}"


def _cover(sheet: Lembar, top: int, left: int, bottom: int, right: int) -> None:
    """Copy a merge's first cell into every cell it covers."""
    first = sheet.sel.get((top, left))
    if first is None:
        return
    for row in range(top, bottom + 1):
        for column in range(left, right + 1):
            if (row, column) != (top, left):
                sheet.sel[(row, column)] = replace(first, baris=row, kolom=column, tertutup=True)


# --- xlsx -----------------------------------------------------------------------------------------


def _xlsx(raw: bytes) -> list[Lembar]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TidakTerbaca(
            "bukan berkas .xlsx yang sah", f"simpan ulang dari Excel atau LibreOffice ({error})"
        ) from None
    sheets = []
    for order, ws in enumerate(book.worksheets):
        sheet = Lembar(ws.title, order)
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                fmt = cell.number_format or ""
                sheet.sel[(cell.row, cell.column)] = Sel(
                    cell.row,
                    cell.column,
                    value,
                    _place(ws.title, cell.row, cell.column),
                    persen="%" in fmt and not isinstance(value, str),
                    digit=len(fmt) if re.fullmatch(r"0{2,}", fmt) else 0,
                )
        for merged in ws.merged_cells.ranges:
            _cover(sheet, merged.min_row, merged.min_col, merged.max_row, merged.max_col)
        sheets.append(sheet)
    return sheets


# --- ods ------------------------------------------------------------------------------------------


def _ods(raw: bytes) -> list[Lembar]:
    from odf import teletype
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow

    try:
        document = load(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TidakTerbaca("bukan berkas .ods yang sah", f"simpan ulang dari LibreOffice ({error})") from None
    except Exception as error:  # odfpy raises the XML parser's own errors on a damaged content.xml
        raise TidakTerbaca("bukan berkas .ods yang sah", f"isi berkas rusak ({error})") from None
    sheets = []
    for order, table in enumerate(document.spreadsheet.getElementsByType(Table)):
        name = table.getAttribute("name") or f"Lembar{order + 1}"
        sheet = Lembar(name, order)
        merges = []
        row_number = 0
        for row in table.getElementsByType(TableRow):
            row_number += 1
            filled = False
            column = 0
            for cell in row.childNodes:
                if cell.qname[0] != TABLENS or cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                value = _ods_value(cell, teletype)
                if value is None or cell.qname[1] == "covered-table-cell":
                    column += repeat
                    continue
                for _ in range(min(repeat, 64)):  # a repeated filled cell is written out, within reason
                    column += 1
                    filled = True
                    kind = cell.getAttribute("valuetype")
                    sheet.sel[(row_number, column)] = Sel(
                        row_number,
                        column,
                        value,
                        _place(name, row_number, column),
                        persen=kind == "percentage",
                    )
                    span_c = int(cell.getAttribute("numbercolumnsspanned") or 1)
                    span_r = int(cell.getAttribute("numberrowsspanned") or 1)
                    if span_c > 1 or span_r > 1:
                        merges.append((row_number, column, row_number + span_r - 1, column + span_c - 1))
                column += max(0, repeat - 64)
            rows_repeated = int(row.getAttribute("numberrowsrepeated") or 1)
            if not filled:  # empty rows repeated to the end of the sheet: count them, write nothing
                row_number += rows_repeated - 1
        for merge in merges:
            _cover(sheet, *merge)
        sheets.append(sheet)
    return sheets


def _ods_value(cell, teletype):
    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        text = cell.getAttribute("value")
        try:
            number = float(text)
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    text = teletype.extractText(cell).strip()
    return text or None


# --- csv ------------------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (more than one) of fields most
    often: ';' (Indonesian Excel), tab, or ','."""
    sample = text.splitlines()[:40]
    best, score = ",", -1
    for candidate in (";", "\t", ","):
        counts = [len(r) for r in csv.reader(sample, delimiter=candidate) if any(x.strip() for x in r)]
        widest = max(counts, default=1)
        if widest < 2:
            continue
        common = max(set(counts), key=counts.count)
        points = counts.count(common) if common > 1 else 0
        if points > score:
            best, score = candidate, points
    return best


def _csv(raw: bytes) -> list[Lembar]:
    text = _decode(raw)
    sheet = Lembar("", 0, buku=False)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    start, row_number = 1, 0
    try:
        for record in reader:
            row_number += 1
            for column, value in enumerate(record, 1):
                if value.strip():
                    sheet.sel[(row_number, column)] = Sel(row_number, column, value, str(start))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TidakTerbaca(f"berkas CSV rusak di baris {reader.line_num}: {error}") from None
    return [sheet]


# --- html -----------------------------------------------------------------------------------------


def _html(raw: bytes) -> list[Lembar]:
    import lxml.html
    from lxml import etree

    try:
        document = lxml.html.document_fromstring(raw)
    except (etree.ParserError, ValueError) as error:
        raise TidakTerbaca(f"berkas HTML tidak dapat dibaca: {error}") from None
    sheets = []
    for order, table in enumerate(document.iter("table")):
        if table.xpath("ancestor::table"):
            continue  # a table inside a cell is part of that cell
        sheet = Lembar(f"tabel {order + 1}", order, buku=False)
        taken: set[tuple[int, int]] = set()
        for row_number, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"), 1):
            column = 0
            for td in tr.xpath("./td|./th"):
                column += 1
                while (row_number, column) in taken:
                    column += 1
                colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
                for r in range(row_number, row_number + rowspan):
                    for c in range(column, column + colspan):
                        taken.add((r, c))
                text = re.sub(r"\s+", " ", td.text_content()).strip()
                if text:
                    sheet.sel[(row_number, column)] = Sel(row_number, column, text, str(td.sourceline or 1))
                    if colspan > 1 or rowspan > 1:
                        _cover(sheet, row_number, column, row_number + rowspan - 1, column + colspan - 1)
                column += colspan - 1
        sheets.append(sheet)
    return sheets


def _span(text: str | None) -> int:
    try:
        return max(1, min(int(text or 1), 1000))
    except ValueError:
        return 1
