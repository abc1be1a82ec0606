"""What multiprocessing's forkserver imports before it forks the layout processes (FORKSERVER_PRELOAD in
renstra.render.layout_processes): WeasyPrint with this package's layout code, and one page drawn — so
that every layout process it forks starts warm, sharing these pages of memory with its siblings."""

import renstra.render.pdf  # noqa: F401  (what layout_chapter imports, loaded once for all)
from renstra.render import layout_processes

layout_processes.warm_up()
