"""What a user sees of a Dataset, without the parts that only say where it was read.

Two readings of one study (its v2 JSON, its AACT rows) must agree on every figure; they differ only in
provenance text and in the locations of skipped parts (a JSON path against an AACT table and row id).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from viewer.domain.model import Dataset


def _plain(record: Any, drop: tuple[str, ...] = ("cited",)) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(record).items() if k not in drop}


def _rule(skipped: str) -> str:
    """A skipped line without its file and location: 'FILE:LOC: field: rule' -> 'field: rule'."""
    return re.sub(r"^.*?(?:resultsSection\.\S+|ctgov\.\w+ id=\d+(?:, [^:]+)?): ", "", skipped)


def figures(dataset: Dataset) -> dict[str, Any]:
    return {
        "drugs": sorted((_plain(d, ()) for d in dataset.drugs), key=repr),
        "trials": [_plain(t, ()) for t in dataset.trials],
        "arms": [_plain(a, ()) for a in dataset.arms],
        "outcomes": [_plain(o, ()) for o in dataset.outcomes],
        "results": [_plain(r) for r in dataset.results],
        "adverse_events": [_plain(e) for e in dataset.adverse_events],
        "sponsor_analyses": [_plain(s) for s in dataset.sponsor_analyses],
    }


def skipped_rules(dataset: Dataset) -> list[str]:
    return sorted(_rule(s) for s in dataset.skipped)
