"""The document model: one typed class per kind of data file, validated by pydantic.

Field descriptions are in Bahasa Indonesia because they become the JSON Schema that editors show
while a planner types YAML. Derived values (totals, Akhir Periode, counts) are properties, never fields.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)

RP_MAKS = 10_000_000_000_000  # Rp10 triliun: anything above is a typo, not a budget line
# No target, capaian or index comes near 10^15; beyond is a slipped exponent (1.0e+40) that passed
# validation and then broke sums and formatting later in the build.
ANGKA_MAKS = 10**15


class Model(BaseModel):
    """Base: unknown keys are errors, no silent type coercion ("1.000.000" stays a string, and fails)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    _loc: tuple = PrivateAttr(default=())  # path of this node inside its YAML file, set by the loader


# --- scalar types -------------------------------------------------------------------------------

Rupiah = Annotated[int, Field(ge=0, le=RP_MAKS, description="Rupiah, bilangan bulat tanpa pemisah ribuan")]
Teks = Annotated[str, Field(min_length=1)]


def _angka(value):
    """Accept an int or a decimal of sane size; YAML floats arrive as Decimal from the loader."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"harus angka, ditemukan {_jenis(value)}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"harus angka terhingga, ditemukan {number}")
    if number.copy_abs() > ANGKA_MAKS:  # copy_abs, not abs(): no context, so 1E+999999999 cannot overflow
        batas = f"{ANGKA_MAKS:,}".replace(",", ".")
        raise ValueError(
            f"terlalu besar: {number} melebihi batas {batas}"
            if number > 0
            else f"terlalu kecil: {number} di bawah batas -{batas}"
        )
    return number


def _jenis(value) -> str:
    names = {
        str: "teks",
        int: "bilangan bulat",
        Decimal: "angka desimal",
        list: "daftar",
        dict: "pemetaan",
        type(None): "kosong (null)",
        bool: "ya/tidak",
    }
    shown = f" {value!r}" if isinstance(value, (str, int, Decimal)) else ""
    return names.get(type(value), type(value).__name__) + shown


Angka = Annotated[Decimal, BeforeValidator(_angka)]


class Berpredikat(Model):
    """Angka dengan predikat, mis. 60 (B-)."""

    nilai: Angka = Field(description="Nilai angka")
    predikat: Teks = Field(description="Predikat yang dicetak dalam kurung, mis. B- atau Baik")


def _target(value):
    if value is None or isinstance(value, dict):
        return value
    return _angka(value)


# A target or capaian: a number, null (N/A) or a number with a predikat.
Target = Annotated[Optional[Union[Berpredikat, Decimal]], BeforeValidator(_target)]


def _sel_historis(value):
    if value is None or isinstance(value, str):
        return value
    return _angka(value)


# A cell of the historical tables TC-23/TC-24: number, null (N/A) or text as printed.
SelHistoris = Annotated[Optional[Union[Decimal, str]], BeforeValidator(_sel_historis)]


def _tahun(kind: str):
    """The years of a per-year map must be exactly the period's (or its historical years): the
    period reaches validation as context from the loader (data/dokumen.yaml)."""

    def check(value: dict, info: ValidationInfo) -> dict:
        periode = (info.context or {}).get("periode")
        if periode is None:  # validated outside a document (schema generation): no period to hold it to
            return value
        expected = periode.tahun if kind == "renstra" else periode.tahun_historis
        missing = [str(t) for t in expected if t not in value]
        extra = [str(t) for t in value if t not in expected]
        if missing or extra:
            parts = ([f"tahun {', '.join(missing)} belum diisi"] if missing else []) + (
                [f"tahun {', '.join(extra)} di luar periode"] if extra else []
            )
            raise ValueError("; ".join(parts) + f" (harus tepat {', '.join(map(str, expected))})")
        return value

    return AfterValidator(check)


# The JSON Schema marks per-year maps; renstra.source.schema writes the period's years in their place.
_TAHUN_RENSTRA = Field(json_schema_extra={"x-tahun": "renstra"})
_TAHUN_HISTORIS = Field(json_schema_extra={"x-tahun": "historis"})
PaguTahunan = Annotated[dict[int, Rupiah], _tahun("renstra"), _TAHUN_RENSTRA]
TargetTahunan = Annotated[dict[int, Target], _tahun("renstra"), _TAHUN_RENSTRA]
HistorisTahunan = Annotated[dict[int, SelHistoris], _tahun("historis"), _TAHUN_HISTORIS]

SATUAN_TINGKAT = ("persen", "%", "angka", "indeks", "nilai")


Slug = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Id pendek huruf kecil, mis. ikm")
]


# --- dokumen ------------------------------------------------------------------------------------


class Penetapan(Model):
    tempat: Teks = Field(description="Tempat penetapan (kota tempat dokumen ditandatangani)")
    tanggal: datetime.date = Field(description="Tanggal penetapan, format YYYY-MM-DD")


class Penandatangan(Model):
    jabatan: Teks = Field(description="Jabatan penandatangan, mis. SEKRETARIS DAERAH")
    nama: Optional[Teks] = Field(
        None, description="Nama lengkap dengan gelar (boleh kosong selama naskah disusun: dicetak kosong)"
    )
    pangkat: Optional[Teks] = Field(None, description="Pangkat/golongan (jika dicetak)")
    nip: Optional[Annotated[str, Field(pattern=r"^\d{8} ?\d{6} ?\d ?\d{3}$")]] = Field(
        None, description="NIP 18 digit (jika dicetak)"
    )


class TataLetak(Model):
    kertas: Literal["A4", "F4"] = Field("A4", description="Ukuran kertas: A4 atau F4 (215 × 330 mm)")
    huruf: Literal["sans", "serif"] = Field(
        "sans", description="sans = Liberation Sans (metrik Arial); serif = TeX Gyre Bonum (metrik Bookman)"
    )


class Edisi(Model):
    """Edisi perbaikan: dokumen dengan koreksi (data/errata.yaml), ditandatangani lagi."""

    nama: Teks = Field("Edisi Perbaikan", description="Nama edisi seperti dicetak")
    tempat: Optional[Teks] = Field(None, description="Tempat penandatanganan (bawaan: tempat penetapan)")
    tanggal: Optional[datetime.date] = Field(
        None, description="Tanggal penandatanganan edisi ini (kosong selama belum ditandatangani)"
    )
    dasar_hukum: Optional[Teks] = Field(
        None, description="Dasar penetapan edisi ini, mis. Keputusan Bupati Nomor … tentang …"
    )
    penandatangan: Optional[Penandatangan] = Field(
        None, description="Penandatangan edisi ini (bawaan: penandatangan dokumen yang ditetapkan)"
    )


class Bab(Model):
    berkas: Teks = Field(description="Nama berkas di content/, mis. 01-pendahuluan.md")
    nomor: Optional[Teks] = Field(
        None, description="Nomor bab romawi (I … VIII); kosong untuk Kata Pengantar"
    )


class Dokumen(Model):
    """Identitas dokumen: sampul, kepala halaman, metadata, nama berkas, tanda tangan dan urutan bab.

    Judul, judul singkat, pemerintah, kota dan nama berkas diturunkan dari instansi, daerah dan
    periode; isi hanya bila dokumen mencetaknya lain."""

    instansi: Teks = Field(description="Nama perangkat daerah, mis. Dinas Komunikasi dan Informatika")
    daerah: Teks = Field(description="Pemerintah daerahnya, mis. Kabupaten Contoh atau Kota Contoh")
    singkatan: Optional[Teks] = Field(
        None, description="Singkatan instansi untuk nama berkas, mis. Diskominfo (bawaan: nama instansi)"
    )
    periode_awal: int = Field(ge=2000, le=2100, description="Tahun pertama Renstra")
    periode_akhir: int = Field(ge=2000, le=2100, description="Tahun terakhir Renstra")
    tahun_dasar: Optional[int] = Field(
        None,
        ge=1990,
        le=2100,
        description="Tahun kondisi/capaian awal (bawaan: dua tahun sebelum periode_awal)",
    )
    tahun_historis: Optional[list[Annotated[int, Field(ge=1990, le=2100)]]] = Field(
        None,
        min_length=1,
        description="Tahun yang dilaporkan TC-23/TC-24 (bawaan: lima tahun sebelum periode_awal)",
    )
    judul: Optional[Teks] = Field(
        None, description="Judul pada sampul (bawaan: RENCANA STRATEGIS <INSTANSI> <DAERAH>)"
    )
    judul_singkat: Optional[Teks] = Field(
        None, description="Kepala halaman (bawaan: Renstra <Instansi> <Daerah> <awal>–<akhir>)"
    )
    pemerintah: Optional[Teks] = Field(None, description="Baris atas sampul (bawaan: PEMERINTAH <DAERAH>)")
    kota: Optional[Teks] = Field(
        None, description="Kota pada kaki sampul (bawaan: nama daerah tanpa Kabupaten/Kota)"
    )
    lambang: Optional[Teks] = Field(
        None,
        description="Lambang daerah pada sampul: berkas PNG atau JPEG di content/, jalurnya relatif terhadap "
        "content/, mis. gambar/lambang-kabupaten-contoh.png",
    )
    nama_berkas: Optional[Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]] = Field(
        None, description="Nama berkas keluaran tanpa akhiran (bawaan: renstra-<singkatan>-<kota>-<periode>)"
    )
    bahasa: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")] = Field(
        "id", description="Bahasa dokumen untuk metadata PDF/DOCX (BCP 47), mis. id"
    )
    alamat: Optional[Teks] = None
    telepon: Optional[Teks] = None
    faks: Optional[Teks] = None
    email: Optional[Teks] = None
    penetapan: Penetapan
    penandatangan: Penandatangan
    edisi: Optional[Edisi] = Field(
        None,
        description="Edisi perbaikan yang dibangun `make pdf`; kosong: dokumen dicetak seperti ditetapkan "
        "(koreksi di data/errata.yaml dibalik)",
    )
    dokumen_induk: Literal["RPJMD", "RPD"] = Field(
        "RPJMD",
        description="Rencana daerah yang dijabarkan Renstra ini: RPJMD, atau RPD (daerah tanpa kepala "
        "daerah hasil pilkada)",
    )
    gambar: dict[Slug, Teks] = Field(
        {},
        description="Judul gambar menurut id; gambarnya templates/gambar/<id>.svg.j2, ditempatkan "
        'dengan gambar("id")',
    )
    tata_letak: TataLetak = TataLetak()
    bab: list[Bab] = Field(min_length=1, description="Urutan berkas bab di content/")


# --- shared table header ------------------------------------------------------------------------


class Tabel(Model):
    jenis: str = Field(description="Jenis tabel: menentukan bentuk berkas dan tampilannya, mis. tc27")
    judul: Teks = Field(description="Judul tabel tanpa nomor (nomor diberikan saat build)")
    kode_tc: Optional[Annotated[str, Field(pattern=r"^TC-\d{2}$")]] = Field(
        None, description="Kode format Permendagri 86/2017, mis. TC-27"
    )
    sumber: Optional[Teks] = Field(None, description="Catatan sumber data di bawah tabel")


# --- simple tables (jenis: sederhana) -------------------------------------------------------------
# A table whose columns, group rows, total row and number formats are declared in its own file. The
# declaration is validated here; its rows are validated by the loader in a second pass, against a row
# model built from `kolom` (renstra/source/sederhana.py), so that every galat keeps its place.

IdKolom = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description="Id kolom: huruf kecil, angka dan garis bawah, mis. eselon_ii; "
        "dipakai sebagai kunci di baris",
    ),
]
FORMAT_KOLOM = ("teks", "bilangan", "angka", "rupiah", "daftar", "nomor")
FORMAT_ANGKA = ("bilangan", "angka", "rupiah")
KELOMPOK = "kelompok"  # the key of a group row; no column may be called so


def _total_kolom(value):
    if value is False or (isinstance(value, str) and value):
        return value
    raise ValueError(
        f"harus teks yang dicetak di baris total, atau false (tanpa total), ditemukan {_jenis(value)}"
    )


class Kolom(Model):
    """Satu kolom tabel sederhana: judulnya, format angkanya, dan cara baris total mengisinya."""

    id: IdKolom
    judul: Teks = Field(description="Judul kolom seperti dicetak di kepala tabel")
    format: Optional[Literal["teks", "bilangan", "angka", "rupiah", "daftar", "nomor"]] = Field(
        None,
        description="teks (bawaan); bilangan: bilangan bulat ≥ 0; angka: desimal; rupiah: Rupiah bulat; "
        "daftar: daftar teks bernomor dalam sel; nomor: nomor baris, diturunkan. "
        "Kolom dengan rumus: bawaan bilangan",
    )
    kelompok: Optional[Teks] = Field(
        None,
        description="Judul kelompok di atas judul kolom; kolom berurutan dengan kelompok sama "
        "berbagi satu sel kepala",
    )
    lebar: Optional[Annotated[Angka, Field(gt=0)]] = Field(
        None, description="Lebar relatif kolom, mis. 26; isi untuk semua kolom atau tidak sama sekali"
    )
    rumus: Optional[list[IdKolom]] = Field(
        None,
        min_length=1,
        description="Kolom turunan: jumlah kolom-kolom angka yang disebut (yang ditulis sebelumnya); "
        "tidak diketik di baris",
    )
    satuan: Optional[Teks] = Field(None, description="Satuan di belakang angka, mis. unit: '44 unit'")
    satuan_narasi: Optional[Teks] = Field(
        None,
        description="Kata sesudah angka total kolom ini bila dikutip narasi, mis. orang; bawaan: satuan",
    )
    kosong: Optional[str] = Field(
        None,
        description="Teks yang dicetak untuk sel kosong (null atau tidak ditulis), mis. '-'; "
        "tanpa ini setiap baris wajib mengisi kolom ini",
    )
    rata: Optional[Literal["kiri", "tengah", "kanan"]] = Field(
        None, description="Perataan sel; bawaan: angka rata kanan, nomor di tengah, teks rata kiri"
    )
    total: Optional[Annotated[Union[Literal[False], Teks], BeforeValidator(_total_kolom)]] = Field(
        None,
        description="Isi kolom ini di baris total: bawaan jumlah kolom untuk kolom angka; "
        "teks untuk mencetak teks itu (mis. bah/set/bidang); false untuk sel kosong",
    )

    @property
    def bentuk(self) -> str:
        """The format in effect: teks by default, bilangan for a sum."""
        return self.format or ("bilangan" if self.rumus else "teks")

    @property
    def turunan(self) -> bool:
        """Derived at build time (a sum or the row number): never typed in a row."""
        return bool(self.rumus) or self.bentuk == "nomor"

    @property
    def dijumlah(self) -> bool:
        """Summed in the total row."""
        return self.bentuk in FORMAT_ANGKA and self.total is None


class TotalTabel(Model):
    label: Teks = Field(description="Teks di awal baris total, mis. JUMLAH; juga kunci baris itu di errata")


class BarisKelompok(Model):
    """A group row: one cell across the whole width."""

    kelompok: Teks = Field(description="Judul kelompok yang dicetak selebar tabel")


class TabelSederhana(Tabel):
    """Tabel sederhana: kolom, baris kelompok, baris total dan format angkanya ditulis di berkas ini."""

    jenis: Literal["sederhana"]
    ukuran: Optional[Literal["sedang", "lebar"]] = Field(
        None, description="sedang: huruf lebih kecil (8 pt); lebar: huruf kecil, kolom tetap; kosong: biasa"
    )
    kunci: Optional[IdKolom] = Field(
        None,
        description="Kolom teks yang menjadi kunci baris (untuk errata dan perbandingan versi); "
        "bawaan: kolom teks pertama",
    )
    kolom: list[Kolom] = Field(min_length=1, description="Kolom tabel, urut dari kiri")
    total: Optional[TotalTabel] = Field(
        None, description="Baris total di bawah tabel; kosong: tanpa baris total"
    )
    baris: list[dict[str, Any]] = Field(
        description="Baris tabel: 'id kolom: nilai' untuk setiap kolom yang tidak diturunkan, "
        "atau 'kelompok: judul' untuk baris kelompok",
    )

    @property
    def kolom_kunci(self) -> str | None:
        if self.kunci:
            return self.kunci
        return next((k.id for k in self.kolom if k.bentuk == "teks" and not k.turunan), None)

    def kolom_bernama(self, kolom_id: str) -> Kolom:
        return next(k for k in self.kolom if k.id == kolom_id)

    @property
    def baris_data(self) -> list:
        """The rows that carry values (not group rows), in order."""
        return [b for b in self.baris if not isinstance(b, BarisKelompok)]

    def nilai(self, baris, kolom_id: str):
        """The value of one cell: typed, or the sum its column declares (an empty cell counts 0)."""
        kolom = self.kolom_bernama(kolom_id)
        if kolom.rumus:
            return sum((self.nilai(baris, name) or 0 for name in kolom.rumus), 0)
        return getattr(baris, kolom_id)

    def jumlah(self, kolom_id: str):
        """The total of one column over every row (an empty cell counts 0)."""
        return sum((self.nilai(b, kolom_id) or 0 for b in self.baris_data), 0)


# --- historical tables TC-23, TC-24 -------------------------------------------------------------


class IndikatorHistoris(Model):
    nama: Optional[Teks] = None
    target_nspk: SelHistoris = None
    target_ikk: SelHistoris = None
    target_lainnya: SelHistoris = None
    target: HistorisTahunan
    realisasi: HistorisTahunan
    rasio: HistorisTahunan


class KelompokTC23(Model):
    periode: Optional[str] = Field(None, description="Sub-judul periode: satu tahun atau rentang tahun")
    indikator: list[IndikatorHistoris] = Field(min_length=1)


class BagianTC23(Model):
    nama: Teks
    kelompok: list[KelompokTC23] = Field(min_length=1)


class TabelTC23(Tabel):
    jenis: Literal["tc23"]
    bagian: list[BagianTC23] = Field(description="Bagian tabel; [] selama belum diisi")


class ProgramHistoris(Model):
    nama: Optional[Teks] = None
    anggaran: HistorisTahunan
    realisasi: HistorisTahunan
    rasio: HistorisTahunan
    pertumbuhan_anggaran: SelHistoris = None
    pertumbuhan_realisasi: SelHistoris = None


class KelompokTC24(Model):
    periode: Optional[str] = None
    program: list[ProgramHistoris] = Field(min_length=1)


class BagianTC24(Model):
    nama: Teks
    kelompok: list[KelompokTC24] = Field(min_length=1)


class TabelTC24(Tabel):
    jenis: Literal["tc24"]
    bagian: list[BagianTC24] = Field(description="Bagian tabel; [] selama belum diisi")


# --- indicators, tujuan, sasaran -----------------------------------------------------------------


class Indikator(Model):
    """Indikator kinerja dengan target per tahun."""

    id: Optional[Slug] = Field(None, description="Id untuk dirujuk tabel lain (wajib bila dirujuk)")
    nama: Teks
    satuan: Optional[Teks] = Field(
        None,
        description="Satuan seperti dicetak, mis. persen, Dokumen, orang/12 bulan; boleh kosong di T-C.27 "
        "yang tidak mencetak kolom satuan",
    )
    formula: Optional[Teks] = Field(None, description="Formulasi penghitungan")
    capaian_awal: Target = Field(None, description="Capaian/kondisi awal (tahun dasar); null bila N/A")
    target: TargetTahunan
    akhir_periode: Optional[Literal["jumlah", "terakhir"]] = Field(
        None,
        description="Cara menghitung target Akhir Periode: jumlah tahun-tahun periode, atau nilai tahun "
        "terakhir",
    )
    satuan_target: Optional[Teks] = Field(
        None, description="Satuan di belakang angka target, bila bukan satuan huruf kecil"
    )
    satuan_akhir: Optional[Teks] = Field(None, description="Satuan pada kolom Akhir Periode, bila berbeda")

    @field_validator("target", "capaian_awal")
    @classmethod
    def _persen_skala_100(cls, value, info):
        """Percentages are written 0–100; 1.0 or 0.95 for 100% / 95% is the other convention, rejected."""
        if str(info.data.get("satuan") or "").strip().lower() not in ("persen", "%"):
            return value
        values = value.items() if isinstance(value, dict) else [(None, value)]
        for year, number in values:
            if isinstance(number, Decimal) and number.as_tuple().exponent < 0 and 0 < number <= 1:
                where = f" tahun {year}" if year else ""
                raise ValueError(
                    f"persen{where} ditulis skala 0–100 (100 berarti 100%), bukan pecahan {number}; "
                    f"tulis {(number * 100).normalize():f}"
                )
        return value

    @property
    def aturan_akhir(self) -> str:
        """How Akhir Periode is derived: the sum for counts, the last year for levels. Without a satuan
        nothing says the targets are counts, so no sum is claimed: the last year's target stands."""
        if self.akhir_periode:
            return self.akhir_periode
        if self.satuan is None:
            return "terakhir"
        return "terakhir" if self.satuan.strip().lower() in SATUAN_TINGKAT else "jumlah"

    @property
    def target_akhir(self) -> Target:
        """Akhir Periode: the sum of the years for counts, the last year for levels (%, indices)."""
        values = [self.target[t] for t in sorted(self.target)]
        if self.aturan_akhir == "terakhir":
            return values[-1]
        numbers = [v.nilai if isinstance(v, Berpredikat) else v for v in values if v is not None]
        return sum(numbers, Decimal(0)) if numbers else None


