"""The plain rows of a dataset folder's arms.csv read by columns into a compact table of Arm.

The common arm row names a known trial, a role, a label, a known drug (for a drug arm), plain numbers, a
whole n or none, and a level its source allows; a 1,000,000-arm table is mostly such rows. Here a batch of
them is judged on columns (``readers.columnar``), each column's distinct cells checked once, and the rows end
as a ``compact.RecordTable`` of the codes: no Arm is made until one is read (the catalog finds an arm by id
through ``by_id.ById``, and its columns read the codes). Every condition is one the row path checks and
passes, so both give the same Arm; any other row goes through the full checks with its row number and its
Arm takes its place in file order. A repeated id is left to the caller: the whole table is then read the
long way, so that the duplicate's message names the rows it always named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from viewer.domain.compact import RecordTable
from viewer.domain.model import Arm, ArmRole
from viewer.domain.readers.columnar import (
    BAD,
    FAIL,
    LEVELS,
    BoolArray,
    Coder,
    IdCoder,
    IntArray,
    Keyed,
    Sourcing,
    empty,
    required,
    stripped,
    stripped_cells,
    whole,
)  # fmt: skip
from viewer.domain.readers.sourcing import SourceKinds

_ROLES = {role.value: role for role in ArmRole}


def _number(cell: str) -> float | None:
    """An empty cell (None) or a plain non-negative decimal such as ``7.5``; anything else, and 309 digits
    or more (float() makes them inf, which the full checks refuse as not finite), FAIL."""
    if not cell:
        return None
    if cell.isascii() and cell.replace(".", "", 1).isdigit():
        value = float(cell)
        return value if value != math.inf else FAIL
    return FAIL  # type: ignore[no-any-return]


def _role(cell: str) -> ArmRole:
    role: ArmRole = _ROLES.get(cell, FAIL)
    return role


class ArmColumns(Keyed):
    """Reads arms.csv's plain rows by columns (``batch``) and makes their records (:meth:`arms`).

    ``trial_ids`` are the dataset's trial ids, distinct and in order (an arm names its trial exactly),
    ``drug_ids`` the drugs a drug arm may name, ``source_ids`` the sources and their kinds.
    """

    NAMES = (
        "id", "trial", "role", "drug", "label", "dose", "unit", "frequency", "daily_dose_mg", "n", "source",
        "level", "note",
    )  # fmt: skip

    def __init__(self, trial_ids: Sequence[str], drug_ids: set[str], source_ids: SourceKinds) -> None:
        super().__init__()
        self.trial_ids = trial_ids
        self.trials = IdCoder(trial_ids)
        self.roles, self.labels, self.drugs = Coder(_role), Coder(required), Coder(stripped)
        self.numbers, self.ns = Coder(_number), Coder(whole)  # doses and daily doses share the first
        self.texts = Coder(stripped)  # units, frequencies and notes
        self.sourcing = Sourcing(source_ids)
        self.drug_ids = drug_ids

    def _take(self, numbers: IntArray, *cells: Sequence[str]) -> BoolArray:
        id_, trial, role, drug, label, dose, unit, frequency, daily, n, source, level, note = cells
        ids = stripped_cells(id_)
        trials, roles, labels = self.trials(trial), self.roles(role), self.labels(label)
        doses, dailies, ns = self.numbers(dose), self.numbers(daily), self.ns(n)
        ok: BoolArray = ~empty(ids) & (trials != BAD) & (roles != BAD) & (labels != BAD)
        ok &= (doses != BAD) & (dailies != BAD) & (ns != BAD)
        fine, levels, sources = self.sourcing(source, level)
        ok &= fine
        drugs = self.drugs(drug)
        ok &= ~self.roles.flags(ArmRole.DRUG.__eq__)[roles] | self.drugs.flags(self.drug_ids.__contains__)[drugs]
        texts = self.texts
        declined: BoolArray = self.keep(
            ids, ok, numbers, trials, roles, drugs, labels, doses, texts(unit), texts(frequency), dailies, ns,
            sources, levels, texts(note),
        )  # fmt: skip
        return declined

    def arms(self, full: list[tuple[int, Arm]]) -> Sequence[Arm]:
        """The arms in file order, as a table of the columns' codes (``compact.RecordTable``: an Arm is made
        only when one is read), with ``full`` (each Arm the row path made, with its row number) in their
        places."""
        if not self.ids:
            return tuple(arm for _, arm in full)
        numbers, trials, roles, drugs, labels, doses, units, frequencies, dailies, ns, sources, levels, notes = (
            self.kept()
        )
        placebo = self.roles.flags(ArmRole.PLACEBO.__eq__)[roles]
        drug_values = [*self.drugs.values, ""]  # a placebo arm keeps no drug
        texts, one = self.texts.values, np.zeros(len(numbers), dtype=np.int64)
        columns = (
            (self.ids, np.arange(len(numbers))), (self.trial_ids, trials), (self.roles.values, roles),
            (self.labels.values, labels), (drug_values, np.where(placebo, len(drug_values) - 1, drugs)),
            (self.numbers.values, doses), (texts, units), (texts, frequencies), (self.numbers.values, dailies),
            (self.ns.values, ns), (self.sourcing.sources.values, sources), (LEVELS, levels), (texts, notes),
            ((True,), one), (("",), one),  # randomised, frequency_range: as the row path makes them
        )  # fmt: skip
        values, codes = zip(*columns, strict=True)
        return RecordTable.in_file_order(Arm, values, codes, numbers, full)
