"""The recipe: load → resolve → check → render → write. One function per product; cli.py only parses
arguments and maps errors to exit codes.

Everything is gathered before anything is written: a galat anywhere stops the build before output/
is touched, and each output is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from renstra.problems import GALAT, Problem, RenstraError, galat

# Everything a build reads: a change in any of these makes an output stale.
INPUT_DIRS = ("content", "data", "templates", "renstra", "fonts")


def resolved(root: Path, memo=None):
    """load → resolve: the document as printed (`memo`: what a warm process kept, see Memo)."""
    from renstra.document.resolve import resolve
    from renstra.source.load import load

    return resolve(load(root, memo.yaml if memo else None), memo)


def output_name(root: Path) -> str:
    """Output file name without extension, from data/dokumen.yaml: renstra-<singkatan>-<kota>-<periode>."""
    from renstra.document.identity import identitas
    from renstra.source.load import load_dokumen

    return identitas(load_dokumen(root)[0]).nama_berkas


def schemas(root: Path) -> list[Path]:
    """schema/*.schema.json written for this document's period."""
    from renstra.source.load import load_dokumen
    from renstra.source.schema import write_schemas

    return write_schemas(root / "schema", load_dokumen(root)[1])


def inspect(root: Path) -> list[Problem]:
    """load → resolve → check: every problem of the document."""
    from renstra.check import check

    return check(resolved(root))


def checked(root: Path, memo=None):
    """load → resolve → check; a galat stops here, before anything is rendered or written."""
    from renstra.check import check

    renstra = resolved(root, memo)
    errors = [p for p in check(renstra) if p.level == GALAT]
    if errors:
        raise RenstraError(errors)
    return renstra


def render(renstra, kind: str, pool=None, cache: Path | None = None) -> bytes:
    """The bytes of one product: html, pdf (chapters in parallel, cached), pdf-satu (one pass),
    pdfa (one pass, PDF/A-3b) or docx."""
    root = renstra.source.root
    if kind == "html":
        from renstra.render.pratinjau import render_pratinjau

        return render_pratinjau(renstra).encode("utf-8")
    if kind == "docx":
        from renstra.render.docx import render_docx

        return render_docx(renstra, cache=cache, pool=pool)  # the PDF's page numbers, for its lists
    from renstra.render.html import Bagian

    if kind == "pdf":
        from renstra.render.pdf_parallel import render_pdf_paralel

        return render_pdf_paralel(Bagian.of(renstra), cache=cache, pool=pool)
    from renstra.render.pdf import render_pdf

    return render_pdf(Bagian.of(renstra).html(), root, pdfa=kind == "pdfa")


def build(
    root: Path,
    kind: str,
    out: Path,
    force: bool = False,
    helpers=contextlib.nullcontext,
    incremental: bool = True,
    cache: Path | None = None,
) -> int | None:
    """Check, render and write `out` atomically — unless every input is unchanged since it was written.
    Returns the size written, or None when the output was up to date. `helpers()` starts what rendering
    will need (the layout processes) before the data is even loaded."""
    from renstra.write import write_atomic

    stamp = out.with_name(f".{out.name}.masukan")
    digest = input_digest(root)
    if incremental and not force and out.exists() and stamp.exists() and stamp.read_text() == digest:
        return None
    with helpers() as pool:
        renstra = checked(root)
        from renstra.reproducible import pin_build_time

        pin_build_time(root, renstra.dokumen.penetapan.tanggal)
        data = render(renstra, kind, pool=pool, cache=cache or root / "output" / ".cache")
    write_atomic(out, data)
    if incremental:
        write_atomic(stamp, digest.encode())
    return len(data)


def koreksi(root: Path) -> tuple[str, str, int]:
    """The koreksi report as (HTML, Markdown, number of entries)."""
    from renstra.review.errata import render_koreksi_html, render_koreksi_md
    from renstra.templating import template_env

    renstra = checked(root)
    return (
        render_koreksi_html(renstra, template_env(root)),
        render_koreksi_md(renstra),
        len(renstra.errata.koreksi),
    )


def diff(root: Path, dari: str, ke: str | None):
    """Two versions compared: (report, its HTML page, that page as PDF)."""
    from renstra.document.resolve import resolve
    from renstra.layout import tata_letak
    from renstra.render.pdf import render_pdf
    from renstra.review.diff import diff as compare
    from renstra.review.diff import render_report_html
    from renstra.review.versions import load_version, workdir
    from renstra.templating import template_env

    with workdir() as tmp:
        before = resolve(load_version(root, dari, Path(tmp)))
        after = resolve(load_version(root, ke, Path(tmp)))
    report = compare(before, after, dari, ke or "kerja")
    fonts = tata_letak(root, after.dokumen.tata_letak).fonts
    html = render_report_html(report, template_env(root), fonts)
    return report, html, render_pdf(html, root)


def input_digest(root: Path) -> str:
    """SHA-256 over the names and bytes of every input file: content, data, templates, code, fonts."""
    digest = hashlib.sha256()
    files = sorted(
        p for d in INPUT_DIRS for p in (root / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    inside = root.resolve()
    outside = [p for p in files if inside not in p.resolve().parents]
    if (
        outside
    ):  # a link out of the tree: its bytes are not ours to read (load refuses chapters and data alike)
        raise RenstraError(
            [
                galat(
                    str(p.relative_to(root)),
                    1,
                    1,
                    "berkas ini tautan (symlink) ke luar repositori",
                    "salin isi berkasnya ke dalam repositori sebagai berkas biasa",
                )
                for p in outside
            ]
        )
    for path in files + [root / "build.py"]:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
