"""The compare view as plain data: the ticked drugs as columns, one row per question a prescriber asks."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.charts.common import select
from viewer.charts.query import Query
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.model import Drug, EvidenceLevel, Fact

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
        ("Selectivity (IC50)", tuple(_selectivity(d) for d in drugs)),
        ("Approved doses", tuple(_facts(d.approved_doses) for d in drugs)),
        ("Half-life", tuple(_facts(d.half_life) for d in drugs)),
        ("Approvals", tuple(_approvals(d) for d in drugs)),
    ]
    for outcome in EFFICACY_OUTCOMES:
        q = query.with_(outcome=outcome, drugs=tuple(d.id for d in drugs), timepoint="", trials=(), adjusted=True)
        comparisons = select(catalog, q).comparisons
        rows.append((f"Best {outcome} vs placebo at an approved dose", tuple(_best(d, comparisons) for d in drugs)))
    for term in KEY_EVENTS:
        q = query.with_(ae_term=term, drugs=tuple(d.id for d in drugs), timepoint="", trials=())
        comparisons = select(catalog, q, adverse=True).comparisons
        rows.append((f"{term.capitalize()} (drug vs placebo)", tuple(_events(d, comparisons) for d in drugs)))
    rows.append(("Boxed warning", tuple(_facts(d.boxed_warnings, sep="; ") or "none" for d in drugs)))
    return CompareTable(tuple(d.name for d in drugs), tuple(rows))


def _flag(level: EvidenceLevel) -> str:
    return "" if level is EvidenceLevel.VERIFIED else f" [{level.value}]"


def _facts(facts: tuple[Fact, ...], sep: str = "\n") -> str:
    return sep.join(f.text + _flag(f.level) for f in facts) or "—"


def _selectivity(drug: Drug) -> str:
    return "\n".join(f"{s.target} {s.qualifier}{s.ic50_nm:g} nM{_flag(s.level)}" for s in drug.selectivity) or "—"


def _approvals(drug: Drug) -> str:
    return "\n".join(f"{a.agency} {a.date}{_flag(a.level)}" for a in drug.approvals) or "not approved"


def _approved_daily(drug: Drug) -> set[float]:
    return {f.daily_mg for f in drug.approved_doses if f.daily_mg is not None}


def _best(drug: Drug, comparisons: tuple[Comparison, ...]) -> str:
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
        f"{t.arm.label}, {t.trial.name}, {t.timepoint}{_flag(best.level)}"
    )


def _events(drug: Drug, comparisons: tuple[Comparison, ...]) -> str:
    mine = [c for c in comparisons if c.treated.arm.drug_id == drug.id and c.treated.proportion is not None]
    if not mine:
        return "—"
    lines = []
    for c in mine[:3]:
        placebo = c.placebo.proportion if c.placebo is not None else None
        versus = f" vs {100 * placebo:.1f}%" if placebo is not None else ""
        where = f"{c.treated.arm.label}, {c.treated.trial.name}"
        lines.append(f"{100 * (c.treated.proportion or 0):.1f}%{versus} ({where}){_flag(c.level)}")
    return "\n".join(lines)
