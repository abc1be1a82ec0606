"""Same commit, same bytes: one timestamp for everything a build stamps (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import zipfile
from pathlib import Path


def source_date_epoch(root: Path, fallback: datetime.date) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last git commit, else the date of penetapan."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        if out.isdigit():
            return int(out)
    except (OSError, subprocess.SubprocessError):
        pass
    return int(datetime.datetime.combine(fallback, datetime.time(), datetime.UTC).timestamp())


def pin_build_time(root: Path, fallback: datetime.date) -> int:
    """Export SOURCE_DATE_EPOCH so fontTools (font subsets), pandoc and our own stamps agree."""
    epoch = source_date_epoch(root, fallback)
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    return epoch


def iso(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_zip(data: bytes, epoch: int) -> bytes:
    """Rewrite a ZIP (DOCX) with every entry dated `epoch` and fixed attributes, entries in their order."""
    stamp = datetime.datetime.fromtimestamp(max(epoch, 315532800), datetime.UTC).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, source.read(item.filename), compresslevel=9)
    return out.getvalue()
