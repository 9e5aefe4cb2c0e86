"""Response (or adverse-event) rate against daily dose: one colour per drug, one marker per trial.

The same builder serves efficacy and tolerability; only the figures differ. In placebo-adjusted mode each
arm is drawn as its difference from its own trial's placebo, with the chosen difference CI.
"""

from __future__ import annotations

import math
from collections import defaultdict

from viewer.charts.common import (
    HOLLOW_NOTE,
    MARK_OF,
    Selection,
    any_hollow,
    evidence_footnote,
    evidence_legend,
    figure_tooltip,
    honesty_warning,
    interval_text,
    select,
    source_footnote,
)
from viewer.charts.dose_model import across_trial_bands
from viewer.charts.palette import LEGEND_GREY
from viewer.charts.placement import LeftOut
from viewer.charts.query import Query
from viewer.charts.spec import Band, ChartKind, ChartSpec, LegendEntry, Point, RefLine, Series
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison, Figure
from viewer.domain.model import Arm, EvidenceLevel
from viewer.domain.stats import Estimate


def _no_daily_dose_why(arm: Arm) -> str:
    """Why an arm has no place on the dose axis: dose per kg or m², no frequency, no dose in the text."""
    if arm.unit in {"mg/kg", "µg/kg", "mg/m²", "µg/m²"}:
        return f"dose per body size ({arm.dose:g} {arm.unit})" if arm.dose is not None else "dose per body size"
    if arm.dose is not None and not arm.frequency:
        return "no dosing frequency given"
    if arm.dose is not None:
        return f"regimen {arm.frequency} gives no daily dose"
    return "no dose stated"


def no_daily_dose_note(comparisons: list[Comparison]) -> str:
    """Arms left off the dose axis, each with why."""
    parts = [f"{c.treated.arm.label} ({_no_daily_dose_why(c.treated.arm)})" for c in comparisons]
    shown = "; ".join(dict.fromkeys(parts))
    return f"Arms without a comparable daily dose, not drawn: {len(comparisons)}: {shown}."


def build_dose_response(catalog: Catalog, query: Query, *, adverse: bool = False) -> ChartSpec:
    sel = select(catalog, query, adverse=adverse)
    endpoint = query.ae_term[:1].upper() + query.ae_term[1:] if adverse else _outcome_title(catalog, query.outcome)
    kind = ChartKind.TOLERABILITY if adverse else ChartKind.DOSE_RESPONSE
    what = "with " + query.ae_term if adverse else "responding"
    if query.adjusted:
        title = f"{endpoint}: difference from placebo by daily dose"
        y_label = "Difference from placebo (percentage points)"
    else:
        title = f"{endpoint}: {'patients with the event' if adverse else 'response rate'} by daily dose"
        y_label = f"Patients {what} (%)"
    x_label = "Daily dose (mg/day, log scale)" if query.log_dose else "Daily dose (mg/day)"
    drawable = [c for c in sel.comparisons if c.treated.arm.daily_dose_mg is not None]
    no_dose = [c for c in sel.comparisons if c.treated.arm.daily_dose_mg is None]
    if not drawable:
        names = ", ".join(catalog.drugs[d].name for d in sel.drug_order) or "no drug"
        why = f" {no_daily_dose_note(no_dose)}" if no_dose else ""
        return ChartSpec(
            kind, title, x_label, y_label,
            empty_message=f"No {endpoint} figures for {names} with the current filters.{why}",
            left_out=_left_out(query, no_dose, []),
        )  # fmt: skip
    series, bands = (_adjusted_series if query.adjusted else _absolute_series)(catalog, query, sel, drawable)
    used = [c.treated for c in drawable] + [c.placebo for c in drawable if c.placebo is not None]
    footnotes = [_method_note(query, adverse)]
    caveats: tuple[str, ...] = ()
    if query.adjusted and query.emax and not adverse:
        colours = {d: sel.colour(d) for d in sel.drug_order}
        across, notes, caveats = across_trial_bands(catalog, query, colours)
        bands = [*bands, *across]
        footnotes += notes
    if query.log_dose and not query.adjusted:
        footnotes.append("Placebo (dose 0) cannot sit on a log axis; its rate is in each point's tooltip.")
    if any_hollow(used):
        footnotes.append(HOLLOW_NOTE)
    flagged = sum(1 for f in used if f.count_note)
    # one line each, always present, so the footnote block keeps its height from one outcome to the next
    footnotes.append(
        f"Counts from a percentage that fits no or several whole counts: {flagged} (the tooltip and the CSV's "
        "count_note say which)."
        if flagged
        else "Counts from a percentage that fits no or several whole counts: none."
    )
    footnotes.append(no_daily_dose_note(no_dose) if no_dose else "Arms without a comparable daily dose: none.")
    missing = [c for c in sel.comparisons if c.reason and query.adjusted]
    if missing:
        footnotes.append(f"{len(missing)} arm(s) without a placebo comparison are not drawn (hover for why).")
    footnotes.append(evidence_footnote(catalog, used))
    footnotes.append(source_footnote(catalog, used))
    doses = [c.treated.arm.daily_dose_mg or 0.0 for c in drawable]
    legend = _legend(catalog, sel, drawable, bool(bands), [f.level for f in used])
    return ChartSpec(
        kind=kind,
        title=title,
        x_label=x_label,
        y_label=y_label,
        series=tuple(series),
        bands=tuple(bands),
        legend=legend,
        ref_lines=(RefLine(0.0, vertical=False, label="placebo"),) if query.adjusted else (),
        x_log=query.log_dose,
        x_range=_x_range(doses, query.log_dose),
        y_range=None if query.adjusted else _y_range(series, adverse),
        footnotes=tuple(f for f in footnotes if f),
        warnings=tuple(w for w in (honesty_warning(used), *caveats) if w),
        left_out=_left_out(query, no_dose, drawable),
    )


