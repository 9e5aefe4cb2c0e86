"""What the user asked to see: the one state every chart, table and export is computed from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypedDict, Unpack

from viewer.charts.choices import DoseAxis, PanelMode

# The query's choices are the domain's vocabulary itself (labels and citations included), re-exported here.
from viewer.domain.measures import DiffCI, Effect, RateCI
from viewer.domain.synthesis.options import DoseModel, PoolModel, Tau2Method

__all__ = [
    "DEFAULT_DRUGS", "MAX_DRUGS", "DiffCI", "DoseAxis", "DoseModel", "Effect", "PanelMode", "Query", "QueryChanges",
    "RateCI",
]  # fmt: skip

DEFAULT_DRUGS: tuple[str, ...] = ("upadacitinib", "tofacitinib", "baricitinib")
MAX_DRUGS = 4


class QueryChanges(TypedDict, total=False):
    """The fields of :class:`Query` with their types, so ``with_(outcme=...)`` fails mypy (and, at run
    time, ``dataclasses.replace`` refuses a field the dataclass does not have)."""

    drugs: tuple[str, ...]
    outcome: str
    timepoint: str
    population: str
    trials: tuple[str, ...]
    adjusted: bool
    effect: Effect
    diff_ci: DiffCI
    rate_ci: RateCI
    dose_axis: DoseAxis
    panels: PanelMode
    ic50_raw: bool
    emax: bool
    verified_only: bool
    ae_term: str
    safety_term: str
    pool: PoolModel | None
    tau2: Tau2Method
    hksj: bool
    combine_populations: bool
    pool_doses: bool
    dose_model: DoseModel


@dataclass(frozen=True, slots=True)
class Query:
    """Selection and controls shared by all charts. Empty filters mean "all"."""

    drugs: tuple[str, ...] = DEFAULT_DRUGS
    outcome: str = "ACR20"
    timepoint: str = ""
    population: str = ""
    trials: tuple[str, ...] = ()
    adjusted: bool = False  # placebo-adjusted difference instead of absolute rate
    effect: Effect = Effect.RD
    diff_ci: DiffCI = DiffCI.NEWCOMBE
    rate_ci: RateCI = RateCI.WILSON
    dose_axis: DoseAxis = DoseAxis.LINEAR  # mg/day linear or log, or multiples of the approved dose
    panels: PanelMode = PanelMode.AUTO  # one panel per drug once two or more are ticked
    ic50_raw: bool = False  # selectivity: the raw IC50s instead of the fold against JAK1
    emax: bool = False
    verified_only: bool = False
    ae_term: str = "any adverse event"
    safety_term: str = "serious infection"  # the class safety outcome of the patient-year rate chart
    pool: PoolModel | None = None  # pooled rows on the forest plot (None: none); the network's model
    tau2: Tau2Method = Tau2Method.REML
    hksj: bool = False
    combine_populations: bool = False  # across-trial analyses refuse mixed populations unless this is set
    pool_doses: bool = False  # pooled rows: a drug's doses together instead of each dose on its own
    dose_model: DoseModel = DoseModel.EMAX  # the dose-response model fitted across trials

    def with_(self, **changes: Unpack[QueryChanges]) -> Query:
        """A copy with some fields changed (the state object emits one signal per new Query)."""
        return replace(self, **changes)
