"""Colours and markers that survive colour blindness and greyscale printing.

Okabe–Ito for drugs (R's default since 4.0), a neutral grey for legend keys that are not drugs, and
a marker per trial so no series is told apart by colour alone.
"""

from __future__ import annotations

from viewer.charts.spec import Marker

OKABE_ITO: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
LEGEND_GREY = "#444444"  # trial markers in the legend: shape only, the colour belongs to the drug
MARKERS: tuple[Marker, ...] = tuple(Marker)  # circle, square, triangle, diamond, pentagon, hexagon, star, +, x


def drug_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def trial_symbol(index: int) -> Marker:
    return MARKERS[index % len(MARKERS)]
