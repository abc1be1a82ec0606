"""The period and the document's identity are data: years, headers, titles, metadata, file names."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from renstra.cli import main
from renstra.document.identity import identitas
from renstra.pipeline import resolved
from renstra.source.load import load_dokumen
from renstra.source.period import Periode
from renstra.source.schema import write_schemas


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_lumajang_identity_is_derived_from_instansi_daerah_and_period(doc):
    d = doc.identitas
    assert d.judul == "RENCANA STRATEGIS SEKRETARIAT DAERAH KABUPATEN LUMAJANG"
    assert d.judul_lengkap == "RENCANA STRATEGIS SEKRETARIAT DAERAH KABUPATEN LUMAJANG TAHUN 2024-2026"
    assert d.judul_singkat == "Renstra Sekretariat Daerah Kabupaten Lumajang 2024–2026"
    assert d.pemerintah == "PEMERINTAH KABUPATEN LUMAJANG"
    assert d.kota == "LUMAJANG"
    assert d.penulis == "Sekretariat Daerah Kabupaten Lumajang"
    assert d.nama_berkas == "renstra-setda-lumajang-2024-2026"
    assert d.alamat_sampul == [
        "Jl. Alun-Alun Utara No. 7 Telp. (0334) 887468",
        "Fax. (0334) 887468 E-Mail: bag.umum@lumajangkab.go.id",
    ]


def test_another_perangkat_daerah_gets_its_own_cover_header_metadata_and_file_name(repo_copy):
    dokumen = repo_copy / "data" / "dokumen.yaml"
    edit(dokumen, "instansi: Sekretariat Daerah", "instansi: Dinas Komunikasi dan Informatika")
    edit(dokumen, "daerah: Kabupaten Lumajang", "daerah: Kota Contoh")
    edit(dokumen, "singkatan: Setda", "singkatan: Diskominfo")
    edit(dokumen, "faks: (0334) 887468\n", "")
    assert main(["--root", str(repo_copy), "html"]) == 0
    out = repo_copy / "output" / "renstra-diskominfo-contoh-2024-2026.html"
    html = out.read_text(encoding="utf-8")
    assert (
        "<title>RENCANA STRATEGIS DINAS KOMUNIKASI DAN INFORMATIKA KOTA CONTOH TAHUN 2024-2026</title>"
        in html
    )
    assert '<meta name="author" content="Dinas Komunikasi dan Informatika Kota Contoh">' in html
    assert '<div class="pemerintah">PEMERINTAH KOTA CONTOH</div>' in html
    assert '<div class="kota">CONTOH</div>' in html
    assert "Renstra Dinas Komunikasi dan Informatika Kota Contoh 2024–2026" in html  # running header
    assert '<div class="alamat">Jl. Alun-Alun Utara No. 7 Telp. (0334) 887468<br>E-Mail: ' in html


def test_a_declared_name_wins_over_the_derived_one(repo_copy):
    dokumen = repo_copy / "data" / "dokumen.yaml"
    edit(dokumen, "singkatan: Setda\n", "singkatan: Setda\nnama_berkas: renstra-perubahan-2025\n")
    assert identitas(load_dokumen(repo_copy)[0]).nama_berkas == "renstra-perubahan-2025"


def _year_maps(node, loc=()):
    """Every per-year map of a YAML tree: a mapping whose keys are the years 2024–2026."""
    if isinstance(node, dict):
        if node and set(node) == {2024, 2025, 2026}:
            yield loc
            return
        for key, value in node.items():
            yield from _year_maps(value, loc + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _year_maps(value, loc + (index,))


def test_a_longer_period_is_a_galat_at_every_per_year_map_that_lacks_its_years(repo_copy, capsys):
    edit(repo_copy / "data" / "dokumen.yaml", "periode_akhir: 2026", "periode_akhir: 2028")
    assert main(["--root", str(repo_copy), "check"]) == 1
    lines = [l for l in capsys.readouterr().err.splitlines() if ": galat: " in l]
    expected = {}
    for path in sorted((repo_copy / "data").glob("*.yaml")):
        maps = list(_year_maps(yaml.safe_load(path.read_text(encoding="utf-8"))))
        if maps:
            expected[f"data/{path.name}"] = len(maps)
    found: dict[str, int] = {}
    for line in lines:
        assert line.endswith("tahun 2027, 2028 belum diisi (harus tepat 2024, 2025, 2026, 2027, 2028)"), line
        found[line.split(":")[0].strip()] = found.get(line.split(":")[0].strip(), 0) + 1
    assert found == expected and sum(found.values()) > 190
    # the place is the map itself: program 4.01.01's pagu in TC-27
    tc27 = (repo_copy / "data" / "tc27.yaml").read_text(encoding="utf-8").splitlines()
    first = next(i for i, l in enumerate(tc27, 1) if l.strip().startswith("pagu: {2024"))
    column = tc27[first - 1].index("{") + 1
    assert any(
        l.strip().startswith(f"data/tc27.yaml:{first}:{column}: galat: pagu: tahun 2027") for l in lines
    )


def test_a_year_outside_the_period_is_a_galat_where_it_is_typed(repo_copy, capsys):
    edit(repo_copy / "data" / "dokumen.yaml", "periode_awal: 2024", "periode_awal: 2025")
    assert main(["--root", str(repo_copy), "check"]) == 1
    out = capsys.readouterr().err
    assert "tahun 2024 di luar periode (harus tepat 2025, 2026)" in out


def test_base_and_historical_years_are_derived_or_declared(repo_copy):
    assert (Periode(2025, 2029).tahun_dasar, Periode(2025, 2029).tahun_historis) == (
        2023,
        (2020, 2021, 2022, 2023, 2024),
    )
    dokumen = repo_copy / "data" / "dokumen.yaml"
    edit(dokumen, "periode_akhir: 2026\n", "periode_akhir: 2026\ntahun_dasar: 2021\n")
    doc = resolved(repo_copy)
    header = [c.teks for row in doc.view("tc27").kepala for c in row]
    assert "Capaian awal tahun perencanaan (Tahun 2021)" in header
    edit(dokumen, "tahun_dasar: 2021\n", "tahun_dasar: 2021\ntahun_historis: [2020, 2019]\n")
    line = next(
        i for i, l in enumerate(dokumen.read_text().splitlines(), 1) if l.startswith("tahun_historis")
    )
    problems = []
    try:
        load_dokumen(repo_copy)
    except Exception as error:  # RenstraError
        problems = [str(p) for p in error.problems]
    assert problems == [
        f"data/dokumen.yaml:{line}:17: galat: tahun_historis harus urut naik tanpa tahun ganda"
    ]


def test_the_json_schema_holds_each_per_year_map_to_the_period(tmp_path):
    write_schemas(tmp_path, Periode(2025, 2029))
    schema = json.loads((tmp_path / "tc27.schema.json").read_text())
    pagu = schema["$defs"]["Program"]["properties"]["pagu"]
    assert pagu["required"] == ["2025", "2026", "2027", "2028", "2029"]
    assert pagu["propertyNames"] == {"enum": ["2025", "2026", "2027", "2028", "2029"]}
    tc23 = json.loads((tmp_path / "tc23.schema.json").read_text())
    assert tc23["$defs"]["IndikatorHistoris"]["properties"]["target"]["required"] == [
        "2020",
        "2021",
        "2022",
        "2023",
        "2024",
    ]


def test_a_stale_editor_schema_is_a_warning_at_its_file(repo_copy):
    from renstra.check import check

    (repo_copy / "schema" / "tc28.schema.json").unlink()
    stale = repo_copy / "schema" / "tc27.schema.json"
    stale.write_text(stale.read_text().replace('"2026"', '"2027"'))
    found = [str(p) for p in check(resolved(repo_copy)) if p.path.startswith("schema/")]
    assert found == [
        "schema/tc27.schema.json:1:1: peringatan: skema editor tidak sesuai model dan periode dokumen "
        "(jalankan make schema lalu simpan hasilnya bersama perubahan ini)",
        "schema/tc28.schema.json:1:1: peringatan: skema editor belum ada "
        "(jalankan make schema lalu simpan hasilnya bersama perubahan ini)",
    ]


def test_pdf_and_docx_metadata_name_the_document_its_author_and_language(doc, pdf_path, docx_bytes):
    import io

    from docx import Document
    from pypdf import PdfReader

    pdf = PdfReader(pdf_path)
    assert pdf.metadata["/Title"] == doc.identitas.judul_lengkap
    assert pdf.metadata["/Author"] == "Sekretariat Daerah Kabupaten Lumajang"
    assert pdf.trailer["/Root"]["/Lang"] == "id"
    props = Document(io.BytesIO(docx_bytes)).core_properties
    assert (props.title, props.author, props.language) == (
        "RENCANA STRATEGIS SEKRETARIAT DAERAH KABUPATEN LUMAJANG TAHUN 2024-2026",
        "Sekretariat Daerah Kabupaten Lumajang",
        "id",
    )
