"""Dates in CSV and text cells: ISO and Dutch day-first forms, ambiguous ones refused with why."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import TODAY
from evalkit.inputs.dates import parse_dates
from evalkit.inputs.register import validate_register

# (cell text, the date it is, or None; a fragment of the message, or None for no problem)
CASES = [
    ("2022-04-03", "2022-04-03", None),
    ("2022-4-3", "2022-04-03", None),
    ("03-04-2022", "2022-04-03", None),
    ("3-4-2022", "2022-04-03", None),
    ("31-12-2023", "2023-12-31", None),
    ("", None, None),
    ("01/02/22", None, "onduidelijke datum: het jaar heeft twee cijfers"),
    ("01-02-22", None, "schrijf 01-02-2022 (dag-maand-jaar) of 2022-02-01"),
    ("1.2.22", None, "schrijf 01-02-2022 (dag-maand-jaar) of 2022-02-01"),
    ("01/02/2022", None, "onduidelijke datum: met schuine strepen"),
    ("13/02/2022", None, "schrijf 13-02-2022 (dag-maand-jaar) of 2022-02-13"),
    ("31-02-22", None, "schrijf dd-mm-jjjj"),  # no such day either way: the general hint
    ("30-02-2023", None, "deze datum bestaat niet"),
    ("2023-02-30", None, "deze datum bestaat niet"),
    ("2022-13-01", None, "deze datum bestaat niet"),
    ("morgen", None, "geen datum; schrijf dd-mm-jjjj"),
    ("20220403", None, "geen datum"),
    ("2022-04-03 10:00", None, "geen datum"),
    ("03-04-02022", None, "geen datum"),
]


@pytest.mark.parametrize(("text", "date", "message"), CASES)
def test_parse_dates(text, date, message):
    parsed, messages = parse_dates(pd.Series(["2022-01-01", text], index=[2, 3], dtype=object))
    assert parsed.dtype == "datetime64[ns]"
    assert parsed[2] == pd.Timestamp("2022-01-01")
    if date is None:
        assert pd.isna(parsed[3])
    else:
        assert parsed[3] == pd.Timestamp(date)
    if message is None:
        assert messages == {}
    else:
        assert list(messages) == [3]
        assert message in messages[3], messages[3]


@pytest.mark.parametrize("text", ["0022-01-01", "1-1-0022", "31-12-9999"])
def test_dates_pandas_cannot_hold_are_out_of_the_period(register_copy, reference, text):
    path = register_copy / "trajecten.csv"
    path.write_text(path.read_text().replace("K02,Beijum,2022-03-01", f"K02,Beijum,{text}"))
    register, problems = validate_register(register_copy, reference, TODAY)
    assert register is None
    assert [(p.row, p.column, p.value, p.message[:20]) for p in problems] == [
        (3, "aanmelddatum", text, "datum ligt niet tuss")
    ]


def _dutch(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)}-{int(month)}-{year}"


def test_dutch_dates_give_the_same_register_as_iso(register_copy, reference):
    iso, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    path = register_copy / "trajecten.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [
        ",".join(_dutch(c) if c[:2] == "20" and c.count("-") == 2 else c for c in line.split(","))
        for line in lines[1:]
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert "3-1-2022" in path.read_text()  # day first, one digit: d-m-jjjj
    dutch, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    pd.testing.assert_frame_equal(iso.trajecten, dutch.trajecten)
