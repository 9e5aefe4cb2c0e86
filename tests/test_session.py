"""The headless session: the loading, query and merging rules the window and the command line share.

Pure tests (no Qt): each rule is checked here once, and the front-end tests check that they use it.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import fields
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from tests.conftest import shipped_session
from tests.domain.minidata import FILES, NO_PLACEBO_FILES, TEN_MISTAKES_FILES, write_dataset
from viewer import session as session_module
from viewer.charts.query import DEFAULT_DRUGS, Query, QueryChanges
from viewer.charts.spec import ChartKind
from viewer.domain.catalog import Catalog
from viewer.domain.errors import DataError
from viewer.domain.model import Drug, Origin, Outcome
from viewer.gc_policy import GcPause, paused_gc
from viewer.query_rules import QueryError, QueryField, fit_query
from viewer.session import Session, merge_datasets

MIGRAINE = Path(__file__).resolve().parent / "data" / "migraine_spreadsheet.csv"


def sheet_naming(tmp_path: Path, drug: str) -> Path:
    """The migraine spreadsheet with its placeholder drug renamed (to a code the catalog may know)."""
    lines = MIGRAINE.read_text(encoding="utf-8").splitlines()
    renamed = [lines[0], *(line.replace("study drug", drug) for line in lines[1:])]
    path = tmp_path / f"{drug}.csv"
    path.write_text("\n".join(renamed) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped() -> Session:
    return shipped_session()


# -- loading ---------------------------------------------------------------------------------------------


def test_paths_are_read_in_order_against_the_catalog_so_far(tmp_path: Path) -> None:
    """A spreadsheet naming a drug by its code finds the drug a dataset earlier in the same request brought."""
    folder, sheet = write_dataset(tmp_path / "ds"), sheet_naming(tmp_path, "TST-101")
    together = Session()
    result = together.load([folder, sheet])
    assert result.ok and [d.path for d in together.datasets] == [str(folder), str(sheet)]
    assert {a.drug_id for a in result.datasets[1].arms if a.drug_id} == {"testinib"}
    alone = Session().load([sheet])
    assert {a.drug_id for a in alone.datasets[0].arms if a.drug_id} == {"tst101"}
    assert result.brought_drugs() == ("testinib",)


def test_a_bad_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    session = shipped_session()
    catalog = session.catalog
    bad = write_dataset(tmp_path / "bad", TEN_MISTAKES_FILES)
    good = write_dataset(tmp_path / "good")
    result = session.load([bad, tmp_path / "missing.csv", good])
    assert [p for p, _e in result.errors] == [bad, tmp_path / "missing.csv"]
    assert len(result.errors[0][1].problems) == 10
    assert [d.path for d in result.datasets] == [str(good)]
    assert "testinib" in session.catalog.drugs and session.catalog is not catalog


def test_a_request_that_fails_entirely_changes_nothing(tmp_path: Path) -> None:
    session = shipped_session()
    catalog, query = session.catalog, session.query
    result = session.load([write_dataset(tmp_path / "bad", TEN_MISTAKES_FILES)])
    assert not result.ok and not result.datasets and result.catalog is None
    assert session.catalog is catalog and session.query == query


def test_read_changes_nothing_and_apply_uses_the_catalog_it_built(tmp_path: Path) -> None:
    session = shipped_session()
    before = session.catalog
    result = session.read([write_dataset(tmp_path / "ds")])
    assert session.catalog is before and result.base == before.datasets
    assert result.catalog is not None and "testinib" in result.catalog.drugs
    assert session.apply(result)
    assert session.catalog is result.catalog  # built once, off the GUI thread in the window


def test_apply_rebuilds_when_the_session_moved_on_meanwhile(tmp_path: Path) -> None:
    session = Session()
    stale = session.read([write_dataset(tmp_path / "a")])
    session.load([MIGRAINE])
    session.apply(stale)
    assert [d.path for d in session.datasets] == [str(MIGRAINE), str(tmp_path / "a")]
    assert session.catalog is not stale.catalog and set(session.catalog.trials) >= {"t1"}


def test_a_reopened_file_replaces_its_dataset(tmp_path: Path) -> None:
    session = shipped_session()
    folder = write_dataset(tmp_path / "ds")
    session.load([folder])
    first = session.datasets[-1]
    session.load([folder])
    assert [d.path for d in session.datasets].count(str(folder)) == 1
    assert session.datasets[-1] is not first
    assert merge_datasets((first,), ()) == (first,)


def test_shipped_datasets_cannot_be_removed_user_ones_can(tmp_path: Path) -> None:
    session = shipped_session()
    shipped_path = session.datasets[0].path
    folder = write_dataset(tmp_path / "ds")
    session.load([folder])
    session.set_query(Query(drugs=("testinib",)))
    assert not session.remove_dataset(shipped_path)
    assert session.remove_dataset(str(folder))
    assert "testinib" not in session.catalog.drugs
    assert session.query.drugs == DEFAULT_DRUGS  # the drug that left is unticked, the defaults come back
    assert session.user_datasets() == ()


def test_a_reader_bug_is_not_dressed_up_as_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KeyError planted in the reader reaches the caller as a KeyError (the front end's boundary)."""

    def planted(path: Path, catalog: Catalog | None = None, *, origin: Origin = Origin.USER) -> Any:
        raise KeyError("planted")

    monkeypatch.setattr(session_module, "load_path", planted)
    session = Session()
    with pytest.raises(KeyError, match="planted"):
        session.load([write_dataset(tmp_path / "ds")])
    assert session.datasets == ()


