"""The downloads in Dutch: the reader's verantwoording and the Data Package of the data folder."""

from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from conftest import ROOT
from evalkit.compute.claims import load_registry
from evalkit.compute.disclosure import NONE
from evalkit.compute.reconcile import reconcile
from evalkit.inputs.sources import load_documents
from evalkit.publish import downloads
from evalkit.publish.report import STATUS_MARK


@pytest.mark.parametrize(
    ("stem", "name", "title"),
    [
        ("reconciliation", "claim_id", "Code"),
        ("reconciliation", "status", "Status"),
        ("wijken-2022", "gezinnen", "Gezinnen"),
        ("wijken-2022", "gezinnen_status", "Gezinnen: status"),
        ("kosten", "per_uur_max", "Per uur: maximum"),
        ("trajecten", "looptijd_maanden_min", "Looptijd (maanden): minimum"),
        ("evidence", "min", "Minimum"),
        ("corrections", "max", "Maximum"),
        ("wijzigingen", "wat", "Wat"),
        ("wijken-2022", "onbekend", None),
        ("wijken-2022", "onbekend_status", None),
    ],
)
def test_column_titles(stem, name, title):
    column = downloads.describe_column(stem, name)
    assert (column.title if column else None) == title


def test_a_file_may_give_a_column_its_own_meaning():
    evidence = downloads.describe_column("evidence", "min").description
    corrections = downloads.describe_column("corrections", "min").description
    assert "gepubliceerde getallen" in evidence and "correctieset" in corrections


def test_the_status_codes_are_explained_with_the_books_words():
    text = downloads.describe_column("reconciliation", "status").description
    assert (
        "rounding = ≈ klopt na afronding" in text and "sourced = · bron, niet herberekend" in text
    )


@pytest.mark.parametrize(
    ("stem", "described"),
    [
        ("wijken-2023", ("Gezinnen per wijk in 2023", "De gegevens achter een figuur of tabel.")),
        (
            "trajecten-2022",
            (
                "Trajecten in 2022",
                "De gegevens achter een figuur of tabel in het hoofdstuk over 2022: instroom, "
                "uitstroom en inzet.",
            ),
        ),
        (
            "trajecten",
            (
                "Trajecten per jaar",
                "De gegevens achter een figuur of tabel: instroom, uitstroom en inzet.",
            ),
        ),
        ("verantwoording", ("Verantwoording per getal", downloads.RESOURCES[0].description)),
        ("wijken-20233", None),
        ("wijken", None),
        ("onbekend", None),
    ],
)
def test_file_titles(stem, described):
    assert downloads.describe_resource(stem) == described


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def test_data_package_types_titles_and_what_has_none(tmp_path):
    write(tmp_path, "kosten.csv", "wat,budget,budget_status,gezinnen\npilot,336000.5,vrij,29\n")
    write(tmp_path, "tabellen.csv", "tabel,notebook\nkosten,financien\n")
    write(tmp_path, "nieuw.csv", "jaar,iets,NA\n2022,,NA\n2023,True,\n")
    package = downloads.data_package(tmp_path, "Gegevens", "Over de gegevens.")
    assert [r["path"] for r in package["resources"]] == ["kosten.csv", "nieuw.csv", "tabellen.csv"]
    kosten = package["resources"][0]
    assert kosten["title"] == "Kosten van de pilot" and kosten["name"] == "kosten"
    assert [(f["name"], f["type"], f["title"]) for f in kosten["schema"]["fields"]] == [
        ("wat", "string", "Wat"),
        ("budget", "number", "Budget"),
        ("budget_status", "string", "Budget: status"),
        ("gezinnen", "integer", "Gezinnen"),
    ]
    nieuw = package["resources"][1]
    # Only an empty cell is missing: "NA" is text, as a Data Package reader reads it.
    assert [(f["name"], f["type"]) for f in nieuw["schema"]["fields"]] == [
        ("jaar", "integer"),
        ("iets", "boolean"),
        ("NA", "string"),
    ]
    assert downloads.untitled(package) == ["nieuw.csv", "nieuw.csv: iets", "nieuw.csv: NA"]


def test_the_written_package_is_a_valid_frictionless_data_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    write(tmp_path, "kosten.csv", "wat,budget,budget_status,gezinnen\npilot,336000.5,vrij,29\n")
    write(tmp_path, "tijdlijn.csv", "datum,gebeurtenis\n2020-06-01,Koersdocument\n")
    package = downloads.write_data_package(tmp_path, "Een boek")
    assert json.loads((tmp_path / "datapackage.json").read_text("utf-8")) == package
    assert package["title"] == "Gegevens bij Een boek"
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    # A cell that does not fit its column's type fails the validation.
    write(tmp_path, "kosten.csv", "wat,budget,budget_status,gezinnen\npilot,veel,vrij,29\n")
    assert not frictionless.Package(str(tmp_path / "datapackage.json")).validate().valid


