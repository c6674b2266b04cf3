"""Evidence of shown numbers: statuses from a hand-made bounds table, markers, coverage."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
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
    published_evidence,
    range_cell,
    reconciliation_evidence,
    shown_kind,
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
    ("parts", "status", "lo", "hi", "exact", "basis"),
    [
        ((ACTIVE, CARRIED), "vastgelegd", 21, 21, True, "som van grootheden van het register"),
        # one part varies: the others are the same in every register, the range is exact
        (
            (CARRIED, ACTIVE, STARTED),
            "begrensd",
            27,
            30,
            True,
            "som van grootheden van het register",
        ),
        # two vary: the sum of the minima need not be reached by one register
        (
            (STARTED, LOOPTIJD),
            "begrensd",
            6 + 61 / 30,
            9 + 339 / 30,
            False,
            "buitengrens: som van de bereiken van de delen",
        ),
        (
            (STARTED, DE_WIJERT),
            "begrensd",
            6,
            10,
            False,
            "buitengrens: som van de bereiken van de delen",
        ),
    ],
)
def test_sum_of_quantities(ledger, parts, status, lo, hi, exact, basis):
    ev = ledger.total([ledger.quantity(q) for q in parts])
    assert (ev.status, ev.exact, ev.basis) == (status, exact, basis)
    assert (ev.min, ev.max) == (pytest.approx(lo), pytest.approx(hi))
    assert ev.quantity == "som(" + " + ".join(quantity_key(q) for q in parts) + ")"


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


#: Rows of evidence.csv: (notebook, key, status, basis, quantity, date).
SHOWN = [
    # the same register figure in the text and in a table, and in a second chapter: once
    ("jaar-2022", "actief", "gepubliceerd", "claim", "count_active(jaar=2022)", False),
    (
        "jaar-2022",
        "trajecten-2022:2022:actief",
        "gepubliceerd",
        "claim",
        "count_active(jaar=2022)",
        False,
    ),
    (
        "consistentie",
        "consistency:C1 W23-actief-2022:published",
        "gepubliceerd",
        "claim",
        "count_active(jaar=2022)",
        False,
    ),
    # one quantity, two numbers: the published 9 and the register's 8
    (
        "consistentie",
        "consistency:C1 W23-gestart-2023:published",
        "gepubliceerd",
        "claim",
        "count_started(jaar=2023)",
        False,
    ),
    ("jaar-2023", "gestart", "vastgelegd", "register", "count_started(jaar=2023)", False),
    # two different figures with the same range: two
    (
        "jaar-2023",
        "wijken-2023:Haren:gezinnen",
        "begrensd",
        "register",
        "wijk_counts(jaar=2023)[Haren]",
        False,
    ),
    (
        "jaar-2023",
        "wijken-2023:Selwerd:gezinnen",
        "begrensd",
        "register",
        "wijk_counts(jaar=2023)[Selwerd]",
        False,
    ),
    # no quantity: counted by its key, so the same table in two chapters is one figure
    ("overzicht", "kosten:1:uren", "vrij", "niet in het model", "", False),
    ("vergelijking", "kosten:1:uren", "vrij", "niet in het model", "", False),
    ("financien", "per_uur", "vrij", "niet in het model", "", False),
    # left out: a count of the sources, a date, and every row of an appendix
    ("overzicht", "n_claims", "vastgelegd", ABOUT_SOURCES, "", False),
    (
        "tijdlijn",
        "tijdlijn:nov 2020 · Initiatiefvoorstel:datum",
        "gepubliceerd",
        "claim",
        "claim:P21-i",
        True,
    ),
    (
        "verantwoording",
        "reconciliation:W23-actief-2022:recomputed",
        "vastgelegd",
        "register",
        "count_active(jaar=2022)",
        False,
    ),
    (
        "verantwoording",
        "reconciliation:X-fte:published",
        "gepubliceerd",
        "claim",
        "claim:X-fte",
        False,
    ),
]


def test_status_counts_count_each_figure_of_the_chapters_once():
    evidence = pd.DataFrame(
        SHOWN, columns=["notebook", "key", "status", "basis", "quantity", "date"]
    )
    counts = status_counts(evidence, leave_out={"verantwoording", "bronnen"})
    assert counts == {
        "gepubliceerd": 2,
        "vastgelegd": 1,
        "begrensd": 2,
        "vrij": 2,
        "gemeten": 0,
        "onbeslist": 0,
    }
    # without leaving the appendix out, its recomputed value and its published-only claim count
    assert status_counts(evidence)["vastgelegd"] == 2
    assert status_counts(evidence)["gepubliceerd"] == 3
    # evidence.csv read back as text: "False"/"True"
    as_text = evidence.astype({"date": str})
    assert status_counts(as_text, leave_out={"verantwoording"}) == counts
    sentence = summary_sentence(counts)
    assert sentence.startswith("Van de 7 cijfers over de pilot en de jeugdhulp die de hoofdstukken")
    assert "elk cijfer één keer geteld" in sentence


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


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("12 %", "getal"),
        ("29%", "getal"),
        ("€ 1.234", "getal"),
        ("€\xa0336.000", "getal"),
        ("9", "getal"),
        ("5,3", "getal"),
        ("5.252380952380952", "getal"),  # as a CSV holds it
        ("≥ 90%", "getal"),  # a threshold
        (21, "getal"),
        (6.8, "getal"),
        (np.int64(21), "getal"),  # a cell of a numeric column
        (np.bool_(True), ""),  # a flag
        ("2020-11", "datum"),
        ("2021-01-20", "datum"),
        ("2024-Q1", "datum"),
        ("K1 2024", "datum"),
        ("nov 2020", "datum"),
        ("20 jan 2021", "datum"),
        ("15 december 2023", "datum"),
        ("15-9-2021", "datum"),
        ("2022", "datum"),  # a year alone: a date, not a figure
        ("1.0.4", ""),  # a version
        ("3.11.7", ""),
        ("076bd919e9e2", ""),  # a hash
        ("2020-13", ""),
        ("P21-a + P21-b == P21-c", ""),
        ("Beijum", ""),
        ("–", ""),
        ("", ""),
        (True, ""),
        ("True", ""),
        (float("nan"), ""),
        (None, ""),
    ],
)
def test_shown_kind(value, kind):
    assert shown_kind(value) == kind


def test_uncovered_checks_every_cell_of_a_mixed_table():
    """Text, dates and numbers in one column: every figure and date needs its row."""
    table = pd.DataFrame(
        {
            "claim_id": ["A", "B", "C", "D", "E"],
            "quote": ["29 maart 2023", "12 gezinnen", "x", "y", "z"],
            "published": ["2020-11", "12", "A + B == C", "≥ 90%", "2022"],
            "recomputed": ["", "12.4", "True", "95.2", ""],
            "recomputed_status": ["", "begrensd", "", "vastgelegd", ""],
            "procent": [None, 12.4, None, 95.2, None],
            "procent_tekst": ["", "12 %", "", "95 %", ""],
        }
    )
    table.attrs |= {"labels": ["claim_id"], "exempt": ["quote"]}
    evidence = pd.DataFrame(
        {
            "notebook": ["verantwoording"] * 4,
            "key": ["t:A:published", "t:B:published", "t:B:recomputed", "t:B:procent"],
        }
    )
    empty = pd.DataFrame(columns=["notebook", "key", "text"])
    assert uncovered(empty, {"t": table}, evidence) == [
        "t:D:published",
        "t:E:published",  # a published year is a date shown
        "t:D:recomputed",
        "t:D:procent",
        "t:D:procent_tekst",  # the printed form is covered by the row of its column
    ]
    # Without the exemption a quote that is a date alone looks like a shown date; a quote with
    # a number in it is text.
    table.attrs["exempt"] = []
    assert uncovered(empty, {"t": table}, evidence)[0] == "t:A:quote"
    assert "t:B:quote" not in uncovered(empty, {"t": table}, evidence)


def rclaim(cid, value, recompute, unit="gezinnen", rounding=None):
    return Claim(
        cid, "doc", f"quote {cid}", value, unit, "2022", "about", recompute, {}, rounding or {}
    )


HOURS = {"metric": "mean_hours", "args": {"jaar": 2022}}
KIND1 = {"distribution": "family_size_counts", "args": {"jaar": 2022}, "element": 1}
KIND2 = KIND1 | {"element": 2}


def percent_of(cid, value, q):
    """A claim publishing ``q`` as a percentage of the year's families."""
    r = {"distribution": q["distribution"], "args": q["args"], "key": q["element"]}
    return rclaim(cid, value, r | {"as": "percent"}, "procent")


