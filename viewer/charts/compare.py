"""The compare view as plain data: the ticked drugs as columns, one row per question a prescriber asks.

Every cell has a one-line ``summary`` (the key number with its interval, the trial and the evidence mark,
so four drugs fit one screen) and the full ``detail`` it abbreviates (expanded in the view, copied and
exported in full). Efficacy rows follow the stated rule of :mod:`viewer.charts.compare_effect`, named in
the row, with every other candidate figure in the cell's detail: never the best of all figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.charts.common import MARK_OF, evidence_text
from viewer.charts.compare_effect import RULE_TEXT, Choice, ChosenEffect, EffectChoice, choose_effects
from viewer.charts.query import Query
from viewer.charts.spec import Mark
from viewer.domain.approved_dose import approved_dose
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison
from viewer.domain.model import Drug, EvidenceLevel, Fact, HazardRatio, Trial
from viewer.domain.safety import CLASS_SAFETY_TERMS, RateComparison, compare_rates

EFFICACY_OUTCOMES = ("ACR20", "ACR50", "ACR70")
KEY_EVENTS = ("serious adverse event", "serious infection", "herpes zoster")
MARK_SYMBOLS = {Mark.PRIMARY: "●", Mark.SECONDARY: "◐", Mark.RECALLED: "○"}
MARK_KEY = "● read in a primary source · ◐ secondary source · ○ recalled (unverified)"
NONE_TEXT = "—"
ELSEWHERE = "‡"  # a cell whose figure is not at the population and timepoint its row names (it names its own)
ELSEWHERE_KEY = (
    f"{ELSEWHERE} not reported at the row's population and timepoint: the drug's largest phase 3 trial at its "
    "primary timepoint, whose population and timepoint the cell names"
)


@dataclass(frozen=True, slots=True)
class CompareCell:
    """One drug's answer: a one-line summary and the full text it abbreviates (bullets one per line)."""

    summary: str
    detail: str = ""

    @property
    def full(self) -> str:
        return self.detail or self.summary

    @property
    def expandable(self) -> bool:
        return bool(self.detail) and self.detail != self.summary

    @classmethod
    def of(cls, text: str) -> CompareCell:
        """A cell from multi-line text: its first line as the summary (with how many lines follow)."""
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) <= 1:
            return cls(text.strip() or NONE_TEXT)
        return cls(f"{lines[0]} (+{len(lines) - 1} more)", text)


@dataclass(frozen=True, slots=True)
class CompareRow:
    """A question, the rule or note it follows (shown under it, "" none), and one cell per drug.

    ``label`` is the question in one line for CSV and clipboard (default: the title and the note).
    """

    title: str
    cells: tuple[CompareCell, ...]
    note: str = ""
    label: str = ""

    @property
    def full_title(self) -> str:
        return self.label or self.title + (f" ({self.note})" if self.note else "")

    @property
    def same_for_all(self) -> bool:
        """Every drug's cell says the same (a refusal, a caveat): the view shows it once across the row."""
        return len(self.cells) > 1 and len({c.full for c in self.cells}) == 1


@dataclass(frozen=True, slots=True)
class CompareTable:
    columns: tuple[str, ...]  # drug names
    rows: tuple[CompareRow, ...]
    drug_ids: tuple[str, ...] = ()

    def row(self, title: str) -> CompareRow:
        return next(r for r in self.rows if r.title == title)

    def text_rows(self) -> list[tuple[str, tuple[str, ...]]]:
        """(question, full text per drug) for CSV, clipboard and tests; a row's note follows its question."""
        return [(r.full_title, tuple(c.full for c in r.cells)) for r in self.rows]