class IndikatorSasaran(Indikator):
    # T-C.25, T-C.28 and the IKU print the satuan of every tujuan/sasaran indicator: required here
    satuan: Teks = Field(description="Satuan seperti dicetak, mis. persen, Dokumen, orang/12 bulan")
    kondisi_awal: Target = Field(None, description="Kondisi kinerja awal periode (tahun dasar)")
    sumber_data: Optional[Teks] = Field(None, description="Sumber data (Tabel IKU)")
    penanggung_jawab: Optional[Teks] = Field(None, description="Penanggung jawab (Tabel IKU)")
    id: Slug


class Sasaran(Model):
    id: Slug
    nama: Teks
    indikator: list[IndikatorSasaran] = Field(min_length=1)


class Tujuan(Model):
    id: Slug
    nama: Teks
    indikator: list[IndikatorSasaran] = []
    sasaran: list[Sasaran] = Field(min_length=1)


class RegistriSasaran(Model):
    """Tujuan, sasaran dan indikatornya: satu tempat untuk Tabel 4.1, 5.1, 7.1 dan 7.2."""

    tujuan: list[Tujuan] = Field(description="Tujuan perangkat daerah; [] selama belum diisi")


# --- TC-27 tree --------------------------------------------------------------------------------

KodeProgram = Annotated[str, Field(pattern=r"^\d\.\d{2}\.\d{2}$", description="Kode program, mis. 4.01.01")]
KodeKegiatan = Annotated[
    str, Field(pattern=r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}$", description="Kode kegiatan, mis. 4.01.01.2.01")
]
KodeSub = Annotated[
    str,
    Field(
        pattern=r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{2,4}$",
        description="Kode sub kegiatan, mis. 4.01.01.2.01.01",
    ),
]


