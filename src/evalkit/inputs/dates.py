"""Dates as written in a register: ISO ``jjjj-mm-dd`` or Dutch ``dd-mm-jjjj``; none ambiguous."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

ISO_DATE = "%Y-%m-%d"
DUTCH_DATE = "%d-%m-%Y"  # also d-m-jjjj: the day and month may have one digit
DATE_HINT = "schrijf dd-mm-jjjj (dag-maand-jaar, bijvoorbeeld 03-04-2022) of jjjj-mm-dd"
TWO_DIGIT_YEAR = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2})")
SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DATE_SHAPED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4}")
#: Dates pandas can hold in nanoseconds; a year outside is out of the register's period anyway.
REPRESENTABLE_YEARS = (1678, 2261)


def _date_message(text: str) -> str:
    """Why a cell is not a date, and how to write it (for cells neither ISO nor dd-mm-jjjj)."""

    def suggestion(day: str, month: str, year: str) -> str:
        try:
            d = dt.date(int(year), int(month), int(day))
        except ValueError:
            return DATE_HINT
        return f"schrijf {d:%d-%m-%Y} (dag-maand-jaar) of {d.isoformat()}"

    if m := TWO_DIGIT_YEAR.fullmatch(text):
        return (
            "onduidelijke datum: het jaar heeft twee cijfers en dag en maand kunnen verwisseld "
            f"zijn; {suggestion(m[1], m[3], '20' + m[4])}"
        )
    if m := SLASHED.fullmatch(text):
        return (
            "onduidelijke datum: met schuine strepen kan het ook maand/dag/jaar zijn; "
            f"{suggestion(m[1], m[2], m[3])}"
        )
    if DATE_SHAPED.fullmatch(text):
        return "deze datum bestaat niet (dag of maand te groot)"
    return f"geen datum; {DATE_HINT}"


def parse_dates(text: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """Parse a column of date text: ISO ``jjjj-mm-dd`` or Dutch ``dd-mm-jjjj`` (``d-m-jjjj``).

    Parameters
    ----------
    text : pandas.Series
        Stripped text cells; an empty cell is no date (``NaT``) and no problem.

    Returns
    -------
    tuple of (Series of datetime64[ns], dict of index to message)
        The dates (``NaT`` where empty or wrong) and, per wrong cell, why (an ambiguous form
        such as ``01-02-22`` is refused and the message says so).

    """
    filled = text.ne("")
    parsed = pd.to_datetime(text.where(filled, None), format=ISO_DATE, errors="coerce")
    bad = filled & parsed.isna()
    if bad.any():  # the fast path above takes an ISO column in one call; only the rest here
        dutch = pd.to_datetime(text[bad], format=DUTCH_DATE, errors="coerce")
        parsed = parsed.mask(bad, dutch.reindex(parsed.index))
        bad = filled & parsed.isna()
    messages = {i: _date_message(str(text[i])) for i in text.index[bad]}
    years = parsed.dt.year
    outside = parsed.notna() & ~years.between(*REPRESENTABLE_YEARS)
    if outside.any():
        messages |= {i: "" for i in text.index[outside]}  # the caller names the period
        parsed = parsed.mask(outside)
    return parsed.astype("datetime64[ns]"), messages
