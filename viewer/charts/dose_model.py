"""Dose-response across trials on the dose-response chart: a placebo-adjusted model per drug (Emax by
default; linear or log-linear as the user chooses) fitted over all its trials (model-based
meta-analysis, :mod:`viewer.domain.synthesis.dose_response`), drawn over the per-arm points with its 95%
band.

The trials are those :func:`~viewer.charts.evidence_pool.gather` allows (one population unless the user
combines them, one timepoint window), so the curve rests on the evidence the other synthesis charts use.
"""

from __future__ import annotations

import math

from viewer.charts.dose_axis import DoseAxis
from viewer.charts.evidence_pool import PLACEBO, gather
from viewer.charts.query import Query
from viewer.charts.spec import Band
from viewer.domain.approved_dose import ApprovedDose, approved_dose
from viewer.domain.catalog import Catalog
from viewer.domain.measures import Effect
from viewer.domain.model import ArmRole
from viewer.domain.synthesis.dose_response import DoseFit, DoseModel, DoseTrial, fit_dose_response

CURVE_POINTS = 101


def across_trial_bands(
    catalog: Catalog, query: Query, colours: dict[str, str]
) -> tuple[list[Band], list[str], tuple[str, ...]]:
    """One band per drug (percentage points) of the query's dose model, the footnotes naming each fit, and
    the caveats."""
    model = query.dose_model
    evidence = gather(catalog, query, combine_populations=query.combine_populations, comparators=False)
    if evidence.refused:
        return [], [f"{model.label} across trials not fitted. {evidence.refused}"], ()
    nodes = {n.name: n for n in evidence.nodes}
    bands: list[Band] = []
    notes: list[str] = []
    for drug_id, colour in colours.items():
        trials = []
        for t in evidence.trials:
            placebo = next((a for a in t.arms if a.treatment == PLACEBO), None)
            doses = tuple(
                (float(nodes[a.treatment].daily_dose_mg or 0.0), a) for a in t.arms
                if nodes[a.treatment].drug_id == drug_id and nodes[a.treatment].role is ArmRole.DRUG
                and (nodes[a.treatment].daily_dose_mg or 0.0) > 0
            )  # fmt: skip
            if placebo is not None and doses:
                trials.append(DoseTrial(t.trial, placebo, doses))
        name = catalog.drugs[drug_id].name
        if not trials:
            continue
        fit = fit_dose_response(trials, Effect.RD, model)
        if not fit.ok:
            notes.append(f"{name}: {model.label} across trials not fitted ({fit.reason}).")
            continue
        bands.append(_band(drug_id, name, colour, fit))
        approved = approved_dose(catalog.drugs[drug_id]) if query.dose_axis is DoseAxis.APPROVED else None
        notes.append(_note(name, fit) + (_at_approved(fit, approved) if approved else ""))
    if bands:
        ed50 = "; ED50 CI on the log scale" if model is DoseModel.EMAX else ""
        notes.insert(
            0,
            f"Curves: {model.label} model across trials on the placebo-adjusted risk difference, f(d) = "
            f"{model.citation} (trial random effects, tau² by REML; generalised least squares as DoseFinding), "
            f"95% delta-method band{ed50}.",
        )
    return bands, notes, evidence.caveats


def _band(drug_id: str, name: str, colour: str, fit: DoseFit) -> Band:
    """The curve in mg/day, in the drug's colour and panel (the chart moves it onto its dose axis)."""
    label = f"{fit.model.label} across trials · {name}"
    if fit.band_x:
        scale = [100.0 * v for v in fit.band_y]
        return Band(label, colour, fit.band_x, tuple(scale), tuple(100.0 * v for v in fit.band_low),
                    tuple(100.0 * v for v in fit.band_high), group=drug_id)  # fmt: skip
    top = max(fit.doses)
    xs = tuple(top * i / (CURVE_POINTS - 1) for i in range(CURVE_POINTS))
    return Band(label, colour, xs, tuple(100.0 * fit.predict(x) for x in xs), group=drug_id)


def _at_approved(fit: DoseFit, approved: ApprovedDose) -> str:
    """On the approved-dose axis: the curve at 1x (the drug's approved dose) with its 95% interval, and ED50 as
    a multiple, so drugs compare on one scale; a dose beyond the trials' doses is not extrapolated."""
    mg = approved.daily_mg
    if mg > max(fit.doses):
        return f" At 1x ({mg:g} mg/day): beyond the doses studied, not extrapolated."
    value, low, high = fit.interval(mg)
    ci = f" (95% CI {100 * low:+.1f} to {100 * high:+.1f})" if math.isfinite(low) else " (no interval: see above)"
    out = f" At 1x ({mg:g} mg/day): {100 * value:+.1f} pp{ci}"
    ed50 = fit.parameter("ED50")
    if ed50 is not None and math.isfinite(ed50.low):
        out += f"; ED50 {ed50.value / mg:.2g}x ({ed50.low / mg:.2g}x to {ed50.high / mg:.2g}x)"
    return out + "."


def _note(name: str, fit: DoseFit) -> str:
    parts = []
    for p in fit.parameters:
        ci = f"95% CI {100 * p.low:.3g} to {100 * p.high:.3g}"
        if p.name == "Emax":
            parts.append(f"Emax {100 * p.value:.1f} pp (95% CI {100 * p.low:.1f} to {100 * p.high:.1f})")
        elif p.name == "slope":
            parts.append(f"slope {100 * p.value:.3g} pp per mg/day ({ci})")
        elif p.name == "delta":
            parts.append(f"delta {100 * p.value:.3g} pp per unit of ln(dose + offset) ({ci})")
        elif math.isfinite(p.low):
            parts.append(f"ED50 {p.value:.3g} mg/day ({p.low:.3g} to {p.high:.3g})")
        else:
            parts.append(f"ED50 {p.value:.3g} mg/day (at its bound)")
    k = f"{fit.k_trials} trial{'s' if fit.k_trials != 1 else ''}, {fit.n_points} arms"
    extra = f"; {fit.reason}" if fit.reason else ""
    return f"{name}: {', '.join(parts)}; tau² {fit.tau2:.3g}; {k}{extra}."
