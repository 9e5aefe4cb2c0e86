"""The switches a user reaches for: pooling a drug across its doses and the dose-response model fitted
across trials, from the command line (files read back) and the window's Options menu."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.synthesis.r_reference import dose_trials
from tests.synthesis.test_cli_synthesis import read_csv, run
from viewer.charts.build import build_chart
from viewer.charts.query import DoseModel, Effect, Query
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.synthesis.dose_response import fit_dose_response
from viewer.domain.synthesis.pairwise import PoolMethod, PoolModel

MTX_IR = Query(population="MTX-IR", adjusted=True, emax=True)


def test_cli_pools_each_drug_across_its_doses(tmp_path: Path) -> None:
    out = tmp_path / "forest.csv"
    code, _, err = run("export", "-o", str(out), "--chart", "forest", "--population", "MTX-IR", "--pool", "random",
                       "--pool-doses")  # fmt: skip
    assert code == 0, err
    pooled = {r["pooled_over"]: r for r in read_csv(out) if r["row_type"] == "pooled"}
    assert set(pooled) == {"Upadacitinib", "Tofacitinib", "Baricitinib"}
    assert pooled["Upadacitinib"]["k_trials"] == "2" and pooled["Tofacitinib"]["k_trials"] == "1"
    assert pooled["Upadacitinib"]["patients"] == str(50 + 248 + 651 + 651)  # BALANCE-II's doses merged
    code, _, err = run("export", "-o", str(tmp_path / "each.csv"), "--chart", "forest", "--population", "MTX-IR",
                       "--pool", "random")  # fmt: skip
    assert code == 0, err
    each = {r["pooled_over"] for r in read_csv(tmp_path / "each.csv") if r["row_type"] == "pooled"}
    assert "Baricitinib 4 mg QD" in each and "Baricitinib" not in each


@pytest.mark.parametrize("model", list(DoseModel))
def test_dose_model_choice_reaches_the_chart(shipped_catalog: Catalog, model: DoseModel) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, MTX_IR.with_(dose_model=model))
    upa = next(b for b in spec.all_bands() if b.name == f"{model.label} across trials · Upadacitinib")
    fit = fit_dose_response(dose_trials("upadacitinib"), Effect.RD, model)
    assert upa.y[-1] == pytest.approx(100 * fit.predict(upa.x[-1]))
    first = {DoseModel.EMAX: "Emax", DoseModel.LINEAR: "slope", DoseModel.LOG_LINEAR: "delta"}[model]
    assert any(f.startswith(f"Upadacitinib: {first} ") for f in spec.footnotes)
    assert any(f.startswith(f"Curves: {model.label} model across trials") for f in spec.footnotes)


def test_cli_dose_model_option_draws_that_model(tmp_path: Path) -> None:
    out = tmp_path / "dose.svg"
    code, _, err = run("export", "-o", str(out), "--chart", "dose-response", "--population", "MTX-IR", "--adjusted",
                       "--emax", "--dose-model", "log-linear")  # fmt: skip
    assert code == 0, err
    svg = out.read_text(encoding="utf-8")
    assert "Curves: Log-linear model across trials" in svg and "Emax model" not in svg


def test_window_options_menu_sets_both_switches(qtbot: Any, make_main_window: Callable[..., Any]) -> None:
    window = make_main_window()
    window.state.update_query(population="MTX-IR", pool=None)
    controls = window.controls
    controls.pool["random"].trigger()
    controls.pool_doses.trigger()
    controls.dose_model["linear"].trigger()
    query = window.state.query
    assert query.pool_doses and query.dose_model is DoseModel.LINEAR
    window.chart_pane.show_kind(ChartKind.FOREST)
    ticks = [text for _, text in window.chart_pane.spec(ChartKind.FOREST).y_ticks]
    assert "Pooled Upadacitinib (2 trials)" in ticks
    window.state.update_query(dose_model=DoseModel.EMAX)
    assert controls.dose_model["emax"].isChecked() and not controls.dose_model["linear"].isChecked()


def test_prediction_interval_is_a_line_through_the_diamond(shipped_catalog: Catalog) -> None:
    from viewer.charts.forest import build_forest
    from viewer.charts.pooled import SynthesisOptions, pooled_effects
    from viewer.charts.pooled_forest import PREDICTION_CAP, PREDICTION_COLOUR, PREDICTION_LABEL, PREDICTION_NOTE

    options = SynthesisOptions(across_doses=True)
    spec = build_forest(shipped_catalog, Query(population="MTX-IR"), pooling=options)
    upa = next(r for r in pooled_effects(shipped_catalog, Query(population="MTX-IR"), options).rows
               if r.group == "Upadacitinib")  # fmt: skip
    assert upa.pooled.heterogeneity.tau2 > 0 and upa.pooled.pi_low < upa.pooled.low
    upa_panel = next(p for p in spec.panels if p.title == "Upadacitinib")  # several drugs: one panel each
    row_y = next(y for y, text in upa_panel.y_ticks if text == "Pooled Upadacitinib (2 trials)")
    line = next(b for b in upa_panel.bands if b.y == (row_y, row_y))
    low, high = 100 * upa.pooled.pi_low, 100 * upa.pooled.pi_high
    assert line.x == pytest.approx((low, high))
    assert line.name == PREDICTION_LABEL and PREDICTION_NOTE in spec.footnotes
    caps = [b for b in upa_panel.bands if b.y == (row_y - PREDICTION_CAP, row_y + PREDICTION_CAP)]
    assert [b.x for b in caps] == [(low, low), (high, high)] and not any(b.name for b in caps)
    x_range = upa_panel.x_range
    assert x_range is not None and x_range[0] <= low and high <= x_range[1]  # both ends on the axis: both capped
    assert {b.color for b in spec.all_bands()} == {PREDICTION_COLOUR}
    lines = [b for b in spec.all_bands() if b.name]
    assert len(lines) == 2  # Upadacitinib and Baricitinib (2 trials each); Tofacitinib has one trial
    assert len(spec.all_bands()) == 2 * 3
    fixed = build_forest(shipped_catalog, Query(population="MTX-IR"),
                         pooling=SynthesisOptions(PoolMethod(PoolModel.FIXED), across_doses=True))  # fmt: skip
    assert not fixed.all_bands() and PREDICTION_NOTE not in fixed.footnotes


def test_approved_dose_axis_compares_the_drugs_at_1x(shipped_catalog: Catalog) -> None:
    """On the approved-dose axis each across-trial fit is read at the drug's approved dose (1x), with the
    band's interval, and ED50 as a multiple; on a mg axis the footnote says nothing of multiples."""
    from viewer.charts.query import DoseAxis

    query = MTX_IR.with_(dose_axis=DoseAxis.APPROVED)
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query)
    fit = fit_dose_response(dose_trials("baricitinib"), Effect.RD, DoseModel.EMAX)
    value, low, high = fit.interval(4.0)  # baricitinib's approved dose: 4 mg/day (EU), the monograph's highest
    k = fit.band_x.index(4.0) if 4.0 in fit.band_x else None
    note = next(f for f in spec.footnotes if f.startswith("Baricitinib: Emax"))
    assert f"At 1x (4 mg/day): {100 * value:+.1f} pp (95% CI {100 * low:+.1f} to {100 * high:+.1f})" in note
    ed50 = fit.parameter("ED50")
    assert ed50 is not None and f"ED50 {ed50.value / 4:.2g}x" in note
    grid = fit.band_x[50]
    _, band_low, band_high = fit.interval(grid)
    assert (band_low, band_high) == pytest.approx((fit.band_low[50], fit.band_high[50]))
    assert k is None or fit.band_y[k] == pytest.approx(value)
    tofa = next(f for f in spec.footnotes if f.startswith("Tofacitinib: Emax"))
    assert "At 1x (10 mg/day): " in tofa and "no interval" in tofa  # two doses, two parameters: exact fit
    plain = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, MTX_IR)
    assert not any("At 1x" in f for f in plain.footnotes)
