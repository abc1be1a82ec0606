"""Problems are data: one frozen record per finding, printed as `file:line:col: tingkat: pesan`."""
from __future__ import annotations

import difflib
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
        text = f"{self.path}:{self.line}:{self.column}: {self.level}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class RenstraError(Exception):
    """The project's own error: carries the problems that stop a build."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def galat(path: str, line: int, column: int, message: str, hint: str = "") -> Problem:
    """Shorthand for an error-level problem."""
    return Problem(path, line, column, GALAT, message, hint)


def suggest(word: str, candidates: list[str]) -> str:
    """A 'maksud Anda …?' hint for a misspelled key or id."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if close:
        return f"maksud Anda '{close[0]}'?"
    return f"yang dikenal: {', '.join(candidates)}" if candidates else ""
