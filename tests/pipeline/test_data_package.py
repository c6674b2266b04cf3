"""The built book's data folder: a Data Package with a Dutch title for every file and column."""

from __future__ import annotations

import csv
import json

import pytest

from evalkit.publish.downloads import (
    DATA_PACKAGE,
    READER_EVIDENCE,
    READER_RECONCILIATION,
    untitled,
)
from evalkit.publish.report import STATUS_MARK


def rows(path):
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_every_csv_and_column_of_the_built_book_has_a_dutch_title(built_book):
    _, out, lines = built_book
    data = out / "data"
    package = json.loads((data / DATA_PACKAGE).read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in package["resources"]) == sorted(
        p.name for p in data.glob("*.csv")
    )
    assert len(package["resources"]) > 20
    assert untitled(package) == []
    assert not [line for line in lines if DATA_PACKAGE in line]  # the build named none
    for resource in package["resources"]:
        with (data / resource["path"]).open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert [field["name"] for field in resource["schema"]["fields"]] == header


@pytest.mark.slow
def test_the_built_data_package_is_valid(built_book):
    frictionless = pytest.importorskip("frictionless")
    _, out, _ = built_book
    report = frictionless.Package(str(out / "data" / DATA_PACKAGE)).validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "message"])[:10]


@pytest.mark.slow
def test_the_readers_verantwoording_is_dutch_with_the_same_rows(built_book):
    _, out, _ = built_book
    data = out / "data"
    reader = rows(data / f"{READER_RECONCILIATION}.csv")
    machine = rows(data / "reconciliation.csv")
    assert sorted(r["Code"] for r in reader) == sorted(r["claim_id"] for r in machine)
    assert list(reader[0]) == [
        "Bron",
        "Code",
        "Citaat of rekensom",
        "Gepubliceerd",
        "Herberekend",
        READER_EVIDENCE,
        "Status",
        "Toelichting",
    ]
    status = {r["claim_id"]: r["status"] for r in machine}
    assert all(r["Status"] == STATUS_MARK[status[r["Code"]]] for r in reader)
    # The overzicht links the reader's file, not the analysts' one.
    page = (out / "html" / "notebooks" / "overzicht.html").read_text(encoding="utf-8")
    assert f"/{READER_RECONCILIATION}.csv" in page and "/reconciliation.csv" not in page
    # Bijlage C names every file of the data folder.
    gegevens = (out / "html" / "notebooks" / "gegevens.html").read_text(encoding="utf-8")
    assert all(f"{p.name}</span>" in gegevens for p in data.glob("*.csv"))
    assert "gezinnen</span></code>*" in gegevens  # the mark, not Markdown emphasis
