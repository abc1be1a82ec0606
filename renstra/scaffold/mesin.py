"""Vendoring: the engine's files copied into a Renstra repository, their version recorded in MESIN, and
replaced as a whole by those of another version of renstra-as-code (`make perbarui-mesin`).

Why vendored rather than installed: a planning team builds its document with no access to a package
index for the engine, the version it builds with is a file in its repository (visible in every review
and in `git log MESIN`), and changing it is one command whose result is a diff to read and commit.

Which files are the engine's is data (berkas-mesin.txt beside this module): an update reads the list of
the version it installs, so a file the engine gains or loses between versions is added or removed too.
The command line of the update is renstra.scaffold.perbarui (what `make perbarui-mesin` runs).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

import yaml

from renstra.problems import RenstraError

CATATAN = "MESIN"  # the record of the vendored version, at the root of a Renstra repository
DAFTAR = "renstra/scaffold/berkas-mesin.txt"  # the engine's own list of its files, inside the engine
GIT_TIMEOUT = 300  # seconds; cloning the engine over a slow line may take a while, a hung one never ends
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0"}  # a URL that wants a password fails instead of waiting for one
_SKIP = ("__pycache__",)
_BAD = re.compile(r"[\x00-\x1f\x7f]")


class MesinError(Exception):
    """What the user asked cannot be done (bad path, ref or state): one message, exit code 2."""


# --- the list of engine files ------------------------------------------------------------------


def berkas_mesin(text: str | None = None) -> list[str]:
    """The engine's files and folders (folders end in '/'), from `text` or from this engine's list."""
    if text is None:
        text = (Path(__file__).with_name("berkas-mesin.txt")).read_text(encoding="utf-8")
    paths = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for path in paths:
        parts = PurePosixPath(path.rstrip("/")).parts
        if path.startswith("/") or ".." in parts or not parts or parts[0] in (".git", CATATAN):
            raise MesinError(f"daftar berkas mesin memuat jalur yang tidak diizinkan: '{path}'")
    return paths


def _files(root: Path, paths: list[str]) -> list[Path]:
    """The regular files under the listed paths of `root`, without compiled Python."""
    found = []
    for path in paths:
        start = root / path.rstrip("/")
        candidates = sorted(start.rglob("*")) if path.endswith("/") else [start]
        for file in candidates:
            relative = file.relative_to(root)
            if file.is_file() and not any(p in _SKIP for p in relative.parts) and file.suffix != ".pyc":
                found.append(relative)
    return found


def salin(root: Path, target: Path, paths: list[str]) -> int:
    """Copy the engine's files from the tree at `root` into `target`; returns how many."""
    files = _files(root, paths)
    missing = [p for p in paths if not (root / p.rstrip("/")).exists()]
    if missing:
        raise MesinError(f"berkas mesin tidak ada di {root}: {', '.join(missing)}")
    for relative in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / relative, target / relative)  # contents and mode; a fresh mtime
    return len(files)


# --- the record ----------------------------------------------------------------------------------


def rekaman(root: Path) -> dict[str, str]:
    """The version of the engine at `root`: a Renstra repository's own record, else git's account of
    the working tree (`git describe --tags --always --dirty`, commit, commit date)."""
    if (root / CATATAN).is_file():
        recorded = baca_rekaman(root)
        return {key: recorded.get(key, "") for key in ("versi", "commit", "tanggal", "sumber")}
    top = run_git(["rev-parse", "--show-toplevel"], root, check=False).stdout.strip()
    describe = run_git(["describe", "--tags", "--always", "--dirty"], root, check=False)
    if not top or Path(top).resolve() != root.resolve() or describe.returncode != 0:
        # not a git checkout of its own (an unpacked archive, maybe inside another repository)
        return {"versi": "tidak diketahui", "commit": "", "tanggal": "", "sumber": str(root)}
    return {
        "versi": describe.stdout.strip(),
        "commit": run_git(["rev-parse", "HEAD"], root).stdout.strip(),
        "tanggal": run_git(["log", "-1", "--format=%cI", "HEAD"], root).stdout.strip(),
        "sumber": str(root),
    }


def tulis_rekaman(repo: Path, record: dict[str, str], paths: list[str]) -> Path:
    """Write MESIN: the version and the files it covers, with how to update it."""
    lines = [
        "# Mesin renstra-as-code yang membangun dokumen ini, disalin (vendored) ke repositori ini:",
        "# build tidak memerlukan akses ke repositori mesin, dan versinya terlihat di setiap tinjauan.",
        "# Berkas di bawah 'berkas' milik mesin: jangan disunting di sini (hilang saat diperbarui).",
        "# Perbarui dengan: make perbarui-mesin DARI=<jalur atau URL renstra-as-code> REF=<tag atau commit>",
    ]
    lines += [f"{key}: {json.dumps(record.get(key, ''), ensure_ascii=False)}" for key in _KEYS]
    lines += ["berkas:"] + [f"  - {path}" for path in paths]
    path = repo / CATATAN
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_KEYS = ("versi", "commit", "tanggal", "sumber")


