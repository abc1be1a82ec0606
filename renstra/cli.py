"""Command line: `python build.py pdf|docx|html|preview|check|ejaan|diff|koreksi|schema|baru|periksa|impor|
xlsx`. Parses arguments, runs the pipeline, maps errors to exit codes: 0 clean, 1 problems in the input,
2 bad usage, 130 interrupted."""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import re
import sys
import time
import traceback
from pathlib import Path

from renstra import pipeline
from renstra.problems import RenstraError, from_ctrl_c

ROOT = Path(__file__).resolve().parent.parent
BAWAAN = "bawaan: output/<nama_berkas>.{}, nama dari data/dokumen.yaml"


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
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as error:  # a bug of ours: the user gets one line, the developer --debug
        if from_ctrl_c(error):
            return _interrupted()
        if args.debug:
            raise
        print(
            f"galat internal: {type(error).__name__}: {error}. Jalankan ulang dengan --debug dan laporkan.",
            file=sys.stderr,
        )
        return 1


def _interrupted() -> int:
    print("\ndihentikan (Ctrl-C); berkas keluaran tidak diubah.", file=sys.stderr)
    return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Renstra sebagai kode: naskah dan data menjadi PDF dan DOCX."
    )
    parser.add_argument("--root", default=str(ROOT), help="folder repositori (bawaan: folder build.py)")
    parser.add_argument("--debug", action="store_true", help="tampilkan traceback untuk pengembang")
    sub = parser.add_subparsers()
    pdf = sub.add_parser("pdf", help="bangun PDF resmi", description="Contoh: python build.py pdf")
    pdf.add_argument("--output", help=f"berkas PDF ({BAWAAN.format('pdf')})")
    pdf.add_argument("--force", action="store_true", help="bangun ulang walau masukan tidak berubah")
    pdf.add_argument("--pdfa", action="store_true", help="tulis varian PDF/A-3b untuk arsip (…-pdfa.pdf)")
    pdf.add_argument("--cache", help="folder cache bab yang sudah ditata (bawaan: output/.cache)")
    pdf.add_argument(
        "--satu-jalan",
        action="store_true",
        help="tata letak seluruh dokumen dalam satu proses (tanpa bab paralel dan tanpa cache)",
    )
    _edisi_arg(pdf)
    pdf.set_defaults(command=cmd_pdf)
    docx = sub.add_parser(
        "docx", help="bangun DOCX yang dapat disunting", description="Contoh: python build.py docx"
    )
    docx.add_argument("--output", help=f"berkas DOCX ({BAWAAN.format('docx')})")
    docx.add_argument("--force", action="store_true", help="bangun ulang walau masukan tidak berubah")
    docx.add_argument(
        "--cache",
        help="cache bab PDF yang sudah ditata, sumber nomor halaman daftar isi (bawaan: output/.cache)",
    )
    _edisi_arg(docx)
    docx.set_defaults(command=cmd_docx)
    html = sub.add_parser("html", help="bangun pratinjau HTML", description="Contoh: python build.py html")
    html.add_argument("--output", help=f"berkas HTML ({BAWAAN.format('html')})")
    _edisi_arg(html)
    html.set_defaults(command=cmd_html)
    preview = sub.add_parser(
        "preview",
        help="pratinjau langsung di peramban, diperbarui setiap berkas disimpan",
        description="Contoh: python build.py preview --port 8686   (lalu buka http://127.0.0.1:8686/)",
    )
    preview.add_argument("--port", type=int, default=8686, help="port di 127.0.0.1 (bawaan: 8686)")
    preview.set_defaults(command=cmd_preview)
    check = sub.add_parser(
        "check",
        help="periksa jumlah, kode, rujukan dan errata",
        description="Contoh: python build.py check --format json",
    )
    check.add_argument("--format", choices=("teks", "json"), default="teks")
    check.set_defaults(command=cmd_check)
    ejaan = sub.add_parser(
        "ejaan",
        help="periksa ejaan narasi dan sel teks tabel (kamus id_ID + data/kamus.txt), dengan saran",
        description="Contoh: python build.py ejaan",
    )
    ejaan.set_defaults(command=cmd_ejaan)
    beda = sub.add_parser(
        "diff",
        help="bandingkan dua versi untuk peninjau",
        description="Contoh: python build.py diff v1.0 main   (TO kosong = berkas kerja)",
    )
    beda.add_argument("dari", metavar="FROM", help="versi lama: commit, tag atau cabang")
    beda.add_argument("ke", metavar="TO", nargs="?", default=None, help="versi baru (bawaan: berkas kerja)")
    beda.add_argument(
        "--tanpa-docx",
        action="store_true",
        help="tanpa DOCX perubahan terlacak (lebih cepat: tanpa dua build DOCX dan perbandingannya)",
    )
    beda.set_defaults(command=cmd_diff)
    koreksi = sub.add_parser(
        "koreksi",
        help="tulis laporan koreksi terhadap dokumen yang ditandatangani",
        description="Contoh: python build.py koreksi",
    )
    koreksi.set_defaults(command=cmd_koreksi)
    schema = sub.add_parser(
        "schema", help="tulis JSON Schema ke schema/", description="Contoh: python build.py schema"
    )
    schema.set_defaults(command=cmd_schema)
    baru = sub.add_parser(
        "baru",
        help="buat repositori Renstra baru (kerangka Permendagri 86/2017, mesin di-vendor)",
        description='Contoh: python build.py baru --dir ../renstra-diskominfo --instansi "Dinas Komunikasi '
        'dan Informatika" --daerah "Kabupaten Contoh" --periode AWAL-AKHIR --singkatan Diskominfo',
    )
    baru.add_argument("--dir", required=True, help="folder repositori baru (belum ada, atau kosong)")
    baru.add_argument("--instansi", required=True, help="nama perangkat daerah")
    baru.add_argument("--daerah", required=True, help="pemerintah daerahnya, mis. Kabupaten Contoh")
    baru.add_argument("--periode", required=True, help="tahun awal dan akhir, mis. 2025-2029")
    baru.add_argument("--singkatan", help="singkatan instansi untuk nama berkas, mis. Diskominfo")
    baru.set_defaults(command=cmd_baru)
    periksa = sub.add_parser(
        "periksa",
        help="periksa tabel T-C dalam lembar kerja (.xlsx, .ods, .csv, .html) seperti tercetak",
        description="Contoh: python build.py periksa draf.xlsx --format json",
    )
    periksa.add_argument("berkas", metavar="BERKAS", help="lembar kerja berisi T-C.27 (dan T-C.28, T-C.25)")
    periksa.add_argument("--format", choices=("teks", "json"), default="teks")
    _aturan_arg(periksa)
    periksa.set_defaults(command=cmd_periksa)
    impor = sub.add_parser(
        "impor",
        help="tulis tabel T-C dari lembar kerja ke data/ dokumen (buatan make baru)",
        description="Contoh: python build.py impor draf.xlsx --root ../renstra-diskominfo",
    )
    impor.add_argument("berkas", metavar="BERKAS", help="lembar kerja berisi T-C.27 (dan T-C.28, T-C.25)")
    impor.add_argument("--root", dest="tujuan", help="folder repositori Renstra tujuan (bawaan: --root)")
    _aturan_arg(impor)
    impor.set_defaults(command=cmd_impor)
    xlsx = sub.add_parser(
        "xlsx",
        help="tulis tabel T-C dokumen ke satu berkas XLSX (untuk SIPD dan Bappeda)",
        description="Contoh: python build.py xlsx --output output/tabel.xlsx",
    )
    xlsx.add_argument("--output", help=f"berkas XLSX ({BAWAAN.format('xlsx')})")
    xlsx.set_defaults(command=cmd_xlsx)
    return parser