# What a planner should read instead of a regular expression when a kode or id does not fit.
POLA = {
    r"^\d\.\d{2}\.\d{2}$": "kode program berbentuk 4.01.01",
    r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}$": "kode kegiatan berbentuk 4.01.01.2.01",
    r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{2,4}$": "kode sub kegiatan berbentuk 4.01.01.2.01.01",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "id ditulis huruf kecil, angka dan tanda hubung, mis. tata-kelola-pengadaan",
    r"^TC-\d{2}$": "kode TC berbentuk TC-27",
    r"^[a-z][a-z0-9_]*$": "id kolom ditulis huruf kecil, angka dan garis bawah, mis. eselon_ii",
}


class Simpul(Model):
    """A row of the T-C.27 tree. What the format requires is required (kode, nama, an indicator, the
    Rp of every year); what older tables never printed (sasaran, unit kerja, lokasi) may be left out
    and prints as an empty cell."""

    sasaran: Optional[Teks] = Field(None, description="Sasaran program/kegiatan/sub kegiatan (kolom 2)")
    nama: Teks = Field(description="Nama program/kegiatan/sub kegiatan (kolom 3)")
    indikator: list[Indikator] = Field(min_length=1)
    pagu: PaguTahunan = Field(description="Rp per tahun periode Renstra")
    unit_kerja: Optional[Teks] = Field(None, description="Unit kerja penanggung jawab (boleh kosong)")
    lokasi: Optional[Teks] = Field(None, description="Lokasi (boleh kosong)")

    @property
    def pagu_akhir(self) -> int:
        return sum(self.pagu.values())


