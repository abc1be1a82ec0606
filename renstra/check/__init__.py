"""Check: Renstra → problems (galat / peringatan) about sums, kode, cross-references, narrative, errata.

One rule per module, like yamllint's rules/. Every rule reads the resolved document and yields
Problems positioned at the YAML value or Markdown line that is wrong; nothing stops at the first.
A new rule is a module here with a `check(renstra)` generator, listed in RULES.
"""

from __future__ import annotations

from renstra.check import (
    cascading,
    codes,
    duplicates,
    ejaan,
    errata,
    glyphs,
    indicators,
    kosong,
    lambang,
    narrative,
    references,
    rollup,
    skema,
)
from renstra.document.resolve import Renstra
from renstra.problems import Problem

RULES = [
    rollup,
    codes,
    cascading,
    indicators,
    references,
    narrative,
    duplicates,
    errata,
    glyphs,
    kosong,
    lambang,
    skema,
    ejaan,
]


def check(renstra: Renstra, galat_saja: bool = False) -> list[Problem]:
    """All problems of the document, sorted by file and position. `galat_saja`: what can stop a build
    (a build skips the rules that only ever warn, such as spelling; make check runs them all)."""
    problems = list(renstra.source.warnings) + list(renstra.problems)
    for rule in RULES:
        if galat_saja and getattr(rule, "HANYA_PERINGATAN", False):
            continue
        problems += list(rule.check(renstra))
    return sorted(set(problems))