def _edisi_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--edisi",
        choices=("tercetak", "perbaikan"),
        help="tercetak: teks seperti ditandatangani (koreksi data/errata.yaml dibalik); perbaikan: data "
        "sekarang dengan Lampiran Daftar Koreksi (bawaan: edisi yang disebut data/dokumen.yaml)",
    )


def _aturan_arg(parser) -> None:
    parser.add_argument(
        "--aturan",
        action="append",
        default=[],
        metavar="INDIKATOR=jumlah|terakhir",
        help="aturan Akhir Periode target satu indikator (menurut namanya), mis. "
        '"Jumlah dokumen perencanaan=terakhir"; bawaan: jumlah untuk hitungan, tahun terakhir untuk '
        "persen, indeks, nilai, angka dan satuan kosong",
    )


def _aturan(values: list[str]) -> dict[str, str]:
    rules = {}
    for value in values:
        name, _, rule = value.rpartition("=")
        if not name.strip() or rule.strip() not in ("jumlah", "terakhir"):
            raise ValueError(f"--aturan '{value}': tulis NAMA INDIKATOR=jumlah atau NAMA INDIKATOR=terakhir")
        rules[name.strip()] = rule.strip()
    return rules


def cmd_check(args, root: Path) -> int:
    from renstra.check.report import report_json, report_text

    started = time.monotonic()
    problems = pipeline.inspect(root)
    print(
        report_json(problems) if args.format == "json" else report_text(problems, time.monotonic() - started)
    )
    return 1 if any(p.level == "galat" for p in problems) else 0


