"""Versions: a repository and a ref (commit, tag or branch) → the loaded source of that version.

A version is read straight from git, never from a checkout, so the working tree is not touched;
it goes through the same loader as the working tree, so both sides of a diff mean the same thing.
"""
from __future__ import annotations

import re
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from renstra.problems import RenstraError, galat
from renstra.source.load import Document, load


def workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="renstra-diff-")


def load_version(root: Path, ref: str | None, workdir: Path) -> Document:
    """The document at git `ref` (None: the working tree), through the same loader."""
    if ref is None:
        return load(root)
    target = Path(tempfile.mkdtemp(prefix=re.sub(r"[^\w.-]", "_", ref) + "-", dir=workdir))
    try:
        archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref, "content", "data"],
                                 capture_output=True, check=True).stdout
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise RenstraError([galat("git", 1, 1, f"versi '{ref}' tidak ditemukan: {message[0]}",
                                  "pakai nama commit, tag atau cabang yang ada (lihat: git log --oneline)")]) from None
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    try:
        return load(target)
    except RenstraError as error:
        raise RenstraError([galat(f"{ref}:{p.path}", p.line, p.column, f"versi '{ref}' tidak dapat dimuat: {p.message}")
                            for p in error.problems]) from None
