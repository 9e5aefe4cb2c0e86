"""The compare view's synthesis rows: for each ticked drug at its approved doses, the pooled effect and
the network estimate against placebo and against the other ticked drugs, with trials and patients.

The same population rule as every across-trial analysis: with trials of several populations selected
and no permission to combine them, the cells say so instead of showing a number. A drug's approved doses
are listed from its standard dose (:func:`~viewer.domain.approved_dose.approved_dose`: baricitinib 4 mg,
then the 2 mg the US label states), so the line a narrow cell shows first is the usual dose.
"""

from __future__ import annotations

from viewer.charts.evidence_pool import PLACEBO, EvidencePool
from viewer.charts.league import effect_text, synthesise
from viewer.charts.pooled import options_of, pooled_effects
from viewer.charts.query import Query
from viewer.domain.approved_dose import approved_dose
from viewer.domain.catalog import Catalog
from viewer.domain.model import Drug

Row = tuple[str, tuple[str, ...]]


def dose_rank(drug: Drug, daily_mg: float | None) -> int:
    """Where a daily dose stands among the drug's approved doses: its standard dose 0, the other stated
    doses next (highest first), anything else last."""
    standard = approved_dose(drug)
    if standard is None or daily_mg is None:
        return 1_000
    if daily_mg == standard.daily_mg:
        return 0
    return 1 + standard.other_mg.index(daily_mg) if daily_mg in standard.other_mg else 1_000


def _at(evidence: EvidencePool) -> str:
    """Where the trials were read, for the row's note ("MTX-IR, week 12, "): a row says the population and
    timepoint its every cell stands on, as the effect rows do ("" when refused: the cells say why)."""
    if evidence.refused or not evidence.populations:
        return ""
    return f"{' + '.join(evidence.populations)}, {' / '.join(evidence.timepoints) or 'timepoint not stated'}, "


def synthesis_rows(catalog: Catalog, query: Query, drugs: list[Drug]) -> list[Row]:
    options = options_of(query)
    q = query.with_(drugs=tuple(d.id for d in drugs), trials=())
    measure = q.effect
    unit = " pp" if not measure.is_ratio else ""
    pooled = pooled_effects(catalog, q, options)
    synthesis = synthesise(catalog, q, options)
    refused = pooled.refused or synthesis.refused
    short = "not combined: the trials are in different populations; choose one" if refused else ""
    approved = {n.name for n in synthesis.evidence.nodes if n.approved}
    by_id = {d.id: d for d in drugs}
    rank = {
        n.name: dose_rank(by_id[n.drug_id], n.daily_dose_mg) for n in synthesis.evidence.nodes if n.drug_id in by_id
    }
    method = options.method.describe().split(",")[0]

    def pooled_cell(drug: Drug) -> str:
        if short:
            return short
        lines = []
        for row in sorted(pooled.rows, key=lambda r: rank.get(r.group, 1_000)):
            if row.drug_id == drug.id and (options.across_doses or row.group in approved):
                p = row.pooled
                k = f"{p.k} trial{'s' if p.k != 1 else ''}, {row.patients} patients"
                group = f"{row.group}, all doses pooled" if options.across_doses else row.group
                lines.append(f"{effect_text(measure, p.estimate, p.low, p.high)}{unit}\n{group}: {k}")
        return "\n".join(lines) or "no trial at an approved dose with placebo and counts"

    net = synthesis.network
    nodes = {
        d.id: sorted(
            (n.name for n in synthesis.evidence.nodes if n.drug_id == d.id and n.approved), key=rank.__getitem__
        )
        for d in drugs
    }
    used = [t for t in synthesis.evidence.trials if net is not None and t.trial in net.trials]
    trials_of = {name: sum(1 for t in used if name in t.design) for ns in nodes.values() for name in ns}
    patients_of = {name: sum(a.n for t in used for a in t.arms if a.treatment == name) for name in trials_of}

    def vs_placebo(drug: Drug) -> str:
        if short:
            return short
        lines = []
        for name in nodes[drug.id]:
            pair = net.pair(name, PLACEBO) if net is not None else None
            if pair is not None:
                k = trials_of[name]
                behind = f"{k} trial{'s' if k != 1 else ''} with this dose, {patients_of[name]} patients on it"
                lines.append(f"{effect_text(measure, pair.estimate, pair.low, pair.high)}{unit}\n{name}: {behind}")
        return "\n".join(lines) or "not in the network (no approved dose with counts)"

    def vs_others(drug: Drug) -> str:
        if short:
            return short
        lines = []
        for name in nodes[drug.id]:
            for other in drugs:
                for theirs in nodes[other.id] if other.id != drug.id else []:
                    pair = net.pair(name, theirs) if net is not None else None
                    if pair is not None:
                        text = effect_text(measure, pair.estimate, pair.low, pair.high)
                        k = pair.direct_trials
                        how = f"direct in {k} trial{'s' if k != 1 else ''}" if k else "indirect only"
                        lines.append(f"{name} vs {theirs}: {text}{unit} ({how})")
        return "\n".join(lines) or "—"

    outcome = q.outcome
    over = "all doses" if options.across_doses else "approved doses"
    pooled_at, network_at = _at(pooled.evidence), _at(synthesis.evidence)
    patients = sum(a.n for t in used for a in t.arms)
    trials = f"{method}, {len(used)} trials, {patients} patients" if not short and net is not None else ""
    return [
        (f"Pooled {outcome} vs placebo, {pooled_at}{over} ({method})", tuple(pooled_cell(d) for d in drugs)),
        (
            f"Network {outcome} vs placebo, {network_at}approved doses ({trials or 'network'})",
            tuple(vs_placebo(d) for d in drugs),
        ),
        (f"Network {outcome}: {network_at}approved doses against each other", tuple(vs_others(d) for d in drugs)),
        ("Caveats across trials", tuple("\n".join(synthesis.evidence.caveats) for _ in drugs)),
    ]
