"""The Excel template: its sheets, lists and formats; filled in, it gives the CSV register back."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook
from workbooks import fill_template

from conftest import ROOT, TODAY
from evalkit.compute.claims import load_registry
from evalkit.compute.reconcile import reconcile
from evalkit.inputs.register import COLUMNS, DATE_COLUMNS, TABLES, load_register, validate_register
from evalkit.inputs.sources import load_documents
from evalkit.inputs.template import DATE_FORMAT, write_template

REGISTER = ROOT / "data" / "register"


@pytest.fixture()
def template(tmp_path, reference):
    path = tmp_path / "sjabloon.xlsx"
    write_template(path, reference)
    return path


def test_sheets_and_headers(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["Toelichting", "keuzelijsten", *TABLES]
    assert wb.active.title == "Toelichting"
    assert wb["keuzelijsten"].sheet_state == "hidden"
    for table in TABLES:
        ws = wb[table]
        assert [c.value for c in ws[1]] == list(COLUMNS[table])
        assert ws.max_row == 1  # empty below the header
        assert ws.freeze_panes == "A2"


def _lists(wb):
    """Per sheet and column letter: the codes its drop-down list offers."""
    lists = wb["keuzelijsten"]
    out = {}
    for table in TABLES:
        for dv in wb[table].data_validations.dataValidation:
            if dv.type != "list":
                continue
            sheet, cells = dv.formula1.lstrip("=").split("!")
            assert sheet.strip("'") == "keuzelijsten"
            first, last = cells.replace("$", "").split(":")
            codes = [c.value for row in lists[first:last] for c in row]
            out[(table, str(dv.sqref).split(":")[0][0])] = codes
    return out


def test_drop_down_lists_come_from_the_reference(template, reference):
    assert _lists(load_workbook(template)) == {
        ("trajecten", "B"): list(reference.wijken),
        ("trajecten", "F"): list(reference.reden_einde["code"]),
        ("jaarregistratie", "C"): list(reference.gezinssamenstelling["code"]),
        ("jaarregistratie", "D"): list(reference.hoofdvraag["code"]),
    }


def test_number_checks_and_date_formats(template):
    wb = load_workbook(template)
    checks = {
        (t, str(dv.sqref)[0]): (dv.type, dv.formula1, dv.formula2)
        for t in TABLES
        for dv in wb[t].data_validations.dataValidation
        if dv.type != "list"
    }
    assert checks == {
        ("jaarregistratie", "B"): ("whole", "2021", "2100"),
        ("jaarregistratie", "E"): ("decimal", "0.01", "40"),
        ("kinderen", "D"): ("whole", "1", "12"),
    }
    ws = wb["trajecten"]
    formats = {
        c: ws.column_dimensions[chr(65 + k)].number_format
        for k, c in enumerate(COLUMNS["trajecten"])
    }
    assert {c for c, f in formats.items() if f == DATE_FORMAT} == set(DATE_COLUMNS["trajecten"])


def test_the_explanation_names_every_column_and_code(template, reference):
    ws = load_workbook(template)["Toelichting"]
    text = "\n".join(" | ".join(str(c) for c in row if c is not None) for row in ws.values)
    assert "dd-mm-jjjj" in text and "één rij per traject per jaar" in text
    for table in TABLES:
        assert f"Werkblad {table}" in text
        for column in COLUMNS[table]:
            assert f"\n{column} | " in text, column
    for code, label in zip(
        reference.hoofdvraag["code"], reference.hoofdvraag["label"], strict=True
    ):
        assert f"hoofdvraag | {code} | {label}" in text


def test_the_empty_template_says_what_is_missing(template, reference):
    _, problems = validate_register(template, reference, TODAY)
    assert [(p.sheet, p.message) for p in problems] == [
        ("trajecten", "het register bevat geen trajecten"),
        ("jaarregistratie", "het register bevat geen jaarregistraties"),
        ("kinderen", "het register bevat geen kinderen"),
    ]


def test_filled_template_gives_the_csv_register_and_its_reconciliation(
    template, tmp_path, reference
):
    filled = fill_template(template, REGISTER, tmp_path / "register.xlsx")
    from_excel = load_register(filled, reference, TODAY)
    from_csv = load_register(REGISTER, reference, TODAY)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(from_excel, name), getattr(from_csv, name))
    registry = load_registry(ROOT / "data" / "claims", load_documents(ROOT / "data" / "sources"))
    expected = reconcile(registry, from_csv, reference, [])
    assert len(expected) > 100  # the whole claims registry, not a toy
    pd.testing.assert_frame_equal(reconcile(registry, from_excel, reference, []), expected)
