import pytest

from evalkit.inputs.numbers import (
    expressions,
    format_euro,
    format_number,
    format_pct,
    parse_dutch_number,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5,3", 5.3),
        ("7,7", 7.7),
        ("336.000", 336000),
        ("€ 336.000,-", 336000),
        ("€ 42.000,-", 42000),
        ("€ 336.000.-", 336000),
        ("4,2 miljoen", 4_200_000),
        ("1 miljoen", 1_000_000),
        ("29%", 29),
        ("21", 21),
        ("eenentwintig", 21),
        ("drie", 3),
        ("één", 1),
        ("1,5", 1.5),
        ("helft", 0.5),
    ],
)
def test_parse_dutch_number(text, value):
    assert parse_dutch_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "5.3.1,2,3", "€", "12a"])
def test_parse_dutch_number_rejects(text):
    with pytest.raises(ValueError, match="not a Dutch number"):
        parse_dutch_number(text)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Datum 29 maart 2023", "date", "2023-03-29"),
        ("Met onze brief van 15-9-2021 hebben", "date", "2021-09-15"),
        ("Datum\t29-10-2021\tUw", "date", "2021-10-29"),
        ("in juni 2020 stelden wij", "date", "2020-06"),
        ("in Q1 2024 hierover", "date", "2024-Q1"),
        ("Op 20 januari jl. heeft", "date", "XXXX-01-20"),
        ("bedragen: € 336.000,-", "euro", 336000),
        ("een subsidie ontvangen van 4,2 miljoen euro", "number", 4_200_000),
        ("in 29% van de 21 gezinnen", "percent", 29),
        ("zes van de eenentwintig gezinnen", "number", 6),
    ],
)
def test_expressions_first(text, kind, value):
    first = expressions(text)[0]
    assert (first.kind, first.value) == (kind, value)


def test_expressions_do_not_overlap():
    found = expressions("brief van 29-10-2021 en € 42.000,- in 2021")
    assert [e.text for e in found] == ["29-10-2021", "€ 42.000,-", "2021"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Telefoon 06-55420137", ["06", "55420137"]),
        ("in Q1 2024", ["1", "2024"]),
        ("zo'n 10 gezinnen, 2fte en 3x per week", ["10", "2", "3"]),
        ("De gemiddelde inzet is 5,3 uur", ["5,3"]),
        ("In zes van de eenentwintig gezinnen", ["zes", "eenentwintig"]),
        ("een tweetal doelgroepen", ["tweetal"]),
        ("een gezin met een kind", []),
    ],
)
def test_tokens(text, expected):
    assert [t.text for t in tokens(text)] == expected


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (format_number, (336000,), "336.000"),
        (format_number, (5.25, 1), "5,3"),
        (format_number, (5.35, 1), "5,4"),
        (format_number, (21,), "21"),
        (format_number, (1234567.891, 2), "1.234.567,89"),
        (format_pct, (28.571,), "29%"),
        (format_pct, (42.857, 1), "42,9%"),
        (format_euro, (336000,), "€\xa0336.000"),
        (format_euro, (4_200_000,), "€\xa04.200.000"),
    ],
)
def test_formatting(func, args, expected):
    assert func(*args) == expected
