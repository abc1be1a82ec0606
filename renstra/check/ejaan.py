"""Ejaan: an Indonesian spelling check of the narrative and the text cells of every table (peringatan),
and words that contradict the document's own identity.

The dictionary is Hunspell's id_ID (LibreOffice dictionaries, LGPL-3; renstra/check/kamus/), read by
spylls, a pure-Python Hunspell: nothing to install beyond requirements.lock. Planning terms it lacks are
in kamus/istilah.txt; a document's own names and acronyms in its word list (source.kamus). The texts
are those load read, each with its place: nothing here opens a file of the document.

Each finding is at the word's file:line:col. `make ejaan` adds suggestions (edits of one letter that
the dictionary knows); `make check` reports the words alone, which keeps it fast. What a word's
spelling is does not change while the dictionary does not: the dictionary's answers are remembered per
process, and the build keeps them between runs (recall, asked; pipeline.recall_spelling, keep_spelling).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem
from renstra.source.load import KAMUS as DAFTAR_KATA
from renstra.source.load import words_of

HANYA_PERINGATAN = True  # never a galat: a build does not wait for it (make check and make ejaan run it)
KAMUS = Path(__file__).parent / "kamus" / "id_ID"
ISTILAH = Path(__file__).parent / "kamus" / "istilah.txt"  # planning terms every Renstra uses
# Data files and keys that hold no prose: ids, codes, column ids, layout, the errata's quotations
# of the signed text (misspelt on purpose) and its reasons.
BERKAS_LEWAT = {"errata"}
KUNCI_LEWAT = {
    "jenis", "id", "kode", "kolom", "format", "rata", "lebar", "ukuran", "berkas", "lambang", "nip",
    "email", "kunci", "tabel", "tujuan", "sasaran_id", "indikator_id", "rumus", "nomor", "kertas",
    "huruf", "tata_letak", "telepon", "faks", "nama_berkas", "bahasa", "dokumen_induk", "kode_tc",
    "induk", "satuan_narasi", "total", "kelompok", "gambar",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_SKIP_MD = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<[^>]*>|\]\([^)]*\)|https?://\S+|`[^`]*`|\{[#.][^}]*\}"
    r"|\S+@\S+|[\w.-]*/[\w./-]+|\b\w+\.(?:yaml|md|png|jpe?g|pdf|docx|xlsx)\b"  # e-mail, paths, files
)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")  # a slug: an id that refers to a row, not prose
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def check(renstra: Renstra, saran: bool = False) -> Iterator[Problem]:
    kata = word_list(renstra.source)
    for path, line, col, text in _texts(renstra):
        yield from _identity(renstra, path, line, col, text)
        for match in _WORD.finditer(text):
            word = match.group(0)
            if _known(word, kata):
                continue
            hint = ""
            if saran:
                found = suggestions(word, kata)
                hint = f"maksud Anda {', '.join(found)}?" if found else "tidak ada saran"
                hint += f"; bila benar, tambahkan ke {DAFTAR_KATA}"
            else:
                hint = f"saran: make ejaan; bila benar, tambahkan ke {DAFTAR_KATA}"
            yield Problem(path, line, col + match.start(), PERINGATAN, f"ejaan: '{word}' tidak dikenal", hint)


def word_list(source) -> frozenset[str]:
    """The engine's planning terms and the document's own words (data/kamus.txt, read by load)."""
    return _istilah() | source.kamus


@cache
def _istilah() -> frozenset[str]:
    return words_of(ISTILAH.read_text(encoding="utf-8"))


def unknown(text: str, kata: frozenset[str] = frozenset()) -> list[str]:
    """The words of `text` the dictionary and the lists do not know, lower case, once each."""
    kata = _istilah() | kata
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text) if not _known(w, kata)))


@cache
def _dictionary():
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(str(KAMUS))


# What the dictionary said of each word this process asked about, or was told by recall(): a word's
# spelling does not change while the dictionary does not. The build keeps it between runs (a tenth of
# a second instead of a second and a half of spylls for this document: pipeline.inspect).
_SAID: dict[str, bool] = {}
_ASKED: set[str] = set()


def _in_dictionary(word: str) -> bool:
    _ASKED.add(word)
    known = _SAID.get(word)
    if known is None:
        dictionary = _dictionary()
        variants = dict.fromkeys((word, word.lower(), word.capitalize()))
        known = _SAID[word] = any(dictionary.lookup(w) for w in variants)
    return known


@cache
def fingerprint() -> str:
    """What the dictionary's answers depend on: its files, and the version of spylls that reads them."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("spylls").encode("utf-8"))
    for suffix in (".aff", ".dic"):
        digest.update(KAMUS.with_suffix(suffix).read_bytes())
    return digest.hexdigest()