def build_compare(catalog: Catalog, query: Query) -> CompareTable:
    drugs = [catalog.drugs[d] for d in query.drugs if d in catalog.drugs]
    rows: list[CompareRow] = [
        _row("Targets · class", [_targets(d) for d in drugs]),
        _row("Selectivity (IC50)", [_selectivity(catalog, d) for d in drugs]),
        _row("Approved dose", [_approved(catalog, d) for d in drugs]),
        _row("Half-life", [_facts(catalog, d.half_life) for d in drugs]),
        _row("Approvals", [_approvals(catalog, d) for d in drugs]),
    ]
    for outcome in EFFICACY_OUTCOMES:
        choice = choose_effects(catalog, query, outcome, drugs)
        cells = tuple(_effect_cell(catalog, choice, choice.of(d.id)) for d in drugs)
        rows.append(_effect_row(f"{outcome} vs placebo", cells, choice))
    from viewer.charts.compare_synthesis import synthesis_rows  # the synthesis code: the compare view only

    for label, texts in synthesis_rows(catalog, query, drugs):
        title, note = _split_title(label)
        rows.append(CompareRow(title, tuple(CompareCell.of(t) for t in texts), note, label))
    for term in KEY_EVENTS:
        choice = choose_effects(catalog, query, term, drugs, adverse=True)
        cells = tuple(_effect_cell(catalog, choice, choice.of(d.id), adverse=True) for d in drugs)
        rows.append(_effect_row(f"{term[:1].upper() + term[1:]} vs placebo", cells, choice))
    rates = compare_rates(
        r for r in catalog.safety_rates if not query.verified_only or r.level is EvidenceLevel.VERIFIED
    )
    hazards = [h for h in catalog.hazard_ratios if not query.verified_only or h.level is EvidenceLevel.VERIFIED]
    for term in CLASS_SAFETY_TERMS:
        safety = [_safety_cell(catalog, d, term, rates, hazards) for d in drugs]
        rows.append(_row(f"{term[:1].upper() + term[1:]} per 100 PY", safety))
    rows.append(_row("Boxed warning", [_boxed(catalog, d) for d in drugs]))
    rows.append(_row("Trials", [_trials(catalog, d) for d in drugs]))
    return CompareTable(tuple(d.name for d in drugs), tuple(rows), tuple(d.id for d in drugs))


def _row(title: str, cells: list[CompareCell]) -> CompareRow:
    return CompareRow(title, tuple(cells))


def mark(level: EvidenceLevel) -> str:
    """The evidence mark of a level as the charts draw it: ● primary, ◐ secondary, ○ recalled."""
    return MARK_SYMBOLS[MARK_OF[level]]


def _flag(catalog: Catalog, source_id: str, level: EvidenceLevel) -> str:
    """Every statement says its level and the kind of source it rests on, verified ones too."""
    return f" [{evidence_text(catalog, source_id, level)}]"


def _facts(catalog: Catalog, facts: tuple[Fact, ...]) -> CompareCell:
    if not facts:
        return CompareCell(NONE_TEXT)
    lines = [f"• {f.text}{_flag(catalog, f.source_id, f.level)}" for f in facts]
    first = facts[0]
    more = f" (+{len(facts) - 1} more)" if len(facts) > 1 else ""
    return CompareCell(f"{mark(first.level)} {first.text}{more}", "\n".join(lines))


def _split_title(label: str) -> tuple[str, str]:
    """A long question as a short title and the note under it, at its first ': ', ', ' or ' ('."""
    for cut in (": ", ", ", " ("):
        head, sep, tail = label.partition(cut)
        if sep and head:
            return head, tail.removesuffix(")") if cut == " (" else tail
    return label, ""


def _approved(catalog: Catalog, drug: Drug) -> CompareCell:
    """The approved daily dose the charts take as 1x, in one line; every dose statement in the detail."""
    dose = approved_dose(drug)
    if dose is None:
        cell = _facts(catalog, drug.approved_doses)
        return CompareCell("no approved daily dose stated", cell.full if drug.approved_doses else "")
    detail = _facts(catalog, drug.approved_doses).full
    return CompareCell(f"{mark(dose.fact.level)} {dose.text}", detail)


def _targets(drug: Drug) -> CompareCell:
    parts = [", ".join(drug.targets), drug.drug_class]
    return CompareCell(" · ".join(p for p in parts if p) or NONE_TEXT)


def _selectivity(catalog: Catalog, drug: Drug) -> CompareCell:
    if not drug.selectivity:
        return CompareCell("no IC50 in the loaded data")
    summary = " · ".join(f"{s.target} {s.qualifier}{s.ic50_nm:g}" for s in drug.selectivity) + " nM"
    lines = [
        f"• {s.target} {s.qualifier}{s.ic50_nm:g} nM ({s.assay}){_flag(catalog, s.source_id, s.level)}"
        for s in drug.selectivity
    ]
    return CompareCell(summary, "\n".join(lines))


