"""Scaffold: instansi, daerah and period → a new Renstra repository that builds at once (`make baru`).

What it writes: the engine, vendored with its version (renstra.scaffold.mesin); the outline of
Permendagri 86/2017 in content/ with a '> Petunjuk:' line under every heading; every T-C table in
data/ as an empty but valid skeleton with a commented example in the period's years; schema/ for that
period; README.md, .ci/run and .gitignore; then `git init` and one commit. The file templates are
data in kerangka/ (Jinja with [[ … ]] delimiters, so that a chapter's own {{ ref("…") }} stays as it is).

Nothing is half-written: the repository is made in a hidden sibling folder, checked (no galat may
remain), committed, and only then renamed to the folder asked for.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

from renstra.check.ejaan import unknown
from renstra.scaffold import mesin
from renstra.scaffold.mesin import MesinError

KERANGKA = Path(__file__).with_name("kerangka")
PENULIS = ("renstra-as-code", "renstra@localhost")  # the first commit's author where git knows nobody
TAHUN_MAKS = 10  # a longer period is a typo (2025-2092), not a plan
_PERIODE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


class TidakDapatDibuat(MesinError):
    """The repository cannot be made as asked (folder taken, period malformed): one message, exit 2."""


@dataclass(frozen=True)
class Permintaan:
    """What `make baru` was asked for."""

    folder: Path
    instansi: str
    daerah: str
    awal: int
    akhir: int
    singkatan: str | None = None


def periode(text: str) -> tuple[int, int]:
    """'AWAL-AKHIR' (two four-digit years) → (awal, akhir), or why not."""
    match = _PERIODE.match(text or "")
    if not match:
        raise TidakDapatDibuat(
            f"PERIODE '{text}' tidak dikenal: tulis tahun awal dan tahun akhir, mis. PERIODE=2025-2029"
        )
    awal, akhir = int(match.group(1)), int(match.group(2))
    if not (2000 <= awal <= akhir <= 2100) or akhir - awal + 1 > TAHUN_MAKS:
        raise TidakDapatDibuat(
            f"PERIODE '{text}' tidak masuk akal: tahun awal tidak boleh setelah tahun akhir, keduanya "
            f"antara 2000 dan 2100, paling lama {TAHUN_MAKS} tahun (mis. PERIODE=2025-2029)"
        )
    return awal, akhir


def permintaan(
    folder: str, instansi: str, daerah: str, periode_teks: str, singkatan: str | None = None
) -> Permintaan:
    """The request checked: every refusal before anything is written."""
    for name, value in (("INSTANSI", instansi), ("DAERAH", daerah), ("SINGKATAN", singkatan or "x")):
        if not value or not value.strip() or re.search(r"[\x00-\x1f\x7f]", value):
            raise TidakDapatDibuat(f"{name} '{value}' tidak valid: tulis satu baris teks")
    awal, akhir = periode(periode_teks)
    target = Path(os.path.abspath(Path(folder).expanduser()))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TidakDapatDibuat(
            f"folder {folder} sudah ada dan tidak kosong: pilih folder baru, mis. DIR=../renstra-baru"
        )
    if not target.parent.is_dir():
        raise TidakDapatDibuat(f"folder induk {target.parent} tidak ada: buat dulu, atau pilih DIR lain")
    return Permintaan(
        target, instansi.strip(), daerah.strip(), awal, akhir, (singkatan or "").strip() or None
    )


def baru(request: Permintaan, engine: Path) -> Path:
    """Make the repository `request` asks for, with the engine at `engine`; returns its folder."""
    work = Path(tempfile.mkdtemp(prefix=f".{request.folder.name}.baru-", dir=request.folder.parent))
    try:
        work.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would make the repository private to its maker
        paths = mesin.berkas_mesin()
        mesin.salin(engine, work, paths)
        mesin.tulis_rekaman(work, mesin.rekaman(engine), paths)
        _write_outline(work, request)
        _must_build(work)
        _commit(work, request)
        if request.folder.exists():  # an empty folder: taken over
            request.folder.rmdir()
        os.rename(work, request.folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return request.folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- the outline and the skeletons ---------------------------------------------------------------


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(KERANGKA),
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown and YAML; YAML strings go through the q filter
    )
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a YAML-safe string
    env.globals["tahunan"] = tahunan
    return env


def tahunan(years, start, step=0, pola: str = "{}") -> str:
    """A per-year map in YAML flow style: tahunan((y1, y2), 80, 1) → '{y1: 80, y2: 81}'."""
    return "{" + ", ".join(f"{y}: {pola.format(start + step * i)}" for i, y in enumerate(years)) + "}"


def _write_outline(work: Path, request: Permintaan) -> None:
    """Render kerangka/ into `work`: dokumen.yaml first, so that the rest is written from its identity."""
    from renstra.document.identity import identitas, nama_daerah
    from renstra.pipeline import schemas
    from renstra.source.load import load_dokumen

    env = _env()
    context = {
        "instansi": request.instansi,
        "daerah": request.daerah,
        "singkatan": request.singkatan,
        "awal": request.awal,
        "akhir": request.akhir,
        "tempat": nama_daerah(request.daerah),
        "dokumen_induk": "RPJMD",
        # names the spelling check would flag: the new repository's word list starts with them
        "kata": unknown(" ".join(filter(None, (request.instansi, request.daerah, request.singkatan)))),
    }
    templates = sorted(p.relative_to(KERANGKA).as_posix() for p in KERANGKA.rglob("*.j2"))
    dokumen = "data/dokumen.yaml.j2"
    _render(env, dokumen, work, context)
    document, period = load_dokumen(work)
    context |= {
        "identitas": identitas(document),
        "tahun": period.tahun,
        "tahun_historis": period.tahun_historis,
        "tahun_dasar": period.tahun_dasar,
        "jumlah_tahun": len(period.tahun),
        "periode": f"{request.awal}–{request.akhir}",
    }
    for name in templates:
        if name != dokumen:
            _render(env, name, work, context)
    (work / ".ci" / "run").chmod(0o755)
    schemas(work)


def _render(env: jinja2.Environment, name: str, work: Path, context: dict) -> None:
    target = work / name.removesuffix(".j2")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(env.get_template(name).render(context), encoding="utf-8")


def _must_build(work: Path) -> None:
    """A new repository must pass `build.py check` without galat: anything else is a bug of ours."""
    from renstra.pipeline import inspect
    from renstra.problems import GALAT

    errors = [p for p in inspect(work) if p.level == GALAT]
    if errors:
        raise RuntimeError("kerangka baru tidak lolos pemeriksaan: " + "; ".join(map(str, errors[:5])))


# --- git -----------------------------------------------------------------------------------------


def _commit(work: Path, request: Permintaan) -> None:
    """`git init` and one commit; the author is git's own where it knows one, else renstra-as-code."""
    mesin.run_git(["init", "--quiet", "--initial-branch=main"], work)
    env = dict(os.environ)
    for kind, fallback in (("name", PENULIS[0]), ("email", PENULIS[1])):
        if mesin.run_git(["config", "--get", f"user.{kind}"], work, check=False).stdout.strip():
            continue
        for role in ("AUTHOR", "COMMITTER"):
            env.setdefault(f"GIT_{role}_{kind.upper()}", fallback)
    mesin.run_git(["add", "--all"], work)
    message = (
        f"Renstra {request.instansi} {request.daerah} {request.awal}-{request.akhir}: kerangka baru "
        "(make baru)"
    )
    run = subprocess.run(
        [
            "git",
            "-C",
            str(work),
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    if run.returncode != 0:
        raise TidakDapatDibuat(f"git commit gagal: {mesin.last_line(run.stderr)}")
