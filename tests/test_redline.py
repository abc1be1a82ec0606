"""Redline DOCX between two commits: exactly the edits as Word revisions, a comment on the changed Rp cell
with the totals it moves, and "accept all" / "reject all" giving the two versions' text."""

from __future__ import annotations

import copy
import datetime
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from test_diff import NEW_SUB  # the same new sub kegiatan row

from renstra import pipeline
from renstra.document.resolve import resolve
from renstra.review.diff import diff
from renstra.review.versions import load_version, workdir

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SENTENCE = (
    " Selain itu, Renstra Sekretariat Daerah Kabupaten Lumajang menjadi acuan dalam pengendalian dan evaluasi"
    " pembangunan pada Sekretariat Daerah Kabupaten Lumajang, baik evaluasi Renstra maupun Renja Sekretariat"
    " Daerah Kabupaten Lumajang."
)
AUTHOR_DATE = "2026-11-30T09:15:00+07:00"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def git(repo: Path, *args: str, **env: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=os.environ | env)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    """Two commits: the real document, then one Rp figure, one word in, one sentence out, one row in."""
    root = tmp_path_factory.mktemp("repo")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "asli")
    tc27 = root / "data" / "tc27.yaml"
    # sub kegiatan 4.01.01.2.08.03, 2025: +Rp100.000.000; its kegiatan and program are left as declared
    replace_once(
        tc27,
        "pagu: {2024: 129901000, 2025: 352411200, 2026: 152431200}",
        "pagu: {2024: 129901000, 2025: 452411200, 2026: 152431200}",
    )
    text = tc27.read_text()
    anchor = text.index('kode: "4.01.03.2.04.02"')
    end = text.find("\n      - kode:", anchor)  # the next kegiatan, or the end of the file
    end = len(text) if end < 0 else end
    tc27.write_text(text[:end].rstrip("\n") + "\n" + NEW_SUB + text[end:].lstrip("\n"))
    replace_once(
        root / "content" / "03-permasalahan-isu-strategis.md",
        "hambatan dan tidak maksimalnya pelayanan",
        "hambatan dan tidak maksimalnya mutu pelayanan",
    )
    replace_once(root / "content" / "01-pendahuluan.md", SENTENCE, "")
    env = {"GIT_AUTHOR_DATE": AUTHOR_DATE, "GIT_COMMITTER_DATE": AUTHOR_DATE}
    git(root, "-c", "user.name=Budi Santoso", "-c", "user.email=b@s", "commit", "-qam", "suntingan", **env)
    return root


@pytest.fixture(scope="session")
def built(repo):
    """(FROM DOCX, TO DOCX, redline DOCX), each built once."""
    with workdir() as tmp:
        before = resolve(load_version(repo, "HEAD~1", Path(tmp)))
        after = resolve(load_version(repo, "HEAD", Path(tmp)))
        report = diff(before, after, "HEAD~1", "HEAD")
        old, new = pipeline.versions_docx(repo, before, after)
        red = pipeline.redline(repo, before, after, report, "HEAD", docx=(old, new))
    return old, new, red


def part(docx: bytes, name: str = "word/document.xml"):
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read(name))


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(q("t"), q("delText")))


def resolve_all(document, accept: bool):
    """Word's "Accept all" (or "Reject all") as an XML transform: the revisions of the other kind go,
    with the rows and paragraph marks they cover; those of this kind become plain content."""
    body = copy.deepcopy(document.find(q("body")))
    drop, keep = (q("del"), q("ins")) if accept else (q("ins"), q("del"))
    for tr in list(body.iter(q("tr"))):
        if tr.find(f"{q('trPr')}/{drop}") is not None:
            tr.getparent().remove(tr)
    for p in list(body.iter(q("p"))):
        if p.find(f"{q('pPr')}/{q('rPr')}/{drop}") is not None:  # its mark goes: it joins the next
            following = p.getnext()
            content = [c for c in p if c.tag != q("pPr")]
            if following is not None and following.tag == q("p"):
                props = following.find(q("pPr"))
                for c in reversed(content):
                    props.addnext(c) if props is not None else following.insert(0, c)
            p.getparent().remove(p)
    for el in list(body.iter(drop)):
        if el.getparent().tag not in (q("rPr"), q("trPr")):
            el.getparent().remove(el)
    for el in list(body.iter(keep)):
        parent = el.getparent()
        if parent.tag in (q("rPr"), q("trPr")):
            parent.remove(el)
            continue
        for child in reversed(list(el)):
            el.addnext(child)
        parent.remove(el)
    for t in body.iter(q("delText")):
        t.tag = q("t")
    return body


def paragraphs(body) -> list[str]:
    return [text(p) for p in body.iter(q("p"))]


def revisions(document) -> list[tuple[str, str]]:
    """Each w:ins / w:del around content, outside inserted or deleted rows: (kind, its text)."""
    found = []
    for el in document.iter(q("ins"), q("del")):
        if el.getparent().tag in (q("rPr"), q("trPr")):
            continue
        row = next((a for a in el.iterancestors(q("tr"))), None)
        if row is not None and row.find(f"{q('trPr')}/{q('ins')}") is not None:
            continue
        found.append((el.tag.split("}")[1], text(el)))
    return found