def baca_rekaman(repo: Path) -> dict:
    """MESIN of the repository at `repo`, or a MesinError saying why it cannot be read."""
    path = repo / CATATAN
    if not path.is_file():
        raise MesinError(
            f"berkas {CATATAN} tidak ada di {repo}: perbarui-mesin hanya untuk repositori Renstra yang "
            "dibuat dengan 'make baru' (repositori renstra-as-code sendiri diperbarui dengan git)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MesinError(f"{CATATAN} tidak dapat dibaca: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("berkas"), list):
        raise MesinError(f"{CATATAN} tidak memuat daftar 'berkas'; pulihkan dengan: git checkout {CATATAN}")
    berkas_mesin("\n".join(str(p) for p in data["berkas"]))  # the same rules as the engine's own list
    return data


# --- the update ----------------------------------------------------------------------------------


def perbarui(repo: Path, dari: str, ref: str) -> tuple[dict, dict, list[str]]:
    """Replace the engine files of `repo` with those of `ref` in the renstra-as-code at `dari` (a path
    or a URL git can clone); returns the old record, the new one and the new list of files.

    Everything is fetched and unpacked before the first file is touched; the old files are set aside
    and put back if placing the new ones fails."""
    from renstra.review.versions import extract, resolve

    old = baca_rekaman(repo)
    _refuse_odd("DARI", dari)
    _refuse_local_changes(repo, old["berkas"])
    local = Path(dari).expanduser()
    source = str(local.resolve()) if local.exists() else dari
    with tempfile.TemporaryDirectory(prefix=".mesin-", dir=repo) as work:
        clone = Path(work) / "mesin.git"
        cloned = run_git(["clone", "--bare", "--quiet", "--", source, str(clone)], None, check=False)
        if cloned.returncode != 0:
            raise MesinError(f"'{dari}' tidak dapat diambil: {last_line(cloned.stderr)}")
        try:
            commit = resolve(clone, ref)  # malformed refs never reach git
        except RenstraError as error:
            message = error.problems[0].message
            if "tidak ditemukan" in message:
                message = f"REF '{ref}' bukan tag, cabang atau commit yang ada di {dari}"
            raise MesinError(message) from None
        listed = run_git(["show", f"{commit}:{DAFTAR}"], clone, check=False)
        if listed.returncode != 0:
            raise MesinError(
                f"versi '{ref}' dari {dari} belum dapat di-vendor (tidak ada {DAFTAR}); "
                "pilih versi yang memuat 'make baru'"
            )
        paths = berkas_mesin(listed.stdout)
        archive = subprocess.run(
            ["git", "-C", str(clone), "archive", "--format=tar", commit, "--"]
            + [p.rstrip("/") for p in paths],
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
        if archive.returncode != 0:
            raise MesinError(f"versi '{ref}' tidak dapat diambil: {last_line(archive.stderr.decode())}")
        staging = Path(work) / "baru"
        extract(archive.stdout, staging, ref)
        new = {
            "versi": run_git(["describe", "--tags", "--always", commit], clone).stdout.strip(),
            "commit": commit,
            "tanggal": run_git(["log", "-1", "--format=%cI", commit], clone).stdout.strip(),
            "sumber": source,
        }
        _swap(repo, Path(work), old["berkas"], paths, staging)
    tulis_rekaman(repo, new, paths)
    return old, new, paths


def _swap(repo: Path, work: Path, old_paths: list[str], new_paths: list[str], staging: Path) -> None:
    """Set the old engine files aside, move the new ones in; on any failure, put the old ones back."""
    aside = work / "lama"
    moved: list[Path] = []
    placed: list[Path] = []
    try:
        for path in old_paths:
            here = repo / path.rstrip("/")
            if here.exists():
                (aside / path).parent.mkdir(parents=True, exist_ok=True)
                os.rename(here, aside / path.rstrip("/"))
                moved.append(Path(path.rstrip("/")))
        for path in new_paths:
            there = repo / path.rstrip("/")
            there.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / path.rstrip("/"), there)
            placed.append(Path(path.rstrip("/")))
    except BaseException:
        for path in placed:
            _remove(repo / path)
        for path in moved:
            os.rename(aside / path, repo / path)
        raise


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _refuse_local_changes(repo: Path, paths: list[str]) -> None:
    """Edits to engine files would be lost without a trace: they are refused, not overwritten."""
    status = run_git(
        ["status", "--porcelain", "--untracked-files=no", "--"] + [p.rstrip("/") for p in paths],
        repo,
        check=False,
    )
    if status.returncode != 0:  # not a git repository: nothing to compare with
        return
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if changed:
        shown = ", ".join(changed[:5]) + (f" dan {len(changed) - 5} lainnya" if len(changed) > 5 else "")
        raise MesinError(
            f"berkas mesin diubah di repositori ini ({shown}); perbarui-mesin akan menimpanya. "
            "Kirim perubahan itu ke renstra-as-code, atau buang dengan: git checkout -- " + changed[0]
        )


def _refuse_odd(name: str, value: str) -> None:
    if not value or value.startswith("-") or _BAD.search(value):
        raise MesinError(f"{name} '{value}' tidak valid: kosong, diawali '-' atau memuat karakter kendali")


def run_git(args: list[str], cwd: Path | None, check: bool = True) -> subprocess.CompletedProcess:
    try:
        run = subprocess.run(
            ["git", *(["-C", str(cwd)] if cwd else []), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=os.environ | _GIT_ENV,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise MesinError(f"git {args[0]} tidak dapat dijalankan: {error}") from None
    if check and run.returncode != 0:
        raise MesinError(f"git {args[0]} gagal: {last_line(run.stderr)}")
    return run


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "?"