def _left_out(query: Query, no_dose: list[Comparison], drawable: list[Comparison]) -> tuple[LeftOut, ...]:
    """The arms of the selection that get no point, each with why (the CSV's chart_note says it)."""
    out = [LeftOut(c.treated.key, f"no comparable daily dose: {_no_daily_dose_why(c.treated.arm)}") for c in no_dose]
    for c in drawable:
        if query.adjusted and c.rd is None:
            out.append(LeftOut(c.treated.key, c.reason or "no difference from placebo can be computed"))
        elif not query.adjusted and c.treated.proportion is None:
            out.append(LeftOut(c.treated.key, "no rate reported (neither counts nor a percentage)"))
    return tuple(out)


def _legend(
    catalog: Catalog, sel: Selection, drawn: list[Comparison], emax: bool, levels: list[EvidenceLevel]
) -> tuple[LegendEntry, ...]:
    """Each drug (a coloured line) followed by its trials (their markers in the drug's colour): short
    labels that flow into columns, and no marker shared by two series of one colour."""
    entries = []
    for d in sel.drug_order:
        trials = dict.fromkeys(c.treated.trial.id for c in drawn if c.treated.arm.drug_id == d)
        if not trials:
            continue
        entries.append(LegendEntry(catalog.drugs[d].name, sel.colour(d)))
        entries += [LegendEntry(catalog.trials[t].name, sel.colour(d), sel.symbol(d, t), line=False) for t in trials]
    if emax:
        entries.append(LegendEntry("Emax fit, 95% band", LEGEND_GREY))
    entries += evidence_legend(levels)
    return tuple(entries)


def _outcome_title(catalog: Catalog, outcome_id: str) -> str:
    outcome = catalog.outcomes.get(outcome_id)
    return outcome.title if outcome else outcome_id


def _method_note(query: Query, adverse: bool) -> str:
    if query.adjusted:
        return (
            f"Points: arm minus its own trial's placebo; bars: 95% {query.diff_ci.label} CI. Arms of one trial joined."
        )
    placebo = "" if query.log_dose else " Placebo at dose 0."
    return f"Bars: 95% {query.rate_ci.label} CI. Arms of one trial joined.{placebo}"


def _y_range(series: list[Series], adverse: bool) -> tuple[float, float]:
    """Response rates on a fixed 0-100% scale, so panes compare at a glance; adverse events up to the
    highest interval (rounded up to 5 points), since 0-100% would flatten a 2% herpes zoster rate."""
    if not adverse:
        return (0.0, 100.0)
    top = max((p.high if p.high is not None else p.y for s in series for p in s.points), default=10.0)
    return (0.0, min(100.0, 5.0 * math.ceil(top * 1.05 / 5.0)))


def _x_range(doses: list[float], log: bool) -> tuple[float, float]:
    top = max(doses) if doses else 1.0
    if log:
        positive = [d for d in doses if d > 0] or [1.0]
        return (min(positive) / 1.5, top * 1.5)
    return (-0.04 * top, top * 1.06)


def _by_trial(comparisons: list[Comparison]) -> dict[tuple[str, str, str], list[Comparison]]:
    groups: dict[tuple[str, str, str], list[Comparison]] = defaultdict(list)
    for c in comparisons:
        groups[(c.treated.arm.drug_id, c.treated.trial.id, c.treated.timepoint)].append(c)
    return groups


def _series_name(catalog: Catalog, drug_id: str, c: Comparison) -> str:
    when = f" ({c.treated.timepoint})" if c.treated.timepoint else ""
    return f"{catalog.drugs[drug_id].name} · {c.treated.trial.name}{when}"


def _hollow(f: Figure) -> bool:
    return f.level is not EvidenceLevel.VERIFIED


