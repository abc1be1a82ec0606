"""Shared fixtures: the real document is loaded, resolved and built ONCE per test session, then inspected many times."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest

from renstra.document.resolve import resolve
from renstra.render.html import render_html
from renstra.reproducible import pin_build_time
from renstra.source.load import load

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def doc():
    source = load(ROOT)
    pin_build_time(ROOT, source.dokumen.penetapan.tanggal)  # as the CLI does: same commit, same bytes
    return resolve(source)


@pytest.fixture(scope="session")
def html(doc):
    return render_html(doc)


@pytest.fixture(scope="session")
def pdf_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def pdf_path(doc, pdf_cache, tmp_path_factory):
    """The PDF as `make pdf` builds it: chapters laid out in parallel and assembled."""
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel

    path = tmp_path_factory.mktemp("pdf") / "renstra.pdf"
    path.write_bytes(render_pdf_paralel(Bagian.of(doc), cache=pdf_cache))
    return path


@pytest.fixture(scope="session")
def docx_bytes(doc, pdf_path, pdf_cache):
    """The DOCX as `make docx` builds it after `make pdf`: its lists take the PDF's page numbers from
    the chapter cache, nothing is laid out again."""
    from renstra.render.docx import render_docx

    return render_docx(doc, cache=pdf_cache)


@pytest.fixture(scope="session")
def pdf_pages(pdf_path):
    """Per page: (text, width, height) extracted with pdfplumber."""
    with pdfplumber.open(pdf_path) as pdf:
        return [(page.extract_text() or "", page.width, page.height) for page in pdf.pages]


@pytest.fixture(scope="session")
def pdf_tables(pdf_path):
    """Per page: the rows of every ruled table on it, each cell's text with line breaks as spaces."""

    def clean(cell):
        # a line break inside a cell is a space, except after "/" where a narrow cell wrapped "orang/12"
        # and a hyphenation point (U+2010 at a line end) joins the word again
        return " ".join((cell or "").replace("\u2010\n", "").split()).replace("/ ", "/")

    with pdfplumber.open(pdf_path) as pdf:
        return [
            [[clean(c) for c in row] for table in page.extract_tables() for row in table]
            for page in pdf.pages
        ]


@pytest.fixture
def repo_copy(tmp_path):
    """A writable copy of the repository's inputs, to break in the way a check guards."""
    for name in ("content", "data", "templates", "fonts", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.fixture(scope="session")
def docx_pdf(docx_bytes, tmp_path_factory):
    """The DOCX as LibreOffice lays it out (its PDF), where LibreOffice is installed."""
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (apt-get install libreoffice-writer-nogui) not installed")
    folder = tmp_path_factory.mktemp("docx-pdf")
    (folder / "renstra.docx").write_bytes(docx_bytes)
    profile = (folder / "profil").as_uri()  # its own profile: another soffice running does not block it
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(folder), str(folder / "renstra.docx")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / "renstra.pdf"
