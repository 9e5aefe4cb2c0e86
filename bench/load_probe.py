"""Run in a fresh interpreter: load and validate the generated 100,000-arm dataset through the session, as the
command line does; print seconds and peak MB."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def main(folder: str) -> None:
    start = time.perf_counter()
    from viewer.gc_policy import paused_gc
    from viewer.session import Session

    session = Session()
    with paused_gc():  # as the command line loads (the window pauses the collector around its worker's read)
        result = session.load([Path(folder)])
    if not result.ok:
        raise SystemExit(str(result.errors))
    catalog = session.catalog
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.6f} {peak_mb:.1f} {len(catalog.arms)}")


if __name__ == "__main__":
    main(sys.argv[1])
