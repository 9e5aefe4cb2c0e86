"""Response (or adverse-event) rate against daily dose: one panel per drug, or every drug in one plot.

The same builder serves efficacy and tolerability; only the figures differ. In placebo-adjusted mode each
arm is drawn as its difference from its own trial's placebo, with the chosen difference CI.

With two or more drugs the chart is split into one panel per drug by default (:mod:`viewer.charts.panels`):
the response axis is shared, each drug keeps its own dose range, colour and marker go to the trials and
each panel has its own short legend. In one plot colour is the drug's and the marker the trial's. The
dose axis is mg/day (linear or log, placebo kept beyond a break) or multiples of each drug's approved
dose (:mod:`viewer.charts.dose_axis`). Nothing ticked vanishes: a drug without figures keeps its panel
(or a footnote) with the reason, and every arm not drawn is listed by name with why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

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
    query_trials,
    select,
    source_footnote,
)
from viewer.charts.comparator_arms import (
    comparator_figures,
    comparator_footnote,
    comparator_left_out,
    comparator_series,
)
from viewer.charts.dose_axis import DoseAxis, DoseScale, approved_label_clear, dose_scale
from viewer.charts.left_out import kept_out, kept_out_footnote, message_lines
from viewer.charts.panels import PanelGroup, split_panels
from viewer.charts.placement import LeftOut
from viewer.charts.query import Query
from viewer.charts.spec import Band, ChartKind, ChartSpec, LegendEntry, Point, RefLine, Series
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison, Figure
from viewer.domain.model import EvidenceLevel
from viewer.domain.stats import Estimate

Colour = Callable[[str, str], str]  # (drug, trial) -> colour


def no_daily_dose_note(comparisons: list[Comparison]) -> str:
    """Arms left off the dose axis, each with why."""
    parts = [f"{c.treated.arm.label} ({c.treated.arm.no_daily_dose_why()})" for c in comparisons]
    shown = "; ".join(dict.fromkeys(parts))
    return f"Arms without a comparable daily dose, not drawn: {len(comparisons)}: {shown}."


def build_dose_response(catalog: Catalog, query: Query, *, adverse: bool = False) -> ChartSpec:
    sel = select(catalog, query, adverse=adverse)
    endpoint = query.ae_term[:1].upper() + query.ae_term[1:] if adverse else _outcome_title(catalog, query.outcome)
    # in a sentence the term keeps its own case, quoted: "no figures for 'herpes zoster'", "no ACR20 figures"
    figures = f"figures for '{query.ae_term}'" if adverse else f"{endpoint} figures"
    kind = ChartKind.TOLERABILITY if adverse else ChartKind.DOSE_RESPONSE
    what = "with " + query.ae_term if adverse else "responding"
    if query.adjusted:
        title = f"{endpoint}: difference from placebo by daily dose"
        y_label = "Difference from placebo (percentage points)"
    else:
        title = f"{endpoint}: {'patients with the event' if adverse else 'response rate'} by daily dose"
        y_label = f"Patients {what} (%)"
    dosed = [c for c in sel.comparisons if c.treated.arm.daily_dose_mg is not None]
    no_dose = [c for c in sel.comparisons if c.treated.arm.daily_dose_mg is None]
    placebo = not query.adjusted  # placebo is a point (dose 0) only on the absolute scale
    scale = dose_scale(query.dose_axis, catalog, [(c.treated.arm.drug_id, _mg(c)) for c in dosed], placebo=placebo)
    off_axis = [c for c in dosed if scale.why_not(c.treated.arm.drug_id)]
    drawable = [c for c in dosed if not scale.why_not(c.treated.arm.drug_id)]
    names = {d: catalog.drugs[d].name for d in sel.drug_order}
    kept_note = kept_out_footnote(kept_out(catalog, query_trials(catalog, query)[1], adverse=adverse))
    if not drawable:
        who = ", ".join(names.values()) or "no drug"
        why = f" {no_daily_dose_note(no_dose)}" if no_dose else ""
        why += "".join(f" {n}" for n in scale.notes(names)[1:]) if off_axis else ""
        why += f"\n{message_lines(kept_note)}" if kept_note else ""
        return ChartSpec(
            kind, title, scale.title, y_label,
            empty_message=f"No {figures} for {who} with the current filters.{why}",
            left_out=_left_out(query, no_dose, [], off_axis, scale),
        )  # fmt: skip
    panelled = query.panels.applies(len(sel.drug_order))
    scales = _scales(catalog, query, sel, drawable, scale, panelled, placebo)
    colour: Colour = sel.trial_colour if panelled else (lambda d, _t: sel.colour(d))
    fits: list[tuple[str, str]] = []  # per-trial Emax curves not drawn, and why
    if query.adjusted:
        series, bands = _adjusted_series(catalog, query, sel, drawable, scales, colour)
    else:
        series, bands = _absolute_series(catalog, query, sel, drawable, scales, colour, fits)
    comparators = comparator_figures(catalog, query, sel.comparisons, adverse=adverse)
    compared: list[LegendEntry] = []
    if not query.adjusted:
        trial_groups = {c.treated.trial.id: c.treated.arm.drug_id for c in drawable}
        extra, compared = comparator_series(catalog, query, comparators, series, trial_groups)
        series += extra
    shown_keys = {p.key for s in series for p in s.points if p.key}
    used = [c.treated for c in drawable] + [c.placebo for c in drawable if c.placebo is not None]
    used += [f for f in comparators if f.key in shown_keys]
    placebo_drawn = any(c.placebo is not None and c.placebo.key in shown_keys for c in drawable)
    method = _method_note(query, placebo_drawn=placebo_drawn)
    footnotes = [method, *_fit_footnotes(fits), comparator_footnote(comparators, shown_keys)]
    caveats: tuple[str, ...] = ()
    if query.adjusted and query.emax and not adverse:
        from viewer.charts.dose_model import across_trial_bands  # the fitting code, only for a fit

        colours = {d: sel.colour(d) for d in sel.drug_order}
        across, notes, caveats = across_trial_bands(catalog, query, colours)
        bands = [*bands, *(_scaled_band(b, scales) for b in across)]
        footnotes += notes
    footnotes += [f"Emax fits: {b.name}." for b in bands if b.name.startswith("Emax fit ·")]
    footnotes += scale.notes(names)
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
    footnotes.append(kept_note)
    if query.adjusted:
        footnotes.append(_no_placebo_note(catalog, [c for c in sel.comparisons if c.reason]))
    absent = _absent_drugs(catalog, sel, drawable, figures, scale)
    if absent and not panelled:
        footnotes.append("Not in the chart: " + "; ".join(f"{names[d]} ({why})" for d, why in absent.items()) + ".")
    footnotes.append(evidence_footnote(catalog, used))
    footnotes.append(source_footnote(catalog, used))
    ref_lines = (RefLine(0.0, vertical=False, label="placebo"),) if query.adjusted else ()
    overlay = ChartSpec(
        kind=kind,
        title=title,
        x_label=scale.title,
        y_label=y_label,
        series=tuple(series),
        bands=tuple(bands),
        legend=() if panelled else _legend(catalog, sel, drawable, bands, [f.level for f in used], compared),
        ref_lines=ref_lines + scale.ref_lines(),
        x_log=scale.log,
        x_range=scale.x_range,
        x_ticks=scale.ticks(),
        y_range=None if query.adjusted else _y_range(series, adverse),
        footnotes=tuple(f for f in footnotes if f),
        warnings=tuple(w for w in (honesty_warning(used), *caveats) if w),
        left_out=(
            *_left_out(query, no_dose, drawable, off_axis, scale),
            *comparator_left_out(comparators, shown_keys, adjusted=query.adjusted),
        ),
    )
    if not panelled:
        return approved_label_clear(overlay)
    groups = [
        _panel_group(catalog, sel, d, drawable, bands, scales[d], absent.get(d, ""), ref_lines) for d in sel.drug_order
    ]
    # the active comparators and the evidence marks get their legend entries once, in the first panel
    marks = (*compared, *evidence_legend(f.level for f in used))
    if marks and groups:
        groups[0] = replace(groups[0], legend=groups[0].legend + marks)
    return split_panels(overlay, groups, share_x=query.dose_axis is DoseAxis.APPROVED, finish=approved_label_clear)


def _mg(c: Comparison) -> float:
    return c.treated.arm.daily_dose_mg or 0.0


def _scales(
    catalog: Catalog,
    query: Query,
    sel: Selection,
    drawn: list[Comparison],
    overall: DoseScale,
    panelled: bool,
    placebo: bool,
) -> dict[str, DoseScale]:
    """The dose scale of each drug: one for all in one plot (and on the approved axis, where 1x is shared);
    a drug's own mg range in its panel, so 200 mg filgotinib does not squeeze a 4 mg drug."""
    if not panelled or query.dose_axis is DoseAxis.APPROVED:
        return dict.fromkeys(sel.drug_order, overall)
    return {
        d: dose_scale(
            query.dose_axis, catalog, [(d, _mg(c)) for c in drawn if c.treated.arm.drug_id == d], placebo=placebo
        )
        for d in sel.drug_order
    }


