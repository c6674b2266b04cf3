"""The claims registry: verbatim quotes, complete coverage, and validation that can fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from evalkit.compute.claims import (
    evaluate_check,
    formula_names,
    load_registry,
    uncovered_tokens,
    value_expression,
)
from evalkit.inputs.errors import InputError
from evalkit.inputs.sources import find_quote, load_documents

SOURCES = ROOT / "data" / "sources"
CLAIMS = ROOT / "data" / "claims"


@pytest.fixture(scope="module")
def documents():
    return load_documents(SOURCES)


@pytest.fixture(scope="module")
def registry(documents):
    return load_registry(CLAIMS, documents)


def test_every_document_has_claims(registry, documents):
    assert {c.document for c in registry.claims} == set(documents)


def test_every_quote_occurs_verbatim(registry, documents):
    missing = [c.id for c in registry.claims if not find_quote(documents[c.document].text, c.quote)]
    assert missing == []


def test_every_value_occurs_in_its_quote(registry):
    assert [c.id for c in registry.claims if value_expression(c) is None] == []


@pytest.mark.parametrize(
    "doc_id",
    [
        "brief-2021-pilot",
        "brief-2021-samen",
        "brief-2023-tussenevaluatie",
        "wij-rapportage-2023",
        "brief-2023-bjh",
    ],
)
def test_every_number_is_a_claim_or_excluded(registry, documents, doc_id):
    missing = uncovered_tokens(registry, documents[doc_id])
    text = documents[doc_id].text
    assert [f"{t.text!r} in …{text[t.start - 40 : t.end + 20]}…" for t in missing] == []


@pytest.fixture()
def sandbox(tmp_path):
    """Writable copies of the sources and claims."""
    shutil.copytree(SOURCES, tmp_path / "sources")
    shutil.copytree(CLAIMS, tmp_path / "claims")
    return tmp_path


@pytest.mark.parametrize(
    ("sentence", "token"),
    [
        ("Er waren 17 vrijwilligers actief.", "17"),
        ("De kosten waren € 12.500,-.", "12.500"),
        ("Zeven gezinnen wachtten; in totaal twaalf.", "twaalf"),
        ("Het ging om 3,5 procent.", "3,5"),
    ],
)
def test_completeness_fails_on_a_new_number(sandbox, sentence, token):
    path = sandbox / "sources" / "000_a71add63cbb72d93.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + sentence + "\n", encoding="utf-8")
    docs = load_documents(sandbox / "sources")
    registry = load_registry(sandbox / "claims", docs)
    found = [t.text for t in uncovered_tokens(registry, docs["brief-2023-tussenevaluatie"])]
    assert token in found


def test_completeness_fails_without_an_exclusion(sandbox):
    path = sandbox / "claims" / "brief-2023-tussenevaluatie.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '  - quote: "06-55420137"\n    reason: "Telefoonnummer"\n', ""
        ),
        encoding="utf-8",
    )
    docs = load_documents(sandbox / "sources")
    registry = load_registry(sandbox / "claims", docs)
    found = [t.text for t in uncovered_tokens(registry, docs["brief-2023-tussenevaluatie"])]
    assert found == ["06", "55420137"]


def test_context_only_covers_what_it_names(sandbox):
    # Without its context, the period "2022" in this quote is no longer accounted for.
    path = sandbox / "claims" / "brief-2023-tussenevaluatie.yaml"
    text = path.read_text(encoding="utf-8")
    old = '    context: {"2022": "periode"}\n    recompute: {metric: count_closed'
    assert old in text
    path.write_text(text.replace(old, "    recompute: {metric: count_closed"), encoding="utf-8")
    docs = load_documents(sandbox / "sources")
    registry = load_registry(sandbox / "claims", docs)
    found = [t.text for t in uncovered_tokens(registry, docs["brief-2023-tussenevaluatie"])]
    assert found == ["2022"]


# (old text, new text, file name in message, message fragment)
BROKEN = [
    (
        "document: brief-2021-samen",
        "document: brief-2099",
        "brief-2021-samen.yaml",
        "onbekend document",
    ),
    (
        'quote: "Datum 29-10-2021"',
        'quote: "Datum 30-10-2021"',
        "brief-2021-samen.yaml",
        "citaat niet gevonden",
    ),
    (
        'value: "2021-10-29"',
        'value: "2021-10-28"',
        "brief-2021-samen.yaml",
        "komt niet voor in het citaat",
    ),
    ("id: S21-besluit", "id: S21-datum", "brief-2021-samen.yaml", "dubbel claim-id"),
    (
        'recompute: {sourced: "Datum van een bijeenkomst"}',
        "recompute: {metric: nope}",
        "brief-2021-samen.yaml",
        "onbekende metric",
    ),
    ('reason: "Telefoonnummer"', 'reason: ""', "brief-2021-samen.yaml", "zonder reden"),
]


@pytest.mark.parametrize(("old", "new", "file", "message"), BROKEN)
def test_validation_names_file_and_claim(sandbox, old, new, file, message):
    path = sandbox / "claims" / "brief-2021-samen.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_registry(sandbox / "claims", load_documents(sandbox / "sources"))
    hits = [p for p in info.value.problems if Path(p.file).name == file and message in p.message]
    assert hits, str(info.value)


def test_check_with_unknown_claim_is_rejected(sandbox):
    path = sandbox / "claims" / "brief-2021-pilot.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "P21-kosten-2021 + P21", "P21-kosten-2020 + P21"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="probleem"):
        load_registry(sandbox / "claims", load_documents(sandbox / "sources"))


@pytest.mark.parametrize(
    ("formula", "values", "expected"),
    [
        ("A21-x + A21-y == A21-z", {"A21-x": 1, "A21-y": 2, "A21-z": 3}, True),
        ("A21-x + A21-y == A21-z", {"A21-x": 1, "A21-y": 2, "A21-z": 4}, False),
        ("round(100 * A21-x / A21-y)", {"A21-x": 12, "A21-y": 21}, 57),
        ("round(2.5 * A21-x)", {"A21-x": 1}, 3),
        ("A21-x < A21-y and A21-x >= 0.95 * A21-y", {"A21-x": 967, "A21-y": 1000}, True),
        ("year(A21-d) == A21-y", {"A21-d": "2020-11", "A21-y": 2020}, True),
        ("months_between(A21-a, A21-b)", {"A21-a": "2022-07-01", "A21-b": "2023-01-01"}, 6),
    ],
)
def test_evaluate_check(formula, values, expected):
    assert evaluate_check(formula, values) == expected


@pytest.mark.parametrize("formula", ["__import__('os')", "A21-x.real", "[A21-x]"])
def test_evaluate_check_refuses_other_python(formula):
    with pytest.raises(ValueError, match="not allowed"):
        evaluate_check(formula, {"A21-x": 1})


def test_formula_names():
    assert formula_names("W23-h1-2022 + W23-h2-2022 == T23-gezinnen") == {
        "W23-h1-2022",
        "W23-h2-2022",
        "T23-gezinnen",
    }


def test_published_checks_that_fail(registry):
    # Two published figures do not add up; the consistency chapter explains both.
    values = {c.id: c.value for c in registry.claims}
    failing = sorted(chk.id for chk in registry.checks if not evaluate_check(chk.formula, values))
    assert failing == ["W23-pct-meerdere-2023", "W23-stroom-2023"]


@pytest.mark.parametrize(
    ("value", "unit", "date"),
    [
        ("2022-01", "datum", True),
        (2023, "jaar", True),  # the subject of a letter
        (2, "jaar", False),  # a duration
        (12, "jaar", False),  # an age bound
        (1.5, "jaar", False),
        (2023, "gezinnen", False),
        (336000, "euro", False),
    ],
)
def test_is_date_separates_dates_and_years_from_figures(value, unit, date):
    from evalkit.compute.claims import Claim, is_date

    c = Claim("X", "doc", "quote", value, unit, "2022", "about", {"sourced": "x"})
    assert is_date(c) is date