def test_files_table_groups_files_with_the_same_columns_and_marks_evidence(tmp_path):
    write(
        tmp_path, "wijken-2022.csv", "categorie,gezinnen,gezinnen_status,gezinnen_min\nA,1,vrij,\n"
    )
    write(
        tmp_path, "wijken-2023.csv", "categorie,gezinnen,gezinnen_status,gezinnen_min\nA,1,vrij,\n"
    )
    write(tmp_path, "glue.csv", "notebook,key,text\njaar,n,1\n")
    table = downloads.files_table(downloads.data_package(tmp_path, "t", "d"))
    assert (
        "* - `glue.csv`: Alle getoonde waarden\n  - `notebook`: hoofdstuk; `key`: sleutel; "
        "`text`: tekst" in table
    )
    assert "* - `wijken-2022.csv`, `wijken-2023.csv`: Gezinnen per wijk in 2022" not in table
    assert "* - `wijken-2022.csv`, `wijken-2023.csv`\n  - `categorie`; `gezinnen`\\*\n" in table


def test_fill_files_table_replaces_the_placeholder(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"## Bestanden\n\n{downloads.FILES_PLACEHOLDER}")]
    nbformat.write(nb, tmp_path / "gegevens.ipynb")
    write(tmp_path, "glue.csv", "notebook,key,text\njaar,n,1\n")
    package = downloads.data_package(tmp_path, "t", "d")
    assert downloads.fill_files_table(tmp_path, package)
    source = nbformat.read(tmp_path / "gegevens.ipynb", as_version=4).cells[0].source
    assert downloads.FILES_PLACEHOLDER not in source and "`glue.csv`" in source
    assert not downloads.fill_files_table(tmp_path, package)  # nothing left to fill


@pytest.fixture(scope="module")
def ctx(reference, small_register):
    documents = load_documents(ROOT / "data" / "sources")
    registry = load_registry(ROOT / "data" / "claims", documents)
    table = reconcile(registry, small_register, reference, (), NONE)
    return SimpleNamespace(reconciliation=table, registry=registry, documents=documents)


def test_reader_reconciliation_has_every_row_in_dutch(ctx):
    frame = downloads.reader_reconciliation(ctx)
    assert list(frame.columns) == [
        "Bron",
        "Code",
        "Citaat of rekensom",
        "Gepubliceerd",
        "Herberekend",
        "Status",
        "Toelichting",
    ]
    assert sorted(frame["Code"]) == sorted(ctx.reconciliation["claim_id"])
    assert set(frame["Status"]) <= set(STATUS_MARK.values())
    status = dict(zip(ctx.reconciliation["claim_id"], ctx.reconciliation["status"], strict=True))
    assert all(
        STATUS_MARK[status[c]] == s for c, s in zip(frame["Code"], frame["Status"], strict=True)
    )
    # Ordered by document, as Bijlage A.
    order = list(ctx.documents)
    ranks = [
        order.index(d)
        for d in ctx.reconciliation.set_index("claim_id").loc[frame["Code"], "document"]
    ]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(
    ("code", "column", "shown"),
    [
        ("W23-uren-2022", "Gepubliceerd", "5,3"),
        (
            "W23-uren-2022",
            "Bron",
            "Pilot gezinsverzorger: Jaarcijfers 2022, Cijfers 2023 en waarderend onderzoek",
        ),
        ("P21-kosten-totaal", "Gepubliceerd", "€\u00a0336.000"),
        ("P21-initiatiefvoorstel", "Herberekend", "–"),
        ("P21-initiatiefvoorstel", "Status", "· bron, niet herberekend"),
    ],
)
def test_reader_reconciliation_cells_as_the_book_shows_them(ctx, code, column, shown):
    frame = downloads.reader_reconciliation(ctx).set_index("Code")
    assert frame.loc[code, column] == shown


def test_reader_reconciliation_says_waar_for_a_check(ctx):
    checks = {c.id for c in ctx.registry.checks}
    frame = downloads.reader_reconciliation(ctx)
    assert set(frame.loc[frame["Code"].isin(checks), "Herberekend"]) <= {"waar", "onwaar"}
    assert frame["Code"].isin(checks).sum() == len(checks) > 0
    assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize(
    ("status", "shown"), [("vastgelegd", "vastgelegd"), ("begrensd", "begrensd"), ("gemeten", "")]
)
def test_reader_reconciliation_says_what_the_letters_establish(ctx, status, shown):
    from evalkit.publish.evidence import Evidence

    evidence = {("W23-uren-2022", "recomputed"): Evidence(status, basis="test")}
    frame = downloads.reader_reconciliation(ctx, evidence)
    assert list(frame.columns)[4:6] == ["Herberekend", downloads.READER_EVIDENCE]
    frame = frame.set_index("Code")
    assert frame.loc["W23-uren-2022", downloads.READER_EVIDENCE] == shown
    assert set(frame.drop(index="W23-uren-2022")[downloads.READER_EVIDENCE]) == {""}
