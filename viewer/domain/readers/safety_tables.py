"""The optional safety tables of a dataset folder: exposure-adjusted rates and printed hazard ratios.

Held to the rules of the rest of the folder (``viewer.domain.readers.dataset``): known trials, drugs and
sources, levels no stronger than their source's kind, and every problem reported with file, row, field.
"""

from __future__ import annotations

from pathlib import Path

from viewer.domain.model import ArmRole, HazardRatio, SafetyRate
from viewer.domain.readers.fields import Problems, Row, read_rows
from viewer.domain.readers.sourcing import SourceKinds, source_of

_ROLES = {role.value: role for role in ArmRole}
SAFETY_RATE_COLUMNS = (
    "analysis", "trial", "drug", "group", "role", "daily_dose_mg", "term", "events", "patient_years", "rate",
    "rate_low", "rate_high", "period", "source", "level", "note",
)  # fmt: skip
HAZARD_RATIO_COLUMNS = (
    "trial", "term", "group", "drug", "comparator", "hr", "low", "high", "source", "level", "note",
)  # fmt: skip


def _known_trial(r: Row, trial_ids: set[str]) -> str:
    trial = r.text("trial")
    if trial and trial not in trial_ids and r.problems.references_checkable("trials.csv"):
        r.fail("trial", f"unknown trial {trial!r}")
    return trial


def read_safety_rates(
    path: Path, trial_ids: set[str], drug_ids: set[str], source_ids: SourceKinds, problems: Problems
) -> list[SafetyRate]:
    """Exposure-adjusted rates (per 100 patient-years) with, where printed, events and patient-years."""
    if not path.is_file():
        return []
    required = ("analysis", "group", "role", "term", "source", "level")
    rates = []
    for r in read_rows(path, problems, required=required, allowed=SAFETY_RATE_COLUMNS):
        raw_role = r.text("role", required=True).lower()
        role = _ROLES.get(raw_role, ArmRole.DRUG)
        if raw_role and raw_role not in _ROLES:
            r.fail("role", f"must be drug, placebo or active, not {raw_role!r}")
        drug = r.text("drug")
        if role is ArmRole.DRUG and drug not in drug_ids:
            r.fail(
                "drug", f"unknown drug {drug!r} (no monograph in drugs/)" if drug else "is required for a drug group"
            )
        events, years, rate = r.count("events"), r.number("patient_years"), r.number("rate")
        if rate is None and (events is None or years is None):
            r.fail("rate", "a rate, or both events and patient_years, is required")
        if years == 0:
            r.fail("patient_years", "must be more than 0")
            years = None
        low, high = r.number("rate_low"), r.number("rate_high")
        if (low is None) != (high is None):
            r.fail("rate_low" if low is None else "rate_high", "give both limits of the interval or neither")
        elif low is not None and high is not None and rate is not None and not low <= rate <= high:
            r.fail("rate", f"{rate:g} is outside its interval {low:g} to {high:g}")
        level = r.level()
        rates.append(
            SafetyRate(
                analysis=r.text("analysis", required=True),
                group=r.text("group", required=True),
                role=role,
                term=r.text("term", required=True),
                events=events,
                patient_years=years,
                rate=rate,
                rate_low=low,
                rate_high=high,
                source_id=source_of(r, source_ids, level),
                level=level,
                drug_id=drug,
                trial_id=_known_trial(r, trial_ids),
                daily_dose_mg=r.number("daily_dose_mg"),
                period=r.text("period"),
                note=r.text("note"),
            )
        )
    return rates


def read_hazard_ratios(
    path: Path, trial_ids: set[str], drug_ids: set[str], source_ids: SourceKinds, problems: Problems
) -> list[HazardRatio]:
    """Hazard ratios as printed, each with its 95% CI."""
    if not path.is_file():
        return []
    required = ("trial", "term", "group", "comparator", "hr", "low", "high", "source", "level")
    out = []
    for r in read_rows(path, problems, required=required, allowed=HAZARD_RATIO_COLUMNS):
        value, low, high = (r.number(f, required=True) for f in ("hr", "low", "high"))
        if value is not None and low is not None and high is not None and not low <= value <= high:
            r.fail("hr", f"{value:g} is outside its interval {low:g} to {high:g}")
        drug = r.text("drug")
        if drug and drug not in drug_ids:
            r.fail("drug", f"unknown drug {drug!r} (no monograph in drugs/)")
        level = r.level()
        out.append(
            HazardRatio(
                trial_id=_known_trial(r, trial_ids),
                term=r.text("term", required=True),
                group=r.text("group", required=True),
                comparator=r.text("comparator", required=True),
                value=value if value is not None else float("nan"),
                low=low if low is not None else float("nan"),
                high=high if high is not None else float("nan"),
                source_id=source_of(r, source_ids, level),
                level=level,
                drug_id=drug,
                note=r.text("note"),
            )
        )
    return out
