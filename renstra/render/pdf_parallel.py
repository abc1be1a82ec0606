"""Render PDF chapter by chapter: lay out the chapters in parallel processes, reuse unchanged ones.

One WeasyPrint pass over the whole document is single-threaded. Chapters do not depend on each other
for layout — only page numbers and the tables of contents do — so:

1. every chapter is laid out alone (in a pool of processes, started before the data is even loaded),
   without page numbers in its footer, and beside them the cover with the front chapters (Kata
   Pengantar), which print only their own roman numbers; a part whose HTML did not change is taken
   from the cache (output/.cache/), keyed by a hash — an entry is checked when read, and a damaged one
   is laid out again;
2. from the page counts and the anchors on each page, the page number of every heading and table
   is known: the front matter's lists are laid out with those numbers printed as they are, each list
   alone and side by side (cached as a chapter is), and beside them a small sheet on which WeasyPrint
   typesets every page number once (renstra.render.nomor_halaman) — the same numbers, read from the
   same cache, fill in the DOCX's lists (printed_pages);
3. meanwhile the parts are joined with pypdf, the lists put in after the Kata Pengantar, and every
   page of the lists and of the body gets its number from the sheet (roman numbers counting on after
   the Kata Pengantar, arabic from BAB I), where WeasyPrint prints it on a page of the whole document;
   the Daftar Isi links and the bookmarks are rebuilt for the whole.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    NameObject,
    TextStringObject,
)

from renstra.render import nomor_halaman
from renstra.render.html import DAFTAR, PEMBUKA, Bagian
from renstra.render.layout_processes import BabPdf, layout_chapter, layout_pool
from renstra.render.nomor_halaman import roman
from renstra.render.pemenggalan import BERKAS as POLA_PEMENGGALAN
from renstra.write import write_atomic

# no WeasyPrint here: only the layout processes import it, the parent never lays anything out

CACHE_VERSION = "6"  # 6: the lists' leader dots drawn in runs (titik_pandu); 5: the metadata names its sha256


def render_pdf_paralel(
    bagian: Bagian,
    cache: Path | None = None,
    pool: Executor | None = None,
    join_apart: bool = False,
) -> bytes:
    """The whole document's PDF, assembled from chapters laid out separately. `join_apart`: the parts
    are joined in a layout process, not in this one (whose interpreter the live preview's page is
    served by)."""
    if pool is None:
        with layout_pool() as pool:
            return render_pdf_paralel(bagian, cache, pool, join_apart)
    root, epoch = str(bagian.root), os.environ.get("SOURCE_DATE_EPOCH")
    chapters, pembuka, halaman = _body_and_pembuka(bagian, root, epoch, cache, pool)
    front, count = _roman_pages(bagian, pembuka)
    # the sheet of page numbers and the lists of the front matter, each alone, are laid out side by
    # side, and cached as a chapter is: an edit that moves no page boundary needs none of them again.
    # The sheet first: the body is numbered from it while the lists are still being laid out
    sheet = nomor_halaman.Lembar(sum(c.halaman for c in chapters), count + 1, _most_list_pages(bagian))
    numbers = _submit_all([sheet.html(bagian)], root, epoch, cache, pool)
    daftar = _submit_all(_lists_html(bagian, front | halaman), root, epoch, cache, pool, front=True)
    # meanwhile the body is joined here, and its page numbers stamped as soon as they come
    if join_apart:
        return pool.submit(_assemble, pembuka, daftar(), chapters, sheet, numbers()[0].pdf).result()
    joined = _Joined(pembuka, chapters)
    stamps = sheet.stamps(numbers()[0].pdf)
    joined.number_body(stamps)
    joined.insert_lists(daftar(), stamps)
    return joined.bytes()


def printed_pages(bagian: Bagian, cache: Path | None = None, pool: Executor | None = None) -> dict[str, str]:
    """The page number the PDF prints where each heading, table and figure stands (anchor → 'i' in the
    front matter, '12' in the body): what the DOCX's tables of contents print. Taken from the chapter
    cache that a PDF build fills; what is not there is laid out (and stored) as the PDF build would."""
    root, epoch = str(bagian.root), os.environ.get("SOURCE_DATE_EPOCH")
    lazy = _LazyPool(pool)
    try:
        chapters, pembuka, halaman = _body_and_pembuka(bagian, root, epoch, cache, lazy)
        front, count = _roman_pages(bagian, pembuka)
        lists = _layout_all(_lists_html(bagian, front | halaman), root, epoch, cache, lazy, front=True)
    finally:
        lazy.close()
    offsets = itertools.accumulate((part.halaman for part in lists), initial=count + 1)
    listed = {
        anchor: roman(start + index)
        for part, start in zip(lists, offsets)
        for anchor, index in part.anchors.items()
    }
    return front | listed | halaman


class _LazyPool:
    """The given pool, or layout processes started only when something must be laid out."""

    def __init__(self, pool: Executor | None):
        self.pool, self.stack = pool, ExitStack()

    def submit(self, *args, **kwargs):
        if self.pool is None:
            self.pool = self.stack.enter_context(layout_pool())
        return self.pool.submit(*args, **kwargs)

    def close(self) -> None:
        self.stack.close()


def _chapter_htmls(bagian: Bagian) -> list[str]:
    return [bagian.html(isi=[i], depan=False, nomor_halaman=False) for i in range(len(bagian.isi_bab))]


def _body_and_pembuka(
    bagian: Bagian, root: str, epoch: str | None, cache: Path | None, pool
) -> tuple[list[BabPdf], BabPdf, dict[str, str]]:
    """The chapters and, beside them, the cover with the front chapters (which need no page number
    of the body), laid out or read from the cache; and the body's page number of every anchor."""
    htmls = _chapter_htmls(bagian) + [bagian.html(isi=[], depan=PEMBUKA)]
    *chapters, pembuka = _layout_all(htmls, root, epoch, cache, pool)
    return chapters, pembuka, _body_pages(chapters)


