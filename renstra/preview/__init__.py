"""`build.py preview`: a local server that shows the document as it is saved.

The recipe: bind 127.0.0.1:<port> (a taken port is one message, exit 1) → start the layout processes →
build once → for every batch of saved files under content/, data/ and templates/ (watchfiles, which
waits on the kernel's file events), build again in this warm process and publish the rendering or the
galat; after each good rendering the PDF is laid out in the background by the same chapter cache as
`make pdf`. Ctrl-C (or SIGTERM) ends the server, the watcher and the layout processes, and returns 0.
"""

from __future__ import annotations

import errno
import multiprocessing
import signal
import sys
import threading
import time
from pathlib import Path

from renstra import pipeline
from renstra.preview.server import State, make_server
from renstra.preview.session import WATCHED, BackgroundPdf, WarmBuild, problems_of

DEFAULT_PORT = 8686
SERVED_SECONDS = 1.0  # how long the PDF waits for an open page to fetch the new rendering first


def serve(root: Path, port: int = DEFAULT_PORT) -> int:
    """Serve the preview of the document at `root` until Ctrl-C; the exit code."""
    state = State(_pdf_name(root))
    warm = WarmBuild(root)
    try:
        server = make_server(port, state, warm)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(
            f"Port {port} sudah dipakai program lain (mungkin pratinjau yang masih berjalan). "
            f"Hentikan program itu, atau pakai port lain: make preview PORT={port + 1}",
            file=sys.stderr,
        )
        return 1
    threading.Thread(target=server.serve_forever, name="renstra-http", daemon=True).start()
    print(f"Pratinjau: http://127.0.0.1:{port}/   (Ctrl-C untuk berhenti)", flush=True)
    from renstra.render.layout_processes import layout_pool

    with layout_pool(interrupt=False) as pool:
        signal.signal(signal.SIGTERM, _interrupt)  # only now: forked before, the workers die as told
        pdf = BackgroundPdf(
            pool,
            root / "output" / ".cache",
            lambda v, data, s: _pdf_done(state, v, data, s),
            first=lambda versi: state.wait_served(versi, SERVED_SECONDS),
        )
        pdf.start()
        try:
            _rebuild(warm, state, pdf, [])
            _watch(root, warm, state, pdf)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
            _stop(server, state, pdf, pool)
    print("\nPratinjau dihentikan.", flush=True)
    return 0


def _watch(root: Path, warm: WarmBuild, state: State, pdf: BackgroundPdf) -> None:
    import watchfiles

    folders = [root / name for name in WATCHED if (root / name).is_dir()]
    # step: how long the tree must stay quiet before a batch is built (an editor's save is several events)
    for changes in watchfiles.watch(*folders, step=30, debounce=400, rust_timeout=1000):
        _rebuild(warm, state, pdf, [Path(path) for _, path in changes])


def _rebuild(warm: WarmBuild, state: State, pdf: BackgroundPdf, changed: list[Path]) -> None:
    started = time.monotonic()
    try:
        bagian, html = warm.build(changed)
    except Exception as error:  # the files as saved: the last good page stays, the overlay says why
        problems = problems_of(error)
        state.failed(problems)
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        return
    versi = state.rendered(html)
    print(f"diperbarui: versi {versi} ({_detik(time.monotonic() - started)})", flush=True)
    pdf.request(versi, bagian)


def _pdf_done(state: State, versi: int, data: bytes | None, seconds: float) -> None:
    state.pdf_done(versi, data)
    if data is None:
        print("PDF tidak dapat ditata ulang; PDF sebelumnya tetap tersedia.", file=sys.stderr, flush=True)
    else:
        print(f"PDF versi {versi} siap ({_detik(seconds)})", flush=True)


def _stop(server, state: State, pdf: BackgroundPdf, pool) -> None:
    """Everything this process started ends here: the event streams, the server, the PDF thread and the
    layout processes (a layout under way is not waited for)."""
    state.close()
    server.shutdown()
    server.server_close()
    pdf.stop()
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(timeout=5)
    pdf.join(timeout=5)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _pdf_name(root: Path) -> str:
    try:
        return pipeline.output_name(root) + ".pdf"
    except Exception:  # data/dokumen.yaml does not read yet: the first build reports why
        return "renstra.pdf"


def _detik(seconds: float) -> str:
    return f"{seconds:.2f} detik".replace(".", ",")
