"""The stages: imports run one way, nothing below load/resolve knows a data file, chapters are expanded once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import grimp

from renstra.cli import main
from renstra.document import chapters

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("check", "render", "review")


def test_import_contract_is_kept():
    """pyproject.toml: cli → pipeline → check | render | review → document → source → base; siblings apart."""
    run = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_import_graph_has_no_cycle():
    graph = grimp.build_graph("renstra", cache_dir=None)
    modules = sorted(graph.modules)
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = 1
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(imported) == 1:
                return path + [imported]
            if imported not in state:
                found = visit(imported, path + [imported])
                if found:
                    return found
        state[module] = 2
        return None

    for module in modules:
        if module not in state:
            assert visit(module, [module]) is None


def test_no_stage_after_resolve_names_a_data_file():
    """check/, render/, review/ read the resolved document: no 'data/…' path, no table looked up by file id."""
    named = re.compile(r"""data/|\.yaml\b|tabel\[["'](?!\w+["']\]\s*=)|\.tabel\.get\(["']""")
    found = []
    for stage in STAGES:
        for path in sorted((ROOT / "renstra" / stage).glob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if named.search(code) and not code.strip().startswith(('"""', "'")):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_chapters_are_expanded_once_per_build(tmp_path, pdf_path, pdf_cache):
    """One build, one expansion: check, the HTML renderer and the DOCX renderer share the resolved chapters."""
    for kind in ("html", "docx"):
        before = chapters.EXPANSIONS["count"]
        extra = ["--force", "--cache", str(pdf_cache)] if kind == "docx" else []  # the session's chapters
        assert main([kind, "--output", str(tmp_path / f"r.{kind}")] + extra) == 0
        assert chapters.EXPANSIONS["count"] - before == 1, kind
