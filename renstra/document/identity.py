"""The document's identity as printed: cover lines, running header, metadata and output file names,
derived from data/dokumen.yaml (instansi, daerah, periode) unless the data says otherwise."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from renstra.document.numbers import tanggal
from renstra.problems import GALAT, PERINGATAN
from renstra.source.models import Dokumen, Penandatangan, Penetapan

_JENIS_DAERAH = ("Kabupaten ", "Kota ", "Provinsi ")


@dataclass(frozen=True)
class Identitas:
    instansi: str  # Dinas Komunikasi dan Informatika
    daerah: str  # Kabupaten Contoh
    pemerintah: str  # PEMERINTAH KABUPATEN CONTOH
    judul: str  # RENCANA STRATEGIS <INSTANSI> <DAERAH>
    judul_singkat: str  # running header
    judul_lengkap: str  # title metadata: judul TAHUN <awal>-<akhir>
    penulis: str  # author metadata
    kota: str  # the cover's foot
    nama_berkas: str  # output/<nama_berkas>.pdf
    bahasa: str
    periode_awal: int
    periode_akhir: int
    alamat: str | None
    telepon: str | None
    faks: str | None
    email: str | None
    penetapan: Penetapan  # the document as signed
    penandatangan: Penandatangan  # who signs this edition
    edisi: str = "perbaikan"  # tercetak: the text as signed; perbaikan: the data with its corrections
    nama_edisi: str | None = None  # "Edisi Perbaikan", printed under the cover's year
    tempat_ttd: str = ""  # where this edition is signed
    tanggal_ttd: datetime.date | None = None  # when; None while the corrected edition awaits signing
    dasar_hukum: str | None = None  # what sets this edition

    @property
    def tanggal_tanda_tangan(self) -> str:
        """The signature's date as printed ('2 Mei <year>'), or a dotted blank to be filled in by hand."""
        return tanggal(self.tanggal_ttd) if self.tanggal_ttd else TITIK_TANGGAL

    @property
    def alamat_sampul(self) -> list[str]:
        """The cover's address lines: address and telephone, then fax and e-mail, whichever are given."""
        lines = [
            [self.alamat, self.telepon and f"Telp. {self.telepon}"],
            [self.faks and f"Fax. {self.faks}", self.email and f"E-Mail: {self.email}"],
        ]
        return [" ".join(p for p in parts if p) for parts in lines if any(parts)]

    @property
    def nip(self) -> str | None:
        """The signer's NIP as printed under the name, 19700101 199503 1 001, however the data spaced it."""
        digits = (self.penandatangan.nip or "").replace(" ", "")
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}" if digits else None

    @property
    def tahun(self) -> str:
        """As the cover prints the period: <awal>-<akhir>, or the one year of a one-year plan."""
        if self.periode_awal == self.periode_akhir:
            return str(self.periode_awal)
        return f"{self.periode_awal}-{self.periode_akhir}"


def nama_daerah(daerah: str) -> str:
    """The daerah's own name: 'Kabupaten Contoh' → 'Contoh' (what the cover's foot prints)."""
    return next((daerah[len(j) :] for j in _JENIS_DAERAH if daerah.startswith(j)), daerah)


TITIK_TANGGAL = "……………………"  # a date to be written in when signed, as drafts print it


def edisi_bawaan(dokumen: Dokumen) -> str:
    """The edition `make pdf` builds: the corrected one when data/dokumen.yaml describes it."""
    return "perbaikan" if dokumen.edisi else "tercetak"


def identitas(dokumen: Dokumen, edisi: str | None = None) -> Identitas:
    awal, akhir = dokumen.periode_awal, dokumen.periode_akhir
    periode = str(awal) if awal == akhir else f"{awal}–{akhir}"
    kota = dokumen.kota or nama_daerah(dokumen.daerah).upper()
    judul = dokumen.judul or f"RENCANA STRATEGIS {dokumen.instansi} {dokumen.daerah}".upper()
    nama_berkas = dokumen.nama_berkas or slugify(
        f"renstra {dokumen.singkatan or dokumen.instansi} {kota} {periode}"
    )
    return Identitas(
        instansi=dokumen.instansi,
        daerah=dokumen.daerah,
        pemerintah=dokumen.pemerintah or f"PEMERINTAH {dokumen.daerah}".upper(),
        judul=judul,
        judul_singkat=dokumen.judul_singkat or f"Renstra {dokumen.instansi} {dokumen.daerah} {periode}",
        judul_lengkap=f"{judul} TAHUN {periode.replace('–', '-')}",
        penulis=f"{dokumen.instansi} {dokumen.daerah}",
        kota=kota,
        bahasa=dokumen.bahasa,
        periode_awal=awal,
        periode_akhir=akhir,
        alamat=dokumen.alamat,
        telepon=dokumen.telepon,
        faks=dokumen.faks,
        email=dokumen.email,
        penetapan=dokumen.penetapan,
        **_edisi(dokumen, edisi or edisi_bawaan(dokumen), nama_berkas),
    )


