"""Bounds: the range of a figure over every register that satisfies the kept claims."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from toys import CHILDREN, FLOW_OK, SPEC, claim, registry

from evalkit.compute.claims import load_registry
from evalkit.inputs.register import load_register
from evalkit.inputs.sources import load_documents
from evalkit.solver.bounds import bounds, published_interval, register_value

# 5 active in 2022, 2 closed in 2022, 1 started in 2023, 4 active in 2023.
QUANTITIES = {
    "actief22": {"metric": "count_active", "args": {"jaar": 2022}},
    "door23": {"metric": "count_carried_over", "args": {"jaar": 2023}},
    "gestart22": {"metric": "count_started", "args": {"jaar": 2022}},
    "afgesloten23": {"metric": "count_closed", "args": {"jaar": 2023}},
    "beijum22": {"distribution": "wijk_counts", "args": {"jaar": 2022}, "element": "Beijum"},
}


@pytest.mark.parametrize(
    ("key", "lo", "hi", "status"),
    [
        ("actief22", 5, 5, "gepubliceerd"),
        ("door23", 3, 3, "vastgelegd"),  # 5 - 2: the letters determine it
        ("gestart22", 5, 5, "vastgelegd"),  # the register starts in 2022
        ("afgesloten23", 0, 4, "begrensd"),
        ("beijum22", 0, 5, "begrensd"),
    ],
)
def test_toy_bounds(reference, key, lo, hi, status):
    table = bounds(QUANTITIES, registry(*FLOW_OK), reference, SPEC, interpretations=())
    row = table.set_index("key").loc[key]
    assert (row["min"], row["max"], row["status"]) == (lo, hi, status)
    assert row["solve_status"] in ("bewezen", "gepubliceerd")


def test_relaxed_claim_is_not_kept(reference):
    table = bounds(
        {"actief22": QUANTITIES["actief22"]},
        registry(*FLOW_OK),
        reference,
        SPEC,
        relaxed=["X22-actief"],
        interpretations=(),
    )
    row = table.iloc[0]
    # 2 closed in 2022 + 3 carried into 2023 (4 active, 1 started): still 5.
    assert (row["min"], row["max"], row["status"]) == (5, 5, "vastgelegd")


def test_mean_is_an_exact_fraction(reference):
    toy = registry(*FLOW_OK)
    q = {"mean": {"metric": "mean_hours", "args": {"jaar": 2022}}}
    row = bounds(q, toy, reference, SPEC, interpretations=()).iloc[0]
    # Hours per week between the model's 1.0 and 12.0 for each of the 5 families.
    assert (row["min_exact"], row["max_exact"], row["status"]) == ("1", "12", "vrij")
    assert row["min_at_model_limit"] and row["max_at_model_limit"]


@pytest.mark.parametrize(
    ("value", "rounding", "recompute", "interval"),
    [
        (8, {}, {"metric": "count_closed", "args": {"jaar": 2022}}, (8, 8, True)),
        (
            5.3,
            {"decimals": 1},
            {"metric": "mean_hours", "args": {"jaar": 2022}},
            (Fraction(21, 4), Fraction(107, 20), False),
        ),
    ],
)
def test_published_interval(reference, value, rounding, recompute, interval):
    c = claim("X", value, recompute.get("metric"), args=recompute["args"])
    c = type(c)(**{**c.__dict__, "rounding": rounding})
    assert published_interval(c, reference) == interval


@pytest.mark.slow
def test_2022_looptijd_is_bounded_and_contains_the_register(root, reference):
    registry_ = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    relaxed = ["W23-gestart-2023", "A-wijken-zonder-2023", "W23-meerdere-2023"]
    relaxed.append("W23-alle-categorieen-2023")
    q = {
        "looptijd22": {"metric": "mean_duration_closed", "args": {"jaar": 2022}},
        "uren22": {"metric": "mean_hours", "args": {"jaar": 2022}},
    }
    table = bounds(q, registry_, reference, relaxed=relaxed).set_index("key")
    register = load_register(root / "data" / "register", reference, dt.date(2026, 11, 22))
    row = table.loc["looptijd22"]
    assert row["status"] == "begrensd" and row["solve_status"] == "bewezen"
    assert row["min"] < register_value(q["looptijd22"], register, reference) < row["max"]
    # A published kept mean: its range is the rounding interval of 5,3.
    assert tuple(table.loc["uren22", ["min_exact", "max_exact", "status"]]) == (
        "21/4",
        "107/20",
        "gepubliceerd",
    )


# Children, wijken, hoofdvraag and hours on one toy: every part of the model has a quantity.
PARTS_TOY = (
    *CHILDREN[:4],
    claim("X22-beijum", 2, dist="wijk_counts", args={"jaar": 2022}, key="Beijum"),
    claim("X23-een", 3, dist="family_size_counts", args={"jaar": 2023}, key=1),
    claim("X22-uren", 5.0, "mean_hours", args={"jaar": 2022}),
)
PARTS_QUANTITIES = {
    "beijum23": {"distribution": "wijk_counts", "args": {"jaar": 2023}, "element": "Beijum"},
    "twee23": {"distribution": "family_size_counts", "args": {"jaar": 2023}, "element": 2},
    "pubers22": {
        "metric": "count_children_in_category",
        "args": {"jaar": 2022, "categorie": "12-18"},
    },
    "uren23": {"metric": "mean_hours", "args": {"jaar": 2023}},
    "hv22": {
        "distribution": "hoofdvraag_counts",
        "args": {"jaar": 2022},
        "element": "praktisch",
        "as": "percent",
    },
    "caseload22": {"metric": "mean_caseload", "args": {"jaar": 2022}},
}


@pytest.mark.parametrize(
    ("workers", "decompose"),
    [(1, True), (2, True), (1, False), ("pool", True)],
    ids=["1", "2", "heel", "pool"],
)
def test_result_does_not_depend_on_workers_or_decomposition(reference, workers, decompose):
    from concurrent.futures import ProcessPoolExecutor

    toy = registry(*PARTS_TOY)
    # "pool": a pool the caller shares with other work (as the build's analysis stage).
    pool = ProcessPoolExecutor(2) if workers == "pool" else None
    try:
        table = bounds(
            PARTS_QUANTITIES,
            toy,
            reference,
            SPEC,
            interpretations=(),
            workers=1 if pool else workers,
            decompose=decompose,
            executor=pool,
        )
    finally:
        if pool is not None:
            pool.shutdown()
    got = {r.key: (r.min_exact, r.max_exact, r.status) for r in table.itertuples()}
    assert got == {
        "beijum23": ("2", "2", "vastgelegd"),  # the same 6 families in 2022 and 2023
        "twee23": ("0", "3", "begrensd"),  # 3 of the 6 families have one child
        "pubers22": ("0", "21", "vrij"),  # 3 families of 1 child, 3 of up to 6
        "uren23": ("1", "12", "vrij"),
        "hv22": ("0", "100", "begrensd"),
        # 6 families that start in 2022 at least a week apart and run on into 2023.
        "caseload22": ("48/365", "2148/365", "begrensd"),
    }