SHARE = {"metric": "share_all_children_below", "args": {"jaar": 2022, "age": 12}}
RECOMPUTED = Registry(
    (
        rclaim("W-actief", 21, ACTIVE),
        rclaim("W-uren", 5.3, HOURS, "uren", {"decimals": 1}),
        percent_of("W-kind1", 29, KIND1),
        percent_of("W-kind2", 33, KIND2),
        rclaim("W-gestart", 9, STARTED),
        rclaim("T-jong", 12, SHARE | {"expect": {"min": 0.9}}, "jaar"),
        rclaim("T-start", "2022-01", {"metric": "first_start_month"}, "datum"),
        rclaim("P-budget", 336000, {"sourced": "begroting"}, "euro"),
    ),
    (),
    (),
)
RECOMPUTED_BOUNDS = pd.DataFrame(
    [
        bounds_row(ACTIVE, 21, 21, "gepubliceerd", claims="W-actief"),
        bounds_row(HOURS, "21/4", "107/20", "gepubliceerd", exact=False, claims="W-uren"),
        bounds_row(KIND1 | {"as": "percent"}, 28, 30, "gepubliceerd", False, "W-kind1"),
        bounds_row(KIND1, 6, 6, "vastgelegd"),
        bounds_row(KIND2, 6, 7, "begrensd"),
        bounds_row(STARTED, 8, 8, "vastgelegd"),  # W-gestart is relaxed: solved without it
        bounds_row(SHARE, "20/21", "20/21", "vastgelegd"),
    ],
    columns=COLUMNS,
)


