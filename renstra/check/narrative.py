"""Narrative numbers: a literal number in the text that restates a data value should be an expression."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import fields

from renstra.document.facts import KATA
from renstra.document.resolve import Renstra
from renstra.problems import PERINGATAN, Problem

HANYA_PERINGATAN = True  # never a galat: a build skips it (make check runs it)


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
                        re.compile(rf"{value}[^\S\n]+{item.metadata[KATA]}\b", re.IGNORECASE),
                    )
                )
    return patterns


def check(renstra: Renstra) -> Iterator[Problem]:
    patterns = _patterns(renstra)
    for chapter in renstra.source.bab:
        # each pattern over the whole text (expressions blanked, lines kept), not line by line: the same
        # findings in the same order, at a fraction of the cost on a long document
        plain = _EXPRESSION.sub(lambda m: " " * len(m.group(0)), chapter.text)  # within a line
        starts = [0] + [m.end() for m in re.finditer("\n", plain)]
        found = []
        for order, (name, pattern) in enumerate(patterns):
            for match in pattern.finditer(plain):
                if match.start() and plain[match.start() - 1] in _PART_OF_A_NUMBER:
                    continue  # '148 program' is not '48 program'; nor '{48 …' or '1.48 …'
                line = bisect.bisect_right(starts, match.start())
                found.append((line, order, match.start() - starts[line - 1] + 1, name, match.group(0)))
        for line_no, _, column, name, text in sorted(found):
            yield Problem(
                chapter.path,
                line_no,
                column,
                PERINGATAN,
                f"angka '{text}' mengulang data; tulis {{{{ {name} }}}} agar tidak usang",
            )


# checked by hand rather than by a look-behind, which would cost the pattern its fast literal search
_PART_OF_A_NUMBER = "0123456789.{"
_EXPRESSION = re.compile(r"\{\{.*?\}\}")
