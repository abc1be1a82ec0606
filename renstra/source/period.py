"""The Renstra period: the years every per-year map, column and header is made of.

Read from data/dokumen.yaml (periode_awal, periode_akhir) before the other files are validated,
so that a table's years are checked against the document's period, not against constants in code.
"""

from __future__ import annotations

from dataclasses import dataclass

HISTORIS = 5  # TC-23/TC-24 report the five years before the period (Permendagri 86/2017)


@dataclass(frozen=True)
class Periode:
    """Years of the Renstra and the years its tables look back on."""

    awal: int
    akhir: int

    @property
    def tahun(self) -> tuple[int, ...]:
        """The planned years, e.g. (2024, 2025, 2026)."""
        return tuple(range(self.awal, self.akhir + 1))

    @property
    def tahun_dasar(self) -> int:
        """Base year of the capaian awal: the last year with realised figures when the plan is written."""
        return self.awal - 2

    @property
    def tahun_historis(self) -> tuple[int, ...]:
        """The years TC-23/TC-24 report on: the five before the period."""
        return tuple(range(self.awal - HISTORIS, self.awal))
