"""Images inside the output: every file: image of the HTML becomes a data: URI.

WeasyPrint names an image after the md5 of its URL, so a file: URL would put the repository's absolute
path into the PDF's bytes: a chapter laid out in one clone and taken from the cache in another would
differ from a cold build, and a chapter whose image changed but whose HTML did not would be taken
from the cache stale. With the bytes in the HTML, the cache key covers them and the PDF is the same
wherever the repository stands. pandoc (--sandbox) and the browser preview need the same.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from renstra.problems import RenstraError, galat

_FILE_URL = re.compile(r'(\bsrc=")(file:[^"]+)(")')


def data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def embed_images(html: str, root: Path) -> str:
    """Every file: image as a data: URI; only files inside the repository (check has vouched for them;
    this is the second wall)."""
    inside = root.resolve()

    def embed(match: re.Match) -> str:
        path = Path(unquote(urlparse(match.group(2)).path)).resolve()
        if inside not in path.parents or not path.is_file():
            raise RenstraError(
                [galat("content/", 1, 1, f"gambar di luar repositori ditolak: {match.group(2)}")]
            )
        return match.group(1) + data_uri(path) + match.group(3)

    return _FILE_URL.sub(embed, html)
