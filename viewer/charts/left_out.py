"""What a placebo-comparison chart leaves out because of what the record says, as plain data.

Registry outcomes of the wrong kind (time-to-event, adjusted, rates of other units, continuous, unknown,
not posted) never become points; the forest, dose-response and tolerability charts name them in a
footnote, and their CSVs carry one row per outcome with its kind and reason (``left_out``). The same
list feeds ``drug-viewer list outcomes --verbose``. A tolerability chart names only the harm outcomes
kept out (adverse events posted as an outcome but estimated by Kaplan-Meier, say): the efficacy ones
say nothing about an adverse-event term.
"""

from __future__ import annotations

import textwrap
from collections import Counter

from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.domain.model import Direction, ExcludedOutcome

__all__ = ["KEPT_OUT_COLUMN", "kept_out", "kept_out_footnote", "kept_out_rows", "message_lines"]

KEPT_OUT_COLUMN = "left_out"
_NAMED = 2  # outcomes named in the footnote; the CSV lists every one


def kept_out(catalog: Catalog, trial_ids: list[str], *, adverse: bool = False) -> list[ExcludedOutcome]:
    """The registry outcomes of these trials kept out of the effect charts (harms only when ``adverse``)."""
    chosen = set(trial_ids)
    found = [x for ds in catalog.datasets for x in ds.excluded_outcomes if x.trial_id in chosen]
    if adverse:
        found = [x for x in found if x.direction is Direction.HARM]
    return found


def kept_out_footnote(items: list[ExcludedOutcome]) -> str:
    """'Registry outcomes kept out (not crude counts of participants): 5 (5 continuous measure), e.g. …'."""
    if not items:
        return ""
    by_kind = Counter(x.kind.value for x in items)
    kinds = ", ".join(f"{n} {kind}" for kind, n in by_kind.most_common())
    named = "; ".join(f"'{_short(x.title)}' ({x.reason})" for x in items[:_NAMED])
    more = f"; and {len(items) - _NAMED} more" if len(items) > _NAMED else ""
    return (
        f"Registry outcomes kept out (not crude counts of participants): {len(items)} ({kinds}), e.g. {named}{more}. "
        f"Each with its trial and reason in the CSV's {KEPT_OUT_COLUMN} column."
    )


def kept_out_rows(
    catalog: Catalog, query: Query, items: list[ExcludedOutcome]
) -> list[dict[str, str | int | float | None]]:
    """One CSV row per outcome kept out: trial, NCT, the outcome's title and ``kind: reason``."""
    rows: list[dict[str, str | int | float | None]] = []
    for x in items:
        trial = catalog.trials.get(x.trial_id)
        drugs = [
            catalog.drugs[d].name for d in query.drugs if d in catalog.drugs and x.trial_id in catalog.trials_of(d)
        ]
        rows.append(
            {
                "drug": ", ".join(drugs),
                "trial": trial.name if trial else x.trial_id,
                "nct": trial.nct if trial else "",
                "population": trial.population if trial else "",
                "outcome": x.title,
                "source": f"{trial.nct if trial else x.trial_id}; {x.location}",
                KEPT_OUT_COLUMN: f"{x.kind.value}: {x.reason}",
            }
        )
    return rows


def _short(title: str, limit: int = 60) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def message_lines(*parts: str, width: int = 96) -> str:
    """Lines for an empty chart's message, each at most ``width`` characters: the drawing centres one text
    item and does not wrap it, so a long reason ran off both sides of the plot."""
    return "\n".join(textwrap.fill(p, width) for p in parts if p)
