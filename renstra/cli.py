"""Command line: `python build.py pdf|html|check|schema`. Exit 0 clean, 1 problems in the input, 2 bad usage."""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import time
import traceback
from pathlib import Path

from renstra.problems import RenstraError

ROOT = Path(__file__).resolve().parent.parent
NAMA_PDF = "renstra-setda-lumajang-2024-2026.pdf"
NAMA_HTML = "renstra-setda-lumajang-2024-2026.html"
NAMA_DOCX = "renstra-setda-lumajang-2024-2026.docx"
# Everything a build reads: a change in any of these makes the PDF stale.
INPUT_DIRS = ("content", "data", "templates", "renstra", "fonts")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    root = Path(args.root).resolve()
    try:
        return args.command(args, root)
    except RenstraError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = sum(1 for p in error.problems if p.level == "galat")
        print(f"\n{count} galat; berkas keluaran tidak diubah.", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 1
    except Exception as error:  # a bug of ours: the user gets one line, the developer --debug
        if args.debug:
            raise
        print(f"galat internal: {type(error).__name__}: {error}. Jalankan ulang dengan --debug dan laporkan.",
              file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Renstra Setda Lumajang 2024–2026 sebagai kode.")
    parser.add_argument("--root", default=str(ROOT), help="folder repositori (bawaan: folder build.py)")
    parser.add_argument("--debug", action="store_true", help="tampilkan traceback untuk pengembang")
    sub = parser.add_subparsers()
    pdf = sub.add_parser("pdf", help="bangun PDF resmi", description="Contoh: python build.py pdf")
    pdf.add_argument("--output", help=f"berkas PDF (bawaan: output/{NAMA_PDF})")
    pdf.add_argument("--force", action="store_true", help="bangun ulang walau masukan tidak berubah")
    pdf.add_argument("--pdfa", action="store_true", help="tulis varian PDF/A-3b untuk arsip (…-pdfa.pdf)")
    pdf.add_argument("--satu-jalan", action="store_true",
                     help="tata letak seluruh dokumen dalam satu proses (tanpa bab paralel dan tanpa cache)")
    pdf.set_defaults(command=cmd_pdf)
    docx = sub.add_parser("docx", help="bangun DOCX yang dapat disunting", description="Contoh: python build.py docx")
    docx.add_argument("--output", help=f"berkas DOCX (bawaan: output/{NAMA_DOCX})")
    docx.add_argument("--force", action="store_true", help="bangun ulang walau masukan tidak berubah")
    docx.set_defaults(command=cmd_docx)
    html = sub.add_parser("html", help="bangun pratinjau HTML", description="Contoh: python build.py html")
    html.add_argument("--output", help=f"berkas HTML (bawaan: output/{NAMA_HTML})")
    html.set_defaults(command=cmd_html)
    check = sub.add_parser("check", help="periksa jumlah, kode, rujukan dan errata",
                           description="Contoh: python build.py check --format json")
    check.add_argument("--format", choices=("teks", "json"), default="teks")
    check.set_defaults(command=cmd_check)
    beda = sub.add_parser("diff", help="bandingkan dua versi untuk peninjau",
                          description="Contoh: python build.py diff v2023 main   (TO kosong = berkas kerja)")
    beda.add_argument("dari", metavar="FROM", help="versi lama: commit, tag atau cabang")
    beda.add_argument("ke", metavar="TO", nargs="?", default=None, help="versi baru (bawaan: berkas kerja)")
    beda.set_defaults(command=cmd_diff)
    koreksi = sub.add_parser("koreksi", help="tulis laporan koreksi terhadap dokumen 2023",
                             description="Contoh: python build.py koreksi")
    koreksi.set_defaults(command=cmd_koreksi)
    schema = sub.add_parser("schema", help="tulis JSON Schema ke schema/", description="Contoh: python build.py schema")
    schema.set_defaults(command=cmd_schema)
    return parser


def _load(root: Path):
    from renstra.source.load import load
    return load(root)


def cmd_check(args, root: Path) -> int:
    from renstra.check.rules import check
    from renstra.check.report import report_json, report_text
    started = time.monotonic()
    problems = check(_load(root))
    print(report_json(problems) if args.format == "json" else report_text(problems, time.monotonic() - started))
    return 1 if any(p.level == "galat" for p in problems) else 0


def _checked(root: Path):
    """Load and check; a galat stops the build before anything is written."""
    from renstra.check.rules import check
    doc = _load(root)
    problems = check(doc)
    errors = [p for p in problems if p.level == "galat"]
    if errors:
        raise RenstraError(errors)
    return doc


def cmd_html(args, root: Path) -> int:
    from renstra.render.html import render_html
    from renstra.write import write_atomic
    out = Path(args.output) if args.output else root / "output" / NAMA_HTML
    write_atomic(out, render_html(_checked(root)).encode("utf-8"))
    print(f"HTML ditulis: {out}")
    return 0


def cmd_pdf(args, root: Path) -> int:
    name = NAMA_PDF.replace(".pdf", "-pdfa.pdf") if args.pdfa else NAMA_PDF
    if args.pdfa or args.satu_jalan:  # PDF/A needs one WeasyPrint pass: a merged file is not PDF/A
        def render_whole(doc, _):
            from renstra.render.html import Bagian
            from renstra.render.pdf import render_pdf
            return render_pdf(Bagian.of(doc).html(), root, pdfa=args.pdfa)
        return _build(args, root, "PDF/A" if args.pdfa else "PDF", name, render_whole)

    def render_chapters(doc, pool):
        from renstra.render.html import Bagian
        from renstra.render.pdf_parallel import render_pdf_paralel
        return render_pdf_paralel(Bagian.of(doc), cache=root / "output" / ".cache", pool=pool)

    def start_layout_processes():
        from renstra.render.pdf_parallel import layout_pool  # imported only when there is something to build
        return layout_pool()
    return _build(args, root, "PDF", name, render_chapters, helpers=start_layout_processes)


def cmd_docx(args, root: Path) -> int:
    def render(doc, _):
        from renstra.render.docx import render_docx
        return render_docx(doc)
    return _build(args, root, "DOCX", NAMA_DOCX, render)


def _build(args, root: Path, kind: str, default_name: str, render, helpers=contextlib.nullcontext) -> int:
    """Check, render and write atomically — unless every input is unchanged since the last build.
    `helpers()` starts what rendering will need (the layout processes) before the data is checked."""
    from renstra.write import write_atomic
    out = Path(args.output) if args.output else root / "output" / default_name
    stamp = out.with_name(f".{out.name}.masukan")
    digest = input_digest(root)
    if not args.force and out.exists() and stamp.exists() and stamp.read_text() == digest:
        print(f"{kind} sudah mutakhir: {out} (masukan tidak berubah)")
        return 0
    started = time.monotonic()
    with helpers() as helper:
        doc = _checked(root)
        from renstra.reproducible import pin_build_time
        pin_build_time(root, doc.dokumen.penetapan.tanggal)
        data = render(doc, helper)
    write_atomic(out, data)
    write_atomic(stamp, digest.encode())
    print(f"{kind} ditulis: {out} ({len(data) // 1024} KiB, {time.monotonic() - started:.1f} detik)")
    return 0


def cmd_diff(args, root: Path) -> int:
    import re as _re
    from renstra.review.diff import diff, load_version, render_report_html, summary_markdown, workdir
    from renstra.render.html import template_env
    from renstra.render.pdf import render_pdf
    from renstra.write import write_atomic
    with workdir() as tmp:
        before = load_version(root, args.dari, Path(tmp))
        after = load_version(root, args.ke, Path(tmp))
    label = args.ke or "kerja"
    report = diff(before, after, args.dari, label)
    html = render_report_html(report, template_env(root), root)
    name = "perubahan-" + "-".join(_re.sub(r"[^\w.-]", "_", x) for x in (args.dari, label))
    write_atomic(root / "output" / f"{name}.html", html.encode("utf-8"))
    write_atomic(root / "output" / f"{name}.pdf", render_pdf(html, root))
    print(summary_markdown(report))
    print(f"\nLaporan: output/{name}.html dan output/{name}.pdf", file=sys.stderr)
    return 0


def cmd_koreksi(args, root: Path) -> int:
    from renstra.review.errata import render_koreksi_html, render_koreksi_md
    from renstra.render.html import template_env
    from renstra.write import write_atomic
    doc = _checked(root)
    out = root / "output"
    html, md = render_koreksi_html(doc, template_env(root)), render_koreksi_md(doc)
    write_atomic(out / "koreksi.html", html.encode("utf-8"))
    write_atomic(out / "koreksi.md", md.encode("utf-8"))
    print(f"Laporan koreksi ditulis: {out / 'koreksi.html'} dan koreksi.md ({len(doc.errata.koreksi)} koreksi)")
    return 0


def cmd_schema(args, root: Path) -> int:
    from renstra.source.schema import write_schemas
    for path in write_schemas(root / "schema"):
        print(f"ditulis: {path.relative_to(root)}")
    return 0


def input_digest(root: Path) -> str:
    """SHA-256 over the names and bytes of every input file: content, data, templates, code, fonts."""
    digest = hashlib.sha256()
    files = sorted(p for d in INPUT_DIRS for p in (root / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files + [root / "build.py"]:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