class SubKegiatan(Simpul):
    kode: KodeSub


class Kegiatan(Simpul):
    kode: KodeKegiatan
    # Tables made before the Kepmendagri 050-5889/2021 nomenclature stop at kegiatan: without the key,
    # the kegiatan is a leaf whose pagu is typed. Written out, the list may not be empty (the default
    # is not validated).
    sub_kegiatan: list[SubKegiatan] = Field(
        [],
        min_length=1,
        description="Sub kegiatan; tidak ditulis bila tabel hanya sampai kegiatan "
        "(format sebelum Kepmendagri 050-5889/2021)",
    )


class Program(Simpul):
    kode: KodeProgram
    kegiatan: list[Kegiatan] = Field(min_length=1)


class TabelTC27(Tabel):
    jenis: Literal["tc27"]
    program: list[Program] = Field(description="Program; [] selama belum diisi")

    def simpul(self):
        """Every node of the tree in document order: (level, node)."""
        for program in self.program:
            yield "program", program
            for kegiatan in program.kegiatan:
                yield "kegiatan", kegiatan
                for sub in kegiatan.sub_kegiatan:
                    yield "sub_kegiatan", sub


# --- views by reference ---------------------------------------------------------------------------


class CascadingKegiatan(Model):
    kode: KodeKegiatan
    sub_kegiatan: list[KodeSub] = Field(
        [],
        min_length=1,
        description="Kode sub kegiatan; tidak ditulis bila kegiatan tidak memiliki sub kegiatan",
    )


