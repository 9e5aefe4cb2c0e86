"""The catalog pane's rows, worked out once per catalog, and a search over them without a Python call per row.

:class:`CatalogRows` is everything the drug table needs from a catalog (drugs in name order, trial counts,
the datasets that bring each drug, the normalised search keys, targets and statuses). It is a pure value
built from an immutable catalog, so the loader's worker builds it next to the catalog and the GUI thread
only swaps it in: at 100,000 drugs, normalising ~400,000 names takes most of a second.

:class:`SearchIndex` answers "which rows match" with numpy: the keys of every row are one fixed-width
UTF-8 byte array, and ``numpy.strings.find`` scans it in C (a substring of UTF-8 bytes is a substring of
the text: UTF-8 is self-synchronising). As the needle grows, only the previous hits are scanned
(``"syn"`` then ``"synt"``: every hit of the longer needle contains the shorter one), and the last few
needles' hits are kept, so a Backspace costs a lookup. No Qt here: the window's proxy maps the rows.

:attr:`CatalogRows.widest` names, per column, the rows with the longest texts: the pane sizes its columns by
measuring those few cells, where Qt's ``resizeColumnToContents`` measured the visible rows and a sample of
50 more through the filter model (25 ms of each File > Open swap) and could miss the longest name.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Final

import numpy as np
import numpy.typing as npt

from viewer.domain.catalog import Catalog, normalise_name
from viewer.domain.columns import distinct
from viewer.domain.model import Drug, Origin

Rows = npt.NDArray[np.intp]
REMEMBERED_NEEDLES = 64  # needles whose hits are kept: typing a word and deleting it again is all lookups
WIDEST_SAMPLE = 16  # rows measured per column: the longest texts by characters, whose widths in pixels lead


class Column(IntEnum):
    NAME = 0
    CLASS = 1
    TARGETS = 2
    STATUS = 3
    TRIALS = 4


# where a drug came from, after its name: the shipped catalog, a user's file, or the registry (a
# ClinicalTrials.gov record or AACT); the tooltip names the datasets
ORIGIN_MARKS: Final[dict[Origin, str]] = {Origin.CURATED: "", Origin.USER: " (user)", Origin.REGISTRY: " (registry)"}


def compact_targets(targets: tuple[str, ...]) -> str:
    """'JAK1, JAK2, JAK3, TYK2' as 'JAK1/2/3, TYK2': the same facts in a column half as wide."""
    jaks = [t[3:] for t in targets if t.upper().startswith("JAK") and t[3:].isdigit()]
    others = [t for t in targets if not (t.upper().startswith("JAK") and t[3:].isdigit())]
    parts = (["JAK" + "/".join(jaks)] if jaks else []) + others
    return ", ".join(parts)


def cell_text(drug: Drug, trials: int, column: Column) -> str:
    """What the drug table shows in ``column`` for ``drug`` with ``trials`` trials."""
    if column is Column.NAME:
        return drug.name + ORIGIN_MARKS[drug.origin]
    if column is Column.CLASS:
        return drug.drug_class
    if column is Column.TARGETS:
        return compact_targets(drug.targets)
    if column is Column.STATUS:
        return drug.approval_status
    return str(trials)


def widest_rows(drugs: tuple[Drug, ...], counts: tuple[int, ...], column: Column) -> tuple[int, ...]:
    """The rows of the :data:`WIDEST_SAMPLE` longest texts of ``column`` (first rows first among equals).

    Each distinct value is turned into its text once (a catalog of 100,000 drugs has a few classes, statuses
    and target sets): a text per row cost a third of :meth:`CatalogRows.build`."""
    if column is Column.NAME:
        lengths = [len(d.name) + len(ORIGIN_MARKS[d.origin]) for d in drugs]
    elif column is Column.TRIALS:
        lengths = list(counts)  # the largest counts have the most digits
    else:
        values = [d.drug_class if column is Column.CLASS else d.targets if column is Column.TARGETS else
                  d.approval_status for d in drugs]  # fmt: skip
        first: dict[object, int] = {}
        for row, value in enumerate(values):
            first.setdefault(value, row)
        key = lambda row: len(cell_text(drugs[row], 0, column))  # noqa: E731
        return tuple(heapq.nlargest(WIDEST_SAMPLE, first.values(), key=key))
    return tuple(heapq.nlargest(WIDEST_SAMPLE, range(len(lengths)), key=lengths.__getitem__))


def search_keys(drug: Drug) -> str:
    """Normalised id, names, brands, codes and targets joined by newlines: one substring test covers them
    all (the keys are alphanumeric, so a needle never matches across the newline)."""
    return "\n".join(normalise_name(n) for n in (drug.id, *drug.names(), *drug.targets))


@dataclass(frozen=True, eq=False)
class CatalogRows:
    """The drug table's rows for one catalog, in name order (the default sort), with what filters need."""

    catalog: Catalog
    drugs: tuple[Drug, ...]
    counts: tuple[int, ...]  # trials with an arm of the drug, per row
    sources: dict[str, tuple[str, ...]]  # drug id -> labels of the datasets that bring it
    keys: npt.NDArray[np.bytes_]  # search_keys per row, UTF-8
    statuses: npt.NDArray[np.str_]  # ApprovalStatus value per row
    target_rows: dict[str, Rows]  # target -> rows of the drugs with it
    widest: tuple[tuple[int, ...], ...]  # per Column: rows of its longest texts (widest_rows)

    @classmethod
    def build(cls, catalog: Catalog) -> CatalogRows:
        """Index ``catalog`` (on the loader's worker for a loaded file: pure, touches no widget)."""
        drugs = tuple(sorted(catalog.drugs.values(), key=lambda d: d.name.casefold()))
        sources: dict[str, dict[str, None]] = {}
        for dataset in catalog.datasets:
            brought = dict.fromkeys(d.id for d in dataset.drugs)
            brought.update(dict.fromkeys(distinct(dataset.arms, "drug_id")))  # an arm table's from its codes
            for drug_id in brought:
                sources.setdefault(drug_id, {})[dataset.label] = None
        targets: dict[str, list[int]] = {}
        for row, drug in enumerate(drugs):
            for target in drug.targets:
                targets.setdefault(target, []).append(row)
        counts = tuple(len(catalog.trials_of(d.id)) for d in drugs)
        return cls(
            catalog=catalog,
            drugs=drugs,
            counts=counts,
            sources={drug_id: tuple(labels) for drug_id, labels in sources.items()},
            keys=np.array([search_keys(d).encode() for d in drugs], dtype=np.bytes_),
            statuses=np.array([d.approval_status.value for d in drugs], dtype=np.str_),
            target_rows={t: np.array(rows, dtype=np.intp) for t, rows in sorted(targets.items())},
            widest=tuple(widest_rows(drugs, counts, column) for column in Column),
        )

    @cached_property
    def position(self) -> dict[str, int]:
        """Drug id -> row in name order."""
        return {d.id: row for row, d in enumerate(self.drugs)}

    @cached_property
    def classes(self) -> frozenset[str]:
        return frozenset(d.drug_class for d in self.drugs)

    @property
    def targets(self) -> tuple[str, ...]:
        """Every target a drug of the catalog has, sorted (the target filter's choices)."""
        return tuple(self.target_rows)


