"""Test helper: a register's CSV tables written as Excel workbooks, cells typed as Excel's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook

from evalkit.inputs.register import DATE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, TABLES


def typed_rows(folder: Path, table: str) -> list[list]:
    """The rows of ``folder/table.csv`` as Excel cells: dates, whole numbers, decimals, text."""
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)

    def cell(column: str, text: str):
        if text == "":
            return None
        if column in DATE_COLUMNS.get(table, ()):
            return dt.date.fromisoformat(text)
        if column in INT_COLUMNS.get(table, ()):
            return int(text)
        if column in FLOAT_COLUMNS.get(table, ()):
            return float(text)
        return text

    return [[cell(c, v) for c, v in zip(frame.columns, row, strict=True)] for row in frame.values]


def header(folder: Path, table: str) -> list[str]:
    return (folder / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def write_workbook(folder: Path, target: Path, tables: Iterable[str] = TABLES) -> Path:
    """One workbook with a sheet per table (after an unrelated first sheet)."""
    wb = Workbook()
    wb.active.title = "Toelichting"
    for table in tables:
        ws = wb.create_sheet(table)
        ws.append(header(folder, table))
        for row in typed_rows(folder, table):
            ws.append(row)
    wb.save(target)
    return target


def write_workbooks(folder: Path, target: Path) -> Path:
    """Three workbooks ``trajecten.xlsx``... in ``target``, each with one sheet ``Blad1``."""
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        wb = Workbook()
        ws = wb.active
        ws.title = "Blad1"
        ws.append(header(folder, table))
        for row in typed_rows(folder, table):
            ws.append(row)
        wb.save(target / f"{table}.xlsx")
    return target


def fill_template(template: Path, folder: Path, target: Path) -> Path:
    """The template with the rows of the CSV register typed in below its header rows."""
    wb = load_workbook(template)
    for table in TABLES:
        ws = wb[table]
        assert [c.value for c in ws[1]] == header(folder, table)
        for row in typed_rows(folder, table):
            ws.append(row)
    wb.save(target)
    return target
