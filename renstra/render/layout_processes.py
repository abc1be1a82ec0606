"""The layout processes: started (forked warm by multiprocessing's forkserver), ended with the build
that started them, and what runs in them — one part of the document laid out alone (layout_chapter).

Light on purpose: the parent imports this module first thing, to start the forkserver before it loads
anything else; WeasyPrint is imported by the forkserver and in the layout processes only."""

from __future__ import annotations

import atexit
import functools
import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BabPdf:
    """One chapter laid out alone: its PDF, page count and on which of its pages each anchor lands."""

    pdf: bytes
    halaman: int
    anchors: dict[str, int]
    bookmarks: list[tuple[int, str, int]]  # (level, label, page index)
    links: list[
        tuple[int, str, tuple]
    ] = ()  # (page index, anchor, rectangle in PDF points) of internal links
    lanskap: list[bool] = field(default_factory=list)  # per page: landscape?


# The processes that lay out are forked by multiprocessing's forkserver, which imports WeasyPrint with
# this module once and draws a page (renstra.render.forkserver): a layout process starts warm, in a
# few milliseconds, instead of each of them spending 0.9 s of CPU on the same imports while the parent
# loads the data on the same two cores.
FORKSERVER_PRELOAD = "renstra.render.forkserver"
# A layout process ends when the build that started it ends, even by kill -9: otherwise it waits on its
# task queue forever, holding a quarter of a GiB — and the forkserver with it, which ends only when
# every process that holds its pipe has. Linux gives a process descriptor (pidfd) that says at once
# when the build has ended; elsewhere the build's pid is asked after every half second.
WATCH_BY_PIDFD = hasattr(os, "pidfd_open")


@contextmanager
def layout_pool(workers: int | None = None, interrupt: bool = True):
    """Layout processes, started at once: the forkserver imports WeasyPrint and loads fontconfig while
    the parent is still loading and checking the data (a second of start-up the build no longer waits
    for). `interrupt=False`: Ctrl-C in the terminal, which reaches the whole process group, is left to
    the parent, which ends them itself (the live preview stops without a traceback from each worker)."""
    context = _context()
    count = workers or min(2, os.cpu_count() or 1)
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), WATCH_BY_PIDFD, interrupt),
    )
    # the first tasks start the workers. A forkserver's first fork waits for its imports, which this
    # thread must not: they are asked for from another. Forked from here, they are forked at once, by
    # this thread (no other runs in this process while it forks)
    starting = None
    if context.get_start_method() == "fork":
        _start(pool, count)
    else:
        starting = threading.Thread(target=_start, args=(pool, count), name="renstra-start-layout")
        starting.start()
    try:
        yield pool
    except BaseException:
        # a galat, Ctrl-C: what is still queued is not laid out any more (it once kept a stopped
        # build running for seconds, laying out chapters nobody would see); what runs is waited for
        _end(pool, starting, cancel=True)
        raise
    _end(pool, starting, cancel=False)


def _end(pool: ProcessPoolExecutor, starting: threading.Thread | None, cancel: bool) -> None:
    if starting:
        starting.join()
    pool.shutdown(wait=True, cancel_futures=cancel)


def _start(pool: ProcessPoolExecutor, count: int) -> None:
    try:
        for _ in range(count):
            pool.submit(int)
    except Exception:  # the forkserver ended (Ctrl-C), the pool is shut: the build meets it itself
        pass


