"""Known cases of the evidence on the real claims and the synthetic register (slow: CP-SAT)."""

from __future__ import annotations

import pytest

from conftest import ROOT, TODAY
from evalkit.compute.claims import load_registry
from evalkit.inputs.register import load_reference, load_register
from evalkit.inputs.sources import load_documents
from evalkit.publish.evidence import Ledger
from evalkit.solver.audit import cached_audit, load_audit, relaxed_claims
from evalkit.solver.bounds import cached_bounds, load_bounds, quantity_key, register_value

ACTIVE = {"metric": "count_active", "args": {"jaar": 2022}}
LOOPTIJD = {"metric": "mean_duration_closed", "args": {"jaar": 2022}}


@pytest.mark.slow
def test_published_and_bounded_figures_of_2022(tmp_path):
    data = ROOT / "data"
    audit = cached_audit(data, tmp_path / "audit", log=lambda _: None)
    quantities = {quantity_key(q): q for q in (ACTIVE, LOOPTIJD)}
    table = load_bounds(
        cached_bounds(
            data, tmp_path / "bounds", relaxed_claims(load_audit(audit)), quantities, log=print
        )
    )
    registry = load_registry(data / "claims", load_documents(data / "sources"))
    reference = load_reference(data / "reference")
    register = load_register(data / "register", reference, TODAY)
    ledger = Ledger(table, registry)

    active = ledger.quantity(ACTIVE)
    assert active.status == "gepubliceerd"
    assert "T23-gezinnen" in active.claims
    assert active.min == active.max == register_value(ACTIVE, register, reference)

    looptijd = ledger.quantity(LOOPTIJD)
    value = register_value(LOOPTIJD, register, reference)
    assert looptijd.status == "begrensd"
    assert looptijd.exact  # a ratio of integers: exact fractions
    assert looptijd.min < value < looptijd.max
