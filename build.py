#!/usr/bin/env python3
"""Entry point: `python build.py pdf` builds the official PDF; `python build.py --help` lists the rest."""

import sys

if __name__ == "__main__":  # not when a layout process started by the forkserver reads this file
    from renstra.cli import main

    sys.exit(main())
