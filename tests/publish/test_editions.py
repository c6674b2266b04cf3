"""Changes between editions: every changed number, table cell and claim status, old and new."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.publish.editions import Edition, changes_page, compare

CHAPTERS = {"jaar-2023": "Pilotjaar 2023", "verantwoording": "Verantwoording per getal"}


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BASE = {
    "glue.csv": "notebook,key,text\njaar-2023,actief,21\njaar-2023,top,Beijum\n",
    "trajecten-2023.csv": "jaar,actief,uren_per_week\n2023,21,4.3\n",
    "tabellen.csv": "tabel,notebook\ntrajecten-2023,jaar-2023\n",
    "reconciliation.csv": "claim_id,status\nW23-actief-2023,exact\nW23-uren-2023,rounding\n",
}


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ({}, []),
        (
            {"glue.csv": "notebook,key,text\njaar-2023,actief,22\njaar-2023,top,Beijum\n"},
            [("Pilotjaar 2023", "getal in de tekst", "actief", "21", "22")],
        ),
        # a text without digits is not a number that changed
        ({"glue.csv": "notebook,key,text\njaar-2023,actief,21\njaar-2023,top,Vinkhuizen\n"}, []),
        (
            {"trajecten-2023.csv": "jaar,actief,uren_per_week\n2023,21,4.6\n"},
            [("Pilotjaar 2023", "tabel", "trajecten-2023: 2023, uren_per_week", "4.3", "4.6")],
        ),
        # the same number written differently is no change
        ({"trajecten-2023.csv": "jaar,actief,uren_per_week\n2023,21.0,4.30\n"}, []),
        (
            {
                "reconciliation.csv": "claim_id,status\nW23-actief-2023,exact\nW23-uren-2023,"
                "discrepancy\n"
            },
            [
                (
                    "Verantwoording per getal",
                    "status van een getal",
                    "W23-uren-2023",
                    "rounding",
                    "discrepancy",
                )
            ],
        ),
        (
            {"glue.csv": "notebook,key,text\njaar-2023,top,Beijum\njaar-2023,nieuw,5\n"},
            [
                ("Pilotjaar 2023", "getal in de tekst", "actief", "21", "–"),
                ("Pilotjaar 2023", "getal in de tekst", "nieuw", "–", "5"),
            ],
        ),
    ],
    ids=["nothing", "glued", "text-only", "cell", "same-number", "status", "new-and-gone"],
)
def test_compare(tmp_path, changed, expected):
    old = write(tmp_path / "old", BASE)
    new = write(tmp_path / "new", {**BASE, **changed})
    rows = [tuple(r) for r in compare(old, new, CHAPTERS).itertuples(index=False)]
    assert rows == expected


def test_first_edition_says_there_is_no_earlier_one():
    page = changes_page(None, None, "2026-12-01")
    assert page.startswith("# Wijzigingen per 1 december 2026")
    assert "eerste editie" in page and "|" not in page


def test_page_lists_every_change_old_and_new(tmp_path):
    old = write(tmp_path / "old", BASE)
    new = write(
        tmp_path / "new",
        {
            **BASE,
            "trajecten-2023.csv": "jaar,actief,uren_per_week\n2023,21,4.633333333333\n",
            "reconciliation.csv": "claim_id,status\nW23-actief-2023,exact\nW23-uren-2023,"
            "discrepancy\n",
        },
    )
    changes = compare(old, new, CHAPTERS)
    page = changes_page(changes, Edition(old, "0.3.0", "2026-11-30T10:00:00+00:00"), "2026-12-01")
    assert "versie 0.3.0, gebouwd op 30 november 2026" in page
    assert "2 getallen en statussen" in page
    assert "| Pilotjaar 2023 | tabel | `trajecten-2023: 2023, uren_per_week` | 4,3 | 4,63 |" in page
    assert "| klopt na afronding | wijkt af |" in page


def test_unchanged_edition_says_so(tmp_path):
    old = write(tmp_path / "old", BASE)
    new = write(tmp_path / "new", BASE)
    page = changes_page(compare(old, new, CHAPTERS), Edition(old, "0.3.0"), "2026-12-01")
    assert "geen getal en geen status veranderd" in page
