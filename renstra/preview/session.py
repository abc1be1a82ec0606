"""The warm build of the live preview: content/, data/ and templates/ → the screen HTML, built again in
one long-lived process after every save, redoing only what the change touches.

Every build runs the whole recipe (load → resolve → check → render), so what the preview shows is what
`make html` would write. What stays warm between builds is a Memo (renstra.document.resolve): pandoc's
HTML per chapter text, and — while data/ and templates/ are unchanged — every table's view (its column
widths are measured with the fonts, the slowest part of check) and its rendered HTML. A one-sentence
edit thus runs pandoc on one chapter and renders no table again. The YAML is read again each time:
reading is cheap beside checking, and it is what tells a half-saved file from a good one.

The PDF comes from a thread beside it (BackgroundPdf): the same chapter layout and cache as `make pdf`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from renstra import pipeline
from renstra.document.resolve import Memo
from renstra.layout import tata_letak
from renstra.problems import GALAT, Problem, RenstraError, galat
from renstra.render.html import Bagian
from renstra.render.pdf_parallel import render_pdf_paralel
from renstra.render.pratinjau import render_pratinjau
from renstra.reproducible import pin_build_time
from renstra.templating import template_env

WATCHED = ("content", "data", "templates")
FONT_URL = "/_pratinjau/huruf/{}"
LAMBANG_URL = "/_pratinjau/lambang"


class WarmBuild:
    """The document at `root`, rebuilt on demand with what the last builds left."""

    def __init__(self, root: Path):
        self.root = root
        self.memo = Memo()
        self.env = template_env(root)
        self.fonts: dict[str, Path] = {}  # style → font file, as the page's @font-face asks for them
        self.lambang: Path | None = None
        self._pinned = False

    def build(self, changed: Iterable[Path] = ()) -> tuple[Bagian, str]:
        """The checked document's parts (what its PDF is laid out from) and its screen HTML; raises
        RenstraError with every galat."""
        folders = {self._folder(path) for path in changed}
        if folders & {"data", "templates"}:
            self.memo = self.memo.fresh()
        if "templates" in folders:
            self.env = template_env(self.root)
        renstra = pipeline.checked(self.root, memo=self.memo)
        if not self._pinned:  # as `make pdf` does once per build: the PDF's dates are the commit's
            pin_build_time(self.root, renstra.dokumen.penetapan.tanggal)
            self._pinned = True
        self.fonts = tata_letak(self.root, renstra.dokumen.tata_letak).fonts
        self.lambang = renstra.lambang
        urls = {style: FONT_URL.format(style) for style in self.fonts}
        bagian = Bagian.of(renstra, self.env)
        return bagian, render_pratinjau(renstra, huruf=urls, lambang=LAMBANG_URL, bagian=bagian)

    def _folder(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).parts[0]
        except (ValueError, IndexError):
            return ""


def problems_of(error: BaseException) -> list[Problem]:
    """What the overlay lists: the galat of a RenstraError, or one line for a failure of ours."""
    if isinstance(error, RenstraError):
        return [p for p in error.problems if p.level == GALAT] or error.problems
    message = f"galat internal: {type(error).__name__}: {error}"
    return [galat("", 0, 0, message, "jalankan `python build.py --debug html` dan laporkan")]


class BackgroundPdf(threading.Thread):
    """Lays out the PDF of the latest good document, one build at a time; a change that comes during a
    build is taken up when it ends (only the newest counts). `done(versi, pdf_or_None, seconds)`.

    It shares the server's process (and its interpreter lock) with the page: `first` (the server's
    State.wait_served) holds it back until the open page has fetched the rendering it was asked for,
    so that the page is not served at the pace of the PDF's preparation; the pages are joined in a
    layout process."""

    def __init__(
        self,
        pool,
        cache: Path,
        done: Callable[[int, bytes | None, float], None],
        first: Callable[[int], None] = lambda versi: None,
    ):
        super().__init__(name="renstra-pdf-pratinjau", daemon=True)
        self.pool, self.cache, self.done, self.first = pool, cache, done, first
        self._wake = threading.Event()
        self._latest: tuple[int, Bagian] | None = None
        self.stopping = False

    def request(self, versi: int, bagian: Bagian) -> None:
        self._latest = (versi, bagian)
        self._wake.set()

    def stop(self) -> None:
        self.stopping = True
        self._wake.set()

    def run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self.stopping:
                return
            versi, bagian = self._latest
            started = time.monotonic()
            self.first(versi)
            try:
                pdf = render_pdf_paralel(bagian, self.cache, self.pool, join_apart=True)
            except Exception:  # the pool ended under it (Ctrl-C), or a layout failed: no new PDF
                if self.stopping:
                    return
                pdf = None
            self.done(versi, pdf, time.monotonic() - started)
