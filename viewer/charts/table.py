"""The numbers behind a chart as rows, for CSV export: unrounded fractions, one row per treated arm.

Every row says what its chart did with it (``chart``: shown, shown as an arrow, left out; ``chart_note``:
why), read from the chart's own placement (:attr:`~viewer.charts.placement.Placement.fates`), so a file
never passes over a figure its picture leaves out or clamps.
"""

from __future__ import annotations

from collections.abc import Sequence

from viewer.charts.common import kind_text, query_trials, select, source_kind, source_text
from viewer.charts.comparator_arms import comparator_figures, comparator_rows
from viewer.charts.dose_axis import dose_scale
from viewer.charts.dose_response import trial_emax_notes
from viewer.charts.left_out import KEPT_OUT_COLUMN, kept_out, kept_out_rows
from viewer.charts.placement import PLACEMENT_COLUMNS, Fate, PointFate, PointKey
from viewer.charts.query import Query
from viewer.charts.safety_rates import safety_rate_rows
from viewer.charts.selectivity import folds, selectivity_key
from viewer.charts.spec import ChartKind, ChartSpec
from viewer.charts.sponsor import Key, SponsorCheck, sponsor_checks
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison

COLUMNS: tuple[str, ...] = (
    "drug", "trial", "nct", "population", "arm", "dose", "daily_dose_mg", "outcome", "timepoint",
    "responders", "n", "rate", "rate_ci_low", "rate_ci_high", "placebo_responders", "placebo_n",
    "rd", "rd_ci_low", "rd_ci_high", "rr", "rr_ci_low", "rr_ci_high", "or", "or_ci_low", "or_ci_high",
    "nnt", "nnt_ci", "derived", "source",
    "level", "source_kind", "placebo_arm", "rate_ci_method", "rd_ci_method", "reported_percent", "note",
    "sponsor_analysis", "sponsor_agrees_with_crude", "count_note", "correction", "emax_fit", KEPT_OUT_COLUMN,
    *PLACEMENT_COLUMNS,
)  # fmt: skip
# A dose-response or tolerability chart's CSV also carries the dose as plotted and the axis' scale.
DOSE_COLUMNS: tuple[str, ...] = (*COLUMNS[: -len(PLACEMENT_COLUMNS)], "x", "dose_axis", *PLACEMENT_COLUMNS)
SELECTIVITY_COLUMNS: tuple[str, ...] = (
    "drug", "target", "ic50_nm", "qualifier", "assay", "level", "source_kind", "source", "fold_vs_jak1",
    "fold_qualifier", *PLACEMENT_COLUMNS,
)  # fmt: skip

Cell = str | int | float | None


def chart_rows(
    kind: ChartKind, catalog: Catalog, query: Query, spec: ChartSpec | None = None
) -> tuple[tuple[str, ...], list[dict[str, Cell]]]:
    """The columns and rows that belong with a chart of this kind; ``spec`` is that chart (built when not given),
    whose placement says what it did with each row's figure."""
    if kind in (ChartKind.LEAGUE, ChartKind.NETWORK):
        from viewer.charts.synthesis_table import synthesis_rows  # the synthesis code, only for its tables

        return synthesis_rows(kind, catalog, query)
    if kind is ChartKind.SAFETY_RATES:
        return safety_rate_rows(catalog, query, spec)
    if spec is None:
        from viewer.charts.build import build_chart  # the builders are only needed when no spec is at hand

        spec = build_chart(kind, catalog, query)
    if kind is ChartKind.SELECTIVITY:
        return SELECTIVITY_COLUMNS, _selectivity_rows(catalog, query, spec)
    adverse = kind is ChartKind.TOLERABILITY
    sel = select(catalog, query, adverse=adverse)
    posted = sponsor_checks(catalog, sel.comparisons)
    rows = [_row(catalog, c, posted) | _fate_cells(spec, c.treated.key) for c in sel.comparisons]
    if kind is ChartKind.DOSE_RESPONSE:
        fits = trial_emax_notes(catalog, query)
        for c, row in zip(sel.comparisons, rows, strict=True):
            row["emax_fit"] = fits.get((c.treated.arm.drug_id, c.treated.trial.id, c.treated.timepoint), "")
    kept = kept_out(catalog, query_trials(catalog, query)[1], adverse=adverse)
    left_out = [
        r | {"chart": Fate.LEFT_OUT.value, "chart_note": r[KEPT_OUT_COLUMN]}
        for r in kept_out_rows(catalog, query, kept)
    ]
    if kind is ChartKind.FOREST and query.pool:
        from viewer.charts.synthesis_table import ROW_TYPE, synthesis_rows

        columns, pooled = synthesis_rows(kind, catalog, query, (COLUMNS, rows), spec)
        return columns, [*pooled, *({ROW_TYPE: "left out", **r} for r in left_out)]
    if kind in (ChartKind.DOSE_RESPONSE, ChartKind.TOLERABILITY):
        comparators = comparator_figures(catalog, query, sel.comparisons, adverse=adverse)
        compared = [
            dict.fromkeys(DOSE_COLUMNS) | r | _fate_cells(spec, f.key) | {"dose_axis": query.dose_axis.value}
            for f, r in zip(comparators, comparator_rows(catalog, query, comparators), strict=True)
        ]
        return DOSE_COLUMNS, [*_with_plotted_dose(catalog, query, sel.comparisons, rows), *compared, *left_out]
    return COLUMNS, [*rows, *left_out]


