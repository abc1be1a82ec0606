"""The Jinja2 environment for the project's own templates (templates/): HTML, CSS, SVG, reports.

Autoescape on and StrictUndefined: a misspelled field is an error, not a blank in a signed document.
Chapters are not templates of this kind: they are expanded in a sandbox (renstra.document.chapters).
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup


def css_string(value: str) -> Markup:
    """Text inside a CSS string ("…"): quotes, backslashes and line breaks escaped the CSS way,
    not as HTML."""
    escaped = re.sub(r'[\\"\n\r<>&]', lambda m: f"\\{ord(m.group(0)):x} ", str(value))
    return Markup(escaped)


_GARIS_MIRING = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")


def patah_garis_miring(value: str) -> str:
    """A zero-width space after a slash between two letters ("Pemeliharaan/Rehabilitasi"): the line
    may break there in LibreOffice too, as it does in Word and the PDF, instead of inside a word."""
    return _GARIS_MIRING.sub("/\u200b", str(value))


def template_env(root: Path) -> jinja2.Environment:
    """Jinja2 for the files in templates/ of the repository at `root`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )
    env.filters["css_string"] = css_string
    env.filters["patah_garis_miring"] = patah_garis_miring
    return env