def _panel_group(
    catalog: Catalog,
    sel: Selection,
    drug_id: str,
    drawn: list[Comparison],
    bands: Sequence[Band],
    scale: DoseScale,
    absent: str,
    ref_lines: tuple[RefLine, ...],
) -> PanelGroup:
    """One drug's panel: its trials (colour and marker each) and its curves, in a compact legend; ``ref_lines``
    (the placebo line of a difference chart) and its own scale's lines: the log axis' break sits between
    this drug's placebo and its lowest dose, not the lowest dose of all drugs (which put tofacitinib's break
    left of its placebo and upadacitinib's outside its plot)."""
    mine = [c for c in drawn if c.treated.arm.drug_id == drug_id]
    name = catalog.drugs[drug_id].name
    trials = dict.fromkeys(c.treated.trial.id for c in mine)
    entries = [
        LegendEntry(catalog.trials[t].name, sel.trial_colour(drug_id, t), sel.symbol(drug_id, t)) for t in trials
    ]
    entries += [LegendEntry(_band_legend(b), b.color, None, band=bool(b.low)) for b in bands if b.group == drug_id]
    # the evidence marks are explained in the footnotes (HOLLOW_NOTE) and keyed once, in the first panel
    return PanelGroup(
        drug_id,
        name,
        tuple(entries),
        empty_message=f"{name}: {absent}." if absent else "",
        ticks=scale.ticks(),
        own_range=scale.x_range,
        ref_lines=ref_lines + scale.ref_lines(),
    )


