"""`python -m renstra.scaffold.perbarui --dari <path or URL> --ref <tag or commit>`: what
`make perbarui-mesin` runs in a Renstra repository. Replaces the vendored engine (renstra.scaffold.mesin)
and says what changed; exit codes as build.py's: 0 done, 1 a galat about the version, 2 bad usage.

A command of its own, not a build.py subcommand: build.py builds a document, and this replaces build.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from renstra.problems import RenstraError
from renstra.scaffold.mesin import CATATAN, MesinError, perbarui


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m renstra.scaffold.perbarui",
        description="Ganti mesin yang di-vendor dengan versi lain. Contoh: "
        "python -m renstra.scaffold.perbarui --dari ../renstra-as-code --ref v1.2",
    )
    parser.add_argument("--dari", required=True, help="jalur atau URL repositori renstra-as-code")
    parser.add_argument("--ref", required=True, help="tag atau commit yang dipasang")
    parser.add_argument("--root", default=".", help="repositori Renstra yang diperbarui (bawaan: folder ini)")
    args = parser.parse_args(argv)
    try:
        old, new, paths = perbarui(Path(args.root).resolve(), args.dari, args.ref)
    except MesinError as error:
        print(error, file=sys.stderr)
        return 2
    except RenstraError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ndihentikan (Ctrl-C); mesin tidak diubah.", file=sys.stderr)
        return 130
    print(f"mesin diperbarui: {old.get('versi', '?')} → {new['versi']} (commit {new['commit'][:12]})")
    print(f"berkas mesin: {', '.join(paths)}; catatan versi: {CATATAN}")
    print("Selanjutnya: make schema, make test, tinjau dengan git status dan git diff --stat, lalu commit.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
