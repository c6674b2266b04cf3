"""The consistency chapter's titles and sentences, against the known conflicts of the claims."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from evalkit.compute.claims import Claim, Registry, load_registry
from evalkit.inputs.sources import load_documents
from evalkit.publish.consistency import (
    INNOCENT,
    Audit,
    best_ways_out,
    conflict_title,
    correction_sentence,
    details_markdown,
    downstream_sentence,
    enumeration_sentence,
    money_sentence,
    readings_sentence,
    trajecten_range,
)
from evalkit.publish.evidence import Ledger
from evalkit.solver.audit import CORRECTION_COLUMNS, Conflict, Enumeration
from evalkit.solver.model import INTERPRETATIONS


@pytest.fixture(scope="module")
def claims(root):
    return load_registry(root / "data" / "claims", load_documents(root / "data" / "sources"))


# The four conflicts the audit finds in the published figures (their claims, as in the audit).
FLOW = ("T23-afgesloten", "W23-h1-2022", "W23-h2-2022", "W23-actief-2023", "W23-gestart-2023")
WIJK = (
    "A-wijken-zonder-2023",
    "T23-afgesloten",
    "T23-beijum",
    "W23-wijk-selwerd-2022",
    "W23-wijk-cdh-2022",
    "W23-wijk-selwerd-2023",
    "W23-wijk-beijum-2023",
    "W23-wijk-cdh-2023",
    "W23-wijk-wijert-2023",
    "W23-wijk-tenboer-2023",
)
PERCENT = ("W23-actief-2023", "W23-meerdere-2023")
AGES = (*(f"W23-kind{k}-2023" for k in (1, 2, 3, 4)), "W23-alle-categorieen-2023")


@pytest.mark.parametrize(
    ("ids", "title"),
    [
        (FLOW, "Minder gezinnen in 2023 dan in- en uitstroom opleveren"),
        (WIJK, "Meer trajecten uit de wijken verdwenen dan er in 2022 werden afgesloten"),
        (PERCENT, "55% van 21 gezinnen is geen heel aantal gezinnen"),
        (
            AGES,
            "Te weinig grote gezinnen voor 3 gezinnen met kinderen uit alle leeftijdscategorieën",
        ),
        # A fallback names the subjects of the first two figures.
        (
            ("W23-actief-2022", "T23-afgesloten"),
            "Tegenstrijdige cijfers over gezinnen met een actief traject in 2022 en "
            "trajecten afgesloten in 2022",
        ),
    ],
)
def test_conflict_title(claims, ids, title):
    assert conflict_title(Conflict("C1", ids, ids[-1], ""), claims.by_id()) == title


def _flow(active_2023: int) -> dict[str, Claim]:
    def c(cid, value, metric, **args):
        return Claim(
            cid, "toy", "q", value, "gezinnen", "2023", cid, {"metric": metric, "args": args}
        )

    return {
        x.id: x
        for x in (
            c("a22", 10, "count_active", jaar=2022),
            c("g22", 3, "count_closed", jaar=2022),
            c("s23", 2, "count_started", jaar=2023),
            c("a23", active_2023, "count_active", jaar=2023),
        )
    }


@pytest.mark.parametrize(
    ("active_2023", "title"),
    [
        (10, "Meer gezinnen in 2023 dan de instroom toelaat"),  # 10 - 3 + 2 = 9 < 10
        (8, "Minder gezinnen in 2023 dan in- en uitstroom opleveren"),
    ],
)
def test_flow_title_follows_the_direction(active_2023, title):
    claims = _flow(active_2023)
    assert conflict_title(Conflict("C1", tuple(claims), "s23", ""), claims) == title


def impact(conflict: str, gone: set[str], undecided: frozenset = frozenset()) -> pd.DataFrame:
    rows = [
        {
            "conflict": conflict,
            "interpretation": i.id,
            "verdict": "onbeslist"
            if i.id in undecided
            else ("bewezen haalbaar" if i.id in gone else "bewezen tegenstrijdig"),
            "disappears": i.id in gone,
        }
        for i in INTERPRETATIONS
    ]
    return pd.DataFrame(rows)


def test_every_interpretation_has_an_innocent_explanation():
    assert {i.id for i in INTERPRETATIONS} <= set(INNOCENT)


@pytest.mark.parametrize(
    ("ids", "gone", "undecided", "expected", "absent"),
    [
        (
            FLOW,
            {"I-een-traject-per-gezin"},
            frozenset(),
            ["(`I-een-traject-per-gezin`)", "een gezin had twee trajecten"],
            ["rust op geen", "onbeslist"],
        ),
        # The assumption in the conflict counts as a reading it rests on.
        (WIJK, set(), frozenset(), ["(`A-wijken-zonder-2023`)", "ook in 2022 geen"], ["geen van"]),
        (PERCENT, set(), frozenset(), ["rust op geen van de getoetste"], ["onschuldige"]),
        (
            AGES,
            {"I-eigen-leeftijdsindeling"},
            frozenset({"I-vrijwel-alle"}),
            ["anders dan haar eigen", "Zonder `I-vrijwel-alle` is het oordeel onbeslist binnen"],
            ["tegenstrijdig"],
        ),
    ],
)
def test_readings_sentence(ids, gone, undecided, expected, absent):
    text = readings_sentence(Conflict("C1", ids, ids[-1], ""), impact("C1", gone, undecided))
    for part in expected:
        assert part in text
    for part in absent:
        assert part not in text


CORRECTIONS = pd.DataFrame(
    [
        # conflict, set, claim, published, nearest, direction, verdict, min, max
        ("C1", "C1-MCS1", "W23-gestart-2023", 9, 8, "lager", "bewezen haalbaar", "0", "8"),
        ("C1", "C1-MCS2", "W23-actief-2023", 21, 22, "hoger", "bewezen haalbaar", "22", "22"),
        ("C1", "C1-MCS3", "W23-h1-2022", 12, None, None, "onbeslist", "", ""),
        ("C1", "C1-MCS4", "W23-h2-2022", 9, None, None, "bewezen tegenstrijdig", "10", "10"),
        ("C1", "C1-MCS5", "A-wijken-zonder-2023", None, None, None, "bewezen haalbaar", "", ""),
        ("C1", "C1-MCS6", "T23-afgesloten", 8, 7, "lager", "bewezen haalbaar", "7", "7"),
        ("C1", "C1-MCS6", "W23-h1-2022", 12, 13, "hoger", "bewezen haalbaar", "13", "13"),
    ],
    columns=CORRECTION_COLUMNS,
)


@pytest.mark.parametrize(
    ("row", "sentence"),
    [
        (
            0,
            "Trajecten gestart in 2023 (`W23-gestart-2023`): als dit getal fout is, was het "
            "waarschijnlijk 8 trajecten in plaats van 9 trajecten (bewezen haalbaar)",
        ),
        (
            2,
            "Trajecten gestart in het eerste half jaar van 2022 (`W23-h1-2022`): onbeslist binnen "
            "de tijdslimiet",
        ),
        (
            3,
            "Trajecten gestart in het tweede half jaar van 2022 (`W23-h2-2022`): geen waarde vlak "
            "bij 9 gezinnen past (bewezen tegenstrijdig)",
        ),
        (4, "de interpretatie `A-wijken-zonder-2023` laten vallen (bewezen haalbaar)"),
    ],
)
def test_correction_sentence(claims, row, sentence):
    assert correction_sentence(CORRECTIONS.iloc[row].to_dict(), claims.by_id()) == sentence


def test_best_ways_out_are_the_proven_single_figures(claims):
    flow = Conflict("C1", FLOW, "W23-gestart-2023", "")
    best = best_ways_out(flow, CORRECTIONS, claims.by_id())
    # Not the undecided one, not the one without a value, not the pair.
    assert [re.search(r"`([^`]+)`", b).group(1) for b in best] == [
        "W23-gestart-2023",
        "W23-actief-2023",
        "A-wijken-zonder-2023",
    ]


def bounds(**parts: tuple[int, int]) -> pd.DataFrame:
    """A bounds table with the trajecten parts (count_carried_over 2022, count_started 2022/3)."""
    from evalkit.solver.bounds import quantity_key

    rows = []
    for name, (lo, hi) in parts.items():
        metric, jaar = name.rsplit("_", 1)
        key = quantity_key({"metric": metric, "args": {"jaar": int(jaar)}})
        rows.append(
            {
                "key": key,
                "status": "vastgelegd" if lo == hi else "begrensd",
                "min": lo,
                "max": hi,
                "min_exact": str(lo),
                "max_exact": str(hi),
                "exact": True,
                "claims": "",
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("started_2023", "expected"),
    [
        # The kept claims fix 8 starts in 2023 (29 trajecten); the published 9 gives 30.
        ((8, 8), ("29", "30")),
        # Where the published 9 lies within the range, the conflict does not touch the total.
        ((8, 9), None),
    ],
)
def test_trajecten_range_widens_by_the_published_start_count(claims, started_2023, expected):
    ledger = Ledger(
        bounds(
            count_carried_over_2022=(0, 0),
            count_started_2022=(21, 21),
            count_started_2023=started_2023,
        ),
        claims,
    )
    span = trajecten_range(
        Conflict("C1", FLOW, "W23-gestart-2023", ""), claims.by_id(), ledger, [2022, 2023]
    )
    assert (span and tuple(str(x) for x in span)) == expected or span == expected


def test_downstream_sentence_shows_the_per_gezin_range(claims):
    ledger = Ledger(
        bounds(
            count_carried_over_2022=(0, 0), count_started_2022=(21, 21), count_started_2023=(8, 8)
        ),
        claims,
    )
    flow = Conflict("C1", FLOW, "W23-gestart-2023", "")
    text = downstream_sentence(flow, claims.by_id(), ledger, [2022, 2023], 300000.0)
    # 300.000 / 30 and 300.000 / 29
    assert "29 tot 30 trajecten" in text
    assert "€\xa010.000 tot €\xa010.345" in text
    percent = Conflict("C3", PERCENT, "W23-meerdere-2023", "")
    assert downstream_sentence(percent, claims.by_id(), ledger, [2022, 2023], 300000.0) == ""
    # The money chapter names the contradiction its number of gezinnen depends on.
    money = money_sentence([percent, flow], claims.by_id(), ledger, [2022, 2023], 300000.0)
    assert money.startswith("Het aantal trajecten hangt wel af van tegenspraak C1 in de brieven")
    assert "29 tot 30 trajecten" in money and "€\xa010.000 tot €\xa010.345" in money
    assert money_sentence([percent], claims.by_id(), ledger, [2022, 2023], 300000.0) == ""


def test_details_fold_the_full_lists_away_from_print(claims):
    audit = Audit(
        (Enumeration("C1", [FLOW], [("W23-gestart-2023",), ("W23-actief-2023",)], True, 7),),
        CORRECTIONS,
        impact("C1", {"I-een-traject-per-gezin"}),
    )
    text = details_markdown(Conflict("C1", FLOW, "W23-gestart-2023", ""), audit, claims.by_id())
    assert ":class: dropdown evalkit-technisch" in text
    assert "Er zijn 2 minimale manieren om de tegenspraak op te heffen. Met één aanpassing:" in text
    assert "2 getallen samen fout: Trajecten afgesloten in 2022" in text
    assert "De opsomming is volledig." in text


@pytest.mark.parametrize(
    ("complete", "proven", "part"),
    [
        (True, 9, "De audit zoekt ze allemaal op: 2 minimale"),
        (False, 0, "Voor C1 stopte de opsomming bij de grens van het aantal toetsen"),
        (False, 1, "Voor C1 zijn zeker alle correcties van één getal gevonden; er kunnen meer"),
        (False, 2, "Voor C1 zijn zeker alle correcties van hooguit 2 getallen gevonden"),
    ],
)
def test_enumeration_sentence(complete, proven, part):
    audit = Audit(
        (Enumeration("C1", [FLOW, PERCENT], [("a",), ("b",)], complete, 9, proven),),
        CORRECTIONS,
        impact("C1", set()),
    )
    text = enumeration_sentence(audit)
    assert "2 minimale tegenstrijdige verzamelingen en 2 kleinste" in text and part in text
    assert enumeration_sentence(None) == "De audit toont er per tegenspraak één."


def test_enumeration_sentence_names_what_is_proven_per_conflict():
    audit = Audit(
        (
            Enumeration("C1", [FLOW], [("a",)], False, 60, 1),
            Enumeration("C2", [FLOW], [("b",)], False, 60, 1),
            Enumeration("C4", [PERCENT], [("c",)], True, 11, 5),
        ),
        CORRECTIONS,
        impact("C1", set()),
    )
    text = enumeration_sentence(audit)
    assert "Voor C4 is de opsomming volledig." in text
    assert "Voor C1 en C2 zijn zeker alle correcties van één getal gevonden" in text
    assert "allemaal op" not in text


def test_details_say_which_corrections_are_proven(claims):
    e = Enumeration("C1", [FLOW], [("W23-gestart-2023",), ("W23-actief-2023",)], False, 60, 1)
    audit = Audit((e,), CORRECTIONS, impact("C1", set()))
    text = details_markdown(Conflict("C1", FLOW, "W23-gestart-2023", ""), audit, claims.by_id())
    assert (
        "Daarmee zijn alle manieren met één getal gevonden; manieren met meer getallen zijn "
        "niet allemaal gezocht." in text
    )
    assert "Alle correctiesets van één getal zijn gevonden (bewezen)" in text


def test_no_synthetic_wording_in_the_sentences(claims):
    registry: Registry = claims
    flow = Conflict("C1", FLOW, "W23-gestart-2023", "")
    audit = Audit(
        (Enumeration("C1", [FLOW], [("W23-gestart-2023",)], True, 3),),
        CORRECTIONS,
        impact("C1", set()),
    )
    assert "synthet" not in details_markdown(flow, audit, registry.by_id()).lower()


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (
            True,
            [
                "een begin in oktober 2021, gepubliceerd is januari 2022 (`T23-start`)",
                "een einde in september 2023, gepubliceerd is 2024 (`B23-einde-pilot`)",
                "geen tegenspraak tussen gepubliceerde getallen; zonder deze lezing verdwijnt het",
                "niet gelijkmatig per maand besteed",
            ],
        ),
        (False, []),  # without the reading the amounts imply no month: nothing to say
    ],
)
def test_spend_sentence(root, claims, on, expected):
    from evalkit.compute.context import FLAT_SPEND, phasing_checks
    from evalkit.publish.consistency import spend_sentence

    path = root / "data" / "context" / "financien.yaml"
    checks = phasing_checks(path, claims, FLAT_SPEND.switched(on))
    dropped = phasing_checks(path, claims, FLAT_SPEND.switched(False))
    text = spend_sentence(checks, dropped, claims.by_id())
    assert all(part in text for part in expected) and (text == "") == (not expected)


@pytest.mark.parametrize(
    ("mcs", "complete", "expected"),
    [
        (
            [("W23-gestart-2023",)],
            False,
            "Binnen de grens van het aantal toetsen is er 1 minimale "
            "manier gevonden om de tegenspraak op te heffen. Met één aanpassing:",
        ),
        ([], False, "nog geen kleinste verzameling"),
        # Four single-figure ways: three in the text, the fourth folded.
        (
            [("W23-gestart-2023",), ("W23-actief-2023",), ("A-wijken-zonder-2023",), ("x",)],
            True,
            "Er zijn 4 minimale manieren om de tegenspraak op te heffen. Met één aanpassing (hier "
            "3 van de 4; de andere staan in de webversie en in corrections.csv):",
        ),
    ],
)
def test_ways_out_paragraph(claims, mcs, complete, expected):
    extra = pd.DataFrame(
        [("C1", "C1-MCS9", "W23-actief-2022", 21, 22, "hoger", "bewezen haalbaar", "22", "22")],
        columns=CORRECTIONS.columns,
    )
    # No correction set, no corrections rows (the table of the real C2).
    table = {0: CORRECTIONS.iloc[:0], 4: pd.concat([CORRECTIONS, extra])}.get(len(mcs), CORRECTIONS)
    audit = Audit((Enumeration("C1", [FLOW], mcs, complete, 60),), table, impact("C1", set()))
    text = details_markdown(Conflict("C1", FLOW, "W23-gestart-2023", ""), audit, claims.by_id())
    assert expected in text
    if not mcs:
        assert "- nog geen" in text
