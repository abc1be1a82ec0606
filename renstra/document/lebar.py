"""Column widths measured from the text: what each column of a table needs at a type size, in mm.

A table's columns are sized from the widths of what they print, measured with the document's own
font files (the advance widths of the glyphs): a column of amounts (Rp) as wide as its widest one,
which never wraps; no column narrower than its widest word, header words included (a header is never
hyphenated, nor an acronym or a number; the DOCX is not hyphenated at all, and Word or LibreOffice
would cut a word wider than its column anywhere). The T-C.27's line is then shared by its text
columns where that saves the most height, its type the largest at which its pages hold eight rows;
the other tables keep their own proportions, a column raised to what it needs where it must be.
The same widths and type go to the PDF and the DOCX.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

PT_MM = 25.4 / 72
# What a cell holds besides its text: its padding left and right (top and bottom) and its share of the
# rules, in pt (gaya.css.j2: tabel-lebar td 1pt 2pt, others 2pt 3pt; rules 0.5pt).
PADDING_PT = {"tabel-lebar": (2 * 2 + 0.5), "tabel-sedang": (2 * 3 + 0.5), "": (2 * 3 + 0.5)}
PADDING_TEGAK_PT = {"tabel-lebar": 2 * 1 + 0.5, "tabel-sedang": 2 * 2 + 0.5, "": 2 * 2 + 0.5}
TINGGI_BARIS = {"tabel-lebar": 1.15, "tabel-sedang": 1.25, "": 1.25}  # line-height (gaya.css.j2)
INDEN_PT = {("sub-kegiatan", "nama"): 6}  # (row, cell class) → more padding on the left (gaya.css.j2)
# what the measure may be short of the type as laid out (kerning, rounding): a column is this much wider
AMAN = 1.02
# where a line may break inside a word: after a slash or a hyphen, except before a digit ("orang/12")
_POTONG = re.compile(r"(?<=[/\-\N{HYPHEN}])(?=[^\d\s])")


@dataclass(frozen=True)
class Huruf:
    """The advance widths of a font's regular and bold faces, per character, in em."""

    biasa: dict[str, float]
    tebal: dict[str, float]

    def mm(self, text: str, pt: float, tebal: bool = False) -> float:
        widths = self.tebal if tebal else self.biasa
        fallback = widths.get("n", 0.55)
        return sum(widths.get(ch, fallback) for ch in text) * pt * PT_MM


def huruf(regular: Path, bold: Path) -> Huruf | None:
    """The widths of a font pair (read once per process, again when a file changes); None for a file
    that cannot be read (a damaged file is a peringatan of the glyph check, and the build's error)."""
    try:
        stamps = tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in (regular, bold))
    except OSError:
        return None
    return _huruf(regular, bold, stamps)


@lru_cache(maxsize=8)
def _huruf(regular: Path, bold: Path, stamps: tuple) -> Huruf | None:
    try:
        return Huruf(_advances(regular), _advances(bold))
    except Exception:  # noqa: BLE001 — fontTools raises many kinds for a damaged file
        return None


def _advances(path: Path) -> dict[str, float]:
    font = TTFont(str(path), lazy=True)
    upm = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {chr(code): metrics[name][0] / upm for code, name in font.getBestCmap().items() if name in metrics}


def kata(text: str) -> list[str]:
    """The pieces a line may break between: words, and the parts of a word after a slash or hyphen."""
    return [part for word in text.split() for part in _POTONG.split(word) if part]