@pytest.mark.parametrize(
    ("cid", "relaxed", "status", "lo", "hi", "exact", "date"),
    [
        ("W-actief", (), "vastgelegd", 21, 21, True, False),  # a kept count fixes itself
        ("W-uren", (), "begrensd", 5.25, 5.35, False, False),  # a kept mean: its rounding
        # a percentage: the exact one, the count's range over 21 families (fixed: so is its
        # rounding); not the published interval of 28 to 30
        ("W-kind1", (), "vastgelegd", 600 / 21, 600 / 21, True, False),
        ("W-kind2", (), "begrensd", 600 / 21, 700 / 21, True, False),
        ("W-gestart", ("W-gestart",), "vastgelegd", 8, 8, True, False),  # relaxed: the bounds
        ("T-jong", (), "vastgelegd", 100 * 20 / 21, 100 * 20 / 21, True, False),  # a share, in %
        ("T-start", (), "vastgelegd", None, None, True, True),  # kept date, no bounds row
        ("T-start", ("T-start",), "onbeslist", None, None, False, True),
        ("T-start", None, "onbeslist", None, None, False, True),  # not known what is kept
    ],
)
def test_recomputed_value_of_a_claim(cid, relaxed, status, lo, hi, exact, date):
    ev = Ledger(RECOMPUTED_BOUNDS, RECOMPUTED, relaxed=relaxed).recomputed(cid)
    assert (ev.status, ev.exact, ev.date) == (status, exact, date)
    assert ev.min == (pytest.approx(lo) if lo is not None else None)
    assert ev.max == (pytest.approx(hi) if hi is not None else None)
    if status != "onbeslist":
        assert ev.claims[0] == cid


def test_recomputed_without_bounds_or_with_a_real_register():
    assert Ledger(None, RECOMPUTED, relaxed=()).recomputed("W-actief").status == "onbeslist"
    measured = Ledger(None, RECOMPUTED, measured=True).recomputed("W-actief")
    assert (measured.status, measured.mark) == ("gemeten", "")


