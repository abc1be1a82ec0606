"""The simple table (jenis: sederhana): a kind whose columns, group rows, total row and number formats
are declared in its own YAML — here a table another Perangkat Daerah (a Dinas Kominfo) might keep,
with no code of its own: resolved into a view, rendered, its totals quoted by the narrative, and
every mistake in it a galat at its file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from renstra.check import check
from renstra.document.resolve import resolve
from renstra.problems import RenstraError
from renstra.source.load import load
from renstra.templating import template_env

APLIKASI = """\
# yaml-language-server: $schema=../schema/sederhana.schema.json
jenis: sederhana
judul: "Daftar Aplikasi Dinas Komunikasi dan Informatika"
sumber: "Bidang Aplikasi Informatika, Desember 2023"
ukuran: lebar
kolom:
  - {id: nomor, judul: "No", format: nomor, lebar: 3}
  - {id: nama, judul: "Nama Aplikasi", lebar: 20}
  - {id: pengguna, judul: "Pengguna", kelompok: "Pemakaian", format: bilangan, satuan: orang, lebar: 8}
  - {id: akses, judul: "Akses per Bulan", kelompok: "Pemakaian", format: bilangan, kosong: "-", lebar: 8}
  - {id: ketersediaan, judul: "Ketersediaan (%)", format: angka, total: false, lebar: 6.5}
  - {id: biaya, judul: "Pemeliharaan", kelompok: "Biaya", format: rupiah, lebar: 12}
  - {id: lisensi, judul: "Lisensi", kelompok: "Biaya", format: rupiah, kosong: "-", lebar: 12}
  - {id: total_biaya, judul: "Jumlah", kelompok: "Biaya", format: rupiah, rumus: [biaya, lisensi], lebar: 12}
  - {id: modul, judul: "Modul", format: daftar, kosong: "-", lebar: 18.5}
total: {label: "Jumlah Seluruh Aplikasi"}
baris:
  - kelompok: "Aplikasi Layanan Publik"
  - nama: "Lumajang Satu Data"
    pengguna: 1250
    akses: 48000
    ketersediaan: 99.5
    biaya: 150000000
    lisensi: null
    modul: ["Katalog data", "Visualisasi"]
  - nama: "SP4N-LAPOR"
    pengguna: 300
    akses: null
    ketersediaan: 98.75
    biaya: 25000000
    lisensi: 5000000
  - kelompok: "Aplikasi Perkantoran"
  - nama: "Srikandi"
    pengguna: 2100
    akses: 12500
    ketersediaan: 97
    biaya: 0
    lisensi: 1234567
    modul: ["Naskah masuk", "Naskah keluar", "Arsip"]
"""

BAB = "content/02-gambaran-pelayanan.md"
KALIMAT = 'Dinas melayani {{ aplikasi.pengguna }} orang pengguna aplikasi ({{ ref("aplikasi") }}).'


def with_table(root: Path, text: str = APLIKASI, sentence: str = KALIMAT) -> Path:
    """The repository copy with data/aplikasi.yaml, placed and referred to in BAB II."""
    (root / "data" / "aplikasi.yaml").write_text(text, encoding="utf-8")
    chapter = root / BAB
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + f'\n{sentence}\n\n{{{{ tabel("aplikasi") }}}}\n',
        encoding="utf-8",
    )
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(RenstraError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


def broken(root: Path, old: str, new: str) -> tuple[Path, list[str]]:
    """The table with one edit; the edited file's lines, to find positions in."""
    assert old in APLIKASI, old
    text = APLIKASI.replace(old, new, 1)
    with_table(root, text)
    return root, text.splitlines()


