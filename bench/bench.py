"""Benchmark: the pipeline against its floors (raw WeasyPrint, raw pandoc, Python start-up) on the
real document and on synthetic copies scaled ×4 and ×16. Writes output/bench.md.

    python bench/bench.py                      # sizes 1,4,16; 5 runs (3 for ×16) after a warm-up
    python bench/bench.py --ukuran 1 --ulang 3 # a quicker look
    python bench/bench.py --langkah lembar     # the sheets only: make periksa on 500 rows, make xlsx

Every measurement runs in its own process: wall time and peak memory (ru_maxrss) of that process.
"""

from __future__ import annotations

import argparse
import ctypes.util
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(cmd: list[str], cwd: Path, env: dict | None = None, ok=(0,)) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in ok:
        raise SystemExit(f"gagal: {' '.join(cmd)}\n{process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def scaled_copy(factor: int, target: Path) -> Path:
    """The real document with (factor-1) extra copies of the narrative chapters and of the TC-27 tree."""
    for name in ("content", "data", "templates", "fonts", "renstra"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "build.py", target / "build.py")
    (target / ".venv").symlink_to(ROOT / ".venv")
    # copy2 keeps the mtimes: make must see the shared virtual environment as up to date
    shutil.copy2(ROOT / "Makefile", target / "Makefile")
    shutil.copy2(ROOT / "mesin.mk", target / "mesin.mk")  # the Makefile includes the shared targets
    shutil.copy2(ROOT / "requirements.lock", target / "requirements.lock")
    (target / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "cek-sistem.sh", target / "scripts" / "cek-sistem.sh")
    if factor > 1:
        _more_chapters(target, factor)
        _more_programs(target, factor)
    return target


def _more_chapters(target: Path, factor: int) -> None:
    dokumen = target / "data" / "dokumen.yaml"
    extra = []
    chapters = sorted((target / "content").glob("0[1-8]-*.md"))  # before the copies, which match too
    for copy in range(1, factor):
        for source in chapters:
            text = re.sub(r"^\{\{ (tabel|gambar)\(.*\) \}\}$", "", source.read_text(), flags=re.M)
            name = f"{copy:02d}-salinan-{source.name}"
            (target / "content" / name).write_text(text)
            extra.append(f"  - berkas: {name}\n    nomor: S{copy}\n")
    dokumen.write_text(dokumen.read_text() + "".join(extra))


def _more_programs(target: Path, factor: int) -> None:
    tc27 = target / "data" / "tc27.yaml"
    text = tc27.read_text()
    head, body = text.split("program:\n", 1)
    cascading = target / "data" / "cascading.yaml"
    c_head, c_body = cascading.read_text().split("program:\n", 1)
    copies, c_copies = [body], [c_body]
    for copy in range(1, factor):
        prefix = f"4.{10 + copy:02d}"
        copies.append(body.replace('"4.01.', f'"{prefix}.'))
        c_copies.append(c_body.replace('"4.01.', f'"{prefix}.'))
    tc27.write_text(head + "program:\n" + "".join(copies))
    cascading.write_text(c_head + "program:\n" + "".join(c_copies))
    # the narrative's count of sub kegiatan is an errata entry (72 printed, 70 now): it grows with the copies
    errata = target / "data" / "errata.yaml"
    count = str(_count_sub_kegiatan(text) * factor)  # as {{ jumlah.sub_kegiatan }} prints it: no separator
    errata.write_text(
        re.sub(
            r'(kolom: jumlah\.sub_kegiatan\n\s+tercetak: "72"\n\s+sekarang: )"70"',
            rf'\1"{count}"',
            errata.read_text(),
        )
    )


def _count_sub_kegiatan(tc27_text: str) -> int:
    tree = yaml.safe_load(tc27_text)
    return sum(len(k["sub_kegiatan"]) for p in tree["program"] for k in p["kegiatan"])


def measure(label: str, size: int, repeats: int, action, prepare=None) -> dict:
    times, memory = [], []
    for attempt in range(repeats + 1):  # the first run warms caches and is discarded
        if prepare:
            prepare(attempt)
        seconds, mib = action()
        if attempt:
            times.append(seconds)
            memory.append(mib)
    return _summary(label, size, times, max(memory))


WEASYPRINT = "WeasyPrint mentah, HTML yang sama (lantai)"
PANDOC = "pandoc mentah, masukan DOCX yang sama (lantai)"
PDF_DINGIN = "PDF dingin (make pdf, tanpa cache)"
# A measurement whose ratio to its floor is the target: the two run in turn, A B A B …, and the ratio is
# the median of the ratios of each pair — on a machine whose speed drifts (a shared virtual machine
# moves 2× within minutes) a ratio of two medians taken minutes apart says little.
BERPASANGAN = {PDF_DINGIN: WEASYPRINT, "DOCX (make docx)": PANDOC}


def measure_paired(label: str, floor: str, size: int, repeats: int, a, b) -> list[dict]:
    """`label` and its `floor` measured in turn after one warm-up pair; both summaries, the first with
    the ratios pair by pair."""
    a_times, b_times, memory = [], [], {label: [], floor: []}
    for attempt in range(repeats + 1):
        for which, (action, prepare), times in ((label, a, a_times), (floor, b, b_times)):
            if prepare:
                prepare(attempt)
            seconds, mib = action()
            if attempt:
                times.append(seconds)
                memory[which].append(mib)
    ratios = [x / y for x, y in zip(a_times, b_times)]
    first = _summary(label, size, a_times, max(memory[label]))
    first["rasio"] = (statistics.median(ratios), min(ratios), max(ratios))
    return [first, _summary(floor, size, b_times, max(memory[floor]))]


def bench_size(size: int, repeats: int, tmp: Path, only: list[str] | None = None) -> list[dict]:
    root = scaled_copy(size, tmp / f"x{size}")
    build = [PY, "build.py"]
    results = []
    env = {"SOURCE_DATE_EPOCH": "1683000000"}
    html = root / "output" / "bench.html"
    run(build + ["html", "--output", str(html)], root, env)
    pandoc_input = root / "output" / "bench-docx.html"
    _save_docx_source(root, pandoc_input)

    def edit_sentence(attempt):
        path = root / "content" / "03-permasalahan-isu-strategis.md"
        old, new = ("dan tidak maksimalnya", "dan belum maksimalnya")[:: 1 if attempt % 2 == 0 else -1]
        path.write_text(path.read_text().replace(old, new))

    def edit_rupiah(attempt):
        # one sub kegiatan's 2025 Rp +1, with its kegiatan and program pagu, so that the check passes
        path = root / "data" / "tc27.yaml"
        text = path.read_text()
        for value in (23180765, 55340265, 47463687201):
            old, new = (value, value + 1) if attempt % 2 == 0 else (value + 1, value)
            text = text.replace(f"2025: {old},", f"2025: {new},", 1)
        path.write_text(text)
        errata = root / "data" / "errata.yaml"  # the program's 2025 pagu is itself an errata entry
        old, new = ("Rp47.463.687.201", "Rp47.463.687.202")[:: 1 if attempt % 2 == 0 else -1]
        errata.write_text(errata.read_text().replace(f'sekarang: "{old}"', f'sekarang: "{new}"'))

    steps = [
        (
            "Python start-up + impor (lantai)",
            lambda: run([PY, "-c", "import renstra.cli, weasyprint, docx, pypandoc, jinja2"], root),
            None,
        ),
        ("muat + periksa (make check)", lambda: run(build + ["check"], root, env), None),
        (
            "HTML (make html)",
            lambda: run(build + ["html", "--output", str(root / "output" / "x.html")], root, env),
            None,
        ),
        (
            WEASYPRINT,
            lambda: run(
                [
                    PY,
                    "-c",
                    f"import weasyprint; weasyprint.HTML(filename='{html}')"
                    f".write_pdf('{root}/output/raw.pdf')",
                ],
                root,
                env,
            ),
            None,
        ),
        (
            "PDF satu jalan (WeasyPrint satu proses, pipeline lengkap)",
            lambda: run(build + ["pdf", "--force", "--satu-jalan"], root, env),
            None,
        ),
        (
            PDF_DINGIN,
            lambda: run(build + ["pdf", "--force"], root, env),
            _clear_cache(root),
        ),
        ("PDF setelah ubah satu kalimat", lambda: run(build + ["pdf"], root, env), edit_sentence),
        ("PDF setelah ubah satu Rp di TC-27", lambda: run(build + ["pdf"], root, env), edit_rupiah),
        (
            PANDOC,
            lambda: run(
                [
                    _pandoc(),
                    str(pandoc_input),
                    "-f",
                    "html",
                    "-t",
                    "docx",
                    "-o",
                    str(root / "output" / "raw.docx"),
                ],
                root,
                env,
            ),
            None,
        ),
        ("DOCX (make docx)", lambda: run(build + ["docx", "--force"], root, env), None),
        (
            "make all dingin (PDF lalu DOCX, tanpa cache)",
            lambda: run(["make", "-s", "all"], root, env),
            _from_scratch(root),
        ),
        ("make pdf tanpa perubahan", lambda: run(["make", "-s", "pdf"], root, env), None),
        (
            "make diff antara dua commit, tanpa DOCX perubahan (--tanpa-docx)",
            lambda: run(build + ["diff", "HEAD~1", "HEAD", "--tanpa-docx"], root, env),
            _git_history(root),
        ),
        (
            "make diff antara dua commit",  # with the redline DOCX: two DOCX builds and Docxodus
            lambda: run(build + ["diff", "HEAD~1", "HEAD"], root, env),
            _git_history(root),
        ),
    ]
    by_label = {label: (action, prepare) for label, action, prepare in steps}
    chosen = [label for label, _, _ in steps if not only or any(w.lower() in label.lower() for w in only)]
    for label, action, prepare in steps:
        if label not in chosen:
            continue
        if size >= 16 and label.startswith("PDF satu jalan"):  # not a floor, and twelve minutes at ×16
            continue
        if any(floor == label and partner in chosen for partner, floor in BERPASANGAN.items()):
            continue  # measured in turn with the step it is the floor of
        count = max(1, repeats if size < 16 else min(repeats, 3))
        floor = BERPASANGAN.get(label)
        if floor:  # run in turn with its floor: the ratio is taken pair by pair (see measure_paired)
            results += measure_paired(label, floor, size, count, (action, prepare), by_label[floor])
            for r in results[-2:]:
                print(f"×{size} {r['ukur']}: {r['median']:.2f} s", file=sys.stderr)
            continue
        results.append(measure(label, size, count, action, prepare))
        print(f"×{size} {label}: {results[-1]['median']:.2f} s", file=sys.stderr)
    if not only or any(word.lower() in PRATINJAU.lower() for word in only):
        for result in bench_preview(root, size, max(repeats, 5), tmp):
            results.append(result)
            print(f"×{size} {result['ukur']}: {result['median']:.2f} s", file=sys.stderr)
    return results


LEMBAR_BARIS = 500


def bench_lembar(repeats: int, tmp: Path, only: list[str] | None = None) -> list[dict]:
    """`build.py periksa` on a T-C.27 of 500 rows (.xlsx, .csv, .html, .ods: a whole process each, start-up
    included), the same check in-process, and `build.py xlsx` of this document. Sized ×1: the sheet
    does not grow with the document."""
    sheets = _lembar(tmp / "lembar", LEMBAR_BARIS)
    build = [PY, "build.py"]
    steps = [
        (
            f"make periksa, lembar {LEMBAR_BARIS} baris ({path.suffix})",
            lambda p=path: run(build + ["periksa", str(p)], ROOT, ok=(0, 1)),
        )
        for path in sheets
    ]
    steps.append(
        (f"periksa dalam proses, lembar {LEMBAR_BARIS} baris (.xlsx)", lambda: _in_process(sheets[0]))
    )
    steps.append(
        ("make xlsx (dokumen ini)", lambda: run(build + ["xlsx", "--output", str(tmp / "x.xlsx")], ROOT))
    )
    results = []
    for label, action in steps:
        if only and not any(word.lower() in label.lower() for word in only):
            continue
        results.append(measure(label, 1, repeats, action))
        print(f"×1 {label}: {results[-1]['median']:.3f} s", file=sys.stderr)
    return results


def _lembar(folder: Path, rows: int) -> list[Path]:
    """A T-C.27 of `rows` body rows (one bidang, programs of 9 kegiatan of 10 sub kegiatan) written by
    the fixtures' own writer, as .xlsx, .csv, .html and .ods."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "lembar"))
    import buat

    folder.mkdir(parents=True, exist_ok=True)
    programs = []
    count = 1
    p = 0
    while count < rows:
        p += 1
        kegiatan = []
        for k in range(1, 10):
            subs = [
                buat.node(
                    f"2.16.{p:02d}.2.{k:02d}.{s:02d}",
                    f"Sub kegiatan {p}.{k}.{s}",
                    [buat.ind(f"Jumlah dokumen {p}.{k}.{s}", "Dokumen", 1, [2, 3, 2])],
                    [1_000_000 * s, 1_100_000 * s, 1_200_000 * s],
                )
                for s in range(1, 11)
            ]
            kegiatan.append(
                buat.node(
                    f"2.16.{p:02d}.2.{k:02d}",
                    f"Kegiatan {p}.{k}",
                    [buat.ind(f"Persentase kegiatan {p}.{k}", "persen", 100, [100] * 3)],
                    None,
                    subs,
                )
            )
        programs.append(
            buat.node(
                f"2.16.{p:02d}",
                f"PROGRAM {p}",
                [buat.ind(f"Persentase program {p}", "persen", 100, [100] * 3)],
                None,
                kegiatan,
            )
        )
        count += 1 + 9 * 11
    bidang = buat.node("2.16", "URUSAN", [], None, programs, sasaran="")
    buat._sum(bidang)
    grid = buat.grid(["2025", "2026", "2027"], [bidang])
    paths = [folder / "lembar.xlsx", folder / "lembar.csv", folder / "lembar.html", folder / "lembar.ods"]
    buat.tulis_xlsx(grid, paths[0])
    buat.tulis_csv(grid, paths[1])
    buat.tulis_html(grid, paths[2])
    buat.tulis_ods(grid, paths[3])
    return paths


def _in_process(path: Path) -> tuple[float, float]:
    """The reading and checking alone, without the process start-up."""
    import resource

    sys.path.insert(0, str(ROOT))
    from renstra.sheet.periksa import periksa

    started = time.perf_counter()
    periksa(path)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PRATINJAU = "pratinjau (make preview)"
PRATINJAU_HALAMAN = f"{PRATINJAU}: simpan satu kalimat → halaman diperbarui di peramban"
PRATINJAU_PDF = f"{PRATINJAU}: simpan satu kalimat → PDF baru tersedia"


def bench_preview(root: Path, size: int, repeats: int, tmp: Path) -> list[dict]:
    """The live preview measured as tests/test_preview.py drives it: a headless Chromium has the page
    open; a sentence is saved, and the clock runs until the browser shows it, then until the page links
    the PDF laid out from that save. The first change after start-up is a warm-up and is not counted."""
    sys.path.insert(0, str(ROOT / "tests"))
    import peramban

    chapter = root / "content" / "03-permasalahan-isu-strategis.md"
    page_seconds, pdf_seconds, prefix = [], [], ""
    browser_tmp = tmp / f"chromium-x{size}"
    browser_tmp.mkdir(exist_ok=True)
    with peramban.running_preview(root) as preview, peramban.chromium_page(browser_tmp) as page:
        peramban.open_preview(page, preview)
        page.wait_for_function(peramban.pdf_newer_than(0), timeout=900_000)  # cold: every chapter laid out
        for attempt in range(repeats + 1):
            marker = f"Kalimat uji kecepatan {size}-{attempt}. "
            versi = peramban.pdf_version(page)
            started = time.perf_counter()
            peramban.replace_in(chapter, prefix + "Munculnya hambatan", marker + "Munculnya hambatan")
            page.wait_for_function(peramban.text_shown(marker.strip()), polling="raf", timeout=60_000)
            shown = time.perf_counter() - started
            page.wait_for_function(peramban.pdf_newer_than(versi), polling="raf", timeout=300_000)
            laid_out = time.perf_counter() - started
            prefix = marker
            if attempt:
                page_seconds.append(shown)
                pdf_seconds.append(laid_out)
        mib = preview.peak_mib()
    peramban.replace_in(chapter, prefix + "Munculnya hambatan", "Munculnya hambatan")
    return [
        _summary(PRATINJAU_HALAMAN, size, page_seconds, mib),
        _summary(PRATINJAU_PDF, size, pdf_seconds, mib),
    ]


def _summary(label: str, size: int, times: list[float], mib: float) -> dict:
    return {
        "ukuran": size,
        "ukur": label,
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "mib": mib,
    }


def _clear_cache(root: Path):
    def prepare(attempt):
        shutil.rmtree(root / "output" / ".cache", ignore_errors=True)

    return prepare


def _from_scratch(root: Path):
    """No PDF, no DOCX and no chapter cache: `make all` builds everything."""

    def prepare(attempt):
        shutil.rmtree(root / "output" / ".cache", ignore_errors=True)
        for built in (root / "output").glob("renstra-*"):
            built.unlink()

    return prepare


def _git_history(root: Path):
    def prepare(attempt):
        if (root / ".git").exists():
            return
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@local"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "content", "data"], check=True)
        subprocess.run(git + ["commit", "-qm", "a"], check=True)
        path = root / "content" / "08-penutup.md"
        path.write_text(path.read_text().replace("Renstra", "Rencana Strategis", 1))
        subprocess.run(git + ["commit", "-qam", "b"], check=True)

    return prepare


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _save_docx_source(root: Path, path: Path) -> None:
    """The exact HTML the DOCX pipeline hands to pandoc, for the raw-pandoc floor."""
    code = (
        "import sys; from pathlib import Path; import renstra.render.docx as r; "
        "from renstra.pipeline import resolved; saved = {}; orig = r._pandoc_docx; "
        "r._pandoc_docx = lambda html, ref: saved.setdefault('h', html) and orig(html, ref); "
        f"r.render_docx(resolved(Path('{root}')), cache=Path('{root}') / 'output' / '.cache'); "
        f"Path('{path}').write_text(saved['h'])"
    )
    subprocess.run([PY, "-c", code], cwd=root, check=True, env={**os.environ, "PYTHONPATH": str(root)})


def report(results: list[dict]) -> str:
    floors = {(r["ukuran"], r["ukur"]): r["median"] for r in results}
    lines = [
        f"# Benchmark renstra-as-code ({time.strftime('%Y-%m-%d')})",
        "",
        f"Mesin: {platform.machine()}, {os.cpu_count()} inti, Python {platform.python_version()}, "
        f"{platform.platform()}.",
        "",
        _subsetter(),
        "",
        "Memori puncak: proses terbesar dalam pohon proses pengukuran (build.py atau salah satu proses "
        "tata letaknya; ru_maxrss dari wait4), bukan jumlah proses yang berjalan bersamaan.",
        "",
        "| Ukuran | Pengukuran | Median (s) | Rentang (s) | Memori puncak (MiB) | Rasio terhadap lantai |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ratio = _ratio(r, floors)
        lines.append(
            f"| ×{r['ukuran']} | {r['ukur']} | {r['median']:.2f} | {r['min']:.2f}–{r['max']:.2f} | "
            f"{r['mib']:.0f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def _subsetter() -> str:
    """Which library subsets the PDF's fonts: the raw floor pays for it once, the build once per part."""
    if ctypes.util.find_library("harfbuzz-subset"):
        return "Subset huruf PDF: HarfBuzz-Subset (libharfbuzz-subset0)."
    return (
        "Subset huruf PDF: fontTools, karena libharfbuzz-subset0 tidak terpasang: setiap bagian PDF "
        "± 0,05 detik lebih lama, rasio build dari awal ± 0,02 lebih besar (sudo apt-get install "
        "libharfbuzz-subset0)."
    )


def _ratio(r: dict, floors: dict) -> str:
    weasy = floors.get((r["ukuran"], WEASYPRINT))
    pandoc = floors.get((r["ukuran"], PANDOC))
    target = {(1, PRATINJAU_HALAMAN): 0.3, (16, PRATINJAU_HALAMAN): 1.0, (1, PRATINJAU_PDF): 1.0}
    if (r["ukuran"], r["ukur"]) in target:  # issue 19's targets
        goal = target[(r["ukuran"], r["ukur"])]
        return f"sasaran ≤ {goal:g} s: {'tercapai' if r['median'] <= goal else 'belum'}".replace(".", ",")
    if "rasio" in r:  # paired with its floor
        median, low, high = r["rasio"]
        floor = "WeasyPrint" if r["ukur"] == PDF_DINGIN else "pandoc"
        text = f"{median:.2f} × {floor} mentah (berpasangan; {low:.2f}–{high:.2f})"
        if r["ukur"] == PDF_DINGIN and r["ukuran"] == 1:
            text += f"; sasaran ≤ 0,5: {'tercapai' if median <= 0.5 else 'belum'}"
        return text
    if r["ukur"].startswith(("PDF", "make all", "make pdf")) and weasy:
        return f"{r['median'] / weasy:.2f} × WeasyPrint mentah"
    if r["ukur"].startswith("DOCX") and pandoc:
        return f"{r['median'] / pandoc:.2f} × pandoc mentah"
    without = floors.get((r["ukuran"], "make diff antara dua commit, tanpa DOCX perubahan (--tanpa-docx)"))
    if r["ukur"] == "make diff antara dua commit" and without:
        return f"+{r['median'] - without:.2f} s untuk DOCX perubahan terlacak"
    if r["ukur"].startswith("muat") and r["ukuran"] != 1 and (1, r["ukur"]) in floors:
        return f"{r['median'] / floors[(1, r['ukur'])]:.1f} × ukuran ×1"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ukuran", default="1,4,16", help="faktor skala, dipisah koma")
    parser.add_argument("--ulang", type=int, default=5, help="jumlah ulangan setelah pemanasan")
    parser.add_argument(
        "--langkah",
        default="",
        help="hanya pengukuran yang namanya memuat salah satu kata ini (dipisah koma)",
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="renstra-bench-") as tmp:
        only = [w for w in args.langkah.split(",") if w]
        sheets_only = only and all("lembar" in w.lower() or "xlsx" in w.lower() for w in only)
        for size in (int(s) for s in args.ukuran.split(",")) if not sheets_only else ():
            results += bench_size(size, args.ulang, Path(tmp), only)
        if "1" in args.ukuran.split(",") or sheets_only:
            results += bench_lembar(args.ulang, Path(tmp), None if sheets_only else only)
    out = ROOT / "output" / ("bench.md" if not args.langkah else "bench-sebagian.md")
    out.parent.mkdir(exist_ok=True)
    out.write_text(report(results))
    print(out.read_text())


if __name__ == "__main__":
    main()
