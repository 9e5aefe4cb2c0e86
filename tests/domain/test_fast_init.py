"""Records made by ``fast_init``'s constructor are the frozen dataclasses they claim to be."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from viewer.domain.model import AdverseEvent, Arm, ArmRole, EvidenceLevel, Result, Trial

V = EvidenceLevel.VERIFIED


def test_a_record_is_its_own_class_frozen_with_every_field_and_default() -> None:
    result = Result("T", "a", "ACR20", "week 12", 100, 40, None, False, "S", V, note="n")
    assert type(result) is Result and isinstance(result, Result)
    assert dataclasses.astuple(result)[:11] == ("T", "a", "ACR20", "week 12", 100, 40, None, False, "S", V, "n")
    assert result.count_note == ""  # a default
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.n = 3  # type: ignore[misc]
    assert result == Result("T", "a", "ACR20", "week 12", 100, 40, None, False, "S", V, note="n")
    assert hash(result) == hash(dataclasses.replace(result))
    assert dataclasses.replace(result, n=120).n == 120 and type(dataclasses.replace(result, n=120)) is Result
    assert copy.copy(result) == result == pickle.loads(pickle.dumps(result))
    assert "Result(trial_id='T'" in repr(result)


def test_every_record_kind_keeps_its_arguments_by_position_and_by_name() -> None:
    arm = Arm("a", "T", ArmRole.DRUG, "5 mg", drug_id="syn", dose=5.0, n=100, source_id="S", level=V)
    assert (arm.id, arm.trial_id, arm.role, arm.label, arm.drug_id, arm.dose, arm.n) == (
        "a", "T", ArmRole.DRUG, "5 mg", "syn", 5.0, 100,
    )  # fmt: skip
    assert arm.randomised is True and type(arm) is Arm
    trial = Trial("T", "Trial T", population="MTX-IR")
    assert (trial.name, trial.population, trial.level) == ("Trial T", "MTX-IR", V) and type(trial) is Trial
    event = AdverseEvent("T", "a", "nausea", 100, 3, None, False, "S", V, serious=True)
    assert event.serious and event.timepoint == "" and type(event) is AdverseEvent


def test_a_subclass_instance_stays_of_the_subclass() -> None:
    class Noted(Result):
        __slots__ = ("extra",)

    noted = Noted("T", "a", "ACR20", "week 12", 100, 40, None, False, "S", V)
    assert type(noted) is Noted and noted.responders == 40 and noted.note == ""
