"""Editions: the document as signed (errata reversed) and the corrected edition (the data as it is).

data/errata.yaml records every place where the data departs from the signed text. A *koreksi* changed
a value: the signed edition prints its `tercetak` where the corrected edition prints `sekarang`. A
*catatan* records an inconsistency of the signed text that both editions keep as printed.

Every entry names its place the way a reader does — table (or chapter file), row key, column id — and
this module finds that place in the resolved document: the cells of a table view, or the text of a
chapter's section. Reversing the koreksi entries there (and putting deleted rows back) gives the
signed edition; applying them forward gives the corrected one back, which a test proves for every
entry. What an entry's difference is, is computed here from its two values, never typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from renstra.document.chapters import unbreakable_labels
from renstra.document.views import Baris, Sel, Tampilan
from renstra.source.models import Koreksi

TERCETAK = "tercetak"  # the edition as signed: every koreksi reversed
PERBAIKAN = "perbaikan"  # the corrected edition: the data as it is, with the Daftar Koreksi annex
EDISI = (TERCETAK, PERBAIKAN)

DIHAPUS = "(dihapus)"  # sekarang of a row the corrected edition no longer prints
DIGABUNG = "(digabung)"  # a row the source split over a page break, printed as one
# What a koreksi's tercetak says when the signed text printed nothing there.
KOSONG = ("(kosong)", "(tidak tercetak)")
PEMISAH = " | "  # the values of several cells (a row, or a column over the years) in one entry
TANPA_PERIODE = "(tanpa periode)"  # errata's name for a TC-23/TC-24 group without periode ("-" in keys)


@dataclass
class Tempat:
    """Where an entry's value is printed: cells of a table view, or text in a chapter section."""

    cells: list[Sel]
    many: bool  # the entry names several cells at once (a column over the years, a group's numbers)

    @property
    def joiner(self) -> str:
        """How an entry writes the values of many cells: a group's row numbers '1, 2, 3', else ' | '."""
        return ", " if all(c.kolom == "no" for c in self.cells) else PEMISAH

    @property
    def printed(self) -> list[str]:
        """What the place prints: one text per candidate cell, or one joined text for many cells."""
        texts = [c.tampil for c in self.cells]
        return [self.joiner.join(texts)] if self.many else texts


def rows_of(view: Tampilan, kunci: str) -> list[Baris]:
    """The rows an entry's `baris` names: by key, or for TC-23/TC-24 'bagian / periode / nama or number'
    (the row's number in its group) and 'bagian / periode' (every row of the group)."""
    parts = [p.strip() for p in kunci.split(" / ")]
    if len(parts) not in (2, 3):
        return []
    group = " / ".join([parts[0], "-" if parts[1] == TANPA_PERIODE else parts[1]]) + " / "
    members = [r for r in view.baris if r.kunci and r.kunci.startswith(group) and r.kelas != "subkelompok"]
    if len(parts) == 2:
        return members
    name = parts[2]
    named = [r for r in members if r.kunci == group + name]
    if named:
        return named
    if name.isdigit() and 1 <= int(name) <= len(members):
        return [members[int(name) - 1]]
    return []


def tempat(view: Tampilan, baris: str, kolom: str) -> Tempat | None:
    """The cells an entry's (baris, kolom) names in `view`; None when the table has no such row or
    column. A column id names that cell, or the cells of a column over the years (pagu → pagu.<year>)."""
    keyed = [r for r in view.baris if r.kunci == baris]
    for rows in (keyed, rows_of(view, baris)):
        exact = [c for r in rows for c in r.sel if c.kolom == kolom]
        if exact:
            return Tempat(exact, many=len(rows) > 1 and kolom == "no")
        spread = [c for r in rows for c in r.sel if c.kolom and c.kolom.startswith(kolom + ".")]
        if spread:
            return Tempat(spread, many=True)
    return None


def reverse_view(view: Tampilan, entries: list[Koreksi], forward: bool = False) -> list[Koreksi]:
    """Print `tercetak` where each entry's place prints `sekarang` (forward: the other way round);
    rows the corrected edition deleted come back. Returns the entries it could not place."""
    missed = []
    inserted_after: Baris | None = None
    for entry in entries:
        old, new = (entry.tercetak, entry.sekarang) if forward else (entry.sekarang, entry.tercetak)
        if entry.sekarang == DIHAPUS:
            inserted_after = _restore_row(view, entry, inserted_after, forward)
            continue
        inserted_after = None
        place = tempat(view, entry.baris, entry.kolom)
        if place is None or not _replace(place, old, new):
            missed.append(entry)
    return missed


def _replace(place: Tempat, old: str, new: str) -> bool:
    if place.many:
        count = len(place.cells)
        olds, news = _split(old, place.joiner, count), _split(new, place.joiner, count)
        if [c.tampil for c in place.cells] != olds or len(news) != count:
            return False
        for cell, text in zip(place.cells, news):
            _set(cell, text)
        return True
    # a cell this entry reversed before comes back first (several cells may print the same value)
    cells = sorted(place.cells, key=lambda c: c.dibalik != new)
    for cell in cells:
        if cell.tampil == _blank(old):
            cell.dibalik = None if cell.dibalik == new else old
            _set(cell, new)
            return True
    return False


def _split(text: str, joiner: str, count: int) -> list[str]:
    """The values of several cells; '(kosong)' alone stands for all of them empty."""
    if text in KOSONG:
        return [""] * count
    return [_blank(t.strip()) for t in text.split(joiner.strip())]


def _blank(text: str) -> str:
    return "" if text in KOSONG else text


def _set(cell: Sel, text: str) -> None:
    cell.teks, cell.daftar = _blank(text), []


