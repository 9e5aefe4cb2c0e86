"""The forest plot as one panel per drug: stacked blocks on one effect axis, each titled with its drug.

A forest plot of three or four drugs is already grouped by drug (:class:`~viewer.charts.forest_layout.ForestLayout`);
as panels (:mod:`viewer.charts.panels`, ``PanelLayout.COLUMN``) each drug's rows become a plot of their own,
titled with the drug instead of a heading row, all on the same effect axis (the overlay's fixed range), so the
no-effect line and every value line up from panel to panel, as in a journal's subgroup forest plot
(Cochrane Handbook ch. 10, figure 10.2.a). Each panel keeps its rows' text columns (effect and CI, n/N, NNT)
and the values printed beside its arrowheads; the first panel carries the "favours" labels above its rows.
A ticked drug without rows keeps a panel saying why, so nothing vanishes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from viewer.charts.panels import PanelGroup, split_panels
from viewer.charts.spec import ChartSpec, PanelLayout, TextColumn

__all__ = ["EMPTY_RANGE", "forest_panels"]

EMPTY_RANGE = (0.0, 3.5)  # an empty panel's rows: three lines for its message (wrapped to a narrow plot)


def forest_panels(
    overlay: ChartSpec,
    blocks: Mapping[str, tuple[float, float]],
    names: Mapping[str, str],
    drugs: Sequence[str],
    absent: Mapping[str, str],
) -> ChartSpec:
    """``overlay`` (series tagged with their drug) as one stacked panel per ticked drug, in ``drugs`` order.

    ``blocks`` gives each drug with rows its stretch of the overlay's y axis; ``absent`` says why a drug has none.
    The panels share the overlay's x range; each keeps only its own rows' ticks, text cells and labels.
    """
    groups = [
        PanelGroup(
            d,
            names[d],
            empty_message=f"{names[d]}: {absent.get(d, 'no rows')}.",
            ticks=_within(overlay.y_ticks, blocks[d]) if d in blocks else (),
            own_range=blocks.get(d, EMPTY_RANGE),
            text_columns=tuple(
                TextColumn(c.title, _within(c.cells, blocks[d]) if d in blocks else ()) for c in overlay.text_columns
            ),
            labels=tuple(label for label in overlay.labels if d in blocks and _inside(label.y, blocks[d])),
        )
        for d in drugs
    ]
    return split_panels(overlay, groups, layout=PanelLayout.COLUMN)


def _inside(y: float, block: tuple[float, float]) -> bool:
    return block[0] <= y <= block[1]


def _within(cells: Sequence[tuple[float, str]], block: tuple[float, float]) -> tuple[tuple[float, str], ...]:
    return tuple(c for c in cells if _inside(c[0], block))
