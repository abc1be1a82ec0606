"""JSON Schema for every data file kind, generated from the models, for editors (yaml-language-server).

The schema is the document's own: every per-year map lists exactly the period's years (from
data/dokumen.yaml), so an editor flags a missing or a stray year while the planner types."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from renstra.source.models import BERKAS_TETAP, JENIS_TABEL
from renstra.source.period import Periode


def schema_texts(periode: Periode) -> dict[str, str]:
    """File name → JSON text of the schema of each file read by name and each table kind."""
    return dict(_schema_texts(periode))


@functools.lru_cache(maxsize=4)  # the models are the code's: within one process a period has one schema
def _schema_texts(periode: Periode) -> dict[str, str]:
    texts = {}
    for file_id, model in {**BERKAS_TETAP, **JENIS_TABEL}.items():
        schema = with_years(model.model_json_schema(mode="validation"), periode)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"data/{file_id}.yaml" if file_id in BERKAS_TETAP else f"tabel jenis {file_id}"
        texts[f"{file_id}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        )
    return texts


def write_schemas(folder: Path, periode: Periode) -> list[Path]:
    """Write schema/<name>.schema.json for each file read by name and each table kind; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts(periode).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def with_years(node, periode: Periode):
    """The schema with each per-year map (marked x-tahun) held to exactly the period's years."""
    if isinstance(node, list):
        return [with_years(item, periode) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: with_years(value, periode) for key, value in node.items()}
    kind = node.pop("x-tahun", None)
    if kind:
        years = [str(y) for y in (periode.tahun if kind == "renstra" else periode.tahun_historis)]
        node["required"] = years
        node["propertyNames"] = {"enum": years}
    return node
