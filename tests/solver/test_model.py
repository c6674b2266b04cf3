"""The register model: birth classes and children's profiles."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from evalkit.compute import metrics
from evalkit.solver.model import UNBORN, Profile, Spec, birth_classes, profiles


def test_birth_classes_follow_both_age_schemes(reference):
    classes = birth_classes(Spec(), reference)
    years = [(1999 + c.first, 1999 + c.last, c.code(2022), c.code(2023)) for c in classes]
    assert years == [
        (1999, 2004, "18+", "16+"),
        (2005, 2007, "12-18", "16+"),
        (2008, 2010, "12-18", "12-16"),
        (2011, 2011, "6-12", "12-16"),
        (2012, 2016, "6-12", "6-12"),
        (2017, 2017, "0-6", "6-12"),
        (2018, 2022, "0-6", "1-6"),
        (2023, 2023, UNBORN, "0-1"),
    ]


def test_birth_class_codes_agree_with_the_metrics(reference):
    # Every birth year of a class gives the class's category in the metrics' own age mapping.
    for c in birth_classes(Spec(), reference):
        for jaar in (2022, 2023):
            cats = reference.age_categories(str(jaar))
            ages = pd.Series([jaar - (1999 + b) for b in range(c.first, c.last + 1)])
            born = ages[ages >= 0]
            assert set(metrics.age_category(born, cats)) <= {c.code(jaar)}
            assert (len(born) == 0) == (c.code(jaar) == UNBORN)


def test_profiles_are_complete_and_respect_the_rules(reference):
    classes = birth_classes(Spec(), reference)
    found = profiles(classes, max_children=3, max_span=22)
    counts = {p.counts for p in found}
    assert len(counts) == len(found)  # no duplicates
    for p in found:
        assert 1 <= sum(p.counts) <= 3
        assert all(n <= c.width for n, c in zip(p.counts, classes, strict=True))
    # Brute force: every way to pick 1 to 3 distinct birth years at most 22 years apart.
    top = Spec().year_index(2023)
    expected = set()
    for k in (1, 2, 3):
        for years in itertools.combinations(range(top + 1), k):
            if years[-1] - years[0] <= 22:
                expected.add(tuple(sum(c.first <= y <= c.last for y in years) for c in classes))
    assert counts == expected


@pytest.mark.parametrize(
    ("counts", "ages_2022", "ages_2023"),
    [
        ((0, 0, 0, 0, 0, 0, 1, 0), ("0-6",), ("1-6",)),
        ((0, 0, 0, 0, 0, 0, 1, 1), ("0-6",), ("1-6", "0-1")),
        ((0, 1, 0, 0, 2, 0, 0, 0), ("12-18", "6-12", "6-12"), ("16+", "6-12", "6-12")),
        ((0, 0, 0, 0, 0, 0, 0, 1), (), ("0-1",)),
    ],
)
def test_profile_ages_per_year(reference, counts, ages_2022, ages_2023):
    p = Profile(counts, birth_classes(Spec(), reference))
    assert (p.ages(2022), p.ages(2023)) == (ages_2022, ages_2023)


@pytest.mark.parametrize(
    ("counts", "cost"),
    [
        ((0, 0, 0, 0, 1, 0, 0, 0), 0),  # one child of 7 to 11
        ((0, 0, 0, 0, 1, 0, 1, 0), 0),  # two children, years apart
        ((1, 0, 0, 0, 0, 0, 0, 0), 6 * 4),  # the oldest at least 19: four years past 15
        ((1, 0, 0, 0, 0, 0, 0, 1), 6 * 4 + 3 * (19 - 2)),  # and a baby 19+ years later
    ],
)
def test_profile_implausibility(reference, counts, cost):
    p = Profile(counts, birth_classes(Spec(), reference))
    assert p.implausibility(Spec().year_index(2023)) == cost
