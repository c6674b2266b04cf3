import math

import pytest

from evalkit.compute.rounding import percentage, percentages, round_half_up


@pytest.mark.parametrize(
    ("counts", "method", "expected"),
    [
        # 2022 children per family (6, 9, 3, 3 of 21): both methods agree.
        ([6, 9, 3, 3], "half_omhoog", [29, 43, 14, 14]),
        ([6, 9, 3, 3], "grootste_rest", [29, 43, 14, 14]),
        # 2023 hoofdvraag (8, 9, 2, 1, 1 of 21): half-up gives 101 in total.
        ([8, 9, 2, 1, 1], "half_omhoog", [38, 43, 10, 5, 5]),
        ([8, 9, 2, 1, 1], "grootste_rest", [38, 43, 9, 5, 5]),
        # 2023 children per family (6, 8, 4, 2, 1 of 21).
        ([6, 8, 4, 2, 1], "half_omhoog", [29, 38, 19, 10, 5]),
        ([6, 8, 4, 2, 1], "grootste_rest", [29, 38, 19, 9, 5]),
        ([1, 1, 1], "grootste_rest", [34, 33, 33]),
        ([1, 1, 1], "half_omhoog", [33, 33, 33]),
        ([1, 0], "grootste_rest", [100, 0]),
    ],
)
def test_percentages(counts, method, expected):
    assert percentages(counts, method) == expected


@pytest.mark.parametrize("counts", [[8, 9, 2, 1, 1], [1, 1, 1], [5, 7, 11, 13], [1, 2, 3, 4, 5, 6]])
def test_largest_remainder_adds_up_to_100(counts):
    assert sum(percentages(counts, "grootste_rest")) == 100


def test_percentages_with_decimals():
    assert percentages([1, 2], "half_omhoog", decimals=1) == [33.3, 66.7]


def test_percentages_of_nothing_are_nan():
    assert all(math.isnan(p) for p in percentages([0, 0]))


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown rounding method"):
        percentages([1, 2], "bankers")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(2.5, 0, 3), (0.125, 2, 0.13), (5.25, 1, 5.3), (-2.5, 0, -3)],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_percentage():
    assert percentage(12, 21) == 57
    assert math.isnan(percentage(1, 0))
