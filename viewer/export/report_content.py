"""What a one-page report says, as plain data: the comparison, the plotted numbers, the methods actually
used, the caveats, the boxed warnings, the numbered citations and the datasets with their content hashes.

Pure (no Qt): the PDF and HTML writers (:mod:`viewer.export.report_pdf`, :mod:`viewer.export.report_html`)
lay out the same :class:`ReportContent`, and the tests read it directly. Every sentence of the methods
paragraph is derived from the comparisons that were computed (the interval methods their estimates carry,
how many tables needed a continuity correction, whether placebo arms were pooled, which pooling model
made the pooled rows, what was left out and why), never from the options alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from viewer import __version__
from viewer.charts.common import select, short_counts
from viewer.charts.pooled import PooledResult, PooledRow, options_of, pooled_effects
from viewer.charts.pooled_forest import not_pooled_footnote
from viewer.charts.query import Effect, Query
from viewer.charts.spec import PLACEBO_COMPARISON_KINDS, ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.measures import CIMethod
from viewer.domain.model import Dataset, EvidenceLevel, Origin
from viewer.domain.registry.location import location_of
from viewer.domain.stats import Estimate
from viewer.domain.synthesis.options import PoolModel
from viewer.session_file import content_hash

LEVEL_MARKS = {EvidenceLevel.VERIFIED: "●", EvidenceLevel.SECONDARY: "◐", EvidenceLevel.UNVERIFIED: "○"}
LEVEL_KEY = (
    "Evidence level: ● verified (read in the primary document where its publisher, regulator or registry "
    "keeps it), ◐ secondary (read in a secondary source), ○ unverified (not found in a source that could be read)."
)
EFFECT_NAMES = {Effect.RD: "Risk difference", Effect.RR: "Risk ratio", Effect.OR: "Odds ratio"}
CROSS_TRIAL_CAVEAT = (
    "Every effect is computed within one randomised trial, against that trial's own placebo. Differences "
    "between drugs drawn from different trials are not randomised comparisons: the trials differ in "
    "populations, background therapy, timepoints and eras, and such differences can be larger than the "
    "differences between the drugs."
)
DISCLAIMER = "An evidence summary for healthcare professionals; not medical advice and not a substitute for the labels."
REPORT_KINDS = PLACEBO_COMPARISON_KINDS


class ReportError(Exception):
    """A report that cannot be made from this selection (bad input, e.g. nothing selected)."""


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str  # http(s) only (Source.links guarantees it)


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    source_id: str
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class TableRow:
    drug: str
    trial: str
    nct: str
    arm: str
    counts: str  # n/N of the arm
    rate: str  # rate with its CI
    placebo: str  # n/N of its placebo
    effect: str  # the chosen effect with its CI, or why there is none
    nnt: str
    level: EvidenceLevel
    citation: int  # the number of the source the arm's figure was read from


@dataclass(frozen=True, slots=True)
class PooledLine:
    """A pooled diamond of the forest plot as a table row: it rests on the trials' rows above it."""

    drug: str
    group: str  # the dose ('Tofacitinib 5 mg BID') the trials were pooled for
    trials: str  # 'k trials: A, B'
    patients: int
    effect: str  # pooled effect with its 95% CI, on the chart's scale
    heterogeneity: str  # I² and tau² (or why there is none: one trial)
    prediction: str  # 95% prediction interval, '' when it does not apply
    level: EvidenceLevel  # the weakest level among the arms pooled


@dataclass(frozen=True, slots=True)
class Warning_:
    drug: str
    text: str
    level: EvidenceLevel
    citation: int


@dataclass(frozen=True, slots=True)
class DatasetLine:
    label: str
    where: str  # "shipped" or the path
    sha256: str


@dataclass(frozen=True, slots=True)
class ReportContent:
    title: str
    generated: str  # ISO date and time, UTC
    comparison: tuple[tuple[str, str], ...]  # (what, chosen): drugs, outcome, timepoint, population ...
    spec: ChartSpec
    effect_title: str
    rows: tuple[TableRow, ...]
    methods: str
    caveats: tuple[str, ...]
    warnings: tuple[Warning_, ...]
    citations: tuple[Citation, ...]
    datasets: tuple[DatasetLine, ...]
    app_version: str
    pooled: tuple[PooledLine, ...] = ()
    headings: tuple[str, ...] = ()  # the table's seven headings before Lvl and Ref; () for the arm table's
    level_key: str = LEVEL_KEY
    disclaimer: str = DISCLAIMER


