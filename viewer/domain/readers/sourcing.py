"""Which source a row cites and whether its level may rest on it (jak-ra-evidence.md section 10).

Shared by every table of a dataset folder, so a figure, an arm's n, a trial's design and a safety rate
are all held to one rule: the level follows from the kind of source the number was read in.
"""

from __future__ import annotations

from collections.abc import Mapping

from viewer.domain.model import EvidenceLevel, SourceKind
from viewer.domain.readers.fields import Row

SourceKinds = Mapping[str, SourceKind | None]  # source id -> its kind (None: not stated)
KINDS = {kind.value: kind for kind in SourceKind}
KIND_NAMES = ", ".join(KINDS)


def level_rule(level: EvidenceLevel, kind: SourceKind | None, source_id: str) -> str:
    """Why ``level`` is too strong for a source of ``kind`` (section 10 of the evidence reference), or "".

    Only a primary document read where its publisher, regulator or registry keeps it makes `verified`; a
    review, summary, news item, press release or third-party copy makes at most `secondary`; a recalled
    figure stays `unverified`.
    """
    if kind is None or level.strength <= kind.ceiling.strength:
        return ""
    if kind is SourceKind.RECALLED:
        return f"must be unverified: source {source_id!r} is recalled (confirmed by no readable source)"
    return (
        f"{level.value!r} cannot rest on source {source_id!r}, a {kind.value}: only an article, abstract, label, "
        "regulatory document or registry record makes 'verified'; use 'secondary'"
    )


def source_of(row: Row, source_ids: SourceKinds, level: EvidenceLevel | None = None) -> str:
    """The row's source id, checked to exist and, given the row's own ``level``, to be strong enough."""
    source = row.cells.get("source", "")
    if source in source_ids:  # the common case first: this runs for every figure
        if level is not None:
            rule = level_rule(level, source_ids[source], source)
            if rule:
                row.fail("level", rule)
        return source
    if not source:
        row.fail("source", "every figure needs a source")
    elif source not in source_ids:
        row.fail("source", f"unknown source {source!r} (not in sources.csv)")
    return source
