"""The choices a user makes for a synthesis (dose-response model, pooling model, tau² estimator), alone.

Kept apart from the statistics so a query, the command line's options and the window's menus name them
without importing the fitting code (numpy linear algebra, effect sizes, the network model): the first
window and ``drug-viewer export`` of a chart that fits nothing do not load it (``make bench``: start-up
and command line). :mod:`~viewer.domain.synthesis.dose_response` and
:mod:`~viewer.domain.synthesis.pairwise` re-export them where they are used.
"""

from __future__ import annotations

from enum import StrEnum


class DoseModel(StrEnum):
    EMAX = "emax"
    LINEAR = "linear"
    LOG_LINEAR = "log-linear"

    @property
    def n_params(self) -> int:
        return 2 if self is DoseModel.EMAX else 1

    @property
    def label(self) -> str:
        return {DoseModel.EMAX: "Emax", DoseModel.LINEAR: "Linear", DoseModel.LOG_LINEAR: "Log-linear"}[self]

    @property
    def citation(self) -> str:
        """The model's formula as the footnote and the menu's tooltip give it (Bretz et al. 2005)."""
        return {
            DoseModel.EMAX: "Emax d / (ED50 + d) (Bretz, Pinheiro & Branson 2005, Biometrics 61:738)",
            DoseModel.LINEAR: "slope × d (Bretz, Pinheiro & Branson 2005, Biometrics 61:738)",
            DoseModel.LOG_LINEAR: "delta × [log(d + off) - log(off)], off 1% of the top dose (DoseFinding)",
        }[self]


class PoolModel(StrEnum):
    FIXED = "fixed"
    RANDOM = "random"


class Tau2Method(StrEnum):
    REML = "reml"
    DL = "dl"

    @property
    def label(self) -> str:
        return {Tau2Method.REML: "REML", Tau2Method.DL: "DerSimonian–Laird"}[self]

    @property
    def citation(self) -> str:
        return {
            Tau2Method.REML: "Restricted maximum likelihood (Viechtbauer 2005, J Educ Behav Stat 30:261)",
            Tau2Method.DL: "Method of moments (DerSimonian & Laird 1986, Control Clin Trials 7:177)",
        }[self]
