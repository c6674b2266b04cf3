"""The opening "Voor de raad": figures from the claims registry, the quote, the conflicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pytest

from conftest import ROOT
from evalkit.compute.claims import Claim, load_registry
from evalkit.inputs.manifest import REAL_EXPORT, Manifest
from evalkit.inputs.sources import Document, load_documents
from evalkit.publish import raad


def claim(cid: str, value, unit: str, decimals: int | None = None, about: str = "") -> Claim:
    rounding = {"decimals": decimals} if decimals is not None else {}
    return Claim(cid, "doc", "q", value, unit, "2022", about, {}, rounding=rounding)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        (21, "gezinnen", None, "21 gezinnen"),
        (1, "gezinnen", None, "1 gezin"),
        (8, "wijken", None, "8 wijken"),
        (5.3, "uur per week", 1, "5,3 uur per week"),
        (5.0, "uur per week", 1, "5,0 uur per week"),
        (2, "fte", None, "2 fte"),
        (3, "medewerkers", None, "3 gezinsverzorgers"),
        (336000, "euro", None, "€\u00a0336.000"),
        (2020, "jaar", None, "2020"),
        ("2022-01", "datum", None, "januari 2022"),
        ("2024", "datum", None, "2024"),
    ],
)
def test_published_text(value, unit, decimals, text):
    assert raad.published_text(claim("X-1", value, unit, decimals)) == text


@pytest.fixture(scope="module")
def sources():
    documents = load_documents(ROOT / "data" / "sources")
    return documents, load_registry(ROOT / "data" / "claims", documents).by_id()


def test_every_fact_is_a_claim_of_the_registry_with_its_id(sources):
    _, claims = sources
    texts = raad.facts(claims)
    assert set(texts) == set(raad.FACTS)
    assert texts["raad_gezinnen_2022"] == "21 gezinnen (T23-gezinnen)"
    assert texts["raad_kosten"] == "€\u00a0336.000 (P21-kosten-totaal)"
    assert texts["raad_voorstel"] == "2020 (T23-initiatiefvoorstel)"
    assert all(t.endswith(f" ({raad.FACTS[k]})") for k, t in texts.items())


def test_unknown_claim_id_fails(sources):
    with pytest.raises(KeyError):
        raad.facts(sources[1], {"raad_x": "T23-bestaat-niet"})


def test_replaced_help_is_quoted_verbatim_from_the_tussenevaluatie(sources):
    documents, _ = sources
    quote = raad.replaced(documents)
    assert quote.document.id == "brief-2023-tussenevaluatie"
    for help_ in ("intensieve ambulante gezinsbegeleiding (IAG) van Elker", "Baby Thuiszorg"):
        assert help_ in quote.text
    text = raad.quote_html(quote)
    assert text.startswith("<blockquote><p>“In de meeste gevallen") and "29 maart 2023" in text


def test_replaced_fails_without_the_sentence():
    day = dt.date(2023, 1, 1)
    doc = Document("d", "d.txt", "T", "brief", "S", day, False, None, None, "Niets.")
    with pytest.raises(ValueError, match="vervanging"):
        raad.replaced({"d": doc})


@pytest.mark.parametrize(
    ("explanation", "line"),
    [
        ("Eerst dit. Dan 22, maar noemt 21. Slot.", "Dan 22, maar noemt 21."),
        ("55% van 21 is 11,55. 11 is 52%: geen geheel aantal.", "11 is 52%: geen geheel aantal."),
        ("Hooguit 5% heeft meer. Dat is te weinig.", "Hooguit 5% heeft meer. Dat is te weinig."),
        ("Alleen dit. En dat.", "En dat."),
        ("", ""),
    ],
)
def test_conflict_line(explanation, line):
    assert raad.conflict_line(explanation) == line


@dataclass
class FakeConflict:
    id: str
    relaxed: str
    explanation: str
    claims: tuple[str, ...] = ()


def test_conflicts_list_one_line_each_with_the_topic():
    claims = {"W-1": claim("W-1", 9, "trajecten", about="Trajecten gestart in 2023")}
    conflicts = [
        FakeConflict("C1", "W-1", "A. Dan 22, maar 21. B."),
        FakeConflict("C2", "A-interpretatie", "Samen 9, maar 8."),
        FakeConflict("C3", "A-interpretatie", "Samen 9, maar 8.", ("A-interpretatie", "W-1")),
    ]
    assert raad.conflicts_list(conflicts, claims) == (
        "<ul><li><em>Trajecten gestart in 2023</em>: dan 22, maar 21. (tegenspraak C1)</li>"
        "<li>Samen 9, maar 8. (tegenspraak C2)</li>"
        "<li><em>Trajecten gestart in 2023</em>: samen 9, maar 8. (tegenspraak C3)</li></ul>"
    )
    none = raad.conflicts_list([], claims)
    assert none == "<p>De gepubliceerde cijfers spreken elkaar nergens tegen.</p>"


def _impact(gone: dict[str, bool]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"conflict": c, "interpretation": "I-x", "disappears": d} for c, d in gone.items()]
    )


@pytest.mark.parametrize(
    ("gone", "assumption", "note"),
    [
        (
            {"C1": True, "C2": False, "C3": False, "C4": True},
            "C2",
            "<p>Drie van deze tegenspraken hangen af van hoe je een zin in de brieven leest "
            "(C1, C2 en C4): bij een andere lezing verdwijnen ze en is er een onschuldige "
            "verklaring. C3 blijft bij elke getoetste lezing bestaan.</p>",
        ),
        (
            {"C1": True, "C2": False},
            None,
            "<p>Eén tegenspraak hangt af van hoe je een zin in de brieven leest (C1): bij een "
            "andere lezing verdwijnt ze en is er een onschuldige verklaring. C2 blijft bij elke "
            "getoetste lezing bestaan.</p>",
        ),
        (
            {"C1": False},
            None,
            "<p>Geen van deze tegenspraken hangt af van hoe je een zin leest: ze blijven bij "
            "elke getoetste lezing bestaan.</p>",
        ),
    ],
)
def test_readings_note_says_which_contradictions_rest_on_a_reading(gone, assumption, note):
    # C2 of the book contains the assumption A-wijken-zonder-2023 itself: it rests on it.
    conflicts = [
        FakeConflict(c, "W-1", "", ("A-wijken", "W-1") if c == assumption else ("W-1",))
        for c in gone
    ]
    assert raad.readings_note(conflicts, _impact(gone)) == note
    assert raad.readings_note(conflicts, None) == ""


@pytest.mark.parametrize(
    ("relaxed", "text"),
    [
        ("W-1", "9 trajecten (W-1; klopt niet met de andere cijfers, zie tegenspraak C1)"),
        ("W-2", "9 trajecten (W-1)"),
    ],
)
def test_a_figure_the_register_gives_up_is_never_stated_as_a_fact(relaxed, text):
    claims = {"W-1": claim("W-1", 9, "trajecten", about="Trajecten gestart in 2023")}
    conflicts = [FakeConflict("C1", relaxed, "")]
    assert raad.facts(claims, {"raad_gestart": "W-1"}, conflicts) == {"raad_gestart": text}


@pytest.mark.parametrize(
    ("manifest", "says", "never"),
    [
        (Manifest(synthetic=True, title="t"), "<strong>synthetisch</strong>", "van WIJ"),
        (REAL_EXPORT, "Dat is het casusregister van WIJ Groningen", "synthetisch"),
    ],
)
def test_limits_follow_the_kind_of_register(manifest, says, never):
    text = raad.limits(manifest)
    assert says in text and never not in text
    assert raad.NO_REGISTER in text
