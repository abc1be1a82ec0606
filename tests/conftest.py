"""Shared fixtures: the real document is loaded, resolved and built ONCE per test session, then inspected many times."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from pathlib import Path

import pdfplumber
import pytest

from renstra.document.resolve import resolve
from renstra.render.html import render_html
from renstra.reproducible import pin_build_time
from renstra.source.load import load, load_dokumen

ROOT = Path(__file__).resolve().parent.parent


def kecil(dest: Path) -> Path:
    """A small whole document at `dest`: the five-year fixture (tests/fixtures/lima-tahun) with the
    repository's templates and fonts — for what does not depend on the size of the document (the same
    bytes twice, an incremental layout equal to a cold one, PDF/A)."""
    fixture = ROOT / "tests" / "fixtures" / "lima-tahun"
    for name in ("content", "data", "schema"):
        shutil.copytree(fixture / name, dest / name)
    for name in ("templates", "fonts"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


# SOURCE_DATE_EPOCH as the run found it: set from outside, it is the time every build stamps.
GIVEN_EPOCH = os.environ.get("SOURCE_DATE_EPOCH")


@pytest.fixture(scope="session", autouse=True)
def one_timestamp():
    """The time every build of the run stamps, in each test process before its first test, as the CLI
    pins it (same commit, same bytes). A build pins it for the rest of its process — a small copy
    outside git to its own penetapan date: a test process whose first build was such a copy once
    stamped the shared PDF and DOCX with a time other than the one it compared them with."""
    return pin_build_time(ROOT, load_dokumen(ROOT)[0].penetapan.tanggal)  # (data/dokumen.yaml alone)


@pytest.fixture(scope="session")
def doc(one_timestamp):
    return resolve(load(ROOT))


@pytest.fixture(scope="session")
def html(doc):
    return render_html(doc)


def _shared(tmp_path_factory, name: str, make):
    """What `make(path)` writes at `path`, made once for the whole run: `make test` runs pytest in two
    processes (pytest-xdist), and whichever asks first builds it while the other waits, then reads it."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "bersama"
    folder.mkdir(exist_ok=True)
    path = folder / name
    with open(folder / f"{name}.kunci", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            partial = folder / f".{name}.sebagian"
            make(partial)
            partial.rename(path)
    return path


def _pickled(tmp_path_factory, name: str, make):
    path = _shared(tmp_path_factory, name, lambda p: p.write_bytes(pickle.dumps(make())))
    return pickle.loads(path.read_bytes())


@pytest.fixture(scope="session")
def pdf_cache(tmp_path_factory):
    """The chapter layout cache the session's PDF fills and its DOCX reads, shared by the processes."""
    path = _shared(tmp_path_factory, "cache", lambda p: p.mkdir())
    return path


@pytest.fixture(scope="session")
def pdf_path(doc, pdf_cache, tmp_path_factory):
    """The PDF as `make pdf` builds it: chapters laid out in parallel and assembled."""
    from renstra.render.html import Bagian
    from renstra.render.pdf_parallel import render_pdf_paralel

    return _shared(
        tmp_path_factory,
        "renstra.pdf",
        lambda p: p.write_bytes(render_pdf_paralel(Bagian.of(doc), cache=pdf_cache)),
    )


@pytest.fixture(scope="session")
def docx_bytes(doc, pdf_path, pdf_cache, tmp_path_factory):
    """The DOCX as `make docx` builds it after `make pdf`: its lists take the PDF's page numbers from
    the chapter cache, nothing is laid out again."""
    from renstra.render.docx import render_docx

    path = _shared(
        tmp_path_factory, "renstra.docx", lambda p: p.write_bytes(render_docx(doc, cache=pdf_cache))
    )
    return path.read_bytes()


@pytest.fixture(scope="session")
def pdf_pages(pdf_path, tmp_path_factory):
    """Per page: (text, width, height) extracted with pdfplumber."""

    def extract():
        with pdfplumber.open(pdf_path) as pdf:
            return [(page.extract_text() or "", page.width, page.height) for page in pdf.pages]

    return _pickled(tmp_path_factory, "halaman.pickle", extract)


@pytest.fixture(scope="session")
def pdf_tables(pdf_path, tmp_path_factory):
    return _pickled(tmp_path_factory, "tabel.pickle", lambda: _tables(pdf_path))


def _tables(pdf_path):
    """Per page: the rows of every ruled table on it, each cell's text with line breaks as spaces."""

    def clean(cell):
        # a line break inside a cell is a space, except after "/" where a narrow cell wrapped "orang/12"
        # and a hyphenation point (U+2010 at a line end) joins the word again
        return " ".join((cell or "").replace("\u2010\n", "").split()).replace("/ ", "/")

    with pdfplumber.open(pdf_path) as pdf:
        pages = []
        for page in pdf.pages:  # the document's own tables: the Daftar Koreksi annex quotes the data
            if "LAMPIRAN\nDAFTAR KOREKSI" in (page.extract_text() or ""):
                break
            pages.append([[clean(c) for c in row] for table in page.extract_tables() for row in table])
        return pages


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

    def convert(path):
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
        (folder / "renstra.pdf").rename(path)

    return _shared(tmp_path_factory, "docx.pdf", convert)
