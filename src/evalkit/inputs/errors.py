"""Input problems, collected and reported together as a table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what value, what is wrong.

    ``row`` is the line of a CSV file or the row number Excel shows (the header is row 1);
    ``sheet`` names the worksheet (werkblad) of an Excel workbook, ``None`` for other files.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    message: str
    sheet: str | None = None


class InputError(Exception):
    """Raised when input files fail validation; carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} probleem/problemen in de invoer")

    def table(self) -> pd.DataFrame:
        """Return the problems as a table with columns file, sheet, row, column, value, message."""
        return problems_table(self.problems)

    def __str__(self) -> str:
        rows = [
            f"  {p.file}"
            + (f", werkblad {p.sheet!r}" if p.sheet else "")
            + (f", rij {p.row}" if p.row is not None else "")
            + (f", kolom {p.column!r}" if p.column else "")
            + (f", waarde {p.value!r}" if p.value is not None else "")
            + f": {p.message}"
            for p in self.problems
        ]
        return f"{len(self.problems)} probleem/problemen in de invoer:\n" + "\n".join(rows)


def problems_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """Turn problems into a table (one row per problem)."""
    return pd.DataFrame(
        [(p.file, p.sheet, p.row, p.column, p.value, p.message) for p in problems],
        columns=["file", "sheet", "row", "column", "value", "message"],
    )
