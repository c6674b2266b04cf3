"""Excel workbooks in: one with three sheets or one per table, read like the CSV files."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from workbooks import write_workbook, write_workbooks

from conftest import FIXTURES, ROOT, TODAY
from evalkit.inputs.excel import cell_text, serial_date
from evalkit.inputs.register import TABLES, load_register, validate_register


def assert_same_register(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("folder", [FIXTURES / "register-klein", ROOT / "data" / "register"])
@pytest.mark.parametrize("layout", ["one workbook", "three workbooks", "mixed"])
def test_workbooks_give_the_same_register_as_csv(tmp_path, reference, folder, layout):
    if layout == "one workbook":
        path = write_workbook(folder, tmp_path / "register.xlsx")
    elif layout == "three workbooks":
        path = write_workbooks(folder, tmp_path / "register")
    else:  # trajecten as a workbook, the others as CSV
        path = write_workbooks(folder, tmp_path / "register")
        for name in TABLES[1:]:
            (path / f"{name}.xlsx").unlink()
            shutil.copyfile(folder / f"{name}.csv", path / f"{name}.csv")
    register, problems = validate_register(path, reference, TODAY)
    assert problems == []
    assert_same_register(register, load_register(folder, reference, TODAY))


# How a cell comes out of Excel, and the text the register reads from it.
CELLS = [
    ("  Beijum\t", False, "Beijum"),
    ("3,5", False, "3.5"),  # a decimal comma in a number typed as text
    ("1,2,3", False, "1,2,3"),
    (7.0, False, "7"),  # an id or a year typed as a number
    (3.5, False, "3.5"),
    (0.1 + 0.2, False, "0.30000000000000004"),  # exact: no digit lost or made up
    (True, False, "WAAR"),
    (dt.date(2022, 4, 3), True, "03-04-2022"),
    (dt.datetime(2022, 4, 3, 10, 30), True, "03-04-2022"),  # a time of day is dropped
    (44654.0, True, "03-04-2022"),  # a serial day number in a date column
    (44654.75, True, "03-04-2022"),
    (44654.0, False, "44654"),  # the same number elsewhere stays a number
    (-3.0, True, "-3"),  # not a serial date: reported as no date
    ("03-04-2022", True, "03-04-2022"),  # a text cell: parsed like CSV
    (None, True, ""),
]


@pytest.mark.parametrize(("value", "is_date", "text"), CELLS)
def test_cell_text(value, is_date, text):
    assert cell_text(value, is_date) == text


@pytest.mark.parametrize(
    ("serial", "date"),
    [(1, dt.date(1899, 12, 31)), (61, dt.date(1900, 3, 1)), (45292, dt.date(2024, 1, 1))],
)
def test_serial_dates(serial, date):
    assert serial_date(serial) == date


def _workbook(tmp_path):
    return write_workbook(FIXTURES / "register-klein", tmp_path / "register.xlsx")


def _set(path, sheet, cell, value):
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def test_messages_name_the_sheet_and_the_row_excel_shows(tmp_path, reference):
    path = _workbook(tmp_path)
    _set(path, "trajecten", "B5", "Harn")  # K04's wijk: the fourth data row is row 5
    _set(path, "kinderen", "D7", 13)
    register, problems = validate_register(path, reference, TODAY)
    assert register is None
    assert [(p.file, p.sheet, p.row, p.column, p.value) for p in problems] == [
        (str(path), "trajecten", 5, "wijk", "Harn"),
        (str(path), "kinderen", 7, "geboortemaand", "13"),
    ]
    assert "bedoelt u 'Haren'" in problems[0].message


def test_rows_keep_their_excel_numbers_around_blank_rows(tmp_path, reference):
    path = _workbook(tmp_path)
    wb = load_workbook(path)
    ws = wb["trajecten"]
    ws.insert_rows(1, 2)  # two blank rows above the header: the header is row 3
    ws.insert_rows(5)  # and a blank row after the first traject
    ws["B8"] = "Harn"  # K04: row 3 + 4 data rows + 1 blank row
    wb.save(path)
    _, problems = validate_register(path, reference, TODAY)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("trajecten", 8, "wijk", "Harn")
    ]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("C2", 44564), ("C2", "03-01-2022"), ("C2", "2022-01-03"), ("C2", "3-1-2022")],
    ids=["serial number", "Dutch text", "ISO text", "Dutch text, one digit"],
)
def test_date_cells_serial_numbers_and_date_text_are_the_same_date(
    tmp_path, reference, small_register, cell, value
):
    path = _workbook(tmp_path)
    _set(path, "trajecten", cell, value)  # K01's aanmelddatum, 3 January 2022
    register, problems = validate_register(path, reference, TODAY)
    assert problems == []
    assert_same_register(register, small_register)


def test_numbers_typed_as_text_are_read_like_csv(tmp_path, reference, small_register):
    path = _workbook(tmp_path)
    _set(path, "kinderen", "C2", "2019")
    _set(path, "jaarregistratie", "E2", "6,0")  # a decimal comma in a text cell
    register, problems = validate_register(path, reference, TODAY)
    assert problems == [], problems
    assert_same_register(register, small_register)


def test_columns_without_name_or_value_are_ignored(tmp_path, reference, small_register):
    path = _workbook(tmp_path)
    wb = load_workbook(path)
    wb["kinderen"]["H1"] = None
    wb["kinderen"]["H1"].number_format = "0.00"  # formatted, but empty
    wb["kinderen"]["J9"] = " "
    wb.save(path)
    register, problems = validate_register(path, reference, TODAY)
    assert problems == []
    assert_same_register(register, small_register)


def _csv_and_xlsx(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(FIXTURES / "register-klein", folder)
    write_workbooks(FIXTURES / "register-klein", tmp_path / "xlsx")
    shutil.copyfile(tmp_path / "xlsx" / "kinderen.xlsx", folder / "kinderen.xlsx")
    return folder


def _two_sheets(tmp_path):
    folder = write_workbooks(FIXTURES / "register-klein", tmp_path / "register")
    wb = load_workbook(folder / "kinderen.xlsx")
    wb.create_sheet("Blad2")
    wb.save(folder / "kinderen.xlsx")
    return folder


def _renamed(tmp_path):
    folder = tmp_path / "register"
    shutil.copytree(FIXTURES / "register-klein", folder)
    write_workbooks(FIXTURES / "register-klein", tmp_path / "xlsx")
    shutil.copyfile(tmp_path / "xlsx" / "kinderen.xlsx", folder / "kinderen.csv")
    return folder


def _missing_sheet(tmp_path):
    return write_workbook(FIXTURES / "register-klein", tmp_path / "r.xlsx", TABLES[:2])


def _empty_sheet(tmp_path):
    path = _workbook(tmp_path)
    wb = load_workbook(path)
    del wb["kinderen"]
    wb.create_sheet("kinderen")
    wb.save(path)
    return path


def _csv_file(tmp_path):
    return FIXTURES / "register-klein" / "trajecten.csv"


def _broken(tmp_path):
    (tmp_path / "r.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    return tmp_path / "r.xlsx"


# (case, how the register is made, the problems as (sheet, message fragment))
LAYOUT_CASES = [
    ("a table as .csv and .xlsx", _csv_and_xlsx, [(None, "als .csv en als .xlsx")]),
    ("a table's workbook with two sheets", _two_sheets, [(None, "noem het werkblad")]),
    ("a workbook saved as .csv is read as one", _renamed, []),
    ("a workbook without a sheet", _missing_sheet, [("kinderen", "werkblad 'kinderen' ontbreekt")]),
    ("an empty sheet", _empty_sheet, [("kinderen", "werkblad is leeg")]),
    ("one CSV file instead of a folder", _csv_file, [(None, "één Excel-werkmap")]),
    ("not a workbook", _broken, [(None, "geen leesbare Excel-werkmap")]),
]


@pytest.mark.parametrize(
    ("make", "expected"), [c[1:] for c in LAYOUT_CASES], ids=[c[0] for c in LAYOUT_CASES]
)
def test_register_layouts(tmp_path, reference, make, expected):
    register, problems = validate_register(make(tmp_path), reference, TODAY)
    assert len(problems) == len(expected), problems
    for p, (sheet, message) in zip(problems, expected, strict=True):
        assert p.sheet == sheet and message in p.message, p
    assert (register is None) == bool(expected)


def test_a_header_cell_without_a_name(tmp_path, reference):
    path = _workbook(tmp_path)
    _set(path, "kinderen", "F3", 5)  # a value under no header
    _, problems = validate_register(path, reference, TODAY)
    assert [(p.sheet, p.row, p.message) for p in problems] == [("kinderen", 1, "kolom zonder naam")]


def test_a_hand_made_workbook_still_needs_every_column(tmp_path, reference):
    # One sheet per table, typed cells, but without the optional columns: they must be there.
    wb = Workbook()
    wb.active.title = "trajecten"
    wb["trajecten"].append(["traject_id", "wijk", "aanmelddatum", "startdatum"])
    wb["trajecten"].append(["A", "Beijum", dt.date(2022, 1, 3), dt.date(2022, 1, 10)])
    wb.create_sheet("jaarregistratie").append(
        ["traject_id", "jaar", "gezinssamenstelling", "hoofdvraag", "uren_per_week"]
    )
    wb["jaarregistratie"].append(["A", 2022, "ouders_met_kinderen", "praktisch", 6])
    wb.create_sheet("kinderen").append(["kind_id", "traject_id", "geboortejaar", "geboortemaand"])
    wb["kinderen"].append(["A-1", "A", 2019, 5])
    wb.save(tmp_path / "klein.xlsx")
    _, problems = validate_register(tmp_path / "klein.xlsx", reference, TODAY)
    assert [(p.sheet, p.column, p.message) for p in problems] == [
        ("trajecten", "einddatum", "kolom ontbreekt"),
        ("trajecten", "reden_einde", "kolom ontbreekt"),
    ]


def test_a_date_cell_calamine_cannot_read_is_read_with_openpyxl(tmp_path, reference):
    path = _workbook(tmp_path)
    wb = load_workbook(path)
    wb["trajecten"]["D3"].value = -(2**40)  # K02's startdatum, still formatted as a date
    wb.save(path)
    _, problems = validate_register(path, reference, TODAY)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("trajecten", 3, "startdatum", "#VALUE!")
    ]
    assert "geen datum" in problems[0].message
