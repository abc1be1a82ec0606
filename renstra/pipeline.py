"""The recipe: load → resolve → check → render → write. One function per product; cli.py only parses
arguments and maps errors to exit codes.

Everything is gathered before anything is written: a galat anywhere stops the build before output/
is touched, and each output is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path

from renstra.problems import GALAT, Problem, RenstraError, from_ctrl_c, galat

# Everything a build reads: a change in any of these makes an output stale.
INPUT_DIRS = ("content", "data", "templates", "renstra", "fonts")


def resolved(root: Path, memo=None):
    """load → resolve: the document as printed in its corrected edition, what checks read (`memo`:
    what a warm process kept, see Memo)."""
    from renstra.document.resolve import resolve
    from renstra.source.load import load

    return resolve(load(root, memo.yaml if memo else None), memo=memo)


def output_name(root: Path, edisi: str | None = None, digest: str | None = None) -> str:
    """Output file name without extension, from data/dokumen.yaml: renstra-<singkatan>-<kota>-<periode>,
    with -tercetak-<year> for the signed edition of a document whose own edition is the corrected one.
    With `digest` (input_digest), the name a build of the same inputs kept (keep_output_name) is taken
    as it is: a build that finds its output up to date need not load the document (0.3 s) to know it."""
    kept = kept_output_name(root, edisi, digest) if digest else None
    if kept:
        return kept
    from renstra.document.identity import identitas
    from renstra.source.load import load_dokumen

    return identitas(load_dokumen(root)[0], edisi).nama_berkas


def kept_output_name(root: Path, edisi: str | None, digest: str) -> str | None:
    """The name a build of these inputs kept, or None: a build of inputs never built before (or whose
    output/.cache is gone) derives it, and is almost surely not up to date."""
    return _kept_names(root).get(_name_key(digest, edisi))


KEPT_NAMES = Path("output") / ".cache" / "nama-berkas.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a name as identity derives it: no path, no dot file


def keep_output_name(root: Path, edisi: str | None, digest: str, name: str) -> None:
    """After a build (or a finding that it was up to date): the output's name kept under the inputs'
    digest, beside the name kept for the other edition. Best effort, as a cache is: where it cannot be
    written (output/.cache not a folder, a disk full), the next build derives the name again."""
    kept = _kept_names(root)
    key = _name_key(digest, edisi)
    if kept.get(key) == name:
        return
    kept = {k: v for k, v in kept.items() if k.split(":")[1] != (edisi or "")} | {key: name}
    _keep_json(root / KEPT_NAMES, kept)


def _kept_json(path: Path):
    """What a cache file in output/.cache holds, or None where it is missing or damaged (what it
    holds is for the caller to vet)."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def _keep_json(path: Path, value) -> None:
    """`value` written whole to a cache file in output/.cache, or not at all where it cannot be."""
    from renstra.write import write_atomic

    try:
        write_atomic(path, json.dumps(value, ensure_ascii=False, indent=0).encode("utf-8"))
    except RenstraError:
        pass


def _name_key(digest: str, edisi: str | None) -> str:
    return f"{digest}:{edisi or ''}"


def _kept_names(root: Path) -> dict[str, str]:
    """The kept names; a missing, damaged or foreign file — or a name that is not a plain file name,
    which would put the output elsewhere — keeps nothing."""
    kept = _kept_json(root / KEPT_NAMES)
    if not isinstance(kept, dict):
        return {}
    return {
        k: v
        for k, v in kept.items()
        if isinstance(v, str) and _NAME.fullmatch(v) and isinstance(k, str) and k.count(":") == 1
    }


def schemas(root: Path) -> list[Path]:
    """schema/*.schema.json written for this document's period."""
    from renstra.source.load import load_dokumen
    from renstra.source.schema import write_schemas

    return write_schemas(root / "schema", load_dokumen(root)[1])


def inspect(root: Path) -> list[Problem]:
    """load → resolve → check: every problem of the document."""
    from renstra.check import check

    kept = recall_spelling(root)
    problems = check(resolved(root))
    if not any(p.level == GALAT for p in problems):
        keep_spelling(root, kept)
    return problems