def _ci(estimate: Estimate | None, *, percent: bool) -> str:
    if estimate is None:
        return ""
    if percent:
        return f"{100 * estimate.value:.1f}% ({100 * estimate.low:.1f} to {100 * estimate.high:.1f})"
    return f"{estimate.value:.2f} ({estimate.low:.2f} to {estimate.high:.2f})"


def _effect(c: Comparison, effect: Effect) -> Estimate | None:
    return {Effect.RD: c.rd, Effect.RR: c.rr, Effect.OR: c.odds}[effect]


def _method(method: CIMethod) -> str:
    return method.label


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def pooling_sentences(pooled: PooledResult | None) -> list[str]:
    """What the pooled rows are, named by the model that made them; [] when nothing was asked to be pooled."""
    if pooled is None:
        return []
    method = pooled.options.method.describe()
    if pooled.refused:
        return [f"Pooling across trials was asked for ({method}) but not done: {pooled.refused}"]
    if not pooled.rows:
        return [f"Pooling across trials was asked for ({method}) but no dose had a trial to pool."]
    trials = len({t for r in pooled.rows for t in r.trial_ids})
    over = "each drug over its doses" if pooled.options.across_doses else "each dose"
    corrected = sum(1 for r in pooled.rows if r.corrected)
    random = pooled.options.method.model is PoolModel.RANDOM
    sentences = [
        f"Pooled rows: {over} of a drug pooled against placebo over its trials on {pooled.measure.pooling_scale} "
        f"by the {method} model ({_plural(len(pooled.rows), 'pooled estimate')} from {_plural(trials, 'trial')}); "
        "I² with its Q-profile 95% CI" + ("; 95% prediction intervals by metafor's convention." if random else ".")
    ]
    if corrected:
        sentences.append(f"{_plural(corrected, 'pooled estimate')} included a table with 0.5 added to each cell.")
    if note := not_pooled_footnote(pooled):
        sentences.append(note)
    return sentences


def methods_text(
    comparisons: Sequence[Comparison],
    query: Query,
    kind: ChartKind,
    spec: ChartSpec,
    pooled: PooledResult | None = None,
) -> str:
    """The methods paragraph, from the estimates that were computed (their methods, corrections and the
    pooling model of the pooled rows when there are any)."""
    harm = kind is ChartKind.TOLERABILITY
    what = "patients with the adverse event" if harm else "responders"
    rate_methods = sorted({_method(c.rate.method) for c in comparisons if c.rate})
    sentences = []
    if rate_methods:
        sentences.append(
            f"Rates are {what} divided by the patients analysed in each arm, with 95% "
            f"{_join(rate_methods)} confidence intervals."
        )
    effects = [e for c in comparisons if (e := _effect(c, query.effect)) is not None]
    if effects:
        names = sorted({_method(e.method) for e in effects})
        sentences.append(
            f"{EFFECT_NAMES[query.effect]}s compare each drug arm with the placebo arm of its own trial, with 95% "
            f"{_join(names)} confidence intervals ({_plural(len(effects), 'comparison')})."
        )
        corrected = sum(1 for c in comparisons for e in (c.rd, c.rr, c.odds) if e is not None and e.corrected)
        tables = sum(1 for c in comparisons if any(e is not None and e.corrected for e in (c.rd, c.rr, c.odds)))
        if tables:
            sentences.append(
                f"{_plural(tables, '2×2 table')} had an empty cell: 0.5 was added to each of its four cells for "
                f"the ratios ({_plural(corrected, 'estimate')} so corrected); the other tables are uncorrected."
            )
        else:
            sentences.append("No 2×2 table had an empty cell, so no continuity correction was applied.")
    nnts = [c for c in comparisons if c.nnt is not None]
    if nnts:
        label = "NNH" if harm else "NNT"
        limits = _join(sorted({_method(c.rd.method) for c in nnts if c.rd}))
        sentences.append(
            f"{label} is 1/risk difference, its interval the inverted {limits} limits (Altman 1998), rounded up; "
            "an interval that includes no difference runs through infinity."
        )
    several = sorted({c.treated.trial.name for c in comparisons if c.placebo_label.startswith("pooled")})
    if several:
        sentences.append(f"Trials with several placebo arms had them pooled: {', '.join(several)}.")
    pooling = pooling_sentences(pooled)
    if kind is ChartKind.DOSE_RESPONSE and spec.bands:
        sentences.append(
            "An Emax model was fitted to the drug's arms by maximum likelihood and drawn with its 95% band; "
            "no other pooling across trials was done."
        )
    elif pooling:
        sentences += pooling
    else:
        sentences.append("No result was pooled across trials.")
    if not query.timepoint:
        sentences.append("Each trial is shown at its primary timepoint (else its earliest reported one).")
    if query.verified_only:
        sentences.append("Only verified figures are shown: secondary and unverified figures were left out.")
    reasons = Counter(c.reason for c in comparisons if c.reason)
    if reasons:
        left = "; ".join(f"{_plural(n, 'arm')}: {reason}" for reason, n in sorted(reasons.items()))
        sentences.append(f"Shown without an effect ({left}).")
    derived = sum(1 for c in comparisons if c.treated.derived)
    if derived:
        sentences.append(f"{_plural(derived, 'arm')} had counts derived from a reported percentage and n (marked *).")
    return " ".join(sentences)


