"""A drug's approved rheumatoid-arthritis daily dose, read from its monograph, and doses as multiples of it.

Drugs with 4 mg and 200 mg doses compare on one scale once each dose is divided by the drug's own
approved dose: 15 mg once daily of upadacitinib is 1x, 30 mg is 2x, 6 mg is 0.4x.

**The rule** (one dose per drug, decided from the monograph alone, never filled in):

* only the monograph's approved-dose facts that state a daily dose (``Fact.daily_mg``) count; a sentence
  such as "the 30 mg dose is not approved for rheumatoid arthritis" carries no ``daily_mg`` and is not a dose;
* the approved dose is the **highest** daily dose stated. Labels name one standard (recommended) dose and
  reduce it for some patients (aged 75 or over, impaired kidney function, "depending on the patient's
  condition"); the reductions are the lower figures. The catalog's monographs all read this way
  (upadacitinib 15, tofacitinib 10 = 5 mg twice daily, filgotinib 200, peficitinib 150 mg/day). Where two
  regions differ (baricitinib: EU 4 mg standard, US 2 mg) the higher, the EU's standard dose, is 1x and
  the other is kept in :attr:`ApprovedDose.other_mg`, so a chart can name it;
* of several facts stating that dose the best-evidenced one is cited (the strongest level, then the first);
* a drug with no such fact (ruxolitinib: not approved for rheumatoid arthritis) has no approved dose
  (None): its arms cannot be placed on an approved-dose axis, and a chart says so.

The catalog is the RA catalog: its approved-dose facts are RA doses. A user's dataset should state
only RA doses there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.domain.model import Drug, Fact

__all__ = ["RULE", "ApprovedDose", "approved_dose", "dose_multiple"]

RULE = (
    "1x = the drug's approved rheumatoid-arthritis daily dose from its monograph: the highest daily dose the "
    "label states (lower ones are reductions for some patients or another region's dose)"
)


@dataclass(frozen=True, slots=True)
class ApprovedDose:
    """The daily dose a drug's multiples are taken of, and the monograph fact it rests on.

    ``other_mg`` are the other daily doses the monograph states (reductions, another region), highest first.
    """

    drug_id: str
    daily_mg: float
    fact: Fact
    other_mg: tuple[float, ...] = ()

    @property
    def text(self) -> str:
        """'4 mg/day (also stated: 2 mg/day)': the dose and the alternatives, for a footnote."""
        also = f" (also stated: {', '.join(f'{mg:g}' for mg in self.other_mg)} mg/day)" if self.other_mg else ""
        return f"{self.daily_mg:g} mg/day{also}"


def approved_dose(drug: Drug) -> ApprovedDose | None:
    """The approved RA daily dose of ``drug`` under the module's rule, or None when its monograph states none."""
    dosed = [f for f in drug.approved_doses if f.daily_mg is not None and f.daily_mg > 0]
    if not dosed:
        return None
    top = max(f.daily_mg or 0.0 for f in dosed)
    cited = max((f for f in dosed if f.daily_mg == top), key=lambda f: f.level.strength)  # first of the strongest
    others = sorted({f.daily_mg for f in dosed if f.daily_mg is not None and f.daily_mg != top}, reverse=True)
    return ApprovedDose(drug.id, top, cited, tuple(others))


def dose_multiple(daily_mg: float, approved: ApprovedDose) -> float:
    """``daily_mg`` as a multiple of the approved dose (placebo, 0 mg, is 0x)."""
    return daily_mg / approved.daily_mg
