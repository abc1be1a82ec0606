"""The chapter cache and the layout processes: a damaged cache entry is a miss, never used and never fatal;
concurrent builds leave whole entries; layout processes die with the build that started them."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from peramban import descendants

from renstra.render import pdf_parallel
from renstra.render.layout_processes import BabPdf
from renstra.render.pdf_parallel import _cached, _store

ROOT = Path(__file__).resolve().parent.parent
KEY = "ab" * 32


def chapter(mark: bytes = b"A", pages: int = 2) -> BabPdf:
    """A small fake chapter: its bytes and its metadata both say which one it is."""
    return BabPdf(
        b"%PDF-1.7\n" + mark * 4000 + b"\n%%EOF\n",
        pages,
        {f"bab-{mark.decode()}": pages - 1},
        [(1, f"BAB {mark.decode()}", 0)],
        [(0, "tabel-1", (1.0, 2.0, 3.5, 4.0))],
        [False] * pages,
    )


def same(a: BabPdf, b: BabPdf) -> bool:
    return (a.pdf, a.halaman, a.anchors, list(a.bookmarks), list(a.links), a.lanskap) == (
        b.pdf,
        b.halaman,
        b.anchors,
        list(b.bookmarks),
        list(b.links),
        b.lanskap,
    )


def test_a_stored_chapter_comes_back_whole(tmp_path):
    _store(tmp_path, KEY, chapter())
    assert same(_cached(tmp_path, KEY), chapter())
    assert _cached(tmp_path, "cd" * 32) is None


def _meta(cache: Path) -> Path:
    return cache / f"{KEY}.json"


def _pdf(cache: Path) -> Path:
    return cache / f"{KEY}.pdf"


def _edit_meta(cache: Path, change) -> None:
    info = json.loads(_meta(cache).read_text())
    change(info)
    _meta(cache).write_text(json.dumps(info))


DAMAGE = {
    # a build killed, or a disk filled, while the entry was written
    "truncated json": lambda c: _meta(c).write_bytes(_meta(c).read_bytes()[:40]),
    "empty json": lambda c: _meta(c).write_bytes(b""),
    "garbage json": lambda c: _meta(c).write_bytes(os.urandom(300)),
    "json not an object": lambda c: _meta(c).write_text("[1, 2, 3]"),
    "deeply nested json": lambda c: _meta(c).write_text("[" * 100000),
    "missing key": lambda c: _edit_meta(c, lambda i: i.pop("halaman")),
    "wrong type": lambda c: _edit_meta(c, lambda i: i.update(halaman="dua")),
    "wrong anchors": lambda c: _edit_meta(c, lambda i: i.update(anchors=[1, 2])),
    "wrong bookmark": lambda c: _edit_meta(c, lambda i: i.update(bookmarks=[[1, "BAB A"]])),
    "wrong link": lambda c: _edit_meta(c, lambda i: i.update(links=[[0, "x", [1, 2]]])),
    "page beyond the chapter": lambda c: _edit_meta(c, lambda i: i.update(anchors={"bab-A": 9})),
    "lanskap not per page": lambda c: _edit_meta(c, lambda i: i.update(lanskap=[False])),
    "json from another cache version": lambda c: _edit_meta(c, lambda i: i.update(versi="0")),
    "json missing": lambda c: _meta(c).unlink(),
    # the bytes of the chapter itself: a blank page in the official PDF, if used
    "garbled pdf": lambda c: _pdf(c).write_bytes(_pdf(c).read_bytes().replace(b"A" * 100, b"B" * 100, 1)),
    "truncated pdf": lambda c: _pdf(c).write_bytes(_pdf(c).read_bytes()[:1000]),
    "empty pdf": lambda c: _pdf(c).write_bytes(b""),
    "garbage pdf": lambda c: _pdf(c).write_bytes(os.urandom(4000)),
    "pdf missing": lambda c: _pdf(c).unlink(),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_entry_is_a_miss_and_the_next_store_repairs_it(tmp_path, damage):
    _store(tmp_path, KEY, chapter())
    DAMAGE[damage](tmp_path)
    assert _cached(tmp_path, KEY) is None
    _store(tmp_path, KEY, chapter())
    assert same(_cached(tmp_path, KEY), chapter())


class InProcess:
    """An executor that runs each task at once, in this process."""

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_a_build_over_a_damaged_entry_lays_the_chapter_out_again(tmp_path, monkeypatch):
    """Not fatal, not used: the chapter is laid out again and its entry overwritten."""
    laid_out = []

    def fake_layout(html, root, epoch=None, front=False):
        laid_out.append(html)
        return chapter(html.encode())

    monkeypatch.setattr(pdf_parallel, "layout_chapter", fake_layout)
    first = pdf_parallel._layout_all(["A", "B"], str(ROOT), None, tmp_path, InProcess())
    assert laid_out == ["A", "B"]
    for path in tmp_path.glob("*.pdf"):
        path.write_bytes(path.read_bytes().replace(b"A" * 10, b"\0" * 10))  # one of them is damaged
    again = pdf_parallel._layout_all(["A", "B"], str(ROOT), None, tmp_path, InProcess())
    assert laid_out == ["A", "B", "A"]
    assert all(same(a, b) for a, b in zip(first, again))
    pdf_parallel._layout_all(["A", "B"], str(ROOT), None, tmp_path, InProcess())
    assert laid_out == ["A", "B", "A"]  # repaired: both taken from the cache now


def test_an_entry_leaves_no_temporary_file_behind(tmp_path):
    _store(tmp_path, KEY, chapter())
    _store(tmp_path, KEY, chapter(b"B"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{KEY}.json", f"{KEY}.pdf"]


def _store_many(cache: str, mark: bytes, keys: list[str], start) -> None:
    start.wait()
    for key in keys:
        _store(Path(cache), key, chapter(mark, pages=1 if mark == b"A" else 2))


def _read_many(cache: str, keys: list[str], start, bad) -> None:
    start.wait()
    for _ in range(3):
        for key in keys:
            try:
                found = _cached(Path(cache), key)
            except Exception as error:  # noqa: BLE001 - any exception is the failure being tested
                bad.put(f"{key}: {type(error).__name__}: {error}")
                return
            if found is not None and not any(same(found, c) for c in (chapter(b"A", 1), chapter(b"B", 2))):
                bad.put(f"{key}: a mixed entry")
                return


def test_two_builds_storing_the_same_chapters_at_once_leave_valid_entries(tmp_path):
    """Two builds (and a third reading) race on the same keys: every entry read is whole, never
    mixed from both writers, and every entry left behind is one of the two."""
    context = multiprocessing.get_context("fork")
    keys = [f"{i:064x}" for i in range(150)]
    start, bad = context.Barrier(3), context.Queue()
    workers = [
        context.Process(target=_store_many, args=(str(tmp_path), mark, keys, start)) for mark in (b"A", b"B")
    ]
    workers.append(context.Process(target=_read_many, args=(str(tmp_path), keys, start, bad)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert bad.empty(), bad.get()
    for key in keys:
        found = _cached(tmp_path, key)
        assert found is not None and any(same(found, c) for c in (chapter(b"A", 1), chapter(b"B", 2))), key
    assert all(p.suffix in (".pdf", ".json") for p in tmp_path.iterdir())


@pytest.fixture(scope="session")
def cold_build(tmp_path_factory):
    """A whole (small) document laid out once, cold, into a cache of its own."""
    from conftest import kecil

    from renstra.document.resolve import resolve
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel
    from renstra.source.load import load

    doc = resolve(load(kecil(tmp_path_factory.mktemp("kecil"))))
    cache = tmp_path_factory.mktemp("chapters")
    return render_pdf_paralel(Bagian.of(doc), cache=cache), cache, doc


def test_a_corrupted_chapter_in_the_cache_does_not_reach_the_pdf(cold_build):
    """A flipped byte in a cached chapter once gave a blank page in the official PDF: it is laid out again."""
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel

    pdf, cache, doc = cold_build
    victim = max(cache.glob("*.pdf"), key=lambda p: p.stat().st_size)
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = b"\0" * 64
    victim.write_bytes(bytes(data))
    meta = next(p for p in cache.glob("*.json") if p.stem != victim.stem)
    meta.write_bytes(meta.read_bytes()[:-5])  # and another entry's metadata is cut short
    assert render_pdf_paralel(Bagian.of(doc), cache=cache) == pdf
    assert victim.read_bytes() != bytes(data)  # overwritten with the chapter laid out again


# A build that opens the layout pool, has a task done, then waits to be killed. It prints the process that
# forked its layout processes, and how many threads that one has.
BUILD = textwrap.dedent("""
    import os, sys, time
    from renstra.render import layout_processes
    if sys.argv[1] == "poll":  # as where there is no pidfd: the build's pid asked every half second
        layout_processes.WATCH_BY_PIDFD = False
    part = (  # with a face of its own, which WeasyPrint copies into the temporary folder
        f"<html><head><style>@font-face {{ font-family: D; src: url({sys.argv[2]!r}) }}"
        " p { font-family: D }</style></head><body><p>BAB I</p></body></html>"
    )
    with layout_processes.layout_pool(workers=2) as pool:
        forker = pool.submit(os.getppid).result()
        pool.submit(layout_processes.layout_chapter, part, os.getcwd()).result()
        print(forker, len(os.listdir(f"/proc/{forker}/task")), flush=True)
        time.sleep(600)
