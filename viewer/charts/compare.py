"""The compare view as plain data: the ticked drugs as columns, one row per question a prescriber asks."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.charts.common import evidence_text, select
from viewer.charts.compare_synthesis import synthesis_rows
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.model import Drug, EvidenceLevel, Fact, HazardRatio, Trial
from viewer.domain.safety import CLASS_SAFETY_TERMS, RateComparison, compare_rates

EFFICACY_OUTCOMES = ("ACR20", "ACR50", "ACR70")
KEY_EVENTS = ("serious adverse event", "serious infection", "herpes zoster")


@dataclass(frozen=True, slots=True)
class CompareTable:
    columns: tuple[str, ...]  # drug names
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row title, one cell per drug)


def build_compare(catalog: Catalog, query: Query) -> CompareTable:
    drugs = [catalog.drugs[d] for d in query.drugs if d in catalog.drugs]
    rows: list[tuple[str, tuple[str, ...]]] = [
        ("Class", tuple(d.drug_class or "—" for d in drugs)),
        ("Targets", tuple(", ".join(d.targets) or "—" for d in drugs)),
        ("Selectivity (IC50)", tuple(_selectivity(catalog, d) for d in drugs)),
        ("Approved doses", tuple(_facts(catalog, d.approved_doses) for d in drugs)),
        ("Half-life", tuple(_facts(catalog, d.half_life) for d in drugs)),
        ("Approvals", tuple(_approvals(catalog, d) for d in drugs)),
    ]
    for outcome in EFFICACY_OUTCOMES:
        q = query.with_(outcome=outcome, drugs=tuple(d.id for d in drugs), timepoint="", trials=(), adjusted=True)
        comparisons = select(catalog, q).comparisons
        best = tuple(_best(catalog, d, comparisons) for d in drugs)
        rows.append((f"Best {outcome} vs placebo at an approved dose", best))
    rows += synthesis_rows(catalog, query, drugs)
    for term in KEY_EVENTS:
        q = query.with_(ae_term=term, drugs=tuple(d.id for d in drugs), timepoint="", trials=())
        comparisons = select(catalog, q, adverse=True).comparisons
        rows.append((f"{term.capitalize()} (drug vs placebo)", tuple(_events(catalog, d, comparisons) for d in drugs)))
    rates = compare_rates(
        r for r in catalog.safety_rates if not query.verified_only or r.level is EvidenceLevel.VERIFIED
    )
    hazards = [h for h in catalog.hazard_ratios if not query.verified_only or h.level is EvidenceLevel.VERIFIED]
    for term in CLASS_SAFETY_TERMS:
        cells = tuple(safety_text(catalog, d, term, rates, hazards) for d in drugs)
        rows.append((f"{term[:1].upper() + term[1:]} per 100 patient-years", cells))
    rows.append(("Boxed warning", tuple(_facts(catalog, d.boxed_warnings, sep="; ") or "none" for d in drugs)))
    rows.append(("Trials: design and notes", tuple(_trials(catalog, d) for d in drugs)))
    return CompareTable(tuple(d.name for d in drugs), tuple(rows))


def _flag(catalog: Catalog, source_id: str, level: EvidenceLevel) -> str:
    """Every statement says its level and the kind of source it rests on, verified ones too."""
    return f" [{evidence_text(catalog, source_id, level)}]"


def _facts(catalog: Catalog, facts: tuple[Fact, ...], sep: str = "\n") -> str:
    return sep.join(f.text + _flag(catalog, f.source_id, f.level) for f in facts) or "—"


def _selectivity(catalog: Catalog, drug: Drug) -> str:
    lines = (
        f"{s.target} {s.qualifier}{s.ic50_nm:g} nM{_flag(catalog, s.source_id, s.level)}" for s in drug.selectivity
    )
    return "\n".join(lines) or "—"


def _approvals(catalog: Catalog, drug: Drug) -> str:
    lines = (f"{a.agency} {a.date}{_flag(catalog, a.source_id, a.level)}" for a in drug.approvals)
    return "\n".join(lines) or "not approved"


def trial_design(trial: Trial) -> str:
    """The design facts of a trial in one line: phase, population, background, size, primary timepoint."""
    parts = [f"phase {trial.phase}" if trial.phase else "", trial.population]
    parts += [f"on {trial.background}" if trial.background and trial.background != "none" else ""]
    parts += [f"{trial.randomised_n} randomised" if trial.randomised_n else "", trial.primary_timepoint]
    return ", ".join(p for p in parts if p)


def _trials(catalog: Catalog, drug: Drug) -> str:
    """Each of the drug's trials with its design facts, their level and source kind, and its note."""
    lines = []
    for trial_id in catalog.trials_of(drug.id):
        t = catalog.trials[trial_id]
        lines.append(f"{t.name} ({trial_design(t)}){_flag(catalog, t.source_id, t.level)}")
        if t.note:
            lines.append(f"  {t.note}")
    return "\n".join(lines) or "—"


