"""Validation: every kind of bad input is rejected with file, row, column and a clear message."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import TODAY
from evalkit.inputs.errors import InputError
from evalkit.inputs.register import (
    PLAIN_DECIMALS,
    PLAIN_INTEGERS,
    _is_id,
    _to_number,
    load_register,
    read_table,
    validate_register,
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (file, text to replace, replacement, expected file, row, column, message fragment)
CASES = [
    ("trajecten.csv", "K01,Beijum", "K02,Beijum", "trajecten.csv", 3, "traject_id", "in rij 2"),
    (
        "trajecten.csv",
        "K01,Beijum",
        "K 01,Beijum",
        "trajecten.csv",
        2,
        "traject_id",
        "ongeldige id",
    ),
    ("trajecten.csv", "K04,Haren", "K04,Harn", "trajecten.csv", 5, "wijk", "bedoelt u 'Haren'"),
    (
        "trajecten.csv",
        "2022-01-10,2022-09-30",
        "2022-09-30,2022-01-10",
        "trajecten.csv",
        2,
        "einddatum",
        "einddatum ligt voor startdatum",
    ),
    (
        "trajecten.csv",
        "2022-03-01,2022-03-07",
        "2022-03-01,7-3-22",
        "trajecten.csv",
        3,
        "startdatum",
        "onduidelijke datum",
    ),
    (
        "trajecten.csv",
        "2023-02-01,2023-02-06,,",
        "2023-02-01,2023-02-06,2031-01-01,opgelost",
        "trajecten.csv",
        5,
        "einddatum",
        "datum ligt niet tussen",
    ),
    (
        "trajecten.csv",
        "2022-03-01,2022-03-07",
        "2019-03-01,2022-03-07",
        "trajecten.csv",
        3,
        "aanmelddatum",
        "datum ligt niet tussen",
    ),
    (
        "trajecten.csv",
        "2022-09-30,opgelost",
        "2022-09-30,",
        "trajecten.csv",
        2,
        "reden_einde",
        "reden_einde ontbreekt",
    ),
    (
        "jaarregistratie.csv",
        "praktisch,6.0",
        "praktisch,-6.0",
        "jaarregistratie.csv",
        2,
        "uren_per_week",
        "bereik",
    ),
    (
        "jaarregistratie.csv",
        "praktisch,6.0",
        "praktisch,zes",
        "jaarregistratie.csv",
        2,
        "uren_per_week",
        "geen getal",
    ),
    (
        "jaarregistratie.csv",
        "praktisch,6.0",
        "praktisch,400",
        "jaarregistratie.csv",
        2,
        "uren_per_week",
        "bereik",
    ),
    (
        "jaarregistratie.csv",
        "K01,2022,ouders_met_kinderen",
        "K01,2022,ouders",
        "jaarregistratie.csv",
        2,
        "gezinssamenstelling",
        "onbekende waarde",
    ),
    (
        "jaarregistratie.csv",
        "K04,2023,samengesteld_gezin,psychisch",
        "K04,2023,samengesteld_gezin,psychish",
        "jaarregistratie.csv",
        7,
        "hoofdvraag",
        "bedoelt u 'psychisch'",
    ),
    ("jaarregistratie.csv", "K02,2023,", "K02,2022,", "jaarregistratie.csv", 4, "jaar", "dubbele"),
    ("kinderen.csv", "C07,K04", "C07,K99", "kinderen.csv", 8, "traject_id", "geen bekend traject"),
    (
        "kinderen.csv",
        "C05,K03,2016,1",
        "C05,K03,2016,13",
        "kinderen.csv",
        6,
        "geboortemaand",
        "bereik",
    ),
    ("kinderen.csv", "C02,", "C01,", "kinderen.csv", 3, "kind_id", "dubbele"),
    (
        "jaarregistratie.csv",
        "K02,2023,alleenstaande_moeder,pedagogisch,3.5\n",
        "",
        "trajecten.csv",
        3,
        "traject_id",
        "zonder jaarregistratie voor 2023",
    ),
    (
        "trajecten.csv",
        "traject_id,wijk",
        "traject,wijk",
        "trajecten.csv",
        None,
        "traject_id",
        "kolom ontbreekt",
    ),
    (
        "kinderen.csv",
        "geboortemaand\n",
        "geboortemaand,opmerking\n",
        "kinderen.csv",
        None,
        None,
        "velden",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "row", "column", "message"), CASES)
def test_rejects(register_copy, reference, file, old, new, where, row, column, message):
    edit(register_copy / file, old, new)
    register, problems = validate_register(register_copy, reference, TODAY)
    assert register is None
    hits = [
        p
        for p in problems
        if Path(p.file).name == where
        and message in p.message
        and (row is None or p.row == row)
        and (column is None or p.column == column)
    ]
    assert hits, "\n".join(map(str, problems))
    if row is not None and column is not None:  # one problem per cell, not a second echo
        same_cell = [
            p for p in problems if (p.file, p.row, p.column) == (hits[0].file, row, column)
        ]
        assert len(same_cell) == 1, "\n".join(map(str, same_cell))


def test_valid_register_has_no_problems(register_copy, reference):
    register, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    assert register.years == [2022, 2023]


def test_all_problems_at_once(register_copy, reference):
    edit(register_copy / "trajecten.csv", "K04,Haren", "K04,Harn")
    edit(register_copy / "kinderen.csv", "C05,K03,2016,1", "C05,K03,2016,13")
    with pytest.raises(InputError) as info:
        load_register(register_copy, reference, TODAY)
    table = info.value.table()
    assert list(table.columns) == ["file", "sheet", "row", "column", "value", "message"]
    assert {"wijk", "geboortemaand"} <= set(table["column"])


@pytest.mark.parametrize(
    ("missing", "message"), [("kinderen.csv", "bestand ontbreekt"), (None, "map bestaat niet")]
)
def test_missing_file_or_folder(register_copy, reference, missing, message):
    target = register_copy
    if missing:
        (register_copy / missing).unlink()
    else:
        target = register_copy / "nope"
    _, problems = validate_register(target, reference, TODAY)
    assert any(message in p.message for p in problems)


def test_empty_file(register_copy, reference):
    (register_copy / "kinderen.csv").write_text("")
    _, problems = validate_register(register_copy, reference, TODAY)
    assert [p.message for p in problems] == ["bestand is leeg"]


def test_excel_export_is_accepted(register_copy, reference):
    # Dutch Excel: ';' separator, decimal comma, BOM, Windows line endings, Latin-1 text.
    for name in ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv"):
        path = register_copy / name
        text = path.read_text(encoding="utf-8").replace(",", ";")
        text = text.replace("6.0", "6,0").replace("3.5", "3,5").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    register, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    assert register.jaarregistratie["uren_per_week"].tolist()[0] == 6.0


def test_read_table_latin1(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("a;b\r\nCorpus den Hoorn;caf\xe9\r\n".encode("latin-1"))
    frame, problems = read_table(path)
    assert problems == []
    assert frame.loc[2, "b"] == "café"


def _with_column(text: str, header: str, value: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0] + "," + header] + [line + "," + value for line in lines[1:]]) + "\n"


def _header_only(text: str) -> str:
    return text.splitlines()[0] + "\n"


# Whole-file mistakes: (case, file, how the file is changed, expected file, message fragment)
FILE_CASES = [
    (
        "extra column",
        "kinderen.csv",
        lambda t: _with_column(t, "opmerking", "x"),
        "kinderen.csv",
        "onverwachte kolom",
    ),
    (
        "duplicate column",
        "kinderen.csv",
        lambda t: _with_column(t, "kind_id", "x"),
        "kinderen.csv",
        "kolom komt twee keer voor",
    ),
    (
        "column without a name",
        "kinderen.csv",
        lambda t: _with_column(t, "", "x"),
        "kinderen.csv",
        "kolom zonder naam",
    ),
    (
        "decimal comma with comma separator",
        "jaarregistratie.csv",
        lambda t: t.replace("praktisch,6.0", "praktisch,6,5"),
        "jaarregistratie.csv",
        "decimaal met komma",
    ),
    ("no trajecten at all", "trajecten.csv", _header_only, "trajecten.csv", "geen trajecten"),
    ("no children at all", "kinderen.csv", _header_only, "kinderen.csv", "geen kinderen"),
    (
        "a family without children",
        "kinderen.csv",
        lambda t: t.replace("C07,K04,2008,9\n", ""),
        "trajecten.csv",
        "gezin zonder kinderen",
    ),
    (
        "a year with no data",
        "jaarregistratie.csv",
        lambda t: t + "K02,2025,alleenstaande_moeder,pedagogisch,3.5\n",
        "jaarregistratie.csv",
        "geen enkele registratie voor 2024",
    ),
    (
        "registration in a year the traject did not run",
        "jaarregistratie.csv",
        lambda t: t + "K01,2023,ouders_met_kinderen,praktisch,6.0\n",
        "jaarregistratie.csv",
        "niet actief",
    ),
    (
        "child of an unknown traject",
        "kinderen.csv",
        lambda t: t + "C99,K77,2015,4\n",
        "kinderen.csv",
        "geen bekend traject",
    ),
    (
        "infinite number",
        "kinderen.csv",
        lambda t: t.replace("C01,K01,2019", "C01,K01,1e309"),
        "kinderen.csv",
        "geen geheel getal",
    ),
    (
        "wijk in lower case",
        "trajecten.csv",
        lambda t: t.replace(",Beijum,", ",beijum,"),
        "trajecten.csv",
        "bedoelt u 'Beijum'",
    ),
]


@pytest.mark.parametrize(
    ("file", "change", "where", "message"),
    [c[1:] for c in FILE_CASES],
    ids=[c[0] for c in FILE_CASES],
)
def test_rejects_whole_file_mistakes(register_copy, reference, file, change, where, message):
    path = register_copy / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    register, problems = validate_register(register_copy, reference, TODAY)
    assert register is None
    assert any(Path(p.file).name == where and message in p.message for p in problems), "\n".join(
        map(str, problems)
    )


# Files that are not CSV text at all: (case, bytes, message fragment)
BINARY_CASES = [
    ("Excel workbook, broken", b"PK\x03\x04\x14\x00\x06\x00", "geen leesbare Excel-werkmap"),
    ("NUL bytes without a BOM", b"traject_id\x00,wijk\n", "geen tekst"),
    ("only separators", b",,,\n,,,\n", "bestand is leeg"),
    ("only blank lines", b"\r\n\r\n  \n", "bestand is leeg"),
]


@pytest.mark.parametrize(
    ("data", "message"), [c[1:] for c in BINARY_CASES], ids=[c[0] for c in BINARY_CASES]
)
def test_rejects_files_that_are_not_csv(register_copy, reference, data, message):
    (register_copy / "trajecten.csv").write_bytes(data)
    register, problems = validate_register(register_copy, reference, TODAY)
    assert register is None
    assert any(message in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-16", "\t"), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-8", "\t")],
)
def test_unicode_and_tab_exports_are_accepted(register_copy, reference, encoding, sep):
    # Excel's "Unicode text" is UTF-16 with tabs; others use ';' or tabs with a decimal comma.
    for name in ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv"):
        path = register_copy / name
        text = path.read_text(encoding="utf-8").replace(",", sep)
        if sep != ",":
            text = text.replace("3.5", "3,5")
        path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    register, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    assert 3.5 in register.jaarregistratie["uren_per_week"].tolist()


def test_trailing_spaces_are_ignored(register_copy, reference):
    edit(register_copy / "trajecten.csv", "K01,Beijum,", "K01, Beijum ,")
    register, problems = validate_register(register_copy, reference, TODAY)
    assert problems == [] and "Beijum" in set(register.trajecten["wijk"])


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        (["2021", "-3", "007"], np.int64, [2021, -3, 7]),  # the fast path
        (["1.5", "2", "-0.25"], np.float64, [1.5, 2.0, -0.25]),
        (["1-2", "3"], np.int64, [np.nan, 3]),  # digits and signs only, yet not a number
        (["", "3"], np.int64, [np.nan, 3]),
        (["1.5", "3"], np.int64, [1.5, 3]),  # not plain: pandas decides (and _coerce rejects)
        (["99999999999999999999"], np.int64, [1e20]),  # too wide for 64 bits
        (["٣", "1_000", "1e3", " 4"], np.int64, [np.nan, np.nan, 1000, 4]),
        (["1.2.3", "."], np.float64, [np.nan, np.nan]),
    ],
)
def test_text_to_number_agrees_with_pandas(values, dtype, expected):
    plain = PLAIN_INTEGERS if dtype is np.int64 else PLAIN_DECIMALS
    series = pd.Series(values, dtype=object)
    got = _to_number(series, dtype, plain)
    np.testing.assert_array_equal(got.to_numpy(dtype=float), np.array(expected, dtype=float))
    np.testing.assert_array_equal(
        got.to_numpy(dtype=float), pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    )


@pytest.mark.parametrize(
    ("values", "valid"),
    [
        (["GV001", "GV002"], [True, True]),
        (["GV 001", "GV002"], [False, True]),
        (["GV001", ""], [True, False]),
        (["", "GV001"], [False, True]),
        (["A", "", "B"], [True, False, True]),
        (["A\tB"], [False]),
        ([""], [False]),
    ],
)
def test_id_check(values, valid):
    assert _is_id(pd.Series(values, dtype=object)).tolist() == valid


@pytest.mark.parametrize(
    ("cells", "typed"),
    [
        (["2019", "2021"], True),  # every cell a number: parsed by the C reader
        (["2019", "1e309"], False),  # does not fit an integer: read as text, reported later
        (["2019", "2019.5"], False),
        (["2019", ""], False),
        (["2019", "nan"], False),
        (["2019", "abc"], False),
    ],
)
def test_number_columns_are_parsed_directly_only_when_all_fit(tmp_path, cells, typed):
    path = tmp_path / "kinderen.csv"
    rows = [f"C{i},K{i},{c},5" for i, c in enumerate(cells)]
    path.write_text("\n".join(["kind_id,traject_id,geboortejaar,geboortemaand", *rows]) + "\n")
    frame, problems = read_table(path, {"geboortejaar": np.int64, "geboortemaand": np.int64})
    assert problems == []
    assert (frame["geboortejaar"].dtype == np.int64) is typed
    assert frame["geboortemaand"].dtype == (np.int64 if typed else object)
    assert frame["geboortejaar"].astype(str).tolist() == cells  # nothing lost either way


def test_number_columns_give_the_same_register_as_text(register_copy, reference):
    # A ';' export goes the text way; the same data with ',' the direct way.
    direct, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    for name in ("trajecten.csv", "jaarregistratie.csv", "kinderen.csv"):
        path = register_copy / name
        path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    text, problems = validate_register(register_copy, reference, TODAY)
    assert problems == []
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        pd.testing.assert_frame_equal(getattr(direct, name), getattr(text, name))
