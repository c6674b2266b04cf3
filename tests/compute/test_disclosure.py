"""Disclosure control: tables of cases with known answers, and properties that must always hold."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit.compute.disclosure import (
    HIDDEN,
    POLICIES,
    UnprotectedRealRegister,
    choose_policy,
    count_text,
    get_policy,
    pct_text,
)

CBS = POLICIES["cbs"]
NONE = POLICIES["none"]


def plain(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in series]


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (0, 0),
        (1, None),
        (7, None),
        (8, 10),
        (12, 10),
        (13, 15),
        (22, 20),
        (23, 25),
        (100, 100),
        (None, None),
    ],
)
def test_cbs_count(n, shown):
    assert CBS.count(n) == shown


@pytest.mark.parametrize("n", [0, 1, 7, 8, 23])
def test_none_policy_shows_counts_as_they_are(n):
    assert NONE.count(n) == n


@pytest.mark.parametrize(
    ("counts", "shown", "pcts"),
    [
        # one small cell: the smallest other non-zero cell is hidden too (secondary)
        ([0, 3, 10, 12], [0, None, None, 10], [0.0, None, None, 40.0]),
        # two small cells hide each other; no secondary suppression needed
        ([1, 2, 20], [None, None, 20], [None, None, 80.0]),
        # rounded to 5, percentages from the rounded counts and the rounded whole (15)
        ([8, 9], [10, 10], [67.0, 67.0]),
        # a whole below 10: counts may show, percentages not
        ([0, 0], [0, 0], [None, None]),
        # one small cell and nothing else to hide: the whole is small as well
        ([5, 0], [None, 0], [None, None]),
        ([20, 0], [20, 0], [100.0, 0.0]),
    ],
)
def test_cbs_distribution(counts, shown, pcts):
    table = CBS.distribution(counts)
    assert plain(table["gezinnen"]) == shown
    assert [None if math.isnan(p) else p for p in table["procent"]] == pcts


def test_none_distribution_uses_the_reports_rounding():
    # 1/3 each: half-up gives 33+33+33, largest remainder 34+33+33
    assert list(NONE.distribution([1, 1, 1], "half_omhoog")["procent"]) == [33.0, 33.0, 33.0]
    assert list(NONE.distribution([1, 1, 1], "grootste_rest")["procent"]) == [34.0, 33.0, 33.0]


@pytest.mark.parametrize(
    ("value", "base", "shown"),
    [(4.3, 21, 4.3), (4.3, 9, None), (4.3, 6, None), (7.7, 10, 7.7)],
)
def test_cbs_mean_needs_a_base_of_ten(value, base, shown):
    assert CBS.mean(value, base) == shown
    assert NONE.mean(value, base) == value


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_cbs_never_shows_a_small_count_or_a_recoverable_cell(counts):
    table = CBS.distribution(counts)
    shown = plain(table["gezinnen"])
    for value in shown:
        assert value is None or (value % 5 == 0 and not 0 < value < 8)
    hidden = [i for i, v in enumerate(shown) if v is None]
    if len(hidden) == 1:
        # a single hidden cell is only possible when the whole is hidden as well
        assert CBS.total(counts) is None
    assert all(math.isnan(p) for p, v in zip(table["procent"], shown, strict=True) if v is None)


def test_texts():
    assert count_text(None) == HIDDEN and count_text(12) == "12"
    assert pct_text(float("nan"), True) == HIDDEN
    assert pct_text(float("nan"), False) == "–"
    assert pct_text(40.0, False) == "40%"


def test_unknown_policy_is_a_clear_error():
    with pytest.raises(ValueError, match=r"onbekend beleid .*'streng'.*cbs, none"):
        get_policy("streng")


def test_cbs_description_follows_its_parameters():
    from evalkit.compute.disclosure import _cbs

    text = _cbs(min_count=11, base=10, min_base=20).description
    assert "1 tot en met 10" in text and "afgerond op 10" in text and "minder dan 20" in text


@pytest.mark.parametrize(
    ("requested", "synthetic", "accepted", "chosen"),
    [
        (None, True, False, "none"),
        (None, False, False, "cbs"),
        ("cbs", True, False, "cbs"),
        ("cbs", False, False, "cbs"),
        ("none", True, False, "none"),
        ("none", False, True, "none"),
        (None, False, True, "cbs"),
    ],
)
def test_choose_policy_is_safe_by_default_for_real_data(requested, synthetic, accepted, chosen):
    assert choose_policy(requested, synthetic, accepted) == chosen


def test_no_protection_on_real_data_needs_the_acknowledgement():
    with pytest.raises(UnprotectedRealRegister, match="één of twee gezinnen"):
        choose_policy("none", synthetic=False, small_cells_accepted=False)


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="onbekend beleid"):
        choose_policy("streng", synthetic=True, small_cells_accepted=False)


def test_none_policy_no_longer_claims_it_adds_nothing():
    assert "niets aan toe" not in NONE.description