def _approved_daily(drug: Drug) -> set[float]:
    return {f.daily_mg for f in drug.approved_doses if f.daily_mg is not None}


def _best(catalog: Catalog, drug: Drug, comparisons: tuple[Comparison, ...]) -> str:
    approved = _approved_daily(drug)
    mine = [c for c in comparisons if c.treated.arm.drug_id == drug.id and c.rd is not None]
    at_dose = [c for c in mine if c.treated.arm.daily_dose_mg in approved]
    if not at_dose:
        return "no placebo-controlled figure at an approved dose"
    best = max(at_dose, key=lambda c: c.rd.value if c.rd else 0.0)
    assert best.rd is not None
    rd = best.rd
    t = best.treated
    return (
        f"{100 * rd.value:+.0f} pp (95% CI {100 * rd.low:+.0f} to {100 * rd.high:+.0f})\n"
        f"{t.arm.label}, {t.trial.name}, {t.timepoint}{_flag(catalog, t.source_id, best.level)}"
    )


def _events(catalog: Catalog, drug: Drug, comparisons: tuple[Comparison, ...]) -> str:
    mine = [c for c in comparisons if c.treated.arm.drug_id == drug.id and c.treated.proportion is not None]
    if not mine:
        return "—"
    lines = []
    for c in mine[:3]:
        placebo = c.placebo.proportion if c.placebo is not None else None
        versus = f" vs {100 * placebo:.1f}%" if placebo is not None else ""
        where = f"{c.treated.arm.label}, {c.treated.trial.name}"
        flag = _flag(catalog, c.treated.source_id, c.level)
        lines.append(f"{100 * (c.treated.proportion or 0):.1f}%{versus} ({where}){flag}")
    return "\n".join(lines)


def safety_text(
    catalog: Catalog, drug: Drug, term: str, rates: tuple[RateComparison, ...], hazards: list[HazardRatio]
) -> str:
    """The drug's exposure-adjusted rates for one class safety outcome, each with its analysis, its
    comparison with the analysis' comparator when events and patient-years allow, and printed HRs."""
    lines = []
    for rc in rates:
        r = rc.rate
        if r.term != term or r.drug_id != drug.id:
            continue
        lines.append(f"{rc.rate_text()}: {r.group}, {r.analysis}{_flag(catalog, r.source_id, r.level)}")
        if rc.ratio is not None and rc.difference is not None and rc.comparator is not None:
            ratio, diff = rc.ratio, rc.difference
            lines.append(
                f"  vs {rc.comparator.group}: rate ratio {ratio.value:.2f} "
                f"({ratio.low:.2f} to {ratio.high:.2f}, exact), "
                f"difference {diff.value:+.2f} ({diff.low:+.2f} to {diff.high:+.2f}, Wald) per 100 PY"
            )
    for h in hazards:
        if h.term == term and h.drug_id == drug.id:
            trial = catalog.trials.get(h.trial_id)
            where = trial.name if trial else h.trial_id
            flag = _flag(catalog, h.source_id, h.level)
            lines.append(f"HR {h.value:g} ({h.low:g} to {h.high:g}) vs {h.comparator}: {h.group}, {where}{flag}")
    return "\n".join(lines) or "not yet sourced"
