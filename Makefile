# renstra-as-code — see README.md. `make pdf` and `make test` do all set-up themselves.
# The targets every Renstra repository shares (pdf, docx, check, diff, baru, perbarui-mesin, …) are in
# mesin.mk, which `make baru` vendors into each new repository; the engine's own tests are here.
include mesin.mk

.PHONY: test bench

test: $(STAMP) ## jalankan seluruh uji: gaya kode (ruff), arah impor antartahap (import-linter), pytest
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

bench: $(STAMP) ## ukur kecepatan terhadap WeasyPrint/pandoc mentah; tulis output/bench.md (lama!)
	$(PY) bench/bench.py $(BENCH_ARGS)