def _approvals(catalog: Catalog, drug: Drug) -> CompareCell:
    if not drug.approvals:
        return CompareCell("not approved")
    summary = " · ".join(f"{a.agency} {a.date[:4]}" for a in drug.approvals)
    lines = [f"• {a.agency} {a.date}: {a.indication}{_flag(catalog, a.source_id, a.level)}" for a in drug.approvals]
    return CompareCell(summary, "\n".join(lines))


def trial_design(trial: Trial) -> str:
    """The design facts of a trial in one line: phase, population, background, size, primary timepoint."""
    parts = [f"phase {trial.phase}" if trial.phase else "", trial.population]
    parts += [f"on {trial.background}" if trial.background and trial.background != "none" else ""]
    parts += [f"{trial.randomised_n} randomised" if trial.randomised_n else "", trial.primary_timepoint]
    return ", ".join(p for p in parts if p)


def _trials(catalog: Catalog, drug: Drug) -> CompareCell:
    """How many trials (and phase 3 ones), then each with its design facts, level, source kind and note."""
    trials = [catalog.trials[t] for t in catalog.trials_of(drug.id) if t in catalog.trials]
    if not trials:
        return CompareCell(NONE_TEXT)
    lines = []
    for t in trials:
        lines.append(f"• {t.name} ({trial_design(t)}){_flag(catalog, t.source_id, t.level)}")
        if t.note:
            lines.append(f"  {t.note}")
    phase3 = sum(1 for t in trials if "3" in t.phase.split("/"))
    patients = sum(t.randomised_n or 0 for t in trials)
    unknown = "≥" if any(t.randomised_n is None for t in trials) else ""
    randomised = f"{unknown}{patients:,} randomised" if patients else "randomised not stated"
    summary = f"{len(trials)} trial{'s' if len(trials) != 1 else ''} ({phase3} phase 3), {randomised}"
    return CompareCell(summary, "\n".join(lines))


def _boxed(catalog: Catalog, drug: Drug) -> CompareCell:
    """The boxed warning as bullets; the summary names its items by their first words."""
    if not drug.boxed_warnings:
        return CompareCell("none in the loaded data")
    heads = [_head(f.text) for f in drug.boxed_warnings]
    lines = [f"• {f.text}{_flag(catalog, f.source_id, f.level)}" for f in drug.boxed_warnings]
    return CompareCell(f"⚠ {len(heads)} items: " + "; ".join(heads), "\n".join(lines))


def _head(text: str) -> str:
    """The first words of a warning item: up to its first colon or full stop, at most six words."""
    cut = min((i for i in (text.find(":"), text.find(".")) if i > 0), default=len(text))
    words = text[:cut].split()
    return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


def _rd(c: Comparison) -> str:
    assert c.rd is not None
    rd = c.rd
    return f"{100 * rd.value:+.0f} pp ({100 * rd.low:+.0f} to {100 * rd.high:+.0f})"


def _rate(c: Comparison) -> str:
    """An adverse event's rate against its trial's placebo, and the difference when there is one."""
    placebo = c.placebo.proportion if c.placebo is not None else None
    text = f"{100 * (c.treated.proportion or 0):.1f}%"
    text += f" vs {100 * placebo:.1f}%" if placebo is not None else " (no placebo)"
    if c.rd is not None:
        text += f", {100 * c.rd.value:+.1f} pp"
    return text


def _where(c: Comparison) -> str:
    t = c.treated
    return f"{t.trial.name} {t.arm.label}"


def _candidate(catalog: Catalog, c: Comparison, adverse: bool) -> str:
    t = c.treated
    population = t.trial.population or "population not stated"
    value = _rate(c) if adverse else _rd(c)
    return f"{value}: {_where(c)}, {population}, {t.timepoint}{_flag(catalog, t.source_id, c.level)}"


def _elsewhere(choice: EffectChoice) -> bool:
    """Whether some drug's figure in a row of a shared pair is not at that pair (it follows the fallback)."""
    return choice.shared and any(e.choice is Choice.LARGEST_PHASE3 for e in choice.effects)


