"""Loader: every data file through its schema, exact file:line:col for broken input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from renstra.problems import RenstraError
from renstra.source.load import load

ROOT = Path(__file__).resolve().parent.parent


def problems_of(root: Path) -> list[str]:
    with pytest.raises(RenstraError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def test_every_data_file_loads_through_its_schema(doc):
    files = {p.stem for p in (ROOT / "data").glob("*.yaml")}
    assert set(doc.source.tabel) | {"dokumen", "sasaran", "errata"} == files
    assert {type(t).__name__ for t in doc.source.tabel.values()} >= {"TabelTC25", "TabelIKU", "TabelTC27"}
    assert doc.source.warnings == []


def test_counts_of_the_tc27_tree(doc):
    tc27 = doc.source.tabel["tc27"]
    kegiatan = [k for p in tc27.program for k in p.kegiatan]
    sub = [s for k in kegiatan for s in k.sub_kegiatan]
    assert [p.kode for p in tc27.program] == ["4.01.01", "4.01.02", "4.01.03"]
    assert (len(tc27.program), len(kegiatan), len(sub)) == (3, 20, 70)


def test_every_kode_of_the_source_is_present(doc):
    kode = {node.kode for _, node in doc.source.tabel["tc27"].simpul()}
    for expected in (
        "4.01.01.2.02.01",
        "4.01.01.2.02.02",
        "4.01.01.2.13.04",
        "4.01.01.2.14.02",
        "4.01.02.2.04.03",
        "4.01.03.2.02.03",
        "4.01.03.2.04.02",
    ):
        assert expected in kode


def test_money_is_integer_rupiah(doc):
    sub = next(node for _, node in doc.source.tabel["tc27"].simpul() if node.kode == "4.01.01.2.02.01")
    assert sub.pagu == {2024: 9419360139, 2025: 10361296153, 2026: 11397425768}
    assert all(type(v) is int for _, node in doc.source.tabel["tc27"].simpul() for v in node.pagu.values())


def test_chapters_in_order(doc):
    assert [b.nomor for b in doc.source.bab] == [None, "I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert doc.source.bab[1].text.startswith("# PENDAHULUAN")


def test_loading_is_fast(doc):
    import time

    started = time.perf_counter()
    load(ROOT)
    # generous bound: the point is "well under a second", not a benchmark
    assert time.perf_counter() - started < 2.0


# --- broken input: exact positions -------------------------------------------------------------


def test_yaml_syntax_error_tab(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    lines = path.read_text().splitlines()
    row = next(i for i, l in enumerate(lines) if l.startswith("  - bagian:"))
    lines[row] = "\t- bagian: TATA PEMERINTAHAN"
    path.write_text("\n".join(lines) + "\n")
    assert problems_of(repo_copy) == [
        f"data/mitra.yaml:{row + 1}:1: galat: sintaks YAML salah: karakter tab dipakai untuk indentasi "
        "(YAML hanya menerima spasi; ganti tab dengan spasi)"
    ]


def test_yaml_unclosed_quote_points_at_the_opening_quote(repo_copy):
    path = repo_copy / "data" / "dokumen.yaml"
    text = path.read_text().replace("telepon: (0334) 887468", 'telepon: "(0334) 887468')
    path.write_text(text)
    line = text.splitlines().index('telepon: "(0334) 887468') + 1
    assert problems_of(repo_copy) == [
        f"data/dokumen.yaml:{line}:10: galat: sintaks YAML salah: tanda kutip dibuka di sini tetapi tidak "
        "ditutup (tutup teks dengan tanda kutip yang sama)"
    ]


def test_duplicate_key_is_rejected_with_both_lines(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    lines = path.read_text().splitlines()
    first = next(i for i, l in enumerate(lines) if l.strip().startswith("pagu:"))
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    lines.insert(first + 1, f"{indent}pagu: {{2024: 1, 2025: 1, 2026: 1}}")
    path.write_text("\n".join(lines) + "\n")
    col = len(indent) + 1
    assert problems_of(repo_copy) == [
        f"data/tc27.yaml:{first + 2}:{col}: galat: kunci ganda 'pagu': sudah ditulis di baris {first + 1} "
        "(hapus atau ganti salah satunya; YAML hanya menyimpan satu)"
    ]


def test_wrong_type_rupiah_as_string(repo_copy):
    path = repo_copy / "data" / "inventaris.yaml"
    text = path.read_text()
    line_no, line = next((i, l) for i, l in enumerate(text.splitlines(), 1) if "nilai:" in l)
    value = line.split("nilai:")[1].strip()
    dotted = f"{int(value):,}".replace(",", ".")
    path.write_text(text.replace(line, line.replace(value, f'"{dotted}"'), 1))
    col = line.index("nilai:") + len("nilai: ") + 1
    assert problems_of(repo_copy) == [
        f"data/inventaris.yaml:{line_no}:{col}: galat: nilai: harus bilangan bulat tanpa tanda kutip dan tanpa "
        f"titik ribuan, ditemukan teks '{dotted}' (tulis {value})"
    ]


def test_unknown_field_suggests_the_right_one(repo_copy):
    path = repo_copy / "data" / "kendaraan.yaml"
    text = path.read_text()
    line_no, line = next((i, l) for i, l in enumerate(text.splitlines(), 1) if "alat_angkutan:" in l)
    path.write_text(text.replace(line, line.replace("alat_angkutan:", "alat_angkutn:"), 1))
    col = line.index("alat_angkutan") + 1
    assert problems_of(repo_copy) == [
        f"data/kendaraan.yaml:{line_no}:{col}: galat: kolom tidak dikenal 'alat_angkutn' (maksud Anda 'alat_angkutan'?)",
        f"data/kendaraan.yaml:{line_no}:{col}: galat: kolom wajib 'alat_angkutan' belum diisi",
    ]


def test_all_problems_are_reported_not_just_the_first(repo_copy):
    for name in ("mitra.yaml", "pegawai.yaml"):
        path = repo_copy / "data" / name
        path.write_text(path.read_text().replace("judul:", "judull:", 1))
    found = problems_of(repo_copy)
    assert any(p.startswith("data/mitra.yaml:") and "'judull'" in p for p in found)
    assert any(p.startswith("data/pegawai.yaml:") and "'judull'" in p for p in found)


def test_missing_data_file(repo_copy):
    (repo_copy / "data" / "sasaran.yaml").unlink()
    assert problems_of(repo_copy) == ["data/sasaran.yaml:1:1: galat: berkas tidak ditemukan"]


def test_a_table_is_a_file_of_its_kind_and_a_missing_one_is_missed_where_it_is_placed(repo_copy):
    from renstra.pipeline import resolved

    (repo_copy / "data" / "mitra.yaml").unlink()
    doc = resolved(repo_copy)
    assert "mitra" not in doc.source.tabel
    chapter = (repo_copy / "content" / "02-gambaran-pelayanan.md").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(chapter, 1) if 'tabel("mitra")' in text)
    column = chapter[line - 1].index('"mitra"') + 2
    assert [str(p) for p in doc.problems if "mitra" in p.message] == [
        f'content/02-gambaran-pelayanan.md:{line}:{column}: galat: tabel("mitra") merujuk ke tabel/gambar '
        "yang tidak ada (yang dikenal: cascading, hubungan-dokumen, iku, inventaris, kelompok-sasaran, "
        "kendaraan, pegawai, permasalahan, tc23, tc24, tc25, tc26, tc27, tc28)"
    ]


def test_chapter_not_utf8(repo_copy):
    path = repo_copy / "content" / "08-penutup.md"
    path.write_bytes(path.read_bytes() + b"\nSekretariat Daerah \x96 Lumajang\n")  # en dash in Windows-1252
    line = path.read_bytes().count(b"\n")
    assert problems_of(repo_copy) == [
        f"content/08-penutup.md:{line}:1: galat: berkas bukan teks UTF-8 (simpan ulang berkas dengan encoding UTF-8)"
    ]


def test_json_schema_in_the_repository_is_up_to_date(tmp_path):
    from renstra.source.load import load_dokumen
    from renstra.source.schema import write_schemas

    for path in write_schemas(tmp_path, load_dokumen(ROOT)[1]):
        committed = ROOT / "schema" / path.name
        assert committed.read_text() == path.read_text(), f"run `make schema`: {committed.name} is stale"


def test_every_data_file_has_an_editor_modeline():
    """A file read by name has its own schema; a table, the schema of its kind."""
    for path in sorted((ROOT / "data").glob("*.yaml")):
        text = path.read_text()
        kind = re.search(r"^jenis: (\S+)$", text, re.MULTILINE)
        name = kind.group(1) if kind else path.stem
        assert text.startswith(f"# yaml-language-server: $schema=../schema/{name}.schema.json"), path.name
        assert (ROOT / "schema" / f"{name}.schema.json").exists(), name


def test_every_schema_file_is_of_a_kind_or_a_file_read_by_name():
    from renstra.source.models import BERKAS_TETAP, JENIS_TABEL

    names = {p.name.removesuffix(".schema.json") for p in (ROOT / "schema").glob("*.schema.json")}
    assert names == set(BERKAS_TETAP) | set(JENIS_TABEL)


# the text extracted from the PDF of the signed document (Lumajang, 2 Mei 2023), kept as the baseline
SEED = ROOT / "sumber" / "renstra-2023-teks-tertandatangan.txt"


def test_every_kode_printed_in_tc27_is_transcribed_or_accounted_for(doc):
    """Every kode at the start of a TC-27 row of the signed text is in data/tc27.yaml, or an errata
    entry says what became of it (a malformed kode repaired, a duplicate row dropped)."""
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("Tabel 6.1.Tabel TC 27"), text.index("BAB VII\n\nKINERJA")
    printed = {line.split("\t")[0] for line in text[start:end].splitlines() if re.match(r"^[\d.]+\t", line)}
    printed.discard("1")  # the column-number row
    kode = {node.kode for _, node in doc.source.tabel["tc27"].simpul()}
    accounted = {e.tercetak for e in doc.source.errata.koreksi if e.tabel == "tc27" and e.kolom == "kode"}
    assert printed - kode - accounted == set()
    assert len(kode) == 3 + 20 + 70


def test_rows_of_the_simple_tables_match_the_source(doc):
    simple = ("pegawai", "inventaris", "kendaraan", "kelompok-sasaran", "mitra", "permasalahan")
    assert {type(doc.source.tabel[t]).__name__ for t in simple} == {"TabelSederhana"}
    assert [r.unit for r in doc.source.tabel["pegawai"].baris][:2] == [
        "SEKRETARIAT",
        "BAG. TATA PEMERINTAHAN",
    ]
    assert len(doc.source.tabel["pegawai"].baris) == 9
    assert len(doc.source.tabel["inventaris"].baris) == 5
    assert len(doc.source.tabel["kendaraan"].baris) == 12  # 18 printed; rows 13-18 repeat 7-12 (errata)
    assert (
        sum(1 for e in doc.source.errata.koreksi if e.tabel == "kendaraan" and e.sekarang == "(dihapus)") == 6
    )
    assert len(doc.source.tabel["kelompok-sasaran"].baris) == len(doc.source.tabel["mitra"].baris) == 8
    assert len(doc.source.tabel["tc26"].strategi) == 7
    assert len(doc.source.tabel["tc25"].indikator) == 7 and len(doc.source.tabel["iku"].indikator) == 6
    assert len(doc.source.tabel["permasalahan"].baris[0].akar_masalah) == 12


# --- hostile or odd input: refused at a place, never a hang or a traceback ----------------------


def test_bom_at_the_start_of_a_chapter_is_dropped(repo_copy):
    # Notepad on Windows saves UTF-8 with a BOM; "\ufeff# PENDAHULUAN" is no heading and BAB I vanished
    path = repo_copy / "content" / "01-pendahuluan.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load(repo_copy).bab[1].text.startswith("# PENDAHULUAN")


def test_bom_at_the_start_of_a_data_file_keeps_positions(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    text = path.read_text()
    path.write_text("\ufeff" + text.replace("judul:", "judull:", 1))
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("judul:"))
    first = next(i for i, l in enumerate(text.splitlines(), 1) if not l.startswith("#"))  # the mapping
    assert problems_of(repo_copy) == [
        f"data/mitra.yaml:{first}:1: galat: kolom wajib 'judul' belum diisi",
        f"data/mitra.yaml:{line}:1: galat: kolom tidak dikenal 'judull' (maksud Anda 'judul'?)",
    ]


def test_nesting_beyond_the_parser_limit_is_too_deep_not_english(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    path.write_text(path.read_text().replace("mitra: null", "mitra: " + "[" * 1500 + "]" * 1500, 1))
    [problem] = problems_of(repo_copy)
    assert problem.startswith("data/mitra.yaml:")
    assert problem.endswith(
        "galat: data bersarang terlalu dalam (lebih dari 64 tingkat) "
        "(periksa pasangan tanda kurung [ ] dan { } serta indentasi)"
    )


def test_an_alias_inside_its_own_anchor_is_refused_not_recursed(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    text = path.read_text().replace("mitra: null", "mitra: &lingkar [*lingkar]", 1)
    path.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "*lingkar" in l)
    col = text.splitlines()[line - 1].index("*lingkar") + 1
    assert problems_of(repo_copy) == [
        f"data/mitra.yaml:{line}:{col}: galat: alias YAML '*lingkar' tidak didukung di berkas data "
        "(tulis nilainya langsung; anchor '&' dan alias '*' tidak dipakai di data Renstra)"
    ]


@pytest.mark.parametrize("written", ["1.0e+999999999", "100000000000000000000", "-2.5e+16"])
def test_numbers_beyond_any_target_are_refused(repo_copy, written):
    path = repo_copy / "data" / "tc27.yaml"
    text = path.read_text()
    path.write_text(text.replace("target: {2024: 100,", f"target: {{2024: {written},", 1))
    [problem] = problems_of(repo_copy)
    assert problem.startswith("data/tc27.yaml:")
    assert ": galat: target 2024: terlalu " in problem and "1.000.000.000.000.000" in problem


def test_an_integer_over_pythons_digit_limit_is_a_problem_not_a_crash(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    path.write_text(path.read_text().replace("target: {2024: 100,", "target: {2024: 1" + "0" * 5000 + ",", 1))
    [problem] = problems_of(repo_copy)
    assert (
        problem.startswith("data/tc27.yaml:")
        and ": galat: target 2024: harus angka, ditemukan teks '1000" in problem
    )


def test_a_folder_in_place_of_a_chapter_is_refused(repo_copy):
    path = repo_copy / "content" / "08-penutup.md"
    path.unlink()
    path.mkdir()
    line = (repo_copy / "data" / "dokumen.yaml").read_text().splitlines().index(
        "  - berkas: 08-penutup.md"
    ) + 1
    assert problems_of(repo_copy) == [
        f"data/dokumen.yaml:{line}:13: galat: berkas bab 'content/08-penutup.md' adalah folder, bukan berkas biasa "
        "(ganti dengan berkas teks biasa)"
    ]


def test_a_symlink_inside_the_repository_is_read(repo_copy):
    # only links that leave the repository are refused; one pointing at another file inside is fine
    chapter = repo_copy / "content" / "08-penutup.md"
    kept = repo_copy / "templates" / "penutup-asli.md"
    chapter.rename(kept)
    chapter.symlink_to(Path("..") / "templates" / "penutup-asli.md")
    assert load(repo_copy).bab[-1].text == kept.read_text()
