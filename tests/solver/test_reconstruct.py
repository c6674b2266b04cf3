"""The solver on toy claim sets: planted conflicts are found, consistent sets are clean."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from evalkit.compute import metrics
from evalkit.compute.claims import Claim, Registry
from evalkit.solver.audit import audit_registry, explain
from evalkit.solver.reconstruct import (
    UNBORN,
    Profile,
    Spec,
    birth_classes,
    birth_years,
    find_conflicts,
    keep_priority,
    profiles,
    solve,
)

SPEC = Spec(slots=8)


def claim(cid: str, value, metric: str | None = None, dist: str | None = None, **kw) -> Claim:
    recompute = {"metric": metric} if metric else {"distribution": dist}
    recompute["args"] = kw.pop("args")
    recompute.update(kw)
    return Claim(cid, "toy", f"quote {cid}", value, "gezinnen", "2022", f"about {cid}", recompute)


def registry(*claims: Claim) -> Registry:
    return Registry(tuple(claims), (), ())


FLOW_OK = (
    claim("X22-actief", 5, "count_active", args={"jaar": 2022}),
    claim("X22-afgesloten", 2, "count_closed", args={"jaar": 2022}),
    claim("X23-gestart", 1, "count_started", args={"jaar": 2023}),
    claim("X23-actief", 4, "count_active", args={"jaar": 2023}),
)
FLOW_BROKEN = (*FLOW_OK[:3], claim("X23-actief", 5, "count_active", args={"jaar": 2023}))


def test_consistent_claims_have_no_conflict(reference):
    conflicts, relaxed = find_conflicts(registry(*FLOW_OK), reference, SPEC, seed=1, assumptions=())
    assert (conflicts, relaxed) == ([], [])


def test_planted_flow_conflict_is_found_and_minimal(reference):
    extra = claim("X22-h1", 3, "count_started", args={"jaar": 2022, "half": 1})
    conflicts, relaxed = find_conflicts(
        registry(*FLOW_BROKEN, extra), reference, SPEC, seed=1, assumptions=()
    )
    assert [set(c) for c in conflicts] == [
        {"X22-actief", "X22-afgesloten", "X23-gestart", "X23-actief"}
    ]
    # The number of active families outweighs a count of starts: the start gives way.
    assert relaxed == ["X23-gestart"]


def test_planted_percentage_conflict(reference):
    toy = registry(
        claim("X23-actief", 21, "count_active", args={"jaar": 2023}),
        claim(
            "X23-hv",
            55,
            dist="hoofdvraag_counts",
            args={"jaar": 2023},
            key="praktisch",
            **{"as": "percent"},
        ),
    )
    conflicts, relaxed = find_conflicts(toy, reference, Spec(slots=24), seed=1, assumptions=())
    assert [set(c) for c in conflicts] == [{"X23-actief", "X23-hv"}]
    assert relaxed == ["X23-hv"]
    text = explain(tuple(conflicts[0]), toy.by_id())
    assert "55% van 21 gezinnen is 11,55 gezin" in text
    assert "bijvoorbeeld 11 van 20" in text  # derived, not typed: 11/20 rounds to 55%


def test_keep_priority_prefers_numbers_stated_twice(reference):
    twice = (
        claim("A22-x", 8, "count_closed", args={"jaar": 2022}),
        claim("B22-x", 8, "count_closed", args={"jaar": 2022}),
        claim("B23-y", 1, "count_started", args={"jaar": 2023}),
    )
    prio = keep_priority(registry(*twice), assumptions=())
    assert prio["A22-x"] > prio["B23-y"] and prio["B22-x"] > prio["B23-y"]


def test_solution_satisfies_the_claims_and_is_deterministic(reference):
    toy = registry(
        *FLOW_OK,
        claim(
            "X22-uren",
            5.3,
            "mean_hours",
            args={"jaar": 2022},
        ),
    )
    toy = Registry(
        tuple(
            c
            if c.id != "X22-uren"
            else Claim(
                c.id,
                c.document,
                c.quote,
                c.value,
                c.unit,
                c.period,
                c.about,
                c.recompute,
                {},
                {"decimals": 1},
            )
            for c in toy.claims
        ),
        (),
        (),
    )
    first, _ = solve(toy, reference, SPEC, seed=7, relaxed=(), assumptions=())
    second, _ = solve(toy, reference, SPEC, seed=7, relaxed=(), assumptions=())
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        assert getattr(first, name).equals(getattr(second, name))
    assert metrics.count_active(first, 2022) == 5
    assert metrics.count_closed(first, 2022) == 2
    assert metrics.count_started(first, 2023) == 1
    assert metrics.count_active(first, 2023) == 4
    assert round(metrics.mean_hours(first, 2022), 1) == 5.3


def test_audit_registry_explains_each_conflict(reference):
    conflicts = audit_registry(registry(*FLOW_BROKEN), reference, SPEC, seed=1)
    assert len(conflicts) == 1
    assert conflicts[0].relaxed == "X23-gestart"
    assert "5 − 2 = 3" in conflicts[0].explanation
    assert "3 + 1 = 4" in conflicts[0].explanation


@pytest.mark.slow
def test_committed_register_is_the_reconstruction(root, tmp_path):
    from evalkit.inputs.manifest import load_manifest
    from evalkit.solver.reconstruct import reconstruct_to

    committed = load_manifest(root / "data" / "register")[0]
    made = dt.date.fromisoformat(committed.created)
    reconstruct_to(root / "data", tmp_path, made, log=lambda _: None)
    for name in ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv", "datapackage.json"):
        assert (tmp_path / name).read_bytes() == (root / "data" / "register" / name).read_bytes(), (
            name
        )


# --- children: birth classes, profiles, birth years ---------------------------------------------


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


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "counts", [(0, 0, 0, 0, 5, 0, 0, 0), (1, 1, 1, 1, 1, 0, 0, 1), (0, 0, 3, 1, 0, 1, 1, 0)]
)
def test_birth_years_fit_their_classes(reference, counts, seed):
    classes = birth_classes(Spec(), reference)
    years = birth_years(classes, counts, 10, 22, np.random.default_rng(seed))
    assert years == sorted(set(years))  # distinct, oldest first
    assert years[-1] - years[0] <= 22
    per_class = tuple(sum(c.first <= y <= c.last for y in years) for c in classes)
    assert per_class == counts


CHILDREN = (
    claim("X22-actief", 6, "count_active", args={"jaar": 2022}),
    claim("X23-actief", 6, "count_active", args={"jaar": 2023}),
    claim("X22-afgesloten", 0, "count_closed", args={"jaar": 2022}),
    claim("X23-gestart", 0, "count_started", args={"jaar": 2023}),
    claim("X22-een", 2, dist="family_size_counts", args={"jaar": 2022}, key=1),
    claim(
        "X23-twee", 50, dist="family_size_counts", args={"jaar": 2023}, key=2, **{"as": "percent"}
    ),
    claim("X22-oudste", 3, dist="family_age_category_oldest", args={"jaar": 2022}, key="6-12"),
    claim("X22-pubers", 2, "count_children_in_category", args={"jaar": 2022, "categorie": "12-18"}),
    claim("X23-alle", 1, dist="age_group_counts", args={"jaar": 2023}, key="alle categorieën"),
    claim("X23-alleen", 1, dist="age_group_counts", args={"jaar": 2023}, key="alleen 1-6"),
)


def test_children_claims_hold_in_the_solution(reference):
    register, _ = solve(registry(*CHILDREN), reference, SPEC, seed=3, relaxed=(), assumptions=())
    assert metrics.count_active(register, 2023) == 6
    assert metrics.family_size_counts(register, 2022).get(1, 0) == 2
    assert metrics.family_size_counts(register, 2023).get(2, 0) == 3
    assert metrics.family_age_category_oldest(register, 2022, reference)["6-12"] == 3
    assert metrics.count_children_in_category(register, 2022, reference, "12-18") == 2
    groups = metrics.age_group_counts(register, 2023, reference)
    assert (groups["alle categorieën"], groups["alleen 1-6"]) == (1, 1)
    kids = register.kinderen.groupby("traject_id")["geboortejaar"]
    assert (kids.max() - kids.min()).max() <= SPEC.max_sibling_span


def test_planted_children_conflict_is_found(reference):
    # Six families in 2023, five of them with one or two children; but two families with
    # children in all five age categories need five children each.
    toy = registry(
        *CHILDREN[:4],
        claim("X23-alle", 2, dist="age_group_counts", args={"jaar": 2023}, key="alle categorieën"),
        claim("X23-een", 3, dist="family_size_counts", args={"jaar": 2023}, key=1),
        claim("X23-twee", 2, dist="family_size_counts", args={"jaar": 2023}, key=2),
    )
    conflicts, relaxed = find_conflicts(toy, reference, SPEC, seed=1, assumptions=())
    assert len(conflicts) == 1
    assert {"X23-alle", "X23-een", "X23-twee"} <= set(conflicts[0])
    assert relaxed[0] in conflicts[0]
    # Without the two-children claim there is room for the two large families.
    conflicts, _ = find_conflicts(
        registry(*toy.claims[:-1]), reference, SPEC, seed=1, assumptions=()
    )
    assert conflicts == []


@pytest.mark.parametrize(("published", "difference"), [(5, "één gezin"), (7, "3 gezinnen")])
def test_flow_explanation_states_the_difference(published, difference):
    claims = (*FLOW_OK[:3], claim("X23-actief", published, "count_active", args={"jaar": 2023}))
    text = explain(tuple(c.id for c in claims), registry(*claims).by_id())
    assert "3 + 1 = 4" in text
    assert text.endswith(f"het verschil is {difference}.")
