"""Glyphs: characters the document's fonts lack are a peringatan where they were written."""

from __future__ import annotations

import io

import pdfplumber

from renstra.check import check
from renstra.pipeline import resolved
from renstra.render.html import Bagian
from renstra.render.pdf import render_pdf

PESAN = (
    "tidak ada di huruf dokumen ({famili}); akan tercetak sebagai kotak kosong atau huruf lain "
    "(hapus atau ganti dengan karakter yang ada di huruf dokumen; kalau tidak, hasil cetaknya bergantung "
    "pada huruf yang terpasang di komputer yang membangun PDF)"
)


def glyph_problems(root) -> list[str]:
    return [str(p) for p in check(resolved(root)) if "tidak ada di huruf dokumen" in p.message]


def expected(path: str, line: int, col: int, char: str, famili: str = "Liberation Sans") -> str:
    return f"{path}:{line}:{col}: peringatan: karakter '{char}' (U+{ord(char):04X}) " + PESAN.format(
        famili=famili
    )


def test_real_document_has_every_character_in_its_fonts(doc):
    assert [str(p) for p in check(doc) if "tidak ada di huruf dokumen" in p.message] == []


def test_emoji_in_a_chapter_line_after_multibyte_characters(repo_copy):
    path = repo_copy / "content" / "08-penutup.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if text.startswith("Rencana Strategis")) + 1
    # “ ” — é are two or three bytes in UTF-8 but one column each; the emoji four bytes
    lines[line - 1] = "“Renstra” — café 😀 sukses 😀 " + lines[line - 1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert glyph_problems(repo_copy) == [expected("content/08-penutup.md", line, 18, "😀")]


def test_arabic_word_in_a_yaml_value(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    text = path.read_text(encoding="utf-8")
    old = 'mitra: "Lbh Posbakummadin dan Kejaksaan Negeri Lumajang"'
    assert old in text
    path.write_text(
        text.replace(old, 'mitra: "Lbh Posbakummadin — Pengadilan Agama (محكمة) dan Kejaksaan"'),
        encoding="utf-8",
    )
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "محكمة" in t)
    # '    mitra: "' is 12 characters, 'Lbh Posbakummadin — Pengadilan Agama (' 38 more (— is 3 bytes in UTF-8)
    assert glyph_problems(repo_copy) == [expected("data/mitra.yaml", line, 51, "م")]


def test_folded_yaml_value_is_located_on_its_own_line(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    text = path.read_text(encoding="utf-8")
    old = '    mitra: "Lbh Posbakummadin dan Kejaksaan Negeri Lumajang"\n'
    path.write_text(
        text.replace(old, "    mitra: >-\n      Lbh Posbakummadin dan\n      Kejaksaan ꦗꦮ Negeri\n"),
        encoding="utf-8",
    )
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "ꦗꦮ" in t)
    assert glyph_problems(repo_copy) == [expected("data/mitra.yaml", line, 17, "ꦗ")]


def test_escaped_character_is_reported_at_its_value(repo_copy):
    path = repo_copy / "data" / "mitra.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('judul: "Mitra Perangkat Daerah"', 'judul: "Mitra Perangkat Daerah \\U0001F600"'),
        encoding="utf-8",
    )
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "U0001F600" in t)
    assert glyph_problems(repo_copy) == [expected("data/mitra.yaml", line, 8, "😀")]


def test_one_problem_per_line_and_nothing_for_expressions_or_invisible_characters(repo_copy):
    path = repo_copy / "content" / "08-penutup.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nTeks\tdengan {{ '😀' }} tab,\u00ad tanda hubung lunak dan\u200b spasi lebar nol.\n"
        + "\n名字 dan 🙂 dua karakter asing pada satu baris.\n",
        encoding="utf-8",
    )
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert glyph_problems(repo_copy) == [expected("content/08-penutup.md", line, 1, "名")]


def test_serif_type_lacks_the_cyrillic_letters_the_errata_quotes(repo_copy):
    dokumen = repo_copy / "data" / "dokumen.yaml"
    dokumen.write_text(dokumen.read_text().replace("huruf: sans", "huruf: serif"))
    errata = (repo_copy / "data" / "errata.yaml").read_text(encoding="utf-8").splitlines()
    found = glyph_problems(repo_copy)
    assert found and all("(TeX Gyre Bonum)" in p for p in found)
    for problem in found:
        path, line, col = problem.split(":")[:3]
        char = problem.split("karakter '")[1][0]
        assert path == "data/errata.yaml" and errata[int(line) - 1][int(col) - 1] == char
    assert {p.split("karakter '")[1][0] for p in found} == {"а", "□"}


def test_damaged_font_file_is_a_warning_not_a_crash(repo_copy):
    (repo_copy / "fonts" / "LiberationSans-Bold.ttf").write_bytes(b"bukan huruf")
    found = [str(p) for p in check(resolved(repo_copy)) if "berkas huruf" in p.message]
    lines = (repo_copy / "data" / "dokumen.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text == "  huruf: sans")  # where the font is chosen
    assert len(found) == 1 and found[0].startswith(
        f"data/dokumen.yaml:{line}:10: peringatan: berkas huruf Liberation Sans tidak terbaca ("
    )


def test_a_long_unbroken_word_stays_inside_the_right_margin(repo_copy):
    word = "".join(f"Kata{i:03d}" for i in range(43))[:300]  # 300 characters, no space or hyphen
    path = repo_copy / "content" / "08-penutup.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"\nParagraf dengan kata panjang {word} di tengahnya.\n\n1. butir daftar {word} juga\n",
        encoding="utf-8",
    )
    renstra = resolved(repo_copy)
    bagian = Bagian.of(renstra)
    pdf = render_pdf(bagian.html(isi=[bagian.tanda_tangan_di], depan=False), repo_copy)
    right_margin = 20 / 25.4 * 72  # 2 cm (renstra.layout.MARGIN_POTRET)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        # the pages' text without their running header and page number: the word may run across a page
        text = "".join("".join((page.extract_text() or "").splitlines()[1:-1]) for page in document.pages)
        assert text.count(word) == 2  # printed whole, only broken across lines
        for page in document.pages:
            outside = [c["text"] for c in page.chars if c["x1"] > page.width - right_margin + 0.5]
            assert outside == [], f"page {page.page_number}: {''.join(outside)[:60]}"
