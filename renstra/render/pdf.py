"""Render PDF: HTML string → PDF bytes with WeasyPrint, reading nothing outside the repository."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from renstra.problems import RenstraError, galat
from renstra.render.pemenggalan import daftarkan

daftarkan()  # Indonesian hyphenation by PUEBI's rules, wherever WeasyPrint lays out (workers too)


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
