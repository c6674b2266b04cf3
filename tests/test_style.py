"""The code style the project keeps: ruff on the package, the tests and the notebooks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [["check", "src", "tests", "notebooks"], ["format", "--check", "src", "tests", "notebooks"]],
    ids=["lint", "format"],
)
def test_ruff(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
