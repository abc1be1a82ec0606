"""JSON Schema for every data file kind, generated from the models, for editors (yaml-language-server)."""

from __future__ import annotations

import json
from pathlib import Path

from renstra.source.models import BERKAS_TETAP, JENIS_TABEL


def write_schemas(folder: Path) -> list[Path]:
    """Write schema/<name>.schema.json for each file read by name and each table kind; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file_id, model in {**BERKAS_TETAP, **JENIS_TABEL}.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"data/{file_id}.yaml" if file_id in BERKAS_TETAP else f"tabel jenis {file_id}"
        path = folder / f"{file_id}.schema.json"
        path.write_text(
            json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written
