"""One fault, one message: each bad input is reported once, at its cell, as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from workbooks import write_workbook

from conftest import FIXTURES, TODAY
from evalkit.inputs.errors import InputError
from evalkit.inputs.register import TABLES, validate_register


def edit(name: str, old: str, new: str):
    def change(folder: Path) -> Path:
        path = folder / f"{name}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    return change


def header_only(name: str):
    def change(folder: Path) -> Path:
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n")
        return folder

    return change


def workbook_without(name: str):
    def change(folder: Path) -> Path:
        return write_workbook(folder, folder.parent / "r.xlsx", [t for t in TABLES if t != name])

    return change


# (case, change, number of problems, the first: (row, column, value, message fragment))
CASES = [
    (
        "inverted start and end",
        edit("trajecten", "2022-01-10,2022-09-30", "2022-09-30,2022-01-10"),
        1,
        (2, "einddatum", "2022-01-10", "einddatum ligt voor startdatum (2022-01-10 is eerder"),
    ),
    (
        "start before aanmelding, Dutch dates",
        edit("trajecten", "2022-03-01,2022-03-07", "07-03-2022,01-03-2022"),
        1,
        (3, "startdatum", "01-03-2022", "(01-03-2022 is eerder dan 07-03-2022)"),
    ),
    (
        "empty startdatum",
        edit("trajecten", "2022-03-01,2022-03-07", "2022-03-01,"),
        1,
        (3, "startdatum", None, "lege waarde niet toegestaan"),
    ),
    (
        "invalid startdatum",
        edit("trajecten", "2022-03-01,2022-03-07", "2022-03-01,2022-13-07"),
        1,
        (3, "startdatum", "2022-13-07", "deze datum bestaat niet"),
    ),
    (
        "invalid einddatum with a reden",
        edit("trajecten", "2022-09-30,opgelost", "2022-09-31,opgelost"),
        1,
        (2, "einddatum", "2022-09-31", "deze datum bestaat niet"),
    ),
    (
        "ambiguous date",
        edit("trajecten", "2022-03-01,2022-03-07", "2022-03-01,07/03/22"),
        1,
        (3, "startdatum", "07/03/22", "schrijf 07-03-2022 (dag-maand-jaar) of 2022-03-07"),
    ),
    (
        "date in the future",
        edit("trajecten", "2023-02-01,2023-02-06,,", "2023-02-01,2023-02-06,2031-01-01,opgelost"),
        1,
        (5, "einddatum", "2031-01-01", "datum ligt niet tussen"),
    ),
    (
        "einddatum without reden",
        edit("trajecten", "2022-09-30,opgelost", "2022-09-30,"),
        1,
        (2, "reden_einde", None, "reden_einde ontbreekt; die hoort ingevuld"),
    ),
    (
        "reden without einddatum",
        edit("trajecten", "2022-03-07,,", "2022-03-07,,overig"),
        1,
        (3, "reden_einde", "overig", "er is geen einddatum"),
    ),
    (
        "unknown wijk",
        edit("trajecten", "K04,Haren", "K04,Harn"),
        1,
        (5, "wijk", "Harn", "bedoelt u 'Haren'"),
    ),
    (
        "empty wijk",
        edit("trajecten", "K04,Haren", "K04,"),
        1,
        (5, "wijk", None, "lege waarde niet toegestaan"),
    ),
    (
        "duplicate traject id",
        edit("trajecten", "K01,Beijum", "K02,Beijum"),
        1,
        (3, "traject_id", "K02", "traject_id K02 komt al voor in rij 2"),
    ),
    (
        "duplicate yearly registration",
        edit("jaarregistratie", "K02,2023,", "K02,2022,"),
        1,
        (4, "jaar", "2022", "traject K02 heeft al een registratie voor 2022 in rij 3"),
    ),
    (
        "hours out of range",
        edit("jaarregistratie", "praktisch,6.0", "praktisch,400"),
        1,
        (2, "uren_per_week", "400", "buiten het bereik"),
    ),
    (
        "hours not a number",
        edit("jaarregistratie", "praktisch,6.0", "praktisch,zes"),
        1,
        (2, "uren_per_week", "zes", "geen getal"),
    ),
    ("header-only trajecten", header_only("trajecten"), 1, (None, None, None, "geen trajecten")),
    ("header-only kinderen", header_only("kinderen"), 1, (None, None, None, "geen kinderen")),
    (
        "header-only jaarregistratie",
        header_only("jaarregistratie"),
        1,
        (None, None, None, "geen jaarregistraties"),
    ),
    (
        "orphan kinderen row",
        edit("kinderen", "C07,K04", "C07,K99"),
        1,
        (8, "traject_id", "K99", "kind hoort bij geen bekend traject"),
    ),
    (
        "mistyped traject of a registration",
        edit("jaarregistratie", "K01,2022", "K0l,2022"),
        1,
        (2, "traject_id", "K0l", "registratie hoort bij geen traject"),
    ),
    (
        "missing registration",
        edit("jaarregistratie", "K02,2023,alleenstaande_moeder,pedagogisch,3.5\n", ""),
        1,
        (3, "traject_id", "K02", "actief in 2023 maar zonder jaarregistratie voor 2023"),
    ),
    (
        "renamed column",
        edit("trajecten", "traject_id,wijk", "traject,wijk"),
        1,
        (None, "traject_id", "traject", "kolom ontbreekt; heet die hier 'traject'?"),
    ),
    (
        "workbook without a sheet",
        workbook_without("kinderen"),
        1,
        (None, None, None, "werkblad 'kinderen' ontbreekt"),
    ),
    (
        "two faults in two tables",
        lambda f: edit("kinderen", "C05,K03,2016,1", "C05,K03,2016,13")(
            edit("trajecten", "K04,Haren", "K04,Harn")(f)
        ),
        2,
        (5, "wijk", "Harn", "bedoelt u"),
    ),
]


@pytest.mark.parametrize(
    ("change", "count", "first"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_one_fault_one_message(register_copy, reference, change, count, first):
    register, problems = validate_register(change(register_copy), reference, TODAY)
    assert register is None
    shown = str(InputError(problems))
    assert len(problems) == count, shown
    p = problems[0]
    assert (p.row, p.column, p.value) == first[:3], shown
    assert first[3] in p.message, shown
    assert "Timestamp" not in shown and "np." not in shown and "NaT" not in shown


def test_root_cause_first(register_copy, reference):
    # A broken file and a bad cell elsewhere: the file comes first, then the cell.
    edit("trajecten", "K04,Haren", "K04,Harn")(register_copy)
    (register_copy / "kinderen.csv").unlink()
    _, problems = validate_register(register_copy, reference, TODAY)
    assert [(Path(p.file).name, p.row) for p in problems] == [
        ("kinderen.csv", None),
        ("trajecten.csv", 5),
    ]


def test_the_small_register_is_clean(reference):
    # The cases above change a register that has no problem of its own.
    assert validate_register(FIXTURES / "register-klein", reference, TODAY)[1] == []
