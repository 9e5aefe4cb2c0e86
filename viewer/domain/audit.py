"""How much of a dataset stands on primary sources: every figure by evidence level and source kind.

`drug-viewer audit` prints this so any user can see, per drug and per trial, which figures were read in a
primary document (shared/reference/jak-ra-evidence.md, section 10), which rest on a review, summary,
news item, press release, third-party copy or recalled value, and which arms the charts cannot place and
why. Pure data first (``audit_catalog``), then text (``format_audit``), so tests read the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from viewer.domain.catalog import Catalog
from viewer.domain.model import Arm, ArmRole, EvidenceLevel, SourceKind

LEVEL_ORDER = (EvidenceLevel.VERIFIED, EvidenceLevel.SECONDARY, EvidenceLevel.UNVERIFIED)
NOT_STATED = "not stated"  # a source without a kind (a spreadsheet's citation)


class FigureKind(StrEnum):
    """What an audited number is."""

    RESULT = "result"
    ADVERSE_EVENT = "adverse event"
    SAFETY_RATE = "safety rate"  # an exposure-adjusted rate or a hazard ratio
    ARM_SIZE = "arm n"
    DESIGN = "trial design"
    MONOGRAPH = "monograph"


@dataclass(frozen=True, slots=True)
class AuditedFigure:
    """One sourced number, where it belongs, the level it carries once loaded and its source's kind."""

    what: FigureKind
    drug_ids: tuple[str, ...]  # the drugs it belongs to (a placebo arm belongs to its trial's drugs)
    trial_id: str
    label: str  # e.g. "BALANCE-I 3 mg BID: ACR20 at week 12"
    level: EvidenceLevel
    source_id: str
    kind: SourceKind | None

    @property
    def kind_name(self) -> str:
        return self.kind.value if self.kind else NOT_STATED

    @property
    def on_primary(self) -> bool:
        return self.kind is not None and self.kind.is_primary


