"""Run in a fresh interpreter: load and validate the generated 100,000-arm dataset; print seconds and peak MB."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def main(folder: str) -> None:
    start = time.perf_counter()
    from viewer.domain.catalog import Catalog
    from viewer.domain.readers import load_path

    catalog = Catalog.from_datasets([load_path(Path(folder))])
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.6f} {peak_mb:.1f} {len(catalog.arms)}")


if __name__ == "__main__":
    main(sys.argv[1])
