"""Indonesian hyphenation for the PDF's tables: patterns made from the syllable rules of PUEBI.

WeasyPrint hyphenates with pyphen, whose Indonesian dictionary (LibreOffice's hyph_id_ID) breaks
words wrongly: "masyarak-at", "Lap-angan", "Mil-ik", "Peral-atan", "berkat-egori". The patterns
here follow the rules of Pedoman Umum Ejaan Bahasa Indonesia on splitting a word at a line end
(pemenggalan kata): between two vowels (sa-at, di-a), but not inside a diphthong (ai, au, ei, oi);
before a consonant between two vowels (ba-pak); between two consonants (man-di, Ap-ril); after the
first of three or more consonants when the rest begin a syllable (ul-tra, in-stru-men, bang-krut);
ng, ny, sy and kh are one consonant (ma-sya-ra-kat, ba-ngun, a-khir). A word with a suffix may be
split by these rules too (PUEBI allows ma-ka-nan as well as makan-an).

The patterns are in the hunspell/libhyphen format pyphen reads, kept in hyph_id.dic beside this
module (written by `python -m renstra.render.pemenggalan`; a test holds it to these rules), and
registered with pyphen for the language "id" when the PDF is laid out.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyphen

BERKAS = Path(__file__).with_name("hyph_id.dic")
VOKAL = "aeiou"
KONSONAN = "bcdfghjklmnpqrstvwxyz"
GABUNGAN = ("ng", "ny", "sy", "kh")  # two letters, one consonant
DIFTONG = ("ai", "au", "ei", "oi")
# consonants that begin a syllable of a loanword: of three consonants or more, the split goes before
# them (ul-tra, in-fra, bang-krut, in-stru-men); otherwise before the last (trans-por, pers-pek-tif)
AWAL_SUKU = ("bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr")
AWAL_SUKU_TIGA = ("str", "spr", "skr")


def pola() -> list[str]:
    """The patterns, in a fixed order."""
    patterns = []
    # before a consonant that begins a syllable: ba-pak, man-di (1 before the consonant + vowel)
    patterns += [f"1{c}{v}" for c in KONSONAN for v in VOKAL]
    # ng, ny, sy, kh are one consonant: never split inside, split before them (ba-ngun, ma-sya-ra-kat)
    patterns += [f"{g[0]}2{g[1]}" for g in GABUNGAN]
    patterns += [f"1{g}{v}" for g in GABUNGAN for v in VOKAL]
    # between two vowels that are not a diphthong: sa-at, di-a, pe-nga-da-an
    patterns += [f"{a}1{b}" for a in VOKAL for b in VOKAL if a + b not in DIFTONG]
    # three consonants or more: after the first, when the rest begin a syllable (ul-tra, bang-krut)
    patterns += [f"{c}1{p[0]}2{p[1]}" for c in KONSONAN for p in AWAL_SUKU]
    patterns += [f"{c}1{p[0]}2{p[1]}2{p[2]}" for c in KONSONAN for p in AWAL_SUKU_TIGA]
    return patterns


def isi() -> str:
    """The dictionary file's text: its encoding, then one pattern a line."""
    return "UTF-8\n" + "\n".join(pola()) + "\n"


# A word that is never hyphenated: one holding a digit (a number, a code, an amount) or a capital after
# its first letter (an acronym: SAKIP, ASN, LKjIP; a name set in capitals). pyphen reads every word in
# lower case and cannot tell these from others; WeasyPrint hands it the word as printed.
_UTUH = re.compile(r"\d|[^\W\d_][A-Z]")


def utuh(word: str) -> bool:
    """Whether the word must stay whole (see _UTUH)."""
    return bool(_UTUH.search(word))


class _Pola(pyphen.HyphDict):
    """The patterns, which leave whole the words that must stay so."""

    def positions(self, word):
        return [] if utuh(word) else super().positions(word)


def daftarkan() -> None:
    """Make pyphen (and so WeasyPrint) hyphenate Indonesian with these patterns: the language "id"
    names this file, and pyphen's cache of read files holds it read by _Pola."""
    for name in ("id", "id_ID"):
        pyphen.LANGUAGES[name] = BERKAS
        pyphen.LANGUAGES_LOWERCASE[name.lower()] = name
    if not isinstance(pyphen.hdcache.get(BERKAS), _Pola):
        pyphen.hdcache[BERKAS] = _Pola(BERKAS)


def penggal(word: str) -> str:
    """The word with its break points marked by '-', as the PDF may break it (for reading and tests)."""
    daftarkan()
    return pyphen.Pyphen(lang="id", left=2, right=2).inserted(word)


if __name__ == "__main__":
    BERKAS.write_text(isi(), encoding="utf-8")
    sys.stdout.write(f"{BERKAS}: {len(pola())} pola\n")
