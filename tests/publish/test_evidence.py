"""Evidence of shown numbers: statuses from a hand-made bounds table, markers, coverage."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from myst_nb.core.variables import format_plain_text

from evalkit.compute.claims import Claim, Registry
from evalkit.publish.display import EVIDENCE_MIME, Text
from evalkit.publish.evidence import (
    ABOUT_SOURCES,
    Evidence,
    Ledger,
    is_number,
    range_cell,
    status_counts,
    summary_sentence,
    uncovered,
    what_follows,
)
from evalkit.solver.bounds import COLUMNS, quantity_key


def bounds_row(q, lo, hi, status, exact=True, claims=""):
    return {
        "key": quantity_key(q),
        "min": float(Fraction(lo)),
        "max": float(Fraction(hi)),
        "min_exact": str(lo),
        "max_exact": str(hi),
        "exact": exact,
        "status": status,
        "solve_status": "bewezen",
        "min_at_model_limit": False,
        "max_at_model_limit": False,
        "claims": claims,
    }


ACTIVE = {"metric": "count_active", "args": {"jaar": 2022}}
LOOPTIJD = {"metric": "mean_duration_closed", "args": {"jaar": 2022}}
STARTED = {"metric": "count_started", "args": {"jaar": 2023}}
CARRIED = {"metric": "count_carried_over", "args": {"jaar": 2022}}
DE_WIJERT = {"distribution": "wijk_counts", "args": {"jaar": 2022}, "element": "De Wijert"}
BEIJUM = {"distribution": "wijk_counts", "args": {"jaar": 2022}, "element": "Beijum"}


def claim(cid, value, quote="", unit="gezinnen"):
    return Claim(cid, "doc", quote or f"quote {cid}", value, unit, "2022", "about", {"sourced": ""})


REGISTRY = Registry(
    (
        claim("X-actief", 21),
        claim("X-budget", 336000, "De kosten zijn 336.000 euro", "euro"),
        claim("X-maanden", 2, "een pilot van 2 jaar", "jaar"),
        claim("X-fte", 80, "met ruim 80 fte", "fte"),
    ),
    (),
    (),
)

BOUNDS = pd.DataFrame(
    [
        bounds_row(ACTIVE, 21, 21, "gepubliceerd", claims="X-actief"),
        bounds_row(LOOPTIJD, "61/30", "339/30", "begrensd"),
        bounds_row(STARTED, 6, 9, "begrensd"),
        bounds_row(CARRIED, 0, 0, "vastgelegd"),
        bounds_row(DE_WIJERT, 0, 1, "begrensd"),
        bounds_row(BEIJUM, 7, 7, "gepubliceerd", claims="X-actief"),
    ],
    columns=COLUMNS,
)


@pytest.fixture
def ledger():
    return Ledger(BOUNDS, REGISTRY)


@pytest.mark.parametrize(
    ("q", "status", "lo", "hi"),
    [
        (ACTIVE, "gepubliceerd", 21, 21),
        (LOOPTIJD, "begrensd", 61 / 30, 339 / 30),
        (CARRIED, "vastgelegd", 0, 0),
        # a percentage of a fixed number of families: the count's range over 21, exactly
        (DE_WIJERT | {"as": "percent"}, "begrensd", 0, 100 / 21),
        (BEIJUM | {"as": "percent"}, "vastgelegd", 100 / 3, 100 / 3),
        ({"metric": "mean_hours", "args": {"jaar": 2030}}, "onbeslist", None, None),
    ],
)
def test_quantity_status_and_range_from_the_bounds(ledger, q, status, lo, hi):
    ev = ledger.quantity(q)
    assert ev.status == status
    assert ev.min == (pytest.approx(lo) if lo is not None else None)
    assert ev.max == (pytest.approx(hi) if hi is not None else None)


def test_a_published_quantity_names_its_claims(ledger):
    assert ledger.quantity(ACTIVE).claims == ("X-actief",)
    assert ledger.quantity(LOOPTIJD).claims == ()


def test_a_real_register_is_measured_everywhere():
    ledger = Ledger(None, REGISTRY, measured=True)
    assert ledger.quantity(LOOPTIJD).status == "gemeten"
    assert ledger.quantity(LOOPTIJD).mark == ""
    assert ledger.published("X-budget").status == "gepubliceerd"


@pytest.mark.parametrize(
    ("parts", "status", "lo", "hi", "exact"),
    [
        ((ACTIVE, CARRIED), "vastgelegd", 21, 21, True),
        ((CARRIED, ACTIVE, STARTED), "begrensd", 27, 30, True),  # one part varies: exact
        ((STARTED, LOOPTIJD), "begrensd", 6 + 61 / 30, 9 + 339 / 30, False),  # outer bound
    ],
)
def test_sum_of_quantities(ledger, parts, status, lo, hi, exact):
    ev = ledger.total([ledger.quantity(q) for q in parts])
    assert (ev.status, ev.exact) == (status, exact)
    assert (ev.min, ev.max) == (pytest.approx(lo), pytest.approx(hi))


def test_published_amount_per_bounded_count(ledger):
    ev = ledger.per(336000, ledger.quantity(STARTED))
    assert ev.status == "begrensd"
    assert (ev.min, ev.max) == (pytest.approx(336000 / 9), pytest.approx(336000 / 6))
    assert ledger.per(336000, ledger.unmodelled("niet in het model")).status == "vrij"


@pytest.mark.parametrize(
    ("formula", "value", "status"),
    [
        ("X-budget / (12 * X-maanden)", 14000, "vastgelegd"),
        ("X-budget / X-fte", 4200, "begrensd"),  # "ruim 80 fte" is approximate
    ],
)
def test_derived_figures(ledger, formula, value, status):
    ev = ledger.derived_from_formula(value, formula)
    assert ev.status == status
    assert "X-budget" in ev.claims


def test_glued_number_shows_its_marker_and_carries_its_evidence(ledger):
    ev = ledger.quantity(LOOPTIJD)
    bundle = Text("6,8", 6.8, ev, "looptijd")._repr_mimebundle_()
    assert format_plain_text(bundle["text/plain"], "s") == "6,8\u202f◐"
    record = bundle[EVIDENCE_MIME]
    assert (record["shown"], record["status"], record["register_value"]) == ("6,8", "begrensd", 6.8)
    assert record["min"] == pytest.approx(61 / 30)
    assert "application/vnd.evalkit.evidence+json" not in Text("6,8")._repr_mimebundle_()


def test_a_hidden_number_gets_no_marker(ledger):
    assert Text("x", None, ledger.quantity(ACTIVE)).pasted == "x"


def test_texts(ledger):
    looptijd = ledger.quantity(LOOPTIJD)
    assert what_follows(looptijd, "maanden", "De looptijd") == (
        "De looptijd is niet gepubliceerd; uit de brieven volgt alleen dat die tussen 2,0 en "
        "11,3 maanden lag."
    )
    assert what_follows(ledger.quantity(ACTIVE), "gezinnen", "Het aantal") == ""
    assert "vast uit" in what_follows(ledger.quantity(CARRIED), "", "Het aantal")
    assert range_cell(looptijd, 1) == "◐ 2,0–11,3"
    assert range_cell(ledger.quantity(ACTIVE)) == "● gepubliceerd"
    assert range_cell(ledger.quantity(CARRIED)) == "◆ 0"
    assert range_cell(Evidence("vrij")) == "○ vrij"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("21", True),
        ("5,3", True),
        ("336.000", True),
        ("€\xa0336.000", True),
        ("29%", True),
        ("2022", False),  # a year names a period
        ("x", False),
        ("–", False),
        ("Beijum", False),
        ("maart 2023", False),
    ],
)
def test_is_number(text, number):
    assert is_number(text) is number


def test_uncovered_lists_glued_numbers_and_cells_without_evidence():
    glue = pd.DataFrame(
        {
            "notebook": ["jaar-2022", "jaar-2022", "jaar-2022"],
            "key": ["actief", "looptijd", "wijken_top"],
            "text": ["21", "6,8", "Beijum"],
        }
    )
    table = pd.DataFrame({"jaar": [2022, 2023], "actief": [21, 21], "looptijd": [6.8, None]})
    evidence = pd.DataFrame(
        {
            "notebook": ["jaar-2022", "jaar-2022"],
            "key": ["actief", "trajecten:2022:actief"],
        }
    )
    assert uncovered(glue, {"trajecten": table}, evidence) == [
        "jaar-2022:looptijd",
        "trajecten:2023:actief",
        "trajecten:2022:looptijd",
    ]


def test_status_counts_leave_out_the_numbers_about_the_sources():
    evidence = pd.DataFrame(
        {
            "status": ["gepubliceerd", "begrensd", "begrensd", "vastgelegd"],
            "basis": ["claim", "register", "register", ABOUT_SOURCES],
        }
    )
    counts = status_counts(evidence)
    assert counts["gepubliceerd"] == 1
    assert counts["begrensd"] == 2
    assert counts["vastgelegd"] == 0
    assert "Van de 3 getallen" in summary_sentence(counts)


def test_the_download_carries_status_and_range(ledger):
    from evalkit.publish.evidence import with_evidence_columns

    frame = pd.DataFrame({"jaar": [2022], "actief": [21], "looptijd": [6.8]})
    evidence = {
        ("2022", "actief"): ledger.quantity(ACTIVE),
        ("2022", "looptijd"): ledger.quantity(LOOPTIJD),
    }
    out = with_evidence_columns(frame, evidence, ["jaar"])
    assert list(out.columns) == [
        "jaar",
        "actief",
        "actief_status",
        "actief_min",
        "actief_max",
        "looptijd",
        "looptijd_status",
        "looptijd_min",
        "looptijd_max",
    ]
    assert out.loc[0, "looptijd_status"] == "begrensd"
    assert out.loc[0, "looptijd_max"] == pytest.approx(339 / 30)


def test_counts_of_the_sources_carry_no_marker(ledger):
    assert ledger.about_sources(148).mark == ""
    assert ledger.about_sources(148).status == "vastgelegd"
    assert range_cell(ledger.quantity(ACTIVE), compact=True) == "●"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (2023, "jaar", "2023"),
        (2, "jaar", "2"),
        (1.5, "jaar", "1,5"),
        (336000, "euro", "€\xa0336.000"),
    ],
)
def test_reconciliation_shows_a_year_as_a_year(value, unit, shown):
    from evalkit.publish.report import _shown

    assert _shown(value, unit) == shown


def test_money_tables_show_what_the_publications_establish():
    from evalkit.publish.report import budget_table, derived_table

    derived = pd.DataFrame(
        {
            "id": ["D"],
            "label": ["per fte"],
            "formule": ["A / B"],
            "waarde": [12.1],
            "eenheid": ["x"],
            "decimalen": [1],
        }
    )
    assert (
        "| per fte | 12,1 | `A / B` | ◐ begrensd |"
        in derived_table(derived, {"D": Evidence("begrensd")}).data
    )
    budget = pd.DataFrame({"jaar": [2021], "bedrag": [42000.0], "maanden": [3.0]})
    evidence = {("2021", "bedrag"): Evidence("gepubliceerd"), ("2021", "maanden"): Evidence("vrij")}
    assert "| 2021 | €\xa042.000\u202f● | 3\u202f○ |" in budget_table(budget, evidence).data
