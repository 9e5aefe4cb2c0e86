"""The evidence marks' legend samples in both themes: the chart layer's neutral grey is drawn in the theme's
muted grey, so on the dark theme a filled (primary) and a tinted (secondary) sample stay distinct."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from viewer.charts.common import evidence_legend
from viewer.charts.palette import LEGEND_GREY
from viewer.charts.spec import ChartKind, ChartSpec, Mark
from viewer.domain.model import EvidenceLevel
from viewer.plot.legend import build_legend
from viewer.plot.style import DARK, LIGHT, Theme, tint


def _samples(theme: Theme) -> dict[str, Any]:
    spec = ChartSpec(ChartKind.DOSE_RESPONSE, "t", "x", "y", legend=evidence_legend(list(EvidenceLevel)))
    block = build_legend(spec, theme, 1.0)
    assert block is not None
    entries, _, _ = block.made_from
    return dict(entries)


def _lightness(color: str) -> float:
    return float(QColor(color).lightnessF())


def test_light_theme_keeps_the_chart_layers_grey(qapp: Any) -> None:
    samples = _samples(LIGHT)
    assert {s.color for s in samples.values()} == {LEGEND_GREY} == {LIGHT.muted}
    assert [s.mark for s in samples.values()] == [Mark.PRIMARY, Mark.SECONDARY, Mark.RECALLED]


def test_dark_theme_draws_the_marks_in_its_muted_grey(qapp: Any) -> None:
    samples = _samples(DARK)
    assert {s.color for s in samples.values()} == {DARK.muted}
    filled, tinted = DARK.muted, tint(DARK.muted, DARK.background)
    # filled and tinted samples differ clearly from each other and from the background (LEGEND_GREY did not:
    # its tint was within 0.05 lightness of the dark background)
    assert _lightness(filled) - _lightness(tinted) > 0.25
    assert _lightness(tinted) - _lightness(DARK.background) > 0.1
    assert _lightness(tint(LEGEND_GREY, DARK.background)) - _lightness(DARK.background) < 0.1