class CascadingProgram(Model):
    kode: KodeProgram
    kegiatan: list[CascadingKegiatan] = Field(min_length=1)


class TabelCascading(Tabel):
    jenis: Literal["cascading"]
    tujuan: Optional[Slug] = Field(description="Id tujuan di data/sasaran.yaml (kosong selama belum diisi)")
    sasaran: list[Slug] = Field(description="Id sasaran di data/sasaran.yaml")
    program: list[CascadingProgram] = Field(description="Kode program/kegiatan/sub kegiatan dari Tabel TC-27")


class TabelDaftarIndikator(Tabel):
    indikator: list[Slug] = Field(description="Id indikator di data/sasaran.yaml, urut tampil")


class TabelTC25(TabelDaftarIndikator):
    """Tujuan dan sasaran dengan indikator dan target per tahun (TC-25)."""

    jenis: Literal["tc25"]


class TabelIKU(TabelDaftarIndikator):
    """Indikator Kinerja Utama: sasaran, indikator, rumus, sumber data, penanggung jawab."""

    jenis: Literal["iku"]


class KelompokTC28(Model):
    tujuan: Optional[Slug] = None
    sasaran: Optional[Slug] = None
    program: Optional[KodeProgram] = None


class TabelTC28(Tabel):
    jenis: Literal["tc28"]
    kelompok: list[KelompokTC28] = Field(description="Kelompok tujuan/sasaran/program; [] selama belum diisi")