def _with_plotted_dose(
    catalog: Catalog, query: Query, comparisons: Sequence[Comparison], rows: list[dict[str, Cell]]
) -> list[dict[str, Cell]]:
    """Each row with ``x``, the dose as the chart plots it (mg/day, or the multiple of the drug's approved
    dose: 15 mg upadacitinib is 1), and ``dose_axis``; ``x`` is empty when the arm has no place on it."""
    pairs = [(c.treated.arm.drug_id, c.treated.arm.daily_dose_mg) for c in comparisons]
    scale = dose_scale(query.dose_axis, catalog, [(d, mg) for d, mg in pairs if mg is not None])
    for row, (drug_id, mg) in zip(rows, pairs, strict=True):
        row["x"] = scale.x(drug_id, mg) if mg is not None and mg > 0 else None
        row["dose_axis"] = query.dose_axis.value
    return rows


def _row(catalog: Catalog, c: Comparison, posted: dict[Key, list[SponsorCheck]]) -> dict[str, Cell]:
    t, p = c.treated, c.placebo
    checks = posted.get((t.trial.id, t.arm.id, t.endpoint, t.timepoint), [])
    drug = catalog.drugs.get(t.arm.drug_id)
    row: dict[str, Cell] = {
        "drug": drug.name if drug else t.arm.drug_id,
        "trial": t.trial.name,
        "nct": t.trial.nct,
        "population": t.trial.population,
        "arm": t.arm.label,
        "dose": f"{t.arm.dose:g} {t.arm.unit} {t.arm.frequency}".strip() if t.arm.dose is not None else "",
        "daily_dose_mg": t.arm.daily_dose_mg,
        "outcome": t.endpoint,
        "timepoint": t.timepoint,
        "responders": t.count,
        "n": t.n,
        "rate": t.proportion,
        "rate_ci_low": c.rate.low if c.rate else None,
        "rate_ci_high": c.rate.high if c.rate else None,
        "placebo_responders": p.count if p else None,
        "placebo_n": p.n if p else None,
        "rd": c.rd.value if c.rd else None,
        "rd_ci_low": c.rd.low if c.rd else None,
        "rd_ci_high": c.rd.high if c.rd else None,
        "rr": c.rr.value if c.rr else None,
        "rr_ci_low": c.rr.low if c.rr else None,
        "rr_ci_high": c.rr.high if c.rr else None,
        "or": c.odds.value if c.odds else None,
        "or_ci_low": c.odds.low if c.odds else None,
        "or_ci_high": c.odds.high if c.odds else None,
        "nnt": c.nnt.value if c.nnt else None,
        "nnt_ci": c.nnt.text() if c.nnt else c.reason,
        "derived": "yes" if t.derived or (p is not None and p.derived) else "no",
        "source": source_text(catalog.source(t.source_id), t.source_id, t.provenance),
        "level": c.level.value,
        "source_kind": kind_text(source_kind(catalog, t.source_id)),
        "placebo_arm": c.placebo_label,
        "rate_ci_method": c.rate.method.value if c.rate else "",
        "rd_ci_method": c.rd.method.value if c.rd else "",
        "reported_percent": t.percent,
        "note": t.note,
        "sponsor_analysis": " | ".join(check.text().replace("\n ", " ") for check in checks),
        "sponsor_agrees_with_crude": " | ".join(check.agreement.value for check in checks),
    }
    row["count_note"] = " | ".join(n for n in (t.count_note, p.count_note if p else "") if n)
    corrected = any(e is not None and e.corrected for e in (c.rr, c.odds))
    row["correction"] = "0.5 added to each cell (a zero cell)" if corrected else ""
    return row


def _fate_cells(spec: ChartSpec, key: PointKey) -> dict[str, Cell]:
    """The ``chart`` and ``chart_note`` cells of the figure ``key``: what its chart did with it, and why."""
    fate = spec.fate(key)
    if fate is None:  # no point and no recorded omission: only an empty chart, which says why
        fate = PointFate(Fate.LEFT_OUT, spec.empty_message or "not drawn on this chart")
    return {"chart": fate.fate.value, "chart_note": fate.reason}


def _selectivity_rows(catalog: Catalog, query: Query, spec: ChartSpec) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    for drug_id in query.drugs:
        drug = catalog.drugs.get(drug_id)
        if drug is None:
            continue
        by_index = {f.index: f for f in folds(drug)[0]}
        for k, s in enumerate(drug.selectivity):
            fold = by_index.get(k)
            row: dict[str, Cell] = {
                "drug": drug.name,
                "target": s.target,
                "ic50_nm": s.ic50_nm,
                "qualifier": s.qualifier,
                "assay": s.assay,
                "level": s.level.value,
                "source_kind": kind_text(source_kind(catalog, s.source_id)),
                "source": source_text(catalog.source(s.source_id), s.source_id),
                "fold_vs_jak1": fold.value if fold else None,
                "fold_qualifier": fold.qualifier if fold else None,
            }
            rows.append(row | _fate_cells(spec, selectivity_key(drug.id, k)))
    return rows
