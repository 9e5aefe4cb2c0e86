"""The choices a query names (chart kind, dose axis, panels), apart from the machinery that draws on them.

A :class:`~viewer.charts.query.Query` and the session's rules only name these choices; the chart
descriptions (:mod:`viewer.charts.spec` and its placement), the dose scales and the panel split are
imported where a chart is asked for. So a load, a listing and a fresh interpreter's first read pay for
none of them (issue 17: the load of 100,000 arms counted them). Each module that works with a choice
re-exports it (``viewer.charts.spec.ChartKind``, ``viewer.charts.dose_axis.DoseAxis``,
``viewer.charts.panels.PanelMode``).
"""

from __future__ import annotations

from enum import StrEnum

from viewer.domain.approved_dose import RULE

__all__ = ["ChartKind", "DoseAxis", "PanelMode"]


class ChartKind(StrEnum):
    DOSE_RESPONSE = "dose-response"
    FOREST = "forest"
    TOLERABILITY = "tolerability"
    SAFETY_RATES = "safety-rates"  # class safety outcomes per 100 patient-years (integrated analyses, labels)
    SELECTIVITY = "selectivity"
    LEAGUE = "league"
    NETWORK = "network"


class DoseAxis(StrEnum):
    """How the dose axis of a dose-response or tolerability chart is scaled."""

    LINEAR = "linear"
    LOG = "log"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        """The menu text."""
        return _LABELS[self]

    @property
    def citation(self) -> str:
        """The tooltip: what the axis shows and where its scale comes from."""
        return _TIPS[self]


_TIPS = {
    DoseAxis.LINEAR: "Daily dose in mg on a linear axis (placebo at 0)",
    DoseAxis.LOG: "Daily dose in mg on a log axis with plain labels; placebo kept left of an axis break",
    DoseAxis.APPROVED: RULE,
}
_LABELS = {
    DoseAxis.LINEAR: "Daily dose, linear (mg/day)",
    DoseAxis.LOG: "Daily dose, log scale (mg/day)",
    DoseAxis.APPROVED: "Multiple of the approved RA dose (1x = approved)",
}


class PanelMode(StrEnum):
    """Whether a chart is split into one panel per drug: by default once two or more drugs are ticked."""

    AUTO = "auto"
    DRUG = "drug"
    NONE = "none"

    def applies(self, drugs: int) -> bool:
        """Whether a chart of ``drugs`` ticked drugs gets panels."""
        return self is PanelMode.DRUG or (self is PanelMode.AUTO and drugs >= 2)
