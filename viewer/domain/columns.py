"""The catalog's figures as numpy columns: what a selection and its comparisons need, one array per field.

A chart asks for a few hundred figures out of millions; finding them and pairing each arm with its trial's
placebo is done on these columns in a few vector operations (``viewer.domain.effects``), and a figure
becomes a Python object only when a chart or tooltip shows it. Text is held once, as codes into a table of
the distinct values (a trial id, an outcome, a timepoint), the way a columnar store dictionary-encodes it.

Built once per catalog (a catalog is never edited), from its records; ``-1`` codes a reference the catalog
does not hold (a figure of an unknown arm or trial, which no chart shows) and ``nan`` a missing count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.domain import sliced
from viewer.domain.by_id import ById
from viewer.domain.model import AdverseEvent, Arm, ArmRole, EvidenceLevel, Result, Trial

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ROLE_CODE = {role: k for k, role in enumerate(ArmRole)}
PLACEBO = ROLE_CODE[ArmRole.PLACEBO]
LEVEL_CODE = {level: level.strength for level in EvidenceLevel}
VERIFIED = LEVEL_CODE[EvidenceLevel.VERIFIED]


# The columns are made with map and attrgetter, which loop in C: building them is a pass over the records
# at C speed, not a Python statement per record. The loops run in slices (viewer.domain.sliced): the window
# builds the columns on a worker thread, and a C loop over every record would hold the interpreter from the
# GUI thread for up to 0.7 s at 1,000,000 arms.


def _field(records: Iterable[object], name: str) -> list[Any]:
    return sliced.attribute(records, name)


def _codes(values: Sequence[str], table: dict[str, int]) -> IntArray:
    """Dictionary-encode ``values``, adding each new one to ``table`` (value -> code)."""
    new = [v for v in sliced.first_seen(values) if v not in table]
    table.update(zip(new, range(len(table), len(table) + len(new)), strict=True))
    return _mapped(values, table.__getitem__, np.int32)


def _mapped(values: Sequence[Any], code: Any, dtype: Any) -> npt.NDArray[Any]:
    """``code(value)`` for every value, as an array of ``dtype``."""
    return sliced.array(values, lambda part: np.fromiter(map(code, part), dtype=dtype, count=len(part)), dtype)


def _lookup(values: Sequence[str], table: Mapping[str, int]) -> IntArray:
    """Codes of ``values`` in a fixed ``table``; -1 for a value it does not hold."""

    def codes(part: Sequence[str]) -> IntArray:
        return np.fromiter(map(table.get, part, repeat(-1)), dtype=np.int32, count=len(part))

    return sliced.array(values, codes, np.int32)


def _coded_by_runs(values: Sequence[str], ids: Sequence[str], table: Callable[[], Mapping[str, int]]) -> IntArray:
    """The positions of ``values`` in ``ids`` (-1 for a value not there); ``table()`` gives id -> position.

    A table lists each arm's (or trial's) rows together, and the arms in their own order: then each value
    is compared with the one before it and the first of each run with the ids in order, and nothing is
    looked up. Otherwise each run's first value is looked up, one lookup a run. Values that are the ids
    themselves from some place on (a coded table's distinct arm ids) are one comparison each.
    """
    start = _place(ids, values[0]) if len(values) else 0
    if 0 <= start <= len(ids) - len(values) and sliced.equal(values, ids[start : start + len(values)]):
        return np.arange(start, start + len(values), dtype=np.int32)
    runs = np.flatnonzero(sliced.changes(values))
    firsts = sliced.pick(values, runs.tolist())
    if start >= 0 and sliced.equal(firsts, ids[start : start + len(firsts)]):
        codes = np.arange(start, start + len(firsts), dtype=np.int32)
    else:
        codes = _found(firsts, ids, table)
    out: IntArray = np.repeat(codes, np.diff(runs, append=len(values)))
    return out


FRONT = 1 << 12  # ids in the first table a small part's values are looked up in (see _found)


def _found(values: Sequence[str], ids: Sequence[str], table: Callable[[], Mapping[str, int]]) -> IntArray:
    """The positions of ``values`` in ``ids`` (-1: not there), looked up in a table of the first ids, four
    times as many each time one is missing, before ``table()`` of them all: the shipped data's figures,
    in no arm order, name arms at the front of a 1,000,000-arm catalog, and the table of every arm took
    0.6 s to make for them."""
    size = FRONT
    while size < len(ids):
        codes = _lookup(values, sliced.positions(ids[:size]))
        if bool(np.all(codes >= 0)):
            return codes
        size *= 4
    return _lookup(values, table())


def _place(ids: Sequence[str], first: str) -> int:
    """Where ``first`` stands in ``ids`` (-1: nowhere), by one scan in C: a table after another in a catalog
    (a user's file after the shipped data) names the arms from that place on."""
    try:
        return ids.index(first)
    except ValueError:
        return -1


@dataclass(frozen=True, slots=True)
class Parts:
    """A catalog's figures as the sequences they are chained from (each dataset's, in order): each is coded
    on its own, by runs from its own place among the arms (:func:`_coded_by_runs`)."""

    parts: tuple[Sequence[Any], ...]


def _parts(records: Sequence[Any] | Parts) -> Sequence[Sequence[Any]]:
    """The sequences ``records`` are chained from (:class:`Parts`, ``compact.RecordChain.parts``), else
    ``records`` itself."""
    if isinstance(records, Parts):
        return records.parts
    parts: Sequence[Sequence[Any]] = getattr(records, "parts", (records,))
    return parts


def _column(records: Sequence[Any] | Parts, name: str, convert: Callable[[Sequence[Any]], npt.NDArray[Any]]) -> Any:
    """``convert`` (values to an array, one item per value) of every record's field ``name``, part by part.

    A part that holds the field coded (``coded(name)``: its distinct values and each row's code into them, as
    a compact table keeps them) has ``convert`` applied to its distinct values and the result taken by code:
    no value is read per row and no record is made. Any other part is read through :func:`sliced.attribute`.
    """
    out = []
    for part in _parts(records):
        coded = getattr(part, "coded", None)
        if coded is None:
            out.append(convert(_field(part, name)))
        else:
            values, codes = coded(name)
            out.append(convert(values)[np.asarray(codes, dtype=np.intp)])
    if len(out) == 1:
        return out[0]
    return np.concatenate(out) if out else convert([])


def distinct(records: Sequence[Any], name: str, where: tuple[str, object] | None = None) -> list[Any]:
    """The distinct values of field ``name`` in order of first appearance (``dict.fromkeys`` of every
    record's value), a coded part's read from its codes without making its records; ``where`` (a field and
    a value): of the records whose field holds that value only."""
    seen: dict[Any, None] = {}
    for part in _parts(records):
        coded = getattr(part, "coded", None)
        if coded is None:
            values = _field(part, name)
            if where is not None:
                tests, wanted, kept = _field(part, where[0]), where[1].__eq__, list[Any]()
                for at, chunk in sliced.slices(values):
                    kept += compress(chunk, map(wanted, tests[at : at + len(chunk)]))
                values = kept
            seen.update(dict.fromkeys(sliced.first_seen(values)))
            continue
        values, codes = coded(name)
        codes = np.asarray(codes, dtype=np.intp)
        if where is not None:
            kinds, kind = coded(where[0])
            codes = codes[np.array([k == where[1] for k in kinds], dtype=np.bool_)[np.asarray(kind, np.intp)]]
        seen.update(dict.fromkeys(values[k] for k in _first_seen(codes).tolist()))
    return list(seen)


def _first_seen(codes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The distinct ``codes`` in order of first appearance, by a stable sort (not ``np.unique``: see
    :func:`_distinct`)."""
    if not codes.size:
        return codes
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    starts = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    firsts: npt.NDArray[np.intp] = ordered[starts][np.argsort(order[starts])]
    return firsts


def _distinct(codes: IntArray) -> IntArray:
    """``np.unique(codes)`` (sorted, each once) without its masked-array check: numpy 2's ``unique`` asks
    ``np.ma.is_masked``, and importing ``numpy.ma`` (~15 ms) held up the window's first paint and every
    export (a drug's trials, an outcome's timepoints: ``bench`` ``startup_ratio``, ``cli_png`` ratios)."""
    ordered = np.sort(codes)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered


def _table(code: Mapping[str, int]) -> Mapping[str, int]:
    """The dict behind a code mapping (a lookup per value through ``Mapping.get`` would be a Python call)."""
    return code.table if isinstance(code, _Positions) else code


SMALL_CODES = (1 << 16) - 1  # codes from -1 up to this (excluded) fit 16 bits once shifted by one


def stable_sorting(keys: IntArray, below: int | None = None) -> npt.NDArray[np.intp] | None:
    """The stable order that sorts ``keys``, or None when they are in order already (the common case: a
    table or a selection lists each trial's rows together, trials in order). ``below``: every key is
    under it (and -1 or more); under :data:`SMALL_CODES` the keys are sorted as 16-bit numbers, which
    numpy sorts by radix (a drug code per arm at 1,000,000 arms: 25 ms instead of 80)."""
    if len(keys) < 2 or bool(np.all(keys[1:] >= keys[:-1])):
        return None
    if below is not None and below < SMALL_CODES:
        return np.argsort((keys + 1).astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def _grouped(codes: IntArray, groups: int) -> tuple[IntArray, IntArray]:
    """Positions sorted by code (stable: in their own order within a code) and where each code starts."""
    sorting = stable_sorting(codes, below=groups)
    order = np.arange(len(codes), dtype=np.int32) if sorting is None else sorting.astype(np.int32)
    known = codes[codes >= 0]  # -1 (no such group) sorts first and belongs to none
    start = np.empty(groups + 1, dtype=np.int32)
    start[0] = len(codes) - len(known)
    np.cumsum(np.bincount(known, minlength=groups), out=start[1:])  # counts, not a search per group
    start[1:] += start[0]
    return order, start


def in_groups(order: IntArray, start: IntArray, codes: IntArray) -> IntArray:
    """The positions of every code in ``codes``, code by code (a concatenation of ranges, without a loop)."""
    low, high = start[codes], start[codes + 1]
    lengths = high - low
    offsets = np.repeat(low - np.cumsum(lengths) + lengths, lengths)
    return order[offsets + np.arange(len(offsets))]


def _floats(values: Sequence[float | None]) -> FloatArray:
    """Numbers with nan for None (numpy reads None as nan in a float array)."""
    return sliced.array(values, lambda part: np.array(part, dtype=np.float64), np.float64)


def _flags(values: Sequence[bool]) -> BoolArray:
    return sliced.array(values, lambda part: np.array(part, dtype=np.bool_), np.bool_)


def _tally(codes: IntArray, values: tuple[str, ...]) -> dict[str, int]:
    """``{value: how many codes name it}`` for the values named at least once."""
    counts = np.bincount(codes, minlength=len(values)).tolist()
    return {value: count for value, count in zip(values, counts, strict=True) if count}


class _Positions(Mapping[str, int]):
    """``{id: its position}`` over a tuple of ids, made on first use: figures that name their arms in the
    arms' order never need it (:meth:`ArmColumns.codes_of`), and at 1,000,000 arms it costs 0.6 s."""

    __slots__ = ("_ids", "_table")

    def __init__(self, ids: tuple[str, ...]) -> None:
        self._ids = ids
        self._table: dict[str, int] | None = None

    @property
    def table(self) -> dict[str, int]:
        if self._table is None:
            self._table = sliced.positions(self._ids)
        return self._table

    def __getitem__(self, key: str) -> int:
        return self.table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True, slots=True)
class TrialColumns:
    """Trials by code (their order in the catalog): population and primary-timepoint codes."""

    ids: tuple[str, ...]
    code: Mapping[str, int]
    population: IntArray  # code into ``populations``
    populations: tuple[str, ...]
    primary: tuple[str, ...]  # the primary timepoint, as text (matched to a figure table's codes there)
    rank: IntArray  # each trial's place in the order of the ids (a selection lists trials by id)
    by_id: IntArray  # the trials in the order of their ids

    @classmethod
    def of(cls, trials: Mapping[str, Trial]) -> TrialColumns:
        ids = tuple(trials)
        table: dict[str, int] = {}
        population = _codes(_field(trials.values(), "population"), table)
        by_id = np.array(sliced.order(ids), dtype=np.int32)
        rank = np.empty(len(ids), dtype=np.int32)
        rank[by_id] = np.arange(len(ids), dtype=np.int32)
        primary = tuple(_field(trials.values(), "primary_timepoint"))
        return cls(ids, sliced.positions(ids), population, tuple(table), primary, rank, by_id)


@dataclass(frozen=True, slots=True)
class ArmColumns:
    """Arms by code (their order in the catalog): role, drug, trial and whether randomised."""

    ids: tuple[str, ...]
    code: Mapping[str, int]
    role: npt.NDArray[np.int8]  # ROLE_CODE
    drug: IntArray  # code into ``drugs``; "" (placebo) is a code like any other
    drugs: tuple[str, ...]
    trial: IntArray  # code into TrialColumns
    randomised: BoolArray
    drug_index: Mapping[str, int]  # drug id -> code
    by_drug: IntArray  # arms grouped by drug (see ``in_groups``)
    drug_start: IntArray
    by_trial: IntArray  # arms grouped by trial, in catalog order within one (an arm of no known trial left out)
    trial_start: IntArray

    @classmethod
    def of(cls, arms: Mapping[str, Arm], trials: TrialColumns) -> ArmColumns:
        """The columns of ``arms``; of a :class:`~viewer.domain.by_id.ById`, read from its sequences (a
        table's from its codes: no Arm is made), each key's record taken when an id repeats."""
        ids = tuple(arms)
        records: Sequence[Arm] | Parts = Parts(arms.parts) if isinstance(arms, ById) else tuple(arms.values())
        rows = arms.rows() if isinstance(arms, ById) else None

        def column(name: str, convert: Callable[[Sequence[Any]], npt.NDArray[Any]]) -> Any:
            values = _column(records, name, convert)
            return values if rows is None else values[rows]

        table: dict[str, int] = {}
        drug = column("drug_id", lambda values: _codes(values, table))
        by_drug, drug_start = _grouped(drug, len(table))
        trial = column("trial_id", lambda values: _coded_by_runs(values, trials.ids, lambda: trials.code))
        by_trial, trial_start = _grouped(trial, len(trials.ids))
        return cls(
            ids=ids,
            code=_Positions(ids),
            role=column("role", lambda values: _mapped(values, ROLE_CODE.__getitem__, np.int8)),
            drug=drug,
            drugs=tuple(table),
            trial=trial,
            randomised=column("randomised", _flags),
            drug_index=table,
            by_drug=by_drug,
            drug_start=drug_start,
            by_trial=by_trial,
            trial_start=trial_start,
        )

    def codes_of(self, arm_ids: Sequence[str]) -> IntArray:
        """The codes of ``arm_ids`` (a figure table's arm column), -1 for an arm the catalog does not hold
        (see :func:`_coded_by_runs`: 2,000,000 lookups in a 1,000,000-arm table took 0.85 s)."""
        return _coded_by_runs(arm_ids, self.ids, lambda: _table(self.code))

    def trials_by_drug(self, trials: TrialColumns) -> dict[str, tuple[str, ...]]:
        """Each drug's trials (ids in order) for the drugs with an arm in a known trial, placebo ("") left
        out: the (drug, trial) pairs of the arms grouped by drug, a trial's arms of one drug (side by side
        there) taken once, then sorted when a drug's trials are not in id order already."""
        arms = self.by_drug[self.trial[self.by_drug] >= 0]
        if "" in self.drug_index:
            arms = arms[self.drug[arms] != self.drug_index[""]]
        count = max(len(trials.ids), 1)
        key = self.drug[arms].astype(np.int64) * count + trials.rank[self.trial[arms]]
        key = key[np.flatnonzero(np.diff(key, prepend=-1))]
        if len(key) > 1 and not bool(np.all(key[1:] >= key[:-1])):
            key = np.sort(key)
            key = key[np.flatnonzero(np.diff(key, prepend=-1))]
        drug, place = np.divmod(key, count)
        ids = sliced.pick(trials.ids, trials.by_id[place].tolist())
        ends = np.searchsorted(drug, np.arange(len(self.drugs) + 1)).tolist()
        return {name: tuple(ids[ends[k] : ends[k + 1]]) for k, name in enumerate(self.drugs) if ends[k] < ends[k + 1]}

    def drug_codes(self, drug_ids: Iterable[str]) -> IntArray:
        """The codes of the drugs that have arms (a drug id without any is left out)."""
        return np.array([self.drug_index[d] for d in drug_ids if d in self.drug_index], dtype=np.int32)


@dataclass(frozen=True, slots=True)
class FigureColumns:
    """Results (or adverse events) by their place in the catalog's sequence: the fields a selection and
    its comparisons read. ``endpoint`` is the outcome id or adverse-event term."""

    trial: IntArray
    arm: IntArray
    endpoint: IntArray
    endpoints: tuple[str, ...]
    timepoint: IntArray
    timepoints: tuple[str, ...]
    count: FloatArray  # responders or affected; nan when not known
    n: FloatArray  # nan when not known
    level: npt.NDArray[np.int8]  # LEVEL_CODE
    primary: IntArray  # per trial: the code of its primary timepoint here, -1 when no figure has it
    by_trial: IntArray  # figures grouped by trial, in catalog order within one (see ``in_groups``)
    trial_start: IntArray

    def endpoint_counts(self) -> dict[str, int]:
        """How many figures each outcome (or term) has, for those with any (from the codes)."""
        return _tally(self.endpoint, self.endpoints)

    def timepoint_counts(self) -> dict[str, int]:
        """How many figures each timepoint has, for those with any (from the codes)."""
        return _tally(self.timepoint, self.timepoints)

    def endpoints_of(self, rows: IntArray) -> tuple[str, ...]:
        """The outcomes (or terms) of these figures, each once."""
        return tuple(map(self.endpoints.__getitem__, _distinct(self.endpoint[rows]).tolist()))

    def timepoints_of(self, rows: IntArray) -> tuple[str, ...]:
        """The timepoints of these figures, each once."""
        return tuple(map(self.timepoints.__getitem__, _distinct(self.timepoint[rows]).tolist()))

    def at_endpoint(self, rows: IntArray, endpoint: str) -> IntArray:
        """Those of ``rows`` of one outcome (or term, as written)."""
        code = self.endpoints.index(endpoint) if endpoint in self.endpoints else -2
        out: IntArray = rows[self.endpoint[rows] == code]
        return out

    @classmethod
    def of_results(cls, results: Sequence[Result] | Parts, trials: TrialColumns, arms: ArmColumns) -> FigureColumns:
        return cls._of(results, ("outcome_id", "responders", "n"), trials, arms)

    @classmethod
    def of_events(cls, events: Sequence[AdverseEvent] | Parts, trials: TrialColumns, arms: ArmColumns) -> FigureColumns:
        return cls._of(events, ("term", "affected", "at_risk"), trials, arms)

    @classmethod
    def _of(
        cls,
        figures: Sequence[Result] | Sequence[AdverseEvent] | Parts,
        names: tuple[str, str, str],
        trials: TrialColumns,
        arms: ArmColumns,
    ) -> FigureColumns:
        """``names``: the fields holding each figure's endpoint (outcome or term), count and n."""
        endpoint_table: dict[str, int] = {}
        timepoint_table: dict[str, int] = {}
        timepoint = _column(figures, "timepoint", lambda values: _codes(values, timepoint_table))
        trial = _column(figures, "trial_id", lambda values: _coded_by_runs(values, trials.ids, lambda: trials.code))
        by_trial, trial_start = _grouped(trial, len(trials.ids))
        return cls(
            trial=trial,
            arm=_column(figures, "arm_id", arms.codes_of),
            endpoint=_column(figures, names[0], lambda values: _codes(values, endpoint_table)),
            endpoints=tuple(endpoint_table),
            timepoint=timepoint,
            timepoints=tuple(timepoint_table),
            count=_column(figures, names[1], _floats),
            n=_column(figures, names[2], _floats),
            level=_column(figures, "level", lambda values: _mapped(values, LEVEL_CODE.__getitem__, np.int8)),
            primary=_lookup(trials.primary, timepoint_table),
            by_trial=by_trial,
            trial_start=trial_start,
        )


@dataclass(frozen=True, slots=True)
class CatalogColumns:
    """Every column of one catalog: trials, arms, results and adverse events."""

    trials: TrialColumns
    arms: ArmColumns
    results: FigureColumns
    adverse_events: FigureColumns

    def with_figures(self, *, results: bool = True, adverse_events: bool = True) -> BoolArray:
        """Per arm (by code): whether a result (``results``) or an adverse event (``adverse_events``) names it."""
        has = np.zeros(len(self.arms.ids), dtype=np.bool_)
        for figures in (self.results,) * results + (self.adverse_events,) * adverse_events:
            has[figures.arm[figures.arm >= 0]] = True
        return has

    def treated_rows(self, trial_ids: Iterable[str], drug_ids: Iterable[str], *, adverse: bool) -> IntArray:
        """The figures (rows of the results, or of the adverse events) of these trials' arms of these drugs
        (in any role), trial by trial."""
        return self.treated(self.trial_rows(trial_ids, adverse=adverse), drug_ids, adverse=adverse)

    def trial_rows(self, trial_ids: Iterable[str], *, adverse: bool) -> IntArray:
        """The figures (rows of the results, or of the adverse events) of these trials, trial by trial (a trial
        the catalog lacks has none)."""
        figures = self.adverse_events if adverse else self.results
        code = self.trials.code
        trials = np.array([code[t] for t in trial_ids if t in code], dtype=np.int32)
        return in_groups(figures.by_trial, figures.trial_start, trials)

    def treated(self, rows: IntArray, drug_ids: Iterable[str], *, adverse: bool) -> IntArray:
        """Those of ``rows`` (of the results, or of the adverse events) whose arm is of one of these drugs."""
        arm = (self.adverse_events if adverse else self.results).arm[rows]
        chosen = np.zeros(len(self.arms.drugs), dtype=np.bool_)
        chosen[self.arms.drug_codes(drug_ids)] = True
        out: IntArray = rows[(arm >= 0) & chosen[self.arms.drug[arm]]]  # -1: an arm the catalog lacks, dropped
        return out

    def reported(self, trial_ids: Iterable[str], drug_id: str, outcome: str) -> list[tuple[str, str]]:
        """Each (trial, timepoint) at which these trials report ``outcome`` for an arm of ``drug_id``, once."""
        figures = self.results
        rows = figures.at_endpoint(self.treated_rows(trial_ids, (drug_id,), adverse=False), outcome)
        pairs = _distinct(figures.trial[rows].astype(np.int64) * len(figures.timepoints) + figures.timepoint[rows])
        trial, timepoint = np.divmod(pairs, max(len(figures.timepoints), 1))
        return list(
            zip(
                map(self.trials.ids.__getitem__, trial.tolist()),
                map(figures.timepoints.__getitem__, timepoint.tolist()),
                strict=True,
            )
        )

    def drugs_with_figures(self, *, adverse: bool) -> tuple[str, ...]:
        """The drug ids (placebo's "" among them) of the arms with results, or with adverse events."""
        has = self.with_figures(results=not adverse, adverse_events=adverse)
        return tuple(map(self.arms.drugs.__getitem__, _distinct(self.arms.drug[has]).tolist()))

    @classmethod
    def of(
        cls,
        trials: Mapping[str, Trial],
        arms: Mapping[str, Arm],
        results: Sequence[Result] | Parts,
        adverse_events: Sequence[AdverseEvent] | Parts,
    ) -> CatalogColumns:
        trial_columns = TrialColumns.of(trials)
        arm_columns = ArmColumns.of(arms, trial_columns)
        return cls(
            trial_columns,
            arm_columns,
            FigureColumns.of_results(results, trial_columns, arm_columns),
            FigureColumns.of_events(adverse_events, trial_columns, arm_columns),
        )
