"""Resolve: the loaded Source → the Renstra, the document as it will be printed, computed once.

What it holds: the period; the chapters with their {{ … }} expanded, headings numbered and (on first
use) their HTML fragments; the table and figure numbers; the narrative facts; every table as printed
(views whose rows carry their keys and cells their column ids). check, the renderers, koreksi and
diff read this value — none of them opens a data file, numbers, or formats a figure again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from renstra.document.chapters import Arahan, Chapter, expand_chapters, unbreakable
from renstra.document.facts import narrative_facts
from renstra.document.identity import Identitas, berkas_lambang, identitas
from renstra.document.markdown import anchor_images, markdown_to_html
from renstra.document.views import RujukanPutus, Tampilan, view
from renstra.problems import Problem
from renstra.source.load import Source
from renstra.source.models import Dokumen, Errata
from renstra.source.period import Periode

DIHAPUS = "(dihapus)"


@dataclass
class Memo:
    """What a warm process (the live preview) keeps from one build to the next. `pandoc` and `yaml` are
    always valid: keyed by the very text they were made from. `views` and `tables` hold what the data
    and templates make; whoever keeps a Memo takes a `fresh()` one when data/ or templates/ change — a
    new object, so that a build still running on the old one cannot write into the new."""

    pandoc: dict[str, str] = field(default_factory=dict)  # expanded chapter Markdown → pandoc's HTML
    yaml: dict = field(default_factory=dict)  # (path, text) → parsed data file (see read_yaml)
    views: dict[tuple[str, str], Tampilan] = field(default_factory=dict)  # (table id, label) → view
    tables: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (kind, id, label) → HTML

    def fresh(self) -> Memo:
        """A memo for changed data or templates: only what is keyed by its own text carries over."""
        return Memo(
            pandoc=self.pandoc if len(self.pandoc) < 512 else {},
            yaml=self.yaml if len(self.yaml) < 512 else {},
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
    _views: dict[str, Tampilan] = field(default_factory=dict, repr=False)
    _fragments: list[str] | None = field(default=None, repr=False)
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
            if (table_id, label) not in kept:
                kept[(table_id, label)] = view(self.source, self.periode, table_id, label)
            self._views[table_id] = kept[(table_id, label)]
        return self._views[table_id]

    def views(self) -> list[Tampilan]:
        """The placed tables as printed, in document order."""
        return [self.view(t) for c in self.chapters for t in c.tabel if t in self.source.tabel]

    def fragments(self) -> list[str]:
        """Each chapter's HTML (pandoc), with %%SLOT%% paragraphs where tables and figures go."""
        if self._fragments is None:
            content = self.source.root / "content"
            texts = [c.markdown for c in self.chapters]
            kept = self.memo.pandoc if self.memo else {}
            todo = sorted({t for t in texts if t not in kept})
            kept.update(zip(todo, markdown_to_html(todo)))
            self._fragments = [anchor_images(kept[t], content) for t in texts]
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

    def printed(self, tabel: str, baris: str, kolom: str) -> list[str] | None:
        """What the document prints at (table or chapter, row key, column id) — how errata are held to
        the document; None when that place cannot be looked up (the entry is a note only)."""
        if tabel in self.source.tabel:
            try:
                table = self.view(tabel)
            except RujukanPutus:  # its broken reference is a galat of its own; nothing to compare with
                return None
            values = table.values(baris, kolom)
            if values is None:
                return [DIHAPUS] if any(r.induk for r in table.baris) else None  # a tree's row can be deleted
            return values or None
        group, _, name = kolom.partition(".")
        fact = self.facts.get(group) if tabel.startswith("content/") else None
        if fact is not None and name in {f.name for f in fields(fact)}:
            return [str(getattr(fact, name))]  # as {{ group.name }} prints it
        return None

    @cached_property
    def lambang(self) -> Path | None:
        """The cover's lambang file when it can be printed; None: the cover is printed without it."""
        return berkas_lambang(self.source.root, self.dokumen.lambang)

    def figure_title(self, figure_id: str) -> str:
        return f"{unbreakable(self.labels[figure_id])}. {self.source.dokumen.gambar[figure_id]}"


def resolve(source: Source, memo: Memo | None = None) -> Renstra:
    """Expand, number and view the whole document once; `memo` lends what a warm process kept."""
    facts = narrative_facts(source)
    expanded = expand_chapters(source, facts)
    return Renstra(
        source,
        source.periode,
        expanded.chapters,
        expanded.labels,
        facts,
        expanded.arahan,
        expanded.problems,
        identitas(source.dokumen),
        memo=memo,
    )
