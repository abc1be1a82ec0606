"""Glyphs: a character the document's fonts do not have is printed with whatever font the build machine
has, or as an empty box — an emoji, an Arabic or Javanese word, a CJK name pasted into a chapter or a value.

The cmap (the characters a font file draws) of the four styles of the document's family is read once per
font file. The check first gathers the distinct characters of every chapter and every string value and
tests that set against the fonts; only when something is missing are the offending lines and values located.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from renstra.document.resolve import Renstra
from renstra.layout import GAYA, tata_letak
from renstra.problems import PERINGATAN, Problem, RenstraError

# What is not printed as the author wrote it: Jinja expressions, statements and comments (their output
# is data, checked where it is written) and HTML comments. Blanked, so that columns stay where they are.
_NOT_PRINTED = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<!--.*?-->", re.DOTALL)
_STYLE_NAMES = {"bold": "tebal", "italic": "miring", "bolditalic": "tebal miring"}
HINT = (
    "hapus atau ganti dengan karakter yang ada di huruf dokumen; kalau tidak, hasil cetaknya bergantung "
    "pada huruf yang terpasang di komputer yang membangun PDF"
)


def _blank(text: str) -> str:
    return (
        _NOT_PRINTED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        if "{" in text or "<!--" in text
        else text
    )


def _ignored(char: str) -> bool:
    """Characters that draw nothing: spaces and line ends, control and format characters (soft hyphen,
    zero-width joiner, directional marks), variation selectors."""
    return (
        char.isspace()
        or unicodedata.category(char) in ("Cc", "Cf")
        or "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
        or char == "\u034f"
    )


_PARSED: dict[
    bytes, frozenset[str]
] = {}  # the styles of a family usually share one cmap table, byte for byte


@functools.lru_cache(maxsize=16)
def _cmap(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    """The characters a font file has a glyph for (cached per file and version of it)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        table = font.getTableData("cmap")
        if table not in _PARSED:
            # Only which characters map to a glyph matters, not the glyphs' names: an empty glyph order
            # makes fontTools synthesise 'glyph00042' instead of reading the post or CFF table (5-30 ms).
            font.setGlyphOrder([])
            _PARSED[table] = frozenset(map(chr, font["cmap"].getBestCmap()))
        return _PARSED[table]


def font_chars(path: Path) -> frozenset[str]:
    stat = path.stat()
    return _cmap(str(path), stat.st_mtime_ns, stat.st_size)


def _values(data) -> list[str]:
    """Every string value of a parsed YAML file (the quick first pass: no positions)."""
    found, stack = [], [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _strings(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(loc, text) of every string value of a parsed YAML file, in file order."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, loc + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, loc + (index,))


@functools.lru_cache(maxsize=4)
def _fonts(files: tuple[Path, ...]) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    styles = {style: font_chars(path) for style, path in zip(GAYA, files)}
    return styles, frozenset.intersection(*styles.values())


def check(renstra: Renstra) -> Iterator[Problem]:
    source = renstra.source
    try:
        layout = tata_letak(source.root, source.dokumen.tata_letak)
    except RenstraError as error:  # a missing font file: the galat the build would stop at
        yield from error.problems
        return
    try:
        styles, covered = _fonts(tuple(layout.fonts[style] for style in GAYA))
    except Exception as error:  # noqa: BLE001 — fontTools raises many kinds for a damaged file
        path, line, col = source.where("dokumen", ("tata_letak", "huruf"))
        yield Problem(
            path,
            line,
            col,
            PERINGATAN,
            f"berkas huruf {layout.famili} tidak terbaca ({type(error).__name__}: {error}); "
            "karakter naskah tidak dapat diperiksa",
            "kembalikan berkas huruf dari repositori (git checkout fonts/)",
        )
        return
    texts = [chapter.text for chapter in source.bab]
    texts += [text for yaml_source in source.sources.values() for text in _values(yaml_source.data)]
    if any(not _ignored(char) for char in set().union(*texts) - covered):
        yield from _offenders(renstra, layout, styles, covered)


def _offenders(
    renstra: Renstra, layout, styles: dict[str, frozenset[str]], covered: frozenset[str]
) -> Iterator[Problem]:
    """The first character of each chapter line and string value the fonts lack, where it stands."""
    source = renstra.source
    chapters = [(chapter.path, _blank(chapter.text)) for chapter in source.bab]
    values = [
        (file_id, loc, _blank(text))
        for file_id, yaml_source in source.sources.items()
        for loc, text in _strings(yaml_source.data)
    ]
    used = set().union(*(text for _, text in chapters), *(text for _, _, text in values))
    missing = {char for char in used - covered if not _ignored(char)}
    if not missing:
        return

    def problem(path: str, line: int, col: int, char: str) -> Problem:
        lacking = [style for style in GAYA if char not in styles[style]]
        name = (
            layout.famili
            if "regular" in lacking
            else f"{layout.famili} {', '.join(_STYLE_NAMES[style] for style in lacking)}"
        )
        return Problem(
            path,
            line,
            col,
            PERINGATAN,
            f"karakter '{char}' (U+{ord(char):04X}) tidak ada di huruf dokumen ({name}); "
            "akan tercetak sebagai kotak kosong atau huruf lain",
            HINT,
        )

    for path, text in chapters:
        if missing.isdisjoint(text):
            continue
        for line_no, line in enumerate(text.splitlines(), 1):
            index = _first(line, missing)
            if index is not None:
                yield problem(path, line_no, index + 1, line[index])

    located = _Locator(source)
    for file_id, loc, text in values:
        index = _first(text, missing)
        if index is not None:
            path, line, col = located.where(file_id, loc, text[index])
            yield problem(path, line, col, text[index])


def _first(text: str, missing: set[str]) -> int | None:
    if missing.isdisjoint(text):
        return None
    return next(i for i, char in enumerate(text) if char in missing)


class _Locator:
    """Where a character of a YAML string stands in its file: the value starts at its node's position and
    ends before the next key or value; the character is the first of its kind in between (if it was written
    as an escape such as \\U0001F600, the value's own position is given)."""

    def __init__(self, source):
        self.source = source
        self._files: dict[str, tuple[list[str], list[tuple[int, int]]]] = {}

    def _file(self, file_id: str):
        if file_id not in self._files:
            yaml_source = self.source.sources[file_id]
            try:
                text = (self.source.root / yaml_source.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            starts = sorted(set(yaml_source.value_pos.values()) | set(yaml_source.key_pos.values()))
            self._files[file_id] = (text.splitlines(), starts)
        return self._files[file_id]

    def where(self, file_id: str, loc: tuple, char: str) -> tuple[str, int, int]:
        path, line, col = self.source.where(file_id, loc)
        lines, starts = self._file(file_id)
        after = bisect.bisect_right(starts, (line, col))
        end = starts[after] if after < len(starts) else (len(lines) + 1, 1)
        for number in range(line, min(end[0], len(lines)) + 1):
            text = lines[number - 1]
            start = col - 1 if number == line else 0
            stop = end[1] - 1 if number == end[0] else len(text)
            index = text.find(char, start, stop)
            if index >= 0:
                return path, number, index + 1
        return path, line, col
