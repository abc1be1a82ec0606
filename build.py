#!/usr/bin/env python3
"""Entry point: `python build.py pdf` builds the official PDF; `python build.py --help` lists the rest."""

import sys

from renstra.cli import main

if __name__ == "__main__":
    sys.exit(main())
