"""The report of the safety-rates chart: class safety outcomes per 100 patient-years, as plain data.

The same :class:`~viewer.export.report_content.ReportContent` as the placebo-comparison reports, so the
PDF and HTML writers lay it out unchanged; only the table's headings differ (a group, its analysis, events
over patient-years, the rate, the analysis' comparator and the rate ratio). Every row is a row the chart
draws (``viewer.charts.safety_rates.rate_rows``), and the methods paragraph names only the methods its
rows used: printed rates and intervals as printed; where events and patient-years were both printed, the
exact Poisson interval (Garwood 1936), the exact conditional rate ratio (Breslow & Day 1987) and the Wald
rate difference (Rothman, Greenland & Lash 2008) against the comparator of the same analysis.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from viewer import __version__
from viewer.charts.query import Query
from viewer.charts.safety_rates import PRINTED, RateRow, comparison_text, hazard_ratios, hidden_rates, rate_rows
from viewer.charts.spec import ChartSpec
from viewer.domain.catalog import Catalog
from viewer.domain.model import ArmRole, SafetyRate
from viewer.domain.stats import Estimate
from viewer.export.report_content import (
    Citation,
    DatasetLine,
    Link,
    ReportContent,
    ReportError,
    TableRow,
    Warning_,
)

SAFETY_HEADINGS = (
    "Group", "Analysis", "Events / PY", "Rate /100 PY (95% CI)", "Comparator", "Rate ratio (95% CI)",
    "Rate difference /100 PY (95% CI)",
)  # fmt: skip
CROSS_ANALYSIS_CAVEAT = (
    "Each rate ratio compares groups of one analysis only. Rates from different analyses differ in "
    "populations, periods, event definitions (events or patients with a first event) and follow-up, so a "
    "difference between them is not a comparison of the drugs."
)


def _who(catalog: Catalog, rate: SafetyRate) -> str:
    if rate.role is ArmRole.PLACEBO:
        return ""  # the group's label says placebo
    drug = catalog.drugs.get(rate.drug_id)
    return drug.name if drug else rate.drug_id or "Comparator"


def _counts(rate: SafetyRate | None) -> str:
    if rate is None:
        return "–"
    events = str(rate.events) if rate.events is not None else "–"
    years = f"{rate.patient_years:g}" if rate.patient_years is not None else "–"
    return f"{events} / {years}"


def _rate(row: RateRow) -> str:
    if row.low is None or row.high is None:
        return f"{row.value:g} (no interval)"
    if row.interval_method == PRINTED:
        return f"{row.value:g} ({row.low:g} to {row.high:g})"
    return f"{row.value:g} ({row.low:.2f} to {row.high:.2f} exact)"  # the printed rate, our interval


def _ratio(row: RateRow) -> tuple[str, str]:
    """The rate ratio and the rate difference cells, or why there are none (the chart's own wording)."""
    ratio, diff = row.comparison.ratio, row.comparison.difference
    if row.is_comparator or ratio is None or diff is None:
        return comparison_text(row), ""
    return _ci(ratio, "{:.2f}"), _ci(diff, "{:+.2f}")


def _ci(e: Estimate, fmt: str) -> str:
    return f"{fmt.format(e.value)} ({fmt.format(e.low)} to {fmt.format(e.high)})"


def safety_methods(rows: Sequence[RateRow]) -> str:
    """The methods paragraph, from the rows actually shown (which intervals were printed, which computed)."""
    printed = sum(1 for r in rows if r.interval_method == PRINTED)
    computed = [r for r in rows if r.low is not None and r.interval_method != PRINTED]
    bare = sum(1 for r in rows if r.low is None)
    compared = [r for r in rows if not r.is_comparator and r.comparison.ratio is not None]
    sentences = ["Rates are events (or patients with a first event, as each source counts them) per 100 patient-years."]
    if printed:
        sentences.append(f"{printed} of {len(rows)} rates are shown with the interval their source printed.")
    if computed:
        sentences.append(
            f"{len(computed)} have no printed interval but printed events and patient-years: the exact Poisson "
            "interval (Garwood 1936) is computed, which assumes Poisson counts."
        )
    if bare:
        sentences.append(f"{bare} are shown without an interval (none printed, no person-time to compute one).")
    if compared:
        sentences.append(
            f"{len(compared)} rate ratios compare a group with the placebo, else the active comparator, of the "
            "same analysis (exact conditional interval, Breslow & Day 1987; the rate difference with the Wald "
            "interval, Rothman, Greenland & Lash 2008); other groups have no computed comparison because their "
            "source did not print both events and patient-years."
        )
    else:
        sentences.append(
            "No rate ratio was computed: no group and its comparator both printed events and patient-years."
        )
    return " ".join(sentences)


def build_safety_report(
    catalog: Catalog,
    query: Query,
    spec: ChartSpec,
    datasets: Sequence[DatasetLine],
    *,
    generated: datetime | None = None,
) -> ReportContent:
    """The report of the safety-rates chart ``spec`` for ``query``; ReportError when it has no rates."""
    rows = rate_rows(catalog, query)
    if not rows:
        raise ReportError(f"the selection has no patient-year rates of {query.safety_term}; choose other drugs")
    numbers: dict[str, int] = {}

    def cite(source_id: str) -> int:
        return numbers.setdefault(source_id, len(numbers) + 1)

    table = []
    for row in rows:
        r, c = row.rate, row.comparison
        effect, difference = _ratio(row)
        table.append(
            TableRow(
                drug=_who(catalog, r),
                trial=r.analysis + (f" ({r.period})" if r.period else ""),
                nct=catalog.trials[r.trial_id].nct if r.trial_id in catalog.trials else "",
                arm=r.group,
                counts=_counts(r),
                rate=_rate(row),
                placebo="(comparator)" if row.is_comparator else c.comparator.group if c.comparator else "none",
                effect=effect,
                nnt=difference,
                level=r.level,
                citation=cite(r.source_id),
            )
        )
    hrs = hazard_ratios(catalog, query)
    caveats = [*spec.warnings, CROSS_ANALYSIS_CAVEAT]
    for h in hrs:
        trial = catalog.trials.get(h.trial_id)
        caveats.append(
            f"Hazard ratio as printed ({h.level.value}) [{cite(h.source_id)}], {trial.name if trial else h.trial_id}: "
            f"{h.group} vs {h.comparator} {h.value:g} (95% CI {h.low:g} to {h.high:g}); a Cox model, not recomputed."
        )
    hidden = hidden_rates(catalog, query)
    if hidden:
        named = "; ".join(f"{r.group} ({r.analysis}, {r.level.value})" for r in hidden)
        caveats.append(f"Left out by 'verified figures only' ({len(hidden)}): {named}.")
    warnings = []
    for drug_id in query.drugs:
        if (drug := catalog.drugs.get(drug_id)) is not None:
            warnings += [Warning_(drug.name, f.text, f.level, cite(f.source_id)) for f in drug.boxed_warnings]
    citations = []
    for source_id, number in numbers.items():
        source = catalog.source(source_id)
        links = tuple(Link(label, url) for label, url in source.links()) if source else ()
        citations.append(Citation(number, source_id, source.short() if source else source_id, links))
    names = [catalog.drugs[d].name for d in query.drugs if d in catalog.drugs]
    when = (generated or datetime.now(UTC)).astimezone(UTC)
    return ReportContent(
        title=f"{', '.join(names)}: {query.safety_term} per 100 patient-years",
        generated=when.strftime("%Y-%m-%d %H:%M UTC"),
        comparison=(
            ("Drugs", ", ".join(names)),
            ("Safety outcome", query.safety_term),
            ("Chart", "exposure-adjusted rates, each group beside its analysis' comparator"),
            ("Figures", "verified only" if query.verified_only else "all evidence levels"),
        ),
        spec=spec,
        effect_title=SAFETY_HEADINGS[5],
        rows=tuple(table),
        methods=safety_methods(rows),
        caveats=tuple(dict.fromkeys(caveats)),
        warnings=tuple(warnings),
        citations=tuple(citations),
        datasets=tuple(datasets),
        app_version=__version__,
        headings=SAFETY_HEADINGS,
    )
