"""Dose-response as users compare it: one panel per drug by default, three dose axes (the approved-dose
multiple from each monograph), one population and timepoint for several drugs, fixed colours, and every
ticked drug or left-out arm named. Specs from the shipped catalog, and the CSV the command line writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from viewer.charts.build import build_chart
from viewer.charts.query import DoseAxis, PanelMode, Query
from viewer.charts.spec import ChartKind, ChartSpec, Series
from viewer.charts.table import chart_rows
from viewer.cli import build_parser, run_command
from viewer.domain.catalog import Catalog
from viewer.query_rules import like_with_like
from viewer.session import Session

FOUR = ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")


def panel(spec: ChartSpec, title: str) -> ChartSpec:
    return next(p for p in spec.panels if p.title == title)


def series_named(spec: ChartSpec, piece: str) -> Series:
    return next(s for s in spec.all_series() if piece in s.name)


def test_several_drugs_get_one_panel_each_with_the_response_axis_shared(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=FOUR))
    assert [p.title for p in spec.panels] == ["Upadacitinib", "Tofacitinib", "Baricitinib", "Filgotinib"]
    assert {p.y_range for p in spec.panels} == {(0.0, 100.0)}
    assert all(s.group == "upadacitinib" for s in panel(spec, "Upadacitinib").series)
    # each drug keeps its own mg range: filgotinib's 200 mg does not squeeze baricitinib's 4 mg
    assert panel(spec, "Baricitinib").placement.x_range[1] < 20 < panel(spec, "Filgotinib").placement.x_range[1]
    # colour goes to trials in a panel: one legend line per trial, in that trial's colour and marker
    upa = panel(spec, "Upadacitinib")
    # not the evidence keys, nor the trials' active comparators (dashed grey)
    trial_lines = [e for e in upa.legend if e.symbol is not None and e.mark is None and not e.dashed]
    trials = [s for s in upa.series if not s.dashed]
    assert len({(e.color, e.symbol) for e in trial_lines}) == len(trial_lines) == len(trials) == 8
    assert len({e.color for e in trial_lines}) == 6  # six line colours, then the markers tell trials apart
    assert {(s.color, s.symbol) for s in trials} == {(e.color, e.symbol) for e in trial_lines}
    one = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=("upadacitinib",)))
    assert not one.panels and one.series
    overlay = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=FOUR, panels=PanelMode.NONE))
    drug_lines = {s.color for s in overlay.series if s.group == "upadacitinib" and not s.dashed}
    assert not overlay.panels and drug_lines == {"#56B4E9"}


def test_approved_dose_axis_puts_each_approved_dose_at_1x(shipped_catalog: Catalog) -> None:
    query = Query(drugs=FOUR, dose_axis=DoseAxis.APPROVED)
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query)
    assert spec.x_label.startswith("Daily dose as a multiple of the approved RA dose")
    select_next = series_named(spec, "SELECT-NEXT")
    assert [round(p.x, 6) for p in select_next.points] == [0.0, 1.0, 2.0]  # placebo, 15 mg, 30 mg
    assert "1x the approved dose (15 mg/day)" in select_next.points[1].tooltip
    rabuild = series_named(spec, "RA-BUILD")
    assert [p.x for p in rabuild.points[1:]] == [0.5, 1.0]  # 2 and 4 mg: baricitinib's approved dose is 4 mg
    finch = series_named(spec, "FINCH 1")
    assert [p.x for p in finch.points[1:]] == [0.5, 1.0]  # 100 and 200 mg filgotinib
    assert len({p.placement.x_range for p in spec.panels}) == 1  # 1x lines up across the panels
    assert (1.0, "1x") in spec.panels[0].x_ticks
    notes = " ".join(spec.footnotes)
    assert "Upadacitinib 15 mg/day" in notes and "Baricitinib 4 mg/day (also stated: 2 mg/day)" in notes


def test_a_drug_without_an_approved_dose_keeps_its_panel_with_the_reason(shipped_catalog: Catalog) -> None:
    query = Query(drugs=("upadacitinib", "ruxolitinib"), dose_axis=DoseAxis.APPROVED, population="")
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query)
    rux = panel(spec, "Ruxolitinib")
    assert rux.is_empty and "Ruxolitinib:" in rux.empty_message
    one_plot = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query.with_(panels=PanelMode.NONE))
    assert any(f.startswith("Not in the chart: Ruxolitinib (") for f in one_plot.footnotes)


def test_arms_without_a_placebo_comparison_are_listed_by_name(shipped_catalog: Catalog) -> None:
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=FOUR, adjusted=True))
    (note,) = [f for f in spec.footnotes if f.startswith("Not drawn, no placebo comparison")]
    assert "hover" not in note and " in " in note and "(" in note


def test_csv_carries_the_plotted_dose_and_its_axis(shipped_catalog: Catalog) -> None:
    for axis, expected in ((DoseAxis.APPROVED, 1.0), (DoseAxis.LINEAR, 15.0), (DoseAxis.LOG, 15.0)):
        _columns, rows = chart_rows(
            ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=("upadacitinib",), dose_axis=axis)
        )
        row = next(r for r in rows if r["trial"] == "SELECT-NEXT" and r["daily_dose_mg"] == 15.0)
        assert row["x"] == pytest.approx(expected) and row["dose_axis"] == axis.value


def test_cli_dose_axis_and_panels(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = ["export", "--drug", "upadacitinib", "--dose-axis", "approved", "-o", str(tmp_path / "d.csv")]
    assert run_command(build_parser().parse_args(args), out, err) == 0, err.getvalue()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "d.csv").read_text(encoding="utf-8"))))
    fifteen = [r for r in rows if r["daily_dose_mg"] == "15.0"]
    assert fifteen and {r["x"] for r in fifteen} == {"1.0"} and {r["dose_axis"] for r in rows} == {"approved"}
    parsed = build_parser().parse_args(["export", "--panels", "none", "-o", "x.png"])
    assert parsed.panels == "none"


def test_colours_and_markers_do_not_follow_tick_order_or_verified_only(shipped_catalog: Catalog) -> None:
    def styles(query: Query) -> dict[str, tuple[str, str]]:
        spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, query.with_(panels=PanelMode.NONE))
        return {s.name: (s.color, s.symbol.value) for s in spec.series}

    base = styles(Query(drugs=FOUR))
    assert styles(Query(drugs=tuple(reversed(FOUR)))) == base
    verified = styles(Query(drugs=FOUR, verified_only=True))
    assert verified and all(base[name] == style for name, style in verified.items())


def test_like_with_like_picks_the_most_common_population_and_timepoint(shipped_catalog: Catalog) -> None:
    settled = like_with_like(Query(drugs=FOUR), shipped_catalog)
    assert (settled.population, settled.timepoint) == ("MTX-IR", "week 12")
    assert like_with_like(Query(drugs=("upadacitinib",)), shipped_catalog) == Query(drugs=("upadacitinib",))
    spec = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, settled)
    assert spec.title.endswith("· MTX-IR, week 12")
    assert {f.trial.population for f in _figures(shipped_catalog, settled)} == {"MTX-IR"}
    everything = build_chart(ChartKind.DOSE_RESPONSE, shipped_catalog, Query(drugs=FOUR))
    assert everything.title.endswith("· all populations, each trial's primary timepoint")


def test_the_window_session_settles_until_the_user_chooses(shipped_catalog: Catalog) -> None:
    session = Session(shipped_catalog.datasets, like_with_like=True)
    first = session.set_query(Query(drugs=FOUR[:3]))
    assert (first.population, first.timepoint) == ("MTX-IR", "week 12")
    ticked = session.set_query(first.with_(drugs=FOUR))  # its own choice follows the drugs
    assert (ticked.population, ticked.timepoint) == ("MTX-IR", "week 12")
    everything = session.set_query(ticked.with_(population=""))  # "All", one click away
    assert everything.population == ""
    again = session.set_query(everything.with_(drugs=FOUR[:3]))  # the user's choice is kept
    assert again.population == ""
    plain = Session(shipped_catalog.datasets)  # the command line: what its options say
    assert plain.set_query(Query(drugs=FOUR)).population == ""


def _figures(catalog: Catalog, query: Query) -> list:  # type: ignore[type-arg]
    from viewer.charts.common import select

    return list(select(catalog, query).figures)
