"""Colours and markers that survive colour blindness and greyscale printing, fixed for a whole session.

Okabe–Ito for drugs (R's default since 4.0), a neutral grey for legend keys that are not drugs, and
a marker per trial so no series is told apart by colour alone.

A drug's colour and a trial's marker follow the *catalog*, not the selection: the drug's place among the
catalog's drugs (load order: the shipped monographs, then the user's), the trial's place among the
drug's trials (by id). Ticking drugs in another order, or "verified figures only" dropping a trial, never
recolours the rest. In a panel (one drug) colour goes to the trials, by the same trial order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from viewer.charts.spec import Marker
from viewer.domain.catalog import Catalog

OKABE_ITO: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
# For trials within a panel: Okabe–Ito without the yellow (unreadable as a line on white) and black (on dark).
TRIAL_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
LEGEND_GREY = "#444444"  # trial markers in the legend: shape only, the colour belongs to the drug
# Comparators (an analysis' placebo or active comparator, a trial's active-comparator line): a mid grey at
# least 3:1 against both the light (white) and the dark (#1E1F22) chart backgrounds (WCAG 2.1 non-text
# contrast), where the legend's #444 all but vanished on the dark one.
COMPARATOR_GREY = "#7F7F7F"
MARKERS: tuple[Marker, ...] = tuple(Marker)  # circle, square, triangle, diamond, pentagon, hexagon, star, +, x


def drug_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def trial_symbol(index: int) -> Marker:
    return MARKERS[index % len(MARKERS)]


def trial_colour(index: int) -> str:
    return TRIAL_COLOURS[index % len(TRIAL_COLOURS)]


class DrugColours(Mapping[str, str]):
    """Every catalog drug's colour, by its place in the catalog, looked up when asked: a chart asks for a
    few drugs, and making all of them on every click costs a pass over 100,000 drugs."""

    def __init__(self, places: Mapping[str, int]) -> None:
        self._places = places

    def __getitem__(self, drug_id: str) -> str:
        return drug_colour(self._places[drug_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


def drug_colours(catalog: Catalog) -> DrugColours:
    """Every catalog drug's colour, by its place in the catalog."""
    return DrugColours(catalog.drug_places)


def trial_index(catalog: Catalog, drug_id: str, trial_id: str) -> int:
    """The trial's place among the drug's catalog trials (sorted by id); 0 for a trial the drug lacks."""
    trials = sorted(catalog.trials_of(drug_id))
    return trials.index(trial_id) if trial_id in trials else 0
