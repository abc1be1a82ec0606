"""Versions: a repository and a ref (commit, tag or branch) → the loaded source of that version.

A version is read straight from git, never from a checkout, so the working tree is not touched;
it goes through the same loader as the working tree, so both sides of a diff mean the same thing.

The ref is what a reviewer typed (`make diff FROM=…`), so it is checked before git sees it, then
resolved to a commit hash; only that hash reaches `git archive`, which takes options such as
--output and --remote that a ref must never be able to smuggle in. What the version holds is
untrusted too: anyone who can push a commit chooses it, so only regular files and folders are
extracted; a symlink would make the loader read whatever it points at on this machine.
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from renstra.problems import Problem, RenstraError, galat
from renstra.source.load import Source, load

GIT_TIMEOUT = 60  # seconds; both commands read a few hundred KiB, so a stuck git is never a slow one
# Only local reads happen here: no prompt may wait for a password, no transport may open, and the
# user's fsmonitor hook (a command from their config) has no business running for a review.
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
_GIT_CONFIG = ("-c", "core.fsmonitor=false", "-c", "protocol.allow=never")

PETUNJUK = "pakai nama commit, tag atau cabang yang ada (lihat: git log --oneline)"
# Whitespace and control characters are never part of a revision; they only end up in messages.
_BAD_CHARACTER = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_COMMIT_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256 repositories
_NO_LINKS = "simpan isi berkas itu sendiri di repositori, bukan tautan"
_KINDS = {tarfile.CHRTYPE: "perangkat karakter", tarfile.BLKTYPE: "perangkat blok", tarfile.FIFOTYPE: "FIFO"}


def workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="renstra-diff-")


def load_version(root: Path, ref: str | None, workdir: Path) -> Source:
    """The document at git `ref` (None: the working tree), through the same loader."""
    if ref is None:
        return load(root)
    commit = resolve(root, ref)
    archive = _git(root, ref, "archive", "--format=tar", commit, "--", "content", "data")
    if archive.returncode != 0:
        raise _refused(ref, "tidak dapat diambil", archive.stderr)
    # the ref only names the folder for whoever looks into the workdir; HEAD~1~1~… may be long
    target = Path(tempfile.mkdtemp(prefix=re.sub(r"[^\w.-]", "_", ref)[:40] + "-", dir=workdir))
    extract(archive.stdout, target, ref)
    try:
        return load(target)
    except RenstraError as error:
        raise RenstraError(
            [
                galat(f"{ref}:{p.path}", p.line, p.column, f"versi '{ref}' tidak dapat dimuat: {p.message}")
                for p in error.problems
            ]
        ) from None


def resolve(root: Path, ref: str) -> str:
    """The commit hash `ref` names in `root`, or a galat: malformed refs never reach git."""
    reason = _malformed(ref)
    if reason:
        raise RenstraError([galat("git", 1, 1, f"versi '{ref}' tidak valid: {reason}", PETUNJUK)])
    # --end-of-options: even a ref that slipped past the checks above is read as a revision
    found = _git(root, ref, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
    commit = found.stdout.decode("ascii", "replace").strip()
    if found.returncode != 0 or not _COMMIT_HASH.fullmatch(commit):
        raise _refused(
            ref, "tidak ditemukan", found.stderr or b"bukan commit, tag atau cabang di repositori ini"
        )
    return commit


def extract(archive: bytes, target: Path, ref: str) -> None:
    """Unpack a tar of `ref` into `target` if it holds only regular files and folders; else nothing."""
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        members = tar.getmembers()
        refused = [_refusal(m, ref) for m in members if not (m.isreg() or m.isdir())]
        if refused:  # all of them at once, and before anything is written
            raise RenstraError(refused)
        try:  # the data filter stays as a second guard: no absolute names, no '..', no odd modes
            tar.extractall(target, members=members, filter="data")
        except tarfile.FilterError as error:
            raise RenstraError(
                [
                    galat(
                        f"{ref}:{error.tarinfo.name}",
                        1,
                        1,
                        f"berkas ini ditolak dalam versi '{ref}': {error}",
                    )
                ]
            ) from None


def _refusal(member: tarfile.TarInfo, ref: str) -> Problem:
    place = f"{ref}:{member.name}"
    if member.issym():
        return galat(place, 1, 1, f"tautan simbolik tidak diizinkan dalam versi '{ref}'", _NO_LINKS)
    if member.islnk():
        return galat(place, 1, 1, f"tautan keras tidak diizinkan dalam versi '{ref}'", _NO_LINKS)
    kind = _KINDS.get(member.type, f"jenis tar {member.type!r}")
    return galat(place, 1, 1, f"hanya berkas biasa dan folder yang diizinkan dalam versi '{ref}', ini {kind}")


def _malformed(ref: str) -> str:
    """Why `ref` cannot name one version ('' when it might)."""
    if not ref:
        return "kosong"
    if ref.startswith("-"):
        return "tidak boleh diawali '-'"
    if _BAD_CHARACTER.search(ref):
        return "memuat spasi atau karakter kendali"
    if ".." in ref:  # a range (a..b, a...b) or a path walk, never one commit; git forbids '..' in ref names
        return "memuat '..'"
    return ""


def _git(root: Path, ref: str, *args: str) -> subprocess.CompletedProcess:
    """Run git in `root`; a git that is missing or hangs is a galat, not a traceback or a wait."""
    try:
        return subprocess.run(
            ["git", *_GIT_CONFIG, "-C", str(root), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=os.environ | _GIT_ENV,
            timeout=GIT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise RenstraError(
            [
                galat(
                    "git",
                    1,
                    1,
                    f"versi '{ref}': git {args[0]} tidak selesai dalam {GIT_TIMEOUT} detik",
                    "periksa repositori dengan: git fsck",
                )
            ]
        ) from None
    except OSError as error:
        raise RenstraError(
            [
                galat(
                    "git",
                    1,
                    1,
                    f"versi '{ref}': git tidak dapat dijalankan: {error.strerror}",
                    "pasang git dan pastikan ada di PATH",
                )
            ]
        ) from None


def _refused(ref: str, what: str, stderr: bytes) -> RenstraError:
    """A galat for a git command that failed, with git's last line as the reason."""
    message = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
    return RenstraError([galat("git", 1, 1, f"versi '{ref}' {what}: {message[0]}", PETUNJUK)])


def author(root: Path, ref: str | None) -> tuple[str, datetime.datetime]:
    """Who made version `ref` and when: the commit's author and author date; for the working tree
    (None) the user git is configured with, at SOURCE_DATE_EPOCH or now."""
    if ref is None:
        found = _git(root, "kerja", "config", "user.name")
        name = found.stdout.decode("utf-8", "replace").strip() if found.returncode == 0 else ""
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        when = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch.isdigit()
            else datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        )
        return name or "Renstra", when
    commit = resolve(root, ref)
    found = _git(root, ref, "log", "-1", "--format=%an%x00%aI", commit, "--")
    if found.returncode != 0:
        raise _refused(ref, "tidak dapat dibaca", found.stderr)
    name, _, date = found.stdout.decode("utf-8", "replace").strip().partition("\0")
    return name or "Renstra", datetime.datetime.fromisoformat(date)
