"""Narrative numbers: a literal number in the text that restates a data value should be an expression."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields

from renstra.document.facts import KATA
from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem


def _patterns(renstra: Renstra) -> list[tuple[str, re.Pattern]]:
    """Per fact that names the word its number is followed by ('3 program', '238 orang'): the pattern
    of that number and word typed by hand."""
    patterns = []
    for group, fact in renstra.facts.items():
        for item in fields(fact):
            if KATA in item.metadata:
                value = re.escape(str(getattr(fact, item.name)))
                patterns.append(
                    (
                        f"{group}.{item.name}",
                        re.compile(rf"(?<![\d.{{]){value}\s+{item.metadata[KATA]}\b", re.IGNORECASE),
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