@dataclass(frozen=True, slots=True)
class UnplacedArm:
    """An arm the dose-response charts cannot place, with the reason."""

    trial_id: str
    arm_id: str
    label: str
    reason: str


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of figures by level and by source kind."""

    total: int
    by_level: tuple[tuple[EvidenceLevel, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    on_primary: int

    @classmethod
    def of(cls, figures: Iterable[AuditedFigure]) -> Tally:
        items = list(figures)
        levels = Counter(f.level for f in items)
        kinds = Counter(f.kind_name for f in items)
        order = [k.value for k in SourceKind] + [NOT_STATED]
        return cls(
            total=len(items),
            by_level=tuple((level, levels[level]) for level in LEVEL_ORDER),
            by_kind=tuple((k, kinds[k]) for k in order if kinds[k]),
            on_primary=sum(f.on_primary for f in items),
        )

    def count(self, level: EvidenceLevel) -> int:
        return dict(self.by_level)[level]

    def text(self) -> str:
        levels = " · ".join(f"{level.value} {n}" for level, n in self.by_level)
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind) or "none"
        return f"{self.total} ({levels}; sources: {kinds})"


@dataclass(frozen=True, slots=True)
class Audit:
    """Every sourced number of a catalog, and the arms the charts cannot place."""

    figures: tuple[AuditedFigure, ...]
    unplaced: tuple[UnplacedArm, ...]

    @property
    def data_figures(self) -> tuple[AuditedFigure, ...]:
        """The figures the charts draw: results, adverse events, safety rates and hazard ratios."""
        kinds = (FigureKind.RESULT, FigureKind.ADVERSE_EVENT, FigureKind.SAFETY_RATE)
        return tuple(f for f in self.figures if f.what in kinds)

    def tally(self, what: FigureKind | None = None) -> Tally:
        return Tally.of(f for f in (self.data_figures if what is None else self.of_kind(what)))

    def of_kind(self, what: FigureKind) -> tuple[AuditedFigure, ...]:
        return tuple(f for f in self.figures if f.what is what)

    def of_drug(self, drug_id: str) -> tuple[AuditedFigure, ...]:
        return tuple(f for f in self.data_figures if drug_id in f.drug_ids)

    def of_trial(self, trial_id: str) -> tuple[AuditedFigure, ...]:
        return tuple(f for f in self.data_figures if f.trial_id == trial_id)

    def on_recalled(self) -> tuple[AuditedFigure, ...]:
        return tuple(f for f in self.figures if f.kind is SourceKind.RECALLED)

    def on_secondary(self) -> tuple[AuditedFigure, ...]:
        """Numbers read in a review, summary, news item, press release, third-party copy or an unstated kind."""
        return tuple(f for f in self.figures if not f.on_primary and f.kind is not SourceKind.RECALLED)

    def weakened(self) -> tuple[AuditedFigure, ...]:
        """Figures read in a primary source that carry a lower level (a recalled arm n, for instance)."""
        return tuple(f for f in self.data_figures if f.on_primary and f.level is not EvidenceLevel.VERIFIED)


def audit_catalog(catalog: Catalog) -> Audit:
    """Every result, adverse event, safety rate, arm n, trial design and monograph statement of a catalog."""
    drugs_of_trial = {
        t: tuple(dict.fromkeys(a.drug_id for a in catalog.arms_of(t) if a.role is ArmRole.DRUG)) for t in catalog.trials
    }

    def owners(arm: Arm | None, trial_id: str) -> tuple[str, ...]:
        if arm is not None and arm.role is ArmRole.DRUG and arm.drug_id:
            return (arm.drug_id,)
        return drugs_of_trial.get(trial_id, ())

    def kind(source_id: str) -> SourceKind | None:
        source = catalog.sources.get(source_id)
        return source.kind if source else None

    def arm_text(trial_id: str, arm_id: str) -> str:
        trial = catalog.trials.get(trial_id)
        arm = catalog.arms.get(arm_id)
        return f"{trial.name if trial else trial_id} {arm.label if arm else arm_id}"

    figures: list[AuditedFigure] = []
    for r in catalog.results:
        arm = catalog.arms.get(r.arm_id)
        label = f"{arm_text(r.trial_id, r.arm_id)}: {r.outcome_id} at {r.timepoint}"
        figures.append(
            AuditedFigure(
                FigureKind.RESULT, owners(arm, r.trial_id), r.trial_id, label, r.level, r.source_id, kind(r.source_id)
            )
        )
    for e in catalog.adverse_events:
        arm = catalog.arms.get(e.arm_id)
        when = f" ({e.timepoint})" if e.timepoint else " (period not stated)"
        label = f"{arm_text(e.trial_id, e.arm_id)}: {e.term}{when}"
        figures.append(
            AuditedFigure(
                FigureKind.ADVERSE_EVENT,
                owners(arm, e.trial_id),
                e.trial_id,
                label,
                e.level,
                e.source_id,
                kind(e.source_id),
            )
        )
    analysis_drugs: dict[str, tuple[str, ...]] = {}
    for rate in catalog.safety_rates:
        if rate.drug_id in catalog.drugs:
            analysis_drugs[rate.analysis] = (*analysis_drugs.get(rate.analysis, ()), rate.drug_id)
    for rate in catalog.safety_rates:
        if rate.drug_id in catalog.drugs:
            drug_ids: tuple[str, ...] = (rate.drug_id,)
        else:  # a placebo or comparator group belongs to the drugs of its analysis
            drug_ids = owners(None, rate.trial_id) or tuple(dict.fromkeys(analysis_drugs.get(rate.analysis, ())))
        label = f"{rate.label()}: {rate.term}"
        figures.append(
            AuditedFigure(
                FigureKind.SAFETY_RATE, drug_ids, rate.trial_id, label, rate.level, rate.source_id, kind(rate.source_id)
            )
        )
    for hr in catalog.hazard_ratios:
        figures.append(
            AuditedFigure(
                FigureKind.SAFETY_RATE,
                (hr.drug_id,) if hr.drug_id in catalog.drugs else owners(None, hr.trial_id),
                hr.trial_id,
                f"{arm_text(hr.trial_id, '')}{hr.group} vs {hr.comparator}: {hr.term} hazard ratio",
                hr.level,
                hr.source_id,
                kind(hr.source_id),
            )
        )
    for arm in catalog.arms.values():
        if arm.n is not None:
            figures.append(
                AuditedFigure(
                    FigureKind.ARM_SIZE,
                    owners(arm, arm.trial_id),
                    arm.trial_id,
                    f"{arm_text(arm.trial_id, arm.id)}: n = {arm.n}",
                    arm.level,
                    arm.source_id,
                    kind(arm.source_id),
                )
            )
    for trial in catalog.trials.values():
        figures.append(
            AuditedFigure(
                FigureKind.DESIGN,
                drugs_of_trial.get(trial.id, ()),
                trial.id,
                f"{trial.name}: design facts",
                trial.level,
                trial.source_id,
                kind(trial.source_id),
            )
        )
    for drug in catalog.drugs.values():
        statements = [
            *(("mechanism", f.text, f.source_id, f.level) for f in drug.mechanism),
            *(("selectivity", f"{s.target} IC50 {s.qualifier}{s.ic50_nm:g} nM", s.source_id, s.level)
              for s in drug.selectivity),
            *(("approved dose", f.text, f.source_id, f.level) for f in drug.approved_doses),
            *(("half-life", f.text, f.source_id, f.level) for f in drug.half_life),
            *(("approval", f"{a.agency} {a.date}", a.source_id, a.level) for a in drug.approvals),
            *(("boxed warning", f.text, f.source_id, f.level) for f in drug.boxed_warnings),
        ]  # fmt: skip
        for section, text, source_id, level in statements:
            label = f"{drug.name} {section}: {_clip(text)}"
            figures.append(
                AuditedFigure(FigureKind.MONOGRAPH, (drug.id,), "", label, level, source_id, kind(source_id))
            )
    return Audit(tuple(figures), unplaced_arms(catalog))


def unplaced_arms(catalog: Catalog) -> tuple[UnplacedArm, ...]:
    """Drug arms the dose-response charts cannot place: no daily dose (and why), or figures without an n."""
    with_figures = catalog.columns.with_figures().tolist()  # per arm, from the columns: no figure is made
    out = []
    for arm, has_figures in zip(catalog.arms.values(), with_figures, strict=True):
        if arm.role is not ArmRole.DRUG:
            continue
        trial = catalog.trials.get(arm.trial_id)
        label = f"{trial.name if trial else arm.trial_id} {arm.label}"
        reasons = []
        if arm.daily_dose_mg is None:
            reasons.append(f"no daily dose ({arm.no_daily_dose_why()}): left off the dose axis")
        if has_figures and arm.n is None:
            reasons.append("no n: its percentages have no count, interval or comparison")
        if reasons:
            out.append(UnplacedArm(arm.trial_id, arm.id, label, "; ".join(reasons)))
    return tuple(sorted(out, key=lambda u: u.label.casefold()))


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_audit(audit: Audit, catalog: Catalog, title: str) -> str:
    """The audit as plain text: totals, per drug, per trial, unplaced arms, and every weak figure."""
    lines = [f"Audit of {title}", ""]
    data = audit.tally()
    share = f"{100 * data.on_primary / data.total:.0f}%" if data.total else "–"
    lines.append(f"Figures (results, adverse events, safety rates, hazard ratios): {data.text()}")
    lines.append(f"  read in a primary source: {data.on_primary} of {data.total} ({share})")
    for what, name in (
        (FigureKind.ARM_SIZE, "Arm sizes"),
        (FigureKind.DESIGN, "Trial design facts"),
        (FigureKind.MONOGRAPH, "Monograph statements"),
    ):
        lines.append(f"{name}: {audit.tally(what).text()}")
    lines += ["", "Per drug"]
    for drug in sorted(catalog.drugs.values(), key=lambda d: d.name.casefold()):
        lines.append(f"  {drug.name}: {Tally.of(audit.of_drug(drug.id)).text()}")
    lines += ["", "Per trial"]
    for trial in sorted(catalog.trials.values(), key=lambda t: t.name.casefold()):
        figures = audit.of_trial(trial.id)
        design = catalog.sources.get(trial.source_id)
        kind = design.kind.value if design and design.kind else NOT_STATED
        head = f"  {trial.name} (design: {trial.level.value}, {trial.source_id} {kind})"
        lines.append(f"{head}: {Tally.of(figures).text()}" if figures else f"{head}: no figures")
    lines += ["", f"Arms the charts cannot place ({len(audit.unplaced)})"]
    lines += [f"  {u.label}: {u.reason}" for u in audit.unplaced] or ["  none"]
    for heading, figures in (
        ("Figures resting on a recalled source", audit.on_recalled()),
        ("Figures resting on a secondary source (review, summary, news, press release, copy)", audit.on_secondary()),
        ("Figures read in a primary source but weakened by their arm's n", audit.weakened()),
    ):
        lines += ["", f"{heading} ({len(figures)})"]
        lines += [
            f"  [{f.what.value}] {f.label} — {f.source_id} ({f.kind_name}), {f.level.value}" for f in figures
        ] or ["  none"]
    return "\n".join(lines) + "\n"