def _edisi(dokumen: Dokumen, edisi: str, nama_berkas: str) -> dict:
    """Signature, file name and edition line of the edition built. The signed edition prints the
    penetapan's place, date and signer; the corrected one its own (its signer by default the same).
    An edition other than the document's own says so in its file name: …-tercetak-<year>."""
    signed = dokumen.penetapan
    suffix = ""
    if edisi != edisi_bawaan(dokumen):
        suffix = f"-tercetak-{signed.tanggal.year}" if edisi == "tercetak" else "-perbaikan"
    if edisi == "tercetak" or dokumen.edisi is None:
        return {
            "penandatangan": dokumen.penandatangan,
            "edisi": edisi,
            "tempat_ttd": signed.tempat,
            "tanggal_ttd": signed.tanggal if edisi == "tercetak" else None,
            "nama_berkas": nama_berkas + suffix,
            "nama_edisi": None if edisi == "tercetak" else "Edisi Perbaikan",
        }
    own = dokumen.edisi
    return {
        "penandatangan": own.penandatangan or dokumen.penandatangan,
        "edisi": edisi,
        "tempat_ttd": own.tempat or signed.tempat,
        "tanggal_ttd": own.tanggal,
        "dasar_hukum": own.dasar_hukum,
        "nama_berkas": nama_berkas + suffix,
        "nama_edisi": own.nama,
    }


# --- the cover's lambang ---------------------------------------------------------------------------

LAMBANG_FORMAT = ("PNG", "JPEG")  # what WeasyPrint, pandoc's DOCX and every browser show alike


def periksa_lambang(root: Path, target: str | None, daerah: str) -> tuple[str, str, str] | None:
    """What keeps the cover's lambang from being printed, as (level, message, hint); None when it can be.

    Named relative to content/, as chapter images are: a file outside the tree is a galat (the renderers
    would refuse it); a lambang not set, not found or not a readable PNG/JPEG is a peringatan, and the
    cover is printed without it."""
    contoh = f"gambar/{slugify(f'lambang {daerah}')}.png"
    simpan = (
        f"simpan lambang daerah, PNG atau JPEG berlatar transparan, di content/gambar/ dan tulis jalurnya "
        f"di data/dokumen.yaml, mis. 'lambang: {contoh}'"
    )
    if target is None:
        return PERINGATAN, "lambang daerah untuk sampul belum diisi", simpan
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
        return GALAT, f"lambang '{target}' diambil dari luar repositori", simpan
    content = (root / "content").resolve()
    path = (content / target).resolve()
    if content not in path.parents:
        where = "repositori" if root.resolve() not in path.parents else "folder content/"
        return GALAT, f"lambang '{target}' berada di luar {where}", simpan
    if not path.is_file():
        return PERINGATAN, f"berkas lambang 'content/{target}' tidak ditemukan", simpan
    kind = _image_format(path)
    if kind not in LAMBANG_FORMAT:
        found = f"berformat {kind}" if kind else "tidak dapat dibaca sebagai gambar"
        return (
            PERINGATAN,
            f"berkas lambang 'content/{target}' {found}",
            "simpan lambangnya sebagai PNG atau JPEG",
        )
    return None


def berkas_lambang(root: Path, target: str | None) -> Path | None:
    """The lambang's file when it can be printed (see periksa_lambang), else None: no lambang on the cover."""
    if periksa_lambang(root, target, "") is not None:
        return None
    return (root / "content" / target).resolve()


def _image_format(path: Path) -> str | None:
    """'PNG', 'JPEG', … as Pillow reads the file whole; None when it is not an image it can decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind = image.format
            image.load()
        return kind
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
