"""Markdown → HTML fragments with pandoc, one process per chapter, run side by side.

pandoc reads no file and no URL (`--sandbox`) and takes no raw HTML from the text.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypandoc

_PANDOC_ARGS = [
    "--from=markdown-raw_html-raw_attribute-citations+fancy_lists+startnum",
    "--to=html5",
    "--sandbox",
    "--wrap=none",
    "--section-divs=false",
]


def start_markdown_to_html(texts: list[str]) -> Callable[[], list[str]]:
    """One pandoc per text, started now in parallel threads (pandoc is a separate process); the call
    returned waits for the HTML, and raises what pandoc raised. Never waited for (a galat found
    meanwhile), the processes end on their own."""
    pandoc = pypandoc.get_pandoc_path()

    def convert(text: str) -> str:
        result = subprocess.run(
            [pandoc, *_PANDOC_ARGS], input=text.encode("utf-8"), capture_output=True, check=True, timeout=120
        )
        return result.stdout.decode("utf-8")

    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="renstra-pandoc")
    jobs = [pool.submit(convert, text) for text in texts]
    pool.shutdown(wait=False)

    def result() -> list[str]:
        return [job.result() for job in jobs]

    return result


_IMG = re.compile(r'(<img\b[^>]*?\bsrc=")([^":]+)(")')


def anchor_images(html: str, content: Path) -> str:
    """An image is named relative to content/ (as check resolves it): every renderer gets its file URI,
    so the PDF and the DOCX find the same file check vouched for, wherever the build runs from."""
    return _IMG.sub(lambda m: m.group(1) + (content / m.group(2)).resolve().as_uri() + m.group(3), html)
