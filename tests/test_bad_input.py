"""Every mistake an editor can make gets `file:line:col: galat: pesan`, exit 1, no traceback.

Each case is a fixture in tests/fixtures/salah/<name>.yaml: which file to break and how, and the
exact message expected. The README's table of mistakes is generated from the same fixtures.
A fixture may also replace its file by a symbolic link (`symlink: <target>`) or a FIFO (`fifo: true`),
and may leave out `tanda` when the message names a fixed place such as `1:1`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from renstra.cli import main

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "salah").glob("*.yaml"))


def break_repository(spec: dict, root: Path) -> None:
    path = root / spec["berkas"]
    if spec.get("hapus"):
        path.unlink()
    elif "symlink" in spec:
        path.unlink(missing_ok=True)
        path.symlink_to(spec["symlink"])
    elif spec.get("fifo"):
        path.unlink(missing_ok=True)
        os.mkfifo(path)  # the loader must refuse it without opening it, or the test hangs
    elif "buat" in spec:
        path.write_text(spec["buat"], encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert spec["cari"] in text, f"fixture out of date: {spec['cari']!r} not in {spec['berkas']}"
        path.write_bytes(text.replace(spec["cari"], spec["ganti"], 1).encode(spec.get("encoding", "utf-8")))


def expected_message(spec: dict, root: Path) -> str:
    if "tanda" not in spec:
        return spec["pesan"]
    marked = root / spec.get("tanda_berkas", spec["berkas"])
    lines = marked.read_bytes().decode("utf-8", "replace").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if spec["tanda"] in text)
    column = spec.get("kolom_tetap") or lines[line - 1].index(spec["tanda"]) + 1 + spec.get("kolom_tambah", 0)
    return spec["pesan"].format(baris=line, kolom=column, baris_sebelum=line - 1)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_mistake_gets_a_clear_message(fixture, repo_copy, capsys):
    spec = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    break_repository(spec, repo_copy)
    previous = repo_copy / "output" / "dokumen.html"
    previous.parent.mkdir()
    previous.write_bytes(b"previous good build")
    command = spec.get("perintah", "check")
    args = ["--root", str(repo_copy), command] + (["--output", str(previous)] if command == "html" else [])
    assert main(args) == 1
    captured = capsys.readouterr()
    printed = [line.strip() for line in (captured.out + captured.err).splitlines()]
    assert expected_message(spec, repo_copy) in printed
    assert "Traceback" not in captured.out + captured.err
    assert previous.read_bytes() == b"previous good build"
    assert [p.name for p in previous.parent.iterdir()] == ["dokumen.html"]


def test_readme_table_lists_every_fixture():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for fixture in FIXTURES:
        spec = yaml.safe_load(fixture.read_text(encoding="utf-8"))
        assert f"| {spec['kesalahan']} |" in readme, fixture.stem
        assert f"`{fixture.stem}`" in readme
