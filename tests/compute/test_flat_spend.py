"""The flat monthly spend: an interpretation of the budget with a switch, and what rests on it."""

import datetime as dt

import pytest

from conftest import ROOT
from evalkit.compute import context
from evalkit.compute.claims import load_registry
from evalkit.inputs.sources import load_documents
from evalkit.solver.model import FLAT_SPEND, INTERPRETATIONS

CONTEXT = ROOT / "data" / "context"


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data" / "claims", load_documents(ROOT / "data" / "sources"))


@pytest.mark.parametrize(
    ("enabled", "expected"),
    [
        # € 42.000 of € 14.000 a month in 2021: from October 2021, but the first families
        # started in January 2022; € 126.000 in 2023: until September 2023, but the pilot
        # ended "begin 2024".
        (
            True,
            [
                ("begin", dt.date(2021, 10, 1), "2022-01", "T23-start", "tegenstrijdig"),
                ("einde", dt.date(2023, 9, 30), 2024, "B23-einde-pilot", "tegenstrijdig"),
            ],
        ),
        # Dropped: the amounts per year fix no month, so neither contradiction remains.
        (
            False,
            [
                ("begin", None, "2022-01", "T23-start", "niet bepaald"),
                ("einde", None, 2024, "B23-einde-pilot", "niet bepaald"),
            ],
        ),
    ],
)
def test_phasing_checks_rest_on_the_flat_spend(registry, enabled, expected):
    reading = context.FLAT_SPEND.switched(enabled)
    table = context.phasing_checks(CONTEXT / "financien.yaml", registry, reading)
    got = [(r.check, r.implied, r.published, r.claim_id, r.verdict) for r in table.itertuples()]
    assert got == expected
    assert set(table["interpretation"]) == {"I-vlakke-maandbesteding"}


def test_the_solver_lists_the_same_reading():
    (i,) = [i for i in INTERPRETATIONS if i.id == FLAT_SPEND]
    assert (i.id, i.about) == (context.FLAT_SPEND.id, context.FLAT_SPEND.about)
