"""Chapters: Markdown with Jinja2 expressions → numbered headings, table slots, real table numbers.

Takes the loaded Document and produces, per chapter, Markdown that pandoc can convert plus the
outline (headings, tables, figures) that the Daftar Isi and Daftar Tabel are built from.
"""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field

import jinja2

from renstra.document.facts import narrative_facts
from renstra.source.load import Bab, Document
from renstra.problems import PERINGATAN, Problem, RenstraError, galat, suggest

GAMBAR = {"hubungan-dokumen": "Hubungan Antar Dokumen RPJMD dengan Dokumen Perencanaan Lainnya"}
SLOT = "%%SLOT:{kind}:{id}%%"
_CALL = re.compile(r"""\b(tabel|gambar|ref)\(\s*(["'])([^"']*)\2\s*\)""")
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*$")
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


@dataclass(frozen=True)
class Arahan:
    """A tabel()/gambar()/ref() call in a chapter, where it stands."""

    kind: str
    id: str
    path: str
    line: int
    column: int


@dataclass
class Judul:
    """A heading: level 1 (bab), 2, 3; its generated number and anchor."""

    level: int
    nomor: str
    teks: str
    anchor: str


@dataclass
class BabSiap:
    """A chapter ready for pandoc: Markdown, and what it contains."""

    bab: Bab
    markdown: str
    judul: list[Judul] = field(default_factory=list)
    tabel: list[str] = field(default_factory=list)


@dataclass
class Penomoran:
    """Numbers assigned at build time: 'Tabel 2.1', 'Gambar 1.1'."""

    label: dict[str, str]            # id → "Tabel 2.1"
    bab_of: dict[str, int]           # id → index of the chapter it stands in


def scan_arahan(bab: list[Bab]) -> list[Arahan]:
    """Every tabel()/gambar()/ref() call with its file:line:col."""
    found = []
    for chapter in bab:
        for line_no, line in enumerate(chapter.text.splitlines(), start=1):
            for match in _CALL.finditer(line):
                found.append(Arahan(match.group(1), match.group(3), chapter.path, line_no, match.start(3) + 1))
    return found


def scan_hazards(root, bab: list[Bab]) -> list[Problem]:
    """Raw HTML (dropped or style-injecting) and images from outside the repository: galat at the spot."""
    problems = []
    for chapter in bab:
        for line_no, line in enumerate(chapter.text.splitlines(), start=1):
            for match in list(_RAW_HTML.finditer(line))[:1]:  # one report per line is enough
                problems.append(galat(chapter.path, line_no, match.start() + 1,
                                      f"HTML mentah '{match.group(0)[:40]}' tidak diizinkan di naskah",
                                      "tulis dengan Markdown: daftar '1.', tebal **…**, tabel lewat {{ tabel(\"id\") }}"))
            for match in _IMAGE.finditer(line):
                problems += _image_problem(root, chapter, line_no, match.start(1) + 1, match.group(1))
    return problems


def _image_problem(root, chapter: Bab, line: int, column: int, target: str) -> list[Problem]:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
        return [galat(chapter.path, line, column, f"gambar '{target}' diambil dari luar repositori",
                      "simpan berkas gambar di dalam repositori (mis. content/gambar/) dan rujuk jalurnya")]
    path = (root / "content" / target).resolve()
    if root.resolve() not in path.parents:
        return [galat(chapter.path, line, column, f"gambar '{target}' berada di luar repositori",
                      "simpan berkas gambar di dalam repositori (mis. content/gambar/)")]
    if not path.is_file():
        return [galat(chapter.path, line, column, f"berkas gambar '{target}' tidak ditemukan")]
    return []


def number_items(doc: Document, arahan: list[Arahan]) -> tuple[Penomoran, list[Problem]]:
    """Number tables and figures by chapter and order of placement; report unknown or doubled ids."""
    problems: list[Problem] = []
    known = set(doc.tabel) | set(GAMBAR)
    label: dict[str, str] = {}
    bab_of: dict[str, int] = {}
    chapter_number = {c.path: i for i, c in enumerate(doc.bab)}
    counters: dict[tuple[str, str], int] = {}
    placed: dict[str, Arahan] = {}
    for item in arahan:
        if item.id not in known:
            problems.append(galat(item.path, item.line, item.column,
                                  f"{item.kind}(\"{item.id}\") merujuk ke tabel/gambar yang tidak ada",
                                  suggest(item.id, sorted(known))))
            continue
        if item.kind == "ref":
            continue
        if item.id in placed:
            first = placed[item.id]
            problems.append(galat(item.path, item.line, item.column,
                                  f"{item.kind}(\"{item.id}\") sudah ditempatkan di {first.path}:{first.line}",
                                  "setiap tabel/gambar ditempatkan sekali; rujuk dengan ref()"))
            continue
        placed[item.id] = item
        word = "Tabel" if item.kind == "tabel" else "Gambar"
        index = chapter_number[item.path]
        counters[(word, item.path)] = counters.get((word, item.path), 0) + 1
        label[item.id] = f"{word} {_arabic(doc, index)}.{counters[(word, item.path)]}"
        bab_of[item.id] = index
    for table_id in sorted(set(doc.tabel) - set(placed)):
        problems.append(Problem(f"data/{table_id}.yaml", 1, 1, PERINGATAN,
                                "tabel ini tidak ditempatkan di bab mana pun",
                                f"tambahkan {{{{ tabel(\"{table_id}\") }}}} di content/"))
    return Penomoran(label, bab_of), problems


