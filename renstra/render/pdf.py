"""Render PDF: HTML string → PDF bytes with WeasyPrint, reading nothing outside the repository."""

from __future__ import annotations

import shutil
from collections import OrderedDict
from contextlib import contextmanager
from multiprocessing.util import Finalize
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from renstra.problems import RenstraError, galat
from renstra.render import baris_teks, pangkas_huruf, pemenggalan, titik_pandu

pemenggalan.daftarkan()  # Indonesian hyphenation by PUEBI's rules, wherever WeasyPrint lays out (workers too)
titik_pandu.daftarkan()  # the lists' leader dots drawn a few at a time, not each alone
baris_teks.daftarkan()  # a line of text broken once per document, not again for every cell that repeats it
pangkas_huruf.daftarkan()  # without HarfBuzz-Subset: fontTools subsets without reading what it drops


class RefusedURL(FatalURLFetchingError):
    """Fatal on purpose: WeasyPrint would otherwise log a warning and silently leave a hole."""


class ConfinedFetcher(URLFetcher):
    """Serves files under the repository and data: URLs; refuses the network and the rest of the disk."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        if url.startswith("data:") or self._inside(url):
            return super().fetch(url, headers)
        raise RefusedURL(url)

    def _inside(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            return False
        path = Path(unquote(parsed.path)).resolve()
        return path == self.root or self.root in path.parents


def render_pdf(html: str, root: Path, pdfa: bool = False) -> bytes:
    """PDF bytes of the document (PDF/A-3b for archiving when `pdfa`); nothing outside the repository."""
    with confined():
        return weasy_html(html, root).write_pdf(pdf_variant="pdf/a-3b" if pdfa else None)


def weasy_html(html: str, root: Path) -> HTML:
    """WeasyPrint's document for `html`, resolving relative URLs inside the repository only."""
    return HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=ConfinedFetcher(root))


# A layout process lays out many parts with the same style sheet. Parsing the sheet again for each
# part, and loading its four faces into a new fontconfig configuration, took a fifth of a small
# chapter's time; a process keeps one font configuration, and the last few sheets parsed with it.
_FONTS: list[FontConfiguration] = []
_SHEETS: OrderedDict[tuple[Path, str], CSS] = OrderedDict()
_SHEETS_KEPT = 8


def laid_out(html: str, root: Path):
    """WeasyPrint's laid-out document of one part (a `dokumen.html.j2` page with its one <style>),
    the sheet parsed once per process. The same pages, byte for byte, as `weasy_html(html).render()`:
    a sheet given to WeasyPrint apart is of the user's origin rather than the author's, which changes
    nothing when it is the only sheet besides WeasyPrint's own (pandoc takes no raw HTML from the
    text, so no chapter brings a <style> of its own; the attributes the tables' widths are set in
    win over either)."""
    head, _, rest = html.partition("<style>")
    sheet, closed, body = rest.partition("</style>")
    if not closed or "<style" in body:  # not one of our parts: laid out as it is
        return weasy_html(html, root).render()
    if not _FONTS:
        _FONTS.append(FontConfiguration())
        Finalize(None, _forget_fonts, exitpriority=0)  # also in a layout process, which ends by os._exit
    key = (root, sheet)
    css = _SHEETS.get(key)
    if css is None:
        css = CSS(
            string=sheet,
            base_url=root.as_uri() + "/",
            url_fetcher=ConfinedFetcher(root),
            font_config=_FONTS[0],
        )
        _SHEETS[key] = css
        while len(_SHEETS) > _SHEETS_KEPT:
            _SHEETS.popitem(last=False)
    _SHEETS.move_to_end(key)
    return weasy_html(head + body, root).render(stylesheets=[css], font_config=_FONTS[0])


def _forget_fonts() -> None:
    """WeasyPrint keeps a configuration's faces in a temporary folder, which it removes when the
    configuration is collected; the documents laid out with it may still refer to it from their
    cycles, and a layout process ends without collecting them (a full collection of all it laid out,
    which the build would wait for): the folder is removed here."""
    _SHEETS.clear()
    for fonts in _FONTS:
        folder = getattr(fonts, "_folder", None)  # WeasyPrint's; none until a face was added
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    _FONTS.clear()


@contextmanager
def confined():
    """A refused URL becomes the project's own error instead of a traceback."""
    try:
        yield
    except RefusedURL as refused:
        raise RenstraError(
            [
                galat(
                    "templates/",
                    1,
                    1,
                    f"sumber di luar repositori ditolak: {refused}",
                    "gambar dan huruf harus berada di dalam repositori",
                )
            ]
        ) from None
