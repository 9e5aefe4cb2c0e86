"""Plain trial, arm and result rows read by columns give exactly what the full per-field checks give.

Each case reads one folder twice, as it is and with the columnar reads declining every row (every row then goes
through ``Row``), and compares the datasets, or the problems of a folder that breaks rules, field by field.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from viewer.domain.errors import DataError
from viewer.domain.model import Dataset
from viewer.domain.readers.adverse_columns import AdverseColumns
from viewer.domain.readers.arm_columns import ArmColumns
from viewer.domain.readers.dataset import load_dataset
from viewer.domain.readers.result_columns import ResultColumns
from viewer.domain.readers.trial_columns import TrialColumns

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "jak-ra"


def no_columns(patched: pytest.MonkeyPatch) -> None:
    """Every row of trials.csv, arms.csv, results.csv and adverse_events.csv through the full checks: the
    columnar reads decline them all."""
    for reader in (TrialColumns, ArmColumns, ResultColumns, AdverseColumns):
        patched.setattr(reader, "_take", lambda _self, numbers, *_columns: np.ones(len(numbers), dtype=np.bool_))


def both_ways(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Dataset | DataError, Dataset | DataError]:
    def read() -> Dataset | DataError:
        try:
            return load_dataset(folder)
        except DataError as exc:
            return exc

    quick = read()
    with monkeypatch.context() as patched:
        no_columns(patched)
        full = read()
    return quick, full


def test_the_shipped_catalog_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    quick, full = both_ways(SHIPPED, monkeypatch)
    assert isinstance(quick, Dataset) and quick == full
    assert len(quick.results) > 100 and len(quick.arms) > 50


ARMS = (
    "id,trial,role,drug,label,dose,unit,frequency,daily_dose_mg,n,source,level,note\n"
    "p,T,placebo,,Placebo,,,,,100,S,verified,\n"
    "a,T,drug,syn,5 mg,5,mg,QD,5,100,S,Verified,\n"  # a level in capitals: the full path reads it
    "b,T,Drug,syn,10 mg,10,mg,QD,10,98,S,verified,\n"  # a role in capitals: the full path reads it
    "c,T,drug,syn,7.5 mg,7.5,mg,BID,15,,S,secondary,no n\n"
    "d,T,active,adalimumab,Adalimumab 40 mg,40,mg,Q2W,,90,S,verified,\n"
    "e,T,drug,syn,1e1 mg,1e1,mg,QD,10,90,S,verified,\n"  # not a plain number: the full path reads it
)
RESULTS = (
    "trial,arm,outcome,timepoint,responders,percent,n,source,level,note\n"
    "T,p,ACR20,week 12,30,,,S,verified,\n"
    "T,a,ACR20,week 12,50,,,S,verified,a note\n"
    "T,b,ACR20,week 12,,45.5,,S,verified,\n"  # a percentage: derived count, full path
    "T,c,ACR20,week 12,40,,80,S,secondary,\n"  # an n of its own: full path
    "T,d,ACR20,week 12,45,,,S,verified,\n"
    "T,e,ACR20,week 12,46,,,S,verified,\n"
)


TRIALS = (
    "id,name,nct,phase,population,background,primary_timepoint,randomised_n,indication,source,level,note\n"
    "T,Trial T,nct01234567,3,MTX-IR,MTX,week 12,300,RA,S,verified,\n"
    "U, Trial U ,,2, TNF-IR ,,,,RA,S,secondary, padded \n"
)


def _folder(root: Path, arms: str = ARMS, results: str = RESULTS, trials: str = TRIALS) -> Path:
    (root / "drugs").mkdir(parents=True)
    (root / "drugs" / "syn.toml").write_text('id = "syn"\nname = "Syntinib"\n')
    (root / "sources.csv").write_text(
        "id,citation,kind\nS,Synthetic test table (not evidence),article\nR,A synthetic review,review\n"
    )
    (root / "trials.csv").write_text(trials)
    (root / "arms.csv").write_text(arms)
    (root / "results.csv").write_text(results)
    return root


def test_plain_and_other_rows_mixed_read_the_same_in_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, full = both_ways(_folder(tmp_path / "mixed"), monkeypatch)
    assert isinstance(quick, Dataset) and quick == full
    assert [a.id for a in quick.arms] == ["p", "a", "b", "c", "d", "e"]
    assert [r.arm_id for r in quick.results] == ["p", "a", "b", "c", "d", "e"]
    assert [(t.id, t.nct, t.name, t.population, t.note) for t in quick.trials] == [
        ("T", "NCT01234567", "Trial T", "MTX-IR", ""),
        ("U", "", "Trial U", "TNF-IR", "padded"),
    ]
    assert quick.results[2].derived and quick.results[1].note == "a note"


@pytest.mark.parametrize(
    "trials",
    [
        TRIALS + "T,Again,,,MTX-IR,,,,,S,verified,\n",  # a repeated trial id, taken quickly first
        TRIALS + "V,Trial V,NCT123,,MTX-IR,,,,,S,verified,\n",  # a malformed NCT id
        TRIALS + "V,Trial V,,,MTX-IR,,,1e2,,S,verified,\n",  # a randomised n that is not a plain count
        TRIALS + "V,Trial V,,,,,,,,S,verified,\n",  # no population
        TRIALS + "V,Trial V,,,MTX-IR,,,,,R,verified,\n",  # 'verified' on a review
        "id,name,population,source,level\nT,Trial T,MTX-IR,S,verified\n",  # only the required columns
    ],
)
def test_trial_rows_read_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trials: str) -> None:
    quick, full = both_ways(_folder(tmp_path / "trials", trials=trials), monkeypatch)
    if isinstance(full, DataError):
        assert isinstance(quick, DataError) and quick.problems == full.problems
    else:
        assert quick == full


@pytest.mark.parametrize(
    ("arms", "results"),
    [
        (ARMS + "a,T,drug,syn,5 mg,5,mg,QD,5,100,S,verified,\n", RESULTS),  # a repeated arm id, taken quickly first
        (ARMS, RESULTS + "T,a,ACR20,week 24,101,,,S,verified,\n"),  # more responders than n
        (ARMS, RESULTS + "T,zz,ACR20,week 12,3,,,S,verified,\n"),  # an unknown arm
        (ARMS, RESULTS + "T,a,ACR99,week 12,3,,,S,verified,\n"),  # an unknown outcome
        (ARMS.replace("5,100,S,verified", "5,100,S,unverified"), RESULTS),  # a verified result on an unverified arm
        (ARMS + "f,T,drug,nodrug,5 mg,5,mg,QD,5,100,S,verified,\n", RESULTS),  # a drug without a monograph
        (ARMS + "g,T,drug,syn,5 mg,5,mg,QD,5,100,R,verified,\n", RESULTS),  # 'verified' cannot rest on a review
        (ARMS, RESULTS + "T,a,ACR20,week 8,3,,,R,verified,\n"),  # nor can a result's
        (ARMS, RESULTS + "T,a,ACR20,week 8,3,,,R,secondary,\n"),  # 'secondary' can
        (  # tables without their optional columns
            "id,trial,role,drug,label,source,level\np,T,placebo,,Placebo,S,verified\na,T,drug,syn,5 mg,S,verified\n",
            "trial,arm,outcome,timepoint,responders,source,level\nT,p,ACR20,week 12,3,S,verified\n",
        ),
        (ARMS.replace("\np,T,placebo,,Placebo,,,,,100", "\np,T,placebo,,Placebo,,,,,"), RESULTS),  # no n: the full path
        (ARMS + "h,T,drug,syn,big,1" + "0" * 400 + ",mg,QD,5,100,S,verified,\n", RESULTS),  # float() says inf
    ],
)
def test_broken_rows_give_the_same_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arms: str, results: str
) -> None:
    quick, full = both_ways(_folder(tmp_path / "broken", arms, results), monkeypatch)
    if isinstance(full, DataError):
        assert isinstance(quick, DataError) and quick.problems == full.problems
    else:
        assert quick == full


def test_padded_cells_read_as_the_full_way_strips_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    padded = _folder(
        tmp_path / "padded",
        arms=ARMS.replace("p,T,placebo,,Placebo,", " p ,T,placebo,, Placebo ,").replace("QD,5,100", " QD ,5,100"),
        results=RESULTS.replace("week 12,", " week 12 ,").replace("T,d,", "T, d,").replace("a note", " a note "),
    )
    quick, full = both_ways(padded, monkeypatch)
    assert isinstance(quick, Dataset) and quick == full
    assert {r.timepoint for r in quick.results} == {"week 12"}
    shutil.rmtree(padded)
