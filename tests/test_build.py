"""End to end: the pipeline on the small register, in a temporary project and output folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import FIXTURES, ROOT, TODAY
from evalkit.build import BuildConfig, BuildError, build
from evalkit.cli import main

pytestmark = pytest.mark.slow
BUNDLE = ROOT / "vendor" / "vega" / "evalkit-vega.min.js"


def make_project(target: Path) -> Path:
    for name in ("_config.yml", "_toc.yml"):
        shutil.copyfile(ROOT / name, target / name)
    for folder in ("book", "notebooks", "data"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("register"))
    return target


def config(project: Path, out: Path, **kwargs) -> BuildConfig:
    # One cache for all builds of this module: the audit is computed once.
    return BuildConfig(
        project=project,
        cache=project.parent / "shared-cache",
        register=FIXTURES / "register-klein",
        out=out,
        today=TODAY,
        vega_bundle=BUNDLE,
        python=sys.executable,
        **kwargs,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("out") / "_build"
    lines: list[str] = []
    build(config(project, out), log=lines.append)
    return project, out, lines


def test_html_and_exactly_one_pdf(built):
    _, out, _ = built
    assert (out / "html" / "index.html").is_file()
    assert [p.name for p in (out / "pdf").iterdir()] == ["evaluatie-pilot-gezinsverzorger.pdf"]


def test_glued_number_in_html_and_pdf(built):
    _, out, _ = built
    # The small register has 4 trajecten (see tests/fixtures/register-klein).
    index = (out / "html" / "book" / "index.html").read_text(encoding="utf-8")
    assert 'bevat <span class="pasted-text">4</span> trajecten' in index
    pdf_text = subprocess.run(
        ["pdftotext", str(out / "pdf" / "evaluatie-pilot-gezinsverzorger.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "bevat 4 trajecten" in " ".join(pdf_text.split())


def test_chart_uses_local_vega_bundle(built):
    _, out, _ = built
    page = (out / "html" / "notebooks" / "jaar-2022.html").read_text(encoding="utf-8")
    assert 'src="../_static/evalkit-vega.min.js' in page
    assert "vegaEmbed(" in page and "cdn." not in page.lower()
    assert (out / "html" / "_static" / "evalkit-vega.min.js").stat().st_size > 500_000


def test_parameters_hidden_and_shown_readably(built):
    _, out, _ = built
    page = (out / "html" / "notebooks" / "jaar-2022.html").read_text(encoding="utf-8")
    assert "injected-parameters" not in page and 'register_dir = "' not in page
    assert "Parameters van dit hoofdstuk" in page and "register-klein" in page


def test_progress_names_notebooks(built):
    _, _, lines = built
    text = "\n".join(lines)
    assert "ingepland: jaar-2022 (jaar=2022)" in text and "nog 0 te gaan" in text


def test_data_files(built):
    _, out, _ = built
    lines = (out / "data" / "wijken-2022.csv").read_text().splitlines()
    assert lines[:2] == ["categorie,gezinnen,procent,procent_tekst", "Beijum,2,67.0,67%"]
    assert "jaar-2022,actief,3" in (out / "data" / "glue.csv").read_text()
    reconciliation = (out / "data" / "reconciliation.csv").read_text().splitlines()[0]
    assert reconciliation == "claim_id,document,quote,published,recomputed,status,explanation"
    assert (out / "data" / "consistency.csv").read_text().startswith("conflict_id,claim_id,")


def test_second_build_does_nothing(built):
    project, out, _ = built
    before = os.readlink(out / "current")
    lines: list[str] = []
    build(config(project, out), log=lines.append)
    assert os.readlink(out / "current") == before
    assert any("niets veranderd" in line for line in lines)


def test_failing_notebook_keeps_previous_book(built, capsys):
    project, out, _ = built
    before = os.readlink(out / "current")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('kapot gemaakt')"),
    ]
    nbformat.write(nb, project / "notebooks" / "kapot.ipynb")
    try:
        code = main(
            [
                "--project",
                str(project),
                "build",
                "--register",
                str(FIXTURES / "register-klein"),
                "--out",
                str(out),
                "--today",
                TODAY.isoformat(),
                "--vega-bundle",
                str(BUNDLE),
            ]
        )
    finally:
        (project / "notebooks" / "kapot.ipynb").unlink()
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "notebooks/kapot.ipynb" in err
        and "cel 2 (raise ValueError('kapot gemaakt'))" in err
        and "kapot gemaakt" in err
    )
    assert os.readlink(out / "current") == before
    assert (out / "html" / "index.html").is_file()
    assert list((out / ".staging").iterdir()) == []


def test_sphinx_warning_fails_the_build(built, tmp_path):
    project, _, _ = built
    page = project / "book" / "index.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(
        original + "\nZie {glue:text}`/notebooks/jaar-2022.ipynb::bestaat_niet:s`.\n",
        encoding="utf-8",
    )
    try:
        with pytest.raises(BuildError, match="bestaat_niet"):
            build(config(project, tmp_path / "out", pdf=False), log=lambda _: None)
    finally:
        page.write_text(original, encoding="utf-8")
    assert not (tmp_path / "out" / "html").exists()


def test_python_m_evalkit_help():
    proc = subprocess.run(
        [sys.executable, "-m", "evalkit", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in proc.stdout and "reconstruct" in proc.stdout