def _pooled_lines(pooled: PooledResult | None, comparisons: Sequence[Comparison]) -> tuple[PooledLine, ...]:
    if pooled is None or pooled.refused:
        return ()
    return tuple(_pooled_line(r, comparisons) for r in pooled.rows)


def _pooled_line(row: PooledRow, comparisons: Sequence[Comparison]) -> PooledLine:
    p, h = row.pooled, row.pooled.heterogeneity
    ratio = row.measure.is_ratio

    def shown(value: float) -> str:
        return "–" if not math.isfinite(value) else f"{row.shown(value):.2f}" if ratio else f"{row.shown(value):.1f}%"

    arms = [
        c.level for c in comparisons if c.treated.arm.drug_id == row.drug_id and c.treated.trial.id in row.trial_ids
    ]
    spread = f"I² {h.i2:.0f}% (95% CI {h.i2_low:.0f} to {h.i2_high:.0f}), tau² {h.tau2:.3g}" if p.k > 1 else "one trial"
    prediction = f"{shown(p.pi_low)} to {shown(p.pi_high)}" if math.isfinite(p.pi_low) else ""
    return PooledLine(
        drug=row.drug,
        group=row.group,
        trials=f"{_plural(p.k, 'trial')}: {', '.join(row.trial_names)}",
        patients=row.patients,
        effect=f"{shown(p.estimate)} ({shown(p.low)} to {shown(p.high)})",
        heterogeneity=spread,
        prediction=prediction,
        level=EvidenceLevel.weakest(arms) if arms else EvidenceLevel.UNVERIFIED,
    )


def _comparison(catalog: Catalog, query: Query, kind: ChartKind) -> tuple[tuple[str, str], ...]:
    names = [catalog.drugs[d].name for d in query.drugs if d in catalog.drugs]
    lines = [("Drugs", ", ".join(names))]
    if kind is ChartKind.TOLERABILITY:
        lines.append(("Adverse event", query.ae_term))
    else:
        outcome = catalog.outcomes.get(query.outcome)
        lines.append(("Outcome", f"{query.outcome}: {outcome.title}" if outcome else query.outcome))
    lines += [
        ("Timepoint", query.timepoint or "each trial's primary timepoint"),
        ("Population", query.population or "all populations"),
        ("Chart", f"{spec_name(kind)}; effect: {EFFECT_NAMES[query.effect].lower()}"),
        ("Figures", "verified only" if query.verified_only else "all evidence levels"),
    ]
    if kind is ChartKind.FOREST and query.pool:
        lines.append(("Pooling", options_of(query).method.describe()))
    return tuple(lines)


