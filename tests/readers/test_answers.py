"""Both answers of a yes/no question that do not add up to the n they share are named (answers.unaccounted)."""

from __future__ import annotations

from viewer.domain.model import EvidenceLevel, Result
from viewer.domain.readers.ctgov.answers import AnswerPart, unaccounted


def result(arm: str, responders: int, n: int = 30) -> Result:
    return Result("t", arm, "o", "", n, responders, None, False, "NCT0", EvidenceLevel.VERIFIED)


def test_complementary_answers_short_of_n_are_named_and_n_is_kept() -> None:
    results = [result("a", 0), result("a", 26), result("b", 10), result("b", 20)]
    parts = [
        AnswerPart("classes", "Positive anti-CMV antibodies, M48", 0),
        AnswerPart("classes", "Negative anti-CMV antibodies, M48", 1),
        AnswerPart("classes", "Positive anti-CMV antibodies, M48", 2),
        AnswerPart("classes", "Negative anti-CMV antibodies, M48", 3),
    ]
    notes = unaccounted(parts, results)
    assert set(notes) == {0, 1}  # arm b's 10 + 20 = 30: nothing to say
    assert "add up to 26 of the 30 analysed: 4 have neither answer" in notes[0]
    assert notes[0] == notes[1]


def test_more_than_n_is_a_contradiction() -> None:
    results = [result("a", 20, 25), result("a", 9, 25)]
    parts = [AnswerPart("class 0", "Responder", 0), AnswerPart("class 0", "Non-responder", 1)]
    assert "more than the 25 analysed" in unaccounted(parts, results)[0]


def test_parts_that_are_not_two_answers_of_one_question_are_left_alone() -> None:
    results = [result("a", 0), result("a", 26), result("a", 3), result("a", 4)]
    parts = [
        AnswerPart("classes", "Positive anti-CMV antibodies, M48", 0),
        AnswerPart("classes", "Negative anti-CMV antibodies, M60", 1),  # another time point
        AnswerPart("class 2", "Complete response (CR)", 2),  # not a yes/no pair
        AnswerPart("class 2", "Partial response (PR)", 3),
    ]
    assert unaccounted(parts, results) == {}