def _effect_row(title: str, cells: tuple[CompareCell, ...], choice: EffectChoice) -> CompareRow:
    """An effect row, its note true of every cell: the shared pair, and "‡ elsewhere" when a cell is not at it
    (that cell then starts its second line with ‡ and its own population and timepoint); the full title
    (CSV, clipboard, tooltip) spells the rule out."""
    if not choice.shared:
        return CompareRow(title, cells, "largest phase 3 trial, primary timepoint, approved dose")
    pair = f"{choice.population or 'any population'}, {choice.timepoint or 'any timepoint'}"
    if not _elsewhere(choice):
        return CompareRow(title, cells, f"{pair}, approved dose")
    # "‡ elsewhere" before "approved dose": a narrow question column elides the end of the note
    note = f"{pair} ({ELSEWHERE} elsewhere), approved dose"
    return CompareRow(title, cells, note, f"{title} ({pair}, approved dose; {ELSEWHERE_KEY})")


def _effect_cell(catalog: Catalog, choice: EffectChoice, effect: ChosenEffect, *, adverse: bool = False) -> CompareCell:
    """The chosen figure (value and 95% CI, then trial and arm, with its mark), the rule, every other figure.

    Two summary lines: the number, then where it comes from. A drug that follows the fallback names its
    population and timepoint first on that line (a narrow cell elides the end of a line, and the row's
    label must be true of the cell), marked ‡ in a row that names a shared pair (:func:`_effect_row`).
    """
    c = effect.shown
    what = "figure" if adverse else "placebo-controlled figure"
    lines: list[str] = []
    if c is None:
        summary = f"no {what} at an approved dose"
        lines.append(f"No {what} for {choice.outcome} at an approved dose in the loaded data.")
    else:
        t = c.treated
        when = t.timepoint if t.timepoint != "not stated" else "timepoint not stated"
        place = f"{t.trial.population or 'population not stated'}, {when}"
        source = _where(c)
        if effect.choice is Choice.LARGEST_PHASE3:
            source = f"{ELSEWHERE + ' ' if choice.shared else ''}{place} · {source}"
            missing = f"Not reported at {choice.population}, {choice.timepoint}: t" if choice.shared else "T"
            why = f"{missing}he largest phase 3 trial at its primary timepoint ({place})."
        else:
            why = f"The same population and timepoint as the other drugs: {place}."
        head = (
            f"{choice.outcome}: patients with the event, drug vs its trial's placebo (difference in percentage points):"
            if adverse
            else f"{choice.outcome} response, drug minus placebo of the same trial, percentage points (95% CI):"
        )
        summary = f"{mark(c.level)} {_rate(c) if adverse else _rd(c)}\n{source}"
        lines += [head, _candidate(catalog, c, adverse), why]
    lines.append(RULE_TEXT)
    if effect.others:
        lines.append(f"Other figures at an approved dose ({len(effect.others)}):")
        lines += [f"• {_candidate(catalog, o, adverse)}" for o in effect.others]
    if effect.other_doses:
        lines.append(f"At doses not approved ({len(effect.other_doses)}):")
        lines += [f"• {_candidate(catalog, o, adverse)}" for o in effect.other_doses]
    return CompareCell(summary, "\n".join(lines))


def _safety_cell(
    catalog: Catalog, drug: Drug, term: str, rates: tuple[RateComparison, ...], hazards: list[HazardRatio]
) -> CompareCell:
    """The first analysis' rate in one line (its mark, the group), every rate and hazard ratio in the detail."""
    text = safety_text(catalog, drug, term, rates, hazards)
    mine = [rc.rate for rc in rates if rc.rate.term == term and rc.rate.drug_id == drug.id]
    ratios = [h for h in hazards if h.term == term and h.drug_id == drug.id]
    if not mine and not ratios:
        return CompareCell(text)
    count = len(mine) + len(ratios)
    more = f" (+{count - 1} more)" if count > 1 else ""
    if mine:
        first = next(rc for rc in rates if rc.rate is mine[0])
        return CompareCell(f"{mark(mine[0].level)} {first.rate_text()}, {mine[0].group}{more}", text)
    h = ratios[0]
    return CompareCell(f"{mark(h.level)} HR {h.value:g} ({h.low:g} to {h.high:g}) vs {h.comparator}{more}", text)


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
