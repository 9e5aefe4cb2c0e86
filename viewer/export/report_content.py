"""What a one-page report says, as plain data: the comparison, the plotted numbers, the methods actually
used, the caveats, the boxed warnings, the numbered citations and the datasets with their content hashes.

Pure (no Qt): the PDF and HTML writers (:mod:`viewer.export.report_pdf`, :mod:`viewer.export.report_html`)
lay out the same :class:`ReportContent`, and the tests read it directly. Every sentence of the methods
paragraph is derived from the comparisons that were computed (the interval methods their estimates carry,
how many tables needed a continuity correction, whether placebo arms were pooled, what was left out and
why), never from the options alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from viewer import __version__
from viewer.charts.common import select, short_counts
from viewer.charts.query import Effect, Query
from viewer.charts.spec import PLACEBO_COMPARISON_KINDS, ChartKind, ChartSpec
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.measures import CIMethod
from viewer.domain.model import Dataset, EvidenceLevel, Origin
from viewer.domain.stats import Estimate
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


def methods_text(comparisons: Sequence[Comparison], query: Query, kind: ChartKind, spec: ChartSpec) -> str:
    """The methods paragraph, from the estimates that were computed (their methods and corrections)."""
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
    pooled = sorted({c.treated.trial.name for c in comparisons if c.placebo_label.startswith("pooled")})
    if pooled:
        sentences.append(f"Trials with several placebo arms had them pooled: {', '.join(pooled)}.")
    if kind is ChartKind.DOSE_RESPONSE and spec.bands:
        sentences.append(
            "An Emax model was fitted to the drug's arms by maximum likelihood and drawn with its 95% band; "
            "no other pooling across trials was done."
        )
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
        methods=methods_text(comparisons, query, kind, spec),
        caveats=tuple(dict.fromkeys(caveats)),
        warnings=tuple(warnings),
        citations=tuple(citations),
        datasets=tuple(datasets),
        app_version=__version__,
    )


def dataset_lines(datasets: Sequence[Dataset]) -> tuple[DatasetLine, ...]:
    """Each loaded dataset by name, place and SHA-256 of its content (the version a reader can check);
    registry studies, read from no file, name their source instead of a hash."""
    return tuple(
        DatasetLine(
            d.label,
            "shipped" if d.origin is Origin.CURATED else d.path,
            content_hash(Path(d.path)) if Path(d.path).exists() else "(not a file: no content hash)",
        )
        for d in datasets
    )