def _context():
    """The forkserver, preloaded with WeasyPrint; where it cannot start, processes forked from this one,
    which each import WeasyPrint themselves (a second of CPU more)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([FORKSERVER_PRELOAD])
    # the forkserver is a new interpreter (python -c), which finds this package on sys.path only when
    # it runs in the folder the package is in: it is told where it is, and started now
    engine = str(Path(__file__).resolve().parents[2])
    _wait_for_forkserver_at_exit()  # once: the forkserver serves every later pool of this process
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([engine, saved] if saved else [engine])
    # and it starts with Ctrl-C ignored (an ignored signal stays so across exec): a Ctrl-C while it
    # imports WeasyPrint would print its traceback; the build itself stops
    main = threading.current_thread() is threading.main_thread()
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        multiprocessing.forkserver.ensure_running()
    except OSError:  # its socket lives in TMPDIR, whose path may be longer than a socket's may be
        return multiprocessing.get_context("fork")
    finally:
        if main:
            signal.signal(signal.SIGINT, interrupt)
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return context


@functools.cache
def _wait_for_forkserver_at_exit() -> None:
    atexit.register(_end_forkserver)


def _end_forkserver() -> None:
    """At the end of this process: the forkserver, and multiprocessing's resource tracker beside it,
    end with the last process that holds their pipes, a few milliseconds after it. This process lets
    go of them and waits for them, so that nothing it started is left running when it has ended. (The
    attributes are multiprocessing's own, of Python 3.11; where they are not, nothing is done.)"""
    helpers = (
        (multiprocessing.forkserver._forkserver, "_forkserver_alive_fd", "_forkserver_pid"),
        (multiprocessing.resource_tracker._resource_tracker, "_fd", "_pid"),
    )
    for helper, pipe, pid in helpers:
        descriptor, process = getattr(helper, pipe, None), getattr(helper, pid, None)
        if descriptor is None or process is None:
            continue
        setattr(helper, pipe, None)
        setattr(helper, pid, None)
        os.close(descriptor)
        _wait(process)


def _wait(process: int, seconds: float = 2.0) -> None:
    """Wait for the child `process` to end; after `seconds` it is killed (a layout process that a
    Ctrl-C kept from being ended, which holds the forkserver's pipe too, must not hang the exit)."""
    deadline = time.monotonic() + seconds
    try:
        while os.waitpid(process, os.WNOHANG)[0] == 0:
            if time.monotonic() > deadline:
                os.kill(process, signal.SIGKILL)
                os.waitpid(process, 0)
                return
            time.sleep(0.005)
    except ChildProcessError:  # already waited for
        pass


def _start_worker(build: int, by_pidfd: bool, interrupt: bool = True) -> None:
    # (the forkserver passes on the Ctrl-C it ignores: it is set here either way)
    signal.signal(signal.SIGINT, _ctrl_c if interrupt else signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    _end_with(build, by_pidfd)
    if not _WARM:  # forked by the forkserver, it is warm already
        warm_up()


def _end_with(build: int, by_pidfd: bool) -> None:
    """This process ends as soon as the process `build` has (see WATCH_BY_PIDFD)."""
    watch, args = _poll, (build,)
    if by_pidfd:
        try:
            watch, args = _wait_for, (os.pidfd_open(build),)
        except ProcessLookupError:  # it has ended already
            os._exit(1)
        except OSError:  # a kernel without pidfd (before Linux 5.3)
            pass
    threading.Thread(target=watch, args=args, name="renstra-watch-build", daemon=True).start()


def _wait_for(descriptor: int) -> None:
    select.select([descriptor], [], [])  # readable once the process has ended
    _build_ended()


def _poll(build: int) -> None:
    while True:
        try:
            os.kill(build, 0)
        except (ProcessLookupError, PermissionError):  # (another user's process under its pid)
            _build_ended()
        time.sleep(0.5)


def _build_ended() -> None:
    """Ends this process as when it is terminated, its finalizers run (the folder of the fonts); at the
    latest after five seconds."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)
    os._exit(1)


def _terminated(signum, frame) -> None:
    """SIGTERM (the preview's stop, or the build's end): the process ends as at the end of the pool,
    through multiprocessing's own exit, which runs the finalizers — WeasyPrint's copies of the fonts
    in the temporary folder are removed (renstra.render.pdf)."""
    raise SystemExit(1)


# What a layout process does once before its first chapter: cffi parses the C types of Pango and
# HarfBuzz on first use (0.16 s, the first time text is drawn), fontconfig loads its configuration.
_PEMANASAN = (
    "<style>@page { @bottom-center { content: counter(page) } } a::after { content: leader('.') '1' }"
    "</style><p><b>.</b> <i>.</i> <a href='#x' id='x'>.</a></p><table><tr><td>.</td></tr></table>"
)


_WARM = False


def warm_up() -> None:
    global _WARM
    from weasyprint import HTML

    HTML(string=_PEMANASAN).write_pdf()
    # A layout makes a great many small objects and few cycles: the collector, run every 700 new objects
    # by default, scans the growing heap again and again — a tenth of the layout time, and still a
    # twentieth when run ten times less often. What WeasyPrint loaded is frozen out of its sight, and
    # the collector is off: a layout process collects only once its chapters have left enough behind
    # (_collect_when_grown).
    gc.collect()
    gc.freeze()
    gc.disable()
    _WARM = True


# The objects a layout process may have made since it last collected before it collects (gc's own
# count: made less freed). This document's whole body leaves a million behind, 220 MiB, of which a
# collection (0.7 s) frees nine in ten: a cold build never collects, a long-lived preview now and then.
COLLECT_AFTER = 1_500_000


def _collect_when_grown() -> None:
    if gc.get_count()[0] > COLLECT_AFTER:
        gc.collect()


# A Ctrl-C has reached this layout process: the chapters it was handed ahead are not laid out either.
_STOPPED = False
# This layout process is laying out a chapter: a Ctrl-C stops it there. Between chapters, waiting for
# the next on the pool's queue, a KeyboardInterrupt would end the process outside the pool's reach,
# printing multiprocessing's traceback (a build stopped while it still loaded its data printed one per
# layout process); there the Ctrl-C is only remembered, and the build, which stops too, ends the pool.
_BUSY = False


def _ctrl_c(signum, frame) -> None:
    global _STOPPED
    _STOPPED = True
    if _BUSY:
        raise KeyboardInterrupt


def layout_chapter(html: str, root: str, epoch: str | None = None, front: bool = False) -> BabPdf:
    """Worker: lay out one chapter (runs in a layout process)."""
    global _BUSY
    _BUSY = True
    try:
        if _STOPPED:  # (a Ctrl-C just before is seen here)
            raise KeyboardInterrupt
        return _layout_chapter(html, root, epoch, front)
    finally:
        _BUSY = False


def _layout_chapter(html: str, root: str, epoch: str | None, front: bool) -> BabPdf:
    from renstra.render.pdf import confined, laid_out

    _pin_epoch(epoch)
    with confined(), _quiet_missing_anchors() if front else nullcontext():
        document = laid_out(html, Path(root))
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # an element that spans pages is listed on each; it starts on the first
            anchors.setdefault(name, index)
    bookmarks = [
        (level, label, index)
        for index, page in enumerate(document.pages)
        for level, label, _, _ in page.bookmarks
    ]
    links = []
    for index, page in enumerate(document.pages):
        for kind, name, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal":
                # WeasyPrint measures in CSS px from the top; PDF in points from the bottom
                links.append(
                    (
                        index,
                        name,
                        (x1 * 0.75, (page.height - y2) * 0.75, x2 * 0.75, (page.height - y1) * 0.75),
                    )
                )
    landscape = [page.width > page.height for page in document.pages]
    chapter = BabPdf(
        document.write_pdf(), len(document.pages), anchors, bookmarks, sorted(set(links)), landscape
    )
    del document
    _collect_when_grown()
    return chapter


def _pin_epoch(epoch: str | None) -> None:
    """The parent's SOURCE_DATE_EPOCH, which it may have set after the workers started."""
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = epoch


@contextmanager
def _quiet_missing_anchors():
    """WeasyPrint logs every link whose anchor is in another part; those links are rebuilt later."""
    logger = logging.getLogger("weasyprint")
    quiet = logging.Filter()
    quiet.filter = lambda record: "No anchor" not in record.getMessage()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
