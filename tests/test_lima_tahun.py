"""A five-year document of another Perangkat Daerah (tests/fixtures/lima-tahun), built to PDF and DOCX once.

Its period (2025–2029) comes from its data/dokumen.yaml and nothing else: every per-year header, map
and sum must follow it. Its T-C.27 stops at kegiatan, as tables made before the 2021 nomenclature do,
and leaves out what such tables never printed; it has no cascading table and no errata file.
The build reads templates/ and fonts/ from the root it is given, so the copy takes the repository's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import kecil
from docx import Document

from renstra.check import check
from renstra.cli import main
from renstra.layout import MARGIN_LANSKAP
from renstra.pipeline import resolved
from renstra.problems import RenstraError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "lima-tahun"
YEARS = ["2025", "2026", "2027", "2028", "2029"]
KODE_PROGRAM = re.compile(r"^\d\.\d{2}\.\d{2}$")
MM = 72 / 25.4  # pt per mm


lima_copy = kecil  # the fixture's content/, data/ and schema/ with the repository's templates/ and fonts/


@pytest.fixture(scope="session")
def lima(tmp_path_factory):
    """(root, PDF path, DOCX path): the fixture built as `build.py pdf` and `build.py docx` build it."""
    root = lima_copy(tmp_path_factory.mktemp("lima-tahun"))
    pdf, docx = root / "output" / "lima.pdf", root / "output" / "lima.docx"
    assert main(["--root", str(root), "pdf", "--output", str(pdf)]) == 0
    assert main(["--root", str(root), "docx", "--output", str(docx)]) == 0
    return root, pdf, docx


@pytest.fixture
def copy(tmp_path):
    return lima_copy(tmp_path)


def _clean(cell) -> str:
    text = (cell or "").replace("\u2010\n", "").replace("\u200b", "")  # PDF hyphenation, DOCX line break
    return " ".join(text.split()).replace("/ ", "/")


@pytest.fixture(scope="session")
def pdf_rows(lima):
    """Every row of every ruled table of the PDF, cells as text."""
    with pdfplumber.open(lima[1]) as pdf:
        return [[_clean(c) for c in row] for page in pdf.pages for t in page.extract_tables() for row in t]


@pytest.fixture(scope="session")
def docx_rows(lima):
    """Every row of every table of the DOCX, cells as text (a merged cell repeats in each column it spans)."""
    return [
        [_clean(c.text) for c in row.cells] for table in Document(str(lima[2])).tables for row in table.rows
    ]


def rupiah(text: str) -> int:
    assert re.fullmatch(r"Rp\d{1,3}(\.\d{3})*", text), text  # PUEBI: Rp1.234.567
    return int(text.removeprefix("Rp").replace(".", ""))


def year_headers(rows) -> list[list[str]]:
    """The header rows that name years: their year cells, in order."""
    found = []
    for row in rows:
        cells = [c for i, c in enumerate(row) if i == 0 or c != row[i - 1]]  # a spanned cell once
        years = [c for c in cells if re.fullmatch(r"20\d\d", c)]
        if len(years) > 1:
            found.append(years)
    return found


def tc27_rows(rows) -> list[list[str]]:
    """The body rows of the T-C.27: 7 leading columns, Target and Rp for 5 years and Akhir Periode, 2 more."""
    width = 7 + 2 * (len(YEARS) + 1) + 2
    return [
        r for r in rows if len(r) == width and (re.match(r"^\d\.\d{2}", r[0]) or r[0].startswith("Total"))
    ]


def test_check_exits_0(copy):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(copy), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("0 galat, 0 peringatan")


def test_every_per_year_header_shows_the_period(pdf_rows, docx_rows):
    for rows in (pdf_rows, docx_rows):
        headers = year_headers(rows)
        assert len(headers) == 3  # T-C.25, T-C.27, T-C.28
        assert all(years == YEARS for years in headers), headers
    # the capaian awal is of the base year, two before the period
    assert (
        "Capaian awal tahun perencanaan (Tahun 2023)"
        in pdf_rows[next(i for i, r in enumerate(pdf_rows) if r and r[0] == "Kode")]
    )


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_tc27_akhir_periode_is_the_sum_of_five_years(kind, pdf_rows, docx_rows):
    rows = tc27_rows(pdf_rows if kind == "pdf" else docx_rows)
    programs = [r for r in rows if KODE_PROGRAM.match(r[0])]
    total = next(r for r in rows if r[0].startswith("Total Pendanaan Renstra"))
    assert [r[0] for r in programs] == ["2.16.01", "2.16.03"]
    per_year = []
    for row in programs + [total]:
        years = [rupiah(row[8 + 2 * i]) for i in range(len(YEARS))]
        assert rupiah(row[8 + 2 * len(YEARS)]) == sum(years), row[0]
        per_year.append(years)
    assert per_year[-1] == [a + b for a, b in zip(per_year[0], per_year[1])]
    assert total[8 + 2 * len(YEARS)] == "Rp47.653.159.969"  # 34.113.479.135 + 13.539.680.834


def test_tc27_without_sub_kegiatan_and_its_optional_fields_print_empty(pdf_rows, lima):
    header = next(r for r in pdf_rows if r and r[0] == "Kode")
    assert header[1:3] == ["Sasaran Program/Kegiatan", "Program/Kegiatan"]  # no "Sub Kegiatan"
    rows = {r[0]: r for r in tc27_rows(pdf_rows)}
    assert sorted(rows) == [
        "2.16.01",
        "2.16.01.2.01",
        "2.16.01.2.02",
        "2.16.03",
        "2.16.03.2.01",
        "2.16.03.2.02",
        "Total Pendanaan Renstra",
    ]
    for kode in ("2.16.01.2.01", "2.16.01.2.02", "2.16.03.2.01", "2.16.03.2.02"):
        assert rows[kode][1] == "" and rows[kode][-2:] == ["", ""], kode  # sasaran, unit kerja, lokasi
    keuangan = rows["2.16.01.2.02"]
    assert keuangan[3] == "Jumlah bulan pembayaran gaji dan tunjangan ASN"
    assert keuangan[4:6] == ["", ""]  # satuan, formulasi
    # without a satuan nothing says the targets are counts: Akhir Periode is the last year's, not 60
    assert keuangan[7 + 2 * len(YEARS)] == "12"
    facts = resolved(lima[0]).facts["jumlah"]
    assert (facts.program, facts.kegiatan, facts.sub_kegiatan) == (2, 4, 0)
    with pdfplumber.open(lima[1]) as pdf:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "melaksanakan 2 program dan 4 kegiatan" in text


def _runs(chars):
    """Characters set next to each other on one line, joined: a word as laid out."""
    runs = []
    for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        last = runs[-1] if runs else None
        if last and abs(last["top"] - c["top"]) < 0.5 and c["x0"] - last["x1"] < 0.3:
            last["x1"], last["text"] = c["x1"], last["text"] + c["text"]
        else:
            runs.append({k: c[k] for k in ("top", "bottom", "x0", "x1", "text")})
    return runs


def test_tc27_fits_the_landscape_page(lima):
    """Measured on the built PDF: the table ends inside the right margin, and no figure runs across the
    rule of its cell (at the width of three years, a five-year table's Rp ran into the next column)."""
    doc = resolved(lima[0])
    assert doc.view("tc27").skala_huruf < 1  # five years: smaller type, the same columns
    with pdfplumber.open(lima[1]) as pdf:
        pages = [p for p in pdf.pages if "Total Pendanaan Renstra" in (p.extract_text() or "")]
        assert pages
        for page in pages:
            table = page.find_tables()[0]
            x0, top, x1, bottom = table.bbox
            assert x1 <= page.width - MARGIN_LANSKAP[1] * MM + 0.5
            rules = [e for e in page.edges if e["orientation"] == "v"]
            chars = [c for c in page.chars if c["top"] >= top and c["bottom"] <= bottom]
            assert max(c["x1"] for c in chars) <= x1
            crossing = [
                run["text"]
                for run in _runs(chars)
                if any(
                    run["x0"] + 0.1 < e["x0"] < run["x1"] - 0.1
                    and e["top"] <= run["top"] + 1
                    and e["bottom"] >= run["bottom"] - 1
                    for e in rules
                )
            ]
            assert crossing == []


def _line_col(path: Path, needle: str, after: str, key: str) -> tuple[int, int]:
    """(line, column) just past `needle` on the first line holding `key` after the line holding `after`."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    line = next(i for i in range(start, len(lines)) if key in lines[i])
    return line + 1, lines[line].index(needle) + len(needle) + 1


def galat_of(root: Path) -> list[str]:
    """Every galat of the document at `root`, from loading through the checks."""
    try:
        found = check(resolved(root))
    except RenstraError as error:
        found = error.problems
    return [str(p) for p in found if p.level == "galat"]


def test_program_pagu_is_held_to_the_sum_of_its_kegiatan(copy):
    path = copy / "data" / "tc27.yaml"
    path.write_text(path.read_text().replace("2027: 2341108000", "2027: 2341108001"))
    line, col = _line_col(path, "2027: ", 'kode: "2.16.03"', "pagu:")
    assert galat_of(copy) == [
        f"data/tc27.yaml:{line}:{col}: galat: pagu 2027 2.16.03 Rp2.685.793.600 ≠ jumlah kegiatan "
        "Rp2.685.793.601 (selisih Rp1) (samakan pagu dengan jumlah kegiatan, atau perbaiki Rp kegiatan yang salah)"
    ]


def test_sub_kegiatan_written_but_empty_is_a_galat(copy):
    path = copy / "data" / "tc27.yaml"
    text = path.read_text()
    anchor = "        pagu: {2025: 48250000"
    path.write_text(text.replace(anchor, "        sub_kegiatan: []\n" + anchor))
    line, col = _line_col(path, "sub_kegiatan: ", 'kode: "2.16.01.2.01"', "sub_kegiatan:")
    assert galat_of(copy) == [
        f"data/tc27.yaml:{line}:{col}: galat: sub_kegiatan: daftar tidak boleh kosong "
        "(hapus baris 'sub_kegiatan' bila memang tidak ada isinya)"
    ]


def _drop_table(root: Path, table_id: str) -> None:
    """A document without the table: its file and the chapter lines that place or name it."""
    (root / "data" / f"{table_id}.yaml").unlink()
    for chapter in (root / "content").glob("*.md"):
        lines = chapter.read_text().splitlines()
        chapter.write_text("\n".join(line for line in lines if f'"{table_id}"' not in line) + "\n")


def test_without_tc28_it_checks_and_builds(copy):
    _drop_table(copy, "tc28")
    assert galat_of(copy) == []
    out = copy / "output" / "lima.docx"
    assert main(["--root", str(copy), "html", "--output", str(copy / "output" / "lima.html")]) == 0
    assert main(["--root", str(copy), "docx", "--output", str(out)]) == 0
    tables = len(
        [p for p in (FIXTURE / "data").glob("*.yaml") if p.stem not in ("dokumen", "sasaran", "errata")]
    )
    assert len(Document(str(out)).tables) == tables - 1


def test_without_tc27_the_tables_that_refer_to_it_say_so(copy, capsys):
    _drop_table(copy, "tc27")
    path = copy / "content" / "06-program-kegiatan-pendanaan.md"
    path.write_text("# RENCANA PROGRAM DAN KEGIATAN SERTA PENDANAAN\n\nRincian program belum disusun.\n")
    tc28 = copy / "data" / "tc28.yaml"
    lines = tc28.read_text().splitlines()
    where = [(i + 1, line.index('"2.16') + 1) for i, line in enumerate(lines) if "program:" in line]
    assert galat_of(copy) == [
        f"data/tc28.yaml:{line}:{col}: galat: program '{kode}' tidak dapat dirujuk: dokumen ini tidak "
        "memiliki tabel berjenis tc27 (tambahkan berkas data berjenis tc27 (jenis: tc27), atau ganti "
        "kelompok ini dengan tujuan atau sasaran dari data/sasaran.yaml)"
        for (line, col), kode in zip(where, ("2.16.01", "2.16.03"))
    ]
    assert main(["--root", str(copy), "docx", "--output", str(copy / "x.docx")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "galat internal" not in err
    # without those groups the document is whole again
    tc28.write_text("\n".join(line for line in lines if "program:" not in line) + "\n")
    assert galat_of(copy) == []
    assert main(["--root", str(copy), "docx", "--output", str(copy / "x.docx")]) == 0


def test_errata_naming_rows_the_tc27_does_not_have(copy):
    errata = copy / "data" / "errata.yaml"
    entry = (
        '  - tabel: tc27\n    jenis: koreksi\n    baris: "{kode}"\n    kolom: pagu.2025\n    tercetak: "Rp1"\n'
        '    sekarang: "{sekarang}"\n    alasan: "uji"\n'
    )
    # a row recorded as deleted holds; rows carried over from another table are one galat, not one each
    errata.write_text(
        "koreksi:\n"
        + entry.format(kode="2.16.01.2.01.01", sekarang="(dihapus)")
        + "".join(
            entry.format(kode=kode, sekarang="Rp2")
            for kode in ("2.16.02.2.01", "2.16.02.2.01", "2.16.02.2.02", "2.16.03.2.01.05", "2.16.04")
        )
    )
    line = next(i for i, text in enumerate(errata.read_text().splitlines(), 1) if '"2.16.02.2.01"' in text)
    assert galat_of(copy) == [
        f"data/errata.yaml:{line}:12: galat: 5 entri koreksi merujuk baris yang tidak ada di Tabel 6.1 "
        "(TC-27): 2.16.02.2.01, 2.16.02.2.02, 2.16.03.2.01.05 dan 1 baris lain (hapus entri itu dari "
        'data/errata.yaml, atau tulis sekarang: "(dihapus)" bila barisnya memang dihapus)'
    ]


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_its_own_bab_ii_tables_are_declared_in_yaml_and_totalled_at_build(kind, pdf_rows, docx_rows, lima):
    rows = pdf_rows if kind == "pdf" else docx_rows
    assert ["1", "Sekretariat", "14", "3", "17"] in rows
    assert ["3", "Bidang Statistik dan Persandian", "7", "-", "7"] in rows

    def spanned_once(row):  # a cell spanning columns: repeated in the DOCX, None (empty) in the PDF
        return [c for i, c in enumerate(row) if c and (i == 0 or c != row[i - 1])]

    assert spanned_once(next(r for r in rows if r and r[0] == "JUMLAH")) == ["JUMLAH", "30", "9", "39"]
    assert spanned_once(next(r for r in rows if r and r[0] == "Jumlah"))[:3] == [
        "Jumlah",
        "3.350 orang",
        "Rp235.500.000",
    ]
    if kind == "pdf":
        with pdfplumber.open(lima[1]) as pdf:
            text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
        assert "didukung oleh 39 orang pegawai, 30 di antaranya PNS, sebagaimana Tabel 2.1" in text
        assert (
            "dipakai oleh 3.350 pengguna dengan biaya pemeliharaan Rp235.500.000 per tahun (Tabel 2.2)"
            in text
        )
