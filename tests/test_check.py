"""Checks: each one proven by breaking a copy of the real data the way the check guards."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from renstra.check import check
from renstra.cli import main
from renstra.pipeline import resolved


def problems(root, level=None) -> list[str]:
    found = check(resolved(root))
    return [str(p) for p in found if level is None or p.level == level]


def line_of(path, needle: str, start: int = 0) -> int:
    lines = path.read_text().splitlines()
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def test_real_document_has_no_galat(doc):
    found = check(doc)
    assert [str(p) for p in found if p.level == "galat"] == []
    # the remaining peringatan are explained in the README: 8 tables the signed text never refers to,
    # one TC-23 row printed twice in the source, and the corrected edition not yet dated; no spelling
    assert sum(1 for p in found if "tidak pernah dirujuk" in p.message) == 8
    assert sum(1 for p in found if "sama persis" in p.message) == 1
    assert [str(p) for p in found if "belum bertanggal" in p.message] == [
        "data/dokumen.yaml:24:1: peringatan: Edisi Perbaikan belum bertanggal: tanda tangannya dicetak dengan "
        "tanggal kosong (……) (isi edisi.tanggal (dan dasar_hukum) saat edisi ini ditandatangani)"
    ]
    assert len(found) == 10


def test_one_rupiah_changed_in_a_sub_kegiatan_is_caught_at_its_kegiatan(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    text = path.read_text()
    assert "2025: 23180765" in text  # 4.01.01.2.01.01 Penyusunan Dokumen Perencanaan
    path.write_text(text.replace("2025: 23180765", "2025: 23180766"))
    kegiatan_line = line_of(path, 'kode: "4.01.01.2.01"')
    pagu_line = line_of(path, "pagu:", kegiatan_line)
    col = path.read_text().splitlines()[pagu_line - 1].index("2025: ") + len("2025: ") + 1
    assert problems(repo_copy, "galat") == [
        f"data/tc27.yaml:{pagu_line}:{col}: galat: pagu 2025 4.01.01.2.01 Rp55.340.265 ≠ jumlah sub kegiatan "
        "Rp55.340.266 (selisih Rp1) (samakan pagu dengan jumlah sub kegiatan, atau perbaiki Rp sub kegiatan yang salah)"
    ]


def test_deleting_a_kegiatan_row(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    lines = path.read_text().splitlines()
    start = line_of(path, 'kode: "4.01.02.2.04"') - 1
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = next(
        i
        for i in range(start + 1, len(lines))
        if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent
    )
    del lines[start:end]
    path.write_text("\n".join(lines) + "\n")
    found = problems(repo_copy, "galat")
    assert any(
        p.startswith("data/tc27.yaml:") and "pagu 2024 4.01.02 " in p and "≠ jumlah kegiatan" in p
        for p in found
    )
    casc = repo_copy / "data" / "cascading.yaml"
    line = line_of(casc, '"4.01.02.2.04"')
    col = casc.read_text().splitlines()[line - 1].index('"4.01.02.2.04"') + 1
    assert (
        f"data/cascading.yaml:{line}:{col}: galat: kode 4.01.02.2.04 tidak ada di Tabel 6.1 (TC-27, data/tc27.yaml) "
        "(maksud Anda '4.01.02.2.01'?)"
    ) in found


def test_indicator_group_renamed_in_tc28_only(repo_copy):
    path = repo_copy / "data" / "tc28.yaml"
    path.write_text(path.read_text().replace("sasaran: pelayanan-publik", "sasaran: pelayanan-publk"))
    line = line_of(path, "pelayanan-publk")
    col = path.read_text().splitlines()[line - 1].index("pelayanan-publk") + 1
    found = problems(repo_copy, "galat")
    assert (
        f"data/tc28.yaml:{line}:{col}: galat: sasaran 'pelayanan-publk' tidak ada di data/sasaran.yaml "
        "(maksud Anda 'pelayanan-publik'?)"
    ) in found
    tc25 = repo_copy / "data" / "tc25.yaml"
    ikm = line_of(tc25, "indikator: [")
    col = tc25.read_text().splitlines()[ikm - 1].index("ikm]") + 1
    assert (
        f"data/tc25.yaml:{ikm}:{col}: galat: indikator 'ikm' (Indeks Kepuasan Masyarakat) di Tabel 4.1 tidak "
        "tercantum di Tabel 7.2 (TC-28) (tambahkan kelompok tujuan/sasarannya ke data/tc28.yaml)"
    ) in found


def test_reference_to_a_missing_table(repo_copy):
    path = repo_copy / "content" / "02-gambaran-pelayanan.md"
    path.write_text(path.read_text().replace('ref("inventaris")', 'ref("inventory")'))
    line = line_of(path, 'ref("inventory")')
    col = path.read_text().splitlines()[line - 1].index("inventory") + 1
    assert (
        f'content/02-gambaran-pelayanan.md:{line}:{col}: galat: ref("inventory") merujuk ke tabel/gambar yang '
        "tidak ada (maksud Anda 'inventaris'?)"
    ) in problems(repo_copy, "galat")


def test_duplicate_kode(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    text = path.read_text().replace('kode: "4.01.01.2.01.02"', 'kode: "4.01.01.2.01.01"')
    path.write_text(text)
    first = line_of(path, 'kode: "4.01.01.2.01.01"')
    second = line_of(path, 'kode: "4.01.01.2.01.01"', first)
    col = text.splitlines()[second - 1].index('"4.01') + 1
    found = problems(repo_copy, "galat")
    assert (
        f"data/tc27.yaml:{second}:{col}: galat: kode 4.01.01.2.01.01 ganda: sudah dipakai di baris {first} "
        "(setiap kode hanya sekali)"
    ) in found


def test_kode_that_does_not_fit_its_parent(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    text = path.read_text().replace('kode: "4.01.01.2.01.02"', 'kode: "4.01.01.2.02.09"')
    path.write_text(text)
    line = line_of(path, 'kode: "4.01.01.2.02.09"')
    col = text.splitlines()[line - 1].index('"4.01') + 1
    assert (
        f"data/tc27.yaml:{line}:{col}: galat: kode 4.01.01.2.02.09 tidak berawalan kode induknya 4.01.01.2.01 "
        "(kode di bawah 4.01.01.2.01 harus berbentuk 4.01.01.2.01.…)"
    ) in problems(repo_copy, "galat")


def test_stale_errata_entry(repo_copy):
    path = repo_copy / "data" / "tc27.yaml"
    text = path.read_text()
    # 4.01.01.2.09.06: the errata says Akhir Periode target is now 1.438 unit (496 + 471 + 471)
    assert "{2024: 496, 2025: 471, 2026: 471}" in text
    path.write_text(text.replace("{2024: 496, 2025: 471, 2026: 471}", "{2024: 496, 2025: 471, 2026: 470}"))
    errata = repo_copy / "data" / "errata.yaml"
    entry = line_of(errata, 'baris: "4.01.01.2.09.06"')
    line = line_of(errata, 'sekarang: "1.438 unit"', entry - 1)
    found = problems(repo_copy, "galat")
    assert (
        f"data/errata.yaml:{line}:15: galat: koreksi usang: tc27 4.01.01.2.09.06 akhir_periode.target kini "
        "1.437 unit, bukan '1.438 unit' (perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi)"
    ) in found


def test_literal_number_restating_data_is_a_warning(repo_copy):
    path = repo_copy / "content" / "04-tujuan-sasaran.md"
    path.write_text(path.read_text().replace("{{ jumlah.program }} Program", "3 Program"))
    line = line_of(path, "membutuhkan 3 Program")
    col = path.read_text().splitlines()[line - 1].index("3 Program") + 1
    assert (
        f"content/04-tujuan-sasaran.md:{line}:{col}: peringatan: angka '3 Program' mengulang data; tulis "
        "{{ jumlah.program }} agar tidak usang"
    ) in problems(repo_copy, "peringatan")


def test_a_number_inside_another_or_before_a_line_break_is_not_the_fact(repo_copy):
    path = repo_copy / "content" / "04-tujuan-sasaran.md"
    text = path.read_text()
    path.write_text(text.replace("{{ jumlah.program }} Program", "13 Program") + "\nada 3\nProgram\n")
    assert not [p for p in problems(repo_copy, "peringatan") if "mengulang data" in p]


def test_the_rules_a_build_skips_only_ever_warn(repo_copy):
    """A build keeps only galat (pipeline.checked): the rules that only ever warn are not run for it.
    Each is made to fire here; everything it finds is a peringatan, and a build's check has none of it."""
    from renstra.check import RULES

    chapter = repo_copy / "content" / "04-tujuan-sasaran.md"
    text = chapter.read_text().replace("{{ jumlah.program }} Program", "3 Program")
    chapter.write_text(text + "\nKata Pemerintahn salah ketik.\n")
    (repo_copy / "schema" / "tc27.schema.json").unlink()
    renstra = resolved(repo_copy)
    build = check(renstra, galat_saja=True)
    skipped = [rule for rule in RULES if getattr(rule, "HANYA_PERINGATAN", False)]
    names = sorted(rule.__name__.rsplit(".", 1)[1] for rule in skipped)
    assert names == ["duplicates", "ejaan", "kosong", "narrative", "references", "skema"]
    for rule in skipped:
        found = list(rule.check(renstra))
        assert found, rule.__name__
        assert {p.level for p in found} == {"peringatan"}, rule.__name__
        assert not set(found) & set(build), rule.__name__