""")


def _shown(pid: int) -> str:
    """A process as a failed assertion names it: its pid, state and command line."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return f"{pid} (ended)"
    return f"{pid} {state} {command[:200]}"


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("way", ["pidfd", "poll"])
def test_layout_processes_die_when_the_build_is_killed(way, tmp_path):
    """kill -9 of a build once left its layout processes (~258 MiB each) waiting on their queue forever;
    now it must leave nothing: neither them nor the forkserver that forked them, nor the copies of the
    fonts they laid out with."""
    sementara = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))  # short: the forkserver's socket is there
    face = (ROOT / "fonts" / "LiberationSans-Regular.ttf").as_uri()
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD, way, face],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"TMPDIR": str(sementara)},
    )
    left = []
    try:
        forker, threads = map(int, build.stdout.readline().split())
        assert forker != build.pid and threads == 1  # forked by the forkserver, from its only thread
        fonts = [p for p in sementara.iterdir() if not p.name.startswith("pymp-")]  # (multiprocessing's)
        assert [p.name[:11] for p in fonts] == ["weasyprint-"]  # one process laid out
        left = descendants(build.pid)
        assert forker in left and len(left) >= 2  # the forkserver, a layout process (and more)
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        # a layout process ends by itself at once, at the latest 5 s after it has seen the build end
        # (layout_processes._build_ended); a machine busy with other builds may take longer to run it
        deadline = time.monotonic() + 10
        while any(map(_alive, left)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [_shown(pid) for pid in left if _alive(pid)]
        assert [p.name for p in sementara.iterdir() if not p.name.startswith("pymp-")] == []
    finally:
        build.kill()
        build.wait(10)
        for pid in left:  # a failed test must not leave them behind either
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(sementara, ignore_errors=True)


# Runs a command as a subreaper (Linux): whatever it leaves running, even after it has ended, becomes
# this process's child, alive or a zombie, and is listed after its exit code.
SUBREAPER = textwrap.dedent("""
    import ctypes, os, subprocess, sys
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
    left = []
    for stat in os.listdir("/proc"):
        try:
            with open(f"/proc/{stat}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                    left.append(stat)
        except (OSError, ValueError):
            pass
    print(done.returncode, *left)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a subreaper is Linux's")
@pytest.mark.parametrize("tmpdir", ["bawaan", "panjang"])
def test_a_build_leaves_nothing_behind_when_it_returns(tmp_path, tmpdir):
    """Neither a process (the layout processes, their forkserver, multiprocessing's resource tracker)
    nor a file in the temporary folder: WeasyPrint copies a document's faces into a folder of its own,
    and each layout process's last copy (1.6 MiB) was once left behind by every build. Under a TMPDIR
    as long as pytest's, the forkserver's socket cannot be made there: the layout processes are forked
    from the build instead (and its temporary folder, the test's own, is seen to be left empty)."""
    from conftest import kecil

    root = kecil(tmp_path / "kecil")
    env = os.environ | {"SOURCE_DATE_EPOCH": "1683000000"}
    sementara = tmp_path / "sementara"
    if tmpdir == "panjang":
        sementara.mkdir()
        env["TMPDIR"] = str(sementara)
    build = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "pdf", "--force"]
    done = subprocess.run(
        [sys.executable, "-c", SUBREAPER, *build], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.stdout.split() == ["0"], done.stderr  # exit code 0, and no process left
    assert [p.name for p in (root / "output").glob("*.pdf")]
    if tmpdir == "panjang":
        assert sorted(p.name for p in sementara.iterdir()) == []


# A layout process's collector, as warm_up leaves it: off, until what was made since the last
# collection passes COLLECT_AFTER. Prints how many of 5 000 cycles are left after each call.
COLLECTOR = textwrap.dedent("""
    import gc, weakref
    from renstra.render import layout_processes
    layout_processes.warm_up()
    layout_processes.COLLECT_AFTER = 20_000
    class Node:
        pass
    def cycles(count):
        made = []
        for _ in range(count):
            a, b = Node(), Node()
            a.b, b.a = b, a
            made.append(weakref.ref(a))
        return made
    few = cycles(5_000)  # 10 000 objects: fewer than COLLECT_AFTER
    layout_processes._collect_when_grown()
    print(gc.isenabled(), sum(r() is not None for r in few), end=" ")
    many = cycles(5_000)  # 20 000 more: now more
    layout_processes._collect_when_grown()
    print(sum(r() is not None for r in few + many))
""")


def test_a_layout_process_collects_only_once_its_chapters_left_enough_behind():
    done = subprocess.run([sys.executable, "-c", COLLECTOR], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.split() == ["False", "5000", "0"], done.stderr


def test_what_is_queued_is_not_laid_out_once_the_build_stops():
    """A galat or Ctrl-C in the build once left it running for seconds, the layout processes working
    through every chapter still queued: now those are cancelled, and only what runs is waited for."""
    with pytest.raises(KeyboardInterrupt):
        with pdf_parallel.layout_pool(workers=1) as pool:
            running = pool.submit(time.sleep, 0.5)
            queued = [pool.submit(time.sleep, 0.5) for _ in range(10)]
            deadline = time.monotonic() + 60
            while not running.running() and time.monotonic() < deadline:  # handed to the process
                time.sleep(0.01)
            raise KeyboardInterrupt
    assert running.done() and not running.cancelled()
    # the pool hands a task or two to its processes ahead: those are not cancelled
    assert [f.cancelled() for f in queued].count(True) >= 8


# Ctrl-C reaches two layout processes while they wait for work (a build still loading its data): then a
# chapter is asked for. Prints what the chapter raised and the exit codes of the processes.
IDLE_CTRL_C = textwrap.dedent("""
    import os, signal, time
    from renstra.render.layout_processes import layout_chapter, layout_pool
    with layout_pool(workers=2) as pool:
        deadline = time.monotonic() + 60
        while len(pool._processes) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        for started in [pool.submit(time.sleep, 0.2) for _ in range(4)]:
            started.result()
        processes = list(pool._processes.values())
        for process in processes:
            os.kill(process.pid, signal.SIGINT)
        time.sleep(0.3)
        try:
            pool.submit(layout_chapter, "<p>x</p>", ".").result()
        except BaseException as error:
            print(type(error).__name__, end=" ")
    print(*[process.exitcode for process in processes])
""")


def test_ctrl_c_between_chapters_ends_a_layout_process_quietly():
    """A Ctrl-C that found a layout process waiting for its next chapter once ended it with
    multiprocessing's traceback on the terminal (a build stopped while still loading its data printed
    one per process): now it is only remembered — the next chapter is not laid out, and the process
    ends with the pool, silent."""
    done = subprocess.run(
        [sys.executable, "-c", IDLE_CTRL_C], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (done.stdout.split(), done.stderr) == (["KeyboardInterrupt", "0", "0"], "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a subreaper is Linux's")
# the forkserver still importing WeasyPrint; chapters laid out — of this repository's document, whose
# chapters take seconds (the small one's may all be done by then)
@pytest.mark.parametrize("after", [0.3, 1.5])
def test_ctrl_c_stops_a_build_at_once_and_cleanly(tmp_path, after):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) once printed the forkserver's
    traceback, or kept the build laying out its queued chapters for seconds: now one line, exit 130,
    no PDF, and nothing left running."""
    from conftest import kecil

    if after < 1:
        root = kecil(tmp_path / "kecil")
    else:
        root = tmp_path / "dokumen"
        for name in ("content", "data", "templates", "fonts", "schema"):
            shutil.copytree(ROOT / name, root / name)
    result = tmp_path / "hasil"
    stopper = textwrap.dedent(f"""
        import os, signal, subprocess, sys, time
        build = subprocess.Popen(sys.argv[1:], start_new_session=True, stderr=subprocess.PIPE, text=True)
        time.sleep({after})
        os.killpg(build.pid, signal.SIGINT)
        _, err = build.communicate(timeout=60)
        open({str(result)!r}, "w").write(repr((build.returncode, err)))
    """)
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "pdf", "--force"]
    done = subprocess.run(
        [sys.executable, "-c", SUBREAPER, sys.executable, "-c", stopper, *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["0"], done.stderr  # nothing left running
    assert result.read_text() == repr((130, "\ndihentikan (Ctrl-C); berkas keluaran tidak diubah.\n"))
    assert list((root / "output").glob("*.pdf")) == []