class Strategi(Model):
    indikator: Slug = Field(description="Id indikator yang dilayani strategi ini")
    strategi: Teks
    arah_kebijakan: list[Teks] = Field(min_length=1)


class TabelTC26(Tabel):
    jenis: Literal["tc26"]
    strategi: list[Strategi] = Field(description="Strategi per indikator; [] selama belum diisi")


# --- errata ----------------------------------------------------------------------------------------


class Koreksi(Model):
    """Satu tempat di mana dokumen kini berbeda dari yang dicetak pada dokumen yang ditandatangani
    (jenis koreksi), atau ketidaksesuaian yang dicatat dan dibiarkan seperti tercetak (jenis catatan)."""

    jenis: Literal["koreksi", "catatan"] = Field(
        description="koreksi: nilainya diubah (edisi tercetak membaliknya); catatan: dibiarkan seperti "
        "tercetak"
    )
    tabel: Teks = Field(description="Id tabel, atau berkas content/ untuk narasi")
    baris: Teks = Field(description="Kunci baris: kode, nomor, atau id indikator")
    kolom: Teks = Field(description="Nama kolom, mis. pagu.<tahun> atau akhir_periode.rp")
    tercetak: Teks = Field(description="Nilai yang dicetak pada dokumen yang ditandatangani")
    sekarang: Teks = Field(description="Nilai yang ditampilkan sekarang")
    alasan: Teks


class Errata(Model):
    koreksi: list[Koreksi] = []


# The files read by name: the document's identity (validated first: it holds the period), the
# registry of tujuan/sasaran/indikator, the errata. Every other data file is a table of its `jenis`.
BERKAS_TETAP: dict[str, type[Model]] = {"dokumen": Dokumen, "sasaran": RegistriSasaran, "errata": Errata}

# Which model reads a table, by the `jenis` its file declares.
JENIS_TABEL: dict[str, type[Tabel]] = {
    "sederhana": TabelSederhana,
    "tc23": TabelTC23,
    "tc24": TabelTC24,
    "tc25": TabelTC25,
    "tc26": TabelTC26,
    "tc27": TabelTC27,
    "tc28": TabelTC28,
    "cascading": TabelCascading,
    "iku": TabelIKU,
}