def spec_name(kind: ChartKind) -> str:
    return {
        ChartKind.DOSE_RESPONSE: "response by daily dose",
        ChartKind.FOREST: "forest plot",
        ChartKind.TOLERABILITY: "tolerability against placebo",
        ChartKind.SELECTIVITY: "selectivity",
    }[kind]


def build_report(
    catalog: Catalog,
    query: Query,
    kind: ChartKind,
    spec: ChartSpec,
    datasets: Sequence[DatasetLine],
    *,
    generated: datetime | None = None,
) -> ReportContent:
    """The report for ``query`` on a chart of ``kind`` (``spec`` is that chart, already built)."""
    if kind not in REPORT_KINDS:
        raise ReportError(f"a report compares arms against placebo: choose one of {', '.join(REPORT_KINDS)}")
    harm = kind is ChartKind.TOLERABILITY
    comparisons = select(catalog, query, adverse=harm).comparisons
    if not comparisons:
        raise ReportError("the selection has no figures to report; widen it (drugs, outcome, timepoint, population)")
    # the forest plot's own rule (charts.build): pooled rows only on the forest plot, when asked for
    pooled = pooled_effects(catalog, query, options_of(query)) if kind is ChartKind.FOREST and query.pool else None
    numbers: dict[str, int] = {}

    def cite(source_id: str) -> int:
        return numbers.setdefault(source_id, len(numbers) + 1)

    rows = []
    for c in comparisons:
        t = c.treated
        drug = catalog.drugs.get(t.arm.drug_id)
        effect = _effect(c, query.effect)
        rows.append(
            TableRow(
                drug=drug.name if drug else t.arm.drug_id,
                trial=t.trial.name,
                nct=t.trial.nct,
                arm=t.arm.label,
                counts=short_counts(t),
                rate=_ci(c.rate, percent=True),
                placebo=short_counts(c.placebo) if c.placebo else "–",
                effect=_ci(effect, percent=query.effect is Effect.RD) if effect else c.reason,
                nnt=c.nnt.text() if c.nnt else "",
                level=c.level,
                citation=cite(t.source_id),
            )
        )
        if c.placebo is not None and c.placebo.source_id != t.source_id:
            cite(c.placebo.source_id)
    warnings = []
    for drug_id in query.drugs:
        drug = catalog.drugs.get(drug_id)
        if drug is None:
            continue
        warnings += [Warning_(drug.name, f.text, f.level, cite(f.source_id)) for f in drug.boxed_warnings]
    citations = []
    for source_id, number in numbers.items():
        source = catalog.source(source_id)
        text = source.short() if source else source_id
        links = tuple(Link(label, url) for label, url in source.links()) if source else ()
        citations.append(Citation(number, source_id, text, links))
    caveats = (*spec.warnings, CROSS_TRIAL_CAVEAT)
    drug_names = [catalog.drugs[d].name for d in query.drugs if d in catalog.drugs]
    subject = query.ae_term if harm else query.outcome
    when = (generated or datetime.now(UTC)).astimezone(UTC)
    return ReportContent(
        title=f"{', '.join(drug_names)}: {subject}",
        generated=when.strftime("%Y-%m-%d %H:%M UTC"),
        comparison=_comparison(catalog, query, kind),
        spec=spec,
        effect_title=f"{EFFECT_NAMES[query.effect]} (95% CI)",
        rows=tuple(rows),
        methods=methods_text(comparisons, query, kind, spec, pooled),
        caveats=tuple(dict.fromkeys(caveats)),
        warnings=tuple(warnings),
        citations=tuple(citations),
        datasets=tuple(datasets),
        app_version=__version__,
        pooled=_pooled_lines(pooled, comparisons),
    )


def dataset_lines(datasets: Sequence[Dataset]) -> tuple[DatasetLine, ...]:
    """Each loaded dataset by name, place and SHA-256 of its content (the version a reader can check);
    registry studies, read from no file, name their source instead of a hash."""
    return tuple(
        DatasetLine(
            d.label,
            "shipped" if d.origin is Origin.CURATED else location_of(d.path) or d.path,
            content_hash(Path(d.path)) if Path(d.path).exists() else "(not a file: no content hash)",
        )
        for d in datasets
    )
