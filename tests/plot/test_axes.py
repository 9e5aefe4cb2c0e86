"""Log axes label in plain numbers (0.1 0.2 0.5 1 2 5 10), never in scientific notation."""

from __future__ import annotations

import math

from viewer.plot.axes import log_ticks, plain_number


def _labels(levels: tuple[tuple[tuple[float, str], ...], ...]) -> list[list[str]]:
    return [[label for _, label in level] for level in levels]


def test_ratio_axis_ticks_on_the_one_two_five_sequence() -> None:
    levels = log_ticks((math.log10(0.1), math.log10(10.0)))
    assert _labels(levels) == [["0.1", "1", "10"], ["0.2", "0.5", "2", "5"]]
    assert all(math.isclose(p, math.log10(float(t))) for level in levels for p, t in level)


def test_narrow_log_axis_gets_every_digit_and_a_wide_one_only_decades_and_two_five() -> None:
    narrow = _labels(log_ticks((math.log10(0.5), math.log10(3.0))))
    assert narrow == [["1"], ["0.5", "2"], ["0.6", "0.7", "0.8", "0.9", "3"]]
    wide = _labels(log_ticks((math.log10(0.5), math.log10(2000.0))))
    assert wide[0] == ["1", "10", "100", "1,000"] and len(wide) == 2


def test_plain_numbers() -> None:
    assert [plain_number(v) for v in (0.05, 0.1, 0.25, 1.0, 20.0, 1000.0, 2500.0)] == [
        "0.05", "0.1", "0.25", "1", "20", "1,000", "2,500"
    ]  # fmt: skip
    assert not any("e" in plain_number(10.0**k) or "·" in plain_number(10.0**k) for k in range(-3, 5))
