"""No literal of the Lumajang document in the engine: its identity, period and tables are data."""

from __future__ import annotations

import re
from pathlib import Path


def test_no_literal_of_this_document_in_the_engine():
    root = Path(__file__).resolve().parent.parent
    literal = re.compile(r"(?i)lumajang|setda|sekretariat daerah|triyono|(?<![/\d\\+-])20[12]\d(?![\d/-])")
    hits = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for folder in ("renstra", "templates")
        for path in sorted((root / folder).rglob("*"))
        if path.suffix in (".py", ".j2")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert hits == []
