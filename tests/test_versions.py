"""Loading a version from git: a ref is untrusted input, and so is what the version holds."""
from __future__ import annotations

import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from renstra.review.diff import load_version, workdir
from renstra.problems import RenstraError

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The real document committed and tagged 'asli'; later tags add one symlink each."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "asli")
    git(root, "tag", "asli")
    return root


def problems(error: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_a_good_ref_still_loads(repo, tmp_path):
    doc = load_version(repo, "asli", tmp_path)
    assert doc.bab and "tc27" in doc.tabel


def test_option_like_ref_writes_no_file(repo, tmp_path):
    out = tmp_path / "x"
    with pytest.raises(RenstraError) as error:
        load_version(repo, f"--output={out}", tmp_path)
    assert not out.exists()
    assert problems(error)[0].startswith(f"git:1:1: galat: versi '--output={out}' tidak valid")


def test_option_like_ref_opens_no_connection(repo, tmp_path):
    """--remote= would make git dial out; a local listener records whether it did."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    port, calls, done = listener.getsockname()[1], [], threading.Event()

    def accept():  # accept and hang up at once, so an unfixed git fails instead of waiting forever
        while not done.is_set():
            try:
                listener.accept()[0].close()
                calls.append(1)
            except TimeoutError:
                pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        with pytest.raises(RenstraError) as error:
            load_version(repo, f"--remote=git://127.0.0.1:{port}/x", tmp_path)
    finally:
        done.set()
        thread.join()
        listener.close()
    assert calls == []
    assert "tidak valid" in problems(error)[0]


@pytest.mark.parametrize("ref", ["-h", "asli\n", "as li", "asli\x00", "asli..HEAD", "../../etc", ""])
def test_malformed_refs_are_refused_before_git(repo, tmp_path, ref):
    with pytest.raises(RenstraError) as error:
        load_version(repo, ref, tmp_path)
    [problem] = error.value.problems
    assert (problem.path, problem.line, problem.column) == ("git", 1, 1)
    assert problem.message.startswith(f"versi '{ref}' tidak valid")


def test_unknown_ref_keeps_its_message(repo, tmp_path):
    with pytest.raises(RenstraError) as error:
        load_version(repo, "v9999", tmp_path)
    assert problems(error)[0].startswith("git:1:1: galat: versi 'v9999' tidak ditemukan:")