def _lists_html(bagian: Bagian, halaman: dict[str, str]) -> list[str]:
    """Each list of the front matter alone, with the page numbers of the front chapters and of the body
    printed as they are, and none in its foot: each list's first roman number is known only once the
    lists before it are laid out (they are numbered as the body is, see nomor_halaman)."""
    return [
        bagian.html(isi=[], depan=DAFTAR, daftar=(which,), halaman=halaman, nomor_halaman=False)
        for which in bagian.daftar_bagian
    ]


def _most_list_pages(bagian: Bagian) -> int:
    """How many pages the lists can take at most: each list starts a page, and every page after its
    first holds the start of an entry or the end of one begun on the page before — one list's pages
    and two per entry, unless an entry were longer than a page (the sheet's numbers then run out,
    and the build says so: Stamps.front)."""
    entries = len(bagian.daftar_isi) + len(bagian.daftar_tabel) + len(bagian.daftar_gambar)
    return 2 * entries + len(bagian.daftar_bagian)


def _roman_pages(bagian: Bagian, pembuka: BabPdf) -> tuple[dict[str, str], int]:
    """The roman page number of every anchor of the cover and front chapters laid out together, and
    how many of their pages are numbered: i is the first front chapter's first page (none without one)."""
    parts = [j["anchor"] for j in bagian.daftar_isi if j["romawi"] and j["level"] == 1]
    first = min((pembuka.anchors[a] for a in parts if a in pembuka.anchors), default=pembuka.halaman)
    numbers = {
        anchor: roman(index - first + 1) for anchor, index in pembuka.anchors.items() if index >= first
    }
    return numbers, pembuka.halaman - first


def _body_pages(chapters: list[BabPdf]) -> dict[str, str]:
    """The arabic page number of every anchor of the body: chapters follow each other from page 1."""
    starts, page = [], 1
    for chapter in chapters:
        starts.append(page)
        page += chapter.halaman
    return {
        anchor: str(start + index)
        for chapter, start in zip(chapters, starts)
        for anchor, index in chapter.anchors.items()
    }


def _layout_all(
    htmls: list[str], root: str, epoch: str | None, cache: Path | None, pool, front: bool = False
) -> list[BabPdf]:
    return _submit_all(htmls, root, epoch, cache, pool, front)()


