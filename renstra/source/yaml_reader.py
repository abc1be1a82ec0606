"""Read one YAML file into plain Python values plus the line:col of every key and value.

PyYAML's constructors drop positions and silently keep the last of two equal keys (a kode written
twice would lose a row), so we compose the node tree ourselves and convert it. The converter also
refuses what the data never needs and what would exhaust the machine: aliases (a 1 KB "billion
laughs" expands to gigabytes) and nesting deeper than MAX_TINGKAT.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from renstra.problems import Problem, RenstraError, galat

try:  # libyaml is several times faster; the pure-Python loader gives the same marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Pos = tuple[int, int]
# The real data nests at most 10 deep; far beyond is a runaway bracket, and the converter recurses.
MAX_TINGKAT = 64
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Teks:
    """A string value as written: where its first character stands (inside the quotes). A value written
    over several lines (| >, or wrapped) maps back to its first line only (satu_baris False)."""

    baris: int
    kolom: int
    teks: str
    satu_baris: bool


@dataclass
class YamlSource:
    """A parsed YAML file: its values and where each key and value stands (1-based line, column)."""

    path: str
    data: object
    value_pos: dict[tuple, Pos] = field(default_factory=dict)
    key_pos: dict[tuple, Pos] = field(default_factory=dict)
    teks: dict[tuple, Teks] = field(default_factory=dict)  # every string value, where it stands
    # what these values validated into, by (model class, context): a warm process that lends this parsed
    # file again (read_yaml's memo) validates it again only when the model or the period changes
    models: dict[tuple, object] = field(default_factory=dict, repr=False, compare=False)

    def where(self, loc: tuple, key: bool = False) -> Pos:
        """Position of the value (or key) at `loc`; falls back to the nearest known parent."""
        table = self.key_pos if key else self.value_pos
        while loc:
            if loc in table:
                return table[loc]
            if loc in self.value_pos:
                return self.value_pos[loc]
            loc = loc[:-1]
        return self.value_pos.get((), (1, 1))


def _pos(node) -> Pos:
    """1-based line and column where a node or token starts."""
    return _mark_pos(node.start_mark)


def _mark_pos(mark: yaml.Mark | None) -> Pos:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _scalar(node: yaml.ScalarNode):
    text = node.value
    if node.tag == _INT:
        try:
            return int(text.replace("_", ""), 0) if not re.fullmatch(r"[-+]?0[0-7]+", text) else int(text, 8)
        except ValueError:  # over Python's 4300-digit limit: left as text for the schema to refuse
            return text
    if node.tag == _FLOAT:
        # Decimal, not float: a money figure written with a decimal point must be rejected, not rounded
        return (
            Decimal(text.replace("_", ""))
            if re.fullmatch(r"[-+]?[\d_]*\.?[\d_]+([eE][-+]?\d+)?", text)
            else text
        )
    if node.tag == _BOOL:
        return text.lower() in ("true", "yes", "on")
    if node.tag == _NULL:
        return None
    if node.tag == _TIMESTAMP:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return text
    return text


_TOO_DEEP = (
    f"data bersarang terlalu dalam (lebih dari {MAX_TINGKAT} tingkat)",
    "periksa pasangan tanda kurung [ ] dan { } serta indentasi",
)


class _Converter:
    def __init__(self, source: YamlSource):
        self.source = source
        self.problems: list[Problem] = []
        self.seen: set[int] = set()  # ids of converted nodes; the tree keeps them all alive
        self.aliased = False

    def convert(self, node: yaml.Node, loc: tuple):
        self.source.value_pos[loc] = _pos(node)
        if id(node) in self.seen:
            # compose hands an alias back as the anchored node itself (even inside itself), so a
            # node met twice is an alias; it is never expanded, and read_yaml says where it stands
            self.aliased = True
            return None
        self.seen.add(id(node))
        if len(loc) > MAX_TINGKAT:
            self.problems.append(galat(self.source.path, *_pos(node), *_TOO_DEEP))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, loc + (i,)) for i, item in enumerate(node.value)]
        value = _scalar(node)
        if isinstance(value, str):
            line, col = _pos(node)
            one_line = node.style not in ("|", ">") and node.end_mark.line == node.start_mark.line
            quoted = one_line and node.style in ('"', "'")
            self.source.teks[loc] = Teks(line, col + (1 if quoted else 0), value.replace("\n", " "), one_line)
        return value

    def _mapping(self, node: yaml.MappingNode, loc: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in result:
                first_line = self.source.key_pos[loc + (key,)][0]
                line, col = _pos(key_node)
                self.problems.append(
                    galat(
                        self.source.path,
                        line,
                        col,
                        f"kunci ganda '{key}': sudah ditulis di baris {first_line}",
                        "hapus atau ganti salah satunya; YAML hanya menyimpan satu",
                    )
                )
                continue
            self.source.key_pos[loc + (key,)] = _pos(key_node)
            result[key] = self.convert(value_node, loc + (key,))
        return result


_ALIAS_HINT = "tulis nilainya langsung; anchor '&' dan alias '*' tidak dipakai di data Renstra"


def _alias_problems(path: str, text: str) -> list[Problem]:
    """One problem per alias name, at its first use: the composed tree only shows that one was used."""
    uses: dict[str, list[Pos]] = {}
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.AliasToken):
            uses.setdefault(token.value, []).append(_pos(token))
    return [
        galat(
            path,
            *places[0],
            f"alias YAML '*{name}' tidak didukung di berkas data"
            + (f"; dipakai {len(places)} kali, yang pertama di sini" if len(places) > 1 else ""),
            _ALIAS_HINT,
        )
        for name, places in uses.items()
    ]


_OPEN_QUOTE = ("tanda kutip dibuka di sini tetapi tidak ditutup", "tutup teks dengan tanda kutip yang sama")
# PyYAML's messages are English; planners get the cause and the fix in Bahasa Indonesia.
_SYNTAX_MESSAGES = [
    ("quoted scalar", *_OPEN_QUOTE),
    (
        "found another document",
        "'---' memulai dokumen YAML kedua, padahal satu berkas data hanya satu dokumen",
        "hapus baris '---' ini, atau pindahkan bagian sesudahnya ke berkas lain",
    ),
    (
        "document start",
        "ada teks sesudah penanda akhir dokumen '...'",
        "hapus baris '...'; satu berkas data hanya satu dokumen",
    ),
    ("undefined alias", "alias YAML (*nama) tidak didukung di berkas data", _ALIAS_HINT),
    (
        "duplicate anchor",
        "anchor YAML (&nama) ditulis dua kali; anchor dan alias tidak didukung di berkas data",
        _ALIAS_HINT,
    ),
    (
        "mapping values are not allowed",
        "titik dua ': ' tidak boleh ada di sini",
        "periksa indentasi, atau beri tanda kutip pada teks yang memuat ': '",
    ),
    (
        "could not find expected ':'",
        "baris ini bukan pasangan 'kunci: nilai'",
        "periksa indentasi dan titik dua",
    ),
    (
        "did not find expected key",
        "indentasi tidak sejajar dengan kunci di atasnya",
        "samakan jumlah spasi di awal baris",
    ),
    (
        "did not find expected '-' indicator",
        "indentasi daftar (-) tidak sejajar",
        "samakan jumlah spasi di awal baris",
    ),
    (
        "cannot start any token",
        "karakter ini tidak boleh mengawali nilai YAML",
        "beri tanda kutip pada teksnya",
    ),
]
_TAB = ("karakter tab dipakai untuk indentasi", "YAML hanya menerima spasi; ganti tab dengan spasi")


def _syntax_problem(path: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    said = f"{error.context or ''} {error.problem or ''}"
    line, col = _mark_pos(mark)
    if "maximum nesting depth" in said:  # libyaml's own limit (1000), far above ours
        return galat(path, line, col, *_TOO_DEEP)
    message, hint = next(
        ((m, h) for needle, m, h in _SYNTAX_MESSAGES if needle in said),
        ((error.problem or "tidak terbaca").strip(), ""),
    )
    opening = error.context_mark if "quoted scalar" in said else _runaway_quote(text, mark)
    text_lines = text.splitlines()
    if opening:  # point at the opening quote, not at the end of the file or the line it ran into
        (line, col), (message, hint) = _mark_pos(opening), _OPEN_QUOTE
    elif mark and mark.line < len(text_lines) and "\t" in text_lines[mark.line]:
        message, hint = _TAB
    return galat(path, line, col, f"sintaks YAML salah: {message}", hint)


def _runaway_quote(text: str, mark: yaml.Mark | None) -> yaml.Mark | None:
    """Start of a quoted scalar spanning lines that ends right where parsing failed, if there is one.

    A quote left open mid-file is closed by the opening quote of some later value; the parser then
    stumbles on the text after it and blames indentation there. The planner's slip is the quote."""
    if mark is None:
        return None
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            last = token
    except yaml.YAMLError:
        pass  # the scanner may fail at the same place; the tokens before it are what we need
    # a closed multi-line string followed by an error lines later is another mistake: the runaway
    # quote ends on the very line where parsing fails
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ('"', "'")
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return last.start_mark
    return None