def place(lines: list[str], needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of `needle`."""
    seen = 0
    for number, line in enumerate(lines, 1):
        start = line.find(needle)
        while start >= 0:
            seen += 1
            if seen == nth:
                return number, start + 1
            start = line.find(needle, start + 1)
    raise AssertionError(needle)


# --- a kind declared only in YAML: view, header, totals, PUEBI -------------------------------------


@pytest.fixture
def kominfo(repo_copy):
    return resolve(load(with_table(repo_copy)))


def test_the_table_needs_no_code_of_its_own(kominfo):
    assert type(kominfo.source.tabel["aplikasi"]).__name__ == "TabelSederhana"
    assert kominfo.labels["aplikasi"].startswith("Tabel 2.")
    assert [str(p) for p in kominfo.problems if "aplikasi" in p.path] == []


def test_grouped_columns_share_a_header_cell_the_others_span_both_rows(kominfo):
    view = kominfo.view("aplikasi")
    top, bottom = view.kepala
    assert [(c.teks, c.colspan, c.rowspan) for c in top] == [
        ("No", 1, 2),
        ("Nama Aplikasi", 1, 2),
        ("Pemakaian", 2, 1),
        ("Ketersediaan (%)", 1, 2),
        ("Biaya", 3, 1),
        ("Modul", 1, 2),
    ]
    assert [c.teks for c in bottom] == ["Pengguna", "Akses per Bulan", "Pemeliharaan", "Lisensi", "Jumlah"]
    # the declared widths are proportions on the page's line, each column raised to its widest word
    # or amount (never hyphenated, never wrapped), what that takes given back by the others
    assert abs(sum(view.lebar) - 160) < 0.1  # the portrait line of A4 (210 mm less 30 and 20 mm margins)
    widest = sorted(range(9), key=lambda i: -view.lebar[i])
    assert widest[:2] == [1, 8]  # Nama Aplikasi (20), Modul (18.5)
    assert view.lebar[0] == min(view.lebar)  # No (3)
    assert view.ukuran == "tabel-lebar" and view.sumber == "Bidang Aplikasi Informatika, Desember 2023"


def test_rows_are_numbered_across_group_rows_and_formatted_the_indonesian_way(kominfo):
    rows = kominfo.view("aplikasi").baris
    assert [(r.kelas, r.kunci) for r in rows] == [
        ("kelompok", None),
        ("", "Lumajang Satu Data"),
        ("", "SP4N-LAPOR"),
        ("kelompok", None),
        ("", "Srikandi"),
        ("total", "Jumlah Seluruh Aplikasi"),
    ]
    assert [(c.teks, c.colspan) for c in rows[0].sel] == [("Aplikasi Layanan Publik", 9)]
    assert [c.tampil for c in rows[1].sel] == [
        "1",
        "Lumajang Satu Data",
        "1.250 orang",
        "48.000",
        "99,5",
        "Rp150.000.000",
        "-",
        "Rp150.000.000",
        "Katalog data; Visualisasi",
    ]
    assert [c.tampil for c in rows[2].sel] == [
        "2",
        "SP4N-LAPOR",
        "300 orang",
        "-",
        "98,75",
        "Rp25.000.000",
        "Rp5.000.000",
        "Rp30.000.000",
        "-",
    ]
    assert rows[4].sel[0].teks == "3" and rows[4].sel[-1].daftar == ["Naskah masuk", "Naskah keluar", "Arsip"]
    first = rows[1].sel
    assert [c.kelas for c in first] == [
        "tengah",
        "",
        "angka",
        "angka",
        "angka",
        "angka rp",
        "angka rp",
        "angka rp",
        "",
    ]
    assert [c.kolom for c in first] == [
        None,  # the row number is no value of the row
        "nama",
        "pengguna",
        "akses",
        "ketersediaan",
        "biaya",
        "lisensi",
        "total_biaya",
        "modul",
    ]
    assert [c.turunan for c in first].count(True) == 1 and first[7].turunan


def test_the_total_row_sums_the_numbers_and_its_label_spans_the_columns_before(kominfo):
    total = kominfo.view("aplikasi").baris[-1]
    assert [(c.tampil, c.colspan, c.kolom, c.turunan) for c in total.sel] == [
        ("Jumlah Seluruh Aplikasi", 2, None, False),
        ("3.650 orang", 1, "pengguna", True),
        ("60.500", 1, "akses", True),
        ("", 1, None, False),  # total: false
        ("Rp175.000.000", 1, "biaya", True),
        ("Rp6.234.567", 1, "lisensi", True),
        ("Rp181.234.567", 1, "total_biaya", True),
        ("", 1, None, False),  # a list is not summed
    ]
    assert total.cell("biaya").nilai == 175_000_000


def test_the_table_renders_with_its_spans(kominfo):
    html = template_env(kominfo.source.root).get_template("tabel.html.j2").render(v=kominfo.view("aplikasi"))
    assert '<th colspan="3">Biaya</th>' in html and '<th rowspan="2">Modul</th>' in html
    assert '<td colspan="9">Aplikasi Perkantoran</td>' in html
    assert '<td colspan="2">Jumlah Seluruh Aplikasi</td>' in html
    assert '<td class="angka rp">Rp181.234.567</td>' in html
    assert "<ol><li>Katalog data</li><li>Visualisasi</li></ol>" in html


def test_a_text_total_is_printed_in_the_total_row(repo_copy):
    text = APLIKASI.replace(
        '{id: modul, judul: "Modul", format: daftar, kosong: "-",',
        '{id: modul, judul: "Modul", format: daftar, kosong: "-", total: "3 aplikasi",',
    )
    doc = resolve(load(with_table(repo_copy, text)))
    cell = doc.view("aplikasi").baris[-1].sel[-1]
    assert (cell.teks, cell.kolom, cell.turunan) == ("3 aplikasi", "modul", False)


def test_an_errata_entry_is_held_to_the_total_row_by_its_label(kominfo):
    assert kominfo.printed("aplikasi", "Jumlah Seluruh Aplikasi", "total_biaya") == ["Rp181.234.567"]
    assert kominfo.printed("aplikasi", "SP4N-LAPOR", "akses") == ["-"]


def test_a_duplicated_row_is_found_at_its_place(repo_copy):
    text = APLIKASI + '  - kelompok: "Aplikasi Perkantoran"\n'
    doc = resolve(load(with_table(repo_copy, text)))
    lines = text.splitlines()
    line, col = place(lines, '- kelompok: "Aplikasi Perkantoran"', 2)
    first, _ = place(lines, '- kelompok: "Aplikasi Perkantoran"')
    assert (
        f"data/aplikasi.yaml:{line}:{col + 2}: peringatan: baris ini sama persis dengan baris {first} "
        in [str(p)[: str(p).index("(")] for p in check(doc) if p.path == "data/aplikasi.yaml"]
    )


# --- narrative facts -------------------------------------------------------------------------------


def test_the_totals_are_facts_under_the_table_id(kominfo):
    fact = kominfo.facts["aplikasi"]
    assert (fact.pengguna, fact.akses, fact.biaya, fact.total_biaya) == (
        "3.650",
        "60.500",
        "Rp175.000.000",
        "Rp181.234.567",
    )
    assert not hasattr(fact, "ketersediaan")  # total: false — no total, no fact
    assert "Dinas melayani 3.650 orang pengguna aplikasi" in kominfo.chapters[2].markdown
    assert kominfo.printed(BAB, "-", "aplikasi.total_biaya") == ["Rp181.234.567"]


def test_the_lumajang_facts_come_from_its_tables(doc):
    assert (doc.facts["pegawai"].jumlah, doc.facts["pegawai"].pns, doc.facts["pegawai"].ptt) == (
        "238",
        "92",
        "146",
    )
    assert doc.facts["inventaris"].nilai == "Rp69.035.655.795"
    assert doc.facts["kendaraan"].jumlah == "180"
    assert "kelompok-sasaran" not in doc.facts and "mitra" not in doc.facts  # no total row
    assert doc.facts["jumlah"].sub_kegiatan == 70  # TC-27's counts keep their name
    assert doc.printed(BAB, "2.2 Sumber Daya Perangkat Daerah", "pegawai.jumlah") == ["238"]


def test_a_total_typed_by_hand_is_a_warning(repo_copy):
    sentence = 'Dinas melayani 3.650 orang pengguna aplikasi ({{ ref("aplikasi") }}).'
    doc = resolve(load(with_table(repo_copy, sentence=sentence)))
    lines = (repo_copy / BAB).read_text(encoding="utf-8").splitlines()
    line, col = place(lines, "3.650 orang")
    assert (
        f"{BAB}:{line}:{col}: peringatan: angka '3.650 orang' mengulang data; tulis {{{{ aplikasi.pengguna }}}} "
        "agar tidak usang"
    ) in [str(p) for p in check(doc)]


def test_a_column_that_is_not_a_fact_is_refused_with_the_names_there_are(repo_copy):
    sentence = '{{ aplikasi.ketersediaan }} ({{ ref("aplikasi") }})'
    doc = resolve(load(with_table(repo_copy, sentence=sentence)))
    line, _ = place((repo_copy / BAB).read_text(encoding="utf-8").splitlines(), "aplikasi.ketersediaan")
    assert [str(p) for p in doc.problems if "ketersediaan" in p.message] == [
        f"{BAB}:{line}:1: galat: ekspresi merujuk data yang tidak ada: 'aplikasi.ketersediaan' "
        "(yang dikenal: pengguna, akses, biaya, lisensi, total_biaya)"
    ]


# --- every mistake at its file:line:col ------------------------------------------------------------


def test_a_cell_of_the_wrong_type(repo_copy):
    root, lines = broken(repo_copy, "pengguna: 1250", 'pengguna: "1.250"')
    line, col = place(lines, '"1.250"')
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: pengguna: harus bilangan bulat tanpa tanda kutip dan tanpa "
        "titik ribuan, ditemukan teks '1.250' (tulis 1250)"
    ]


def test_a_decimal_in_a_rupiah_cell(repo_copy):
    root, lines = broken(repo_copy, "biaya: 25000000", "biaya: 25000000.5")
    line, col = place(lines, "25000000.5")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: biaya: harus bilangan bulat tanpa desimal (Rupiah tidak "
        "memakai sen), ditemukan 25000000.5"
    ]


def test_an_unknown_column_in_a_row_suggests_the_right_one(repo_copy):
    root, lines = broken(repo_copy, "    pengguna: 300", "    penguna: 300")
    line, col = place(lines, "penguna")
    row, row_col = place(lines, 'nama: "SP4N-LAPOR"')
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{row}:{row_col}: galat: kolom wajib 'pengguna' belum diisi",
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom tidak dikenal 'penguna' (maksud Anda 'pengguna'?)",
    ]


def test_an_empty_cell_where_the_column_allows_none(repo_copy):
    root, lines = broken(repo_copy, "    pengguna: 300", "    pengguna: null")
    line, col = place(lines, "null", 2)
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom 'pengguna' tidak boleh kosong "
        "(isi nilainya, atau tulis 'kosong: \"-\"' pada kolom 'pengguna' bila selnya boleh kosong)"
    ]


@pytest.mark.parametrize(
    ("typed", "how"),
    [("total_biaya: 1", "jumlah biaya + lisensi"), ("nomor: 2", "nomor baris")],
)
def test_a_derived_column_typed_in_a_row(repo_copy, typed, how):
    root, lines = broken(repo_copy, "    akses: null\n", f"    akses: null\n    {typed}\n")
    line, col = place(lines, typed)
    name = typed.split(":")[0]
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom '{name}' diturunkan saat build ({how}), tidak diketik "
        "di baris (hapus nilai ini dari baris)"
    ]


def test_a_group_row_holds_only_its_title(repo_copy):
    root, lines = broken(
        repo_copy,
        '  - kelompok: "Aplikasi Perkantoran"\n',
        '  - kelompok: "Aplikasi Perkantoran"\n    pengguna: 4\n',
    )
    line, col = place(lines, "pengguna: 4")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: baris kelompok hanya memuat 'kelompok: …', bukan 'pengguna' "
        "(tulis data di baris tersendiri di bawah baris kelompok)"
    ]


def test_a_rumus_naming_an_unknown_column(repo_copy):
    root, lines = broken(repo_copy, "rumus: [biaya, lisensi]", "rumus: [biaya, lisensii]")
    line, col = place(lines, "lisensii")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: rumus merujuk kolom 'lisensii' yang tidak ada "
        "(maksud Anda 'lisensi'?)"
    ]


def test_a_rumus_naming_a_later_or_a_text_column(repo_copy):
    root, lines = broken(repo_copy, "rumus: [biaya, lisensi]", "rumus: [nama, modul]")
    first, second = place(lines, "nama, modul"), place(lines, "modul]")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{first[0]}:{first[1]}: galat: rumus menjumlah kolom 'nama' yang berformat 'teks', "
        "bukan angka (rumus hanya menjumlah kolom bilangan, angka, rupiah)",
        f"data/aplikasi.yaml:{second[0]}:{second[1]}: galat: rumus merujuk kolom 'modul' yang baru ditulis "
        "sesudahnya (rumus hanya menjumlah kolom yang ditulis sebelumnya)",
    ]


def test_a_duplicate_column_id(repo_copy):
    root, lines = broken(repo_copy, "{id: lisensi,", "{id: biaya,")
    line, col = place(lines, "biaya,", 2)
    assert problems_of(root)[0] == (
        f"data/aplikasi.yaml:{line}:{col}: galat: id kolom 'biaya' sudah dipakai kolom ke-6 "
        "(setiap kolom perlu id sendiri)"
    )


def test_a_key_naming_no_column(repo_copy):
    root, lines = broken(repo_copy, "ukuran: lebar\n", "ukuran: lebar\nkunci: namaa\n")
    line, col = place(lines, "namaa")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom kunci 'namaa' tidak ada di daftar kolom (maksud Anda 'nama'?)"
    ]


def test_a_column_without_width_when_the_others_have_one(repo_copy):
    root, lines = broken(
        repo_copy, '{id: nama, judul: "Nama Aplikasi", lebar: 20}', '{id: nama, judul: "Nama Aplikasi"}'
    )
    line, col = place(lines, "{id: nama")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom 'nama' tanpa 'lebar', padahal kolom lain memakainya "
        "(isi 'lebar' untuk semua kolom, atau hapus dari semuanya)"
    ]


def test_an_unknown_format_and_an_unknown_column_key(repo_copy):
    root, lines = broken(repo_copy, "format: daftar, kosong", "format: list, kosongg")
    fmt, key = place(lines, "list"), place(lines, "kosongg")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{fmt[0]}:{fmt[1]}: galat: format: harus salah satu dari 'teks', 'bilangan', "
        "'angka', 'rupiah', 'daftar' atau 'nomor', ditemukan teks 'list'",
        f"data/aplikasi.yaml:{key[0]}:{key[1]}: galat: kolom tidak dikenal 'kosongg' (maksud Anda 'kosong'?)",
    ]


def test_a_bare_no_read_as_yes_no_is_explained(repo_copy):
    root, lines = broken(repo_copy, "{id: nomor,", "{id: no,")
    line, col = place(lines, "no,")
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: id: harus teks, ditemukan ya/tidak (False): YAML membaca no, "
        'yes, on, off tanpa tanda kutip sebagai ya/tidak; tulis teksnya dalam tanda kutip, mis. "no"'
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "kelompok",
            "id kolom 'kelompok' dicadangkan untuk baris kelompok (beri kolom ini id lain, mis. nama_kelompok)",
        ),
        (
            "json",
            "id kolom 'json' tidak dapat dipakai: nama itu dicadangkan program (beri kolom ini id lain, mis. json_1)",
        ),
    ],
)
def test_a_reserved_column_id(repo_copy, name, message):
    root, lines = broken(repo_copy, "{id: akses,", f"{{id: {name},")
    line, col = place(lines, f"{name},")
    assert problems_of(root) == [f"data/aplikasi.yaml:{line}:{col}: galat: {message}"]


def test_the_key_column_may_not_be_empty(repo_copy):
    root, lines = broken(
        repo_copy,
        '{id: nama, judul: "Nama Aplikasi", lebar: 20}',
        '{id: nama, judul: "Nama Aplikasi", kosong: "-", lebar: 20}',
    )
    line, col = place(lines, '"-", lebar: 20')
    assert problems_of(root) == [
        f"data/aplikasi.yaml:{line}:{col}: galat: kolom kunci 'nama' tidak boleh kosong; tanpa 'kunci', kolom teks "
        "pertama menjadi kunci baris (hapus 'kosong' dari kolom ini, atau pilih kolom kunci lain "
        "dengan 'kunci: …')"
    ]
