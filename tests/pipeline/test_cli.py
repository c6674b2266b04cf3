"""The command line: bad input stops the build before anything is computed, with every problem."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT, build_args, make_project
from evalkit.pipeline.cli import main


def run_build(project, register, out, *extra):
    return main(build_args(project, register, out, *extra))


def test_bad_register_stops_before_computing(register_copy, tmp_path, capsys):
    (register_copy / "trajecten.csv").write_text(
        (register_copy / "trajecten.csv").read_text().replace("K04,Haren", "K04,Harn"),
        encoding="utf-8",
    )
    (register_copy / "kinderen.csv").unlink()
    out = tmp_path / "out"
    code = run_build(ROOT, register_copy, out)
    err = capsys.readouterr().err
    assert code == 2
    assert "de invoer is ongeldig; er is niets berekend" in err
    assert "trajecten.csv, rij 5, kolom 'wijk', waarde 'Harn'" in err
    assert "bedoelt u 'Haren'" in err
    assert "kinderen.csv: bestand ontbreekt" in err  # every problem, not only the first
    assert not (out / "cache").exists() and not (out / "current").exists()


def test_bad_claim_and_bad_register_are_reported_together(register_copy, tmp_path, capsys):
    (tmp_path / "project").mkdir()
    project = make_project(tmp_path / "project")
    claims = project / "data" / "claims" / "wij-rapportage-2023.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace("De afgesloten trajecten hadden", "De gesloten trajecten hadden", 1),
        encoding="utf-8",
    )
    (register_copy / "kinderen.csv").write_text("")
    code = run_build(project, register_copy, tmp_path / "out")
    err = capsys.readouterr().err
    assert code == 2
    assert "wij-rapportage-2023.yaml" in err and "kinderen.csv: bestand is leeg" in err


def test_unknown_disclosure_policy_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        run_build(ROOT, FIXTURES / "register-klein", tmp_path / "out", "--disclosure", "streng")
    assert info.value.code == 2
    assert "invalid choice: 'streng'" in capsys.readouterr().err


def test_validate_command_lists_problems(register_copy, capsys):
    (register_copy / "kinderen.csv").write_text("kind_id,traject_id\n")
    code = main(
        [
            "--project",
            str(ROOT),
            "validate",
            "--register",
            str(register_copy),
            "--today",
            "2026-11-22",
        ]
    )
    assert code == 2
    assert "kinderen.csv" in capsys.readouterr().err


def _cli(*args):
    return main(["--project", str(ROOT), *args])


def test_sjabloon_writes_a_template_that_validate_reads(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "sjabloon.xlsx"
    assert _cli("sjabloon", "--out", str(out)) == 0
    assert f"sjabloon geschreven: {out}" in capsys.readouterr().err
    assert load_workbook(out).sheetnames[0] == "Toelichting"
    # Empty, it is not a register yet: validate says so, per werkblad.
    assert _cli("validate", "--register", str(out), "--today", "2026-11-22") == 2
    err = capsys.readouterr().err
    assert f"{out}, werkblad 'trajecten': het register bevat geen trajecten" in err


@pytest.mark.parametrize(
    ("name", "message"),
    [("sjabloon.csv", "geef een naam op .xlsx"), ("nergens/sjabloon.xlsx", "map bestaat niet")],
)
def test_sjabloon_refuses_a_wrong_target(tmp_path, capsys, name, message):
    assert _cli("sjabloon", "--out", str(tmp_path / name)) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_validate_reads_a_workbook(tmp_path, capsys):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "trajecten"
    for name in ("jaarregistratie", "kinderen"):
        wb.create_sheet(name)
    for name in ("trajecten", "jaarregistratie", "kinderen"):
        rows = (FIXTURES / "register-klein" / f"{name}.csv").read_text().splitlines()
        for line in rows:
            wb[name].append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    wb["kinderen"]["D8"] = 13  # C07's month
    wb.save(tmp_path / "register.xlsx")
    assert (
        _cli("validate", "--register", str(tmp_path / "register.xlsx"), "--today", "2026-11-22")
        == 2
    )
    err = capsys.readouterr().err
    assert "1 probleem/problemen" in err
    assert "register.xlsx, werkblad 'kinderen', rij 8, kolom 'geboortemaand', waarde '13'" in err
