"""The common rows of a dataset folder's trial table, read straight from their cells (its arms and results
are read by columns: ``readers.arm_columns``, ``readers.result_columns``).

A 1,000,000-arm dataset is mostly rows that are plain (whole counts, known references, nothing to report):
for them the per-field checks of :class:`~viewer.domain.readers.fields.Row` only confirm what a few
comparisons can. Each function here returns the ``quick`` hook of ``fields.read_rows``: it takes such a row
into its list, or declines it, and a declined row goes through every check as before. Every condition is
one the full path checks and passes, so both paths give the same record (tests/readers prove it).
"""

from __future__ import annotations

from collections.abc import Callable

from viewer.domain.model import ArmRole, EvidenceLevel, Origin, Trial
from viewer.domain.readers.fields import QuickRow, is_nct
from viewer.domain.readers.sourcing import SourceKinds, level_rule

_ROLES = {role.value: role for role in ArmRole}


def _positions(header: list[str], names: tuple[str, ...]) -> tuple[list[int], bool]:
    """Where each of ``names`` is in the header (the last of equal names, as a Row reads them); a column the
    table lacks reads an empty cell added at the end of the row (``pad``: rows are then extended by one)."""
    where = {name: k for k, name in enumerate(header)}
    positions = [where.get(name, len(header)) for name in names]
    return positions, len(header) in positions


Sourced = tuple[EvidenceLevel, str] | None


def _sourced(source_ids: SourceKinds) -> tuple[dict[tuple[str, str], Sourced], Callable[[str, str], Sourced]]:
    """The level a row's cell names and the source id it cites, when that level may rest on that source
    (``level_rule``), else None; worked out once per pair of cells, as a table repeats a handful of them.
    Returns the pairs worked out so far (a row looks its pair up there first, without a call) and the check
    that works out a new one."""
    known: dict[tuple[str, str], Sourced] = {}
    sources = {s: s for s in source_ids}

    def check(raw_level: str, raw_source: str) -> Sourced:
        key = (raw_level, raw_source)
        if key not in known:
            level, source = EvidenceLevel.parse(raw_level), sources.get(raw_source)
            fine = level is not None and source is not None and not level_rule(level, source_ids[source], source)
            known[key] = (level, source) if fine and level is not None and source is not None else None
        return known[key]

    return known, check


def plain_trials(
    source_ids: SourceKinds, origin: Origin, out: list[tuple[int, Trial]]
) -> Callable[[list[str]], QuickRow | None]:
    """The common trial row (an id not seen before, its name and population, a well-formed NCT id or none,
    a whole randomised n or none, a level its source allows) read from its cells into ``out`` with its line;
    any other row is declined and goes through every check. Both paths give the same Trial."""
    known, sourced = _sourced(source_ids)
    texts: dict[str, str] = {}  # populations, phases, timepoints ..., kept once
    taken: set[str] = set()

    def factory(header: list[str]) -> QuickRow | None:
        names = ("id", "name", "nct", "phase", "population", "background", "primary_timepoint", "randomised_n")
        positions, pad = _positions(header, (*names, "indication", "source", "level", "note"))
        id_at, name_at, nct_at, phase_at, population_at, background_at, primary_at, randomised_at = positions[:8]
        indication_at, source_at, level_at, note_at = positions[8:]

        def take(cells: list[str], line: int) -> bool:
            if pad:
                cells = [*cells, ""]
            trial_id, name, nct = cells[id_at].strip(), cells[name_at].strip(), cells[nct_at].strip().upper()
            population, raw_n = cells[population_at].strip(), cells[randomised_at]
            pair = (cells[level_at], cells[source_at])
            checked = known[pair] if pair in known else sourced(*pair)
            if (
                not trial_id
                or trial_id in taken
                or not name
                or not population
                or checked is None
                or (nct and not is_nct(nct))
                or (raw_n and not (raw_n.isascii() and raw_n.isdigit()))
            ):
                return False
            taken.add(trial_id)
            level, source = checked
            kept = [
                texts.setdefault(t, t)
                for t in (cells[k].strip() for k in (phase_at, background_at, primary_at, indication_at))
            ]
            phase, background, primary, indication = kept
            trial = Trial(
                trial_id, name, nct, phase, texts.setdefault(population, population), background, primary,
                int(raw_n) if raw_n else None, indication, source, level, origin, cells[note_at].strip(),
            )  # fmt: skip
            out.append((line, trial))
            return True

        return take

    return factory
