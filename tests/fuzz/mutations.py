"""Mutations of real input for the fuzz tests: cut, duplicated, values swapped, types changed, huge
numbers, unicode. Each reader's fuzz test draws from these and from plain random text."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = (
    "", "NA", "-1", "1e308", "1e-320", "nan", "inf", "-0", "9" * 400, "0x1F", "½", "٣", "𝟙𝟚",
    "<b>x</b>", "'; DROP TABLE", "\x00", "\u202e", "é" * 50, '"', "\n", "{", "[", "null", "true",
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Apply one to three mutations to ``text`` at places hypothesis chooses."""
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        kind = draw(st.sampled_from(("cut", "duplicate", "swap", "replace", "insert", "delete")))
        i = draw(st.integers(0, len(text) - 1))
        j = draw(st.integers(i, min(len(text), i + 200)))
        if kind == "cut":
            text = text[:i]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif kind == "swap":
            k = draw(st.integers(0, len(text) - 1))
            a, b = sorted((i, k))
            text = (
                text[:a] + text[b : b + (j - i)] + text[a + (j - i) : b] + text[a : a + (j - i)] + text[b + (j - i) :]
            )
        elif kind == "replace":
            text = text[:i] + draw(st.sampled_from(NASTY) | st.text(max_size=20)) + text[j:]
        elif kind == "insert":
            text = text[:i] + draw(st.sampled_from(NASTY) | st.text(max_size=20)) + text[i:]
        else:
            text = text[:i] + text[j:]
    return text