@dataclass(eq=False)
class SearchIndex:
    """Rows (in name order) matching a needle, a target and a status; see the module docstring."""

    rows: CatalogRows
    _hits: OrderedDict[str, Rows] = field(default_factory=OrderedDict)

    def matches(self, needle: str, target: str = "", status: str = "") -> Rows:
        """Ascending name-order rows whose keys contain ``needle`` (already normalised), with ``target``
        among their targets and approval status ``status`` (empty: any)."""
        hits = self._text(needle)
        if target:
            mask = np.zeros(len(self.rows.drugs), dtype=bool)
            mask[self.rows.target_rows.get(target, np.empty(0, np.intp))] = True
            hits = hits[mask[hits]]
        if status:
            hits = hits[self.rows.statuses[hits] == status]
        return hits

    def _text(self, needle: str) -> Rows:
        if not needle:
            return np.arange(len(self.rows.drugs), dtype=np.intp)
        known = self._hits.get(needle)
        if known is not None:
            self._hits.move_to_end(needle)
            return known
        # the hits of the longest remembered needle inside this one: a superset of this one's hits
        narrower = max((n for n in self._hits if n in needle), key=len, default="")
        found = np.strings.find(
            self.rows.keys if not narrower else self.rows.keys[self._hits[narrower]], needle.encode()
        )
        hits = np.flatnonzero(found >= 0) if not narrower else self._hits[narrower][found >= 0]
        self._hits[needle] = hits
        if len(self._hits) > REMEMBERED_NEEDLES:
            self._hits.popitem(last=False)
        return hits
