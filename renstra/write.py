"""Write outputs atomically: a temporary file in the same folder, renamed into place when complete.

The new file gets the mode the user's umask gives (mkstemp alone would leave it 0600). A run killed before
its rename leaves its temporary behind: the next write of the same target removes it — but not the
temporary of a writer still running, which holds a lock on it. A place that cannot be written is the
user's problem, not ours: a galat in Bahasa Indonesia instead of an OSError.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from renstra.problems import RenstraError, galat

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None

# mkstemp's random part: 8 characters of this alphabet (tempfile._RandomNameSequence)
_RANDOM_PART = re.compile(r"[a-z0-9_]{8}")
# without locks a live temporary cannot be told from an abandoned one: only old ones are removed then
_ABANDONED_AFTER = 3600


def write_atomic(path: Path, data: bytes) -> None:
    """Either the whole new file is at `path`, or the old one is untouched."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_temporaries(path)
        with _temporary(path) as (handle, tmp):
            _chmod(handle.fileno(), tmp, 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            if fcntl is None:  # Windows renames no open file; there is no lock to keep open either
                handle.close()
            os.replace(tmp, path)  # still locked: a concurrent cleanup leaves it alone until renamed
    except OSError as error:
        raise unwritable(path, error) from error  # the OS error stays visible with --debug


def _prefix(path: Path) -> str:
    return f".{path.name}."


@contextmanager
def _temporary(path: Path):
    """A new temporary beside `path`, open and locked; removed if anything goes wrong before its rename,
    KeyboardInterrupt and SystemExit included."""
    fd, tmp = _locked_temporary(path)
    try:
        with open(fd, "wb") as handle:  # closing releases the lock
            yield handle, tmp
    except BaseException:  # also when closing failed: flushing the last bytes onto a full disk
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _locked_temporary(path: Path) -> tuple[int, str]:
    """mkstemp, then an flock held for as long as the file is open."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=_prefix(path), dir=path.parent)
        try:
            _lock(fd, wait=True)
            # between mkstemp and the lock, another writer may have taken it for abandoned and removed it
            mine = os.path.samestat(os.fstat(fd), os.stat(tmp))
        except FileNotFoundError:
            mine = False
        except BaseException:
            os.close(fd)
            with suppress(OSError):
                os.unlink(tmp)
            raise
        if mine:
            return fd, tmp
        os.close(fd)


def _lock(fd: int, wait: bool) -> bool:
    """An exclusive flock; False if another holds it or the file system has no locks."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # EWOULDBLOCK: a live writer; ENOLCK: no locks here (some network disks)
        return False
    return True


def _remove_abandoned_temporaries(path: Path) -> None:
    """Temporaries of this same target left by runs killed before their rename."""
    prefix = _prefix(path)
    with os.scandir(path.parent) as entries:
        names = [
            e.name
            for e in entries
            if e.name.startswith(prefix)
            and _RANDOM_PART.fullmatch(e.name[len(prefix) :])
            and e.is_file(follow_symlinks=False)
        ]
    for name in names:
        _remove_if_abandoned(path.parent / name)


def _remove_if_abandoned(tmp: Path) -> None:
    if fcntl is None:  # no locks to tell a live writer by: only an old temporary goes
        with suppress(OSError):
            if time.time() - tmp.stat().st_mtime > _ABANDONED_AFTER:
                tmp.unlink()
        return
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:  # renamed into place or removed meanwhile
        return
    try:
        # the lock dies with its writer: whoever gets it may remove the file, and removes it still holding it
        if _lock(fd, wait=False):
            with suppress(OSError):
                os.unlink(tmp)
    finally:
        os.close(fd)


def _chmod(fd: int, tmp: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(tmp, mode)


def _umask() -> int:
    """The umask, read without changing it where Linux tells it: os.umask sets it while reading it, and a
    thread creating a file in that moment would get the wrong mode."""
    with suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_CHECK_FOLDER = "periksa pemilik dan izin folder itu, atau tulis ke tempat lain dengan --output"
_REASONS = {
    errno.EACCES: ("folder tidak dapat ditulisi (izin ditolak)", _CHECK_FOLDER),
    errno.EPERM: ("folder tidak dapat ditulisi (izin ditolak)", _CHECK_FOLDER),
    errno.EROFS: (
        "sistem berkas hanya-baca",
        "tulis ke tempat lain dengan --output, atau pasang disknya agar dapat ditulisi",
    ),
    errno.ENOSPC: ("disk penuh", "kosongkan ruang disk, lalu bangun ulang"),
    getattr(errno, "EDQUOT", -1): ("kuota disk habis", "kosongkan ruang dalam kuota Anda, lalu bangun ulang"),
    errno.EFBIG: (
        "berkas melebihi batas ukuran",
        "periksa batas ukuran berkas (ulimit -f) dan sistem berkasnya",
    ),
    errno.EEXIST: ("ada berkas yang bukan folder di jalurnya", "periksa jalur berkas keluaran"),
    errno.ENOTDIR: ("ada berkas yang bukan folder di jalurnya", "periksa jalur berkas keluaran"),
    errno.EISDIR: (
        "sudah ada folder dengan nama itu",
        "pindahkan folder itu, atau tulis ke tempat lain dengan --output",
    ),
    errno.ENAMETOOLONG: ("nama berkas terlalu panjang", "pilih nama atau folder yang lebih pendek"),
    errno.EIO: ("galat baca/tulis pada disk", "periksa disknya"),
}


def unwritable(path: Path, error: OSError) -> RenstraError:
    """The galat for an output that could not be written, with the reason in the user's words."""
    shown = _shown(path)
    reason, hint = _REASONS.get(error.errno, (None, ""))
    if reason is None:  # a rarer one: the system's own words, and its code for a search
        reason = f"{error.strerror or error} ({errno.errorcode.get(error.errno, error.errno)})"
    return RenstraError([galat(shown, 1, 1, f"tidak dapat menulis {shown}: {reason}", hint)])


def _shown(path: Path) -> str:
    """Relative to the working folder when inside it, as the other problems are shown; else as given."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
