"""Resolve: the loaded Source → the Renstra, the document as it will be printed, computed once.

What it holds: the period; the chapters with their {{ … }} expanded, headings numbered and (on first
use) their HTML fragments; the table and figure numbers; the narrative facts; every table as printed
(views whose rows carry their keys and cells their column ids). check, the renderers, koreksi and
diff read this value — none of them opens a data file, numbers, or formats a figure again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from renstra.document import edisi, lampiran
from renstra.document.chapters import Arahan, Chapter, expand_chapters, unbreakable
from renstra.document.facts import narrative_facts
from renstra.document.identity import Identitas, berkas_lambang, identitas
from renstra.document.markdown import anchor_images, start_markdown_to_html
from renstra.document.views import RujukanPutus, Tampilan, view
from renstra.problems import Problem
from renstra.source.load import Source
from renstra.source.models import Dokumen, Errata, Koreksi
from renstra.source.period import Periode

DIHAPUS = edisi.DIHAPUS


@dataclass
class Memo:
    """What a warm process (the live preview) keeps from one build to the next. `pandoc`, `yaml` and
    `chapters` are always valid: keyed by the very text they were made from. `views` and `tables` hold
    what the data and templates make; whoever keeps a Memo takes a `fresh()` one when data/ or
    templates/ change — a new object, so that a build still running on the old one cannot write into
    the new."""

    pandoc: dict[str, str] = field(default_factory=dict)  # expanded chapter Markdown → pandoc's HTML
    yaml: dict = field(default_factory=dict)  # (path, text) → parsed data file (see read_yaml)
    chapters: dict = field(default_factory=dict)  # (path, text) → a chapter's Jinja tree and template
    views: dict[tuple[str, str, str], Tampilan] = field(default_factory=dict)  # (id, label, edition) → view
    tables: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (kind, id, label) → HTML

    def fresh(self) -> Memo:
        """A memo for changed data or templates: only what is keyed by its own text carries over."""
        return Memo(
            pandoc=self.pandoc if len(self.pandoc) < 512 else {},
            yaml=self.yaml if len(self.yaml) < 512 else {},
            chapters=self.chapters,
        )


@dataclass
class Renstra:
    """The document as printed."""

    source: Source  # the validated models, with the place of every value in its file
    periode: Periode
    chapters: list[Chapter]
    labels: dict[str, str]  # table/figure id → "Tabel 2.1", "Gambar 1.1"
    facts: dict  # what {{ jumlah.program }} and the like print
    arahan: list[Arahan]  # every tabel()/gambar()/ref() where it stands
    problems: list[Problem]  # found while resolving (chapters that cannot be expanded, numbering)
    identitas: Identitas  # cover, header, metadata and file names as printed
    cetakan: str = edisi.PERBAIKAN  # the edition: the data as corrected, or the text as signed
    _views: dict[str, Tampilan] = field(default_factory=dict, repr=False)
    _fragments: list[str] | None = field(default=None, repr=False)
    _pandoc: Callable[[], dict[str, str]] | None = field(default=None, repr=False)  # start_fragments
    memo: Memo | None = field(default=None, repr=False)  # kept between builds by a warm process

    @property
    def dokumen(self) -> Dokumen:
        return self.source.dokumen

    @property
    def errata(self) -> Errata:
        return self.source.errata

    @property
    def table_ids(self) -> list[str]:
        """Every table: those placed in the chapters in document order, then the rest."""
        placed = [t for c in self.chapters for t in c.tabel if t in self.source.tabel]
        return placed + [t for t in self.source.tabel if t not in placed]

    def ids_of(self, kind: type) -> list[str]:
        """The ids of the tables of one kind (model class), in file order."""
        return [table_id for table_id, table in self.source.tabel.items() if isinstance(table, kind)]

    def view(self, table_id: str) -> Tampilan:
        """The table as printed (built on first use: a view needs the references the checks vouch for)."""
        if table_id not in self._views:
            label = unbreakable(self.labels.get(table_id, ""))  # as printed: "Tabel 4.2" never splits
            kept = self.memo.views if self.memo else {}
            key = (table_id, label, self.cetakan)
            if key not in kept:
                table = view(self.source, self.periode, table_id, label)
                if self.cetakan == edisi.TERCETAK:
                    edisi.reverse_view(table, self.koreksi_of(table_id))
                kept[key] = table
            self._views[table_id] = kept[key]
        return self._views[table_id]

    def koreksi_of(self, key: str) -> list[Koreksi]:
        """The errata entries of kind koreksi of one table or chapter file, in file order."""
        return [e for e in self.errata.koreksi if e.tabel == key and e.jenis == "koreksi"]

    def views(self) -> list[Tampilan]:
        """The placed tables of the data as printed, in document order (the Daftar Tabel)."""
        return [self.view(t) for c in self.chapters for t in c.tabel if t in self.source.tabel]

    def lampiran_views(self) -> list[Tampilan]:
        """The annex's tables (the Daftar Koreksi), generated: under headings, not in the Daftar Tabel."""
        return [self._views[t] for c in self.chapters if c.lampiran for t in c.tabel if t in self._views]

    def start_fragments(self) -> None:
        """pandoc started on the chapters now, in the background, while the build checks and draws the
        tables (0.15-0.2 s it no longer waits for); fragments() takes what it made."""
        if self._fragments is None and self._pandoc is None:
            kept = self.memo.pandoc if self.memo else {}
            todo = sorted({c.markdown for c in self.chapters if c.markdown not in kept})
            converted = start_markdown_to_html(todo)

            def finished() -> dict[str, str]:
                kept.update(zip(todo, converted()))
                return kept

            self._pandoc = finished

    def fragments(self) -> list[str]:
        """Each chapter's HTML (pandoc), with %%SLOT%% paragraphs where tables and figures go."""
        if self._fragments is None:
            self.start_fragments()
            kept = self._pandoc()
            content = self.source.root / "content"
            self._fragments = [anchor_images(kept[c.markdown], content) for c in self.chapters]
        return self._fragments

    def sebut(self, key: str) -> str:
        """How a reader names a table or chapter: 'Tabel 6.1 Rencana …', 'BAB III PERMASALAHAN …'."""
        if key in self.source.tabel:
            return f"{self.labels.get(key, key)} {self.source.tabel[key].judul}"
        for chapter in self.chapters:
            if chapter.bab.path == key:
                title = next((j.teks for j in chapter.judul if j.level == 1), key)
                return f"BAB {chapter.bab.nomor} {title}" if chapter.bab.nomor else title
        return key

    def printed(self, tabel: str, baris: str, kolom: str, sekarang: str | None = None) -> list[str] | None:
        """What the document prints at (table or chapter, row key, column id) — how errata are held to
        the document; None when that place cannot be looked up. Of a chapter's text, only whether its
        section prints `sekarang` can be said: [sekarang] if it does, [] if not."""
        if tabel in self.source.tabel:
            try:
                table = self.view(tabel)
            except RujukanPutus:  # its broken reference is a galat of its own; nothing to compare with
                return None
            place = edisi.tempat(table, baris, kolom)
            if place is None:
                known = any(r.kunci == baris for r in table.baris) or edisi.rows_of(table, baris)
                return [DIHAPUS] if not known and any(r.induk for r in table.baris) else None
            return place.printed or None
        group, _, name = kolom.partition(".")
        fact = self.facts.get(group) if tabel.startswith("content/") else None
        if fact is not None and name in {f.name for f in fields(fact)}:
            return [str(getattr(fact, name))]  # as {{ group.name }} prints it
        chapter = next((c for c in self.chapters if c.bab.path == tabel), None)
        judul = edisi.judul_of(chapter, baris) if chapter else None
        if judul is None or sekarang is None:
            return None
        return [sekarang] if edisi.find_in_section(chapter, judul, sekarang) else []

    @cached_property
    def lambang(self) -> Path | None:
        """The cover's lambang file when it can be printed; None: the cover is printed without it."""
        return berkas_lambang(self.source.root, self.dokumen.lambang)

    def figure_title(self, figure_id: str) -> str:
        return f"{unbreakable(self.labels[figure_id])}. {self.source.dokumen.gambar[figure_id]}"


def resolve(source: Source, cetakan: str = edisi.PERBAIKAN, memo: Memo | None = None) -> Renstra:
    """Expand, number and view the whole document once, as the edition `cetakan` prints it: the
    corrected edition (the data, with the Daftar Koreksi annex) or the text as signed (every koreksi
    of data/errata.yaml reversed). Checks read the corrected edition. `memo` lends what a warm
    process kept."""
    facts = narrative_facts(source)
    facts["lampiran"] = lampiran.fakta(source, cetakan)
    expanded = expand_chapters(source, facts, memo.chapters if memo else None)
    renstra = Renstra(
        source,
        source.periode,
        expanded.chapters,
        expanded.labels,
        facts,
        expanded.arahan,
        expanded.problems,
        identitas(source.dokumen, cetakan),
        cetakan,
        memo=memo,
    )
    if cetakan == edisi.TERCETAK:
        for chapter in renstra.chapters:
            edisi.reverse_chapter(chapter, renstra.koreksi_of(chapter.bab.path))
    else:
        lampiran.tambahkan(renstra)
    return renstra
