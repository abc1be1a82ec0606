"""Numbers as sheets print them → Decimal, the text kept beside: 1.234.567,89 and 1,234,567.89 alike,
'Rp47.496.043.200', '54,26%', '2 Paket' (a number and the unit typed with it), '-' (nothing).

Which separator is the decimal one is plain when a number has both, or one of them twice. Only a
single separator before exactly three digits ('1.234', '1,234') is open: in a Rupiah column it is
always a thousands separator (Rupiah have no sen in a Renstra); elsewhere the file's own convention
decides, read from its unambiguous numbers (`konvensi`), Indonesian when nothing tells."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from renstra.sheet.grid import Sel

ID, US = "id", "us"
STRIP = {"-", "–", "—", "--", "n/a", "na", "#n/a"}
_NUMBER = re.compile(r"^(?P<angka>[+-]?\d[\d.,\s]*)(?P<sisa>.*)$")


@dataclass(frozen=True)
class Bilangan:
    """A printed number: its value, and what else the cell said."""

    nilai: Decimal | None = None
    kosong: bool = False  # nothing in the cell
    strip: bool = False  # a dash or N/A: printed as nothing
    satuan: str = ""  # the unit typed after the number ('%', 'Paket'), as written
    predikat: str = ""  # a predikat in brackets after the number: '60 (B-)'
    salah: str = ""  # not a number: the text as written

    @property
    def ada(self) -> bool:
        return self.nilai is not None


def konvensi(texts: Iterable[str]) -> str:
    """ID or US: which convention the unambiguous numbers of a file follow (Indonesian on a tie)."""
    votes = {ID: 0, US: 0}
    for text in texts:
        number = _clean(text)
        if "." in number and "," in number:
            votes[ID if number.rfind(",") > number.rfind(".") else US] += 1
        elif number.count(".") > 1 or re.search(r",\d{1,2}$|,\d{4,}$", number):
            votes[ID] += 1
        elif number.count(",") > 1 or re.search(r"\.\d{1,2}$|\.\d{4,}$", number):
            votes[US] += 1
    return US if votes[US] > votes[ID] else ID


def _clean(text: str) -> str:
    return re.sub(r"(?i)^\s*rp\.?\s*", "", text.replace("\u00a0", " ")).strip()


def baca(cell: Sel | None, rupiah: bool = False, cara: str = ID) -> Bilangan:
    """The number a cell prints."""
    if cell is None or cell.nilai is None or cell.teks == "":
        return Bilangan(kosong=True)
    value = cell.nilai
    if isinstance(value, bool):
        return Bilangan(salah=str(value))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        if cell.persen:  # a workbook number formatted 0,00%: what the reader sees is a hundred times it
            return Bilangan(_tidy(number * 100), satuan="%")
        return Bilangan(_tidy(number))
    return teks(str(value), rupiah, cara)


def teks(text: str, rupiah: bool = False, cara: str = ID) -> Bilangan:
    """The number a text prints."""
    clean = _clean(text)
    if clean.lower() in STRIP:
        return Bilangan(strip=True)
    match = _NUMBER.match(clean)
    if not match:
        return Bilangan(salah=text.strip())
    digits = re.sub(r"\s", "", match["angka"]).rstrip(".,")
    rest = match["sisa"].strip()
    number = _decimal(digits, rupiah, cara)
    if number is None:
        return Bilangan(salah=text.strip())
    predikat = re.fullmatch(r"\((.+)\)", rest)
    if predikat:
        return Bilangan(number, predikat=predikat[1].strip())
    return Bilangan(number, satuan=rest)


def _decimal(digits: str, rupiah: bool, cara: str) -> Decimal | None:
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("+-")
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif dots + commas == 0:
        decimal_mark = None
    elif dots > 1 or commas > 1:
        decimal_mark = "," if dots > 1 else "."
    else:
        mark = "." if dots else ","
        three = len(digits.split(mark)[1]) == 3
        if three and (rupiah or (mark == "." if cara == ID else mark == ",")):
            decimal_mark = "," if mark == "." else "."
        else:
            decimal_mark = mark
    thousands = {",": ".", ".": ","}.get(decimal_mark, "")
    whole, _, fraction = digits.partition(decimal_mark) if decimal_mark else (digits, "", "")
    groups = whole.split(thousands) if thousands and thousands in whole else [whole]
    if any(not g.isdigit() for g in groups) or any(len(g) != 3 for g in groups[1:]):
        return None
    if fraction and not fraction.isdigit():
        return None
    try:
        return _tidy(Decimal(sign + "".join(groups) + ("." + fraction if fraction else "")))
    except InvalidOperation:
        return None


def _tidy(number: Decimal) -> Decimal:
    """54.2600 → 54.26, 47496043200.0 → 47496043200: the value, not the float's or the format's digits."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()