def _absent_drugs(
    catalog: Catalog, sel: Selection, drawn: list[Comparison], figures: str, scale: DoseScale
) -> dict[str, str]:
    """Each ticked drug with nothing drawn, and why (``figures``: what is missing, "ACR20 figures")."""
    shown = {c.treated.arm.drug_id for c in drawn}
    out = {}
    for d in sel.drug_order:
        if d in shown:
            continue
        if scale.why_not(d) and any(c.treated.arm.drug_id == d for c in sel.comparisons):
            out[d] = f"{scale.why_not(d)}, so not on the approved-dose axis"
        elif any(c.treated.arm.drug_id == d for c in sel.comparisons):
            out[d] = "no arm with a comparable daily dose"
        else:
            out[d] = f"no {figures} in its trials with the current filters"
    return out


def _no_placebo_note(catalog: Catalog, missing: list[Comparison]) -> str:
    """Arms without a placebo comparison, each named with its trial and why, instead of a bare count."""
    if not missing:
        return ""
    parts = dict.fromkeys(
        f"{catalog.drugs[c.treated.arm.drug_id].name if c.treated.arm.drug_id in catalog.drugs else ''} "
        f"{c.treated.arm.label} in {c.treated.trial.name} ({c.reason})".strip()
        for c in missing
    )
    return f"Not drawn, no placebo comparison: {len(missing)} arm(s): " + "; ".join(parts) + "."


def _band_legend(band: Band) -> str:
    """A curve's legend line: what it is and for which trial or drug (its parameters are in the footnotes)."""
    what = band.name.split(":")[0]
    return f"{what}, 95% band" if band.low else what


def _left_out(
    query: Query, no_dose: list[Comparison], drawable: list[Comparison], off_axis: list[Comparison], scale: DoseScale
) -> tuple[LeftOut, ...]:
    """The arms of the selection that get no point, each with why (the CSV's chart_note says it)."""
    out = [LeftOut(c.treated.key, f"no comparable daily dose: {c.treated.arm.no_daily_dose_why()}") for c in no_dose]
    out += [LeftOut(c.treated.key, f"{scale.why_not(c.treated.arm.drug_id)} (approved-dose axis)") for c in off_axis]
    for c in drawable:
        if query.adjusted and c.rd is None:
            out.append(LeftOut(c.treated.key, c.reason or "no difference from placebo can be computed"))
        elif not query.adjusted and c.treated.proportion is None:
            out.append(LeftOut(c.treated.key, "no rate reported (neither counts nor a percentage)"))
    return tuple(out)


def _legend(
    catalog: Catalog,
    sel: Selection,
    drawn: list[Comparison],
    bands: Sequence[Band],
    levels: list[EvidenceLevel],
    compared: Sequence[LegendEntry],
) -> tuple[LegendEntry, ...]:
    """Each drug (a coloured line) followed by its trials (their markers in the drug's colour), then each
    curve in its own colour and each active comparator: short labels that flow into columns."""
    entries = []
    for d in sel.drug_order:
        trials = dict.fromkeys(c.treated.trial.id for c in drawn if c.treated.arm.drug_id == d)
        if not trials:
            continue
        entries.append(LegendEntry(catalog.drugs[d].name, sel.colour(d)))
        entries += [LegendEntry(catalog.trials[t].name, sel.colour(d), sel.symbol(d, t), line=False) for t in trials]
    entries += [LegendEntry(_band_legend(b), b.color, None, band=bool(b.low)) for b in bands]
    entries += compared
    entries += evidence_legend(levels)
    return tuple(entries)


