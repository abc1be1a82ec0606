"""make baru: a new Renstra repository that checks and builds at once, its engine vendored with a recorded
version, and replaced by another version with make perbarui-mesin."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx import Document

from renstra import scaffold
from renstra.cli import main
from renstra.pipeline import inspect
from renstra.problems import GALAT

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TAHUN = ["2025", "2026", "2027", "2028", "2029"]
PERMINTAAN = [
    "--instansi",
    "Dinas Komunikasi dan Informatika",
    "--daerah",
    "Kabupaten Lumajang",
    "--periode",
    "2025-2029",
    "--singkatan",
    "Diskominfo",
]
NAMA = "renstra-diskominfo-lumajang-2025-2029"
KOSONG = "(tulis baris-barisnya (berkas buatan 'make baru' memuat contohnya di komentar); sampai diisi, tabel dicetak dengan kepalanya saja)"
PETUNJUK = "(tulis naskahnya, lalu hapus baris '> Petunjuk: …')"


def without_git_identity(home: Path) -> dict:
    """The environment of a machine where git knows nobody: no global or system config, no identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "EMAIL"}
    return env | {"HOME": str(home), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    # as a planner runs it: not inside the `make test` that runs this suite (its MAKEFLAGS would make
    # the inner make print "Entering directory" lines)
    env = {k: v for k, v in (env or os.environ).items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def git(repo: Path, *args: str) -> str:
    return run(["git", "-C", str(repo), *args], repo).stdout.strip()


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("baru")
    made = run(
        [PY, "build.py", "baru", "--dir", str(base / "renstra-diskominfo"), *PERMINTAAN],
        ROOT,
        without_git_identity(base),
    )
    assert made.returncode == 0, made.stderr
    return base / "renstra-diskominfo"


@pytest.fixture(scope="session")
def built(repo) -> Path:
    """PDF and DOCX built once, inside the new repository, by its own (vendored) build.py."""
    for kind in ("pdf", "docx"):
        done = run([PY, "build.py", kind], repo)
        assert done.returncode == 0, done.stderr
    return repo / "output"


def test_the_new_repository_is_one_commit_by_renstra_as_code_when_git_knows_nobody(repo):
    assert git(repo, "rev-list", "--count", "HEAD") == "1"
    assert git(repo, "log", "-1", "--format=%an <%ae>") == "renstra-as-code <renstra@localhost>"
    assert git(repo, "status", "--porcelain") == ""
    tracked = set(git(repo, "ls-files").splitlines())
    assert {"MESIN", "Makefile", "mesin.mk", "README.md", ".ci/run", ".gitignore", "build.py"} <= tracked
    assert {"requirements.lock", "pyproject.toml", "scripts/cek-sistem.sh", "renstra/cli.py"} <= tracked
    assert {"schema/tc27.schema.json", "data/errata.yaml", "content/08-penutup.md"} <= tracked
    assert not [p for p in tracked if "__pycache__" in p or p.startswith(("tests/", "sumber/", "bench/"))]
    assert os.access(repo / ".ci" / "run", os.X_OK) and "make test" in (repo / ".ci" / "run").read_text()
    assert (repo / ".gitignore").read_text().splitlines()[:2] == [".venv/", "output/"]


def test_the_engine_is_vendored_as_it_is_with_its_version_recorded(repo):
    record = yaml.safe_load((repo / "MESIN").read_text(encoding="utf-8"))
    assert record["commit"] == git(ROOT, "rev-parse", "HEAD")
    assert record["versi"] == git(ROOT, "describe", "--tags", "--always", "--dirty")
    assert record["tanggal"] == git(ROOT, "log", "-1", "--format=%cI", "HEAD")
    assert record["berkas"] == [
        "renstra/",
        "templates/",
        "fonts/",
        "build.py",
        "mesin.mk",
        "requirements.lock",
        "pyproject.toml",
        "scripts/cek-sistem.sh",
    ]
    for name in ("renstra/check/kosong.py", "templates/tabel.html.j2", "fonts/LiberationSans-Regular.ttf"):
        assert (repo / name).read_bytes() == (ROOT / name).read_bytes(), name


def test_the_readme_opens_with_make_pdf_and_make_test(repo):
    lines = (repo / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Renstra Dinas Komunikasi dan Informatika Kabupaten Lumajang 2025–2029"
    assert lines[2:6] == [
        "```sh",
        f"make pdf    # memasang semua yang diperlukan (sekali), lalu membangun output/{NAMA}.pdf",
        "make test   # memeriksa data dan naskah, lalu membangun PDF dan DOCX (yang dijalankan CI)",
        "```",
    ]


def test_the_skeletons_name_their_schema_kind_and_the_period_years(repo):
    tc27 = (repo / "data" / "tc27.yaml").read_text(encoding="utf-8")
    assert tc27.startswith("# yaml-language-server: $schema=../schema/tc27.schema.json\njenis: tc27\n") or (
        "\njenis: tc27\n" in tc27
    )
    assert (
        "#     pagu: {2025: 25000000, 2026: 26000000, 2027: 27000000, 2028: 28000000, 2029: 29000000}" in tc27
    )
    tc23 = (repo / "data" / "tc23.yaml").read_text(encoding="utf-8")
    assert "target: {2020: 76, 2021: 77, 2022: 78, 2023: 79, 2024: 80}" in tc23
    for name in ("tc23", "tc24", "tc25", "tc26", "tc27", "tc28", "iku", "cascading"):
        text = (repo / "data" / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=../schema/{name}.schema.json"
        data = yaml.safe_load(text)
        assert data["jenis"] == name and data["judul"]
        assert data.get("kode_tc") == (None if name in ("iku", "cascading") else f"TC-{name[2:]}")
    dokumen = yaml.safe_load((repo / "data" / "dokumen.yaml").read_text(encoding="utf-8"))
    assert dokumen["penetapan"]["tempat"] == "Lumajang"
    assert dokumen["penandatangan"] == {"jabatan": "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA", "nama": None}
    assert (dokumen["singkatan"], dokumen["periode_awal"], dokumen["periode_akhir"]) == (
        "Diskominfo",
        2025,
        2029,
    )
    assert yaml.safe_load((repo / "data" / "errata.yaml").read_text()) == {"koreksi": []}


def test_check_passes_and_lists_every_empty_table_and_every_guidance_line(repo):
    checked = run([PY, "build.py", "check"], repo)
    assert checked.returncode == 0, checked.stdout
    lines = [line.strip() for line in checked.stdout.splitlines()]
    assert re.fullmatch(r"0 galat, 31 peringatan \(\d+\.\d\d detik\)", lines[-1])
    for expected in (
        f"content/01-pendahuluan.md:5:1: peringatan: subbab 1.1 masih berisi petunjuk {PETUNJUK}",
        f"content/00-kata-pengantar.md:3:1: peringatan: KATA PENGANTAR masih berisi petunjuk {PETUNJUK}",
        f"content/06-program-kegiatan-pendanaan.md:3:1: peringatan: BAB VI masih berisi petunjuk {PETUNJUK}",
        f"data/tc27.yaml:10:1: peringatan: Tabel 6.1 (TC-27) masih kosong: isi 'program' {KOSONG}",
        f"data/tc23.yaml:8:1: peringatan: Tabel 2.2 (TC-23) masih kosong: isi 'bagian' {KOSONG}",
        f"data/pegawai.yaml:15:1: peringatan: Tabel 2.1 masih kosong: isi 'baris' {KOSONG}",
        f"data/cascading.yaml:7:1: peringatan: Tabel 4.2 masih kosong: isi 'tujuan', 'sasaran', 'program' {KOSONG}",
        "data/sasaran.yaml:5:1: peringatan: daftar tujuan dan sasaran masih kosong: isi 'tujuan' "
        "(Tabel TC-25, TC-26, TC-28 dan IKU merujuk id tujuan, sasaran dan indikator dari sini)",
        "data/dokumen.yaml:21:3: peringatan: nama penandatangan masih kosong (isi nama lengkap dengan gelar; "
        "sampai diisi, tempat nama di bawah tanda tangan dicetak kosong)",
        "data/dokumen.yaml:1:1: peringatan: lambang daerah untuk sampul belum diisi (simpan lambang daerah, "
        "PNG atau JPEG berlatar transparan, di content/gambar/ dan tulis jalurnya di data/dokumen.yaml, mis. "
        "'lambang: gambar/lambang-kabupaten-lumajang.png')",
    ):
        assert expected in lines
    guidance = [
        f"{path.relative_to(repo)}:{number}:1:"
        for path in sorted((repo / "content").glob("*.md"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("> Petunjuk:")
    ]
    assert len(guidance) == 19  # Kata Pengantar, 4 + 4 + 5 subbab of BAB I–III, BAB IV … VIII
    assert [line.split(" peringatan")[0] for line in lines if "masih berisi petunjuk" in line] == guidance
    empty = {line.split(":")[0] for line in lines if "masih kosong: isi" in line}
    assert empty == {
        f"data/{n}.yaml"
        for n in ("pegawai", "tc23", "tc24", "tc25", "tc26", "tc27", "tc28", "iku", "cascading", "sasaran")
    }


def test_the_commented_examples_are_a_valid_document_once_uncommented(repo, tmp_path):
    copy = tmp_path / "contoh"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git", "output"))
    for path in (copy / "data").glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        # the empty lists and null values the examples replace (a simple table's `kolom:` is filled)
        empty = [i for i, line in enumerate(lines) if re.fullmatch(r"(?!kolom:)[a-z_]+:( \[\])?", line)]
        if not empty or path.stem == "dokumen":
            continue
        example = [re.sub(r"^# ?", "", line) for line in lines[empty[-1] + 1 :]]
        path.write_text("\n".join(lines[: empty[0]] + example) + "\n", encoding="utf-8")
    problems = inspect(copy)
    assert [str(p) for p in problems if p.level == GALAT] == []
    assert [str(p) for p in problems if "masih kosong: isi" in p.message] == []


def test_pdf_shows_the_identity_and_the_period_in_every_per_year_header(built):
    with pdfplumber.open(built / f"{NAMA}.pdf") as pdf:
        cover = pdf.pages[0].extract_text()
        assert "PEMERINTAH KABUPATEN LUMAJANG" in cover
        assert "DINAS KOMUNIKASI\nDAN INFORMATIKA\nKABUPATEN LUMAJANG\nTAHUN 2025-2029" in cover
        pages = [(page.extract_text() or "", page.extract_tables()) for page in pdf.pages]
    for kode in ("TC-25", "TC-27", "TC-28"):
        placed = [tables for text, tables in pages if f"({kode})" in text and tables]
        assert len(placed) == 1, kode
        cells = [cell for table in placed[0] for row in table for cell in row if cell]
        assert [c for c in cells if re.fullmatch(r"\d{4}", c)] == TAHUN, kode
    tc27 = next(tables for text, tables in pages if "(TC-27)" in text and tables)
    total = next(row for table in tc27 for row in table if row[0] == "Total Pendanaan Renstra")
    assert [c for c in total if c and c.startswith("Rp")] == ["Rp0"] * 6


def test_docx_shows_the_identity_and_the_period(built):
    document = Document(str(built / f"{NAMA}.docx"))
    assert document.core_properties.author == "Dinas Komunikasi dan Informatika Kabupaten Lumajang"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "PEMERINTAH KABUPATEN LUMAJANG" in text and "TAHUN 2025-2029" in text
    headers = [[c.text for c in table.rows[1].cells] for table in document.tables if len(table.rows) > 1]
    assert sum(1 for row in headers if [c for c in row if re.fullmatch(r"\d{4}", c)] == TAHUN) >= 2


def test_make_test_in_the_new_repository_checks_and_builds(built):
    repo = built.parent
    done = run(["make", "-o", ".venv/.terpasang", f"PY={PY}", "test"], repo)
    assert done.returncode == 0, done.stderr
    assert "0 galat, 31 peringatan" in done.stdout
    assert f"PDF sudah mutakhir: {built / NAMA}.pdf" in done.stdout
    assert f"DOCX sudah mutakhir: {built / NAMA}.docx" in done.stdout


def test_perbarui_mesin_from_this_repositorys_head_replaces_exactly_the_engine(repo, tmp_path):
    copy = tmp_path / "salinan"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("output", "__pycache__"))
    (copy / "renstra" / "usang.py").write_text('"""A module an older engine had."""\n')
    (copy / "content" / "01-pendahuluan.md").write_text("# PENDAHULUAN\n\nNaskah sendiri.\n")
    older = (copy / "MESIN").read_text(encoding="utf-8")  # as if made from an older engine
    older = re.sub(r"(?m)^commit: .*$", f'commit: "{"0" * 40}"', older)
    (copy / "MESIN").write_text(re.sub(r"(?m)^versi: .*$", 'versi: "v0.9"', older), encoding="utf-8")
    git(copy, "add", "--all")
    git(copy, "-c", "user.name=Tim", "-c", "user.email=tim@localhost", "commit", "-qm", "Own text")
    assert git(copy, "status", "--porcelain") == ""
    head = git(ROOT, "rev-parse", "HEAD")
    if run(["git", "cat-file", "-e", f"{head}:renstra/scaffold/berkas-mesin.txt"], ROOT).returncode:
        pytest.skip("HEAD of this repository does not hold the scaffold yet")
    done = run(
        ["make", "-o", ".venv/.terpasang", f"PY={PY}", "perbarui-mesin", f"DARI={ROOT}", f"REF={head}"], copy
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"mesin diperbarui: v0.9 → {git(ROOT, 'describe', '--tags', '--always', head)} "
    )
    record = yaml.safe_load((copy / "MESIN").read_text(encoding="utf-8"))
    assert record["commit"] == head
    assert record["versi"] == git(ROOT, "describe", "--tags", "--always", head)
    assert record["sumber"] == str(ROOT)
    assert not (copy / "renstra" / "usang.py").exists()
    assert (copy / "renstra" / "cli.py").read_text() == git(ROOT, "show", f"{head}:renstra/cli.py") + "\n"
    assert (copy / "content" / "01-pendahuluan.md").read_text() == "# PENDAHULUAN\n\nNaskah sendiri.\n"
    status = run(["git", "status", "--porcelain"], copy).stdout.splitlines()
    changed = {line[3:].split("/")[0] for line in status}
    assert changed <= {
        "MESIN",
        "renstra",
        "templates",
        "fonts",
        "build.py",
        "mesin.mk",
        "requirements.lock",
        "pyproject.toml",
        "scripts",
    }
    assert "MESIN" in changed and "renstra" in changed
    assert not list(copy.glob(".mesin-*"))


def test_perbarui_mesin_refuses_to_overwrite_edited_engine_files(repo, tmp_path):
    copy = tmp_path / "salinan"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("output", "__pycache__"))
    with (copy / "renstra" / "cli.py").open("a") as edited:
        edited.write("# a local fix\n")
    done = run([PY, "-m", "renstra.scaffold.perbarui", "--dari", str(ROOT), "--ref", "HEAD"], copy)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "berkas mesin diubah di repositori ini (renstra/cli.py); perbarui-mesin akan menimpanya. Kirim "
        "perubahan itu ke renstra-as-code, atau buang dengan: git checkout -- renstra/cli.py"
    ]
    assert (copy / "MESIN").read_text() == (repo / "MESIN").read_text()


@pytest.mark.parametrize(
    "periode, message",
    [
        (
            "2025/2029",
            "PERIODE '2025/2029' tidak dikenal: tulis tahun awal dan tahun akhir, mis. PERIODE=2025-2029",
        ),
        (
            "2029-2025",
            "PERIODE '2029-2025' tidak masuk akal: tahun awal tidak boleh setelah tahun akhir, keduanya antara "
            "2000 dan 2100, paling lama 10 tahun (mis. PERIODE=2025-2029)",
        ),
    ],
)
def test_a_bad_period_is_one_message_and_exit_2(tmp_path, capsys, periode, message):
    args = ["baru", "--dir", str(tmp_path / "baru"), *PERMINTAAN]
    args[args.index("2025-2029")] = periode
    assert main(args) == 2
    assert capsys.readouterr().err.splitlines() == [message]
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_holds_something_is_one_message_and_exit_2(tmp_path, capsys):
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "catatan.txt").write_text("milik orang lain")
    assert main(["baru", "--dir", str(tmp_path / "ada"), *PERMINTAAN]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"folder {tmp_path / 'ada'} sudah ada dan tidak kosong: pilih folder baru, mis. DIR=../renstra-baru"
    ]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ada", "catatan.txt"]


def test_a_failure_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(*args):
        raise scaffold.TidakDapatDibuat("git commit gagal: simulated")

    monkeypatch.setattr(scaffold, "_commit", fail)
    request = scaffold.permintaan(str(tmp_path / "baru"), "Dinas Kesehatan", "Kota Contoh", "2025-2029")
    with pytest.raises(scaffold.TidakDapatDibuat):
        scaffold.baru(request, ROOT)
    assert list(tmp_path.iterdir()) == []


def test_make_baru_without_its_variables_shows_how_to_call_it():
    done = run(["make", "-o", ".venv/.terpasang", "baru", "DIR=", "INSTANSI=", "DAERAH=", "PERIODE="], ROOT)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        'Pakai: make baru DIR=../renstra-diskominfo INSTANSI="Dinas Komunikasi dan Informatika" '
        'DAERAH="Kabupaten Lumajang" PERIODE=2025-2029 [SINGKATAN=Diskominfo]'
    )
