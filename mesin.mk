# renstra-as-code: the make targets every Renstra repository shares. Part of the engine: `make baru`
# copies this file into each new Renstra repository and `make perbarui-mesin` replaces it there, so a
# repository's own targets belong in its Makefile, which includes this one.
PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.terpasang
PDFA       ?=
EDISI      ?=
EDISI_FLAG := $(if $(EDISI),--edisi $(EDISI),)
PDF_FLAGS  := $(if $(PDFA),--pdfa,) $(EDISI_FLAG)
PORT       ?= 8686

.PHONY: help all pdf docx html preview check ejaan diff koreksi schema format clean baru perbarui-mesin periksa impor xlsx

help: ## daftar perintah
	@grep -hE '^[a-z-]+:.*## ' $(filter %mesin.mk,$(MAKEFILE_LIST)) $(filter-out %mesin.mk,$(MAKEFILE_LIST)) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock scripts/cek-sistem.sh
	@sh scripts/cek-sistem.sh
	$(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

pdf: $(STAMP) ## bangun PDF resmi (hanya bila ada masukan yang berubah); PDFA=1 PDF/A-3b arsip; EDISI=tercetak teks seperti ditandatangani
	$(PY) build.py pdf $(PDF_FLAGS)

docx: $(STAMP) ## bangun DOCX yang dapat disunting (hanya bila ada masukan yang berubah)
	$(PY) build.py docx $(EDISI_FLAG)

# One after the other: the DOCX's Daftar Isi takes the PDF's page numbers from the chapters the PDF
# build just laid out (output/.cache); side by side, both would lay out every chapter.
all: $(STAMP) ## bangun PDF, lalu DOCX (nomor halaman daftar isinya dari tata letak PDF)
	$(MAKE) pdf
	$(MAKE) docx

html: $(STAMP) ## bangun pratinjau HTML
	$(PY) build.py html $(EDISI_FLAG)

preview: $(STAMP) ## pratinjau langsung di peramban, diperbarui setiap kali berkas disimpan: make preview [PORT=8686]
	$(PY) build.py preview --port $(PORT)

check: $(STAMP) ## periksa data dan naskah
	$(PY) build.py check

ejaan: $(STAMP) ## periksa ejaan narasi dan tabel, dengan saran (kata yang benar: data/kamus.txt)
	$(PY) build.py ejaan

diff: $(STAMP) ## bandingkan dua versi: make diff FROM=<ref> [TO=<ref>] (TO kosong = berkas kerja)
	@test -n "$(FROM)" || { echo "Pakai: make diff FROM=<commit/tag/cabang> [TO=<commit/tag/cabang>]" >&2; exit 2; }
	$(PY) build.py diff $(FROM) $(TO)

koreksi: $(STAMP) ## tulis output/koreksi.html dan .md: koreksi terhadap dokumen yang ditandatangani
	$(PY) build.py koreksi

schema: $(STAMP) ## tulis ulang JSON Schema di schema/
	$(PY) build.py schema

# BERKAS is read from the environment, as DIR is for baru: a file name with spaces passes through whole.
periksa: $(STAMP) ## periksa tabel T-C di lembar kerja (.xlsx, .ods, .csv, .html): make periksa BERKAS=draf.xlsx [FORMAT=json]
	@test -n "$$BERKAS" || { echo "Pakai: make periksa BERKAS=draf.xlsx [FORMAT=json]" >&2; exit 2; }
	@$(PY) build.py periksa "$$BERKAS" $(if $(FORMAT),--format $(FORMAT),)

impor: $(STAMP) ## tulis tabel T-C dari lembar kerja ke data/ (tercetak lain dicatat di errata): make impor BERKAS=draf.xlsx
	@test -n "$$BERKAS" || { echo "Pakai: make impor BERKAS=draf.xlsx" >&2; exit 2; }
	@$(PY) build.py impor "$$BERKAS"

xlsx: $(STAMP) ## tulis output/<nama_berkas>.xlsx: tabel T-C.25, T-C.27, T-C.28 untuk SIPD dan Bappeda
	$(PY) build.py xlsx

format: $(STAMP) ## rapikan kode Python (ruff format, ruff check --fix)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean: ## hapus output/
	rm -rf output

# The values are read from the environment ($$DIR, not $(DIR)): make exports command-line variables,
# and the shell then passes a name with spaces or quotes through as it is.
baru: $(STAMP) ## buat repositori Renstra baru: make baru DIR=… INSTANSI="…" DAERAH="…" PERIODE=2025-2029 [SINGKATAN=…]
	@test -n "$$DIR" -a -n "$$INSTANSI" -a -n "$$DAERAH" -a -n "$$PERIODE" || { echo 'Pakai: make baru DIR=../renstra-diskominfo INSTANSI="Dinas Komunikasi dan Informatika" DAERAH="Kabupaten Lumajang" PERIODE=2025-2029 [SINGKATAN=Diskominfo]' >&2; exit 2; }
	@$(PY) build.py baru --dir "$$DIR" --instansi "$$INSTANSI" --daerah "$$DAERAH" --periode "$$PERIODE" $(if $(SINGKATAN),--singkatan "$$SINGKATAN",)

perbarui-mesin: $(STAMP) ## ganti mesin dengan versi lain: make perbarui-mesin DARI=<jalur/URL renstra-as-code> REF=<tag/commit>
	@test -n "$$DARI" -a -n "$$REF" || { echo "Pakai: make perbarui-mesin DARI=<jalur atau URL renstra-as-code> REF=<tag atau commit>" >&2; exit 2; }
	@$(PY) -m renstra.scaffold.perbarui --dari "$$DARI" --ref "$$REF"
