"""Command line: `python build.py pdf|html|check|schema`. Exit 0 clean, 1 problems in the input, 2 bad usage."""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

from .problems import RenstraError

ROOT = Path(__file__).resolve().parent.parent
NAMA_PDF = "renstra-setda-lumajang-2024-2026.pdf"
NAMA_HTML = "renstra-setda-lumajang-2024-2026.html"
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Renstra Setda Lumajang 2024–2026 sebagai kode.")
    parser.add_argument("--root", default=str(ROOT), help="folder repositori (bawaan: folder build.py)")
    parser.add_argument("--debug", action="store_true", help="tampilkan traceback untuk pengembang")
    sub = parser.add_subparsers()
    pdf = sub.add_parser("pdf", help="bangun PDF resmi", description="Contoh: python build.py pdf")
    pdf.add_argument("--output", help=f"berkas PDF (bawaan: output/{NAMA_PDF})")
    pdf.add_argument("--force", action="store_true", help="bangun ulang walau masukan tidak berubah")
    pdf.set_defaults(command=cmd_pdf)
    html = sub.add_parser("html", help="bangun pratinjau HTML", description="Contoh: python build.py html")
    html.add_argument("--output", help=f"berkas HTML (bawaan: output/{NAMA_HTML})")
    html.set_defaults(command=cmd_html)
    check = sub.add_parser("check", help="periksa data dan naskah", description="Contoh: python build.py check")
    check.set_defaults(command=cmd_check)
    schema = sub.add_parser("schema", help="tulis JSON Schema ke schema/", description="Contoh: python build.py schema")
    schema.set_defaults(command=cmd_schema)
    return parser


def _load(root: Path):
    from .load import load
    return load(root)


def cmd_check(args, root: Path) -> int:
    from .naskah import prepare
    doc = _load(root)
    prepare(doc)
    for warning in doc.warnings:
        print(warning)
    print("Tidak ada galat.")
    return 0


def cmd_html(args, root: Path) -> int:
    from .render_html import render_html
    from .tulis import write_atomic
    out = Path(args.output) if args.output else root / "output" / NAMA_HTML
    write_atomic(out, render_html(_load(root)).encode("utf-8"))
    print(f"HTML ditulis: {out}")
    return 0


def cmd_pdf(args, root: Path) -> int:
    out = Path(args.output) if args.output else root / "output" / NAMA_PDF
    stamp = out.with_name(f".{out.name}.masukan")
    digest = input_digest(root)
    if not args.force and out.exists() and stamp.exists() and stamp.read_text() == digest:
        print(f"PDF sudah mutakhir: {out} (masukan tidak berubah)")
        return 0
    from .render_html import render_html
    from .render_pdf import render_pdf
    from .tulis import write_atomic
    started = time.monotonic()
    doc = _load(root)
    pdf = render_pdf(render_html(doc), root)
    write_atomic(out, pdf)
    write_atomic(stamp, digest.encode())
    print(f"PDF ditulis: {out} ({len(pdf) // 1024} KiB, {time.monotonic() - started:.1f} detik)")
    return 0


def cmd_schema(args, root: Path) -> int:
    from .skema import write_schemas
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
