"""The document's identity as printed: cover lines, running header, metadata and output file names,
derived from data/dokumen.yaml (instansi, daerah, periode) unless the data says otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from slugify import slugify

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
    penetapan: Penetapan
    penandatangan: Penandatangan

    @property
    def alamat_sampul(self) -> list[str]:
        """The cover's address lines: address and telephone, then fax and e-mail, whichever are given."""
        lines = [
            [self.alamat, self.telepon and f"Telp. {self.telepon}"],
            [self.faks and f"Fax. {self.faks}", self.email and f"E-Mail: {self.email}"],
        ]
        return [" ".join(p for p in parts if p) for parts in lines if any(parts)]

    @property
    def tahun(self) -> str:
        """As the cover prints the period: <awal>-<akhir>, or the one year of a one-year plan."""
        if self.periode_awal == self.periode_akhir:
            return str(self.periode_awal)
        return f"{self.periode_awal}-{self.periode_akhir}"


def nama_daerah(daerah: str) -> str:
    """The daerah's own name: 'Kabupaten Contoh' → 'Contoh' (what the cover's foot prints)."""
    return next((daerah[len(j) :] for j in _JENIS_DAERAH if daerah.startswith(j)), daerah)


def identitas(dokumen: Dokumen) -> Identitas:
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
        nama_berkas=nama_berkas,
        bahasa=dokumen.bahasa,
        periode_awal=awal,
        periode_akhir=akhir,
        alamat=dokumen.alamat,
        telepon=dokumen.telepon,
        faks=dokumen.faks,
        email=dokumen.email,
        penetapan=dokumen.penetapan,
        penandatangan=dokumen.penandatangan,
    )
