"""The parts a signer looks at first: the cover with the lambang daerah, the signature block as the Tata
Naskah Dinas sets it (PDF and DOCX read back), the lambang's check, and the HTML preview for the screen."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from PIL import Image

from renstra.check import check
from renstra.pipeline import resolved
from renstra.render.pratinjau import render_pratinjau

ROOT = Path(__file__).resolve().parent.parent
NAMA = "Drs. AGUS TRIYONO, M.Si."
NIP = "NIP. 19690507 198903 1 004"
EMU_PER_MM = 36000


@pytest.fixture(scope="session")
def word(docx_bytes):
    return open_docx(io.BytesIO(docx_bytes))


@pytest.fixture(scope="session")
def pratinjau(doc):
    return render_pratinjau(doc)


def _lines(page) -> list[list[dict]]:
    """The page's words grouped into lines (same top), top to bottom."""
    rows: dict[int, list[dict]] = {}
    for word in page.extract_words(extra_attrs=["fontname"]):
        rows.setdefault(round(word["top"]), []).append(word)
    return [rows[top] for top in sorted(rows)]


# --- signature ------------------------------------------------------------------------------------


def test_pdf_signature_name_bold_underlined_with_the_nip_directly_under_it(pdf_path, pdf_pages):
    at_page = next(i for i, (text, _, _) in enumerate(pdf_pages) if NIP in text)  # the last BAB's end
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[at_page]
        lines = _lines(page)
        texts = [" ".join(w["text"] for w in line) for line in lines]
        at = texts.index(NAMA)
        # the corrected edition, not yet dated: the signed edition's date is in test_edisi
        assert texts[at - 1] == "SEKRETARIS DAERAH" and texts[at - 2] == "Lumajang, ……………………"
        assert texts[at + 1] == NIP  # no pangkat in the data: the NIP stands right under the name
        name, nip = lines[at], lines[at + 1]
        assert all("Bold" in w["fontname"] for w in name)
        assert not any("Bold" in w["fontname"] for w in nip)
        left, right = min(w["x0"] for w in name), max(w["x1"] for w in name)
        bottom, next_top = max(w["bottom"] for w in name), min(w["top"] for w in nip)
        rules = [
            r
            for r in page.lines + page.rects
            if bottom - 3 <= r["top"] <= next_top and r["x0"] <= left + 1 and r["x1"] >= right - 1
        ]
        assert rules, "no underline under the name"
        assert left > page.width / 2  # the block stands in the right half, as in a naskah dinas


def test_docx_signature_name_run_bold_underlined_nip_on_the_next_line(word):
    (block,) = [p for p in word.paragraphs if p.style.name == "Tanda Tangan"]
    lines = block.text.split("\n")
    assert lines[:2] == ["Lumajang, ……………………", "SEKRETARIS DAERAH"]
    assert lines[lines.index(NAMA) + 1] == NIP
    (name_run,) = [r for r in block.runs if r.text == NAMA]
    assert name_run.bold and name_run.underline
    assert not any(r.underline for r in block.runs if r.text != NAMA)
    style = block.style.paragraph_format
    assert style.left_indent.pt > 200 and style.keep_together  # right half, never split


def test_nip_is_printed_spaced_however_the_data_wrote_it(doc):
    from renstra.document.identity import identitas

    penandatangan = doc.dokumen.penandatangan.model_copy(update={"nip": "196905071989031004"})
    dokumen = doc.dokumen.model_copy(update={"penandatangan": penandatangan})
    assert identitas(dokumen).nip == "19690507 198903 1 004"


# --- cover ------------------------------------------------------------------------------------------


