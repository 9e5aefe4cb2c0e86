"""The vectorised selection and effects pass equals the object path (``compare`` over one Figure per arm).

Oracle: the selection as it was made before the columns (trials through the drug index, each trial at its
primary or earliest timepoint, placebo groups and the drug's arms) and ``compare`` over its figures, on the
shipped catalog with the real registry records and on a small dataset written for the edge cases (pooled
placebo groups, a trial without placebo, a placebo without n, an unverified figure, no primary timepoint).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from viewer.charts.common import default_timepoint, timepoint_weeks
from viewer.domain.catalog import Catalog
from viewer.domain.comparisons import Comparison, adverse_figures, compare, result_figures
from viewer.domain.effects import effect_table, select_rows
from viewer.domain.measures import DiffCI, RateCI
from viewer.domain.model import ArmRole, EvidenceLevel
from viewer.domain.readers import load_path
from viewer.session import Session

RECORDS = Path(__file__).resolve().parents[1] / "data" / "ctgov"


def object_path(
    catalog: Catalog, drugs: tuple[str, ...], endpoint: str, *, adverse: bool = False, verified_only: bool = False,
    diff: DiffCI = DiffCI.NEWCOMBE, rate: RateCI = RateCI.WILSON,
) -> tuple[list[tuple[str, str, str, str]], list[Comparison]]:  # fmt: skip
    trial_ids = sorted({t for d in drugs for t in catalog.trials_of(d)})
    if adverse:
        term = endpoint.casefold()
        figures = adverse_figures(
            catalog, [e for t in trial_ids for e in catalog.adverse_events_of(t) if e.term.casefold() == term]
        )
    else:
        results = []
        for t in trial_ids:
            mine = [r for r in catalog.results_of(t) if r.outcome_id == endpoint]
            wanted = default_timepoint(catalog.trials[t].primary_timepoint, mine)
            results += [r for r in mine if r.timepoint == wanted]
        figures = result_figures(catalog, results)
    figures = [f for f in figures if f.arm.role is ArmRole.PLACEBO or f.arm.drug_id in drugs]
    if verified_only:
        figures = [f for f in figures if f.level is EvidenceLevel.VERIFIED]
    comparisons = compare(figures, diff_method=diff, rate_method=rate, harm=adverse)
    return [f.key for f in figures], comparisons


def columnar(
    catalog: Catalog, drugs: tuple[str, ...], endpoint: str, *, adverse: bool = False, verified_only: bool = False,
    diff: DiffCI = DiffCI.NEWCOMBE, rate: RateCI = RateCI.WILSON,
) -> tuple[list[tuple[str, str, str, str]], list[Comparison]]:  # fmt: skip
    rows = select_rows(catalog, drugs, endpoint, adverse=adverse, verified_only=verified_only, order=timepoint_weeks)
    source = catalog.adverse_events if adverse else catalog.results
    keys = [(source[r].trial_id, source[r].arm_id, endpoint if not adverse else source[r].term, source[r].timepoint)
            for r in rows.rows.tolist()]  # fmt: skip
    table = effect_table(catalog, rows, diff_method=diff, rate_method=rate)
    return keys, table.comparisons(catalog, harm=adverse)


@pytest.fixture(scope="module")
def with_records() -> Catalog:
    from tests.conftest import shipped_session

    session = shipped_session()
    result = session.load(sorted(RECORDS.glob("NCT*")))
    assert result.ok, result.errors
    return session.catalog


def test_every_outcome_and_term_equals_the_object_path(with_records: Catalog) -> None:
    catalog = with_records
    drugs = tuple(sorted(catalog.drugs))
    checked = 0
    for chosen in (drugs, ("upadacitinib", "tofacitinib")):
        for outcome in catalog.outcome_ids():
            for verified in (False, True):
                for diff, rate in ((DiffCI.NEWCOMBE, RateCI.WILSON), (DiffCI.WALD, RateCI.CLOPPER_PEARSON)):
                    args = {"verified_only": verified, "diff": diff, "rate": rate}
                    want = object_path(catalog, chosen, outcome, **args)  # type: ignore[arg-type]
                    got = columnar(catalog, chosen, outcome, **args)  # type: ignore[arg-type]
                    assert got[0] == want[0]
                    assert repr(got[1]) == repr(want[1])  # repr: nan compares equal to itself there
                    checked += len(want[1])
    for term in catalog.adverse_event_terms():
        want_events = object_path(catalog, drugs, term, adverse=True)
        assert repr(columnar(catalog, drugs, term, adverse=True)) == repr(want_events)
    assert checked > 500


def _write(folder: Path) -> Path:
    (folder / "drugs").mkdir(parents=True)
    (folder / "drugs" / "syn.toml").write_text('id = "syn"\nname = "Syntinib"\n')
    (folder / "sources.csv").write_text("id,citation,kind\nS,Synthetic test table (not evidence),article\n")
    (folder / "trials.csv").write_text(
        "id,name,population,primary_timepoint,source,level\n"
        "A,Pooled,MTX-IR,week 12,S,verified\nB,No placebo,MTX-IR,,S,verified\nC,No n,MTX-IR,,S,verified\n"
    )
    (folder / "arms.csv").write_text(
        "id,trial,role,drug,label,daily_dose_mg,n,source,level\n"
        "A-p1,A,placebo,,Placebo 1,,50,S,verified\nA-p2,A,placebo,,Placebo 2,,40,S,verified\n"
        "A-1,A,drug,syn,5 mg,5,100,S,verified\nA-2,A,drug,syn,10 mg,10,100,S,verified\n"
        "B-1,B,drug,syn,5 mg,5,80,S,verified\n"
        "C-p,C,placebo,,Placebo,,,S,verified\nC-1,C,drug,syn,5 mg,5,60,S,verified\n"
    )
    (folder / "results.csv").write_text(
        "trial,arm,outcome,timepoint,responders,percent,n,source,level\n"
        "A,A-p1,ACR20,week 12,10,,,S,verified\nA,A-p2,ACR20,week 12,8,,,S,verified\n"
        "A,A-1,ACR20,week 12,40,,,S,verified\nA,A-2,ACR20,week 12,0,,,S,verified\n"
        "A,A-1,ACR20,week 4,30,,,S,verified\n"
        "B,B-1,ACR20,week 24,30,,,S,verified\nB,B-1,ACR20,week 12,25,,,S,verified\n"
        "C,C-p,ACR20,week 12,,20,,S,verified\nC,C-1,ACR20,week 12,30,,,S,unverified\n"
    )
    return folder


def test_edge_cases_pooled_no_placebo_no_n(tmp_path: Path) -> None:
    session = Session()
    assert session.load([_write(tmp_path / "syn")]).ok
    catalog = session.catalog
    got = columnar(catalog, ("syn",), "ACR20")
    assert repr(got) == repr(object_path(catalog, ("syn",), "ACR20"))
    by_arm = {c.treated.arm.id: c for c in got[1]}
    assert set(by_arm) == {"A-1", "A-2", "B-1", "C-1"}  # week 4 left out: trial A's primary is week 12
    assert by_arm["A-1"].placebo_label == "pooled: Placebo 1 + Placebo 2"
    assert by_arm["A-1"].placebo is not None and (by_arm["A-1"].placebo.count, by_arm["A-1"].placebo.n) == (18, 90)
    assert by_arm["A-1"].rd is not None and math.isclose(by_arm["A-1"].rd.value, 0.40 - 18 / 90)
    assert by_arm["A-2"].odds is not None and by_arm["A-2"].odds.corrected  # 0 responders: 0.5 added
    assert by_arm["B-1"].reason == "no placebo arm in this trial" and by_arm["B-1"].treated.timepoint == "week 12"
    assert by_arm["C-1"].reason == "counts not reported for the placebo arm (no n)"
    verified = columnar(catalog, ("syn",), "ACR20", verified_only=True)
    assert "C-1" not in {c.treated.arm.id for c in verified[1]}
    assert repr(verified) == repr(object_path(catalog, ("syn",), "ACR20", verified_only=True))


def test_a_catalog_without_the_drug_or_outcome_selects_nothing(tmp_path: Path) -> None:
    catalog = Catalog.from_datasets([load_path(_write(tmp_path / "syn"))])
    for drugs, outcome in ((("nothing",), "ACR20"), (("syn",), "ACR70"), ((), "ACR20")):
        rows = select_rows(catalog, drugs, outcome)
        assert len(rows.rows) == 0
        assert effect_table(catalog, rows).comparisons(catalog) == []


def test_drug_colours_follow_the_catalog_order_without_a_pass_per_click(with_records: Catalog) -> None:
    from viewer.charts.palette import OKABE_ITO, drug_colours

    colours = drug_colours(with_records)
    assert dict(colours) == {d: OKABE_ITO[k % len(OKABE_ITO)] for k, d in enumerate(with_records.drugs)}
    assert with_records.drug_places is with_records.drug_places  # worked out once per catalog


@pytest.mark.parametrize("dense", [True, False])
def test_sparse_and_dense_selections_pick_the_same_figures(
    with_records: Catalog, monkeypatch: pytest.MonkeyPatch, dense: bool
) -> None:
    """A click on a few drugs sorts its selection, a table of every drug scans the catalog's trials: both
    ways give the object path's figures and comparisons (forced here on the same catalog)."""
    from viewer.domain import effects

    monkeypatch.setattr(effects, "_dense", lambda _codes, _size: dense)
    drugs = tuple(sorted(with_records.drugs))
    for outcome in with_records.outcome_ids():
        assert repr(columnar(with_records, drugs, outcome)) == repr(object_path(with_records, drugs, outcome))
    for term in with_records.adverse_event_terms()[:20]:
        want = object_path(with_records, drugs, term, adverse=True)
        assert repr(columnar(with_records, drugs, term, adverse=True)) == repr(want)
