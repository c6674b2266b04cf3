"""Every number in the book's prose is glued from computation (issue: no retyped numbers)."""

import pytest

from evalkit.publish.prose import prose_sources, stray_digits


def test_no_typed_numbers_in_the_book(root):
    found = {
        where: hits for where, text in prose_sources(root).items() if (hits := stray_digits(text))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2022 waren er {glue:text}`actief` gezinnen.", []),
        ("Zie {glue:text}`/notebooks/jaar-2022.ipynb::n_exact:s` claims.", []),
        ("In {{ jaar }} en in `data/reference/rapportage.yaml`.", []),
        ("```{glue:figure} grafiek_wijken\n:name: fig-wijken-{{ jaar }}\n```", []),
        ("Er waren 21 gezinnen.", ["21"]),
        ("De inzet was 5,3 uur per week.", ["5,3"]),
        ("Het kostte € 336.000 in 2021.", ["336.000"]),
        ("Van 2022 tot 3 maart.", ["3"]),
    ],
)
def test_stray_digits(text, expected):
    assert [hit.split(" in ")[0].strip("'") for hit in stray_digits(text)] == expected
