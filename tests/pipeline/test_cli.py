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