def _absolute_series(
    catalog: Catalog, query: Query, sel: Selection, comparisons: list[Comparison]
) -> tuple[list[Series], list[Band]]:
    series: list[Series] = []
    bands: list[Band] = []
    for (drug_id, trial_id, _tp), members in _by_trial(comparisons).items():
        members.sort(key=lambda c: c.treated.arm.daily_dose_mg or 0.0)
        points = []
        placebo = members[0].placebo
        placebo_rate = members[0].placebo_rate
        if placebo is not None and not query.log_dose and placebo.proportion is not None:
            points.append(_rate_point(catalog, placebo, placebo_rate, 0.0, members[0].placebo_label))
        for c in members:
            extra = [f"Placebo: {_placebo_text(c)}"] if c.placebo else ["No placebo arm in this trial"]
            if c.treated.proportion is not None:
                points.append(_rate_point(catalog, c.treated, c.rate, c.treated.arm.daily_dose_mg or 0.0, "", extra))
        name = _series_name(catalog, drug_id, members[0])
        colour = sel.colour(drug_id)
        series.append(Series(name, colour, sel.symbol(drug_id, trial_id), tuple(points)))
        if query.emax:
            band = _emax_band(name, colour, placebo, members)
            if band is not None:
                bands.append(band)
    return series, bands


def _placebo_text(c: Comparison) -> str:
    p = c.placebo
    if p is None:
        return "none"
    share = f"{100 * p.proportion:.1f}%" if p.proportion is not None else "?"
    counts = f"{p.count}/{p.n}" if p.has_counts else "n not reported"
    return f"{c.placebo_label}: {counts} = {share}"


def _rate_point(
    catalog: Catalog, f: Figure, est: Estimate | None, dose: float, label: str, extra: list[str] | None = None
) -> Point:
    proportion = f.proportion or 0.0
    return Point(
        x=dose,
        y=100 * proportion,
        low=100 * est.low if est else None,
        high=100 * est.high if est else None,
        label=label or f.arm.label,
        tooltip=figure_tooltip(catalog, f, est, extra or []),
        hollow=_hollow(f),
        mark=MARK_OF[f.level],
        key=f.key,
    )


def _adjusted_series(
    catalog: Catalog, query: Query, sel: Selection, comparisons: list[Comparison]
) -> tuple[list[Series], list[Band]]:
    series = []
    for (drug_id, trial_id, _tp), members in _by_trial(comparisons).items():
        members = sorted((c for c in members if c.rd is not None), key=lambda c: c.treated.arm.daily_dose_mg or 0.0)
        if not members:
            continue
        points = []
        for c in members:
            assert c.rd is not None
            extra = [
                f"Placebo: {_placebo_text(c)}",
                f"Difference {100 * c.rd.value:+.1f} pp, 95% CI {interval_text(c.rd, unit=' pp')}",
                f"{c.nnt.text() if c.nnt else ''}",
            ]
            points.append(
                Point(
                    x=c.treated.arm.daily_dose_mg or 0.0,
                    y=100 * c.rd.value,
                    low=100 * c.rd.low,
                    high=100 * c.rd.high,
                    label=c.treated.arm.label,
                    tooltip=figure_tooltip(catalog, c.treated, c.rate, [e for e in extra if e]),
                    hollow=c.level is not EvidenceLevel.VERIFIED,
                    mark=MARK_OF[c.level],
                    key=c.treated.key,
                )
            )
        series.append(
            Series(
                _series_name(catalog, drug_id, members[0]),
                sel.colour(drug_id),
                sel.symbol(drug_id, trial_id),
                tuple(points),
            )
        )
    return series, []


def _emax_band(name: str, colour: str, placebo: Figure | None, members: list[Comparison]) -> Band | None:
    """An Emax curve for one trial's arms with placebo, over the observed dose range only."""
    arms = [m.treated for m in members if m.treated.has_counts]
    if placebo is None or not placebo.has_counts or len(arms) < 2:
        return None
    from viewer.domain.emax import EmaxError, fit_emax

    doses = [0.0] + [a.arm.daily_dose_mg or 0.0 for a in arms]
    xs = [placebo.count or 0] + [a.count or 0 for a in arms]
    ns = [placebo.n or 1] + [a.n or 1 for a in arms]
    try:
        fit = fit_emax(doses, xs, ns, model="emax", scale="probability")
    except (EmaxError, ValueError, RuntimeError):
        return None
    top = max(doses)
    grid = tuple(top * i / 60 for i in range(61))
    centre = tuple(float(100 * v) for v in fit.predict(grid))
    low: tuple[float, ...] = ()
    high: tuple[float, ...] = ()
    if fit.has_band:
        lo, hi = fit.band(grid)
        low = tuple(float(100 * v) for v in lo)
        high = tuple(float(100 * v) for v in hi)
    if not all(math.isfinite(v) for v in (*centre, *low, *high)):
        return None
    p = fit.params
    label = f"Emax fit · {name}: E0 {100 * p['e0']:.0f}%, Emax {100 * p['emax']:.0f} pp, ED50 {p['ed50']:.3g} mg"
    if fit.at_bound:
        label += f" ({', '.join(fit.at_bound)} at a bound)"
    if fit.exact:
        label += " (exact fit: no band)"
    return Band(label, colour, grid, centre, low, high)