def test_reconciliation_evidence_per_cell():
    table = pd.DataFrame(
        {
            "claim_id": ["W-actief", "W-uren", "T-jong", "P-budget", "W-som"],
            "published": [21, 5.3, "≥ 90%", 336000, "W-actief == 21"],
            "recomputed": [21, 5.252, 95.2, None, True],
        }
    )
    ledger = Ledger(RECOMPUTED_BOUNDS, RECOMPUTED, relaxed=())
    ev = reconciliation_evidence(table, ledger)
    assert {k: (e.status, e.mark) for k, e in ev.items()} == {
        ("W-actief", "published"): ("gepubliceerd", "●"),
        ("W-actief", "recomputed"): ("vastgelegd", "◆"),
        ("W-uren", "published"): ("gepubliceerd", "●"),
        ("W-uren", "recomputed"): ("begrensd", "◐"),
        ("T-jong", "published"): ("gepubliceerd", "●"),
        ("T-jong", "recomputed"): ("vastgelegd", "◆"),
        ("P-budget", "published"): ("gepubliceerd", "●"),
        # the check's formula and truth are no numbers; a sourced claim has no recomputed value
    }
    assert ev[("T-jong", "published")].min is None  # the word's reading, not the quote's 12
    assert ev[("W-actief", "published")].quantity == ev[("W-actief", "recomputed")].quantity


@pytest.mark.parametrize(
    ("cid", "quantity", "date"),
    [
        ("W-actief", "count_active(jaar=2022)", False),  # the register quantity it recomputes
        ("W-kind1", "family_size_counts(jaar=2022)[1] %", False),
        ("P-budget", "claim:P-budget", False),  # a figure only a letter has
        ("T-jong", "claim:T-jong", False),  # a threshold publishes no value of the share
        ("T-start", "claim:T-start", True),
    ],
)
def test_a_published_figure_names_what_it_is_a_value_of(cid, quantity, date):
    ev = published_evidence(Ledger(None, RECOMPUTED), [cid, "onbekend"])
    assert list(ev) == [(cid, "published")]
    assert (ev[(cid, "published")].quantity, ev[(cid, "published")].date) == (quantity, date)
    assert ev[(cid, "published")].status == "gepubliceerd"


def test_a_register_quantity_and_its_published_claim_are_one_figure(ledger):
    assert ledger.quantity(ACTIVE).quantity == "count_active(jaar=2022)"
    assert ledger.metric("count_active", jaar=2022).quantity == quantity_key(ACTIVE)
    assert ledger.derived_from_formula(14000, "X-budget / (12 * X-maanden)").quantity == (
        ledger.derived(14000, ["X-budget", "X-maanden"]).quantity
    )


def test_the_appendix_marks_each_recomputed_value():
    from types import SimpleNamespace

    from evalkit.publish.report import reconciliation_by_document

    table = pd.DataFrame(
        {
            "claim_id": ["W-actief", "W-uren", "P-budget", "W-som"],
            "document": ["doc"] * 4,
            "quote": ["q"] * 4,
            "published": [21, 5.3, 336000, "W-actief == 21"],
            "recomputed": [21, 5.252, None, True],
            "status": ["exact", "rounding", "sourced", "exact"],
            "explanation": [""] * 4,
        }
    )
    doc = SimpleNamespace(id="doc", title="Brief")
    ctx = SimpleNamespace(reconciliation=table, registry=RECOMPUTED, documents={"doc": doc})
    evidence = reconciliation_evidence(table, Ledger(RECOMPUTED_BOUNDS, RECOMPUTED, relaxed=()))
    rows = [
        line.split("\n  - ")
        for line in reconciliation_by_document(ctx, evidence).data.split("\n* - ")[2:]
    ]
    # Code, quote, published, recomputed (with its marker), status (what the filter reads)
    assert [r[2:5] for r in rows] == [
        ["21", "21\u202f◆", "✔ klopt precies"],
        ["5,3", "5,252\u202f◐", "≈ klopt na afronding"],
        ["€\xa0336.000", "–", "· bron, niet herberekend"],
        ["W-actief == 21", "waar", "✔ klopt precies"],
    ]
    plain = reconciliation_by_document(ctx).data
    assert "◆" not in plain and "21\n  - 21\n" in plain


