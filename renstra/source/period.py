"""The Renstra period: the years every per-year map, column and header is made of.

Read from data/dokumen.yaml (periode_awal, periode_akhir; tahun_dasar and tahun_historis where
declared) before the other files are validated,
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
    dasar: int | None = None  # declared in data/dokumen.yaml (tahun_dasar), else derived
    historis: tuple[int, ...] | None = None  # declared (tahun_historis), else derived

    @property
    def tahun(self) -> tuple[int, ...]:
        """The planned years, periode_awal … periode_akhir."""
        return tuple(range(self.awal, self.akhir + 1))

    @property
    def tahun_dasar(self) -> int:
        """Base year of the capaian awal: the last year with realised figures when the plan is written."""
        return self.dasar if self.dasar is not None else self.awal - 2

    @property
    def tahun_historis(self) -> tuple[int, ...]:
        """The years TC-23/TC-24 report on: as declared, or the five before the period."""
        return self.historis if self.historis is not None else tuple(range(self.awal - HISTORIS, self.awal))
