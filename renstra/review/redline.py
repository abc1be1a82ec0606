"""Redline: the DOCX of two versions → the newer one with Word's own tracked changes, and a comment on
each changed Rp cell saying what the change does to the totals above it.

The comparison itself is Docxodus (python-redlines' prebuilt engine, a self-contained binary in its
wheel): it marks words inside paragraphs and cells (w:ins, w:del) and whole table rows
(w:trPr/w:ins, w:trPr/w:del), so that "Accept all" gives the newer document and "Reject all" the
older. The comments are ours: their numbers come from the resolved documents (the table views the
diff compares), not from the DOCX text.
"""

from __future__ import annotations

import datetime
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from renstra.document import numbers as angka
from renstra.document.resolve import Renstra
from renstra.problems import RenstraError, galat
from renstra.review.diff import TAMBAH, UBAH, Laporan, signed


def redline(old: bytes, new: bytes, author: str, when: datetime.datetime) -> bytes:
    """`new` with every difference from `old` as a tracked revision by `author` at `when`."""
    from python_redlines.engines import DocxodusEngine, EngineExecutionError, EngineNotInstalledError

    try:
        # moves stay off (the engine's default): a row that moved is reported by the diff, and a move
        # pair would make "Reject all" depend on the reader's Word understanding w:moveFrom/w:moveTo
        # the engine unpacks its binary once: into the project's own environment, not the user's home
        engine = DocxodusEngine(target_path=str(Path(sys.prefix) / "cache" / "python-redlines"))
        out, _, _ = engine.run_redline(author, old, new, date_time=_iso(when))
    except (EngineExecutionError, EngineNotInstalledError, OSError) as error:
        reason = (str(error).strip().splitlines() or ["?"])[0]
        raise RenstraError(
            [
                galat(
                    "docxodus",
                    1,
                    1,
                    f"DOCX perubahan terlacak tidak dapat dibuat: {reason}",
                    "pasang ulang dengan: .venv/bin/python -m pip install -r requirements.lock; atau lewati: "
                    "python build.py diff FROM TO --tanpa-docx",
                )
            ]
        ) from None
    return out


def _iso(when: datetime.datetime) -> str:
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- what a changed Rp cell does to the totals ----------------------------------------------------


@dataclass
class _Baris:
    """One keyed row of a table as printed: its parent, its level, its Rp by column."""

    induk: str | None
    kelas: str
    rp: dict[str, int] = field(default_factory=dict)  # typed Rp cells by column id
    turunan: dict[str, int] = field(default_factory=dict)  # derived Rp cells (totals) by column id


def _rp_rows(renstra: Renstra, table_id: str) -> dict[str, _Baris]:
    """The table's keyed rows with their Rp cells (the first row of a key holds the node's amounts)."""
    if table_id not in renstra.source.tabel:
        return {}
    rows: dict[str, _Baris] = {}
    for row in renstra.view(table_id).baris:
        if row.kunci is None or row.kunci in rows:
            continue
        entry = rows[row.kunci] = _Baris(row.induk, row.kelas)
        for sel in row.sel:
            if sel.kolom and "rp" in sel.kelas.split() and isinstance(sel.nilai, int):
                (entry.turunan if sel.turunan else entry.rp)[sel.kolom] = sel.nilai
    return rows


def _rollup(rows: dict[str, _Baris], kunci: str, kolom: str) -> int:
    """What a row adds up to in `kolom`: the sum of its children's, or its own amount if it has none."""
    children = [k for k, r in rows.items() if r.induk == kunci and kolom in r.rp]
    if not children:
        return rows[kunci].rp.get(kolom, 0)
    return sum(_rollup(rows, child, kolom) for child in children)


def _consequences(rows: dict[str, _Baris], kunci: str, kolom: str, selisih: int) -> str:
    """'selisih +Rp100.000.000; kegiatan … menjadi Rp…, program … menjadi Rp…, Total … menjadi Rp…'."""
    parts = []
    parent = rows[kunci].induk
    while parent in rows:
        total = _rollup(rows, parent, kolom)
        text = f"{rows[parent].kelas.replace('-', ' ')} {parent} menjadi {angka.rupiah(total)}"
        printed = rows[parent].rp.get(kolom)
        if printed is not None and printed != total:  # the declared pagu was not updated with it
            text += f" (tercetak {angka.rupiah(printed)})"
        parts.append(text)
        parent = rows[parent].induk
    tops = [k for k, r in rows.items() if r.induk is None and kolom in r.rp]
    for name, row in rows.items():
        if row.kelas == "total" and kolom in row.turunan:
            total = sum(_rollup(rows, top, kolom) for top in tops)
            parts.append(f"{name} menjadi {angka.rupiah(total)}")
    lead = f"selisih {signed(selisih)}"
    return f"{lead}; {', '.join(parts)}" if parts else lead


def catatan_rp(before: Renstra, after: Renstra, report: Laporan) -> dict[tuple[str, str, str], str]:
    """(table id, row key, column) → the comment for that Rp cell of the newer version: every typed Rp
    cell the report lists as changed or added."""
    notes = {}
    for table_id in sorted({c.tabel for c in report.data if c.jenis in (UBAH, TAMBAH)}):
        old, new = _rp_rows(before, table_id), _rp_rows(after, table_id)
        for change in report.data:
            if change.tabel != table_id or change.kunci not in new:
                continue
            if change.jenis == UBAH and change.kolom in new[change.kunci].rp:
                columns = [change.kolom]
            elif change.jenis == TAMBAH:
                columns = list(new[change.kunci].rp)
            else:
                continue
            for kolom in columns:
                lama = old[change.kunci].rp.get(kolom, 0) if change.kunci in old else 0
                selisih = new[change.kunci].rp[kolom] - lama
                if selisih:
                    notes[(table_id, change.kunci, kolom)] = _consequences(new, change.kunci, kolom, selisih)
    return notes


# --- comments in the DOCX ---------------------------------------------------------------------------


def live_rows(tbl) -> list:
    """The rows of a redline table that the newer version has (a deleted row is the older's only)."""
    return [tr for tr in tbl.tr_lst if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]


def comment(word, cells: Iterable[tuple[object, str]], author: str, when: datetime.datetime) -> int:
    """A Word comment on each (w:tc, text): its range the whole cell, its reference mark at the end of
    the cell's last paragraph, outside any revision (so accepting or rejecting keeps it)."""
    count = 0
    for tc, text in cells:
        paragraphs = tc.findall(qn("w:p"))
        note = word.comments.add_comment(text=text, author=author, initials=_initials(author))
        note._comment_elm.set(qn("w:date"), _iso(when))
        start, end = OxmlElement("w:commentRangeStart"), OxmlElement("w:commentRangeEnd")
        for mark in (start, end):
            mark.set(qn("w:id"), str(note.comment_id))
        first_pr = paragraphs[0].find(qn("w:pPr"))
        if first_pr is not None:
            first_pr.addnext(start)
        else:
            paragraphs[0].insert(0, start)
        paragraphs[-1].append(end)
        paragraphs[-1].append(_reference(note.comment_id))
        count += 1
    return count


def _reference(comment_id: int):
    run, props, style, ref = (OxmlElement(t) for t in ("w:r", "w:rPr", "w:rStyle", "w:commentReference"))
    style.set(qn("w:val"), "CommentReference")
    ref.set(qn("w:id"), str(comment_id))
    props.append(style)
    run.append(props)
    run.append(ref)
    return run


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split()[:3]).upper()


def save(word) -> bytes:
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