# -- fitting a query to the data (the window) ----------------------------------------------------------


def _small_catalog() -> Catalog:
    drugs = {d: Drug(d, d.capitalize()) for d in ("upadacitinib", "tofacitinib", "baricitinib", "filgotinib")}
    return Catalog(drugs=drugs, outcomes={"ACR20": Outcome("ACR20", "ACR20")})


def test_fit_drops_what_the_catalog_does_not_know() -> None:
    query = Query(drugs=("gone", "filgotinib"), outcome="BOGUS", timepoint="week 99", population="Mars", trials=("t9",))
    fitted = fit_query(query, _small_catalog())
    assert fitted.drugs == ("filgotinib",)
    assert fitted.outcome == "ACR20"
    assert (fitted.timepoint, fitted.population, fitted.trials) == ("", "", ())


def test_fit_brings_the_defaults_back_when_no_drug_is_left() -> None:
    assert fit_query(Query(drugs=("gone",)), _small_catalog()).drugs == DEFAULT_DRUGS


def test_fit_keeps_a_query_the_data_offers(shipped: Session) -> None:
    query = Query(outcome="ACR50", timepoint="week 12", population="MTX-IR")
    assert fit_query(query, shipped.catalog) is query


# -- validating a query against the data (the command line) ------------------------------------------


@pytest.mark.parametrize(
    ("kind", "changes", "field", "reason", "offered"),
    [
        (ChartKind.DOSE_RESPONSE, {"timepoint": "week 99"}, QueryField.TIMEPOINT, "at this timepoint", "week 12"),
        (ChartKind.FOREST, {"population": "nonsense"}, QueryField.POPULATION, "in this population", "MTX-IR"),
        (ChartKind.DOSE_RESPONSE, {"drugs": ("nosuchdrug",)}, QueryField.DRUGS, "not in the catalog", "Baricitinib"),
        (ChartKind.FOREST, {"drugs": ("ruxolitinib",)}, QueryField.OUTCOME, "no results of Ruxolitinib", "SVR35"),
        (ChartKind.DOSE_RESPONSE, {"outcome": "BOGUS"}, QueryField.OUTCOME, "no results of", "ACR50"),
        (ChartKind.TOLERABILITY, {"ae_term": "nonsense"}, QueryField.AE_TERM, "adverse-event", "herpes zoster"),
        (ChartKind.DOSE_RESPONSE, {"trials": ("nope",)}, QueryField.TRIALS, "no trial of", "BALANCE-I"),
        (ChartKind.DOSE_RESPONSE, {"drugs": ()}, QueryField.DRUGS, "no drug is selected", "Upadacitinib"),
    ],
)
def test_validate_names_the_field_and_what_the_data_offers(
    shipped: Session, kind: ChartKind, changes: QueryChanges, field: QueryField, reason: str, offered: str
) -> None:
    problems = shipped.validate(Query().with_(**changes), kind)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.field is field
    assert reason in problem.reason
    assert offered in problem.offered
    assert offered in problem.message()
    with pytest.raises(QueryError) as raised:
        shipped.rows(kind, Query().with_(**changes))
    assert raised.value.problems == (problem,)


def test_the_timepoints_offered_are_those_of_the_selection_in_time_order(shipped: Session) -> None:
    """Not every timepoint in the catalog: those at which these drugs report this outcome, earliest first."""
    (problem,) = shipped.validate(Query(drugs=("upadacitinib",), timepoint="week 99"))
    assert problem.offered[0] == "week 12"
    assert set(problem.offered) < set(shipped.catalog.timepoints())


def test_verified_only_that_hides_everything_is_named(tmp_path: Path) -> None:
    session = Session()
    session.load([write_dataset(tmp_path / "ds", {"results.csv": _all_secondary()})])
    query = Query(drugs=("testinib",), verified_only=True)
    (problem,) = session.validate(query)
    assert problem.field is QueryField.VERIFIED_ONLY
    assert session.validate(query.with_(verified_only=False)) == []


def _all_secondary() -> str:
    return FILES["results.csv"].replace(",verified,", ",secondary,")


def test_selectivity_without_ic50_values_is_named() -> None:
    session = shipped_session()
    drug = session.load([MIGRAINE]).brought_drugs()[0]  # a spreadsheet brings no IC50 values
    (problem,) = session.validate(Query(drugs=(drug,)), ChartKind.SELECTIVITY)
    assert problem.field is QueryField.DRUGS and "IC50" in problem.reason
    assert "Upadacitinib" in problem.offered
    assert session.validate(Query(drugs=(drug, "upadacitinib")), ChartKind.SELECTIVITY) == []


