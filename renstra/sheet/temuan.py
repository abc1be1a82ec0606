"""Findings in a sheet: one frozen record per finding, at the place the user sees
(`draf.xlsx:Sheet1!M14`, `draf.csv:14`), printed and reported as JSON like `make check` does."""

from __future__ import annotations

import json
from dataclasses import dataclass

from renstra.problems import GALAT, PERINGATAN

__all__ = ["GALAT", "PERINGATAN", "Temuan", "TidakTerbaca", "report_json", "report_text"]


@dataclass(frozen=True, order=True)
class Temuan:
    """One finding at a cell of a sheet (or, with no cell, about the whole file)."""

    berkas: str
    lembar: int  # the sheet's order in the file: findings sort sheet by sheet, row by row
    baris: int
    kolom: int
    tempat: str  # as the user finds it: "Sheet1!M14", or the line "14"; "" for the whole file
    level: str
    message: str
    hint: str = ""
    aturan: str = ""  # which check: 'jumlah', 'akhir_rp', 'akhir_target' can be kept as errata on import

    def __str__(self) -> str:
        where = f"{self.berkas}:{self.tempat}" if self.tempat else self.berkas
        text = f"{where}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class TidakTerbaca(Exception):
    """The file cannot be read as a sheet at all: one message for the user, never a traceback."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def report_text(temuan: list[Temuan], seconds: float) -> str:
    """Every finding on its line, then a count."""
    lines = [str(t) for t in sorted(temuan)]
    errors = sum(1 for t in temuan if t.level == GALAT)
    lines.append(f"{errors} galat, {len(temuan) - errors} peringatan ({seconds:.2f} detik)")
    return "\n".join(lines)


def report_json(temuan: list[Temuan]) -> str:
    """The same findings for tools."""
    return json.dumps(
        [
            {
                "berkas": t.berkas,
                "tempat": t.tempat,
                "baris": t.baris,
                "kolom": t.kolom,
                "tingkat": t.level,
                "pesan": t.message,
                "saran": t.hint,
                "aturan": t.aturan,
            }
            for t in sorted(temuan)
        ],
        ensure_ascii=False,
        indent=1,
    )