def _restore_row(view: Tampilan, entry: Koreksi, after: Baris | None, forward: bool) -> Baris | None:
    """A row the corrected edition deleted: printed again, its cells as the entry records them, right
    after the row restored before it, else after the subtree of the row with the same key, else before
    the totals. Forward, the restored row goes again."""
    if forward:
        view.baris[:] = [r for r in view.baris if not (r.kelas == "tercetak" and r.kunci == entry.baris)]
        return None
    width = sum(c.colspan for c in view.baris[0].sel) if view.baris else 1
    texts = [_blank(t.strip()) for t in entry.tercetak.split(PEMISAH.strip())]
    texts = (
        (texts + [""] * width)[:width]
        if len(texts) <= width
        else texts[: width - 1] + [" ".join(texts[width - 1 :])]
    )
    row = Baris([Sel(t) for t in texts], "tercetak", entry.baris)
    if after is not None and after in view.baris:
        index = view.baris.index(after) + 1
    else:
        same = [i for i, r in enumerate(view.baris) if r.kunci == entry.baris]
        if same:
            index = _end_of_subtree(view, same[-1])
        else:
            totals = [i for i, r in enumerate(view.baris) if r.kelas == "total"]
            index = totals[0] if totals else len(view.baris)
    view.baris.insert(index, row)
    return row


def _end_of_subtree(view: Tampilan, index: int) -> int:
    key = view.baris[index].kunci or ""
    end = index + 1
    while end < len(view.baris) and (view.baris[end].kunci or "").startswith(key + "."):
        end += 1
    return end


# --- differences ------------------------------------------------------------------------------------

_RUPIAH = re.compile(r"^\s*Rp\s?([\d.,]+)\s*$")
_SELISIH = re.compile(r"selisih\s+(-?)\s*Rp\s?([\d.,]+)", re.IGNORECASE)


def rupiah(text: str) -> int | None:
    """A Rupiah amount as printed, in either digit grouping ('Rp 1,460,790,000', 'Rp1.460.790.000');
    None when the text is not one amount."""
    match = _RUPIAH.match(text)
    if not match:
        return None
    digits = match.group(1)
    if not re.fullmatch(r"\d{1,3}([.,]\d{3})*", digits):
        return None
    return int(re.sub(r"[.,]", "", digits))


def selisih(entry: Koreksi) -> int | None:
    """sekarang − tercetak in Rupiah, when both are one amount; None otherwise."""
    before, after = rupiah(entry.tercetak), rupiah(entry.sekarang)
    if before is None or after is None:
        return None
    return after - before


def typed_differences(text: str) -> list[tuple[int, int]]:
    """Every 'selisih Rp…' an entry's reason states: (offset in the text, amount)."""
    found = []
    for match in _SELISIH.finditer(text):
        try:
            amount = int(Decimal(re.sub(r"[.,]", "", match.group(2))))
        except InvalidOperation:
            continue
        found.append((match.start(), -amount if match.group(1) else amount))
    return found


# --- the narrative ----------------------------------------------------------------------------------


def judul_of(chapter, baris: str):
    """The heading an entry's `baris` names: '2.2 Sumber Daya Perangkat Daerah', or its text alone."""
    wanted = _words(baris)
    for judul in chapter.judul:
        for text in filter(None, (judul.teks, judul.perbaikan)):
            if wanted in (_words(f"{judul.nomor} {text}"), _words(text)):
                return judul
    return None


def section(chapter, judul) -> tuple[int, int] | None:
    """(start, end) offsets in the chapter's expanded Markdown of the section under `judul`, heading
    line included, up to the next heading of its level or above."""
    starts = list(_HEADING_LINE.finditer(chapter.markdown))
    for i, match in enumerate(starts):
        if match.group(2).endswith("{#" + judul.anchor + "}"):
            end = next(
                (m.start() for m in starts[i + 1 :] if len(m.group(1)) <= judul.level), len(chapter.markdown)
            )
            return match.start(), end
    return None


def find_in_section(chapter, judul, text: str) -> re.Match | None:
    """Where `text` stands under `judul`, as a whole word or phrase (a space matches a no-break one)."""
    span = section(chapter, judul) if judul is not None else None
    if span is None or not text.strip():
        return None
    pattern = r"(?<!\w)" + r"[ \u00a0]+".join(re.escape(w) for w in text.split()) + r"(?!\w)"
    return re.compile(pattern).search(chapter.markdown, span[0], span[1])


def reverse_chapter(chapter, entries: list[Koreksi], forward: bool = False) -> list[Koreksi]:
    """Print `tercetak` where the section prints `sekarang` (forward: the other way round), headings
    and the contents lists included; returns the entries it could not place."""
    missed = []
    placed = [(entry, judul_of(chapter, entry.baris)) for entry in entries]  # before any heading changes
    for entry, judul in placed:
        old, new = (entry.tercetak, entry.sekarang) if forward else (entry.sekarang, entry.tercetak)
        match = find_in_section(chapter, judul, old)
        if match is None:
            missed.append(entry)
            continue
        if match.start() < chapter.markdown.find("\n", section(chapter, judul)[0]):
            # the heading itself: the contents list follows; the entries name it as corrected
            judul.perbaikan = None if forward else (judul.perbaikan or judul.teks)
            judul.teks = judul.teks.replace(old, new, 1)
        new = unbreakable_labels(new)  # as ref() prints a label
        chapter.markdown = chapter.markdown[: match.start()] + new + chapter.markdown[match.end() :]
    return missed


_HEADING_LINE = re.compile(r"^(#{1,3}) (.*)$", re.MULTILINE)


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).lower()