def test_a_query_that_selects_gives_no_problem_and_a_chart(shipped: Session) -> None:
    synthesis = (ChartKind.LEAGUE, ChartKind.NETWORK)  # across trials: one population unless combined
    for kind in ChartKind:
        query = Query(population="MTX-IR") if kind in synthesis else Query()
        assert shipped.validate(query, kind) == [], kind
        assert not shipped.chart(kind, query).is_empty
        _columns, rows = shipped.rows(kind, query)
        assert rows
    for kind in synthesis:
        with pytest.raises(QueryError, match=r"^Not combined: the trials are in different populations"):
            shipped.chart(kind, Query())


def test_a_chart_with_nothing_to_draw_is_refused(tmp_path: Path) -> None:
    """Every filter selects figures, but a forest plot needs a placebo arm: the chart's own reason."""
    session = Session()
    session.load([write_dataset(tmp_path / "ds", NO_PLACEBO_FILES)])
    query = Query(drugs=("testinib",))
    assert session.validate(query, ChartKind.FOREST) == []
    with pytest.raises(QueryError) as raised:
        session.chart(ChartKind.FOREST, query)
    (problem,) = raised.value.problems
    assert problem.field is QueryField.SELECTION and "placebo" in problem.reason
    assert not session.chart(ChartKind.DOSE_RESPONSE, query).is_empty  # the rates themselves are drawn


def test_resolving_names(shipped: Session) -> None:
    assert shipped.resolve_drugs(["ABT-494", "Olumiant", "upadacitinib"]) == ("upadacitinib", "baricitinib")
    with pytest.raises(QueryError) as raised:
        shipped.resolve_drugs(["nosuchdrug", "Olumiant", "neither"])
    (problem,) = raised.value.problems
    assert (problem.field, problem.value) == (QueryField.DRUGS, "nosuchdrug, neither")
    assert shipped.resolve_outcome("acr50") == "ACR50"
    with pytest.raises(QueryError, match="ambiguous outcome"):
        shipped.resolve_outcome("ACR")
    with pytest.raises(QueryError, match="unknown outcome"):
        shipped.resolve_outcome("weight loss")


def test_new_data_is_shown_on_one_of_its_outcomes(shipped: Session, tmp_path: Path) -> None:
    session = shipped_session()
    result = session.load([MIGRAINE])
    query = session.showing(result.brought_drugs(), result.datasets)
    assert query.outcome == "pain-free at 2 h" and query.drugs == result.brought_drugs()
    assert session.validate(query) == []
    assert session.showing((), result.datasets) == session.query


# -- Query.with_ is typed ----------------------------------------------------------------------------------


def test_query_changes_name_every_query_field_with_its_type() -> None:
    hints = get_type_hints(Query)
    assert get_type_hints(QueryChanges) == {f.name: hints[f.name] for f in fields(Query)}


def test_a_misspelt_field_fails_at_run_time_too() -> None:
    with pytest.raises(TypeError, match="outcme"):
        Query().with_(**{"outcme": "ACR50"})  # type: ignore[typeddict-unknown-key]


# -- the garbage-collector policy belongs to the front ends ---------------------------------------------


def test_the_collector_is_paused_and_restored_on_the_main_thread() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    pause = GcPause()
    pause.begin()
    pause.begin()  # idempotent: one request, one pause
    assert not gc.isenabled()
    pause.end()
    pause.end()
    assert gc.isenabled()


def test_the_collector_is_never_switched_from_a_worker_thread() -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with paused_gc():
                pass
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "main (GUI) thread" in str(errors[0])
    assert gc.isenabled()


def test_the_domain_and_the_session_never_touch_the_collector() -> None:
    root = Path(__file__).resolve().parents[1] / "viewer"
    pure = [*(root / "domain").rglob("*.py"), *(root / "charts").rglob("*.py"), root / "session.py"]
    offenders = [p.name for p in pure if "import gc" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_data_error_is_the_only_exception_a_bad_file_gives(tmp_path: Path) -> None:
    """Bad input is a DataError in the result, never an exception out of load (that would be a bug)."""
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"protocolSection": ', encoding="utf-8")
    result = Session().load([garbage])
    assert isinstance(result.errors[0][1], DataError)


def test_a_pause_begun_inside_another_keeps_the_collector_paused_until_it_ends() -> None:
    """Start-up pauses the collector while it builds the window, and the window starts loading the user's
    files inside that pause: the load's pause must hold the collector until the merge, not until start-up
    ends (else the merge's freeze runs a full collection over every record just read)."""
    assert gc.isenabled()
    load = GcPause()
    with paused_gc():
        load.begin(collect=True)
    assert not gc.isenabled()  # start-up's pause ended; the load's still holds
    load.end()
    assert gc.isenabled()
