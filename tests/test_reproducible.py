"""Same commit, same bytes: a second build through the CLI equals the session's build, byte for byte."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from conftest import GIVEN_EPOCH, kecil
from pypdf import PdfReader

from renstra.cli import main
from renstra.reproducible import iso

ROOT = Path(__file__).resolve().parent.parent


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_pdf_is_byte_identical_across_builds(tmp_path):
    """Two cold builds through the CLI, each with a cache of its own (of a small document: the bytes do
    not depend on its size), are the same bytes."""
    root = kecil(tmp_path / "dokumen")
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for out in outs:
        cache = str(tmp_path / f"cache-{out.stem}")
        assert main(["--root", str(root), "pdf", "--force", "--output", str(out), "--cache", cache]) == 0
    assert sha(outs[0].read_bytes()) == sha(outs[1].read_bytes())


def test_docx_is_byte_identical_across_builds(docx_bytes, pdf_cache, tmp_path):
    out = tmp_path / "again.docx"  # its lists' page numbers from the session's chapter cache
    assert main(["docx", "--force", "--output", str(out), "--cache", str(pdf_cache)]) == 0
    assert sha(out.read_bytes()) == sha(docx_bytes)


def test_dates_come_from_the_last_commit(pdf_path, docx_bytes):
    import io
    import zipfile

    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    committed = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True
    ).stdout.strip()
    if committed and GIVEN_EPOCH is None:  # (a run given SOURCE_DATE_EPOCH stamps that)
        assert epoch == int(committed)
    info = PdfReader(pdf_path).metadata
    assert info["/CreationDate"].startswith("D:" + iso(epoch)[:10].replace("-", ""))
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        stamps = {item.date_time for item in archive.infolist()}
        core = archive.read("docProps/core.xml").decode()
    assert len(stamps) == 1
    assert iso(epoch) in core


def test_pdfa_variant_for_archiving(tmp_path):
    """PDF/A-3b of a document (a small one: what is checked does not depend on its size)."""
    root = kecil(tmp_path / "dokumen")
    out = tmp_path / "arsip.pdf"
    assert main(["--root", str(root), "pdf", "--pdfa", "--force", "--output", str(out)]) == 0
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert "/Encrypt" not in reader.trailer
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]


def test_noop_build_says_up_to_date(tmp_path, pdf_cache, capsys):
    out, cache = tmp_path / "noop.docx", ["--cache", str(pdf_cache)]
    assert main(["docx", "--output", str(out), *cache]) == 0
    capsys.readouterr()
    assert main(["docx", "--output", str(out), *cache]) == 0
    assert capsys.readouterr().out.startswith("DOCX sudah mutakhir:")


def test_noop_pdf_build_loads_nothing_it_does_not_need(tmp_path):
    """Up to date means a hash over the inputs and nothing more: no WeasyPrint, no layout processes."""
    import subprocess
    import sys

    from renstra.cli import ROOT
    from renstra.pipeline import input_digest

    out = tmp_path / "renstra.pdf"
    out.write_bytes(b"%PDF- the last good build")
    (tmp_path / ".renstra.pdf.masukan").write_text(input_digest(ROOT))
    run = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "build.py"), "pdf", "--output", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.startswith("PDF sudah mutakhir:")
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")
    }
    assert "renstra.cli" in imported
    assert (
        not {"weasyprint", "pypdf", "jinja2", "renstra.render.pdf_parallel", "renstra.source.load"} & imported
    )
    assert out.read_bytes() == b"%PDF- the last good build"


def test_a_template_linked_out_of_the_tree_is_refused_before_it_is_read(repo_copy, capsys):
    (repo_copy / "templates" / "luar.j2").symlink_to("/etc/hostname")
    assert main(["--root", str(repo_copy), "docx", "--output", str(repo_copy / "r.docx")]) == 1
    err = capsys.readouterr().err
    assert "templates/luar.j2:1:1: galat: berkas ini tautan (symlink) ke luar repositori" in err
    assert not (repo_copy / "r.docx").exists()
