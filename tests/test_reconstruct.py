"""The solver on toy claim sets: planted conflicts are found, consistent sets are clean."""

from __future__ import annotations

import pytest

from evalkit import metrics
from evalkit.audit import audit_registry, explain
from evalkit.claims import Claim, Registry
from evalkit.reconstruct import Spec, find_conflicts, keep_priority, solve

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
    from evalkit.reconstruct import reconstruct_to

    reconstruct_to(root / "data", tmp_path, log=lambda _: None)
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (
            root / "data" / "register" / f"{name}.csv"
        ).read_bytes(), name