# What the YAML reader refuses (PyYAML's NON_PRINTABLE): control characters other than tab and
# line breaks, and a few non-characters. libyaml reports a byte offset, so we find it ourselves.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _character_problem(path: str, text: str, error: yaml.reader.ReaderError) -> Problem:
    found = _NON_PRINTABLE.search(text)
    index = found.start() if found else 0
    code = ord(found.group()) if found else int(error.character or 0)
    line, col = text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    kind = "karakter kendali" if unicodedata.category(chr(code)) == "Cc" else "karakter"
    return galat(
        path,
        line,
        col,
        f"{kind} U+{code:04X} tidak boleh ada di berkas YAML",
        "hapus karakter itu; biasanya ikut tersalin dari dokumen lain",
    )


def read_yaml(path: Path, display: str, memo: dict | None = None) -> YamlSource:
    """Parse `path`; raise RenstraError with every duplicate key, or the syntax error, at file:line:col.
    `memo` ((display, text) → YamlSource) lends a warm process the files it parsed before, unchanged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenstraError([galat(display, 1, 1, "berkas tidak ditemukan")]) from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise RenstraError(
            [galat(display, line, 1, "berkas bukan teks UTF-8", "simpan ulang berkas dengan encoding UTF-8")]
        ) from None
    except OSError:  # e.g. no read permission: a problem of the input, not a crash
        raise RenstraError(
            [galat(display, 1, 1, "berkas tidak dapat dibaca", "periksa izin berkas")]
        ) from None
    text = text.removeprefix("\ufeff")  # a BOM (Notepad's UTF-8) would shift our own column counts
    if memo is not None and (display, text) in memo:
        return memo[(display, text)]
    source = YamlSource(display, None)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise RenstraError([_syntax_problem(display, text, error)]) from None
    except yaml.reader.ReaderError as error:
        raise RenstraError([_character_problem(display, text, error)]) from None
    except RecursionError:  # pragma: no cover - only the pure-Python composer recurses this deep
        raise RenstraError([galat(display, 1, 1, *_TOO_DEEP)]) from None
    if node is None:
        raise RenstraError([galat(display, 1, 1, "berkas kosong")])
    converter = _Converter(source)
    source.data = converter.convert(node, ())
    problems = converter.problems + (_alias_problems(display, text) if converter.aliased else [])
    if problems:
        raise RenstraError(problems)
    if memo is not None:
        memo[(display, text)] = source
    return source