def cmd_periksa(args, root: Path) -> int:
    from renstra.sheet.temuan import report_json, report_text

    started = time.monotonic()
    try:
        aturan = _aturan(args.aturan)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    found = pipeline.periksa_lembar(Path(args.berkas), args.berkas, aturan)
    print(report_json(found) if args.format == "json" else report_text(found, time.monotonic() - started))
    return 1 if any(t.level == "galat" for t in found) else 0


def cmd_impor(args, root: Path) -> int:
    target = Path(args.tujuan).resolve() if args.tujuan else root
    try:
        aturan = _aturan(args.aturan)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    written, found = pipeline.impor_lembar(Path(args.berkas), args.berkas, target, aturan)
    for finding in found:
        print(finding, file=sys.stderr)
    if not written:
        errors = sum(1 for t in found if t.level == "galat")
        print(f"\n{errors} galat; tidak ada berkas yang ditulis.", file=sys.stderr)
        return 1
    for path, note in written:
        print(f"ditulis: {path}{note}")
    return 0


def cmd_xlsx(args, root: Path) -> int:
    from renstra.write import write_atomic

    out = Path(args.output) if args.output else root / "output" / (pipeline.output_name(root) + ".xlsx")
    data = pipeline.xlsx(root)
    write_atomic(out, data)
    print(f"XLSX ditulis: {out} ({len(data) // 1024} KiB)")
    return 0


def cmd_html(args, root: Path) -> int:
    return _build(args, root, "HTML", "html", ".html", incremental=False)


def cmd_ejaan(args, root: Path) -> int:
    from renstra.check.report import report_text

    started = time.monotonic()
    problems = pipeline.spelling(root)
    print(report_text(problems, time.monotonic() - started))
    return 1 if problems else 0


def cmd_preview(args, root: Path) -> int:
    from renstra.preview import serve

    return serve(root, args.port)


def cmd_pdf(args, root: Path) -> int:
    if args.pdfa:  # PDF/A needs one WeasyPrint pass: a merged file is not PDF/A
        return _build(args, root, "PDF/A", "pdfa", "-pdfa.pdf")
    if args.satu_jalan:
        return _build(args, root, "PDF", "pdf-satu", ".pdf")

    def start_layout_processes():
        from renstra.render.layout_processes import layout_pool  # only when there is something to build

        return layout_pool()

    return _build(args, root, "PDF", "pdf", ".pdf", helpers=start_layout_processes)


def cmd_docx(args, root: Path) -> int:
    return _build(args, root, "DOCX", "docx", ".docx")


