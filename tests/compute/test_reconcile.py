"""Reconciliation statuses on the small register (values computed by hand in its README)."""

import pytest

from evalkit.compute.claims import Check, Claim, Registry
from evalkit.compute.reconcile import COLUMNS, recompute, reconcile, status_counts
from evalkit.solver.audit import Conflict


def claim(cid, value, recompute_, rounding=None, unit="gezinnen"):
    return Claim(
        cid, "toy", f"quote {cid}", value, unit, "2022", "about", recompute_, {}, rounding or {}
    )


@pytest.mark.parametrize(
    ("value", "recompute_", "rounding", "status", "recomputed"),
    [
        (3, {"metric": "count_active", "args": {"jaar": 2022}}, None, "exact", 3),
        (4, {"metric": "count_active", "args": {"jaar": 2022}}, None, "discrepancy", 3),
        (5.0, {"metric": "mean_hours", "args": {"jaar": 2022}}, {"decimals": 1}, "exact", 5.0),
        (
            3.3,
            {"metric": "mean_hours", "args": {"jaar": 2023}},
            {"decimals": 1},
            "rounding",
            pytest.approx(10 / 3),
        ),
        (
            3.4,
            {"metric": "mean_hours", "args": {"jaar": 2023}},
            {"decimals": 1},
            "discrepancy",
            pytest.approx(10 / 3),
        ),
        # 2022 (half up): 2 of 3 families have 2 children = 66.7% → 67%.
        (
            67,
            {
                "distribution": "family_size_counts",
                "args": {"jaar": 2022},
                "key": 2,
                "as": "percent",
            },
            None,
            "rounding",
            67,
        ),
        # A category nobody had: 0 of 3 = 0%.
        (
            0,
            {
                "distribution": "family_size_counts",
                "args": {"jaar": 2022},
                "key": 5,
                "as": "percent",
            },
            None,
            "rounding",
            0,
        ),
        (
            2,
            {"distribution": "wijk_counts", "args": {"jaar": 2022}, "key": "Beijum"},
            None,
            "exact",
            2,
        ),
        ("2022-01", {"metric": "first_start_month"}, None, "exact", "2022-01"),
        (1, {"sourced": "not in the register"}, None, "sourced", None),
        (9, {"metric": "count_active", "args": {"jaar": 2019}}, None, "outside_register", None),
    ],
)
def test_recompute_status(
    small_register, reference, value, recompute_, rounding, status, recomputed
):
    got, got_status, _ = recompute(
        claim("X", value, recompute_, rounding), small_register, reference
    )
    assert (got, got_status) == (recomputed, status)


def test_largest_remainder_is_named_when_half_up_differs(small_register, reference):
    # 2023 uses largest remainder: children per family 1:2, 3:1 → 66.7% and 33.3% either way,
    # so no alternative is mentioned; the explanation names the method used.
    _, status, text = recompute(
        claim(
            "X",
            67,
            {
                "distribution": "family_size_counts",
                "args": {"jaar": 2023},
                "key": 1,
                "as": "percent",
            },
        ),
        small_register,
        reference,
    )
    assert status == "rounding" and "grootste rest" in text


def test_reconcile_table_and_conflict_explanation(small_register, reference):
    registry = Registry(
        (
            claim("X22-a", 4, {"metric": "count_active", "args": {"jaar": 2022}}),
            claim("X22-b", 1, {"metric": "count_closed", "args": {"jaar": 2022}}),
        ),
        (
            Check("X-som", "toy", "a plus b", "X22-a + X22-b == 5"),
            Check("X-fout", "toy", "a is b", "X22-a == X22-b"),
        ),
        (),
    )
    conflicts = [Conflict("C1", ("X22-a", "X22-b"), "X22-a", "uitleg van de rekensom")]
    table = reconcile(registry, small_register, reference, conflicts)
    assert list(table.columns) == COLUMNS
    rows = table.set_index("claim_id")
    assert rows.loc["X22-a", "status"] == "discrepancy"
    assert "Conflict C1: uitleg van de rekensom" in rows.loc["X22-a", "explanation"]
    assert rows.loc["X-som", "status"] == "exact"
    assert rows.loc["X-fout", "status"] == "discrepancy"
    assert status_counts(table).to_dict() == {
        "exact": 2,
        "rounding": 0,
        "interpretation": 0,
        "discrepancy": 2,
        "sourced": 0,
        "outside_register": 0,
    }


@pytest.mark.parametrize(
    ("decimals", "text"),
    [(0, "op een heel getal"), (1, "op 1 decimaal"), (2, "op 2 decimalen")],
)
def test_rounded_to_in_dutch(decimals, text):
    from evalkit.compute.reconcile import rounded_to

    assert rounded_to(decimals) == text


def test_a_threshold_claim_compares_share_with_share_not_the_age_bound():
    """ "Vrijwel alle ... 0-12 jaar": value 12 is the age bound; the figure is the share ≥ 90%."""
    from evalkit.compute.reconcile import published_figure

    c = claim(
        "X-vrijwel",
        12,
        {
            "metric": "share_all_children_below",
            "args": {"jaar": 2022, "age": 12},
            "expect": {"min": 0.9},
        },
        unit="jaar",
    )
    assert published_figure(c) == "≥ 90%"
    assert published_figure(claim("X-n", 3, {"metric": "count_active"})) == 3


def test_the_real_vrijwel_alle_claim_is_an_interpretation_in_percent():
    import datetime as dt
    from pathlib import Path

    from evalkit.compute.claims import load_registry
    from evalkit.compute.metrics import share_all_children_below
    from evalkit.inputs.register import load_reference, load_register
    from evalkit.inputs.sources import load_documents

    root = Path(__file__).parents[2]
    ref = load_reference(root / "data" / "reference")
    reg = load_register(root / "data" / "register", ref, dt.date(2026, 12, 1))
    registry = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    row = reconcile(registry, reg, ref).set_index("claim_id").loc["T23-leeftijd-0-12"]
    share = share_all_children_below(reg, 2022, ref, 12)
    assert row["published"] == "≥ 90%"
    assert row["recomputed"] == pytest.approx(100 * share)
    assert row["status"] == ("interpretation" if share >= 0.9 else "discrepancy")
