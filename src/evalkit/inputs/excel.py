"""Reading register tables from Excel workbooks (``.xlsx``) as text, the way a CSV is read."""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Collection
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from evalkit.inputs.errors import Problem

#: The workbook formats read (calamine reads more, these are the ones Excel saves by default).
SUFFIXES = (".xlsx", ".xlsm")
#: Day 0 of Excel's (1900) date system; serial 60 is the 29 February 1900 that never was.
EXCEL_EPOCH = dt.date(1899, 12, 30)
PADDING = " \t"
DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def open_workbook(path: Path) -> tuple[calamine.CalamineWorkbook | None, list[Problem]]:
    """Open a workbook, or say in Dutch why it cannot be read."""
    try:
        return calamine.CalamineWorkbook.from_path(str(path)), []
    except (calamine.CalamineError, OSError, ValueError) as exc:
        message = f"geen leesbare Excel-werkmap ({exc})"
        return None, [Problem(str(path), None, None, None, message)]


def find_sheet(names: list[str], wanted: str, single_ok: bool) -> str | None:
    """The sheet named ``wanted`` (case and spaces ignored), else the only sheet if allowed."""
    for name in names:
        if name.strip().lower() == wanted:
            return name
    return names[0] if single_ok and len(names) == 1 else None


def dutch_date(value: dt.date) -> str:
    """A date as Dutch Excel shows it (``dd-mm-jjjj``)."""
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def serial_date(value: float) -> dt.date | None:
    """Excel's serial day number (1900 date system) as a date; ``None`` when it is not one."""
    if not math.isfinite(value) or not 1 <= value < 2_958_466:  # up to 31-12-9999
        return None
    return EXCEL_EPOCH + dt.timedelta(days=math.floor(value))


def _number(value: float) -> str:
    """A number cell as text: an integral number without ``.0`` (an id, a year), else exact."""
    if math.isfinite(value) and value == math.floor(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def cell_text(value: object, is_date: bool) -> str:
    """One cell as the text a CSV export would hold.

    Text is stripped, and a decimal comma in a number typed as text becomes a point (as in a
    ``;``-separated export); numbers lose a trailing ``.0``; date cells (and, in a date
    column, serial day numbers) become ``dd-mm-jjjj``, the notation Dutch Excel shows, which
    the register's date parser reads; a time of day in a date column is dropped.
    """
    if isinstance(value, str):
        text = value.strip(PADDING)
        return text.replace(",", ".") if DECIMAL_COMMA.fullmatch(text) else text
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, dt.datetime):
        return dutch_date(value.date()) if is_date else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return dutch_date(value)
    if isinstance(value, int | float):
        if is_date and (day := serial_date(float(value))) is not None:
            return dutch_date(day)
        return _number(float(value))
    return "" if value is None else str(value)


def read_sheet(
    workbook: calamine.CalamineWorkbook,
    path: Path,
    sheet: str,
    date_columns: Collection[str] = (),
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one worksheet as a text table, like :func:`evalkit.inputs.register.read_table`.

    Parameters
    ----------
    workbook : python_calamine.CalamineWorkbook
        The open workbook.
    path : Path
        Its file (for the problems).
    sheet : str
        The worksheet's name.
    date_columns : collection of str
        Columns (lower-case names) whose number cells are Excel serial dates.

    Returns
    -------
    tuple of (DataFrame, list of Problem)
        Text columns named by the header (stripped, lower case), indexed by the row number
        Excel shows; blank rows are skipped, and so are columns with neither a name nor a
        value. Problems: an empty sheet, a column without a name, a column named twice.

    """

    def problem(row, column, value, message) -> Problem:
        return Problem(str(path), row, column, value, message, sheet)

    try:
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except calamine.CalamineError as exc:
        return pd.DataFrame(), [problem(None, None, None, f"werkblad niet leesbaar ({exc})")]
    except BaseException as exc:
        # calamine panics (pyo3's PanicException, not an Exception) on a cell with a date
        # format and a large negative number; openpyxl, slower, reads it as an error cell.
        if type(exc).__name__ != "PanicException":
            raise
        rows = _rows_with_openpyxl(path, sheet)
    filled = [n for n, r in enumerate(rows) if any(not _blank(c) for c in r)]
    if not filled:
        return pd.DataFrame(), [problem(None, None, None, "werkblad is leeg")]
    top = filled[0]
    width = max(len(r) for r in rows)
    header = [cell_text(c, False).lower() for c in rows[top]] + [""] * (width - len(rows[top]))
    body = [rows[n] + [""] * (width - len(rows[n])) for n in filled[1:]]
    used = [
        k for k in range(width) if header[k] or any(not _blank(r[k]) for r in body)
    ]  # a column with no name and no value is an empty formatted area, not data
    problems = []
    for k in used:
        h = header[k]
        if not h:
            problems.append(problem(top + 1, None, None, "kolom zonder naam"))
        elif h in [header[j] for j in used if j < k]:
            problems.append(problem(top + 1, h, h, "kolom komt twee keer voor"))
    if problems:
        return pd.DataFrame(), problems
    head = [header[k] for k in used]
    dates = [h in date_columns for h in head]
    cells = [[cell_text(r[k], d) for k, d in zip(used, dates, strict=True)] for r in body]
    frame = pd.DataFrame(cells, columns=head, dtype=object)
    if not cells:
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in head})
    frame.index = pd.Index([n + 1 for n in filled[1:]], dtype="int64")  # Excel's row numbers
    return frame, []


def _rows_with_openpyxl(path: Path, sheet: str) -> list[list]:
    """The sheet's cells by row from row 1 and column A, as :func:`read_sheet` reads them."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "marked as a date but ... outside"
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in wb[sheet].iter_rows(min_row=1, min_col=1, values_only=True)]
        finally:
            wb.close()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(PADDING))
