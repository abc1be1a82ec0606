"""Property: any mutation of a valid data file gives a valid document or clean `file:line:col` errors —
never a traceback, never a partial output."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renstra.cli import main

ROOT = Path(__file__).resolve().parent.parent
FILES = ["tc27", "mitra", "pegawai", "sasaran", "tc28", "dokumen", "cascading", "errata"]
POSITIONED = re.compile(r"^(data|content)/[\w.-]+:\d+:\d+: (galat|peringatan): \S")


def _paths(value, path=()):
    """Every (path, value) inside a YAML structure."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _parent(data, path):
    for part in path[:-1]:
        data = data[part]
    return data


def mutate(data, choice: int, kind: str, replacement):
    targets = [p for p, _ in _paths(data) if p]
    path = targets[choice % len(targets)]
    parent = _parent(data, path)
    key = path[-1]
    if kind == "delete":
        del parent[key]
    elif kind == "swap":
        parent[key] = replacement
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(key, parent[key])
    return data


REPLACEMENTS = st.one_of(
    st.none(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.booleans(),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file_id=st.sampled_from(FILES),
    kind=st.sampled_from(["delete", "swap", "duplicate", "truncate"]),
    choice=st.integers(0, 10**6),
    replacement=REPLACEMENTS,
)
def test_mutated_data_never_crashes(tmp_path_factory, file_id, kind, choice, replacement, capsys):
    root = tmp_path_factory.mktemp("mutant")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    path = root / "data" / f"{file_id}.yaml"
    text = path.read_text(encoding="utf-8")
    if kind == "truncate":
        path.write_text(text[: choice % len(text)], encoding="utf-8")
    else:
        mutated = mutate(yaml.safe_load(text), choice, kind, replacement)
        path.write_text(yaml.safe_dump(mutated, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = root / "output" / "dokumen.html"
    code = main(["--root", str(root), "html", "--output", str(out)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "galat internal" not in captured.err
    if code == 0:
        assert out.exists()
    else:
        assert code == 1
        problems = [
            line
            for line in captured.err.splitlines()
            if line and not line.startswith(" ") and "galat;" not in line
        ]
        assert problems and all(POSITIONED.match(line) for line in problems), problems
        assert not (root / "output").exists() or list((root / "output").iterdir()) == []


# Hostile and careless fragments a contributor might type into a chapter.
FRAGMENTS = [
    "{{ cycler.__init__.__globals__.os.system('true') }}",
    "{{ __builtins__.open('/etc/hostname').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for i in range(10**10) %}x{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'x' as y %}",
    "{{ 1 // 0 }}",
    "{{ tabel('mit' ~ 'ra') }}",
    "{{ jumlah.program",
    "{{ jumlah.programm }}",
    "{{ ref('tc27') }}",
    "{{ tabel('tc27') }}",
    "%%SLOT:tabel:x%%",
    "![a](../../../etc/x.png)",
    "![a][b]",
    "[b]: /etc/passwd",
    "<script>",
    "### loncat",
    "# BAB LAIN",
    "{{ pegawai.jumlah }}",
    "{{ pegawai.total }}",
    "{{ 10**10**10 }}",
    "{% raw %}",
    "}}",
    "{#",
    "\ufeff",
    "\x00",
    "**tebal**",
]
_READS: list[str] = []
_WATCH = {"on": False}


def _audit(event, args):
    if _WATCH["on"] and event == "open" and isinstance(args[0], (str, Path)):
        _READS.append(str(args[0]))


sys.addaudithook(_audit)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), min_size=1, max_size=6),
    chapter=st.sampled_from(["01-pendahuluan.md", "04-tujuan-sasaran.md", "08-penutup.md"]),
)
def test_hostile_chapters_never_crash_hang_or_read_outside(tmp_path_factory, pieces, chapter, capsys):
    root = tmp_path_factory.mktemp("naskah")
    for name in ("content", "data", "templates", "fonts"):
        shutil.copytree(ROOT / name, root / name)
    path = root / "content" / chapter
    path.write_text(path.read_text(encoding="utf-8") + "\n" + " ".join(pieces) + "\n", encoding="utf-8")
    _READS.clear()
    _WATCH["on"] = True
    try:
        code = main(["--root", str(root), "check"])
    finally:
        _WATCH["on"] = False
    captured = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in captured.err and "galat internal" not in captured.err + captured.out
    # the data, the code, Python; what the kernel says of this process (the umask that the answers of
    # the spelling dictionary, kept in output/.cache, are written with: renstra.write); and the
    # system's time zone, which Babel reads once, when the first number is formatted in the process
    # (babel.localtime: which test ran first in a process decided whether it was seen here)
    allowed = (
        str(root),
        str(ROOT / "renstra"),
        sys.prefix,
        sys.base_prefix,
        "/proc/self/status",
        "/etc/localtime",
        "/usr/share/zoneinfo/",
    )
    assert [p for p in _READS if not p.startswith(allowed)] == []
