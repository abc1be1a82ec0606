"""The body's page numbers, drawn onto the joined chapters without laying out a page for each of them.

Chapters are laid out without page numbers: the number of a chapter's first page is known only once
the chapters before it are laid out. WeasyPrint then typesets every number once, on a small sheet of
its own (`sheet_html`):

- two sample pages of the body's two sizes, portrait and landscape, which carry their number in the
  footer as every page of the document does: the footer's operators, its centre and its baseline;
- then the numbers 1 … N, one under the other, right-aligned at a known edge: each number's glyphs as
  shaped (kerning included: "11" is narrower than "12") and its width.

Each body page gets the footer operators of the sample of its size with the glyphs of its own number,
centred on the same point — the operators WeasyPrint writes on a page of the whole document, without
laying out N pages (0.4 s of CPU at the end of a cold build of this document, for a sheet of 0.05 s).
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


def sheet_html(bagian: Bagian, count: int) -> str:
    """The sample pages, portrait then landscape, and the numbers 1 … `count` (see the module)."""
    numbers = "".join(f"<div>{n}</div>" for n in range(1, _typeset(count) + 1))
    # one .isi container, as in the whole document: its page group starts the count at 1 once
    return (
        f"<html lang='{bagian.renstra.identitas.bahasa}'><head><style>{bagian.css()} body {{ margin: 0 }}"
        " div.p { break-after: page; height: 1px }"
        " div.l { page: lanskap; break-after: page; height: 1px }"
        " @page { @top-right { content: none } }"
        f" @page lanskap {{ @bottom-center {{ content: counter(page); font: {_TYPE}; }} }}"
        " @page lembar { size: 100mm 2000mm; margin: 0; @bottom-center { content: none } }"
        f" .lembar {{ page: lembar }} .lembar div {{ width: {EDGE}px; text-align: right; font: {_TYPE} }}"
        "</style></head><body><div class='isi'><div class='p'></div><div class='l'></div></div>"
        f"<div class='lembar'>{numbers}</div></body></html>"
    )


def _typeset(count: int) -> int:
    """How many numbers a sheet for `count` body pages holds: the samples' numbers, 1 and 2, at least."""
    return max(count, 2)


@dataclass
class _Sample:
    """A sample page's footer: its operators, split where the number's start and glyphs go, the centre
    the number is set on, and the page's resources."""

    before: bytes
    between: bytes
    after: bytes
    centre: float
    resources: DictionaryObject


class Stamps:
    """What the laid-out sheet says: each number's glyphs and width, and the two samples."""

    def __init__(self, glyphs: list[bytes], widths: list[float], samples: dict[bool, _Sample]):
        self.glyphs, self.widths, self.samples = glyphs, widths, samples

    @classmethod
    def of(cls, sheet: bytes, count: int) -> Stamps:
        pages = PdfReader(io.BytesIO(sheet)).pages
        runs, type_ = [], None
        for page in pages[2:]:
            for run in _RUN.finditer(page.get_contents().get_data()):
                type_ = (run["font"], run["size"]) if run["font"] else type_
                runs.append((run, type_))
        if len(runs) != _typeset(count):
            raise RuntimeError(
                f"lembar nomor halaman: {len(runs)} nomor tertata, seharusnya {_typeset(count)}"
            )
        widths = [EDGE - float(run["x"]) for run, _ in runs]
        samples = {}
        for landscape, index in ((False, 0), (True, 1)):
            data = pages[index].get_contents().get_data()
            found = list(_RUN.finditer(data))
            number = runs[index]  # the sample pages are numbered 1 and 2
            if len(found) != 1 or (found[0]["font"], found[0]["size"]) != number[1]:
                raise RuntimeError("lembar nomor halaman: huruf nomor berbeda dengan huruf kaki halaman")
            (run,) = found
            samples[landscape] = _Sample(
                data[: run.start("x")],
                data[run.end("x") : run.start("glyphs")],
                data[run.end("glyphs") :],
                float(run["x"]) + widths[index] / 2,
                pages[index]["/Resources"],
            )
        return cls([run["glyphs"] for run, _ in runs], widths, samples)

    def operators(self, number: int, landscape: bool) -> tuple[bytes, DictionaryObject]:
        """The footer of a page of that size with `number` in it, and the resources it names."""
        sample = self.samples[landscape]
        start = sample.centre - self.widths[number - 1] / 2
        data = sample.before + _number(start) + sample.between + self.glyphs[number - 1] + sample.after
        return data, sample.resources


def _number(value: float) -> bytes:
    """A real number as pydyf writes it."""
    return str(int(value)).encode() if value.is_integer() else f"{value:f}".rstrip("0").encode()


def stamp(writer: PdfWriter, first_body: int, sheet: bytes) -> None:
    """Each body page, from `first_body` on, gets its page number (1 on the first): the footer's few
    operators are added after the page's own content, their resources beside the page's under names of
    their own. (pypdf's merge_page would parse and rewrite every page's whole content: half the time of
    joining the PDF.)"""
    pages = writer.pages[first_body:]
    stamps = Stamps.of(sheet, len(pages))
    for number, page in enumerate(pages, 1):
        box = page.mediabox
        data, stamp_resources = stamps.operators(number, landscape=box.width > box.height)
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
