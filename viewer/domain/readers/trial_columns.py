"""The plain rows of a dataset folder's trials.csv read by columns, their Trial records made in C.

The common trial row has an id, a name and a population, a well-formed NCT id or none, a whole randomised n
or none, and a level its source allows. Here a batch of such rows is judged on columns
(``readers.columnar``), each column's distinct cells checked once, and the records are made by
``map(Trial, *columns)``. Every condition is one the row path checks and passes, so both give the same
Trial; any other row goes through the full checks with its row number and takes its place in file order.
"""

from __future__ import annotations

from collections.abc import Sequence

from viewer.domain.model import Origin, Trial
from viewer.domain.readers.columnar import (
    BAD,
    FAIL,
    LEVELS,
    BoolArray,
    Coder,
    IntArray,
    Keyed,
    Sourcing,
    column_of,
    empty,
    in_file_order,
    records,
    required,
    stripped,
    stripped_cells,
    whole,
)  # fmt: skip
from viewer.domain.readers.fields import is_nct
from viewer.domain.readers.sourcing import SourceKinds


def _nct(cell: str) -> str:
    """A ClinicalTrials.gov id in capitals, or none; anything else FAIL."""
    nct = cell.strip().upper()
    return nct if not nct or is_nct(nct) else FAIL


class TrialColumns(Keyed):
    """Reads trials.csv's plain rows by columns (``batch``) and makes their records (:meth:`trials`),
    each of ``origin``; ``source_ids`` are the sources and their kinds."""

    NAMES = (
        "id", "name", "nct", "phase", "population", "background", "primary_timepoint", "randomised_n",
        "indication", "source", "level", "note",
    )  # fmt: skip

    def __init__(self, source_ids: SourceKinds, origin: Origin) -> None:
        super().__init__()
        self.origin = origin
        self.required, self.texts, self.ncts, self.ns = Coder(required), Coder(stripped), Coder(_nct), Coder(whole)
        self.sourcing = Sourcing(source_ids)

    def _take(self, numbers: IntArray, *cells: Sequence[str]) -> BoolArray:
        id_, name, nct, phase, population, background, primary, randomised, indication, source, level, note = cells
        ids = stripped_cells(id_)
        names, populations, ncts, ns = (
            self.required(name),
            self.required(population),
            self.ncts(nct),
            self.ns(randomised),
        )
        fine, levels, sources = self.sourcing(source, level)
        ok: BoolArray = ~empty(ids) & (names != BAD) & (populations != BAD) & (ncts != BAD) & (ns != BAD) & fine
        texts = self.texts
        declined: BoolArray = self.keep(
            ids, ok, numbers, names, ncts, texts(phase), populations, texts(background), texts(primary), ns,
            texts(indication), sources, levels, texts(note),
        )  # fmt: skip
        return declined

    def trials(self, full: list[tuple[int, Trial]]) -> list[Trial]:
        """The trials in file order: the rows taken by columns, with ``full`` (each Trial the row path made,
        with its row number) in their places."""
        if not self.ids:
            return [trial for _, trial in full]
        numbers, names, ncts, phases, populations, backgrounds, primaries, ns, indications, sources, levels, notes = (
            self.kept()
        )
        required, texts = self.required.values, self.texts.values
        columns = (
            (required, names), (self.ncts.values, ncts), (texts, phases), (required, populations),
            (texts, backgrounds), (texts, primaries), (self.ns.values, ns), (texts, indications),
            (self.sourcing.sources.values, sources), (LEVELS, levels),
        )  # fmt: skip
        fields = [column_of(values, codes) for values, codes in columns]
        made = records(Trial, [self.ids, *fields, [self.origin] * len(numbers), column_of(texts, notes)])
        return in_file_order(numbers, made, full)
