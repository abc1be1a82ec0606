"""The leader dots of the lists: drawn a few at a time, each where WeasyPrint placed it alone."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.layout import inline
from weasyprint.text.fonts import FontConfiguration

from renstra.render import pdf, titik_pandu  # noqa: F401  (pdf: what every layout registers)

FONT = Path(__file__).resolve().parents[1] / "fonts" / "LiberationSans-Regular.ttf"

_ROWS = [("KATA PENGANTAR", "i"), ("BAB I PENDAHULUAN", "1"), ("1.1 Latar Belakang", "12")] + [
    (f"{n}.{m} Subbab yang judulnya {'panjang ' * m}sekali", str(10 * n + m))
    for n in range(2, 6)
    for m in range(4)
]


def _list(leader: str = '"."') -> bytes:
    rows = "".join(f'<li><span>{t}</span><span data-n="{n}"></span></li>' for i, (t, n) in enumerate(_ROWS))
    css = (
        f"@font-face {{ font-family: Huruf; src: url({FONT.as_uri()}) }}"
        "@page { size: A4; margin: 2cm } body { font: 12pt Huruf } li { list-style: none }"
        f" li span::after {{ content: leader({leader}) attr(data-n) }}"
    )
    fonts = FontConfiguration()
    return HTML(string=f"<style>{css}</style><ul>{rows}</ul>").write_pdf(font_config=fonts)


def _chars(data: bytes) -> list[tuple]:
    with pdfplumber.open(io.BytesIO(data)) as document:
        chars = [c for page in document.pages for c in page.chars]
    return sorted((round(c["top"], 1), c["x0"], c["text"], round(c["size"], 6)) for c in chars)


def _text_objects(data: bytes) -> int:
    return sum(page.get_contents().get_data().count(b"TJ") for page in PdfReader(io.BytesIO(data)).pages)


def _each_alone(monkeypatch) -> None:
    monkeypatch.setattr(inline, "handle_leader", titik_pandu._HANDLE_LEADER)


def test_the_dots_stand_where_they_stood_each_alone_and_are_drawn_a_few_at_a_time(monkeypatch):
    assert inline.handle_leader is titik_pandu.handle_leader  # registered wherever the PDF is laid out
    runs = _list()
    with monkeypatch.context() as alone:
        _each_alone(alone)
        single = _list()
    ours, theirs = _chars(runs), _chars(single)
    assert len(ours) == len(theirs) and sum(c[2] == "." for c in theirs) > 500
    for mine, one in zip(ours, theirs):
        assert (mine[0], mine[2], mine[3]) == (one[0], one[2], one[3])
        assert abs(mine[1] - one[1]) < 0.02  # points: a run places its dots to 1/1000 em, as all text
    assert _text_objects(runs) * titik_pandu.RUN // 2 < _text_objects(single)


def test_a_leader_of_more_than_one_character_is_left_as_weasyprint_draws_it(monkeypatch):
    runs = _list('". "')
    with monkeypatch.context() as alone:
        _each_alone(alone)
        single = _list('". "')
    assert _chars(runs) == _chars(single)
    assert _text_objects(runs) == _text_objects(single)
