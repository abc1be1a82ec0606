"""An image in a chapter: named relative to content/, vouched for by check, found by the PDF and the DOCX."""

from __future__ import annotations

import io
import zipfile

import pdfplumber
from PIL import Image

from renstra.check import check
from renstra.pipeline import input_digest, resolved
from renstra.render.docx import render_docx
from renstra.render.html import Bagian
from renstra.render.pdf import render_pdf


def _with_image(root, colour=(200, 0, 0)):
    (root / "content" / "gambar").mkdir(exist_ok=True)
    Image.new("RGB", (40, 20), colour).save(root / "content" / "gambar" / "merah.png")
    chapter = root / "content" / "08-penutup.md"
    if "merah.png" not in chapter.read_text():
        chapter.write_text(chapter.read_text() + "\n\n![Lambang [contoh]](gambar/merah.png)\n")


def test_an_image_that_passes_check_is_in_the_pdf_and_the_docx(repo_copy, pdf_path, pdf_cache):
    _with_image(repo_copy)
    renstra = resolved(repo_copy)
    assert [p for p in check(renstra) if p.level == "galat"] == []
    bagian = Bagian.of(renstra)
    html = bagian.html(isi=[bagian.tanda_tangan_di], depan=False)  # BAB VIII, where the image went
    from renstra.render.gambar import data_uri

    # the bytes, not the path: the PDF and its cache key are the same wherever the repository stands
    assert data_uri(repo_copy / "content" / "gambar" / "merah.png") in html and "merah.png" not in html
    with pdfplumber.open(io.BytesIO(render_pdf(html, repo_copy))) as pdf:
        assert sum(len(page.images) for page in pdf.pages) == 1
    with zipfile.ZipFile(io.BytesIO(render_docx(renstra, cache=pdf_cache))) as docx:  # only BAB VIII laid out
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
        pictures = [Image.open(io.BytesIO(docx.read(name))).size for name in media]
    assert (40, 20) in pictures


def test_changing_the_image_changes_what_the_chapter_cache_is_keyed_by(repo_copy):
    _with_image(repo_copy)
    last = Bagian.of(resolved(repo_copy)).tanda_tangan_di  # BAB VIII, where the image went
    before = Bagian.of(resolved(repo_copy)).html(isi=[last], depan=False)
    _with_image(repo_copy, colour=(0, 0, 200))
    assert Bagian.of(resolved(repo_copy)).html(isi=[last], depan=False) != before


def test_changing_the_image_makes_the_build_stale(repo_copy):
    _with_image(repo_copy)
    before = input_digest(repo_copy)
    _with_image(repo_copy, colour=(0, 0, 200))
    assert input_digest(repo_copy) != before
