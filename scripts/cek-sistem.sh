#!/bin/sh
# Check the system pieces pip cannot install: Python 3.11+, venv, and the Pango library WeasyPrint draws with.
set -e
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "Perlu Python 3.11 atau lebih baru. Pasang dengan: sudo apt-get install python3 python3-venv" >&2; exit 1; }
python3 -c 'import venv, ensurepip' 2>/dev/null || {
  echo "Modul venv belum ada. Pasang dengan: sudo apt-get install python3-venv" >&2; exit 1; }
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then
  echo "Pustaka Pango (dipakai WeasyPrint) belum ada. Pasang dengan: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2
  exit 1
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so'; then
  # not required: WeasyPrint falls back to fontTools, which is several times slower at font subsetting.
  # The PDF is laid out in parts, each with its own subsets: a build from scratch takes 5 % longer
  # (renstra/render/pangkas_huruf.py keeps fontTools from reading what it drops; 25 % before)
  echo "Saran: pasang HarfBuzz-Subset agar PDF ± 5 % lebih cepat: sudo apt-get install libharfbuzz-subset0" >&2
fi
