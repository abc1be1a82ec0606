"""Load and validate: content/ + data/ → one Source, or every problem at file:line:col.

Nothing is rendered or derived here; resolve (renstra.document) turns the Source into the document
as printed. Only regular files inside the repository are read: a chapter listed as /etc/passwd or
../../x, a link leading out, a FIFO (which would block the build) are problems at the place that names them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ValidationError

from renstra.problems import Problem, RenstraError, galat, suggest
from renstra.source.models import (
    BERKAS_TETAP,
    JENIS_TABEL,
    KELOMPOK,
    POLA,
    BarisKelompok,
    Dokumen,
    Errata,
    Model,
    RegistriSasaran,
    TabelSederhana,
)
from renstra.source.period import Periode
from renstra.source.sederhana import Temuan, declaration_problems, row_model, row_problems
from renstra.source.yaml_reader import YamlSource, read_yaml


@dataclass
class Bab:
    """One Markdown file of content/, in document order."""

    path: str  # relative to the repository, e.g. content/01-pendahuluan.md
    nomor: str | None  # Roman chapter number, None for front matter (Kata Pengantar)
    text: str


@dataclass
class Source:
    """Everything the document is made of, validated, every node with its place in its file."""

    root: Path
    periode: Periode
    dokumen: Dokumen
    sasaran: RegistriSasaran
    errata: Errata
    tabel: dict[str, Model]  # table id → validated table model
    bab: list[Bab]
    sources: dict[str, YamlSource]  # data file id → parsed YAML with positions
    warnings: list[Problem] = field(default_factory=list)
    kamus: frozenset[str] = frozenset()  # data/kamus.txt: the document's own words for the spelling check

    def path_of(self, file_id: str) -> str:
        """The file a table or registry was read from, as problems name it."""
        return self.sources[file_id].path

    def where(self, file_id: str, loc: tuple, key: bool = False) -> tuple[str, int, int]:
        """(path, line, column) of the value (or key) at `loc` inside a data file."""
        line, col = self.sources[file_id].where(loc, key=key)
        return self.sources[file_id].path, line, col


# The files that are not tables: the document's identity, the registry of tujuan/sasaran, the errata.
NOT_TABLES = tuple(BERKAS_TETAP)
# Files read by name that a document may do without: a new document has no corrections to record.
OPTIONAL: dict[str, type[Model]] = {"errata": Errata}


def load(root: Path, yaml_memo: dict | None = None) -> Source:
    """Read every data and content file under `root`; raise RenstraError listing all problems.
    `yaml_memo` keeps the parsed data files for a warm process (see read_yaml).

    data/dokumen.yaml is validated first: its period is the context the other files' years are
    checked against. The files read by name come first; every other data/*.yaml is a table whose
    `jenis` names its model, in the order of the file names. A document without data/errata.yaml has
    no corrections to list: it is optional, the others are not."""
    problems: list[Problem] = []
    models: dict[str, Model] = {}
    sources: dict[str, YamlSource] = {}
    context: dict = {}
    tables = sorted(p.stem for p in (root / "data").glob("*.yaml") if p.stem not in BERKAS_TETAP)
    for file_id in list(BERKAS_TETAP) + tables:  # dokumen comes first
        path, shown = root / "data" / f"{file_id}.yaml", f"data/{file_id}.yaml"
        if file_id in OPTIONAL and not os.path.lexists(path):
            models[file_id] = OPTIONAL[file_id]()
            continue
        refused = _refusal(root, path)
        if refused:
            problems.append(galat(shown, 1, 1, f"berkas data {refused[0]}", refused[1]))
            continue
        try:
            source = read_yaml(path, shown, yaml_memo)
        except RenstraError as error:
            problems += error.problems
            continue
        sources[file_id] = source
        model_class = BERKAS_TETAP.get(file_id) or _kind(source, problems)
        if model_class is None:
            continue
        model = validate(source, model_class, problems, context)
        if model is not None:
            models[file_id] = model
        if file_id == "dokumen" and model is not None:
            context["periode"] = _periode(model, source, problems)
    chapters = _read_chapters(root, models.get("dokumen"), sources.get("dokumen"), problems)
    kamus = read_kamus(root, problems)
    if problems:
        raise RenstraError(problems)
    return Source(
        root,
        context["periode"],
        models["dokumen"],
        models["sasaran"],
        models["errata"],
        {k: v for k, v in models.items() if k not in NOT_TABLES},
        chapters,
        sources,
        [],
        kamus,
    )


def load_dokumen(root: Path) -> tuple[Dokumen, Periode]:
    """data/dokumen.yaml alone, validated, with its period (what names the outputs and shapes the
    schema before anything else is read)."""
    problems: list[Problem] = []
    path = root / "data" / "dokumen.yaml"
    refused = _refusal(root, path)
    if refused:
        raise RenstraError([galat(_DOKUMEN, 1, 1, f"berkas data {refused[0]}", refused[1])])
    source = read_yaml(path, _DOKUMEN)
    model = validate(source, Dokumen, problems)
    periode = _periode(model, source, problems) if model is not None else None
    if problems:
        raise RenstraError(problems)
    return model, periode


def _kind(source: YamlSource, problems: list[Problem]) -> type[Model] | None:
    """The model a table file declares with `jenis:`; None (and the galat) when it names none."""
    kinds = sorted(JENIS_TABEL)
    data = source.data
    if not isinstance(data, dict) or "jenis" not in data:
        problems.append(
            galat(
                source.path,
                1,
                1,
                "berkas data tidak menyebut jenisnya (baris 'jenis: …')",
                f"tambahkan baris pertama 'jenis: …', salah satu dari {', '.join(kinds)}",
            )
        )
        return None
    kind = data["jenis"]
    if not isinstance(kind, str) or kind not in JENIS_TABEL:
        line, col = source.where(("jenis",))
        problems.append(
            galat(
                source.path,
                line,
                col,
                f"jenis tabel '{kind}' tidak dikenal",
                suggest(str(kind), kinds) or f"salah satu dari {', '.join(kinds)}",
            )
        )
        return None
    return JENIS_TABEL[kind]


def _periode(dokumen: Dokumen, source: YamlSource, problems: list[Problem]) -> Periode | None:
    def problem(field: str, message: str) -> None:
        problems.append(galat(source.path, *source.where((field,)), message))

    if dokumen.periode_akhir < dokumen.periode_awal:
        awal, akhir = dokumen.periode_awal, dokumen.periode_akhir
        problem("periode_akhir", f"periode_akhir {akhir} sebelum periode_awal {awal}")
        return None
    historis = tuple(dokumen.tahun_historis) if dokumen.tahun_historis else None
    if historis and list(historis) != sorted(set(historis)):
        problem("tahun_historis", "tahun_historis harus urut naik tanpa tahun ganda")
        return None
    if historis and historis[-1] >= dokumen.periode_awal:
        problem("tahun_historis", f"tahun_historis harus sebelum periode_awal {dokumen.periode_awal}")
        return None
    return Periode(dokumen.periode_awal, dokumen.periode_akhir, dokumen.tahun_dasar, historis)


def validate(
    source: YamlSource, model_class: type[Model], problems: list[Problem], context: dict | None = None
) -> Model | None:
    """Validate parsed YAML against its model; append one Problem per violation. A valid model is kept
    on the parsed file (frozen models: nothing downstream changes them), for a warm process to reuse."""
    key = (model_class, (context or {}).get("periode"))
    if key in source.models:
        return source.models[key]
    try:
        model = model_class.model_validate(source.data, context=context or {})
    except ValidationError as error:
        problems += [_problem(source, model_class, e) for e in error.errors()]
        return None
    if isinstance(model, TabelSederhana):
        model = _simple_rows(source, model, problems, context or {})
        if model is None:
            return None
    _set_locations(model, ())
    source.models[key] = model
    return model


def _simple_rows(
    source: YamlSource, table: TabelSederhana, problems: list[Problem], context: dict
) -> TabelSederhana | None:
    """Second pass of a simple table: its declaration must hold together, then each row is validated
    against the model its columns make, every error placed at ('baris', i, …) of the file."""
    found = declaration_problems(table)
    if found:
        problems += [_finding(source, f) for f in found]
        return None
    model = row_model(table)
    rows, valid = [], True
    for index, raw in enumerate(table.baris):
        wrong, rest = row_problems(table, index, raw)
        problems += [_finding(source, f) for f in wrong]
        valid &= not wrong
        kind = BarisKelompok if KELOMPOK in raw else model
        try:
            rows.append(kind.model_validate(rest, context=context))
        except ValidationError as error:
            problems += [_cell_problem(source, table, kind, e, ("baris", index)) for e in error.errors()]
            valid = False
    return table.model_copy(update={"baris": rows}) if valid else None


def _cell_problem(
    source: YamlSource, table: TabelSederhana, model_class: type[Model], error: dict, prefix: tuple
) -> Problem:
    """A row's error; a null in a column that allows no empty cell says how to allow it."""
    problem = _problem(source, model_class, error, prefix)
    loc = error["loc"]
    if model_class is BarisKelompok or len(loc) != 1 or error.get("input", "") is not None:
        return problem
    if loc[0] == table.kolom_kunci:
        return replace(
            problem, message=f"kolom kunci '{loc[0]}' tidak boleh kosong", hint="setiap baris perlu kuncinya"
        )
    return replace(
        problem,
        message=f"kolom '{loc[0]}' tidak boleh kosong",
        hint=f"isi nilainya, atau tulis 'kosong: \"-\"' pada kolom '{loc[0]}' bila selnya boleh kosong",
    )


def _finding(source: YamlSource, found: Temuan) -> Problem:
    line, col = source.where(found.loc, key=found.key)
    return galat(source.path, line, col, found.message, found.hint)


def _set_locations(value, loc: tuple) -> None:
    """Remember in every model node where it stands in its file, for later checks to cite."""
    if isinstance(value, BaseModel):
        value._loc = loc
        for name in type(value).model_fields:
            _set_locations(getattr(value, name), loc + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _set_locations(item, loc + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            _set_locations(item, loc + (key,))


# --- pydantic errors in Bahasa Indonesia -------------------------------------------------------


def _problem(source: YamlSource, model_class: type[Model], error: dict, prefix: tuple = ()) -> Problem:
    """One pydantic error in Bahasa Indonesia, at its place; `prefix` is where `model_class` stands in
    the file (a row of a simple table is validated on its own)."""
    inner = tuple(error["loc"])
    loc = prefix + inner
    kind = error["type"]
    if kind == "extra_forbidden":
        line, col = source.where(loc, key=True)
        return galat(
            source.path,
            line,
            col,
            f"kolom tidak dikenal '{loc[-1]}'",
            suggest(str(loc[-1]), _field_names(model_class, inner[:-1])),
        )
    if kind == "missing":
        line, col = source.where(loc[:-1])
        return galat(source.path, line, col, f"kolom wajib '{loc[-1]}' belum diisi")
    line, col = source.where(loc)
    if kind == "too_short" and _optional(model_class, loc):  # e.g. sub_kegiatan: [] where none is meant
        return galat(
            source.path,
            line,
            col,
            f"{_where_label(loc)}{_message(kind, error)}",
            f"hapus baris '{loc[-1]}' bila memang tidak ada isinya",
        )
    return galat(source.path, line, col, f"{_where_label(loc)}{_message(kind, error)}")


def _where_label(loc: tuple) -> str:
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    year = loc[-1] if loc and isinstance(loc[-1], int) and loc[-1] > 1900 else None
    label = f"{name} {year}" if year else name
    return f"{label}: " if label else ""


def _message(kind: str, error: dict) -> str:
    ctx = error.get("ctx", {})
    found = error.get("input")
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        if isinstance(found, Decimal):
            return f"harus bilangan bulat tanpa desimal (Rupiah tidak memakai sen), ditemukan {found}"
        if isinstance(found, str) and any(ch.isdigit() for ch in found):
            return (
                f"harus bilangan bulat tanpa tanda kutip dan tanpa titik ribuan, ditemukan teks '{found}'"
                f" (tulis {found.replace('.', '').replace(',', '').replace('Rp', '').strip()})"
            )
        return f"harus bilangan bulat, ditemukan {_describe(found)}"
    if kind in ("string_type",):
        if isinstance(found, bool):  # YAML 1.1 reads a bare no/yes/on/off as ya/tidak
            return (
                f"harus teks, ditemukan {_describe(found)}: YAML membaca no, yes, on, off tanpa tanda kutip "
                'sebagai ya/tidak; tulis teksnya dalam tanda kutip, mis. "no"'
            )
        return f"harus teks, ditemukan {_describe(found)}"
    if kind == "string_too_short":
        return "tidak boleh kosong"
    if kind == "string_pattern_mismatch":
        shape = POLA.get(ctx.get("pattern", ""), "")
        return f"'{found}' tidak sesuai format" + (f": {shape}" if shape else f" ({ctx.get('pattern', '')})")
    if kind in ("list_type",):
        return f"harus daftar (baris diawali '- '), ditemukan {_describe(found)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"harus pemetaan 'kunci: nilai', ditemukan {_describe(found)}"
    if kind == "too_short":
        return "daftar tidak boleh kosong"
    if kind == "greater_than":
        return f"harus lebih dari {ctx.get('gt')}, ditemukan {found}"
    if kind == "greater_than_equal":
        return f"tidak boleh negatif (minimal {ctx.get('ge')}), ditemukan {found}"
    if kind == "less_than_equal":
        return f"terlalu besar: {found} melebihi batas {ctx.get('le'):,}".replace(",", ".")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("' or '", "' atau '")  # pydantic writes English
        return f"harus salah satu dari {expected}, ditemukan {_describe(found)}"
    if kind in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        return f"harus tanggal dengan format YYYY-MM-DD, ditemukan {_describe(found)}"
    if kind == "bool_type":
        return f"harus ya/tidak (true/false), ditemukan {_describe(found)}"
    return f"nilai tidak valid ({error['msg']})"


def _describe(value) -> str:
    if value is None:
        return "nilai kosong"
    if isinstance(value, str):
        return f"teks '{value}'"
    if isinstance(value, bool):
        return f"ya/tidak ({value})"
    if isinstance(value, list):
        return "daftar"
    if isinstance(value, dict):
        return "pemetaan"
    return f"{type(value).__name__} {value}"


def _optional(model_class: type[Model], loc: tuple) -> bool:
    """Whether the field at `loc` may be left out (a list that, written, may not be empty)."""
    if not loc or not isinstance(loc[-1], str):
        return False
    current = model_class
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    info = current.model_fields.get(loc[-1]) if current else None
    return info is not None and not info.is_required()


def _field_names(model_class: type[Model], loc: tuple) -> list[str]:
    """Field names of the model that sits at `loc` inside `model_class` (for 'maksud Anda' hints)."""
    current = model_class
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return list(current.model_fields) if current else []


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


# --- files ---------------------------------------------------------------------------------------


_DOKUMEN = "data/dokumen.yaml"
_BUKAN_BERKAS_BIASA = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "FIFO (pipa bernama)"),
    (stat.S_ISSOCK, "soket"),
    (stat.S_ISCHR, "perangkat"),
    (stat.S_ISBLK, "perangkat"),
)


KAMUS = "data/kamus.txt"  # the document's own word list (names, acronyms, terms) for the spelling check


def read_kamus(root: Path, problems: list[Problem]) -> frozenset[str]:
    """data/kamus.txt, one word a line, # comments, lower case; optional (no file: no words)."""
    path = root / KAMUS
    refused = _refusal(root, path)
    if refused:
        problems.append(galat(KAMUS, 1, 1, f"daftar kata {refused[0]}", refused[1]))
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(
            galat(KAMUS, 1, 1, f"daftar kata tidak dapat dibaca: {error}", "simpan sebagai UTF-8")
        )
        return frozenset()
    return words_of(text)


def words_of(text: str) -> frozenset[str]:
    """The words of a word list: one a line, lower case; blank lines and # comments skipped."""
    return frozenset(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#")
    )


def _refusal(root: Path, path: Path) -> tuple[str, str] | None:
    """Why `path` may not be read, as (message, hint); None to read it, or to let reading say it is missing.

    Nothing is opened: os.stat follows links without blocking, where opening a FIFO waits forever."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:  # a link loop, a folder without permission
        return "tidak dapat dibaca", "periksa izin berkas dan tautannya"
    if not path.resolve().is_relative_to(root.resolve()):
        return (
            "adalah tautan (symlink) ke luar repositori",
            "salin isi berkasnya ke dalam repositori sebagai berkas biasa",
        )
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _BUKAN_BERKAS_BIASA if test(mode)), "berkas khusus")
        return f"adalah {kind}, bukan berkas biasa", "ganti dengan berkas teks biasa"
    return None


def _read_chapters(
    root: Path, dokumen: Dokumen | None, source: YamlSource | None, problems: list[Problem]
) -> list[Bab]:
    if dokumen is None:
        return []
    chapters = []
    listed = {os.path.normpath(bab.berkas) for bab in dokumen.bab}
    first_line: dict[str, int] = {}  # chapter → line of its first listing
    for index, bab in enumerate(dokumen.bab):
        line, col = source.where(("bab", index, "berkas"))
        name = os.path.normpath(bab.berkas)
        if name in first_line:
            problems.append(
                galat(
                    _DOKUMEN,
                    line,
                    col,
                    f"berkas bab 'content/{name}' terdaftar dua kali: sudah di baris {first_line[name]}",
                    "hapus salah satunya dari daftar bab",
                )
            )
            continue
        first_line[name] = line
        read = _read_chapter(root, bab.berkas, bab.nomor, (line, col), listed)
        (chapters if isinstance(read, Bab) else problems).append(read)
    for path in sorted((root / "content").glob("*")):
        # a folder holds what chapters show (content/gambar/); a loose file would be a chapter forgotten
        if path.name not in listed and not (path.is_dir() and not path.is_symlink()):
            problems.append(
                galat(
                    f"content/{path.name}",
                    1,
                    1,
                    "berkas tidak terdaftar di data/dokumen.yaml (bagian 'bab')",
                    "tambahkan ke daftar bab atau pindahkan keluar dari content/",
                )
            )
    return chapters


def _read_chapter(
    root: Path, berkas: str, nomor: str | None, where: tuple[int, int], listed: set[str]
) -> Bab | Problem:
    """One chapter's text, or the problem at its listing in data/dokumen.yaml (or in the file itself)."""
    content = Path(os.path.normpath(root / "content"))
    path = Path(os.path.normpath(content / berkas))  # an absolute berkas replaces content/ entirely
    if not path.is_relative_to(content):
        return galat(
            _DOKUMEN,
            *where,
            f"berkas bab '{berkas}' berada di luar folder content/",
            "tulis nama berkas di dalam content/, tanpa '/' di awal dan tanpa '..'",
        )
    shown = f"content/{path.relative_to(content)}"
    refused = _refusal(root, path)
    if refused:
        return galat(_DOKUMEN, *where, f"berkas bab '{shown}' {refused[0]}", refused[1])
    try:
        # a BOM (Notepad's UTF-8) before "# PENDAHULUAN" made it no heading: BAB I vanished
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except (FileNotFoundError, NotADirectoryError):
        missing = sorted(p.name for p in content.glob("*.md") if p.name not in listed)
        return galat(
            _DOKUMEN,
            *where,
            f"berkas bab '{shown}' tidak ditemukan",
            suggest(berkas, missing) if missing else "",
        )
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return galat(shown, line, 1, "berkas bukan teks UTF-8", "simpan ulang berkas dengan encoding UTF-8")
    except OSError:
        return galat(_DOKUMEN, *where, f"berkas bab '{shown}' tidak dapat dibaca", "periksa izin berkas")
    return Bab(shown, nomor, text)
