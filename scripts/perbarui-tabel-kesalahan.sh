#!/bin/sh
# Replace the README's table of mistakes with the one generated from tests/fixtures/salah/.
set -e
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
$PY - <<'PYEOF'
import subprocess, sys
from pathlib import Path
readme = Path("README.md")
lines = readme.read_text(encoding="utf-8").split("\n")
start = lines.index("| Kesalahan | Pesan | Cara memperbaiki | Uji |") + 2
end = start
while end < len(lines) and lines[end].startswith("|"):
    end += 1
table = subprocess.run([sys.executable, "scripts/tabel-kesalahan.py"], capture_output=True, text=True, check=True).stdout
lines[start:end] = table.rstrip("\n").split("\n")
readme.write_text("\n".join(lines), encoding="utf-8")
PYEOF