def test_duplicate_row_is_a_warning(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    lines = path.read_text().splitlines()
    start = next(i for i, l in enumerate(lines) if 'bagian: "HUKUM"' in l)
    lines[start + 2 : start + 2] = lines[start : start + 2]
    path.write_text("\n".join(lines) + "\n")
    assert (
        f"data/mitra.yaml:{start + 3}:5: peringatan: baris ini sama persis dengan baris {start + 1} "
        "(hapus salah satunya bila tidak disengaja)"
    ) in problems(repo_copy, "peringatan")


def test_sasaran_without_strategy(repo_copy):
    path = repo_copy / "data" / "tc26.yaml"
    text = path.read_text()
    for ind in ("tata-kelola-pengadaan", "kebijakan-perekonomian"):
        text = text.replace(f"indikator: {ind}", "indikator: ikm")
    path.write_text(text)
    found = problems(repo_copy, "galat")
    assert any(p.startswith("data/tc25.yaml:") and "tidak memiliki strategi di Tabel 5.1" in p for p in found)


def test_cli_exit_codes_and_json(repo_copy, capsys):
    assert main(["--root", str(repo_copy), "check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {r["tingkat"] for r in report} == {"peringatan"}
    path = repo_copy / "data" / "tc27.yaml"
    path.write_text(path.read_text().replace("2025: 23180765", "2025: 23180766"))
    assert main(["--root", str(repo_copy), "check"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^1 galat, 10 peringatan \(\d+,?\.?\d* detik\)$", out, re.M)


def test_pdf_build_stops_on_galat_and_leaves_output_untouched(repo_copy, capsys):
    out = repo_copy / "output" / "renstra.pdf"
    out.parent.mkdir()
    out.write_bytes(b"previous good PDF")
    path = repo_copy / "data" / "tc27.yaml"
    path.write_text(path.read_text().replace("2025: 23180765", "2025: 23180766"))
    assert main(["--root", str(repo_copy), "pdf", "--output", str(out)]) == 1
    assert out.read_bytes() == b"previous good PDF"
    assert sorted(p.name for p in out.parent.iterdir()) == ["renstra.pdf"]
    assert "galat: pagu 2025 4.01.01.2.01" in capsys.readouterr().err


def test_koreksi_report_lists_every_errata_entry(doc, tmp_path):
    from renstra.review.errata import render_koreksi_html, render_koreksi_md
    from renstra.templating import template_env

    md = render_koreksi_md(doc)
    assert md.startswith(
        "# Koreksi terhadap RENCANA STRATEGIS SEKRETARIAT DAERAH KABUPATEN LUMAJANG (ditandatangani 2 Mei 2023)"
    )
    rows = [
        line
        for line in md.splitlines()
        if line.startswith("| ") and not line.startswith(("| Jenis", "| ---"))
    ]
    assert len(rows) == len(doc.errata.koreksi)
    assert "| koreksi | 4.01.01.2.13 | pagu.2026 | Rp60.000.000 | Rp153.000.000 | +Rp93.000.000 |" in md
    assert "## Tabel 6.1 Rencana Program, Kegiatan dan Pendanaan Sekretariat Daerah Kabupaten Lumajang" in md
    html = render_koreksi_html(doc, template_env(doc.source.root))
    assert html.count('<td class="lama">') == len(doc.errata.koreksi)


def test_ctrl_c_stops_without_a_traceback(repo_copy, capsys, monkeypatch):
    from renstra import pipeline

    def interrupted(root):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "inspect", interrupted)
    assert main(["--root", str(repo_copy), "check"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "dihentikan (Ctrl-C); berkas keluaran tidak diubah."


def test_ctrl_c_while_a_class_is_made_stops_as_any_ctrl_c(repo_copy, capsys, monkeypatch):
    """A Ctrl-C that lands while the models are imported, inside a field's __set_name__, reaches the
    command line as Python 3.11 hands it on — a RuntimeError whose cause is the KeyboardInterrupt —
    and once read "galat internal"."""
    from renstra import pipeline

    class Field:
        def __set_name__(self, owner, name):
            raise KeyboardInterrupt

    def interrupted(root):
        class YamlSource:
            value_pos = Field()

    monkeypatch.setattr(pipeline, "inspect", interrupted)
    assert main(["--root", str(repo_copy), "check"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "dihentikan (Ctrl-C); berkas keluaran tidak diubah."


def drop_table(root, table_id: str) -> None:
    """A document without the table: its file and the chapter lines that place or name it."""
    (root / "data" / f"{table_id}.yaml").unlink()
    for chapter in (root / "content").glob("*.md"):
        lines = chapter.read_text().splitlines()
        chapter.write_text("\n".join(line for line in lines if f'"{table_id}"' not in line) + "\n")


def strip_key(path, key: str) -> None:
    """Remove every `key:` of a YAML file with what is indented under it."""
    kept, inside = [], None
    for line in path.read_text().splitlines():
        indent = len(line) - len(line.lstrip())
        if inside is not None and (not line.strip() or indent > inside):
            continue
        inside = indent if line.strip().startswith(f"{key}:") else None
        if inside is None:
            kept.append(line)
    path.write_text("\n".join(kept) + "\n")


def test_tc27_of_programs_and_kegiatan_only(repo_copy):
    """A T-C.27 made before the 2021 nomenclature: no sub kegiatan, in the tree and in the cascading.
    Program = Σ kegiatan still holds; the errata about sub kegiatan rows are one galat per table."""
    for name in ("tc27", "cascading"):
        strip_key(repo_copy / "data" / f"{name}.yaml", "sub_kegiatan")
    assert "sub_kegiatan" not in (repo_copy / "data" / "tc27.yaml").read_text()
    doc = resolved(repo_copy)
    assert doc.facts["jumlah"].sub_kegiatan == 0
    assert {r.kelas for r in doc.view("tc27").baris} == {"program", "kegiatan", "total"}
    errata = repo_copy / "data" / "errata.yaml"
    tc27_line = line_of(errata, 'baris: "4.01.01.2.01.03"')
    casc_line = line_of(errata, 'baris: "4.01.01.2.05.11"', line_of(errata, "tabel: cascading"))
    narrative = line_of(errata, "kolom: jumlah.sub_kegiatan")
    sekarang = line_of(errata, "sekarang:", narrative)
    hint = (
        'hapus entri itu dari data/errata.yaml, atau tulis sekarang: "(dihapus)" bila barisnya memang dihapus'
    )
    # every entry on a sub kegiatan row (a kode of six parts) that does not say the row was deleted
    entries = yaml.safe_load(errata.read_text())["koreksi"]
    on_sub = {
        t: [
            e["baris"]
            for e in entries
            if e["tabel"] == t and e["baris"].count(".") == 5 and e["sekarang"] != "(dihapus)"
        ]
        for t in ("tc27", "cascading")
    }
    rows = {t: len(set(keys)) - 3 for t, keys in on_sub.items()}
    assert (len(on_sub["tc27"]), rows["tc27"], len(on_sub["cascading"]), rows["cascading"]) == (
        168,
        55,
        16,
        11,
    )
    assert problems(repo_copy, "galat") == [
        f"data/errata.yaml:{tc27_line}:12: galat: {len(on_sub['tc27'])} entri koreksi merujuk baris yang tidak ada "
        f"di Tabel 6.1 (TC-27): 4.01.01.2.01.03, 4.01.01.2.01.06, 4.01.01.2.01.07 dan {rows['tc27']} baris lain "
        f"({hint})",
        f"data/errata.yaml:{casc_line}:12: galat: {len(on_sub['cascading'])} entri koreksi merujuk baris yang tidak "
        f"ada di Tabel 4.2: 4.01.01.2.05.11, 4.01.01.2.06.06, 4.01.01.2.06.09 dan {rows['cascading']} baris lain "
        f"({hint})",
        f"data/errata.yaml:{sekarang}:15: galat: koreksi usang: content/04-tujuan-sasaran.md 4.2 Cascading "
        "Kinerja Perangkat Daerah jumlah.sub_kegiatan kini 0, bukan '70' (perbarui 'sekarang' atau hapus entri "
        "bila koreksinya tidak berlaku lagi)",
    ]


def test_document_without_cascading_and_tc28_checks_and_builds(repo_copy):
    from renstra.render.html import render_html

    for table_id in ("cascading", "tc28"):
        drop_table(repo_copy, table_id)
    errata = repo_copy / "data" / "errata.yaml"
    first = {t: line_of(errata, f"tabel: {t}") for t in ("cascading", "tc28")}
    counts = {t: errata.read_text().count(f"tabel: {t}\n") for t in ("cascading", "tc28")}
    # and the sentence of 7.2 that referred to Tabel 7.2 (TC-28) no longer does
    rujukan = line_of(errata, 'sekarang: "Tabel 7.2"')
    assert problems(repo_copy, "galat") == sorted(
        [
            f"data/errata.yaml:{first[t]}:12: galat: {counts[t]} entri errata merujuk '{t}', yang tidak ada di "
            "dokumen ini (hapus entri itu, atau kembalikan tabel/babnya: edisi tercetak tidak dapat membaliknya)"
            for t in ("cascading", "tc28")
        ]
        + [
            f"data/errata.yaml:{rujukan}:15: galat: koreksi usang: content/07-kinerja-penyelenggaraan.md 7.2 "
            "Penentuan Target Kinerja Penyelenggaraan Urusan PD rujukan kini tidak lagi memuat 'Tabel 7.2' "
            "(perbarui 'sekarang' atau hapus entri bila koreksinya tidak berlaku lagi)"
        ]
    )
    entries = yaml.safe_load(errata.read_text())["koreksi"]
    kept = [e for e in entries if e["tabel"] not in ("cascading", "tc28") and e["sekarang"] != "Tabel 7.2"]
    errata.write_text(yaml.safe_dump({"koreksi": kept}, allow_unicode=True, sort_keys=False))
    assert problems(repo_copy, "galat") == []
    html = render_html(resolved(repo_copy))
    assert 'id="tabel-tc27"' in html
    assert 'id="tabel-cascading"' not in html and 'id="tabel-tc28"' not in html


def test_document_without_tc27_names_what_refers_to_it(repo_copy, capsys):
    drop_table(repo_copy, "tc27")
    found = problems(repo_copy, "galat")
    casc = repo_copy / "data" / "cascading.yaml"
    assert (
        f"data/cascading.yaml:{line_of(casc, 'program:')}:1: galat: Tabel 4.2 merujuk kode program, kegiatan "
        "dan sub kegiatan dari tabel T-C.27, tetapi dokumen ini tidak memiliki tabel berjenis tc27 (tambahkan "
        "berkas data berjenis tc27 (jenis: tc27), atau hapus tabel cascading beserta tabel() dan ref()-nya)"
    ) in found
    assert sum("tidak dapat dirujuk: dokumen ini tidak memiliki tabel berjenis tc27" in p for p in found) == 3
    assert main(["--root", str(repo_copy), "html", "--output", str(repo_copy / "x.html")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "galat internal" not in err


# --- the spelling dictionary's answers kept between runs (output/.cache/ejaan.json) --------------------


def _spelling_run(root):
    """`build.py check` in a process of its own (the answers a process has are kept in it): the
    spelling findings, the exit code, stderr."""
    import subprocess
    import sys

    from conftest import ROOT

    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "check", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = [f"{p['berkas']}:{p['baris']}:{p['kolom']} {p['pesan']}" for p in json.loads(done.stdout)]
    return [f for f in found if "ejaan" in f], done.returncode, done.stderr


def _planted_slip(tmp_path):
    from conftest import kecil

    root = kecil(tmp_path / "kecil")
    chapter = root / "content" / "08-penutup.md"
    chapter.write_text(chapter.read_text().replace("menjadi pedoman", "menjadi pedomn", 1))
    column = chapter.read_text().splitlines()[2].index("pedomn") + 1
    return root, [f"content/08-penutup.md:3:{column} ejaan: 'pedomn' tidak dikenal"]


def test_the_dictionarys_answers_are_kept_for_the_next_check(tmp_path):
    root, slip = _planted_slip(tmp_path)
    assert _spelling_run(root) == (slip, 0, "")
    kept = root / "output" / ".cache" / "ejaan.json"
    said = json.loads(kept.read_text())
    assert said["kata"]["pedomn"] is False and said["kata"]["Rencana"] is True
    # the next run takes the kept answer and does not ask the dictionary: told 'pedomn' is a word, it
    # finds nothing, and has nothing new to keep
    said["kata"]["pedomn"] = True
    kept.write_text(json.dumps(said))
    before = kept.read_bytes()
    assert _spelling_run(root) == ([], 0, "")
    assert kept.read_bytes() == before
    # answers kept for another dictionary (or another spylls) are not taken: asked again, kept again
    said["kamus"] = "0" * 64
    kept.write_text(json.dumps(said))
    assert _spelling_run(root) == (slip, 0, "")
    assert json.loads(kept.read_text())["kata"]["pedomn"] is False


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff garbage",
        b'{"kamus": "',  # cut short by a kill
        b"[1, 2, 3]",
        b"[" * 100_000,  # nested too deep for the JSON reader
        "kata-bukan-kamus",
        "jawaban-bukan-ya-tidak",
        "folder-tak-tertulis",
    ],
)
def test_a_damaged_spelling_cache_is_a_miss(tmp_path, damage):
    from renstra.check import ejaan

    root, slip = _planted_slip(tmp_path)
    cache = root / "output" / ".cache"
    cache.parent.mkdir()
    if damage == "folder-tak-tertulis":
        cache.write_text("a file where the folder should be")
    else:
        cache.mkdir()
        if damage == "kata-bukan-kamus":
            damage = json.dumps({"kamus": ejaan.fingerprint(), "kata": ["pedomn"]}).encode()
        elif damage == "jawaban-bukan-ya-tidak":
            damage = json.dumps({"kamus": ejaan.fingerprint(), "kata": {"pedomn": "ya"}}).encode()
        (cache / "ejaan.json").write_bytes(damage)
    assert _spelling_run(root) == (slip, 0, "")
    if cache.is_dir():  # repaired
        assert json.loads((cache / "ejaan.json").read_text())["kata"]["pedomn"] is False