def test_pdf_cover_has_the_lambang_between_pemerintah_and_judul_and_the_kota_at_the_foot(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        (image,) = page.images
        lines = _lines(page)
        texts = [" ".join(w["text"] for w in line) for line in lines]
        top_of = {t: min(w["top"] for w in line) for t, line in zip(texts, lines)}
    assert image["width"] == pytest.approx(40 / 25.4 * 72, abs=1)  # 4 cm wide
    assert image["height"] == pytest.approx(image["width"] * 584 / 427, abs=1)  # not stretched
    assert (
        top_of["PEMERINTAH KABUPATEN LUMAJANG"] < image["top"] < image["bottom"] < top_of["RENCANA STRATEGIS"]
    )
    centre = (image["x0"] + image["x1"]) / 2
    assert centre == pytest.approx(30 / 25.4 * 72 + (page.width - 50 / 25.4 * 72) / 2, abs=1)  # text area
    assert top_of["L U M A J A N G"] > 0.85 * page.height  # the foot, not the middle of the page
    assert top_of["Sekretariat Daerah"] > 0.75 * page.height


def test_docx_cover_has_the_lambang_as_an_inline_picture_in_the_first_section(word):
    body = word.element.body
    first_section = []
    for child in body:
        first_section.append(child)
        if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    inline = [i for el in first_section for i in el.iter(qn("wp:inline"))]
    assert len(inline) == 1
    extent = inline[0].find(qn("wp:extent"))
    assert int(extent.get("cx")) == pytest.approx(40 * EMU_PER_MM, rel=0.01)
    blip = next(inline[0].iter(qn("a:blip"))).get(qn("r:embed"))
    picture = Image.open(io.BytesIO(word.part.related_parts[blip].blob))
    assert picture.size == (427, 584)
    # instansi, alamat and kota are held to the foot of the page in a frame
    styles = [p.style.name for p in word.paragraphs[:8]]
    assert styles[:3] == ["Sampul Pemerintah", "Sampul Lambang", "Title"]
    foot = [
        p for p in word.paragraphs[:8] if p.style.name in ("Sampul Instansi", "Sampul Alamat", "Sampul Kota")
    ]
    assert [p.text for p in foot][::2] == ["Sekretariat Daerah", "LUMAJANG"]
    for p in foot:
        frame = p._p.pPr.find(qn("w:framePr"))
        assert frame.get(qn("w:yAlign")) == "bottom" and frame.get(qn("w:vAnchor")) == "margin"


# --- the lambang's check ------------------------------------------------------------------------------


def _lambang_problems(root):
    return [str(p) for p in check(resolved(root)) if "lambang" in p.message]


def _set_lambang(root, value: str | None) -> int:
    """Write `lambang: value` (or drop the line); the line it stands on."""
    path = root / "data" / "dokumen.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("lambang:")]
    if value is not None:
        lines.insert(5, f"lambang: {value}")
    path.write_text("\n".join(lines) + "\n")
    return 6


def test_the_real_document_has_its_lambang(doc):
    assert _lambang_problems(ROOT) == []
    assert doc.lambang == (ROOT / "content" / "gambar" / "lambang-kabupaten-lumajang.png").resolve()


def test_no_lambang_is_a_peringatan_at_the_top_of_dokumen_yaml_and_the_cover_prints_without(repo_copy):
    _set_lambang(repo_copy, None)
    assert _lambang_problems(repo_copy) == [
        "data/dokumen.yaml:1:1: peringatan: lambang daerah untuk sampul belum diisi (simpan lambang daerah, "
        "PNG atau JPEG berlatar transparan, di content/gambar/ dan tulis jalurnya di data/dokumen.yaml, mis. "
        "'lambang: gambar/lambang-kabupaten-lumajang.png')"
    ]
    from renstra.render.html import Bagian

    assert 'class="lambang"' not in Bagian.of(resolved(repo_copy)).html(isi=[])


def test_a_missing_or_unreadable_lambang_is_a_peringatan_at_its_value(repo_copy):
    line = _set_lambang(repo_copy, "gambar/lambang-tidak-ada.png")
    assert _lambang_problems(repo_copy) == [
        f"data/dokumen.yaml:{line}:10: peringatan: berkas lambang 'content/gambar/lambang-tidak-ada.png' "
        "tidak ditemukan (simpan lambang daerah, PNG atau JPEG berlatar transparan, di content/gambar/ dan "
        "tulis jalurnya di data/dokumen.yaml, mis. 'lambang: gambar/lambang-kabupaten-lumajang.png')"
    ]
    (repo_copy / "content" / "gambar" / "rusak.png").write_bytes(b"\x89PNG\r\n\x1a\n bukan gambar")
    line = _set_lambang(repo_copy, "gambar/rusak.png")
    assert _lambang_problems(repo_copy) == [
        f"data/dokumen.yaml:{line}:10: peringatan: berkas lambang 'content/gambar/rusak.png' tidak dapat "
        "dibaca sebagai gambar (simpan lambangnya sebagai PNG atau JPEG)"
    ]
    Image.new("RGB", (8, 8)).save(repo_copy / "content" / "gambar" / "lambang.gif")
    _set_lambang(repo_copy, "gambar/lambang.gif")
    assert "berformat GIF" in _lambang_problems(repo_copy)[0]
    (repo_copy / "content" / "gambar" / "folder.png").mkdir()
    _set_lambang(repo_copy, "gambar/folder.png")
    assert "tidak ditemukan" in _lambang_problems(repo_copy)[0]  # a regular file, not a folder
    assert resolved(repo_copy).lambang is None


def test_a_lambang_outside_content_is_a_galat(repo_copy):
    line = _set_lambang(repo_copy, "../../../etc/hostname")
    (problem,) = _lambang_problems(repo_copy)
    assert problem.startswith(
        f"data/dokumen.yaml:{line}:10: galat: lambang '../../../etc/hostname' berada di luar repositori"
    )
    _set_lambang(repo_copy, "../data/dokumen.yaml")
    assert (
        "galat: lambang '../data/dokumen.yaml' berada di luar folder content/"
        in _lambang_problems(repo_copy)[0]
    )
    _set_lambang(repo_copy, "https://lumajangkab.go.id/lambang.png")
    assert "diambil dari luar repositori" in _lambang_problems(repo_copy)[0]


# --- HTML preview -------------------------------------------------------------------------------------


def test_preview_holds_no_path_of_the_building_machine(pratinjau):
    assert str(ROOT) not in pratinjau and "file:" not in pratinjau
    # everything it loads is inside it: fonts, the lambang
    urls = re.findall(r'(?:src="|url\(")([^"]+)"', pratinjau)
    assert urls and all(u.startswith("data:") for u in urls), [
        u[:40] for u in urls if not u.startswith("data:")
    ]
    assert len(re.findall(r'url\("data:font/woff2;base64,', pratinjau)) == 4
    assert 'class="lambang" src="data:image/png;base64,' in pratinjau


def test_preview_cli_writes_a_file_that_can_be_moved(tmp_path, pratinjau):
    import subprocess
    import sys

    out = tmp_path / "dipindah" / "renstra.html"
    out.parent.mkdir()
    run = subprocess.run(
        [sys.executable, "build.py", "html", "--output", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == pratinjau  # the same bytes as rendered here: reproducible


def test_screen_rules_are_screen_only_and_absent_from_the_pdf_html(doc, pratinjau):
    from renstra.render.html import Bagian

    assert "@media screen" not in Bagian.of(doc).html()  # what WeasyPrint lays out
    layar = (ROOT / "templates" / "layar.css.j2").read_text()
    outside = re.sub(r"/\*.*?\*/", "", layar, flags=re.S)
    start = outside.index("@media screen {")
    assert outside[:start].strip() == "" and outside.rstrip().endswith("}")
    assert outside.count("@media") == 1
    # the Daftar Isi on screen: links, no leaders or page numbers that a browser cannot fill
    assert ".daftar a::after, .daftar a.romawi::after, .daftar a[data-halaman]::after { content: none; }" in (
        pratinjau
    )
    assert "data-halaman" not in pratinjau.split("</style>", 1)[1]
