"""When a selection holds more trials than a chart can show legibly: said as plain data, with the filter
that helps, for the screen, the exported files and the tests alike.

A 1.44-million-row spreadsheet once brought four drugs with 28,772 trials into one comparison: a legend
filling the pane and a forest of unreadable rows. The limits are trial counts per chart kind:

- forest plot: 40 trials. One row per drug arm against its placebo, about two rows a trial; at 80 rows
  a 700-pixel plot (a 1440x900 window) gives each row under 9 pixels, the least an 8-point label needs.
- dose-response and tolerability: 80 trials. One line per trial and drug; beyond that the lines of a
  panel merge into a band and no trial can be followed or hovered.

The shipped catalog holds at most 28 trials for any four drugs, so it is never crowded. Opening a file
asks before ticking drugs whose charts would hold more than :data:`ASK_ABOVE_TRIALS`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from viewer.charts.common import query_trials
from viewer.charts.query import Query
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.domain.catalog import Catalog

LEGIBLE_TRIALS: Final[dict[ChartKind, int]] = {
    ChartKind.FOREST: 40,
    ChartKind.DOSE_RESPONSE: 80,
    ChartKind.TOLERABILITY: 80,
}
ASK_ABOVE_TRIALS: Final = 1_000  # "thousands of trials": opening a file asks before ticking drugs with more


def trials_of_drugs(catalog: Catalog, drugs: tuple[str, ...]) -> tuple[str, ...]:
    """Trials with an arm of any of ``drugs``, each once, in the order the drugs bring them."""
    return tuple(dict.fromkeys(t for d in drugs for t in catalog.trials_of(d)))


def selected_trials(catalog: Catalog, query: Query) -> tuple[str, ...]:
    """The trials the query's charts may hold: of its drugs, within its trial filter and population
    (:func:`viewer.charts.common.query_trials`, the selection every chart builder starts from)."""
    return tuple(query_trials(catalog, query)[1])


def largest_trials(catalog: Catalog, trial_ids: tuple[str, ...], count: int) -> tuple[str, ...]:
    """The ``count`` trials with the most randomised patients (the sum of their arms' n), ties by name."""

    def size(trial_id: str) -> int:
        return sum(a.n or 0 for a in catalog.arms_of(trial_id))

    def name(trial_id: str) -> str:
        trial = catalog.trials.get(trial_id)
        return trial.name.casefold() if trial else trial_id

    return tuple(sorted(trial_ids, key=lambda t: (-size(t), name(t)))[:count])


@dataclass(frozen=True)
class Crowding:
    """A chart whose selection holds more trials than it can show legibly, and the filter offered."""

    kind: ChartKind
    trials: int  # trials the selection holds
    legible: int  # about as many as the chart shows legibly

    @property
    def message(self) -> str:
        return (
            f"{self.trials:,} trials selected: more than this chart shows legibly (about {self.legible}). "
            f"Filter the trials (Trials), keep the {self.legible} largest, or tick fewer drugs."
        )


def crowding(kind: ChartKind, catalog: Catalog, query: Query) -> Crowding | None:
    """The chart's crowding, or None when its selection is legible (or the kind draws no trials)."""
    legible = LEGIBLE_TRIALS.get(kind)
    if legible is None:
        return None
    count = len(selected_trials(catalog, query))
    return Crowding(kind, count, legible) if count > legible else None


def with_crowding(spec: ChartSpec, catalog: Catalog, query: Query) -> ChartSpec:
    """``spec`` with its crowding (if any) as the first warning, so the window and every file say it."""
    crowd = crowding(spec.kind, catalog, query)
    return spec if crowd is None else replace(spec, warnings=(crowd.message, *spec.warnings))


def new_drugs_question(catalog: Catalog, drugs: tuple[str, ...]) -> str:
    """Why opening a file asks before ticking ``drugs`` ('' when their charts stay under the limit)."""
    count = len(trials_of_drugs(catalog, drugs))
    if count <= ASK_ABOVE_TRIALS:
        return ""
    names = ", ".join(catalog.drugs[d].name if d in catalog.drugs else d for d in drugs)
    return (
        f"Comparing {names} would put {count:,} trials in each chart, far more than a chart shows "
        f"legibly (about {max(LEGIBLE_TRIALS.values())})."
    )
