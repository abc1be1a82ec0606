"""Narrative numbers: a literal number in the text that restates a data value should be an expression."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields

from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem

# The word a count is followed by in the text, per fact: '3 program', '238 orang'.
WORDS = {
    "program": r"program",
    "kegiatan": r"kegiatan",
    "sub_kegiatan": r"sub[- ]kegiatan",
    "total": r"orang",
    "pns": r"orang",
    "ptt": r"orang",
}


def _patterns(renstra: Renstra) -> list[tuple[str, re.Pattern]]:
    patterns = []
    for group, fact in renstra.facts.items():
        for item in fields(fact):
            if item.name in WORDS:
                value = getattr(fact, item.name)
                patterns.append(
                    (
                        f"{group}.{item.name}",
                        re.compile(rf"(?<![\d.{{]){value}\s+{WORDS[item.name]}\b", re.IGNORECASE),
                    )
                )
    return patterns


def check(renstra: Renstra) -> Iterator[Problem]:
    patterns = _patterns(renstra)
    for chapter in renstra.source.bab:
        for line_no, line in enumerate(chapter.text.splitlines(), 1):
            plain = re.sub(r"\{\{.*?\}\}", lambda m: " " * len(m.group(0)), line)
            for name, pattern in patterns:
                for match in pattern.finditer(plain):
                    yield Problem(
                        chapter.path,
                        line_no,
                        match.start() + 1,
                        PERINGATAN,
                        f"angka '{match.group(0)}' mengulang data; tulis {{{{ {name} }}}} agar tidak usang",
                    )
