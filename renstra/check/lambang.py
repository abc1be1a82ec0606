"""The cover's lambang daerah: named in the document's identity, a PNG or JPEG inside content/.

Not set, not found or unreadable is a peringatan at `lambang` (at the top of the identity file when the
line is missing): the document builds, with a cover without lambang. A file outside the tree is a galat,
as for a chapter's image.
"""

from __future__ import annotations

from collections.abc import Iterator

from renstra.check.base import at
from renstra.document.identity import periksa_lambang
from renstra.document.resolve import Renstra
from renstra.problems import Problem


def check(renstra: Renstra) -> Iterator[Problem]:
    target = renstra.dokumen.lambang
    found = periksa_lambang(renstra.source.root, target, renstra.dokumen.daerah)
    if found is None:
        return
    level, message, hint = found
    if target is None:
        yield Problem(renstra.source.path_of("dokumen"), 1, 1, level, message, hint)
    else:
        yield at(renstra, "dokumen", ("lambang",), level, message, hint)
