"""Line coverage per package from the last test run, and a gate on the pure packages.

`make test` runs this after pytest: the domain and chart layers carry the numbers the app shows, so they
must stay at or above 90% covered; the UI is reported but not gated.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import coverage

PURE = ("viewer.domain", "viewer.domain.readers", "viewer.charts")
GATE = 90.0


def package_of(path: Path, root: Path) -> str:
    parts = path.resolve().relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1]) or parts[0]


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    data = coverage.Coverage(data_file=str(root / ".coverage"))
    data.load()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name in data.get_data().measured_files():
        path = Path(name)
        if root not in path.resolve().parents:
            continue
        _, statements, _, missing, _ = data.analysis2(name)
        entry = totals[package_of(path, root)]
        entry[0] += len(statements)
        entry[1] += len(statements) - len(missing)
    print(f"\n{'package':<26}{'lines':>8}{'covered':>10}")
    failed = []
    for package in sorted(totals):
        lines, covered = totals[package]
        share = 100.0 * covered / lines if lines else 100.0
        gate = package in PURE
        print(f"{package:<26}{lines:>8}{share:>9.1f}%{'  (gate 90%)' if gate else ''}")
        if gate and share < GATE:
            failed.append(package)
    if failed:
        print(f"coverage below {GATE:.0f}% in: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
