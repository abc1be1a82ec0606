"""The simple table (jenis: sederhana): its columns are declared in its own file.

pydantic validates the declaration (TabelSederhana) like any other table; what it cannot see is
whether the declaration holds together — ids unique, a `rumus` naming earlier numeric columns, the
key a text column — and the rows, whose fields are the declared columns. Both are checked here, after
the first pass: the declaration gives (loc, message, hint) findings at the exact key or value, and
`row_model` builds the pydantic model one row is validated against, so the loader can prefix its
error locations with ("baris", i) and every galat keeps its file:line:col.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Annotated, Optional

from pydantic import Field, create_model

from renstra.problems import suggest
from renstra.source.models import (
    ANGKA_MAKS,
    FORMAT_ANGKA,
    KELOMPOK,
    Angka,
    Model,
    Rupiah,
    TabelSederhana,
    Teks,
)


@dataclass(frozen=True)
class Temuan:
    """A finding about a declaration or a row, at `loc` inside the table's file (the key if `key`)."""

    loc: tuple
    message: str
    hint: str = ""
    key: bool = False


# What a cell of each typed format holds.
_JENIS_SEL = {
    "teks": Teks,
    "bilangan": Annotated[int, Field(ge=0, le=ANGKA_MAKS)],
    "angka": Angka,
    "rupiah": Rupiah,
    "daftar": Annotated[list[Teks], Field(min_length=1)],
}


def declaration_problems(table: TabelSederhana) -> list[Temuan]:
    """What makes the declared columns unusable: each at the key or value that says it."""
    found: list[Temuan] = []
    seen: dict[str, int] = {}
    for index, kolom in enumerate(table.kolom):
        here = ("kolom", index)
        if kolom.id in seen:
            found.append(
                Temuan(
                    here + ("id",),
                    f"id kolom '{kolom.id}' sudah dipakai kolom ke-{seen[kolom.id] + 1}",
                    "setiap kolom perlu id sendiri",
                )
            )
        seen.setdefault(kolom.id, index)
        if kolom.id == KELOMPOK:
            found.append(
                Temuan(
                    here + ("id",),
                    f"id kolom '{KELOMPOK}' dicadangkan untuk baris kelompok",
                    "beri kolom ini id lain, mis. nama_kelompok",
                )
            )
        elif hasattr(Model, kolom.id) or kolom.id.startswith("model_"):
            found.append(
                Temuan(
                    here + ("id",),
                    f"id kolom '{kolom.id}' tidak dapat dipakai: nama itu dicadangkan program",
                    f"beri kolom ini id lain, mis. {kolom.id}_1",
                )
            )
        found += _format_problems(table, index, seen)
    found += _width_problems(table)
    found += _key_problems(table)
    found += _total_problems(table)
    return found


def _format_problems(table: TabelSederhana, index: int, seen: dict[str, int]) -> list[Temuan]:
    kolom = table.kolom[index]
    here = ("kolom", index)
    found = []
    if kolom.rumus:
        if kolom.bentuk not in FORMAT_ANGKA:
            found.append(
                Temuan(
                    here + ("format",),
                    f"kolom dengan rumus harus berformat angka, bukan '{kolom.bentuk}'",
                    f"pakai salah satu dari {', '.join(FORMAT_ANGKA)}, atau hapus 'format'",
                )
            )
        for position, name in enumerate(kolom.rumus):
            at = here + ("rumus", position)
            if name not in seen:
                later = any(k.id == name for k in table.kolom[index:])
                found.append(
                    Temuan(
                        at,
                        f"rumus merujuk kolom '{name}' yang "
                        + ("baru ditulis sesudahnya" if later else "tidak ada"),
                        "rumus hanya menjumlah kolom yang ditulis sebelumnya"
                        if later
                        else suggest(name, list(seen)),
                    )
                )
            elif table.kolom[seen[name]].bentuk not in FORMAT_ANGKA:
                found.append(
                    Temuan(
                        at,
                        f"rumus menjumlah kolom '{name}' yang berformat "
                        f"'{table.kolom[seen[name]].bentuk}', bukan angka",
                        f"rumus hanya menjumlah kolom {', '.join(FORMAT_ANGKA)}",
                    )
                )
    if kolom.turunan and kolom.kosong is not None:
        found.append(
            Temuan(
                here + ("kosong",),
                f"kolom '{kolom.id}' diturunkan saat build, selnya tidak pernah kosong",
                "hapus 'kosong' dari kolom ini",
            )
        )
    if kolom.satuan and kolom.bentuk not in FORMAT_ANGKA:
        found.append(
            Temuan(
                here + ("satuan",),
                f"satuan hanya untuk kolom angka, kolom '{kolom.id}' berformat '{kolom.bentuk}'",
                "hapus 'satuan', atau ganti formatnya",
            )
        )
    return found


