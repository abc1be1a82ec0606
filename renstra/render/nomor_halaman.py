"""Page numbers drawn onto the joined parts without laying out a page for each of them.

The chapters are laid out without page numbers (the number of a chapter's first page is known only
once the chapters before it are laid out), and so are the lists of the front matter (each list's
first roman number is known only once the lists before it are). WeasyPrint then typesets every
number once, on a small sheet of its own (`Lembar`):

- three sample pages — a page of the front matter, a portrait and a landscape page of the body —
  which carry their number in the foot as every page of the document does: the foot's operators,
  its centre and its baseline;
- then the numbers, one under the other, right-aligned at a known edge: the body's 1 … N and the
  front matter's roman numbers, each with its glyphs as shaped (kerning included: "11" is narrower
  than "12") and its width.

Each page gets the foot of the sample of its kind with the glyphs of its own number, centred on the
same point — the operators WeasyPrint writes on a page of the whole document, without laying out a
page for each number (an overlay of empty numbered pages took 0.52 s for this document's 83 body
pages and 10 s for 1 400; the sheet takes 0.05 s and 0.6 s).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from renstra.render.html import Bagian

# The sheet's numbers end at this edge (CSS px from the left of a page without margins): a number's
# width is this edge less where its glyphs start.
EDGE = 200
# The numbers' type. The sample pages print theirs in the footer as the style sheet says; a sheet
# whose numbers came out in other type than the samples' is refused (see Stamps.of), not drawn.
_TYPE = "10pt 'Dokumen'"
# One run of text as WeasyPrint (pydyf) writes it: the text matrix, the font (left out when it is the
# one of the run before, in the same text object) and the glyphs.
_RUN = re.compile(
    rb"1 0 0 -1 (?P<x>-?[\d.]+) (?P<y>-?[\d.]+) Tm\n(?:(?P<font>/[^\s/\[\]<>(){}%]+) (?P<size>[\d.]+) Tf\n)?"
    rb"(?P<glyphs>\[[^\]]*\]) TJ\n"
)


# The kinds of page, each with its sample on the sheet, in this order.
DEPAN, POTRET, LANSKAP = "depan", "potret", "lanskap"


def roman(number: int) -> str:
    """4 → 'iv': the front matter's page numbers."""
    out = ""
    for value, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        count, number = divmod(number, value)
        out += letters * count
    return out


@dataclass(frozen=True)
class Lembar:
    """A sheet: the body's numbers 1 … `body`, and `romawi` roman numbers of the front matter from
    `romawi_mulai` (at least the samples' own: the front matter's first, the body's 1 and 2)."""

    body: int
    romawi_mulai: int = 1
    romawi: int = 0

    @property
    def numbers(self) -> list[str]:
        arabic = [str(n) for n in range(1, max(self.body, 2) + 1)]
        return arabic + [roman(self.romawi_mulai + n) for n in range(max(self.romawi, 1))]

    def html(self, bagian: Bagian) -> str:
        """The samples — a page of the front matter, a portrait and a landscape page of the body — and
        the numbers one under the other."""
        lines = "".join(f"<div>{n}</div>" for n in self.numbers)
        # one .isi container, as in the whole document: its page group starts the count at 1 once
        return (
            f"<html lang='{bagian.renstra.identitas.bahasa}'><head><style>"
            f"{bagian.css(romawi_mulai=self.romawi_mulai)} body {{ margin: 0 }}"
            " div.d, div.p { break-after: page; height: 1px }"
            " div.l { page: lanskap; break-after: page; height: 1px }"
            " @page { @top-right { content: none } }"
            f" @page lanskap {{ @bottom-center {{ content: counter(page); font: {_TYPE}; }} }}"
            " @page lembar { size: 100mm 2000mm; margin: 0; @bottom-center { content: none } }"
            f" .lembar {{ page: lembar }} .lembar div {{ width: {EDGE}px; text-align: right; font: {_TYPE} }}"
            "</style></head><body><div class='depan'><div class='d'></div></div>"
            "<div class='isi'><div class='p'></div><div class='l'></div></div>"
            f"<div class='lembar'>{lines}</div></body></html>"
        )

    def stamps(self, sheet: bytes) -> Stamps:
        """What the sheet laid out says (see Stamps); a sheet that does not say it is refused."""
        return Stamps.of(sheet, self.numbers, self.romawi_mulai)


@dataclass
class _Sample:
    """A sample page's foot: its operators, split where the number's start and glyphs go, the centre
    the number is set on, and the page's resources."""

    before: bytes
    between: bytes
    after: bytes
    centre: float
    resources: DictionaryObject


