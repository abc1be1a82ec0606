# renstra-as-code — see README.md. `make pdf` and `make test` do all set-up themselves.
PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.terpasang
PDFA       ?=
PDF_FLAGS  := $(if $(PDFA),--pdfa,)

.PHONY: bench help all pdf docx html check diff koreksi schema test format clean

help: ## daftar perintah
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.lock scripts/cek-sistem.sh
	@sh scripts/cek-sistem.sh
	$(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

pdf: $(STAMP) ## bangun PDF resmi (hanya bila ada masukan yang berubah); PDFA=1 untuk PDF/A-3b arsip
	$(PY) build.py pdf $(PDF_FLAGS)

docx: $(STAMP) ## bangun DOCX yang dapat disunting (hanya bila ada masukan yang berubah)
	$(PY) build.py docx

all: $(STAMP) ## bangun PDF dan DOCX bersamaan
	$(MAKE) -j2 pdf docx

html: $(STAMP) ## bangun pratinjau HTML
	$(PY) build.py html

check: $(STAMP) ## periksa data dan naskah
	$(PY) build.py check

diff: $(STAMP) ## bandingkan dua versi: make diff FROM=<ref> [TO=<ref>] (TO kosong = berkas kerja)
	@test -n "$(FROM)" || { echo "Pakai: make diff FROM=<commit/tag/cabang> [TO=<commit/tag/cabang>]" >&2; exit 2; }
	$(PY) build.py diff $(FROM) $(TO)

koreksi: $(STAMP) ## tulis output/koreksi.html dan .md: semua koreksi terhadap dokumen 2023
	$(PY) build.py koreksi

schema: $(STAMP) ## tulis ulang JSON Schema di schema/
	$(PY) build.py schema

test: $(STAMP) ## jalankan seluruh uji: gaya kode (ruff), arah impor antartahap (import-linter), pytest
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

bench: $(STAMP) ## ukur kecepatan terhadap WeasyPrint/pandoc mentah; tulis output/bench.md (lama!)
	$(PY) bench/bench.py $(BENCH_ARGS)

format: $(STAMP) ## rapikan kode Python (ruff format, ruff check --fix)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean: ## hapus output/
	rm -rf output
