"""Why an arm is not on the dose axis, in the words the chart's CSV and footnote use (issue 14).

Each reason says what the record or file gives and why that yields no amount per day; a frequency given
as a range ("3-4 times a day", NCT00763412's repaglinide) is a range, not a missing frequency.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.charts.test_placement_csv import export_csv
from tests.domain.minidata import FILES, write_dataset
from viewer.charts.placement import Fate

RECORDS = Path(__file__).parents[1] / "data" / "ctgov"


def test_a_frequency_range_is_named_as_a_range_not_as_missing(tmp_path: Path) -> None:
    """NCT00763412: "0.5 mg before each meal 3-4 times a day" gives no single regimen, so no daily dose."""
    rows = export_csv(
        tmp_path, "--data", str(RECORDS / "NCT00763412.json"), "--chart", "tolerability",
        "--ae", "serious adverse event", "--population", "",
    )  # fmt: skip
    repaglinide = next(r for r in rows if r["arm"] == "Repaglinide")
    assert (repaglinide["responders"], repaglinide["n"]) == ("0", "8")  # the record: serious events 0 of 8
    assert repaglinide["chart"] == Fate.LEFT_OUT.value
    assert repaglinide["chart_note"] == (
        "no comparable daily dose: frequency given as a range ('3-4 times a day'), so no daily dose can be computed"
    )


@pytest.mark.parametrize(
    ("dose", "unit", "frequency", "why"),
    [
        ("15", "mg", "", "no dosing frequency given"),
        ("15", "mg", "ONCE", "a single dose, not a daily regimen"),
        ("15", "mg", "PRN", "regimen PRN gives no daily dose"),
        ("", "", "", "no dose stated"),
        ("2", "mg/kg", "QD", "dose per body size (2 mg/kg)"),
    ],
)
def test_each_reason_for_no_daily_dose_says_what_is_missing(
    tmp_path: Path, dose: str, unit: str, frequency: str, why: str
) -> None:
    arms = FILES["arms.csv"] + f"t1-x,t1,drug,testinib,Arm X,{dose},{unit},{frequency},,100,S1,verified,\n"
    results = FILES["results.csv"] + "t1,t1-x,ACR20,week 12,40,,,S1,verified,\n"
    data = write_dataset(tmp_path / "data", {"arms.csv": arms, "results.csv": results})
    rows = export_csv(tmp_path, "--data", str(data), "--drug", "testinib")
    arm = next(r for r in rows if r["arm"] == "Arm X")
    assert (arm["chart"], arm["chart_note"]) == (Fate.LEFT_OUT.value, f"no comparable daily dose: {why}")
    assert {r["chart"] for r in rows if r["arm"] in ("10 mg QD", "20 mg QD")} == {Fate.SHOWN.value}