def _submit_all(
    htmls: list[str], root: str, epoch: str | None, cache: Path | None, pool, front: bool = False
) -> Callable[[], list[BabPdf]]:
    """What is not in the cache is handed to the layout processes; the call returned waits for it and
    gives every part, in order (and stores what was laid out)."""
    # the key leaves out where the repository stands: the same chapter in another clone is the same;
    # it holds the hyphenation patterns, which lay the tables out as much as the HTML does
    patterns = hashlib.sha256(POLA_PEMENGGALAN.read_bytes()).hexdigest()
    keys = [
        hashlib.sha256(
            (CACHE_VERSION + patterns + html.replace(Path(root).as_uri(), "")).encode("utf-8")
        ).hexdigest()
        for html in htmls
    ]
    found = {i: _cached(cache, key) for i, key in enumerate(keys)} if cache else {}
    todo = [i for i in range(len(htmls)) if not found.get(i)]
    # the longest chapters first, so that the pool does not end waiting on one big table
    todo.sort(key=lambda i: -len(htmls[i]))
    jobs = {i: pool.submit(layout_chapter, htmls[i], root, epoch, front) for i in todo}

    def collect() -> list[BabPdf]:
        done = {i: job.result() for i, job in jobs.items()}
        if cache:
            for i, chapter in done.items():
                _store(cache, keys[i], chapter)
        return [found.get(i) or done[i] for i in range(len(htmls))]

    return collect


def _cached(cache: Path, key: str) -> BabPdf | None:
    """The chapter stored under `key`, or None. A damaged entry — cut short by a kill, garbled on disk,
    written by another version — is a miss too: laid out again and overwritten, never used, never fatal."""
    try:
        info = json.loads((cache / f"{key}.json").read_bytes())
        pdf = (cache / f"{key}.pdf").read_bytes()
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON, not UTF-8, nested too deep
        return None
    return _verified(info, pdf)


def _verified(info: object, pdf: bytes) -> BabPdf | None:
    """The entry if its metadata is whole and names exactly these PDF bytes."""
    if not (
        isinstance(info, dict)
        and info.get("versi") == CACHE_VERSION
        and info.get("sha256") == hashlib.sha256(pdf).hexdigest()
    ):
        return None
    pages = info.get("halaman")
    if not (_is_int(pages) and pages >= 1):
        return None

    def page(value) -> bool:
        return _is_int(value) and 0 <= value < pages

    def rectangle(value) -> bool:
        return isinstance(value, list) and len(value) == 4 and all(_is_number(v) for v in value)

    anchors, bookmarks, links, lanskap = (info.get(k) for k in ("anchors", "bookmarks", "links", "lanskap"))
    whole = (
        isinstance(anchors, dict)
        and all(isinstance(k, str) and page(v) for k, v in anchors.items())
        and _rows(bookmarks, (_is_int, _is_str, page))
        and _rows(links, (page, _is_str, rectangle))
        and isinstance(lanskap, list)
        and len(lanskap) == pages
        and all(isinstance(w, bool) for w in lanskap)
    )
    if not whole:
        return None
    return BabPdf(
        pdf, pages, anchors, [tuple(b) for b in bookmarks], [(i, n, tuple(r)) for i, n, r in links], lanskap
    )