def test_revisions_are_exactly_the_edits(built):
    document = part(built[2])
    assert revisions(document) == [
        ("del", SENTENCE),
        ("ins", "mutu "),
        # the narrative counts the sub kegiatan of Tabel 6.1 ({{ … }}): one row more, one more
        ("ins", "71"),
        ("del", "70"),
        ("ins", "Rp452.411.200"),
        ("del", "Rp352.411.200"),
        # its Akhir Periode, derived
        ("ins", "Rp734.743.400"),
        ("del", "Rp634.743.400"),
    ]
    rows = [tr for tr in document.iter(q("tr")) if tr.find(f"{q('trPr')}/{q('ins')}") is not None]
    assert len(rows) == 1
    assert [text(tc) for tc in rows[0].iter(q("tc"))][:3] == [
        "4.01.03.2.04.03",
        "Terlaksananya Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Energi dan Air",
        "Koordinasi, Sinkronisasi, dan Evaluasi Kebijakan Energi dan Air",
    ]
    plain = [r for r in rows[0].iter(q("r")) if text(r) and r.getparent().tag != q("ins")]
    assert plain == []  # every word of the new row is an insertion
    assert not [tr for tr in document.iter(q("tr")) if tr.find(f"{q('trPr')}/{q('del')}") is not None]
    marks = {el.get(q("author")) for el in document.iter(q("ins"), q("del"))}
    dates = {el.get(q("date")) for el in document.iter(q("ins"), q("del"))}
    assert marks == {"Budi Santoso"}
    assert dates == {"2026-11-30T02:15:00Z"}


def test_accept_all_is_the_new_text_and_reject_all_the_old(built):
    old, new, red = built
    document = part(red)
    assert paragraphs(resolve_all(document, accept=True)) == paragraphs(part(new).find(q("body")))
    assert paragraphs(resolve_all(document, accept=False)) == paragraphs(part(old).find(q("body")))


def test_comment_on_the_changed_rp_cell_names_the_totals(built):
    document, comments = part(built[2]), part(built[2], "word/comments.xml")
    by_id = {c.get(q("id")): (c.get(q("author")), text(c)) for c in comments.iter(q("comment"))}
    on_cell = {}
    for start in document.iter(q("commentRangeStart")):
        cell = next(start.iterancestors(q("tc")))
        on_cell[text(cell)] = by_id[start.get(q("id"))]
    assert on_cell["Rp452.411.200Rp352.411.200"] == (
        "Budi Santoso",
        "selisih +Rp100.000.000; kegiatan 4.01.01.2.08 menjadi Rp4.876.657.786 (tercetak Rp4.776.657.786),"
        " program 4.01.01 menjadi Rp47.563.687.201 (tercetak Rp47.463.687.201),"
        " Total Pendanaan Renstra menjadi Rp100.937.330.949",
    )
    # the new row's three amounts, and nothing else: Akhir Periode and totals are derived
    assert sorted(k for k in on_cell if k != "Rp452.411.200Rp352.411.200") == [
        "Rp8.600.000",
        "Rp8.800.000",
        "Rp9.000.000",
    ]
    assert on_cell["Rp8.600.000"][1] == (
        "selisih +Rp8.600.000; kegiatan 4.01.03.2.04 menjadi Rp20.350.000 (tercetak Rp11.750.000),"
        " program 4.01.03 menjadi Rp537.932.870 (tercetak Rp529.332.870),"
        " Total Pendanaan Renstra menjadi Rp131.866.097.013"
    )
    when = datetime.datetime.fromisoformat(AUTHOR_DATE).astimezone(datetime.UTC)
    assert {c.get(q("date")) for c in comments.iter(q("comment"))} == {when.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_comment_of_an_edit_whose_totals_were_updated_too(repo_copy):
    """The usual edit, check-clean: the sub kegiatan, its kegiatan and its program all +Rp100.000.000.
    Each of the three cells gets its comment; none says a printed total lags behind."""
    from renstra.review.redline import catatan_rp
    from renstra.source.load import load

    before = resolve(load(repo_copy))
    tc27 = repo_copy / "data" / "tc27.yaml"
    for old, new in (
        ("2025: 352411200,", "2025: 452411200,"),
        ("2025: 4776657786,", "2025: 4876657786,"),
        ("2025: 47463687201,", "2025: 47563687201,"),
    ):
        replace_once(tc27, old, new)
    after = resolve(load(repo_copy))
    total = "Total Pendanaan Renstra menjadi Rp100.928.530.949"
    assert catatan_rp(before, after, diff(before, after, "a", "b")) == {
        ("tc27", "4.01.01", "pagu.2025"): f"selisih +Rp100.000.000; {total}",
        ("tc27", "4.01.01.2.08", "pagu.2025"): (
            f"selisih +Rp100.000.000; program 4.01.01 menjadi Rp47.563.687.201, {total}"
        ),
        ("tc27", "4.01.01.2.08.03", "pagu.2025"): (
            "selisih +Rp100.000.000; kegiatan 4.01.01.2.08 menjadi Rp4.876.657.786,"
            f" program 4.01.01 menjadi Rp47.563.687.201, {total}"
        ),
    }
