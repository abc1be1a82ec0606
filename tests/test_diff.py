"""Diff between two commits of the real document: exactly the edits, their consequences, nothing else."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from renstra.cli import main
from renstra.document.resolve import resolve
from renstra.review.diff import HAPUS, PINDAH, TAMBAH, UBAH, Perubahan, diff, summary_markdown
from renstra.review.versions import load_version, workdir

ROOT = Path(__file__).resolve().parent.parent
NEW_SUB = """          - kode: "4.01.03.2.04.03"
            sasaran: Terlaksananya Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Energi dan Air
            nama: Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Energi dan Air
            indikator:
              - nama: Jumlah Dokumen Hasil Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Urusan Energi dan Air
                satuan: Dokumen
                capaian_awal: 2
                target: {2024: 2, 2025: 2, 2026: 2}
            pagu: {2024: 8600000, 2025: 8800000, 2026: 9000000}
            unit_kerja: Bagian Perekonomian
            lokasi: SEKRETARIAT DAERAH KABUPATEN LUMAJANG
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    """Two commits: the real document, then four edits of the kinds reviewers care about."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "asli")
    bab3 = root / "content" / "03-permasalahan-isu-strategis.md"
    bab3.write_text(
        bab3.read_text().replace(
            "hambatan dan tidak maksimalnya pelayanan", "hambatan dan belum maksimalnya pelayanan"
        )
    )
    tc27 = root / "data" / "tc27.yaml"
    # one sub kegiatan +Rp100 in 2025, and a new sub kegiatan; their kegiatan and programs follow
    text = tc27.read_text()
    for old, new in (
        ("2025: 23180765, 2026: 24817994", "2025: 23180865, 2026: 24817994"),
        ("{2024: 52091375, 2025: 55340265,", "{2024: 52091375, 2025: 55340365,"),
        ("{2024: 82465101580, 2025: 47463687201,", "{2024: 82465101580, 2025: 47463687301,"),
        (
            "{2024: 11750000, 2025: 13100000, 2026: 14300000}",
            "{2024: 20350000, 2025: 21900000, 2026: 23300000}",
        ),
        (
            "{2024: 529332870, 2025: 573962200, 2026: 599026420}",
            "{2024: 537932870, 2025: 582762200, 2026: 608026420}",
        ),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    anchor = text.index('kode: "4.01.03.2.04.02"')
    end = text.index("\n      - kode:", anchor) if "\n      - kode:" in text[anchor:] else len(text)
    tc27.write_text(text[:end].rstrip("\n") + "\n" + NEW_SUB + text[end:].lstrip("\n"))
    mitra = root / "data" / "mitra.yaml"
    lines = mitra.read_text().splitlines()
    first = next(i for i, l in enumerate(lines) if "TATA PEMERINTAHAN" in l)
    lines[first : first + 4] = lines[first + 2 : first + 4] + lines[first : first + 2]
    mitra.write_text("\n".join(lines) + "\n")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "suntingan")
    return root


@pytest.fixture(scope="session")
def report(repo):
    with workdir() as tmp:
        before = resolve(load_version(repo, "HEAD~1", Path(tmp)))
        after = resolve(load_version(repo, "HEAD", Path(tmp)))
    return diff(before, after, "HEAD~1", "HEAD")


def test_narrative_change_at_word_level(report):
    assert [(n.bab, n.bagian, n.dihapus, n.ditambah) for n in report.naskah] == [
        (
            "content/03-permasalahan-isu-strategis.md",
            "Permasalahan Pelayanan Perangkat Daerah",
            ["tidak"],
            ["belum"],
        )
    ]
    assert "<del>tidak</del><ins>belum</ins>" in report.naskah[0].redline


def test_exactly_the_data_edits(report):
    added = [c for c in report.data if c.jenis == TAMBAH]
    assert [(c.tabel, c.kunci) for c in added] == [("tc27", "4.01.03.2.04.03")]
    others = [c for c in report.data if c.jenis != TAMBAH]
    assert others == [
        Perubahan("mitra", "HUKUM", PINDAH, "urutan", "2", "1"),
        Perubahan("tc27", "4.01.01", UBAH, "pagu.2025", "Rp47.463.687.201", "Rp47.463.687.301"),
        Perubahan("tc27", "4.01.01.2.01", UBAH, "pagu.2025", "Rp55.340.265", "Rp55.340.365"),
        Perubahan("tc27", "4.01.01.2.01.01", UBAH, "pagu.2025", "Rp23.180.765", "Rp23.180.865"),
        Perubahan("tc27", "4.01.03", UBAH, "pagu.2024", "Rp529.332.870", "Rp537.932.870"),
        Perubahan("tc27", "4.01.03", UBAH, "pagu.2025", "Rp573.962.200", "Rp582.762.200"),
        Perubahan("tc27", "4.01.03", UBAH, "pagu.2026", "Rp599.026.420", "Rp608.026.420"),
        Perubahan("tc27", "4.01.03.2.04", UBAH, "pagu.2024", "Rp11.750.000", "Rp20.350.000"),
        Perubahan("tc27", "4.01.03.2.04", UBAH, "pagu.2025", "Rp13.100.000", "Rp21.900.000"),
        Perubahan("tc27", "4.01.03.2.04", UBAH, "pagu.2026", "Rp14.300.000", "Rp23.300.000"),
    ]
    assert not [c for c in report.data if c.jenis == HAPUS]


def test_consequences_are_the_derived_cells(report):
    """Akhir Periode of every edited row and the printed total: derived, so reported as consequences."""
    assert {(c.kunci, c.kolom, c.lama, c.baru) for c in report.akibat} == {
        ("4.01.01.2.01.01", "akhir_periode.rp", "Rp69.691.134", "Rp69.691.234"),
        ("4.01.01.2.01", "akhir_periode.rp", "Rp166.167.584", "Rp166.167.684"),
        ("4.01.01", "akhir_periode.rp", "Rp168.539.952.582", "Rp168.539.952.682"),
        ("4.01.03.2.04", "akhir_periode.rp", "Rp39.150.000", "Rp65.550.000"),
        ("4.01.03", "akhir_periode.rp", "Rp1.702.321.490", "Rp1.728.721.490"),
        ("Total Pendanaan Renstra", "pagu.2024", "Rp131.857.497.013", "Rp131.866.097.013"),
        ("Total Pendanaan Renstra", "pagu.2025", "Rp100.828.530.949", "Rp100.837.331.049"),
        ("Total Pendanaan Renstra", "pagu.2026", "Rp95.084.609.923", "Rp95.093.609.923"),
        ("Total Pendanaan Renstra", "akhir_periode.rp", "Rp327.770.637.885", "Rp327.797.037.985"),
    }


def test_budget_deltas_and_summary(report):
    assert [(a["program"], a["tahun"], a["selisih"]) for a in report.anggaran] == [
        ("4.01.01", 2025, 100),
        ("4.01.03", 2024, 8600000),
        ("4.01.03", 2025, 8800000),
        ("4.01.03", 2026, 9000000),
    ]
    assert report.total == (327770637885, 327797037985)
    summary = summary_markdown(report)
    assert (
        "| Tabel 6.1 Rencana Program, Kegiatan dan Pendanaan Sekretariat Daerah Kabupaten Lumajang | 9 | 1 | 0 | 0 |"
        in summary
    )
    assert "| Tabel 2.7 Mitra Perangkat Daerah | 0 | 0 | 0 | 1 |" in summary
    assert (
        "- BAB III PERMASALAHAN DAN ISU-ISU STRATEGIS PERANGKAT DAERAH: Permasalahan Pelayanan Perangkat Daerah"
        in summary
    )
    assert "| 4.01.03 | 2024 | Rp529.332.870 | Rp537.932.870 | +Rp8.600.000 | +1,62% |" in summary
    assert "Total pendanaan Renstra: Rp327.770.637.885 → Rp327.797.037.985 (+Rp26.400.100)" in summary


def test_cli_writes_html_and_pdf(repo, capsys):
    # the tracked-changes DOCX is built and checked in test_redline (the same pipeline.redline)
    assert main(["--root", str(repo), "diff", "HEAD~1", "HEAD", "--tanpa-docx"]) == 0
    assert capsys.readouterr().out.startswith("## Perubahan Renstra: `HEAD~1` → `HEAD`")
    page = (repo / "output" / "perubahan-HEAD_1-HEAD.html").read_text()
    assert "<del>tidak</del><ins>belum</ins>" in page
    assert (repo / "output" / "perubahan-HEAD_1-HEAD.pdf").read_bytes().startswith(b"%PDF")
    assert not (repo / "output" / "perubahan-HEAD_1-HEAD.docx").exists()


def test_identical_versions_and_bad_refs(repo, capsys):
    assert main(["--root", str(repo), "diff", "HEAD", "HEAD"]) == 0
    assert capsys.readouterr().out.strip() == "Tidak ada perubahan antara `HEAD` dan `HEAD`."
    assert not (repo / "output" / "perubahan-HEAD-HEAD.docx").exists()  # nothing to track
    assert main(["--root", str(repo), "diff", "v9999"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("git:1:1: galat: versi 'v9999' tidak ditemukan:")
    assert "Traceback" not in err
