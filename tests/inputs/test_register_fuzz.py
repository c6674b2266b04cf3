"""Fuzzing the register loaders: whatever the bytes, the answer is a problem table, not a crash."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from workbooks import write_workbook

from conftest import FIXTURES, TODAY
from evalkit.inputs.errors import Problem
from evalkit.inputs.register import (
    SEPARATORS,
    TABLES,
    _padded,
    _parse_fast,
    _parse_slow,
    read_table,
    validate_register,
)

FILES = ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv")
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Cells that an Excel user might type, including the awkward ones.
cells = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "K01",
            "Beijum",
            "2022-01-10",
            "10-01-2022",
            "31/12/2023",
            "2023-02-30",
            "3,5",
            "1.234,5",
            "-1",
            "1e309",
            "nan",
            "NULL",
            "#N/B",
            '"',
            "=SOM(A1:A3)",
            "ouders_met_kinderen",
            "psychisch",
            "opgelost",
        ]
    ),
    st.text(max_size=12),
)


def _rows(header: str) -> st.SearchStrategy[str]:
    n = header.count(",") + 1
    row = st.lists(cells, min_size=max(n - 1, 1), max_size=n + 1).map(",".join)
    return st.lists(row, max_size=6).map(lambda rows: "\n".join([header, *rows]) + "\n")


def _problems_are_clear(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem)
        assert p.file and p.message


def _copy(tmp_path_factory):
    target = tmp_path_factory.mktemp("fuzz") / "register"
    shutil.copytree(FIXTURES / "register-klein", target)
    return target


@FUZZ
@given(name=st.sampled_from(FILES), data=st.binary(max_size=400))
def test_any_bytes_give_problems_not_a_traceback(tmp_path_factory, reference, name, data):
    folder = _copy(tmp_path_factory)
    (folder / name).write_bytes(data)
    register, problems = validate_register(folder, reference, TODAY)
    _problems_are_clear(problems)
    assert (register is None) == bool(problems)


@FUZZ
@given(data=st.data(), name=st.sampled_from(FILES))
def test_csv_shaped_input_gives_problems_not_a_traceback(tmp_path_factory, reference, data, name):
    folder = _copy(tmp_path_factory)
    header = (folder / name).read_text(encoding="utf-8").splitlines()[0]
    text = data.draw(_rows(header))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    sep = data.draw(st.sampled_from([",", ";", "\t"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    text = text.replace(",", sep).replace("\n", newline)
    (folder / name).write_bytes(text.encode(encoding, errors="replace"))
    register, problems = validate_register(folder, reference, TODAY)
    _problems_are_clear(problems)
    assert (register is None) == bool(problems)


@FUZZ
@given(text=st.text(max_size=300))
def test_read_table_never_raises(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text(text, encoding="utf-8")
    _, problems = read_table(path)
    _problems_are_clear(problems)


# The fast reader (pandas' C parser) and the careful one must agree whenever the fast one
# answers at all; otherwise a file would read differently depending on its size or quoting.
plain_cells = st.one_of(
    st.sampled_from(["", " ", "a", " b ", "12", "x y", ",", ";", "\t", "\x1f", "\xa0"]),
    st.text(alphabet=st.characters(blacklist_characters='"\r\n\x00'), max_size=4),
)


def _csv(header: str) -> st.SearchStrategy[str]:
    sep = max(SEPARATORS, key=header.count)
    n = header.count(sep) + 1
    row = st.one_of(st.lists(plain_cells, min_size=n, max_size=n), st.lists(plain_cells))
    rows = st.lists(row.map(sep.join), max_size=8)
    end = st.sampled_from(["", "\n", "\n\n"])
    return st.tuples(rows, end).map(lambda p: "\n".join([header, *p[0]]) + p[1])


@settings(max_examples=300, deadline=None)
@given(text=st.sampled_from(["a,b,c", "a;b", "a\tb\tc\td", "x"]).flatmap(_csv))
def test_fast_and_careful_readers_agree(text):
    sep = max(SEPARATORS, key=text.split("\n", 1)[0].count)
    fast = _parse_fast(text, sep, _padded(text, sep))
    if fast is None:
        return
    head, frame, lines = fast
    careful = _parse_slow(Path("x.csv"), text, sep)
    assert not isinstance(careful, list), careful  # the careful reader found no problem
    assert (head, frame.to_numpy(dtype=object).tolist(), lines) == careful


# What an Excel cell may hold: text, numbers, dates, times of day, booleans, nothing.
excel_cells = st.one_of(
    cells.filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s)),  # Excel cannot hold them
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
)


@FUZZ
@given(data=st.data(), name=st.sampled_from(TABLES))
def test_any_workbook_cells_give_problems_not_a_traceback(tmp_path_factory, reference, data, name):
    folder = _copy(tmp_path_factory)
    path = write_workbook(folder, folder.parent / "register.xlsx")
    wb = load_workbook(path)
    ws = wb[name]
    width = data.draw(st.integers(1, ws.max_column + 1))
    for r in range(1, data.draw(st.integers(1, 6)) + 1):
        for c in range(1, width + 1):
            if r > 1 or data.draw(st.booleans()):  # the header: sometimes left as it is
                ws.cell(r + 1 if r > 1 else 1, c, data.draw(excel_cells))
    wb.save(path)
    register, problems = validate_register(path, reference, TODAY)
    _problems_are_clear(problems)
    assert (register is None) == bool(problems)