def _build(
    args,
    root: Path,
    label: str,
    kind: str,
    suffix: str,
    helpers=contextlib.nullcontext,
    incremental: bool = True,
) -> int:
    edisi = getattr(args, "edisi", None)
    started = time.monotonic()
    cache = getattr(args, "cache", None)
    force = getattr(args, "force", False)
    with _collector_off(), contextlib.ExitStack() as early:
        digest = pipeline.input_digest(root)
        if not args.output and (force or pipeline.kept_output_name(root, edisi, digest) is None):
            # a build is (almost) sure: the layout processes start before the name is derived from
            # data/dokumen.yaml (0.15 s of loading), not after
            started_helpers = early.enter_context(helpers())
            helpers = functools.partial(contextlib.nullcontext, started_helpers)
        name = None if args.output else pipeline.output_name(root, edisi, digest)
        out = Path(args.output) if args.output else root / "output" / (name + suffix)
        size = pipeline.build(
            root,
            kind,
            out,
            force=force,
            helpers=helpers,
            incremental=incremental,
            cache=Path(cache) if cache else None,
            edisi=edisi,
            digest=digest,
        )
        if name:
            pipeline.keep_output_name(root, edisi, digest, name)
    if size is None:
        print(f"{label} sudah mutakhir: {out} (masukan tidak berubah)")
    else:
        print(f"{label} ditulis: {out} ({size // 1024} KiB, {time.monotonic() - started:.1f} detik)")
    return 0


@contextlib.contextmanager
def _collector_off():
    """Python's cyclic collector paused for one build. Run every 700 new objects, it scanned what loading
    and rendering keep — the document as printed, which lives to the end of the build anyway — again
    and again: 0.15-0.3 s of the 1.2-1.8 s of CPU the build itself (not its layout processes) spends,
    at the cost of 2 MiB more at its peak. (The preview, which lives on, keeps it.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def cmd_diff(args, root: Path) -> int:
    from renstra.review.diff import summary_markdown
    from renstra.write import write_atomic

    report, html, pdf, docx = pipeline.diff(root, args.dari, args.ke, docx=not args.tanpa_docx)
    label = args.ke or "kerja"
    name = "perubahan-" + "-".join(re.sub(r"[^\w.-]", "_", x)[:60] for x in (args.dari, label))
    write_atomic(root / "output" / f"{name}.html", html.encode("utf-8"))
    write_atomic(root / "output" / f"{name}.pdf", pdf)
    if docx is not None:
        write_atomic(root / "output" / f"{name}.docx", docx)
    print(summary_markdown(report))
    word = f"; perubahan terlacak untuk Word: output/{name}.docx" if docx is not None else ""
    print(f"\nLaporan: output/{name}.html dan output/{name}.pdf{word}", file=sys.stderr)
    return 0


def cmd_koreksi(args, root: Path) -> int:
    from renstra.write import write_atomic

    html, md, count = pipeline.koreksi(root)
    out = root / "output"
    write_atomic(out / "koreksi.html", html.encode("utf-8"))
    write_atomic(out / "koreksi.md", md.encode("utf-8"))
    print(f"Laporan koreksi ditulis: {out / 'koreksi.html'} dan koreksi.md ({count} koreksi)")
    return 0


def cmd_schema(args, root: Path) -> int:
    for path in pipeline.schemas(root):
        print(f"ditulis: {path.relative_to(root)}")
    return 0


def cmd_baru(args, root: Path) -> int:
    from renstra import scaffold

    started = time.monotonic()
    try:
        request = scaffold.permintaan(args.dir, args.instansi, args.daerah, args.periode, args.singkatan)
        folder = scaffold.baru(request, root)
    except (scaffold.TidakDapatDibuat, scaffold.MesinError) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Repositori Renstra baru dibuat: {folder} ({time.monotonic() - started:.1f} detik)")
    print(f"Selanjutnya: cd {args.dir} && make pdf; make check menunjukkan apa yang masih harus diisi")
    return 0
