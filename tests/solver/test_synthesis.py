"""The synthesis: registers that satisfy the claims, deterministic, with real birth years."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from toys import CHILDREN, FLOW_OK, SPEC, claim, registry

from evalkit.compute import metrics
from evalkit.compute.claims import Claim, Registry
from evalkit.solver.model import Spec, birth_classes
from evalkit.solver.synthesis import birth_years, solve


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
    first, _ = solve(toy, reference, SPEC, seed=7, relaxed=(), interpretations=())
    second, _ = solve(toy, reference, SPEC, seed=7, relaxed=(), interpretations=())
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        assert getattr(first, name).equals(getattr(second, name))
    assert metrics.count_active(first, 2022) == 5
    assert metrics.count_closed(first, 2022) == 2
    assert metrics.count_started(first, 2023) == 1
    assert metrics.count_active(first, 2023) == 4
    assert round(metrics.mean_hours(first, 2022), 1) == 5.3


@pytest.mark.slow
def test_committed_register_is_the_reconstruction(root, tmp_path):
    from evalkit.inputs.manifest import load_manifest
    from evalkit.solver.synthesis import reconstruct_to

    committed = load_manifest(root / "data" / "register")[0]
    made = dt.date.fromisoformat(committed.created)
    reconstruct_to(root / "data", tmp_path, made, log=lambda _: None)
    for name in ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv", "datapackage.json"):
        assert (tmp_path / name).read_bytes() == (root / "data" / "register" / name).read_bytes(), (
            name
        )


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


def test_children_claims_hold_in_the_solution(reference):
    register, _ = solve(
        registry(*CHILDREN), reference, SPEC, seed=3, relaxed=(), interpretations=()
    )
    assert metrics.count_active(register, 2023) == 6
    assert metrics.family_size_counts(register, 2022).get(1, 0) == 2
    assert metrics.family_size_counts(register, 2023).get(2, 0) == 3
    assert metrics.family_age_category_oldest(register, 2022, reference)["6-12"] == 3
    assert metrics.count_children_in_category(register, 2022, reference, "12-18") == 2
    groups = metrics.age_group_counts(register, 2023, reference)
    assert (groups["alle categorieën"], groups["alleen 1-6"]) == (1, 1)
    kids = register.kinderen.groupby("traject_id")["geboortejaar"]
    assert (kids.max() - kids.min()).max() <= SPEC.max_sibling_span
