"""Reports of problems: grouped text for people, JSON for tools."""

from __future__ import annotations

import json
from itertools import groupby

from renstra.problems import GALAT, Problem


def report_text(problems: list[Problem], seconds: float) -> str:
    """Problems grouped by file, with a count line at the end."""
    lines = []
    for path, group in groupby(sorted(problems), key=lambda p: p.path):
        lines.append(f"== {path}")
        lines += [f"  {p}" for p in group]
    errors = sum(1 for p in problems if p.level == GALAT)
    warnings = len(problems) - errors
    lines.append(f"{errors} galat, {warnings} peringatan ({seconds:.2f} detik)")
    return "\n".join(lines)


def report_json(problems: list[Problem]) -> str:
    return json.dumps(
        [
            {
                "berkas": p.path,
                "baris": p.line,
                "kolom": p.column,
                "tingkat": p.level,
                "pesan": p.message,
                "saran": p.hint,
            }
            for p in sorted(problems)
        ],
        ensure_ascii=False,
        indent=1,
    )
