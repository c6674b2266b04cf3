"""The package's layers: each stage imports only from earlier stages (import-linter contract)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
STAGES = ["inputs", "compute", "solver", "publish", "pipeline"]


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def test_contract_names_every_stage_in_pipeline_order():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    assert contract["type"] == "layers"
    assert contract["layers"] == [f"evalkit.{s}" for s in reversed(STAGES)]
    packages = sorted(p.name for p in (ROOT / "src" / "evalkit").iterdir() if p.is_dir())
    assert sorted(STAGES) == [p for p in packages if p != "__pycache__"]


def test_the_package_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "import_line"),
    [
        ("inputs/errors.py", "from evalkit.compute import metrics"),
        ("compute/rounding.py", "from evalkit.solver import audit"),
        ("publish/charts.py", "import evalkit.pipeline.build"),
    ],
)
def test_an_import_from_a_later_stage_breaks_the_contract(tmp_path, module, import_line):
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "evalkit" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{import_line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Contracts: 0 kept, 1 broken." in result.stdout
