"""write_atomic: the mode the umask gives, no temporary left behind, and an unwritable place told in Bahasa Indonesia."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from renstra.problems import RenstraError
from renstra.write import write_atomic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def umask():
    """Set the process umask for one test, and put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize(
    "mask, mode",
    [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)],
    ids=["022", "002", "077", "027"],
)
def test_the_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)
    write_atomic(tmp_path / "new.pdf", b"new")
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"old")
    os.chmod(existing, 0o600)
    write_atomic(existing, b"new")
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == mode
    assert stat.S_IMODE(existing.stat().st_mode) == mode
    assert existing.read_bytes() == b"new"


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_run_killed_at_the_rename_leaves_a_temporary_the_next_run_removes(tmp_path):
    target = tmp_path / "renstra.pdf"
    target.write_bytes(b"old")
    killed = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from renstra.write import write_atomic
        os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # killed just before the rename
        write_atomic(Path({str(target)!r}), b"half")
    """)
    run = subprocess.run([sys.executable, "-c", killed], cwd=ROOT)
    assert run.returncode == -signal.SIGKILL
    assert len(_hidden(tmp_path)) == 1 and target.read_bytes() == b"old"
    write_atomic(target, b"new")
    assert _hidden(tmp_path) == [] and target.read_bytes() == b"new"


def test_only_abandoned_temporaries_of_the_same_target_are_removed(tmp_path):
    target = tmp_path / "renstra.pdf"
    keep = [
        ".renstra.pdf.masukan",  # the build stamp beside it
        ".renstra.pdf.masukan.k2j4_x9a",  # a temporary of the stamp, another target
        ".renstra.pdfa.k2j4_x9a",  # another target whose name starts alike
        ".renstra.pdf.k2j4_x9a0",  # not a name mkstemp gives
        "renstra.pdf.k2j4_x9a",
    ]  # not hidden
    for name in keep + [".renstra.pdf.k2j4_x9a", ".renstra.pdf.zzzzzzzz"]:
        (tmp_path / name).write_bytes(b"x")
    write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep + ["renstra.pdf"])


def test_the_temporary_of_a_writer_still_running_is_left_alone(tmp_path):
    """Two builds at once: the second must not delete the first one's temporary under its feet."""
    fcntl = pytest.importorskip("fcntl")
    target = tmp_path / "renstra.pdf"
    live = tmp_path / ".renstra.pdf.abcd1234"
    with open(live, "wb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a running write_atomic holds its own temporary
        write_atomic(target, b"new")
        assert live.exists()
    write_atomic(target, b"newer")  # its writer is gone now
    assert not live.exists()


def _write_many(target: str, mark: bytes, start, failures) -> None:
    start.wait()
    for _ in range(300):
        try:
            write_atomic(Path(target), mark * 5000)
        except BaseException as error:  # noqa: BLE001 - any failure is what is tested
            failures.put(f"{type(error).__name__}: {error}")
            return


def test_two_writers_of_the_same_target_at_once_never_fail_each_other(tmp_path):
    """Each removes the other's abandoned temporaries, never its live one."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    target = tmp_path / "renstra.pdf"
    start, failures = context.Barrier(2), context.Queue()
    writers = [
        context.Process(target=_write_many, args=(str(target), mark, start, failures))
        for mark in (b"A", b"B")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert [w.exitcode for w in writers] == [0, 0]
    assert failures.empty(), failures.get()
    assert target.read_bytes() in (b"A" * 5000, b"B" * 5000)
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_while_writing_removes_the_temporary(tmp_path, monkeypatch, interrupt):
    target = tmp_path / "renstra.pdf"
    target.write_bytes(b"old")

    def stop(*args):
        raise interrupt()

    monkeypatch.setattr(os, "replace", stop)
    with pytest.raises(interrupt):
        write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["renstra.pdf"] and target.read_bytes() == b"old"


def _raising(error: OSError):
    def fail(*args, **kwargs):
        raise error

    return fail


FAILURES = {
    "permission at mkstemp": (
        tempfile,
        "mkstemp",
        PermissionError(errno.EACCES, "Permission denied"),
        "folder tidak dapat ditulisi (izin ditolak)",
    ),
    "permission at rename": (
        os,
        "replace",
        PermissionError(errno.EPERM, "Operation not permitted"),
        "folder tidak dapat ditulisi (izin ditolak)",
    ),
    "read-only file system": (
        tempfile,
        "mkstemp",
        OSError(errno.EROFS, "Read-only file system"),
        "sistem berkas hanya-baca",
    ),
    "disk full": (os, "replace", OSError(errno.ENOSPC, "No space left on device"), "disk penuh"),
}


@pytest.mark.parametrize("failure", FAILURES, ids=list(FAILURES))
def test_an_unwritable_place_is_a_galat_in_bahasa_indonesia(tmp_path, monkeypatch, failure):
    module, name, error, reason = FAILURES[failure]
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "output" / "renstra.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")
    monkeypatch.setattr(module, name, _raising(error))
    with pytest.raises(RenstraError) as caught:
        write_atomic(target, b"new")
    [problem] = caught.value.problems
    assert str(problem).startswith(
        f"output/renstra.pdf:1:1: galat: tidak dapat menulis output/renstra.pdf: {reason} ("
    )
    assert problem.hint
    assert (
        sorted(p.name for p in target.parent.iterdir()) == ["renstra.pdf"] and target.read_bytes() == b"old"
    )


def test_a_write_that_fails_halfway_is_a_galat_and_leaves_no_temporary(tmp_path):
    """A real failure of write(2) itself, not of the rename: the file size limit (EFBIG), as a full disk would."""
    resource = pytest.importorskip("resource")
    target = tmp_path / "renstra.pdf"
    target.write_bytes(b"old")
    limits, handler = resource.getrlimit(resource.RLIMIT_FSIZE), signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (10000, limits[1]))
    try:
        with pytest.raises(
            RenstraError, match="tidak dapat menulis .*renstra.pdf: berkas melebihi batas ukuran"
        ):
            write_atomic(target, b"x" * 100000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["renstra.pdf"] and target.read_bytes() == b"old"


def test_a_target_that_is_a_folder_is_a_galat(tmp_path):
    (tmp_path / "renstra.pdf").mkdir()
    with pytest.raises(RenstraError, match="tidak dapat menulis .*renstra.pdf: "):
        write_atomic(tmp_path / "renstra.pdf", b"new")
    assert _hidden(tmp_path) == []


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root writes into a read-only folder anyway"
)
def test_a_read_only_folder_is_a_galat(tmp_path):
    folder = tmp_path / "output"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(RenstraError, match="folder tidak dapat ditulisi"):
            write_atomic(folder / "renstra.pdf", b"new")
    finally:
        folder.chmod(0o755)


def test_the_cli_reports_an_unwritable_output_as_a_galat_not_an_internal_error(tmp_path, capsys):
    """Through build.py: a real failure of the OS (the output's folder is a file), not a simulated one."""
    from renstra.cli import main

    (tmp_path / "output").write_text("a file, not a folder")
    assert main(["--root", str(ROOT), "html", "--output", str(tmp_path / "output" / "renstra.html")]) == 1
    err = capsys.readouterr().err
    assert "galat internal" not in err
    assert f": galat: tidak dapat menulis {tmp_path / 'output' / 'renstra.html'}: " in err


def test_a_build_runs_with_the_collector_paused_and_gives_it_back(tmp_path, monkeypatch):
    """The build's own process does not run Python's cyclic collector while it loads, checks and
    renders (it kept rescanning the document as printed); the collector is on again afterwards — a
    process that builds in-process (a test, an editor's plug-in) keeps its own."""
    import gc

    from renstra import cli, pipeline
    from renstra.problems import RenstraError, galat

    seen = []

    def build(root, kind, out, **kwargs):
        seen.append((kind, gc.isenabled()))
        if kwargs.get("edisi") == "tercetak":  # a build that stops at a galat
            raise RenstraError([galat("data/dokumen.yaml", 1, 1, "rusak")])
        return 1

    monkeypatch.setattr(pipeline, "build", build)
    monkeypatch.setattr(pipeline, "output_name", lambda root, edisi=None, digest=None: "renstra")
    assert gc.isenabled()
    assert cli.main(["--root", str(tmp_path), "pdf"]) == 0
    assert cli.main(["--root", str(tmp_path), "docx"]) == 0
    assert cli.main(["--root", str(tmp_path), "pdf", "--edisi", "tercetak"]) == 1
    assert seen == [("pdf", False), ("docx", False), ("pdf", False)]
    assert gc.isenabled()


def test_a_build_up_to_date_knows_its_outputs_name_without_loading_the_document(tmp_path, monkeypatch):
    """The name a build derived from data/dokumen.yaml is kept under the digest of its inputs: the next
    build of the same inputs takes it as it is (a `make pdf` with nothing to do no longer loads the
    document); an edit derives it again, and a kept file that is damaged, or names a path rather than a
    file, is not believed."""
    import json

    from conftest import kecil

    from renstra import cli, pipeline
    from renstra.source import load

    root = kecil(tmp_path / "dokumen")
    built = []
    monkeypatch.setattr(pipeline, "build", lambda root, kind, out, **kwargs: built.append(out) or 1)
    assert cli.main(["--root", str(root), "pdf"]) == 0
    first = built[-1]
    assert first.parent == root / "output" and first.name.startswith("renstra-")
    kept = root / pipeline.KEPT_NAMES
    assert list(json.loads(kept.read_text()).values()) == [first.stem]

    real = load.load_dokumen
    monkeypatch.setattr(load, "load_dokumen", lambda *a, **k: pytest.fail("the document was loaded"))
    assert cli.main(["--root", str(root), "pdf"]) == 0
    assert built[-1] == first

    loads = []
    monkeypatch.setattr(load, "load_dokumen", lambda *a, **k: loads.append(1) or real(*a, **k))
    for damaged in ("{", '["x"]', json.dumps({next(iter(json.loads(kept.read_text()))): "../../di-luar"})):
        kept.write_text(damaged)
        assert cli.main(["--root", str(root), "pdf"]) == 0
        assert built[-1] == first  # derived again, in output/
    assert len(loads) == 3
    chapter = root / "content" / "01-pendahuluan.md"
    chapter.write_text(chapter.read_text() + "\nKalimat baru.\n")
    assert cli.main(["--root", str(root), "pdf"]) == 0
    assert cli.main(["--root", str(root), "docx", "--edisi", "tercetak"]) == 0
    assert cli.main(["--root", str(root), "docx", "--edisi", "tercetak"]) == 0
    assert len(loads) == 5  # the edit, then the other edition, each once
    assert sorted(key.split(":")[1] for key in json.loads(kept.read_text())) == ["", "tercetak"]

    (root / "output" / ".cache").rename(root / "output" / "cache-lama")
    (root / "output" / ".cache").write_text("bukan folder")  # the name cannot be kept: the build stands
    chapter.write_text(chapter.read_text() + "\nKalimat lain.\n")
    assert cli.main(["--root", str(root), "pdf"]) == 0
    assert built[-1] == first


def test_a_build_of_new_inputs_starts_its_layout_processes_before_it_derives_the_name(tmp_path, monkeypatch):
    """Where no name is kept for these inputs (a fresh clone, an edit) or the build is forced, a build
    is all but sure: the layout processes start before data/dokumen.yaml is loaded for the output's
    name, not after; a build that may be up to date starts them only once it knows it is not. A galat
    while the name is derived ends them with it."""
    from contextlib import contextmanager

    from conftest import kecil

    from renstra import cli, pipeline
    from renstra.render import layout_processes
    from renstra.source import load

    root = kecil(tmp_path / "dokumen")
    events = []

    @contextmanager
    def pool(*args, **kwargs):
        events.append("mulai")
        try:
            yield "pool"
        except BaseException:
            events.append("dihentikan")
            raise
        events.append("selesai")

    def build(root, kind, out, helpers, **kwargs):
        events.append("build")
        with helpers() as started:
            events.append(f"build:{started}")
        return 1

    real = load.load_dokumen
    monkeypatch.setattr(layout_processes, "layout_pool", pool)
    monkeypatch.setattr(pipeline, "build", build)
    monkeypatch.setattr(load, "load_dokumen", lambda *a, **k: events.append("muat") or real(*a, **k))

    assert cli.main(["--root", str(root), "pdf"]) == 0  # nothing kept yet
    assert events == ["mulai", "muat", "build", "build:pool", "selesai"]
    events.clear()
    assert cli.main(["--root", str(root), "pdf"]) == 0  # kept: maybe up to date
    assert events == ["build", "mulai", "build:pool", "selesai"]
    events.clear()
    assert cli.main(["--root", str(root), "pdf", "--force"]) == 0
    assert events == ["mulai", "build", "build:pool", "selesai"]
    events.clear()
    (root / "data" / "dokumen.yaml").write_text("nama: [", encoding="utf-8")
    assert cli.main(["--root", str(root), "pdf"]) == 1
    assert events == ["mulai", "muat", "dihentikan"]


def test_pandoc_runs_while_the_checks_do(tmp_path, monkeypatch):
    """A build starts the chapters' pandoc for the edition it prints before its checks run, and takes
    the same HTML from it as a document converted afterwards; a document only checked starts none.
    Where the edition cannot be resolved before the checks, it is resolved after them, as before."""
    from conftest import kecil

    import renstra.check
    import renstra.document.resolve as resolve_module
    from renstra import pipeline

    root = kecil(tmp_path / "dokumen")
    real_check, real_resolve = renstra.check.check, resolve_module.resolve
    started = []

    def check(doc, **kw):
        started.append(sorted(edisi for edisi, d in made if d._pandoc is not None))
        return real_check(doc, **kw)

    made = []

    def resolve(source, cetakan=resolve_module.edisi.PERBAIKAN, **kw):
        made.append((cetakan, real_resolve(source, cetakan, **kw)))
        return made[-1][1]

    monkeypatch.setattr(renstra.check, "check", check)
    monkeypatch.setattr(resolve_module, "resolve", resolve)
    for edisi in (None, "perbaikan"):  # the fixture's own edition is the text as signed
        made.clear()
        early = pipeline.checked(root, edisi, mulai_pandoc=True)
        assert started[-1] == [early.cetakan]
        made.clear()
        late = pipeline.checked(root, edisi)
        assert started[-1] == []
        assert late._pandoc is None and late.cetakan == early.cetakan
        assert early.fragments() == late.fragments()
        assert any("<h1" in html for html in early.fragments())

    failed = []

    def broken(source, cetakan=resolve_module.edisi.PERBAIKAN, **kw):
        if cetakan == "tercetak" and not failed:
            failed.append(cetakan)
            raise ValueError("data the checks have not seen yet")
        return real_resolve(source, cetakan, **kw)

    made.clear()
    monkeypatch.setattr(resolve_module, "resolve", broken)
    doc = pipeline.checked(root, mulai_pandoc=True)
    assert failed == ["tercetak"] and doc.cetakan == "tercetak" and doc._pandoc is None
    assert any("<h1" in html for html in doc.fragments())


def test_a_ctrl_c_while_the_edition_is_resolved_early_is_not_taken_for_broken_data(tmp_path, monkeypatch):
    """The early resolve takes a failure for data the checks will report: a Ctrl-C that Python 3.11
    hands on as a RuntimeError (raised while a module's classes are made) stops the build instead."""
    from conftest import kecil

    import renstra.document.resolve as resolve_module
    from renstra import pipeline

    root = kecil(tmp_path / "dokumen")  # its own edition is the text as signed: resolved early
    real_resolve = resolve_module.resolve

    def interrupted(source, cetakan=resolve_module.edisi.PERBAIKAN, **kw):
        if cetakan == "tercetak" and not stopped:  # once: resolved again, it would pass
            stopped.append(cetakan)
            raise RuntimeError("Error calling __set_name__") from KeyboardInterrupt()
        return real_resolve(source, cetakan, **kw)

    stopped = []

    monkeypatch.setattr(resolve_module, "resolve", interrupted)
    with pytest.raises(RuntimeError) as raised:
        pipeline.checked(root, mulai_pandoc=True)
    assert isinstance(raised.value.__cause__, KeyboardInterrupt) and stopped == ["tercetak"]