def spelling(root: Path) -> list[Problem]:
    """load → resolve → the spelling check alone, with suggestions (make ejaan)."""
    from renstra.check import ejaan

    kept = recall_spelling(root)
    problems = sorted(set(ejaan.check(resolved(root), saran=True)))
    keep_spelling(root, kept)  # (its findings are peringatan, never a galat)
    return problems


# The spelling dictionary's answers for the words the last `make check` or `make ejaan` looked up
# (renstra.check.ejaan.recall), under the dictionary's fingerprint. Best effort, as a cache is: a
# missing, damaged or foreign file, or one of another dictionary, keeps nothing; where it cannot be
# written, the next run asks the dictionary again. A check that found a galat writes nothing, as a
# build that stops does not.
KEPT_SPELLING = Path("output") / ".cache" / "ejaan.json"


def recall_spelling(root: Path) -> dict[str, bool]:
    """The answers an earlier run kept, given to the spelling check (and returned)."""
    from renstra.check import ejaan

    kept = _kept_spelling(root / KEPT_SPELLING, ejaan.fingerprint())
    ejaan.recall(kept)
    return kept


def keep_spelling(root: Path, kept: dict[str, bool]) -> None:
    """What the spelling check asked, kept for the next run, where it differs from what was `kept`."""
    from renstra.check import ejaan

    said = ejaan.asked()
    if said != kept:
        _keep_json(root / KEPT_SPELLING, {"kamus": ejaan.fingerprint(), "kata": said})


def _kept_spelling(path: Path, fingerprint: str) -> dict[str, bool]:
    kept = _kept_json(path)
    words = kept.get("kata") if isinstance(kept, dict) and kept.get("kamus") == fingerprint else None
    if not isinstance(words, dict):
        return {}
    return {w: k for w, k in words.items() if isinstance(w, str) and isinstance(k, bool)}


def checked(root: Path, edisi: str | None = None, memo=None, mulai_pandoc: bool = False):
    """load → resolve → check; a galat stops here, before anything is rendered or written. The checks
    read the corrected edition; the edition returned is `edisi` (bawaan: the one data/dokumen.yaml
    names), resolved from the same loaded source. `mulai_pandoc`: the chapters' pandoc runs while the
    checks do (Renstra.start_fragments), for a build that renders them."""
    from renstra.check import check
    from renstra.document.edisi import PERBAIKAN
    from renstra.document.identity import edisi_bawaan
    from renstra.document.resolve import resolve

    renstra = resolved(root, memo)
    cetakan = edisi or edisi_bawaan(renstra.dokumen)
    printed = renstra if cetakan == PERBAIKAN else None
    if mulai_pandoc:
        printed = printed or _resolved_early(renstra, cetakan)
        if printed:
            printed.start_fragments()
    errors = [p for p in check(renstra, galat_saja=True) if p.level == GALAT]
    if errors:
        raise RenstraError(errors)
    return printed or resolve(renstra.source, cetakan)


def _resolved_early(renstra, cetakan: str):
    """The edition to print, resolved before the checks have vouched for the data it is resolved
    from: where that data is broken, it is resolved again once they have (and only if they pass)."""
    from renstra.document.resolve import resolve

    try:
        return resolve(renstra.source, cetakan)
    except Exception as error:
        if from_ctrl_c(error):  # not broken data: a Ctrl-C while a module was imported
            raise
        return None


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
    edisi: str | None = None,
    digest: str | None = None,
) -> int | None:
    """Check, render and write `out` atomically — unless every input is unchanged since it was written.
    Returns the size written, or None when the output was up to date. `helpers()` starts what rendering
    will need (the layout processes) before the data is even loaded. `digest`: input_digest(root), if
    already taken."""
    from renstra.write import write_atomic

    stamp = out.with_name(f".{out.name}.masukan")
    digest = digest or input_digest(root)
    if incremental and not force and out.exists() and stamp.exists() and stamp.read_text() == digest:
        return None
    with helpers() as pool:
        renstra = checked(root, edisi, mulai_pandoc=True)
        from renstra.reproducible import pin_build_time

        pin_build_time(root, renstra.dokumen.penetapan.tanggal)
        data = render(renstra, kind, pool=pool, cache=cache or root / "output" / ".cache")
    write_atomic(out, data)
    if incremental:
        write_atomic(stamp, digest.encode())
    return len(data)


def xlsx(root: Path) -> bytes:
    """The T-C tables as a workbook, from the checked document."""
    from renstra.render.xlsx import render_xlsx

    return render_xlsx(checked(root))


