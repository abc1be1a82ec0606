# renstra-as-code: the make targets every Renstra repository shares. Part of the engine: `make baru`
# copies this file into each new Renstra repository and `make perbarui-mesin` replaces it there, so a
# repository's own targets belong in its Makefile, which includes this one.
PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.terpasang
PDFA       ?=
PDF_FLAGS  := $(if $(PDFA),--pdfa,)
PORT       ?= 8686

.PHONY: help all pdf docx html preview check diff koreksi schema format clean baru perbarui-mesin

help: ## daftar perintah
	@grep -hE '^[a-z-]+:.*## ' $(filter %mesin.mk,$(MAKEFILE_LIST)) $(filter-out %mesin.mk,$(MAKEFILE_LIST)) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock scripts/cek-sistem.sh
	@sh scripts/cek-sistem.sh
	$(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

pdf: $(STAMP) ## bangun PDF resmi (hanya bila ada masukan yang berubah); PDFA=1 untuk PDF/A-3b arsip
	$(PY) build.py pdf $(PDF_FLAGS)

docx: $(STAMP) ## bangun DOCX yang dapat disunting (hanya bila ada masukan yang berubah)
	$(PY) build.py docx

# One after the other: the DOCX's Daftar Isi takes the PDF's page numbers from the chapters the PDF
# build just laid out (output/.cache); side by side, both would lay out every chapter.
all: $(STAMP) ## bangun PDF, lalu DOCX (nomor halaman daftar isinya dari tata letak PDF)
	$(MAKE) pdf
	$(MAKE) docx

html: $(STAMP) ## bangun pratinjau HTML
	$(PY) build.py html

preview: $(STAMP) ## pratinjau langsung di peramban, diperbarui setiap kali berkas disimpan: make preview [PORT=8686]
	$(PY) build.py preview --port $(PORT)

check: $(STAMP) ## periksa data dan naskah
	$(PY) build.py check

diff: $(STAMP) ## bandingkan dua versi: make diff FROM=<ref> [TO=<ref>] (TO kosong = berkas kerja)
	@test -n "$(FROM)" || { echo "Pakai: make diff FROM=<commit/tag/cabang> [TO=<commit/tag/cabang>]" >&2; exit 2; }
	$(PY) build.py diff $(FROM) $(TO)

koreksi: $(STAMP) ## tulis output/koreksi.html dan .md: koreksi terhadap dokumen yang ditandatangani
	$(PY) build.py koreksi

schema: $(STAMP) ## tulis ulang JSON Schema di schema/
	$(PY) build.py schema

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