def _rows(value, columns) -> bool:
    """A list of rows, each a list whose cells pass the column checks in order."""
    return isinstance(value, list) and all(
        isinstance(row, list) and len(row) == len(columns) and all(ok(cell) for ok, cell in zip(columns, row))
        for row in value
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_str(value) -> bool:
    return isinstance(value, str)


def _store(cache: Path, key: str, chapter: BabPdf) -> None:
    """The PDF, then the metadata naming its sha256, each written whole (a temporary file renamed):
    a kill in between leaves an entry that reads as a miss, not a broken build."""
    meta = {
        "versi": CACHE_VERSION,
        "sha256": hashlib.sha256(chapter.pdf).hexdigest(),
        "halaman": chapter.halaman,
        "anchors": chapter.anchors,
        "bookmarks": chapter.bookmarks,
        "links": chapter.links,
        "lanskap": chapter.lanskap,
    }
    with _locked(cache):
        write_atomic(cache / f"{key}.pdf", chapter.pdf)
        write_atomic(cache / f"{key}.json", json.dumps(meta).encode("utf-8"))


@contextmanager
def _locked(folder: Path):
    """The cache folder locked while one entry is written, so that two builds storing the same chapter
    cannot leave one's PDF beside the other's metadata. Best effort: without flock (Windows, some network
    disks) such a pair still reads as a miss, because the metadata names the sha256 of its PDF."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):  # an unwritable folder is reported by write_atomic, in the user's words
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _assemble(
    pembuka: BabPdf, lists: list[BabPdf], chapters: list[BabPdf], sheet: nomor_halaman.Lembar, laid_out: bytes
) -> bytes:
    """The parts in order — the cover and front chapters, the lists, then the chapters — as one PDF."""
    joined = _Joined(pembuka, chapters)
    stamps = sheet.stamps(laid_out)
    joined.number_body(stamps)
    joined.insert_lists(lists, stamps)
    return joined.bytes()


class _Joined:
    """The PDF joined from its parts in three steps, so that the first two can run while the front
    matter's lists are still being laid out: the cover, front chapters and body; the body's page
    numbers; the lists, put in after the front chapters and numbered. Then the links, bookmarks and
    metadata."""

    def __init__(self, pembuka: BabPdf, chapters: list[BabPdf]):
        self.writer, self.pembuka, self.lists, self.chapters = PdfWriter(), pembuka, [], chapters
        for part in [pembuka, *chapters]:
            self.writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)

    def number_body(self, stamps: nomor_halaman.Stamps) -> None:
        landscape = [wide for chapter in self.chapters for wide in chapter.lanskap]
        body = nomor_halaman.body_numbers(self.pembuka.halaman, landscape)
        nomor_halaman.stamp(self.writer, body, stamps)

    def insert_lists(self, lists: list[BabPdf], stamps: nomor_halaman.Stamps) -> None:
        """The lists after the front chapters, numbered on in roman numbers from the sheet's first."""
        at = self.pembuka.halaman
        for part in lists:
            for page in PdfReader(io.BytesIO(part.pdf)).pages:
                self.writer.insert_page(page, at)
                at += 1
        self.lists = lists
        numbered = stamps.front(range(self.pembuka.halaman, at))
        nomor_halaman.stamp(self.writer, numbered, stamps)

    def bytes(self) -> bytes:
        writer, parts = self.writer, [self.pembuka, *self.lists, *self.chapters]
        offsets = [0, *itertools.accumulate(part.halaman for part in parts)][:-1]
        first_body = self.pembuka.halaman + sum(part.halaman for part in self.lists)
        _toc_links(writer, parts, offsets, first_body)
        _bookmarks(writer, parts, offsets)
        _metadata(writer, self.pembuka.pdf)
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def _toc_links(writer: PdfWriter, parts: list[BabPdf], offsets: list[int], first_body: int) -> None:
    """Daftar Isi and Daftar Tabel entries link to the page where their heading or table stands."""
    # WeasyPrint's own links from the front matter name anchors it could not see: replace them all
    for page in writer.pages[:first_body]:
        if "/Annots" in page:
            kept = ArrayObject(a for a in page["/Annots"] if not isinstance(a.get_object().get("/Dest"), str))
            page[NameObject("/Annots")] = kept
    target = {
        anchor: offset + index
        for part, offset in zip(parts, offsets)
        for anchor, index in part.anchors.items()
    }
    for part, offset in zip(parts, offsets):
        if offset >= first_body:
            break
        for page_index, name, rect in part.links:
            if name in target:
                writer.add_annotation(offset + page_index, Link(rect=rect, target_page_index=target[name]))


def _bookmarks(writer: PdfWriter, parts: list[BabPdf], offsets: list[int]) -> None:
    parents: dict[int, object] = {}
    entries = [
        (level, label, offset + index)
        for part, offset in zip(parts, offsets)
        for level, label, index in part.bookmarks
    ]
    for level, label, page in entries:
        parent = parents.get(level - 1)
        parents[level] = writer.add_outline_item(title=label, page_number=page, parent=parent)
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]


def _metadata(writer: PdfWriter, front_pdf: bytes) -> None:
    """Same title, author, dates and language as the single-pass PDF; a stable /ID so builds are
    byte-identical."""
    front = PdfReader(io.BytesIO(front_pdf))
    writer.add_metadata({key: value for key, value in (front.metadata or {}).items()})
    if "/Lang" in front.trailer["/Root"]:  # the document's language (dokumen.yaml `bahasa`), for readers
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(front.trailer["/Root"]["/Lang"]))
    digest = hashlib.md5(
        b"".join(p.get_contents().get_data() if p.get_contents() else b"" for p in writer.pages[:3])
    ).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