def _width_problems(table: TabelSederhana) -> list[Temuan]:
    given = [k.lebar is not None for k in table.kolom]
    if any(given) and not all(given):
        index = given.index(False)
        return [
            Temuan(
                ("kolom", index),
                f"kolom '{table.kolom[index].id}' tanpa 'lebar', padahal kolom lain memakainya",
                "isi 'lebar' untuk semua kolom, atau hapus dari semuanya",
            )
        ]
    return []


def _key_problems(table: TabelSederhana) -> list[Temuan]:
    if table.kunci is None:
        name = table.kolom_kunci
        if name is None:
            return []
        index = next(i for i, k in enumerate(table.kolom) if k.id == name)
        at = ("kolom", index, "kosong")
    else:
        names = [k.id for k in table.kolom]
        if table.kunci not in names:
            return [
                Temuan(
                    ("kunci",),
                    f"kolom kunci '{table.kunci}' tidak ada di daftar kolom",
                    suggest(table.kunci, names),
                )
            ]
        index = names.index(table.kunci)
        kolom = table.kolom[index]
        if kolom.bentuk != "teks" or kolom.turunan:
            return [
                Temuan(
                    ("kunci",),
                    f"kolom kunci '{table.kunci}' harus kolom teks yang diketik, bukan '{kolom.bentuk}'",
                    "pilih kolom teks yang membedakan setiap baris, mis. nama unit",
                )
            ]
        at = ("kolom", index, "kosong")
    if table.kolom[index].kosong is not None:
        chosen = "" if table.kunci else "; tanpa 'kunci', kolom teks pertama menjadi kunci baris"
        return [
            Temuan(
                at,
                f"kolom kunci '{table.kolom[index].id}' tidak boleh kosong{chosen}",
                "hapus 'kosong' dari kolom ini, atau pilih kolom kunci lain dengan 'kunci: …'",
            )
        ]
    return []


def _total_problems(table: TabelSederhana) -> list[Temuan]:
    if table.total is not None and label_span(table) == 0:
        return [
            Temuan(
                ("total", "label"),
                "label baris total tidak mendapat tempat: "
                f"kolom pertama '{table.kolom[0].id}' sudah berisi total",
                "beri kolom pertama 'total: false', atau mulai tabel dengan kolom nomor atau teks",
            )
        ]
    return []


def label_span(table: TabelSederhana) -> int:
    """How many columns the total row's label spans: those before the first that has a total."""
    return next(
        (i for i, k in enumerate(table.kolom) if k.dijumlah or isinstance(k.total, str)), len(table.kolom)
    )


def row_model(table: TabelSederhana) -> type[Model]:
    """The pydantic model one data row is validated against: a field per typed column, required
    unless the column says what an empty cell shows (`kosong`)."""
    fields = {}
    for kolom in table.kolom:
        if kolom.turunan:
            continue
        kind = _JENIS_SEL[kolom.bentuk]
        fields[kolom.id] = (Optional[kind], None) if kolom.kosong is not None else (kind, ...)
    return create_model("BarisSederhana", __base__=Model, **fields)


def row_problems(table: TabelSederhana, index: int, raw: dict) -> tuple[list[Temuan], dict]:
    """Keys a row may not hold — derived columns, data beside a group title — and the row without
    them, for pydantic to validate the rest."""
    found, rest = [], {}
    derived = {k.id: k for k in table.kolom if k.turunan}
    group_row = KELOMPOK in raw
    for key, value in raw.items():
        at = ("baris", index, key)
        if group_row and key != KELOMPOK:
            found.append(
                Temuan(
                    at,
                    f"baris kelompok hanya memuat 'kelompok: …', bukan '{key}'",
                    "tulis data di baris tersendiri di bawah baris kelompok",
                    key=True,
                )
            )
        elif key in derived:
            how = f"jumlah {' + '.join(derived[key].rumus)}" if derived[key].rumus else "nomor baris"
            found.append(
                Temuan(
                    at,
                    f"kolom '{key}' diturunkan saat build ({how}), tidak diketik di baris",
                    "hapus nilai ini dari baris",
                    key=True,
                )
            )
        else:
            rest[key] = value
    return found, rest


def fact_name(name: str) -> bool:
    """Whether a table or column id can be written as {{ tabel.kolom }} in a chapter."""
    return name.isidentifier() and not keyword.iskeyword(name) and name not in ("true", "false", "none")