class Stamps:
    """What the laid-out sheet says: each number's glyphs and width, and the samples of each kind."""

    def __init__(
        self,
        glyphs: dict[str, bytes],
        widths: dict[str, float],
        samples: dict[str, _Sample],
        romawi_mulai: int,
    ):
        self.glyphs, self.widths, self.samples, self.romawi_mulai = glyphs, widths, samples, romawi_mulai

    @classmethod
    def of(cls, sheet: bytes, numbers: list[str], romawi_mulai: int = 1) -> Stamps:
        pages = PdfReader(io.BytesIO(sheet)).pages
        runs, type_ = [], None
        for page in pages[3:]:
            for run in _RUN.finditer(page.get_contents().get_data()):
                type_ = (run["font"], run["size"]) if run["font"] else type_
                runs.append((run, type_))
        if len(runs) != len(numbers):
            raise RuntimeError(f"lembar nomor halaman: {len(runs)} nomor tertata, seharusnya {len(numbers)}")
        found = dict(zip(numbers, runs))
        widths = {number: EDGE - float(run["x"]) for number, (run, _) in found.items()}
        samples = {}
        # the samples print the front matter's first number and the body's 1 and 2
        for kind, index, number in ((DEPAN, 0, roman(romawi_mulai)), (POTRET, 1, "1"), (LANSKAP, 2, "2")):
            data = pages[index].get_contents().get_data()
            (own, *more) = list(_RUN.finditer(data)) or [None]
            if own is None or more or (own["font"], own["size"]) != found[number][1]:
                raise RuntimeError("lembar nomor halaman: huruf nomor berbeda dengan huruf kaki halaman")
            samples[kind] = _Sample(
                data[: own.start("x")],
                data[own.end("x") : own.start("glyphs")],
                data[own.end("glyphs") :],
                float(own["x"]) + widths[number] / 2,
                pages[index]["/Resources"],
            )
        return cls({n: run["glyphs"] for n, (run, _) in found.items()}, widths, samples, romawi_mulai)

    def front(self, pages: range) -> list[tuple[int, str, str]]:
        """The front matter's `pages` numbered on in roman numbers from the sheet's first."""
        numbered = [(index, roman(self.romawi_mulai + n), DEPAN) for n, index in enumerate(pages)]
        missing = [number for _, number, _ in numbered if number not in self.glyphs]
        if missing:
            raise RuntimeError(f"lembar nomor halaman: nomor {missing[0]} tidak tertata")
        return numbered

    def operators(self, number: str, kind: str) -> tuple[bytes, DictionaryObject]:
        """The foot of a page of that kind with `number` in it, and the resources it names."""
        sample = self.samples[kind]
        start = sample.centre - self.widths[number] / 2
        data = sample.before + _number(start) + sample.between + self.glyphs[number] + sample.after
        return data, sample.resources


def _number(value: float) -> bytes:
    """A real number as pydyf writes it."""
    return str(int(value)).encode() if value.is_integer() else f"{value:f}".rstrip("0").encode()


def body_numbers(first: int, landscape: list[bool]) -> list[tuple[int, str, str]]:
    """The body's pages, from page index `first` on, numbered 1, 2, …, each of its size (the layout
    processes say which are landscape: BabPdf.lanskap)."""
    return [(first + n, str(n + 1), LANSKAP if wide else POTRET) for n, wide in enumerate(landscape)]


def stamp(writer: PdfWriter, numbered: list[tuple[int, str, str]], stamps: Stamps) -> None:
    """Each (page index, number, kind) gets its number: the foot's few operators are added after the
    page's own content, their resources beside the page's under names of their own. (pypdf's
    merge_page would parse and rewrite every page's whole content: half the time of joining the PDF.)"""
    for index, number, kind in numbered:
        page = writer.pages[index]
        data, stamp_resources = stamps.operators(number, kind)
        resources = page[NameObject("/Resources")].get_object()
        names = []
        for category, entries in stamp_resources.items():
            entries = entries.get_object()
            if not entries:
                continue
            if category not in resources:
                resources[NameObject(category)] = DictionaryObject()
            target = resources[category].get_object()
            for name, value in entries.items():
                target[NameObject(_NOMOR + name[1:])] = value.clone(writer)
                names.append(re.escape(name[1:].encode()))
        if names:
            data = re.sub(
                rb"/(" + b"|".join(names) + rb")(?=[\s/\[\]<>(){}%]|$)", _NOMOR.encode() + rb"\1", data
            )
        contents = page.raw_get("/Contents")  # the reference: a stream is never written inline
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        # the page's own content is wrapped in q … Q: the number is drawn in the page's first coordinates
        page[NameObject("/Contents")] = ArrayObject(
            [_stream(writer, b"q\n"), *own, _stream(writer, b"\nQ\n" + data)]
        )


_NOMOR = "/Nomor"  # the prefix of the sheet's resource names on a body page


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream.flate_encode())
