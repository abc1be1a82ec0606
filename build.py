#!/usr/bin/env python3
"""Entry point: `python build.py pdf` builds the official PDF; `python build.py --help` lists the rest."""

import gc
import sys

if __name__ == "__main__":  # not when a layout process started by the forkserver reads this file
    from renstra.cli import main

    code = main()
    gc.freeze()  # the interpreter's last collection would go through every object the build made (0.1 s)
    sys.exit(code)
