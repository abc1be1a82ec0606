"""Problems are data: one frozen record per finding, printed as `file:line:col: tingkat: pesan`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

GALAT = "galat"
PERINGATAN = "peringatan"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding at a place in the source, in Bahasa Indonesia."""

    path: str
    line: int
    column: int
    level: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.level}: {_one_line(self.message)}"
        return f"{text} ({_one_line(self.hint)})" if self.hint else text


def _one_line(text: str) -> str:
    """A problem is one line whatever the input echoed in it: control characters are shown escaped."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group(0))[1:-1], text)


class RenstraError(Exception):
    """The project's own error: carries the problems that stop a build."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # raised in a layout process, it must arrive whole in the parent
        return RenstraError, (self.problems,)


def galat(path: str, line: int, column: int, message: str, hint: str = "") -> Problem:
    """Shorthand for an error-level problem."""
    return Problem(path, line, column, GALAT, message, hint)


def suggest(word: str, candidates: list[str]) -> str:
    """A 'maksud Anda …?' hint for a misspelled key or id (typing slips: swaps, drops, doubles)."""
    scored = sorted(
        (_edit_distance(word.lower(), c.lower()), -difflib.SequenceMatcher(None, word, c).ratio(), c)
        for c in candidates
    )
    if scored and scored[0][0] <= max(2, len(word) // 3):
        return f"maksud Anda '{scored[0][2]}'?"
    return f"yang dikenal: {', '.join(candidates)}" if candidates else ""


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of two neighbouring letters counts as one slip."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def from_ctrl_c(error: BaseException) -> bool:
    """Whether a Ctrl-C is what raised `error`: Python 3.11 hands a KeyboardInterrupt raised while a
    class is made (in a field's __set_name__, as the models are imported) on as a RuntimeError."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