def _outcome_title(catalog: Catalog, outcome_id: str) -> str:
    outcome = catalog.outcomes.get(outcome_id)
    return outcome.title if outcome else outcome_id


def _method_note(query: Query, *, placebo_drawn: bool) -> str:
    """How the points and bars are made; where placebo sits when a placebo arm is drawn (a trial without one,
    ORAL Surveillance, draws none; on the log axis the axis note says where)."""
    if query.adjusted:
        return (
            f"Points: arm minus its own trial's placebo; bars: 95% {query.diff_ci.label} CI. Arms of one trial joined."
        )
    placebo = " Placebo at dose 0." if placebo_drawn and query.dose_axis is not DoseAxis.LOG else ""
    return f"Bars: 95% {query.rate_ci.label} CI. Arms of one trial joined.{placebo}"


def _y_range(series: list[Series], adverse: bool) -> tuple[float, float]:
    """Response rates on a fixed 0-100% scale, so panes compare at a glance; adverse events up to the
    highest interval (rounded up to 5 points), since 0-100% would flatten a 2% herpes zoster rate."""
    if not adverse:
        return (0.0, 100.0)
    top = max((p.high if p.high is not None else p.y for s in series for p in s.points), default=10.0)
    return (0.0, min(100.0, 5.0 * math.ceil(top * 1.05 / 5.0)))


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


def _treated_x(scale: DoseScale, drug_id: str, mg: float) -> float | None:
    """A treated arm's place: a 0 mg arm (a run-in) is not placebo, so it gets 0, which a log axis cannot
    place (the chart and the CSV then say so), rather than placebo's place beyond the break."""
    return scale.x(drug_id, mg) if mg > 0 else 0.0


def _dose_line(scale: DoseScale, drug_id: str, mg: float) -> list[str]:
    """The tooltip line that says where a dose sits on the approved-dose axis."""
    x = scale.x(drug_id, mg)
    if scale.axis is not DoseAxis.APPROVED or x is None or mg <= 0:
        return []
    approved = scale.approved.get(drug_id)
    return [f"{x:.3g}x the approved dose ({approved.daily_mg:g} mg/day)"] if approved else []


def _absolute_series(
    catalog: Catalog,
    query: Query,
    sel: Selection,
    comparisons: list[Comparison],
    scales: dict[str, DoseScale],
    colour: Colour,
    fits: list[tuple[str, str]],
) -> tuple[list[Series], list[Band]]:
    """The rate series, one per drug and trial; with ``query.emax`` each trial's Emax band, and in ``fits``
    every trial whose curve is not drawn, with why (:func:`_emax_band`)."""
    series: list[Series] = []
    bands: list[Band] = []
    for (drug_id, trial_id, _tp), members in _by_trial(comparisons).items():
        scale = scales[drug_id]
        members.sort(key=_mg)
        points = []
        placebo = members[0].placebo
        placebo_rate = members[0].placebo_rate
        if placebo is not None and placebo.proportion is not None:
            points.append(_rate_point(catalog, placebo, placebo_rate, scale.placebo_x, members[0].placebo_label))
        for c in members:
            extra = [f"Placebo: {_placebo_text(c)}"] if c.placebo else ["No placebo arm in this trial"]
            x = _treated_x(scale, drug_id, _mg(c))
            if c.treated.proportion is not None and x is not None:
                extra += _dose_line(scale, drug_id, _mg(c))
                points.append(_rate_point(catalog, c.treated, c.rate, x, "", extra))
        name = _series_name(catalog, drug_id, members[0])
        tint = colour(drug_id, trial_id)
        series.append(Series(name, tint, sel.symbol(drug_id, trial_id), tuple(points), group=drug_id))
        if query.emax:
            band, why = _emax_band(name, tint, placebo, members)
            if band is not None:
                bands.append(_scaled_band(Band(band.name, tint, band.x, band.y, band.low, band.high, drug_id), scales))
            else:
                fits.append((name, why))
    return series, bands