def recall(said: dict[str, bool]) -> None:
    """The dictionary's answers as an earlier run kept them (never asked of it again)."""
    for word, known in said.items():
        _SAID.setdefault(word, known)


def asked() -> dict[str, bool]:
    """The answers for every word this process has looked up: what a later run will ask again."""
    return {word: _SAID[word] for word in sorted(_ASKED)}


def _known(word: str, kata: frozenset[str]) -> bool:
    if len(word) < 3 or word.lower() in kata:
        return True
    if word.isupper() and len(word) <= 6:  # an acronym: SKPD, BMD, LKjIP is in the word list
        return True
    if _in_dictionary(word):
        return True
    parts = word.split("-")  # perubahan-perubahan, Perundang-undangan: each half a word
    return len(parts) > 1 and all(_known(p, kata) for p in parts)


def suggestions(word: str, kata: frozenset[str] = frozenset(), limit: int = 3) -> list[str]:
    """Words of the dictionary or the word list one edit away (a letter dropped, doubled, swapped or
    replaced)."""
    lower = word.lower()
    splits = [(lower[:i], lower[i:]) for i in range(len(lower) + 1)]
    candidates = dict.fromkeys(
        [a + b[1:] for a, b in splits if b]
        + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        + [a + c + b for a, b in splits for c in _ALPHABET]
        + [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    )
    found = []
    for candidate in candidates:
        if candidate != lower and (candidate in kata or _in_dictionary(candidate)):
            found.append(candidate.capitalize() if word[:1].isupper() else candidate)
            if len(found) == limit:
                break
    return found


# --- what is checked --------------------------------------------------------------------------------


def _texts(renstra: Renstra) -> Iterator[tuple[str, int, int, str]]:
    """(file, line, column of the text's first character, text) of every piece of prose."""
    for bab in renstra.source.bab:
        fenced = False
        for number, line in enumerate(bab.text.splitlines(), 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if fenced:
                continue
            yield bab.path, number, 1, _SKIP_MD.sub(lambda m: " " * len(m.group(0)), line)
    for file_id, source in renstra.source.sources.items():
        if file_id in BERKAS_LEWAT:
            continue
        for loc, value in source.teks.items():
            key = next((part for part in reversed(loc) if isinstance(part, str)), None)
            if key not in KUNCI_LEWAT and not _ID.fullmatch(value.teks):
                yield source.path, value.baris, value.kolom, value.teks


def _identity(renstra: Renstra, path: str, line: int, col: int, text: str) -> Iterator[Problem]:
    """'Kota <nama>' in a Kabupaten document; a Renstra period that is not this document's."""
    daerah = renstra.dokumen.daerah
    kind, _, name = daerah.partition(" ")
    other = {"Kabupaten": "Kota", "Kota": "Kabupaten"}.get(kind)
    if other and name:
        for match in re.finditer(rf"\b{other}\s+{re.escape(name)}\b", text, re.IGNORECASE):
            yield Problem(
                path,
                line,
                col + match.start(),
                PERINGATAN,
                f"'{match.group(0)}' dalam dokumen {daerah}",
                f"maksudnya {daerah}?",
            )
    awal, akhir = renstra.periode.awal, renstra.periode.akhir
    for match in re.finditer(r"\bRenstra\b[^.;:\n]{0,80}?\b(\d{4})\s*[-–]\s*(\d{4})\b", text):
        if (int(match.group(1)), int(match.group(2))) != (awal, akhir):
            yield Problem(
                path,
                line,
                col + match.start(1),
                PERINGATAN,
                f"periode Renstra {match.group(1)}–{match.group(2)} bukan periode dokumen ini",
                f"periode dokumen ini {awal}–{akhir} ({renstra.source.path_of('dokumen')})",
            )
