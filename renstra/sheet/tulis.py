"""YAML as the data files write it, from printed values: the modeline naming the schema, kode quoted,
text plain where YAML allows it, the per-year maps on one line; and a table's title as its sheet
prints it above the header."""

from __future__ import annotations

import re
from decimal import Decimal

import yaml

from renstra.sheet.tabel import TabelTercetak, Tercetak

MODELINE = "# yaml-language-server: $schema=../schema/{}.schema.json"
_JUDUL = re.compile(r"(?i)^\s*(tabel\s+)?(t-?c\.?\s*-?\s*\d+|\d+(\.\d+)*)\.?\s*")


def skalar(value, quote: bool = False) -> str:
    """One scalar as the data files write it: kode quoted, text plain where YAML allows it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"
    text = str(value)
    if quote and re.fullmatch(r"[\d.,\s]+", text):
        return '"' + text + '"'
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**6, default_flow_style=True).strip()
    if dumped.endswith("\n..."):
        dumped = dumped[: -len("\n...")]
    return dumped.removesuffix("...").strip() if dumped.endswith("...") else dumped


def peta(values: dict) -> str:
    """{tahun: nilai, …} — the per-year maps of the data files, on one line."""
    parts = []
    for key, value in values.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {skalar(v)}" for k, v in value.items())
            parts.append(f"{key}: {{{inner}}}")
        else:
            parts.append(f"{key}: {skalar(value)}")
    return "{" + ", ".join(parts) + "}"


def nilai_target(cell: Tercetak | None):
    """A printed target as the model holds it: a number, null for N/A, or a number with a predikat."""
    if cell is None:
        return None
    b = cell.bilangan
    if b.nilai is None:
        return None
    if b.predikat:
        return {"nilai": b.nilai, "predikat": b.predikat}
    return b.nilai


def judul(table: TabelTercetak, fallback: str) -> str:
    """The table's title printed above its header: without 'Tabel 6.1', 'T-C.27' and '(TC-27)'."""
    sheet, top = table.lembar, table.kepala.baris[0]
    for row in range(1, top):
        for column in range(1, sheet.jumlah_kolom + 1):
            text = sheet.teks(row, column)
            if len(text) > 10:
                text = re.sub(r"\s*\((t-?c\.?\s*-?\s*\d+)\)\s*$", "", text, flags=re.I)
                text = _JUDUL.sub("", text)
                text = _JUDUL.sub("", text)  # 'Tabel 6.1 T-C.27 …'
                return text.strip() or fallback
    return fallback
