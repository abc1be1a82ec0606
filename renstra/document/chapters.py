"""Chapters: Markdown with a few {{ … }} expressions → expanded, numbered Markdown and its outline.

Takes the loaded Source and the narrative facts; produces, per chapter, Markdown that pandoc can
convert (tables and figures as slots), the headings the Daftar Isi is built from, and the numbers
('Tabel 2.1', 'Gambar 1.1') every later stage prints. Problems are collected, never raised.

Chapter text is content, not code. It is parsed by Jinja, then its syntax tree is held to an
allowlist: text, `tabel("id")`, `gambar("id")`, `ref("id")` with a literal id, and `name.field`
of the narrative facts. Anything else — statements, filters, arithmetic, attribute access beyond
one field — is a galat at its line, so nothing a chapter says can run code, read a file or loop.
What passes is rendered by Jinja's immutable sandbox with no globals, as a second wall.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, fields, is_dataclass

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from renstra.problems import PERINGATAN, Problem, galat, suggest
from renstra.source.load import Bab, Source

SLOT = "%%SLOT:{kind}:{id}%%"
NBSP = "\u00a0"  # between "Tabel"/"Gambar"/"BAB" and its number, so that a line never breaks there
DIRECTIVES = ("tabel", "gambar", "ref")
_CALL = re.compile(r"""\b(tabel|gambar|ref)\(\s*(["'])([^"']*)\2\s*\)""")
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*$")  # a heading as the chapters number it (check reads it too)
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
# an image's target: ![alt](target) — the alt text may itself hold brackets
_IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]+)")
_REFERENCE_IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\s*\[")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_MARKER = re.compile(r"%%[A-Z-]+(:[^%]*)?%%")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+?)\1")
_HINT = (
    'naskah hanya memakai tabel("id"), gambar("id"), ref("id") dan angka dari data, mis. {{ jumlah.program }}'
)


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
    """A heading: level 1 (bab), 2, 3; its generated number, plain text and anchor."""

    level: int
    nomor: str
    teks: str
    anchor: str
    perbaikan: str | None = None  # the corrected edition's text, where the signed edition differs


@dataclass
class Chapter:
    """A chapter ready for pandoc: expanded Markdown, and what it contains."""

    bab: Bab
    markdown: str
    judul: list[Judul] = field(default_factory=list)
    tabel: list[str] = field(default_factory=list)  # ids placed here, tables and figures, in order

    @property
    def lampiran(self) -> bool:
        """A generated annex after the last BAB (the Daftar Koreksi): the signature closes the BAB before."""
        return self.bab.nomor == LAMPIRAN


@dataclass
class Expanded:
    """What expanding every chapter gives: the chapters, the numbers, the directives, the problems."""

    chapters: list[Chapter]
    labels: dict[str, str]  # id → "Tabel 2.1"
    arahan: list[Arahan]
    problems: list[Problem]


LAMPIRAN = "LAMPIRAN"  # the number an annex is printed with, in place of 'BAB <n>'

# Counts calls, so that a test can prove a build expands its chapters once.
EXPANSIONS = {"count": 0}


def expand_chapters(source: Source, facts: dict, compiled: dict | None = None) -> Expanded:
    """Check, number and render every chapter; problems are returned, not raised. `compiled` lends a
    warm process the chapters it parsed and compiled before ((path, text) → (tree, template))."""
    EXPANSIONS["count"] += 1
    env = _sandbox()
    problems: list[Problem] = []
    arahan: list[Arahan] = []
    trees: dict[str, nodes.Template] = {}  # parsed once: checked against the allowlist, then rendered
    templates: dict[str, Template] = {}
    kept = compiled if compiled is not None else {}
    for chapter in source.bab:
        problems += _hazards(source, chapter)
        problems += _heading_structure(chapter)
        if (chapter.path, chapter.text) in kept:
            trees[chapter.path], templates[chapter.path] = kept[(chapter.path, chapter.text)]
        found, tree_problems = _directives(env, chapter, facts, trees)
        arahan += found
        problems += tree_problems
    labels, number_problems = number_items(source, arahan)
    problems += number_problems
    broken = {p.path for p in problems if p.level != PERINGATAN}
    chapters = []
    for index, chapter in enumerate(source.bab):
        if chapter.path not in broken and chapter.path not in templates:
            templates[chapter.path] = env.from_string(trees[chapter.path])
            if len(kept) > 1024:
                kept.clear()
            kept[(chapter.path, chapter.text)] = (trees[chapter.path], templates[chapter.path])
        markdown = "" if chapter.path in broken else _render(templates[chapter.path], facts, labels)
        placed = [a.id for a in arahan if a.path == chapter.path and a.kind != "ref" and a.id in labels]
        chapters.append(_number_headings(source, index, chapter, markdown, placed))
    return Expanded(chapters, labels, arahan, sorted(set(problems)))


@functools.cache
def _sandbox() -> ImmutableSandboxedEnvironment:
    # Output is Markdown, not HTML: values are numbers and labels; a misspelled name must fail.
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.globals.clear()  # no range, lipsum, cycler, joiner, namespace, dict
    return env


# --- the allowlist --------------------------------------------------------------------------------


def _directives(env, chapter: Bab, facts: dict, trees: dict) -> tuple[list[Arahan], list[Problem]]:
    """Parse the chapter into `trees`; every expression must be on the allowlist. Returns the directives."""
    try:
        tree = trees.get(chapter.path) or env.parse(chapter.text, name=chapter.path)
        trees[chapter.path] = tree
    except TemplateSyntaxError as error:
        opened = _unclosed(chapter.text)
        if opened and opened[0] <= (error.lineno or 1):  # Jinja reads on past the line and errs later
            message = "ekspresi dibuka di sini tetapi tidak ditutup (kurang '}}' atau '%}')"
            return [], [galat(chapter.path, *opened, message, _HINT)]
        message = f"ekspresi {{{{ … }}}} tidak valid: {_english(error)}"
        return [], [galat(chapter.path, error.lineno or 1, 1, message, _HINT)]
    lines = chapter.text.splitlines()
    found, problems = [], []
    used: dict[int, int] = {}  # line → how many directives of that line were taken already
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            problems.append(
                _refused(
                    chapter, lines, node, f"perintah {{% {_statement(node)} %}} tidak diizinkan di naskah"
                )
            )
            continue
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                problems += _markers(chapter, child)
                continue
            problem = _allowed(chapter, lines, child, facts)
            if problem:
                problems.append(problem)
                continue
            if isinstance(child, nodes.Call):
                found.append(_arahan(chapter, lines, child, used))
    return found, problems


def _allowed(chapter: Bab, lines: list[str], node: nodes.Node, facts: dict) -> Problem | None:
    """None if `node` is a directive with a literal id or one field of a fact; else the galat."""
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in DIRECTIVES:
        if (
            len(node.args) == 1
            and not node.kwargs
            and node.dyn_args is None
            and node.dyn_kwargs is None
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
        ):
            return None
        return _refused(
            chapter,
            lines,
            node,
            f'{node.node.name}() menerima satu id tertulis, mis. {node.node.name}("tc27")',
        )
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        name = node.node.name
        if name not in facts:
            return galat(
                chapter.path,
                node.lineno,
                1,
                f"ekspresi merujuk data yang tidak ada: '{name}'",
                suggest(name, sorted(facts)),
            )
        names = [f.name for f in fields(facts[name])] if is_dataclass(facts[name]) else []
        if node.attr not in names:
            return galat(
                chapter.path,
                node.lineno,
                1,
                f"ekspresi merujuk data yang tidak ada: '{name}.{node.attr}'",
                suggest(node.attr, names),
            )
        return None
    if isinstance(node, nodes.Name):
        if node.name in facts:
            names = ", ".join(f"{node.name}.{f.name}" for f in fields(facts[node.name]))
            return galat(
                chapter.path, node.lineno, 1, f"ekspresi '{node.name}' perlu nama angkanya", f"mis. {names}"
            )
        return galat(
            chapter.path,
            node.lineno,
            1,
            f"ekspresi merujuk data yang tidak ada: '{node.name}'",
            suggest(node.name, sorted(facts)),
        )
    return _refused(chapter, lines, node, "ekspresi ini tidak diizinkan di naskah")


def _refused(chapter: Bab, lines: list[str], node: nodes.Node, message: str) -> Problem:
    line = node.lineno or 1
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    starts = [i for i in (text.find("{{"), text.find("{%")) if i >= 0]
    column = min(starts) + 1 if starts else 1
    snippet = re.match(r"(\{[{%].*?[}%]\})", text[column - 1 :])
    shown = f": '{snippet.group(1)[:60]}'" if snippet else ""
    return galat(chapter.path, line, column, f"{message}{shown}", _HINT)


def _statement(node: nodes.Node) -> str:
    names = {
        nodes.For: "for",
        nodes.If: "if",
        nodes.Macro: "macro",
        nodes.Include: "include",
        nodes.Import: "import",
        nodes.FromImport: "from … import",
        nodes.Assign: "set",
        nodes.AssignBlock: "set",
        nodes.Extends: "extends",
        nodes.Block: "block",
        nodes.CallBlock: "call",
        nodes.FilterBlock: "filter",
        nodes.With: "with",
    }
    return next((word for kind, word in names.items() if isinstance(node, kind)), "…")


def _markers(chapter: Bab, data: nodes.TemplateData) -> list[Problem]:
    """The build's own %%…%% markers may not be typed: they would become slots and section breaks."""
    problems = []
    for offset, line in enumerate(data.data.splitlines()):
        for match in _MARKER.finditer(line):
            problems.append(
                galat(
                    chapter.path,
                    data.lineno + offset,
                    match.start() + 1,
                    f"penanda internal '{match.group(0)[:40]}' tidak boleh diketik di naskah",
                    'hapus teks %%…%% ini; tabel ditempatkan dengan {{ tabel("id") }}',
                )
            )
    return problems


def _arahan(chapter: Bab, lines: list[str], call: nodes.Call, used: dict[int, int]) -> Arahan:
    """The directive with the column where its id stands (Jinja knows only the line)."""
    kind, item_id, line = call.node.name, call.args[0].value, call.lineno
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    matches = [m for m in _CALL.finditer(text) if m.group(1) == kind and m.group(3) == item_id]
    taken = used.get(line, 0)
    used[line] = taken + 1
    column = matches[min(taken, len(matches) - 1)].start(3) + 1 if matches else 1
    return Arahan(kind, item_id, chapter.path, line, column)


def _unclosed(text: str) -> tuple[int, int] | None:
    """Where an expression opens and is not closed on its line (Jinja reports a later place)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            start = line.rfind(opening)
            if start >= 0 and closing not in line[start:]:
                return number, start + 1
    return None


def _english(error: TemplateSyntaxError) -> str:
    """Jinja's syntax messages, in the few shapes an editor meets, in Bahasa Indonesia."""
    message = error.message or ""
    known = [
        ("unexpected end of template", "ekspresi tidak ditutup (kurang '}}' atau '%}')"),
        ("unexpected '}'", "kurung kurawal '}' berlebih"),
        ("expected token", "ekspresi tidak lengkap"),
        ("unexpected char", "karakter tidak terduga di dalam {{ … }}"),
        ("Encountered unknown tag", "perintah {% … %} tidak dikenal"),
        ("unexpected", "ekspresi tidak lengkap atau salah tulis"),
    ]
    return next((indonesian for needle, indonesian in known if needle in message), "ekspresi salah tulis")


# --- what the text may not hold -------------------------------------------------------------------


def _hazards(source: Source, chapter: Bab) -> list[Problem]:
    """Raw HTML (dropped or style-injecting), images from outside content/, reference-style images."""
    problems = []
    for line_no, line in enumerate(chapter.text.splitlines(), start=1):
        for match in list(_RAW_HTML.finditer(line))[:1]:  # one report per line is enough
            problems.append(
                galat(
                    chapter.path,
                    line_no,
                    match.start() + 1,
                    f"HTML mentah '{match.group(0)[:40]}' tidak diizinkan di naskah",
                    "tulis dengan Markdown: daftar '1.', tebal **…**, tabel lewat {{ tabel(\"id\") }}",
                )
            )
        for match in _IMAGE.finditer(line):
            problems += _image_problem(source, chapter, line_no, match.start(1) + 1, match.group(1))
        for match in _REFERENCE_IMAGE.finditer(line):
            problems.append(
                galat(
                    chapter.path,
                    line_no,
                    match.start() + 1,
                    "gambar bergaya rujukan ![…][…] tidak diizinkan",
                    "tulis gambar langsung dengan jalurnya: ![keterangan](gambar/berkas.png)",
                )
            )
        if _LINK_DEFINITION.match(line):
            problems.append(
                galat(
                    chapter.path,
                    line_no,
                    1,
                    "definisi rujukan '[…]: …' tidak diizinkan di naskah",
                    "tulis tautan atau gambar langsung dengan jalurnya",
                )
            )
    return problems


def _image_problem(source: Source, chapter: Bab, line: int, column: int, target: str) -> list[Problem]:
    """Images are files under content/, named relative to content/ — as the PDF and DOCX resolve them."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return [
            galat(
                chapter.path,
                line,
                column,
                f"gambar '{target}' diambil dari luar repositori",
                "simpan berkas gambar di dalam repositori (mis. content/gambar/) dan rujuk jalurnya",
            )
        ]
    content = (source.root / "content").resolve()
    path = (content / target).resolve()
    if content not in path.parents:
        where = "repositori" if source.root.resolve() not in path.parents else "folder content/"
        return [
            galat(
                chapter.path,
                line,
                column,
                f"gambar '{target}' berada di luar {where}",
                "simpan berkas gambar di dalam repositori (mis. content/gambar/)",
            )
        ]
    if not path.is_file():
        return [galat(chapter.path, line, column, f"berkas gambar '{target}' tidak ditemukan")]
    return []


def _heading_structure(chapter: Bab) -> list[Problem]:
    """One '#' per chapter, first; '###' only under a '##' — numbers like 8.0.1 or twin anchors otherwise."""
    problems, seen_bab, seen_section = [], False, False
    for line_no, line in enumerate(chapter.text.splitlines(), start=1):
        match = HEADING.match(line)
        if not match:
            continue
        level = len(match.group(1))
        if level == 1 and seen_bab:
            problems.append(
                galat(
                    chapter.path,
                    line_no,
                    1,
                    f"judul bab kedua '{line[:50]}' dalam satu berkas",
                    "satu berkas satu bab: jadikan subbab '## …' atau pindahkan ke berkas baru",
                )
            )
        elif level == 3 and not seen_section:
            problems.append(
                galat(
                    chapter.path,
                    line_no,
                    1,
                    f"sub-subbab '{line[:50]}' tanpa subbab '## …' di atasnya",
                    "tambahkan subbab '## …' sebelumnya, atau jadikan '## …'",
                )
            )
        seen_bab |= level == 1
        seen_section |= level == 2
    return problems


# --- numbers ----------------------------------------------------------------------------------------


def number_items(source: Source, arahan: list[Arahan]) -> tuple[dict[str, str], list[Problem]]:
    """Number tables and figures by chapter and order of placement; report unknown, doubled, unplaced."""
    problems: list[Problem] = []
    known = set(source.tabel) | set(source.dokumen.gambar)
    labels: dict[str, str] = {}
    chapter_number = {c.path: i for i, c in enumerate(source.bab)}
    counters: dict[tuple[str, str], int] = {}
    placed: dict[str, Arahan] = {}
    for item in arahan:
        if item.id not in known:
            problems.append(
                galat(
                    item.path,
                    item.line,
                    item.column,
                    f'{item.kind}("{item.id}") merujuk ke tabel/gambar yang tidak ada',
                    suggest(item.id, sorted(known)),
                )
            )
        elif item.kind != "ref" and item.id in placed:
            first = placed[item.id]
            problems.append(
                galat(
                    item.path,
                    item.line,
                    item.column,
                    f'{item.kind}("{item.id}") sudah ditempatkan di {first.path}:{first.line}',
                    "setiap tabel/gambar ditempatkan sekali; rujuk dengan ref()",
                )
            )
        elif item.kind != "ref":
            placed[item.id] = item
            word = "Tabel" if item.kind == "tabel" else "Gambar"
            counters[(word, item.path)] = counters.get((word, item.path), 0) + 1
            labels[item.id] = (
                f"{word} {_arabic(source, chapter_number[item.path])}.{counters[(word, item.path)]}"
            )
    for item in arahan:
        if item.kind == "ref" and item.id in known and item.id not in placed:
            problems.append(
                galat(
                    item.path,
                    item.line,
                    item.column,
                    f'ref("{item.id}") merujuk ke tabel yang tidak ditempatkan di bab mana pun',
                    f'tempatkan tabelnya dengan {{{{ tabel("{item.id}") }}}}',
                )
            )
    for table_id in sorted(set(source.tabel) - set(placed)):
        problems.append(
            Problem(
                source.path_of(table_id),
                1,
                1,
                PERINGATAN,
                "tabel ini tidak ditempatkan di bab mana pun",
                f'tambahkan {{{{ tabel("{table_id}") }}}} di content/',
            )
        )
    return labels, problems


def unbreakable(label: str) -> str:
    """A label as printed: 'Tabel 4.2', 'BAB IV' with a non-breaking space, so that the word and its
    number never land on two lines. The labels themselves (messages, errata) keep a plain space."""
    return label.replace(" ", NBSP)


_LABEL_IN_TEXT = re.compile(r"\b(?:Tabel|Gambar|BAB) (?=[\dIVX])", re.IGNORECASE)


def unbreakable_labels(text: str) -> str:
    """Every 'Tabel 7.2', 'tabel 2.6', 'BAB IV' written inside a text, as ref() prints a label."""
    return _LABEL_IN_TEXT.sub(lambda m: unbreakable(m.group(0)), text)


def _arabic(source: Source, index: int) -> int:
    """Chapter number in arabic for table numbering: BAB II → 2."""
    return sum(1 for chapter in source.bab[: index + 1] if chapter.nomor)


# --- rendering ------------------------------------------------------------------------------------


def _render(template: Template, facts: dict, labels: dict[str, str]) -> str:
    def slot(kind):
        # Blank lines around the slot: it must be a paragraph of its own, whatever the author wrote.
        return lambda item_id: "\n\n" + SLOT.format(kind=kind, id=item_id) + "\n\n"

    functions = {
        "tabel": slot("tabel"),
        "gambar": slot("gambar"),
        "ref": lambda item_id: unbreakable(labels[item_id]),
    }
    return template.render(**facts, **functions)


def _number_headings(source: Source, index: int, chapter: Bab, markdown: str, placed: list[str]) -> Chapter:
    """'# PENDAHULUAN' → BAB I; '## Latar Belakang' → 1.1 — numbers follow the order of the files."""
    arabic = _arabic(source, index)
    counts = [0, 0]
    headings: list[Judul] = []
    lines = []
    for line in markdown.splitlines():
        match = HEADING.match(line)
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
        headings.append(Judul(level, nomor, _EMPHASIS.sub(r"\2", text), anchor))
        number = f"[{unbreakable(nomor)}]{{.nomor}} " if nomor else ""
        lines.append(f"{match.group(1)} {number}{text} {{#{anchor}}}")
    return Chapter(chapter, "\n".join(lines) + "\n", headings, placed)
