"""Numbers as Indonesian readers write them (PUEBI): Rp9.419.360.139, 51,48, 100%. Babel does the work."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal

LOCALE = "id_ID"
BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
NA = "N/A"


def rupiah(value: int | None) -> str:
    """Rp9.419.360.139; an absent amount is a dash."""
    if value is None:
        return "-"
    return format_currency(value, "IDR", locale=LOCALE, format="¤#,##0", currency_digits=False)


def bilangan(value: int | Decimal | None) -> str:
    """9.419.360.139 or 51,48; None is N/A."""
    if value is None:
        return NA
    return format_decimal(value, locale=LOCALE)


def nilai(value, satuan: str = "") -> str:
    """A target or capaian with its unit: '100%', '4 dokumen', '60 (B-)', 'N/A'."""
    # imported here: the models build pydantic at import, which `build.py periksa` (a sheet, no
    # document) need not wait for just to format a Rupiah
    from renstra.source.models import Berpredikat

    if value is None:
        return NA
    if isinstance(value, Berpredikat):
        return f"{nilai(value.nilai, satuan)} ({value.predikat})"
    if satuan in ("%", "persen"):
        return f"{bilangan(value)}%"
    return f"{bilangan(value)} {satuan}".strip()


def sel(value) -> str:
    """A cell of a historical table: numbers formatted, text as written ('99.7%' → '99,7%')."""
    if value is None:
        return NA
    if isinstance(value, str):
        return _text_number(value)
    return bilangan(value)


def _text_number(text: str) -> str:
    """Re-format a leading number in free text the Indonesian way, leave the rest as written."""
    head = text.rstrip("% ").strip()
    try:
        number = Decimal(head.replace(",", ""))
    except ArithmeticError:
        return text
    if "," in head and "." not in head and len(head.split(",")[-1]) != 3:
        return text  # already Indonesian decimals ("81,59")
    return bilangan(number) + ("%" if text.rstrip().endswith("%") else "")


def tanggal(value) -> str:
    """A date as Indonesian prose prints it: 2 Mei, month in words, year in digits."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"
