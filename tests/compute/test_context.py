"""Context chapters: BJH derived figures, the budget phasing, delivered hours, the timeline."""

import datetime as dt
import shutil

import pytest
import yaml

from conftest import ROOT
from evalkit.compute import context
from evalkit.compute.claims import load_registry
from evalkit.inputs.errors import InputError
from evalkit.inputs.sources import load_documents

CONTEXT = ROOT / "data" / "context"


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data" / "claims", load_documents(ROOT / "data" / "sources"))


def test_budget_phasing(registry):
    # € 336.000 over 24 months is € 14.000 a month: 2021's € 42.000 pays for 3 months
    # (October-December), 2023's € 126.000 for 9 (January-September).
    p = context.budget_phasing(CONTEXT / "financien.yaml", registry)
    assert (p.per_month, p.months_per_year) == (14000, {2021: 3, 2022: 12, 2023: 9})
    assert (p.implied_start, p.implied_end) == (dt.date(2021, 10, 1), dt.date(2023, 9, 30))


@pytest.mark.parametrize(
    ("derived_id", "expected"),
    [
        ("D-subsidie-per-jeugdige", 4_200_000 / 967),
        ("D-jeugdigen-per-fte", 967 / 80),
        ("D-klachten-per-1000", 5.0),
        ("D-nadeel-aandeel", 100 / 4.2),
        ("D-caseload-verschil", 33),
    ],
)
def test_bjh_derived(registry, derived_id, expected):
    table = context.bjh_derived(CONTEXT / "bjh.yaml", registry).set_index("id")
    assert table.loc[derived_id, "waarde"] == pytest.approx(expected)


def test_bjh_derived_figures_read_alike_in_text_and_table(registry):
    # One number of decimals per figure, used by the glued text and the table: the table said
    # "5" and "23,8%" where the text said "5,0" and "24%".
    from evalkit.publish.report import derived_table

    table = context.bjh_derived(CONTEXT / "bjh.yaml", registry)
    decimals = dict(zip(table["id"], table["decimalen"], strict=True))
    assert decimals == {
        "D-subsidie-per-jeugdige": 0,
        "D-jeugdigen-per-fte": 1,
        "D-klachten-per-1000": 1,
        "D-klachten-per-1000-967": 1,
        "D-nadeel-aandeel": 0,
        "D-caseload-verschil": 0,
    }
    shown = derived_table(table).data
    assert "| 5,0 |" in shown and "| 24% |" in shown and "| 12,1 |" in shown


def test_delivered_hours_by_hand(small_register):
    # Hours per week × days active in the year / 7 (see tests/fixtures/register-klein/README).
    expected = (6.0 * 264 + 4.0 * 300 + 5.0 * 132 + 3.5 * 365 + 4.5 * 118 + 2.0 * 329) / 7
    assert context.delivered_hours(small_register) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-11", (dt.date(2020, 11, 1), "maand")),
        ("2024-Q3", (dt.date(2024, 7, 1), "kwartaal")),
        (2024, (dt.date(2024, 1, 1), "jaar")),
        ("2021-10-29", (dt.date(2021, 10, 29), "dag")),
    ],
)
def test_claim_date(value, expected):
    assert context.claim_date(value) == expected


def test_timeline_sorted_and_quoted(registry):
    events = context.timeline(CONTEXT / "tijdlijn.yaml", registry)
    assert events["datum"].is_monotonic_increasing
    assert events["citaat"].str.len().min() > 0
    assert {"gepland", "start"} <= set(events["soort"])


def test_unknown_claim_in_context_file_is_rejected(registry, tmp_path):
    path = tmp_path / "bjh.yaml"
    shutil.copy(CONTEXT / "bjh.yaml", path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("B23-fte,", "B23-fte-x,", 1), encoding="utf-8"
    )
    with pytest.raises(InputError, match="probleem"):
        context.bjh_key_figures(path, registry)


def test_the_nadeel_is_never_counted_as_a_cost_of_the_bjh():
    # The letter: "meer specialistische jeugdhulp is ingezet ... We verwachten hierdoor in 2023
    # een incidenteel nadeel van 1 miljoen euro": the nadeel is specialist care, not BJH.
    spec = yaml.safe_load((CONTEXT / "bjh.yaml").read_text(encoding="utf-8"))
    for derived in spec["afgeleid"]:
        formula = derived["formula"].replace(" ", "")
        assert "B23-subsidie+B23-nadeel" not in formula and "B23-nadeel+B23-subsidie" not in formula
        if "B23-nadeel" in formula:
            assert "specialistische" in derived["label"]