def _fit_footnotes(fits: list[tuple[str, str]]) -> list[str]:
    """One line per reason a trial's Emax curve is missing, naming each series ('Emax fit not drawn (fewer
    than two doses with counts): Drug · Trial, …')."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for name, why in fits:
        by_reason[why].append(name)
    return [f"Emax fit not drawn ({why}): {', '.join(names)}." for why, names in by_reason.items()]


def trial_emax_notes(catalog: Catalog, query: Query) -> dict[tuple[str, str, str], str]:
    """For the CSV: each trial's Emax fit in words, by (drug, trial, timepoint): its parameters (and any
    parameter at a bound), or why no curve is drawn. Empty unless the chart fits per-trial Emax curves."""
    if not query.emax or query.adjusted:
        return {}
    sel = select(catalog, query)
    drawable = [c for c in sel.comparisons if c.treated.arm.daily_dose_mg is not None]
    out = {}
    for key, members in _by_trial(drawable).items():
        members.sort(key=_mg)
        band, why = _emax_band(_series_name(catalog, key[0], members[0]), "", members[0].placebo, members)
        out[key] = f"not drawn ({why})" if band is None else band.name.split(": ", 1)[-1]
    return out


def _scaled_band(band: Band, scales: dict[str, DoseScale]) -> Band:
    """A curve fitted in mg/day (its group is its drug), moved onto the chart's dose axis."""
    drug_id = band.group
    scale = scales.get(drug_id)
    if scale is None:
        return band
    xs = [scale.x(drug_id, x) if x > 0 else (0.0 if not scale.log else None) for x in band.x]
    keep = [k for k, x in enumerate(xs) if x is not None]

    def pick(values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(values[k] for k in keep) if values else ()

    return Band(
        band.name, band.color, tuple(xs[k] or 0.0 for k in keep), pick(band.y), pick(band.low), pick(band.high), drug_id
    )


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
    catalog: Catalog,
    query: Query,
    sel: Selection,
    comparisons: list[Comparison],
    scales: dict[str, DoseScale],
    colour: Colour,
) -> tuple[list[Series], list[Band]]:
    series = []
    for (drug_id, trial_id, _tp), members in _by_trial(comparisons).items():
        scale = scales[drug_id]
        members = sorted((c for c in members if c.rd is not None), key=_mg)
        if not members:
            continue
        points = []
        for c in members:
            assert c.rd is not None
            x = _treated_x(scale, drug_id, _mg(c))
            if x is None:
                continue
            extra = [
                f"Placebo: {_placebo_text(c)}",
                f"Difference {100 * c.rd.value:+.1f} pp, 95% CI {interval_text(c.rd, unit=' pp')}",
                f"{c.nnt.text() if c.nnt else ''}",
                *_dose_line(scale, drug_id, _mg(c)),
            ]
            points.append(
                Point(
                    x=x,
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
                colour(drug_id, trial_id),
                sel.symbol(drug_id, trial_id),
                tuple(points),
                group=drug_id,
            )
        )
    return series, []


def _emax_band(name: str, colour: str, placebo: Figure | None, members: list[Comparison]) -> tuple[Band | None, str]:
    """An Emax curve for one trial's arms with placebo, over the observed dose range only (mg/day), or None
    and why no curve is drawn: no placebo counts, fewer than two doses, a fit that failed. A parameter that
    ends on a bound is said in the curve's name, which the footnotes and the CSV repeat."""
    arms = [m.treated for m in members if m.treated.has_counts]
    if placebo is None or not placebo.has_counts:
        return None, "no placebo arm with counts"
    if len(arms) < 2:
        return None, "fewer than two doses with counts"
    from viewer.domain.emax import EmaxError, fit_emax

    doses = [0.0] + [a.arm.daily_dose_mg or 0.0 for a in arms]
    xs = [placebo.count or 0] + [a.count or 0 for a in arms]
    ns = [placebo.n or 1] + [a.n or 1 for a in arms]
    try:
        fit = fit_emax(doses, xs, ns, model="emax", scale="probability")
    except (EmaxError, ValueError, RuntimeError) as exc:
        return None, f"the fit failed: {exc}"
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
        return None, "the fit gave values that are not finite"
    p = fit.params
    label = (
        f"Emax fit · {name}: hyperbolic Emax, E0 + Emax·d/(ED50 + d), binomial-weighted least squares, "
        f"E0 {100 * p['e0']:.0f}%, Emax {100 * p['emax']:.0f} pp, ED50 {p['ed50']:.3g} mg/day"
    )
    if fit.at_bound:
        label += f" ({', '.join(fit.at_bound)} at a bound)"
    if fit.exact:
        label += " (exact fit: no band)"
    return Band(label, colour, grid, centre, low, high), ""
