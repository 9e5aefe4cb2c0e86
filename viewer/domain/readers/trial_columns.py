"""The plain rows of a dataset folder's trials.csv read by columns into a compact table of Trial.

The common trial row has an id, a name and a population, a well-formed NCT id or none, a whole randomised n
or none, and a level its source allows. Here a batch of such rows is judged on columns
(``readers.columnar``), each column's distinct cells checked once, and the rows end as a
``compact.RecordTable`` of the codes: no Trial is made until one is read (the catalog finds a trial by id
through ``by_id.ById``, and its columns read the codes; making 200,000 Trials and a dict of them was 0.33 s
of an export from 1,000,000 arms, issue 17). Every condition is one the row path checks and passes, so both
give the same Trial; any other row goes through the full checks with its row number and its Trial takes its
place in file order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from viewer.domain.compact import RecordTable
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
    empty,
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
        self.names, self.populations = Coder(required), Coder(required)  # each field its own values
        self.texts, self.notes = Coder(stripped), Coder(stripped)  # phases, backgrounds, timepoints, indications
        self.ncts, self.ns = Coder(_nct), Coder(whole)
        self.sourcing = Sourcing(source_ids)

    def _take(self, numbers: IntArray, *cells: Sequence[str]) -> BoolArray:
        id_, name, nct, phase, population, background, primary, randomised, indication, source, level, note = cells
        ids = stripped_cells(id_)
        names, populations, ncts, ns = (
            self.names(name),
            self.populations(population),
            self.ncts(nct),
            self.ns(randomised),
        )
        fine, levels, sources = self.sourcing(source, level)
        ok: BoolArray = ~empty(ids) & (names != BAD) & (populations != BAD) & (ncts != BAD) & (ns != BAD) & fine
        texts = self.texts
        declined: BoolArray = self.keep(
            ids, ok, numbers, names, ncts, texts(phase), populations, texts(background), texts(primary), ns,
            texts(indication), sources, levels, self.notes(note),
        )  # fmt: skip
        return declined

    def trials(self, full: list[tuple[int, Trial]]) -> Sequence[Trial]:
        """The trials in file order, as a table of the columns' codes (``compact.RecordTable``: a Trial is
        made only when one is read), with ``full`` (each Trial the row path made, with its row number) in
        their places."""
        if not self.ids:
            return tuple(trial for _, trial in full)
        numbers, names, ncts, phases, populations, backgrounds, primaries, ns, indications, sources, levels, notes = (
            self.kept()
        )
        texts, one = self.texts.values, np.zeros(len(numbers), dtype=np.int64)
        columns = (
            (self.ids, np.arange(len(numbers))), (self.names.values, names), (self.ncts.values, ncts),
            (texts, phases), (self.populations.values, populations), (texts, backgrounds), (texts, primaries),
            (self.ns.values, ns), (texts, indications), (self.sourcing.sources.values, sources), (LEVELS, levels),
            ((self.origin,), one), (self.notes.values, notes),
        )  # fmt: skip
        values, codes = zip(*columns, strict=True)
        return RecordTable.in_file_order(Trial, values, codes, numbers, full)
