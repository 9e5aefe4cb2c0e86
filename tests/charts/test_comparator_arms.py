"""Active comparators in the drawn trials are drawn (dashed grey) or named, and always in the CSV (issue 15).

ORAL Surveillance has no placebo: its tofacitinib serious-infection rates are read against its TNF-inhibitor
arm (T22, Balanescu 2022 Table 2: 119 of 1,451), which the tolerability chart used to leave out unnamed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import shipped_session
from viewer.charts.common import select
from viewer.charts.comparator_arms import ADJUSTED_REASON, comparator_figures
from viewer.charts.palette import COMPARATOR_GREY
from viewer.charts.spec import ChartKind, ChartSpec, Series
from viewer.cli import build_parser, run_command
from viewer.domain.stats import wilson_interval
from viewer.session import Session

TNFI = "Active comparator · TNF inhibitor · ORAL Surveillance"


@pytest.fixture(scope="module")
def session() -> Session:
    return shipped_session()


def _chart(session: Session, drugs: list[str], term: str, **changes: object) -> ChartSpec:
    query = replace(
        session.query, drugs=tuple(session.resolve_drugs(drugs)), ae_term=term, population="", timepoint="", **changes
    )
    return session.chart(ChartKind.TOLERABILITY, query)


def _series(spec: ChartSpec) -> list[Series]:
    return [s for chart in (spec.panels or (spec,)) for s in chart.series]


def test_oral_surveillance_tnfi_drawn_at_its_rate_across_the_trials_doses(session: Session) -> None:
    spec = _chart(session, ["tofacitinib"], "serious infection")
    (line,) = [s for s in _series(spec) if s.name == TNFI]
    assert line.dashed and line.color == COMPARATOR_GREY
    low, high = wilson_interval(119, 1451)
    assert [p.x for p in line.points] == [10.0, 20.0]  # tofacitinib 5 and 10 mg BID: the trial's own doses
    assert all(p.y == pytest.approx(100 * 119 / 1451) for p in line.points)
    assert (line.points[-1].low, line.points[-1].high) == (pytest.approx(100 * low), pytest.approx(100 * high))
    assert "119/1451" in line.points[-1].tooltip and "TNF inhibitor" in line.points[-1].tooltip
    assert [e.label for e in spec.legend if e.dashed] == ["Active comparator"]
    assert any(f.startswith("Dashed grey: a trial's active comparator") for f in spec.footnotes)


def test_comparator_in_its_drugs_panel_only(session: Session) -> None:
    spec = _chart(session, ["tofacitinib", "upadacitinib"], "any adverse event")
    assert spec.panels
    by_panel = {p.title: [s.name for s in p.series if s.dashed] for p in spec.panels}
    assert by_panel["Tofacitinib"] == ["Active comparator · Adalimumab · ORAL Standard"]
    assert by_panel["Upadacitinib"] == []
    # keyed once for the whole chart, in the first panel (as the evidence marks are)
    assert [[e.label for e in p.legend if e.dashed] for p in spec.panels] == [["Active comparator"], []]


def _csv(tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / "tolerability.csv"
    argv = ["export", "--chart", "tolerability", "--drug", "tofacitinib", "--ae", "serious infection",
            "--population", "", "--timepoint", "", "-o", str(out), *extra]  # fmt: skip
    assert run_command(build_parser().parse_args(argv), io.StringIO(), io.StringIO()) == 0
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))


def test_csv_carries_the_comparator_row(tmp_path: Path) -> None:
    rows = _csv(tmp_path)
    (tnfi,) = [r for r in rows if r["drug"] == "TNF inhibitor (comparator)"]
    assert (tnfi["trial"], tnfi["responders"], tnfi["n"]) == ("ORAL Surveillance", "119", "1451")
    assert float(tnfi["rate"]) == pytest.approx(119 / 1451)
    assert (tnfi["level"], tnfi["source_kind"], tnfi["chart"]) == ("verified", "article", "shown")
    assert tnfi["rd"] == "" and tnfi["nnt"] == ""  # the chart compares the ticked drug with placebo only


def test_difference_from_placebo_names_the_comparator_left_out(tmp_path: Path) -> None:
    rows = _csv(tmp_path, "--adjusted")
    (tnfi,) = [r for r in rows if r["drug"] == "TNF inhibitor (comparator)"]
    assert tnfi["chart"] == "left out" and tnfi["chart_note"] == ADJUSTED_REASON


def test_verified_only_keeps_out_unverified_comparators(session: Session) -> None:
    """ORAL Standard's adalimumab AE rate rests on a summary: 'verified figures only' leaves it out."""
    query = replace(session.query, drugs=("tofacitinib",), ae_term="any adverse event", population="", timepoint="")
    drawn = select(session.catalog, query, adverse=True).comparisons
    every = comparator_figures(session.catalog, query, drawn, adverse=True)
    assert [f.arm.id for f in every] == ["oral-standard-ada"]
    verified = replace(query, verified_only=True)
    assert comparator_figures(session.catalog, verified, drawn, adverse=True) == []


def test_efficacy_chart_draws_select_compares_adalimumab(session: Session) -> None:
    """SELECT-COMPARE's adalimumab arm (ACR20 at week 12) beside upadacitinib, across the trial's doses."""
    query = replace(session.query, drugs=("upadacitinib",), outcome="ACR20", population="MTX-IR", timepoint="week 12")
    spec = session.chart(ChartKind.DOSE_RESPONSE, query)
    (ada,) = [s for s in _series(spec) if s.name == "Active comparator · Adalimumab · SELECT-COMPARE"]
    assert [p.x for p in ada.points] == [0.0, 15.0]  # placebo to upadacitinib 15 mg
    (row,) = [r for r in session.rows(ChartKind.DOSE_RESPONSE, query)[1] if r["arm"] == "Adalimumab 40 mg q2w"]
    assert row["chart"] == "shown" and row["drug"] == "Adalimumab (comparator)"
    assert ada.points[-1].y == pytest.approx(100 * float(row["rate"] or 0))


def test_the_method_note_places_placebo_only_when_a_placebo_arm_is_drawn(session: Session) -> None:
    """ORAL Surveillance has no placebo arm: its chart draws none and its method note does not say where placebo
    sits; a trial with a placebo arm draws it at dose 0 and says so."""
    without = _chart(session, ["tofacitinib"], "serious infection")
    assert {s.name for s in _series(without)} == {"Tofacitinib · ORAL Surveillance (not stated)", TNFI}
    assert without.footnotes[0] == "Bars: 95% Wilson CI. Arms of one trial joined."
    with_placebo = _chart(session, ["upadacitinib"], "serious infection")
    assert any(p.x == 0.0 and p.label.startswith("Placebo") for s in _series(with_placebo) for p in s.points)
    assert with_placebo.footnotes[0] == "Bars: 95% Wilson CI. Arms of one trial joined. Placebo at dose 0."
