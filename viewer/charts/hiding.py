"""Series hidden on screen by a click on their legend entry, as plain chart data.

A legend entry names a series ("Upadacitinib · SELECT-NEXT (week 12)"), a drug or a trial keyed on its own
(colour and marker keyed apart), or a fitted curve. Clicking it hides what it names and clicking again shows
it; :func:`hide` marks those series and curves ``hidden`` (the placement is unchanged, so no axis moves), keeps
the entry in the legend greyed out, and says in a footnote what is hidden: nothing leaves the chart unsaid.
Exports draw the chart as built, with nothing hidden.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from viewer.charts.spec import Band, ChartSpec, Series

__all__ = ["hidable", "hide", "name_parts"]


def name_parts(name: str) -> set[str]:
    """What a legend entry may call a series 'Upadacitinib · SELECT-NEXT (week 12)': the whole name, the drug,
    the trial with and without its timepoint."""
    parts = {name, *name.split(" · ")}
    return parts | {part.split(" (")[0] for part in parts}


def _curve(band: Band) -> str:
    """A curve's legend words are its name up to the colon (its parameters are in the footnotes)."""
    return band.name.split(":")[0]


def _names(label: str, series: Series) -> bool:
    return label in name_parts(series.name)


def _names_band(label: str, band: Band) -> bool:
    return bool(band.name) and (label == band.name or label.startswith(_curve(band)))


def hidable(spec: ChartSpec, label: str) -> bool:
    """Whether the legend entry ``label`` names any series or curve of ``spec`` (or of its panels)."""
    charts = spec.panels or (spec,)
    return any(_names(label, s) for c in charts for s in c.series) or any(
        _names_band(label, b) for c in charts for b in c.bands
    )


def hide(spec: ChartSpec, labels: Collection[str]) -> ChartSpec:
    """``spec`` with what the legend entries ``labels`` name hidden, their entries greyed and a footnote."""
    shown = [label for label in labels if hidable(spec, label)]
    if not shown:
        return spec
    note = f"Hidden on screen (click its legend entry to show it again): {', '.join(sorted(shown))}."
    if spec.panels:
        return replace(spec, panels=tuple(_hidden(p, shown) for p in spec.panels), footnotes=(*spec.footnotes, note))
    return replace(_hidden(spec, shown), footnotes=(*spec.footnotes, note))


def _hidden(spec: ChartSpec, labels: list[str]) -> ChartSpec:
    series = tuple(replace(s, hidden=True) if any(_names(lb, s) for lb in labels) else s for s in spec.series)
    bands = tuple(replace(b, hidden=True) if any(_names_band(lb, b) for lb in labels) else b for b in spec.bands)
    legend = tuple(replace(e, hidden=True) if e.label in labels else e for e in spec.legend)
    return replace(spec, series=series, bands=bands, legend=legend)
