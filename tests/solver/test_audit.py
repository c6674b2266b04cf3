"""The audit on toy claim sets: planted conflicts are found, consistent sets are clean."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from toys import CHILDREN, FLOW_BROKEN, FLOW_OK, SPEC, claim, registry

from evalkit.solver.audit import (
    _candidates,
    _feasible,
    audit_registry,
    check,
    conflict_sets_table,
    consistency_table,
    corrections,
    enumerate_conflicts,
    explain,
    feasible_by_parts,
    find_conflicts,
    interpretation_impact,
    keep_priority,
    relaxed_claims,
)
from evalkit.solver.model import INTERPRETATIONS, ONE_TRAJECT, OWN_AGE_SCHEME, Spec


def test_consistent_claims_have_no_conflict(reference):
    conflicts, relaxed = find_conflicts(
        registry(*FLOW_OK), reference, SPEC, seed=1, interpretations=()
    )
    assert (conflicts, relaxed) == ([], [])


def test_planted_flow_conflict_is_found_and_minimal(reference):
    extra = claim("X22-h1", 3, "count_started", args={"jaar": 2022, "half": 1})
    conflicts, relaxed = find_conflicts(
        registry(*FLOW_BROKEN, extra), reference, SPEC, seed=1, interpretations=()
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
    conflicts, relaxed = find_conflicts(toy, reference, Spec(slots=24), seed=1, interpretations=())
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
    prio = keep_priority(registry(*twice), interpretations=())
    assert prio["A22-x"] > prio["B23-y"] and prio["B22-x"] > prio["B23-y"]


def test_audit_registry_explains_each_conflict(reference):
    conflicts = audit_registry(registry(*FLOW_BROKEN), reference, SPEC, seed=1)
    assert len(conflicts) == 1
    assert conflicts[0].relaxed == "X23-gestart"
    assert "5 − 2 = 3" in conflicts[0].explanation
    assert "3 + 1 = 4" in conflicts[0].explanation


def test_planted_children_conflict_is_found(reference):
    # Six families in 2023, five of them with one or two children; but two families with
    # children in all five age categories need five children each.
    toy = registry(
        *CHILDREN[:4],
        claim("X23-alle", 2, dist="age_group_counts", args={"jaar": 2023}, key="alle categorieën"),
        claim("X23-een", 3, dist="family_size_counts", args={"jaar": 2023}, key=1),
        claim("X23-twee", 2, dist="family_size_counts", args={"jaar": 2023}, key=2),
    )
    conflicts, relaxed = find_conflicts(toy, reference, SPEC, seed=1, interpretations=())
    assert len(conflicts) == 1
    assert {"X23-alle", "X23-een", "X23-twee"} <= set(conflicts[0])
    assert relaxed[0] in conflicts[0]
    # Without the two-children claim there is room for the two large families.
    conflicts, _ = find_conflicts(
        registry(*toy.claims[:-1]), reference, SPEC, seed=1, interpretations=()
    )
    assert conflicts == []


@pytest.mark.parametrize(("published", "difference"), [(5, "één gezin"), (7, "3 gezinnen")])
def test_flow_explanation_states_the_difference(published, difference):
    claims = (*FLOW_OK[:3], claim("X23-actief", published, "count_active", args={"jaar": 2023}))
    text = explain(tuple(c.id for c in claims), registry(*claims).by_id())
    assert "3 + 1 = 4" in text
    assert text.endswith(f"het verschil is {difference}.")


def test_enumeration_finds_every_way_to_show_the_flow_conflict(reference):
    # The 2022 total stated twice: two minimal conflicts, and the relaxed start is one MCS.
    extra = claim("X22-gestart", 5, "count_started", args={"jaar": 2022})
    toy = registry(*FLOW_BROKEN, extra)
    found = enumerate_conflicts(toy, reference, SPEC, 1, ["X23-gestart"], interpretations=())
    (e,) = found
    assert e.complete
    assert {frozenset(s) for s in e.mus} == {
        frozenset({"X22-actief", "X22-afgesloten", "X23-gestart", "X23-actief"}),
        frozenset({"X22-gestart", "X22-afgesloten", "X23-gestart", "X23-actief"}),
    }
    assert {frozenset(s) for s in e.mcs} == {
        frozenset({"X23-gestart"}),
        frozenset({"X22-afgesloten"}),
        frozenset({"X23-actief"}),
        frozenset({"X22-actief", "X22-gestart"}),
    }
    table = conflict_sets_table(found)
    assert set(table["verdict"]) == {"bewezen tegenstrijdig", "bewezen haalbaar"}


@pytest.mark.parametrize(
    ("enabled", "verdict"), [(True, "bewezen tegenstrijdig"), (False, "bewezen haalbaar")]
)
def test_one_traject_per_gezin_carries_the_flow_conflict(reference, enabled, verdict):
    # Dropping the reading lets a family that closed a traject in 2023 start a second one the
    # same year; it counts once among the active families, so 3 + 1 trajecten are 3 families.
    toy = registry(
        *FLOW_OK[:3],
        claim("X23-actief", 3, "count_active", args={"jaar": 2023}),
        claim("X23-afgesloten", 1, "count_closed", args={"jaar": 2023}),
    )
    reading = next(i for i in INTERPRETATIONS if i.id == ONE_TRAJECT).switched(enabled)
    ids = [c.id for c in toy.claims]
    assert check(toy, reference, SPEC, 1, ids, [reading]) == verdict


def test_interpretation_impact_names_the_reading_a_conflict_rests_on(reference):
    toy = registry(
        *FLOW_OK[:3],
        claim("X23-actief", 3, "count_active", args={"jaar": 2023}),
        claim("X23-afgesloten", 1, "count_closed", args={"jaar": 2023}),
    )
    table = interpretation_impact(
        toy, reference, SPEC, 1, {"C1": [c.id for c in toy.claims]}
    ).set_index("interpretation")
    assert table.loc[ONE_TRAJECT, "disappears"]
    assert not table.loc["I-vrijwel-alle", "disappears"]
    # The flat spend is a reading of the budget: the register conflict stays without it.
    assert table.loc["I-vlakke-maandbesteding", "verdict"] == "bewezen tegenstrijdig"


def test_the_2022_2023_flow_conflict_rests_on_one_traject_per_gezin(root, reference):
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.sources import load_documents

    reg = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    flow = ["T23-afgesloten", "W23-h1-2022", "W23-h2-2022", "W23-actief-2023", "W23-gestart-2023"]
    table = interpretation_impact(reg, reference, Spec(), 20231231, {"C1": flow})
    gone = set(table.loc[table["disappears"], "interpretation"])
    assert gone == {ONE_TRAJECT}


@pytest.fixture(scope="module")
def flow_corrections(reference):
    extra = claim("X22-gestart", 5, "count_started", args={"jaar": 2022})
    toy = registry(*FLOW_BROKEN, extra)
    found = enumerate_conflicts(toy, reference, SPEC, 1, ["X23-gestart"], interpretations=())
    return corrections(toy, reference, found, ["X23-gestart"], SPEC, 1, interpretations=())


def test_corrections_and_impact_do_not_depend_on_the_workers(reference, flow_corrections):
    extra = claim("X22-gestart", 5, "count_started", args={"jaar": 2022})
    toy = registry(*FLOW_BROKEN, extra)
    found = enumerate_conflicts(toy, reference, SPEC, 1, ["X23-gestart"], interpretations=())
    table = corrections(
        toy, reference, found, ["X23-gestart"], SPEC, 1, interpretations=(), workers=2
    )
    pd.testing.assert_frame_equal(table, flow_corrections)
    conflicts = {"C1": [c.id for c in FLOW_BROKEN]}
    one, two = (
        interpretation_impact(toy, reference, SPEC, 1, conflicts, INTERPRETATIONS, workers=w)
        for w in (1, 2)
    )
    pd.testing.assert_frame_equal(one, two)
    assert one.set_index("interpretation").loc[ONE_TRAJECT, "disappears"]


@pytest.mark.parametrize(
    ("claim_id", "published", "nearest", "direction"),
    [
        # 5 active in 2022 - 2 closed + 1 started = 4 active in 2023, but 5 published.
        ("X23-gestart", 1, 2, "hoger"),
        ("X22-afgesloten", 2, 1, "lager"),
        ("X23-actief", 5, 4, "lager"),
        # Both 2022 totals wrong together: 6 (the other one relaxed with it).
        ("X22-actief", 5, 6, "hoger"),
        ("X22-gestart", 5, 6, "hoger"),
    ],
)
def test_nearest_consistent_value(flow_corrections, claim_id, published, nearest, direction):
    row = flow_corrections.set_index("claim_id").loc[claim_id]
    assert (row["published"], row["nearest_consistent"], row["direction"]) == (
        published,
        nearest,
        direction,
    )
    assert row["verdict"] == "bewezen haalbaar"


def test_corrections_table_has_a_row_per_claim_of_every_mcs(flow_corrections):
    assert list(flow_corrections["set"]) == ["C1-MCS1", "C1-MCS2", "C1-MCS3", "C1-MCS4", "C1-MCS4"]
    assert list(flow_corrections.columns[:5]) == [
        "conflict",
        "set",
        "claim_id",
        "published",
        "nearest_consistent",
    ]


@pytest.mark.parametrize(
    ("published", "lo", "hi", "step", "expected"),
    [
        (9, 3, 8, 1, [8, 7]),  # a count above its range: the largest value in it first
        (2, 3, 8, 1, [3, 4]),
        (Fraction("5.3"), Fraction(21, 5), Fraction(26, 5), Fraction(1, 10), ["5.2", "5.1"]),
        (Fraction("6.8"), Fraction(7), Fraction(11), Fraction(1, 10), ["7.0", "7.1"]),
    ],
)
def test_candidates_at_the_published_precision(published, lo, hi, step, expected):
    got = _candidates(Fraction(published), Fraction(lo), Fraction(hi), Fraction(step), 2)
    assert got == [Fraction(x) for x in expected]


# Two 2023 families with children "uit alle leeftijdscategorieën", none with more than four
# children: all five categories of 2023's scheme need five; the four that the text names
# (0-6, 6-12, 12-18, 18+) need four.
AGE_TOY = (
    *CHILDREN[:4],
    claim("X23-alle", 2, dist="age_group_counts", args={"jaar": 2023}, key="alle categorieën"),
    claim("X23-een", 3, dist="family_size_counts", args={"jaar": 2023}, key=1),
    claim("X23-twee", 1, dist="family_size_counts", args={"jaar": 2023}, key=2),
    claim("X23-vier", 2, dist="family_size_counts", args={"jaar": 2023}, key=4),
)


@pytest.mark.parametrize(
    ("enabled", "verdict"), [(True, "bewezen tegenstrijdig"), (False, "bewezen haalbaar")]
)
def test_own_age_scheme_carries_the_all_categories_conflict(reference, enabled, verdict):
    reading = next(i for i in INTERPRETATIONS if i.id == OWN_AGE_SCHEME).switched(enabled)
    toy = registry(*AGE_TOY)
    assert check(toy, reference, SPEC, 1, [c.id for c in toy.claims], [reading]) == verdict


def test_the_2023_all_categories_conflict_rests_on_the_age_scheme(root, reference):
    # C4 of the real claims: three families with children in all five 2023 categories, but the
    # family sizes leave too few families with five or more children. With the four
    # categories the text names ("0-18+"), four children suffice: the conflict disappears.
    # (It also disappears without one-traject-per-gezin: its percentages then count families
    # on a smaller base than the family counts, which count trajecten.)
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.sources import load_documents

    reg = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    c4 = [f"W23-kind{k}-2023" for k in (1, 2, 3, 4)] + ["W23-alle-categorieen-2023"]
    table = interpretation_impact(reg, reference, Spec(), 20231231, {"C4": c4})
    gone = set(table.loc[table["disappears"], "interpretation"])
    assert gone == {OWN_AGE_SCHEME, ONE_TRAJECT}


def test_consistency_table_lists_every_minimal_set(reference):
    toy = registry(*FLOW_BROKEN)
    conflicts = audit_registry(toy, reference, SPEC, seed=1)
    relaxed = relaxed_claims(conflicts)
    found = enumerate_conflicts(toy, reference, SPEC, 1, relaxed, interpretations=())
    table = consistency_table(conflicts, found, toy)
    assert list(table.columns[:2]) == ["conflict_id", "claim_id"]  # as consistency.csv now
    sizes = table.groupby(["set_kind", "set"]).size()
    # The set the audit resolved, the one way to show the conflict, the four ways out.
    assert sizes.to_dict() == {
        ("MCS", "C1-MCS1"): 1,
        ("MCS", "C1-MCS2"): 1,
        ("MCS", "C1-MCS3"): 1,
        ("MCS", "C1-MCS4"): 1,
        ("MUS", "C1-MUS1"): 4,
        ("gevonden", "C1"): 4,
    }
    assert set(table.loc[table["set_kind"] == "MUS", "verdict"]) == {"bewezen tegenstrijdig"}
    assert table.loc[table["set"] == "C1-MCS1", "relaxed_in_register"].tolist() == [
        table.loc[table["set"] == "C1-MCS1", "claim_id"].item() == "X23-gestart"
    ]


@pytest.mark.parametrize(
    ("max_checks", "singles"),
    [
        # No check at all is needed for the audit's own way out: the relaxed figure.
        (0, {"X23-gestart"}),
        (1, {"X23-gestart"}),
        # Once the first MUS is shrunk, each of its figures is tried alone: every correction of
        # one figure lies in every MUS, so all of them are found before the search goes on.
        (9, {"X23-gestart", "X22-afgesloten", "X23-actief"}),
    ],
)
def test_single_figure_corrections_come_first(reference, max_checks, singles):
    extra = claim("X22-gestart", 5, "count_started", args={"jaar": 2022})
    toy = registry(*FLOW_BROKEN, extra)
    (e,) = enumerate_conflicts(
        toy, reference, SPEC, 1, ["X23-gestart"], interpretations=(), max_checks=max_checks
    )
    assert {s[0] for s in e.mcs if len(s) == 1} == singles
    assert not e.complete
    assert len(e.mcs) == len(set(e.mcs))  # each set once


# Claims in three parts of the model: the flow (core), the wijken and the hoofdvraag. The flow
# fixes the links (5 active in 2022, 2 of them closed, 1 new: 4 active in 2023).
PARTS_TOY = (
    *FLOW_OK,
    claim("X23-beijum", 3, dist="wijk_counts", args={"jaar": 2023}, key="Beijum"),
    claim("X23-haren", 2, dist="wijk_counts", args={"jaar": 2023}, key="Haren"),  # 3 + 2 > 4
    claim("X22-praktisch", 5, dist="hoofdvraag_counts", args={"jaar": 2022}, key="praktisch"),
    claim(
        "X23-praktisch",
        75,
        dist="hoofdvraag_counts",
        args={"jaar": 2023},
        key="praktisch",
        **{"as": "percent"},
    ),
    claim("X23-praktisch-1", 1, dist="hoofdvraag_counts", args={"jaar": 2023}, key="praktisch"),
    claim("X23-actief-5", 5, "count_active", args={"jaar": 2023}),  # 5 - 2 + 1 = 4
)
FLOW_IDS = [c.id for c in FLOW_OK]


@pytest.mark.parametrize(
    ("ids", "feasible"),
    [
        # Links fixed by the flow: each part solved with the core fixed.
        ([*FLOW_IDS, "X23-beijum", "X22-praktisch", "X23-praktisch"], True),
        ([*FLOW_IDS, "X23-beijum", "X23-haren", "X22-praktisch"], False),  # 3 + 2 > 4
        ([*FLOW_IDS, "X23-beijum", "X23-praktisch", "X23-praktisch-1"], False),  # 75 % of 4 is 3
        # The flow itself cannot hold: the core alone says so.
        ([*FLOW_IDS[:3], "X23-actief-5", "X23-beijum", "X22-praktisch"], False),
        # Without the closures the links are free: the whole model (up to 6 active in 2023).
        (["X22-actief", "X23-gestart", "X23-beijum", "X23-haren", "X22-praktisch"], True),
        (["X22-actief", "X23-gestart", "X23-beijum", "X23-haren", "X23-praktisch-1"], True),
        # One part only: solved as one model.
        ([*FLOW_IDS, "X23-beijum", "X23-haren"], False),
    ],
)
def test_feasible_by_parts_agrees_with_the_whole_model(reference, ids, feasible):
    toy = registry(*PARTS_TOY)
    whole, _ = _feasible(toy, reference, SPEC, 1, ids, ())
    ok, core = feasible_by_parts(toy, reference, SPEC, 1, ids, ())
    assert ok == whole == feasible
    if not ok:  # the core is a subset of the claims that cannot hold either
        assert set(core) <= set(ids) and not _feasible(toy, reference, SPEC, 1, core, ())[0]


@pytest.mark.parametrize(
    ("max_size", "mcs", "proven", "complete"),
    [
        (1, {("X23-gestart",), ("X22-afgesloten",), ("X23-actief",)}, 1, False),
        # Nothing left at size 2, nor at any size: everything is listed.
        (
            2,
            {("X23-gestart",), ("X22-afgesloten",), ("X23-actief",), ("X22-actief", "X22-gestart")},
            5,
            True,
        ),
        (
            None,
            {("X23-gestart",), ("X22-afgesloten",), ("X23-actief",), ("X22-actief", "X22-gestart")},
            5,
            True,
        ),
    ],
)
def test_enumeration_proves_every_correction_up_to_its_size(
    reference, max_size, mcs, proven, complete
):
    extra = claim("X22-gestart", 5, "count_started", args={"jaar": 2022})
    toy = registry(*FLOW_BROKEN, extra)
    (e,) = enumerate_conflicts(
        toy, reference, SPEC, 1, ["X23-gestart"], interpretations=(), max_size=max_size
    )
    assert {tuple(sorted(s)) for s in e.mcs} == mcs
    assert (e.proven_size, e.complete) == (proven, complete)


def test_every_set_is_minimal_and_the_workers_do_not_matter(reference):
    toy = registry(*PARTS_TOY)
    _, relaxed = find_conflicts(toy, reference, SPEC, 1, interpretations=())
    # The flow, the wijken over the total, the hoofdvraag twice.
    assert relaxed == ["X23-actief-5", "X23-haren", "X23-praktisch-1"]
    found = enumerate_conflicts(toy, reference, SPEC, 1, relaxed, (), workers=2)
    assert found == enumerate_conflicts(toy, reference, SPEC, 1, relaxed, (), workers=1)
    ids = [c.id for c in toy.claims]

    def holds(claims):
        return _feasible(toy, reference, SPEC, 1, list(claims), ())[0]

    for e, r in zip(found, relaxed, strict=True):
        assert e.complete and e.mus
        universe = [k for k in ids if k not in relaxed or k == r]
        for s in e.mus:  # cannot all hold, and without any one of them they can
            assert not holds(s) and all(holds([k for k in s if k != m]) for m in s)
        for s in e.mcs:  # the rest holds, and taking back any one of them it does not
            assert holds([k for k in universe if k not in s])
            assert not any(holds([k for k in universe if k not in s or k == m]) for m in s)


#: The contradictions of the letters and the figure the audit relaxes for each (C1 to C4).
RELAXED = [
    "W23-gestart-2023",
    "A-wijken-zonder-2023",
    "W23-meerdere-2023",
    "W23-alle-categorieen-2023",
]


@pytest.mark.slow
def test_every_one_figure_correction_of_the_letters_is_found_and_proven(root, reference):
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.sources import load_documents

    reg = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    found = enumerate_conflicts(reg, reference, Spec(), 20231231, RELAXED, workers=2, max_size=1)
    singles = {e.conflict: {s[0] for s in e.mcs if len(s) == 1} for e in found}
    assert singles == {
        "C1": {"W23-gestart-2023"},
        "C2": {"A-wijken-zonder-2023"},
        "C3": {"W23-meerdere-2023"},
        "C4": {f"W23-kind{k}-2023" for k in (1, 2, 3, 4)} | {"W23-alle-categorieen-2023"},
    }
    assert [e.proven_size >= 1 for e in found] == [True] * 4
    assert [e.complete for e in found] == [False, False, False, True]
    for e, r in zip(found, RELAXED, strict=True):
        assert all(r in s for s in e.mus)  # the kept claims hold: every conflict needs r
    # C1: "als dit getal fout is, was het waarschijnlijk 8 in plaats van 9".
    table = corrections(reg, reference, found[:1], RELAXED, Spec(), 20231231)
    row = table.set_index("claim_id").loc["W23-gestart-2023"]
    assert (row["published"], row["nearest_consistent"], row["verdict"]) == (
        9,
        8,
        "bewezen haalbaar",
    )