@dataclass
class Isi:
    """One cell's text as measured: its pieces' widths in mm at 1 pt, the space's, whether it wraps."""

    potongan: list[float]
    spasi: float
    bungkus: bool = True  # False: the cell never wraps (white-space: nowrap)

    def lebar_utuh(self) -> float:
        """The cell's text on one line (1 pt)."""
        return sum(self.potongan) + self.spasi * max(0, len(self.potongan) - 1)

    def baris(self, lebar: float) -> int:
        """How many lines the text takes in `lebar` (in mm at 1 pt, i.e. width / pt): greedy, as a
        browser fills a line; a piece wider than the line takes as many lines as it needs."""
        if not self.potongan:
            return 0
        if not self.bungkus:
            return 1
        lines, used = 1, 0.0
        for width in self.potongan:
            need = width if used == 0 else used + self.spasi + width
            if need <= lebar:
                used = need
                continue
            if used:
                lines += 1
            if width > lebar:
                extra = int(width // lebar)
                lines += extra
                used = width - extra * lebar
            else:
                used = width
        return lines


def ukur_isi(font: Huruf, text: str, tebal: bool, bungkus: bool = True) -> Isi:
    pieces = kata(text)
    return Isi([font.mm(p, 1, tebal) for p in pieces], font.mm(" ", 1, tebal), bungkus)


def lebar_kepala(font: Huruf, text: str) -> float:
    """The widest word of a header cell (bold, never hyphenated), mm at 1 pt."""
    return max((font.mm(p, 1, True) for p in kata(text)), default=0.0)


# --- a table's columns --------------------------------------------------------------------------

TEBAL = {"total", "program", "kegiatan", "kelompok"}  # rows set in bold (gaya.css.j2)


@dataclass
class _Sel:
    """A cell on the grid: its first column, how many it spans, its row and rows, its text measured
    (and what its line loses to an indent, in mm)."""

    kolom: int
    span: int
    baris: int
    rowspan: int
    isi: Isi
    inden: float = 0.0


def grid(rows) -> list[tuple[int, int, object]]:
    """(row, first column, cell) of each cell drawn, rowspans of the rows above taken into account."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for sel in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, sel))
            taken.update((r + dr, c + dc) for dr in range(sel.rowspan) for dc in range(sel.colspan))
            c += sel.colspan
    return placed


class TataKolom:
    """A table's columns measured once (at 1 pt): what each needs, and the heights its rows take at
    any widths and size."""

    def __init__(self, view, font: Huruf):
        self.pad = PADDING_PT.get(view.ukuran, PADDING_PT[""])  # pt
        self.pad_v = PADDING_TEGAK_PT.get(view.ukuran, PADDING_TEGAK_PT[""])
        self.leading = TINGGI_BARIS.get(view.ukuran, TINGGI_BARIS[""])
        self.width = sum(s.colspan for s in view.kepala[0]) if view.kepala else len(view.lebar)
        self.minimum = [0.0] * self.width  # mm at 1 pt, padding aside
        self.inden = [0.0] * self.width  # mm: the widest indent of a cell of the column
        self.wraps = [False] * self.width
        for _, c, sel in grid(view.kepala):
            if sel.colspan == 1:
                self.minimum[c] = max(self.minimum[c], lebar_kepala(font, sel.tampil))
        self.kepala = [
            _Sel(c, sel.colspan, r, sel.rowspan, ukur_isi(font, sel.tampil, True))
            for r, c, sel in grid(view.kepala)
        ]
        self.cells: list[_Sel] = []
        for r, row in enumerate(view.baris):
            bold = row.kelas in TEBAL
            c = 0
            for sel in row.sel:
                if not sel.tertutup:
                    classes = sel.kelas.split()
                    nowrap = "rp" in classes
                    bold_here = bold and not {"lintas", "unit"} <= set(classes)  # gaya.css.j2
                    isi = ukur_isi(font, sel.tampil, bold_here, not nowrap)
                    inden = max((INDEN_PT.get((row.kelas, k), 0) for k in classes), default=0) * PT_MM
                    self.cells.append(_Sel(c, sel.colspan, r, sel.rowspan, isi, inden))
                    if sel.colspan == 1:
                        # every word whole on a line: the DOCX is not hyphenated, and the PDF breaks
                        # no acronym, number or header word
                        widest = isi.lebar_utuh() if nowrap else max(isi.potongan, default=0.0)
                        self.minimum[c] = max(self.minimum[c], widest)
                        self.inden[c] = max(self.inden[c], inden)
                        self.wraps[c] = self.wraps[c] or (not nowrap and len(isi.potongan) > 1)
                c += sel.colspan
        self.rows = len(view.baris)
        self.memo: dict = {}  # lines by (cell, width at 1 pt): the same at any size

    def kebutuhan(self, pt: float) -> list[float]:
        """The narrowest each column may be at `pt`, in mm with its padding."""
        return [m * pt * AMAN + self.pad * PT_MM + i for m, i in zip(self.minimum, self.inden)]

    def tinggi(self, lebar: list[float], pt: float) -> list[float]:
        """Each body row's height in mm."""
        model = _Tinggi(self.cells, self.rows, pt, self, self.memo)
        needs = [model.need(i, lebar) for i in range(len(self.cells))]
        return model.heights(needs, [top[0] for top in model.base(needs)])

    def tinggi_kepala(self, lebar: list[float], pt: float) -> list[float]:
        """Each header row's height in mm (the header is repeated on every page)."""
        rows = max((c.baris + c.rowspan for c in self.kepala), default=0)
        model = _Tinggi(self.kepala, rows, pt, self, {})
        needs = [model.need(i, lebar) for i in range(len(self.kepala))]
        return model.heights(needs, [top[0] for top in model.base(needs)])

    def bagi(self, pt: float, garis: float, langkah: float = 1.0) -> list[float] | None:
        """Widths (mm) for the columns on a line `garis` mm long: each column at least what it needs,
        the rest given, a step at a time, to the column where it saves the most height. None when the
        columns' needs alone are longer than the line (a smaller type is needed)."""
        lebar = self.kebutuhan(pt)
        rest = garis - sum(lebar)
        if rest < 0:
            return None
        flexible = [c for c, w in enumerate(self.wraps) if w]
        if not flexible:
            return [w + rest / len(lebar) for w in lebar]
        model = _Tinggi(self.cells, self.rows, pt, self, self.memo)
        needs = [model.need(i, lebar) for i in range(len(self.cells))]
        tops = model.base(needs)
        current = sum(model.heights(needs, [top[0] for top in tops]))
        while rest >= langkah:
            best = None
            for c in flexible:
                lebar[c] += langkah
                trial = list(needs)
                changed = model.by_column.get(c, ())
                for i in changed:
                    trial[i] = model.need(i, lebar)
                lebar[c] -= langkah
                total = sum(model.heights(trial, model.widened(trial, tops, changed)))
                if total < current - 1e-9 and (best is None or total < best[1]):
                    best = (c, total, trial)
            if best is None:
                break
            c, current, needs = best
            tops = model.base(needs)
            lebar[c] += langkah
            rest -= langkah
        # what no column can use any more goes to the text columns alike
        return [w + (rest / len(flexible) if c in flexible else 0) for c, w in enumerate(lebar)]


class _Tinggi:
    """Rows' heights for given column widths, worked out again for one column at a time as the
    widths are shared out: a row is as tall as its tallest cell; the rows under a merged cell grow
    (the last of them) when they do not hold its lines."""

    def __init__(self, cells: list[_Sel], rows: int, pt: float, kolom: TataKolom, memo: dict):
        self.cells = cells
        self.pt = pt
        self.pad = kolom.pad * PT_MM
        self.pad_v = kolom.pad_v * PT_MM
        self.line = pt * kolom.leading * PT_MM
        self.by_column: dict[int, list[int]] = {}
        self.in_row: list[list[int]] = [[] for _ in range(rows)]
        self.spans: list[int] = []
        for index, cell in enumerate(cells):
            for c in range(cell.kolom, cell.kolom + cell.span):
                self.by_column.setdefault(c, []).append(index)
            (self.in_row[cell.baris] if cell.rowspan == 1 else self.spans).append(index)
        self.memo = memo

    def need(self, index: int, lebar: list[float]) -> float:
        """The cell's height in mm at the widths `lebar`."""
        cell = self.cells[index]
        outer = lebar[cell.kolom] if cell.span == 1 else sum(lebar[cell.kolom : cell.kolom + cell.span])
        inner = max(outer - self.pad - cell.inden, 0.1) / self.pt
        key = (id(cell), round(inner * 8))
        lines = self.memo.get(key)
        if lines is None:
            lines = self.memo[key] = cell.isi.baris(inner)
        return lines * self.line + self.pad_v if lines else 0.0

    def base(self, needs: list[float]) -> list[tuple[float, int, float]]:
        """Per row: its tallest cell of its own (merged cells aside), which cell that is, the next."""
        tops = []
        for cells in self.in_row:
            first, which, second = 0.0, -1, 0.0
            for i in cells:
                if needs[i] > first:
                    first, which, second = needs[i], i, first
                elif needs[i] > second:
                    second = needs[i]
            tops.append((first, which, second))
        return tops

    def widened(self, needs: list[float], tops, changed) -> list[float]:
        """The rows' own heights after the cells `changed` took their new `needs`."""
        heights = [top[0] for top in tops]
        seen: set[int] = set()
        for i in changed:
            cell = self.cells[i]
            if cell.rowspan != 1:
                continue
            r = cell.baris
            if r in seen:  # a second changed cell in the row (one spanning columns): measure it all
                heights[r] = max(needs[j] for j in self.in_row[r])
                continue
            seen.add(r)
            first, which, second = tops[r]
            heights[r] = max(second if which == i else first, needs[i])
        return heights

    def heights(self, needs: list[float], own: list[float]) -> list[float]:
        heights = list(own)
        for index in self.spans:
            cell = self.cells[index]
            first, count = cell.baris, cell.rowspan
            short = needs[index] - sum(heights[first : first + count])
            if short > 0:
                heights[first + count - 1] += short
        return heights


# --- a table's type and widths on its page ----------------------------------------------------------

LANGKAH_PT = 0.5  # Word sets type in half points: the sizes tried are those, the same in PDF and DOCX
HURUF_TERKECIL_PT = 5.5  # below this a T-C table is no longer read comfortably in print
BARIS_SEHALAMAN = 8  # the rows a reviewer expects on a page of a long landscape table


@dataclass
class Ukuran:
    """A table as laid out: its columns' widths (mm), its type size (pt), its header rows' heights."""

    lebar: list[float]
    pt: float
    kepala: list[float]


def atur(view, font: Huruf, garis: float, tinggi_isi: float, pt: float, padat: bool) -> Ukuran:
    """The widths (mm) and type size (pt) of a table on a line `garis` mm long, at most `pt`.

    Every table: its columns at least what they need (header words, amounts, codes, acronyms), at the
    largest size at which those fit the line. A `padat` table (the T-C.27: many long rows) also gets
    its widths from its text, shared where they save the most height, and the largest size at which
    its pages hold at least BARIS_SEHALAMAN rows each (most pages; a short table, all its rows), down to
    HURUF_TERKECIL_PT; a table whose columns do not fit even there gets the size at which they do."""
    kolom = TataKolom(view, font)
    sizes = []
    size = pt
    while size >= HURUF_TERKECIL_PT - 1e-9:
        sizes.append(round(size, 2))
        size -= LANGKAH_PT
    fitting = [s for s in sizes if sum(kolom.kebutuhan(s)) <= garis]
    if not fitting:
        # the size at which the columns' needs fill the line exactly (they grow in proportion to it)
        fixed = kolom.pad * PT_MM * kolom.width + sum(kolom.inden)
        size = max(0.1, (garis - fixed) / max(sum(kolom.minimum) * AMAN, 1e-9))
        fitting = [math.floor(size * 100) / 100]
    if not padat:
        size = fitting[0]
        lebar = _sesuaikan(view.lebar, kolom.kebutuhan(size), garis)
        return Ukuran(lebar, size, kolom.tinggi_kepala(lebar, size))
    for size in fitting:
        lebar = kolom.bagi(size, garis)
        if lebar is not None and _cukup(kolom, lebar, size, tinggi_isi):
            return Ukuran(lebar, size, kolom.tinggi_kepala(lebar, size))
    size = fitting[-1]
    lebar = kolom.bagi(size, garis) or kolom.kebutuhan(size)
    return Ukuran(lebar, size, kolom.tinggi_kepala(lebar, size))


def baris_per_halaman(kolom: TataKolom, lebar: list[float], pt: float, tinggi_isi: float) -> list[int]:
    """How many body rows each page would hold (estimated: the header repeated on every page)."""
    room = tinggi_isi - sum(kolom.tinggi_kepala(lebar, pt))
    pages, used = [0], 0.0
    for height in kolom.tinggi(lebar, pt):
        if used + height > room and pages[-1]:
            pages.append(0)
            used = 0.0
        used += height
        pages[-1] += 1
    return pages


def _cukup(kolom: TataKolom, lebar: list[float], pt: float, tinggi_isi: float) -> bool:
    pages = baris_per_halaman(kolom, lebar, pt, tinggi_isi)
    full = sorted(pages[:-1])
    return len(pages) == 1 or full[len(full) // 2] >= BARIS_SEHALAMAN


def _sesuaikan(hints: list[float], minimum: list[float], garis: float) -> list[float]:
    """The view's own proportions on the line, each column raised to what it needs, what that takes
    given back by the columns that have more than they need, in proportion to their surplus."""
    if len(hints) != len(minimum) or not sum(hints):
        hints = [1.0] * len(minimum)
    lebar = [garis * h / sum(hints) for h in hints]
    for _ in range(len(lebar)):
        short = sum(max(0.0, m - w) for w, m in zip(lebar, minimum))
        if short <= 1e-9:
            break
        surplus = [max(0.0, w - m) for w, m in zip(lebar, minimum)]
        spare = sum(surplus)
        if spare <= 1e-9:
            return minimum
        take = min(1.0, short / spare)
        lebar = [max(w, m) if w < m else w - s * take for w, m, s in zip(lebar, minimum, surplus)]
    return lebar
