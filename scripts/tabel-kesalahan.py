"""Print the README's table of editor mistakes from tests/fixtures/salah/ (each row is a test)."""

from pathlib import Path

import yaml

for path in sorted(Path(__file__).resolve().parent.parent.glob("tests/fixtures/salah/*.yaml")):
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    message = spec["pesan"].replace("{baris}", "B").replace("{kolom}", "K").replace("{baris_sebelum}", "A")
    message = message.replace("{{", "{").replace("}}", "}").replace("|", "\\|")
    print(f"| {spec['kesalahan']} | `{message}` | {spec['perbaikan']} | `{path.stem}` |")