@pytest.mark.parametrize(
    ("recompute", "value", "quantity"),
    [
        (ACTIVE, 21, ACTIVE),
        (
            {
                "distribution": "family_size_counts",
                "args": {"jaar": 2022},
                "key": 1,
                "as": "percent",
            },
            29,
            KIND1 | {"as": "percent"},
        ),
        (SHARE | {"expect": {"min": 0.9}}, 12, SHARE),  # the share behind the threshold
        (
            {"metric": "count_multiple_age_categories", "args": {"jaar": 2023}, "as": "percent"}
            | {"base": {"metric": "count_active", "args": {"jaar": 2023}}},
            55,
            {"metric": "count_multiple_age_categories", "args": {"jaar": 2023}, "as": "percent"},
        ),
        # a percentage of something else than the year's families is no quantity of the bounds
        (
            {"metric": "count_closed", "args": {"jaar": 2023}, "as": "percent"}
            | {"base": {"metric": "count_started", "args": {"jaar": 2023}}},
            50,
            None,
        ),
        ({"metric": "first_start_month"}, "2022-01", None),  # a date
        ({"sourced": "begroting"}, 336000, None),
    ],
)
def test_claim_quantity(recompute, value, quantity):
    from evalkit.solver.bounds import claim_quantity

    assert claim_quantity(rclaim("X", value, recompute)) == quantity


def test_the_bounds_cover_every_recomputed_claim(root, reference):
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.sources import load_documents
    from evalkit.solver.bounds import chapter_quantities, claim_quantity

    registry = load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))
    quantities = chapter_quantities(registry, reference)
    own = [claim_quantity(c) for c in registry.claims if not c.sourced]
    assert len([q for q in own if q is not None]) == len(own) - 1  # T23-start: a date
    assert {quantity_key(q) for q in own if q is not None} <= set(quantities)
    assert len(quantities) == 178


@pytest.mark.parametrize(
    ("evidence", "decimals", "status"),
    [
        # "zo'n 10" (published without decimals) shown as 9,5: only bounded by the rounding.
        (Evidence("gepubliceerd", 9.5, 10.5), 1, "begrensd"),
        (Evidence("gepubliceerd", 9.5, 10.5), 0, "gepubliceerd"),
        # 5,3 published with one decimal, shown with one: the published number itself.
        (Evidence("gepubliceerd", 5.25, 5.35), 1, "gepubliceerd"),
        (Evidence("gepubliceerd", 21.0, 21.0), 1, "gepubliceerd"),
        (Evidence("gepubliceerd"), 1, "gepubliceerd"),  # no interval known
        (Evidence("vastgelegd", 8.0, 8.0), 1, "vastgelegd"),
        (Evidence("begrensd", 2.0, 11.2), 1, "begrensd"),
    ],
)
def test_a_published_figure_shown_more_precisely_is_only_bounded(evidence, decimals, status):
    shown = evidence.shown_at(decimals)
    assert shown.status == status
    assert (shown.min, shown.max) == (evidence.min, evidence.max)
    if status != evidence.status:
        assert what_follows(shown, "gezinnen", "De gemiddelde caseload") == (
            "De gemiddelde caseload is afgerond gepubliceerd; uit de brieven volgt alleen dat "
            "die tussen 9,5 en 10,5 gezinnen lag."
        )


@pytest.mark.parametrize(
    ("subject", "pronoun"), [("Het bedrag per uur", "het"), ("De gemiddelde caseload", "die")]
)
def test_what_follows_takes_the_pronoun_of_its_subject(subject, pronoun):
    assert f"de brieven leggen {pronoun} niet vast" in what_follows(Evidence("vrij"), "", subject)
    bounded = what_follows(Evidence("begrensd", 1.0, 2.0), "", subject)
    assert f"volgt alleen dat {pronoun} tussen" in bounded
