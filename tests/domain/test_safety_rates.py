"""Safety rates read from a dataset folder and compared within their analysis only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.minidata import write_dataset
from viewer.domain.errors import DataError
from viewer.domain.readers.dataset import load_dataset
from viewer.domain.safety import compare_rates

HEADER = (
    "analysis,trial,drug,group,role,daily_dose_mg,term,events,patient_years,rate,rate_low,rate_high,period,"
    "source,level,note\n"
)


def _load(tmp_path: Path, rows: str) -> list:  # type: ignore[type-arg]
    ds = load_dataset(write_dataset(tmp_path, {"safety_rates.csv": HEADER + rows}))
    return list(ds.safety_rates)


def test_a_group_is_compared_with_its_own_analysis_placebo(tmp_path: Path) -> None:
    rates = _load(
        tmp_path,
        "A,,testinib,10 mg,drug,10,herpes zoster,30,1000,3.0,,,,S1,verified,\n"
        "A,,,Placebo,placebo,0,herpes zoster,12,800,1.5,,,,S1,verified,\n"
        "B,,,Placebo,placebo,0,herpes zoster,1,800,0.1,,,,S1,verified,\n"
        "B,,testinib,20 mg,drug,20,herpes zoster,,,4.0,3.0,5.0,,S1,verified,\n",
    )
    compared = {(c.rate.analysis, c.rate.group): c for c in compare_rates(rates)}
    a = compared[("A", "10 mg")]
    assert a.comparator is not None and a.comparator.analysis == "A"
    assert a.ratio is not None and (a.ratio.value, a.ratio.low, a.ratio.high) == pytest.approx(
        (2.0, 0.994370508, 4.289334787), rel=1e-7
    )  # R: poisson.test(c(30, 12), c(1000, 800))
    b = compared[("B", "20 mg")]
    assert b.ratio is None and b.rate_text() == "4/100 PY (3 to 5)"  # no events: the printed rate only


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,,testinib,10 mg,drug,10,MACE,,,,,,,S1,verified,", "rate: a rate, or both events and patient_years"),
        ("A,,testinib,10 mg,drug,10,MACE,,,5.0,1.0,2.0,,S1,verified,", "rate: 5 is outside its interval 1 to 2"),
        ("A,,nodrug,10 mg,drug,10,MACE,,,1.0,,,,S1,verified,", "drug: unknown drug 'nodrug'"),
    ],
)
def test_bad_rate_rows_are_located(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(DataError) as info:
        _load(tmp_path, row + "\n")
    assert any(message in str(p) for p in info.value.problems), info.value.problems
