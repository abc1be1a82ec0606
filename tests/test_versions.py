"""Loading a version from git: a ref is untrusted input, and so is what the version holds."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tarfile
import threading
from io import BytesIO
from pathlib import Path

import pytest

from renstra.problems import RenstraError
from renstra.review import versions
from renstra.review.diff import load_version

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    """The real document committed and tagged 'asli'; later tags add one symlink each."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "asli")
    git(root, "tag", "asli")
    for tag, path, points_to in [
        ("mutlak", "content/x.md", "/etc/passwd"),
        ("keluar", "data/y.yaml", "../../../etc/passwd"),
        ("dalam", "content/z.md", "01-pendahuluan.md"),
    ]:
        (root / path).symlink_to(points_to)
        git(root, "add", path)
        git(root, "commit", "-qm", tag)
        git(root, "tag", tag)
        git(root, "rm", "-q", path)  # each tag holds one link of its own
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


@pytest.mark.parametrize(
    "tag, path", [("mutlak", "content/x.md"), ("keluar", "data/y.yaml"), ("dalam", "content/z.md")]
)
def test_symlink_in_a_version_is_a_galat_naming_it(repo, tmp_path, tag, path):
    """Absolute, escaping or harmless-looking: a link in a version is refused, never followed."""
    with pytest.raises(RenstraError) as error:
        load_version(repo, tag, tmp_path)
    assert problems(error) == [
        f"{tag}:{path}:1:1: galat: tautan simbolik tidak diizinkan dalam versi '{tag}' "
        f"(simpan isi berkas itu sendiri di repositori, bukan tautan)"
    ]
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def _tar(*members: tarfile.TarInfo) -> bytes:
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for member in members:
            tar.addfile(member, BytesIO(b"") if member.isreg() else None)
    return buffer.getvalue()


def _member(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def test_only_regular_files_and_folders_are_extracted(tmp_path):
    """git archive makes no devices or hard links, but an archive is checked for what it holds, not trusted."""
    archive = _tar(
        _member("content", tarfile.DIRTYPE),
        _member("content/a.md", tarfile.REGTYPE),
        _member("content/b.md", tarfile.LNKTYPE, "content/a.md"),
        _member("content/fifo", tarfile.FIFOTYPE),
        _member("content/tty", tarfile.CHRTYPE),
    )
    with pytest.raises(RenstraError) as error:
        versions.extract(archive, tmp_path, "v1")
    assert problems(error) == [
        "v1:content/b.md:1:1: galat: tautan keras tidak diizinkan dalam versi 'v1' "
        "(simpan isi berkas itu sendiri di repositori, bukan tautan)",
        "v1:content/fifo:1:1: galat: hanya berkas biasa dan folder yang diizinkan dalam versi 'v1', ini FIFO",
        "v1:content/tty:1:1: galat: hanya berkas biasa dan folder yang diizinkan dalam versi 'v1', "
        "ini perangkat karakter",
    ]
    assert list(tmp_path.iterdir()) == []


def test_git_runs_without_prompts_transports_or_fsmonitor(repo, tmp_path, monkeypatch):
    calls = []
    real_run = subprocess.run

    def recording_run(command, **options):
        calls.append((command, options))
        return real_run(command, **options)

    monkeypatch.setattr(versions.subprocess, "run", recording_run)
    load_version(repo, "asli", tmp_path)
    assert [command[command.index("-C") + 2] for command, _ in calls] == ["rev-parse", "archive"]
    for command, options in calls:
        assert command[:5] == ["git", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"]
        assert options["timeout"] == versions.GIT_TIMEOUT
        assert options["env"]["GIT_TERMINAL_PROMPT"] == "0"
    archive = calls[1][0]
    assert archive[archive.index("archive") + 2] != "asli"  # the resolved hash, not the typed ref


def test_a_hanging_git_is_a_galat(repo, tmp_path, monkeypatch):
    def hanging_run(command, **options):
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(versions.subprocess, "run", hanging_run)
    with pytest.raises(RenstraError) as error:
        load_version(repo, "asli", tmp_path)
    assert problems(error) == [
        f"git:1:1: galat: versi 'asli': git rev-parse tidak selesai dalam "
        f"{versions.GIT_TIMEOUT} detik (periksa repositori dengan: git fsck)"
    ]


def test_a_missing_git_is_a_galat(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "kosong"))
    with pytest.raises(RenstraError) as error:
        load_version(repo, "asli", tmp_path)
    assert problems(error)[0].startswith("git:1:1: galat: versi 'asli': git tidak dapat dijalankan:")


def test_a_long_ref_still_loads(repo, tmp_path):
    assert load_version(repo, "asli" + "~0" * 200, tmp_path).bab