def _arabic(doc: Document, index: int) -> int:
    """Chapter number in arabic for table numbering: BAB II → 2."""
    return sum(1 for chapter in doc.bab[: index + 1] if chapter.nomor)


def prepare(doc: Document) -> tuple[list[BabSiap], Penomoran]:
    """Render every chapter's Jinja, number headings; raise RenstraError on any galat."""
    arahan = scan_arahan(doc.bab)
    penomoran, problems = number_items(doc, arahan)
    errors = [p for p in problems if p.level != PERINGATAN] + scan_hazards(doc.root, doc.bab)
    if errors:
        raise RenstraError(errors)
    env = _jinja_env()
    context = narrative_facts(doc)
    ready = []
    for index, chapter in enumerate(doc.bab):
        markdown = _render_jinja(env, chapter, context, penomoran, errors)
        ready.append(_number_headings(doc, index, chapter, markdown))
    if errors:
        raise RenstraError(errors)
    for chapter in ready:
        chapter.tabel = [a.id for a in arahan if a.path == chapter.bab.path and a.kind != "ref"]
    return ready, penomoran


def _jinja_env() -> jinja2.Environment:
    # Output is Markdown, not HTML: values are numbers and labels; a misspelled name must fail.
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)


def _render_jinja(env, chapter: Bab, context: dict, penomoran: Penomoran, errors: list[Problem]) -> str:
    def slot(kind):
        # Blank lines around the slot: it must be a paragraph of its own, whatever the author wrote.
        return lambda item_id: "\n\n" + SLOT.format(kind=kind, id=item_id) + "\n\n"

    functions = {"tabel": slot("tabel"), "gambar": slot("gambar"), "ref": lambda i: penomoran.label[i]}
    try:
        template = env.from_string(chapter.text)
        template.name = chapter.path
        return template.render(**context, **functions)
    except jinja2.TemplateSyntaxError as error:
        errors.append(galat(chapter.path, error.lineno or 1, 1, f"ekspresi {{{{ … }}}} tidak valid: {error.message}"))
    except jinja2.UndefinedError as error:
        message, hint = _undefined(error.message or "", context)
        errors.append(galat(chapter.path, _template_line(error, chapter.path), 1,
                            f"ekspresi merujuk data yang tidak ada: {message}", hint))
    return ""


def _undefined(message: str, context: dict) -> tuple[str, str]:
    """Jinja's English 'has no attribute' / 'is undefined' → which name, and the closest one that exists."""
    attribute = re.match(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'", message)
    if attribute:
        owner = next((k for k, v in context.items() if type(v).__name__ == attribute.group(1)), None)
        if owner:
            fields = [f for f in vars(context[owner])]
            return f"'{owner}.{attribute.group(2)}'", suggest(attribute.group(2), fields)
    name = re.match(r"'(\w+)' is undefined", message)
    if name:
        return f"'{name.group(1)}'", suggest(name.group(1), sorted(context))
    return message, f"nama yang tersedia: {', '.join(sorted(context))}"


def _template_line(error: Exception, path: str) -> int:
    """Jinja rewrites tracebacks so that template frames carry the template's own line numbers."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename in (path, "<template>")]
    return frames[-1].lineno if frames else 1


def _number_headings(doc: Document, index: int, chapter: Bab, markdown: str) -> BabSiap:
    """'# PENDAHULUAN' → BAB I; '## Latar Belakang' → 1.1 — numbers follow the order of the files."""
    arabic = _arabic(doc, index)
    counts = [0, 0]
    headings: list[Judul] = []
    lines = []
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if not match:
            lines.append(line)
            continue
        level, text = len(match.group(1)), match.group(2)
        if level == 1:
            nomor = f"BAB {chapter.nomor}" if chapter.nomor else ""
            anchor = f"bab-{arabic}" if chapter.nomor else f"depan-{index}"
        else:
            counts[level - 2] += 1
            if level == 2:
                counts[1] = 0
            nomor = f"{arabic}.{counts[0]}" + (f".{counts[1]}" if level == 3 else "")
            anchor = "sub-" + nomor.replace(".", "-")
        headings.append(Judul(level, nomor, text, anchor))
        number = f"[{nomor}]{{.nomor}} " if nomor else ""
        lines.append(f"{match.group(1)} {number}{text} {{#{anchor}}}")
    return BabSiap(chapter, "\n".join(lines) + "\n", headings)
