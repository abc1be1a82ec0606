"""Chapters: table directives, references, numbering and the numbers the narrative quotes."""

from __future__ import annotations

from renstra.pipeline import resolved


def prepare_problems(root) -> list[str]:
    return [str(p) for p in resolved(root).problems if p.level == "galat"]


def test_table_numbers_follow_chapter_and_order(doc):
    penomoran = doc.labels
    assert penomoran["pegawai"] == "Tabel 2.1"
    assert penomoran["tc24"] == "Tabel 2.5"
    assert penomoran["permasalahan"] == "Tabel 3.1"
    assert penomoran["tc27"] == "Tabel 6.1"
    assert penomoran["tc28"] == "Tabel 7.2"
    assert penomoran["hubungan-dokumen"] == "Gambar 1.1"


def test_inserting_a_table_renumbers_the_rest(repo_copy):
    path = repo_copy / "content" / "02-gambaran-pelayanan.md"
    text = path.read_text()
    # move the kendaraan table before pegawai: it becomes 2.1 and pegawai 2.2
    text = text.replace('{{ tabel("kendaraan") }}', "").replace(
        '{{ tabel("pegawai") }}', '{{ tabel("kendaraan") }}\n\n{{ tabel("pegawai") }}'
    )
    path.write_text(text)
    penomoran = resolved(repo_copy).labels
    assert (penomoran["kendaraan"], penomoran["pegawai"]) == ("Tabel 2.1", "Tabel 2.2")


def test_directive_naming_a_missing_table(repo_copy):
    path = repo_copy / "content" / "06-program-kegiatan-pendanaan.md"
    text = path.read_text().replace('tabel("tc27")', 'tabel("tc72")')
    path.write_text(text)
    line_no, line = next((i, l) for i, l in enumerate(text.splitlines(), 1) if 'tabel("tc72")' in l)
    col = line.index("tc72") + 1
    found = prepare_problems(repo_copy)
    assert (
        f"content/06-program-kegiatan-pendanaan.md:{line_no}:{col}: galat: "
        "tabel(\"tc72\") merujuk ke tabel/gambar yang tidak ada (maksud Anda 'tc27'?)"
    ) in found


def test_reference_naming_a_missing_table(repo_copy):
    path = repo_copy / "content" / "04-tujuan-sasaran.md"
    text = path.read_text().replace('ref("tc25")', 'ref("tc-25")')
    path.write_text(text)
    line_no, line = next((i, l) for i, l in enumerate(text.splitlines(), 1) if 'ref("tc-25")' in l)
    assert prepare_problems(repo_copy) == [
        f"content/04-tujuan-sasaran.md:{line_no}:{line.index('tc-25') + 1}: galat: "
        "ref(\"tc-25\") merujuk ke tabel/gambar yang tidak ada (maksud Anda 'tc25'?)"
    ]


def test_jinja_expression_naming_unknown_data(repo_copy):
    path = repo_copy / "content" / "04-tujuan-sasaran.md"
    text = path.read_text().replace("jumlah.program", "jumlah.programm")
    path.write_text(text)
    line_no = next(i for i, l in enumerate(text.splitlines(), 1) if "jumlah.programm" in l)
    found = prepare_problems(repo_copy)
    assert len(found) == 1
    assert found[0].startswith(
        f"content/04-tujuan-sasaran.md:{line_no}:1: galat: ekspresi merujuk data yang tidak ada"
    )


def test_references_render_real_numbers(doc):
    chapters = doc.chapters
    bab2 = next(c for c in chapters if c.bab.nomor == "II").markdown
    assert "dapat dilihat pada Tabel\u00a02.1" in bab2  # a non-breaking space: one line in print
    bab2 = bab2.replace("\u00a0", " ")
    assert "dapat dilihat pada Tabel 2.1" in bab2
    assert "dapat dilihat pada Tabel 2.2" in bab2  # the source printed "tabel 2.6" here


def test_narrative_counts_are_derived(doc):
    chapters = doc.chapters
    bab4 = next(c for c in chapters if c.bab.nomor == "IV").markdown
    tc27 = doc.source.tabel["tc27"]
    kegiatan = sum(len(p.kegiatan) for p in tc27.program)
    sub = sum(len(k.sub_kegiatan) for p in tc27.program for k in p.kegiatan)
    assert f"membutuhkan 3 Program , {kegiatan} kegiatan dan juga {sub} sub-kegiatan" in bab4
    bab2 = next(c for c in chapters if c.bab.nomor == "II").markdown
    assert "pegawai sebanyak 238 orang, terdiri atas 92 orang yang berstatus PNS dan 146 orang" in bab2


def test_headings_are_numbered(doc):
    chapters = doc.chapters
    outline = [(j.nomor, j.teks) for c in chapters for j in c.judul]
    assert ("BAB I", "PENDAHULUAN") in outline
    assert ("1.1", "Latar Belakang") in outline
    assert ("4.2", "Cascading Kinerja Perangkat Daerah") in outline
    assert ("BAB VIII", "PENUTUP") in outline


def test_a_chapter_cannot_run_a_command(repo_copy, tmp_path):
    """The classic sandbox escape is refused before anything is rendered: the command never runs."""
    marker = tmp_path / "diretas"
    path = repo_copy / "content" / "08-penutup.md"
    path.write_text(
        path.read_text() + f"\n{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"
    )
    found = prepare_problems(repo_copy)
    assert len(found) == 1 and "ekspresi ini tidak diizinkan di naskah" in found[0]
    assert not marker.exists()


def test_emphasis_in_a_heading_is_plain_in_the_daftar_isi(repo_copy):
    path = repo_copy / "content" / "08-penutup.md"
    path.write_text(path.read_text() + "\n## Catatan **Penting**\n\nTeks.\n")
    penutup = next(c for c in resolved(repo_copy).chapters if c.bab.path == "content/08-penutup.md")
    assert [j.teks for j in penutup.judul][-1] == "Catatan Penting"