def periksa_lembar(path: Path, shown: str, aturan: dict[str, str]):
    """Every finding of a sheet file (it is not part of any document)."""
    from renstra.sheet.periksa import periksa

    return periksa(path, shown, aturan)


def impor_lembar(path: Path, shown: str, root: Path, aturan: dict[str, str]):
    """A sheet's T-C tables written into the document at `root`: (files written, findings)."""
    from renstra.sheet.impor import impor

    return impor(path, shown, root, aturan)


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


def diff(root: Path, dari: str, ke: str | None, docx: bool = True):
    """Two versions compared: (report, its HTML page, that page as PDF, the redline DOCX or None)."""
    from concurrent.futures import ThreadPoolExecutor

    from renstra.document.resolve import resolve
    from renstra.layout import tata_letak
    from renstra.render.pdf import render_pdf
    from renstra.review.diff import diff as compare
    from renstra.review.diff import render_report_html
    from renstra.review.versions import load_version, workdir
    from renstra.templating import template_env

    with workdir() as tmp, ThreadPoolExecutor(1) as aside:
        before = resolve(load_version(root, dari, Path(tmp)))
        after = resolve(load_version(root, ke, Path(tmp)))
        report = compare(before, after, dari, ke or "kerja")
        fonts = tata_letak(root, after.dokumen.tata_letak).fonts
        html = render_report_html(report, template_env(root), fonts)
        # the redline (mostly a wait for the comparing process) beside the report's PDF; before the
        # versions' folders are removed, as their DOCX are built from them
        tracked = aside.submit(redline, root, before, after, report, ke) if docx else None
        pdf = render_pdf(html, root)
        tracked = tracked.result() if tracked else None
    return report, html, pdf, tracked


def redline(root: Path, before, after, report, ke: str | None, docx: tuple[bytes, bytes] | None = None):
    """The TO version's DOCX with the FROM version's as tracked changes by the TO commit's author, and
    a comment on each changed Rp cell; None when the versions do not differ. `docx`: the two versions'
    DOCX if already built (versions_docx)."""
    from renstra.reproducible import normalize_zip
    from renstra.review import redline as tracked
    from renstra.review.versions import author

    if report.kosong:
        return None
    old, new = docx or versions_docx(root, before, after)
    name, when = author(root, ke)
    word = _open_docx(tracked.redline(old, new, name, when))
    notes = tracked.catatan_rp(before, after, report)
    tracked.comment(word, _rp_cells(word, after, notes), name, when)
    return normalize_zip(tracked.save(word), int(when.timestamp()))


def versions_docx(root: Path, before, after) -> tuple[bytes, bytes]:
    """The DOCX of both versions, built side by side by this engine (its templates and fonts), so that
    only what the versions hold differs; without PDF page numbers (Word fills them in on opening), as
    a page number that moved is no change of the document's."""
    from renstra.render.docx import render_docx
    from renstra.templating import template_env

    env = template_env(root)
    for version in (before, after):
        _engine_files(root, version.source.root)
    # one after the other: two threads take as long (python-docx holds the GIL)
    return render_docx(before, env, page_numbers=False), render_docx(after, env, page_numbers=False)


def _engine_files(root: Path, version: Path) -> None:
    """A version read from git holds content/ and data/ only; it is built with our templates and fonts."""
    import shutil

    if version.resolve() != root.resolve():
        for name in ("templates", "fonts"):
            shutil.copytree(root / name, version / name, dirs_exist_ok=True)


def _open_docx(data: bytes):
    import io

    from docx import Document

    return Document(io.BytesIO(data))


def _rp_cells(word, renstra, notes: dict[tuple[str, str, str], str]):
    """(w:tc, comment) for each noted cell: each Word table found by its caption as the DOCX renderer
    finds it, its rows (less the deleted ones) matched to the view's rows, cell by cell."""
    from renstra.render.docx import tables_by_caption
    from renstra.review.redline import live_rows

    for table, view in tables_by_caption(word, renstra.views()):
        for tr, baris in zip(live_rows(table._tbl)[len(view.kepala) :], view.baris):
            for tc, sel in zip(tr.tc_lst, baris.sel):
                note = notes.get((view.id, baris.kunci, sel.kolom))
                if note:
                    yield tc, note


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
