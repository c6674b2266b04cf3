"""Executing notebooks: one kernel per worker, reset in between; pages that paste glued values."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from evalkit.pipeline.build import NotebookJob, execute_notebooks, touch_pasting_pages


def _template(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 0", metadata={"tags": ["parameters"]})]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.write(nb, path)
    return path


def _stdout(nb) -> list[str]:
    return [
        "".join(o.get("text", "") for o in c.outputs if o.get("name") == "stdout").strip()
        for c in nb.cells
        if c.cell_type == "code" and c.outputs
    ]


def test_one_worker_kernel_runs_each_notebook_as_if_fresh(tmp_path):
    """The second notebook in the same kernel sees nothing of the first, counts from 1 again."""
    first = _template(tmp_path / "eerste.ipynb", "geheim = 41 + x", "print(geheim)")
    second = _template(
        tmp_path / "tweede.ipynb",
        "print('geheim' in dir())",
        "import os\nprint(os.getpid())",
    )
    jobs = [
        NotebookJob(first, "eerste", {"x": 1}),
        NotebookJob(second, "tweede", {"x": 2}),
        NotebookJob(first, "derde", {"x": 3}),
    ]
    keys = {job.name: f"sleutel-{job.name}" for job in jobs}
    execute_notebooks(jobs, tmp_path / "uit", tmp_path / "cache", keys, 1, lambda _: None)
    out = {j.name: nbformat.read(tmp_path / "uit" / f"{j.name}.ipynb", 4) for j in jobs}
    assert _stdout(out["eerste"]) == ["42"]
    assert _stdout(out["tweede"])[0] == "False"
    assert _stdout(out["derde"]) == ["44"]
    # The same kernel process ran them (no new kernel per notebook) ...
    pid = int(_stdout(out["tweede"])[1])
    assert pid != os.getpid()
    # ... and every notebook counts its cells from 1, as a fresh kernel does.
    for nb in out.values():
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        assert counts == list(range(1, len(counts) + 1))


def test_a_failing_notebook_does_not_spoil_the_next(tmp_path):
    bad = _template(tmp_path / "fout.ipynb", "kapot = 1\nraise ValueError('stuk')")
    good = _template(tmp_path / "goed.ipynb", "print('kapot' in dir())")
    jobs = [NotebookJob(bad, "fout"), NotebookJob(good, "goed")]
    keys = {job.name: f"sleutel-{job.name}" for job in jobs}
    with pytest.raises(Exception, match=r"fout\.ipynb.*ValueError: stuk"):
        execute_notebooks(jobs, tmp_path / "uit", tmp_path / "cache", keys, 1, lambda _: None)
    done = nbformat.read(tmp_path / "cache" / "sleutel-goed.ipynb", 4)
    assert _stdout(done) == ["False"]


DIRECTIVE = "\n```{glue} k\n:doc: /notebooks/overzicht.ipynb\n```"


@pytest.mark.parametrize(
    ("page", "text", "changed", "touched"),
    [
        ("book/index.md", "{glue:text}`/notebooks/overzicht.ipynb::n:s`", ["overzicht"], True),
        ("book/index.md", "{glue:text}`notebooks/overzicht.ipynb::n`", ["overzicht"], True),
        ("book/index.md", "{glue}`/notebooks/overzicht.ipynb::n`", ["overzicht"], True),
        ("book/index.md", ":::{glue:figure} /notebooks/jaar-2023.ipynb::g", ["jaar-2023"], True),
        ("book/index.md", DIRECTIVE, ["overzicht"], True),
        ("book/index.md", DIRECTIVE, ["bjh"], False),
        ("book/index.md", "{glue:text}`/notebooks/overzicht.ipynb::n:s`", ["jaar-2023"], False),
        ("book/index.md", "{glue:text}`n_claims`", ["overzicht"], False),
        ("_build/html/x.md", "{glue:text}`/notebooks/overzicht.ipynb::n`", ["overzicht"], False),
    ],
)
def test_pages_that_paste_from_a_changed_notebook_are_reread(
    tmp_path, page, text, changed, touched
):
    path = tmp_path / page
    path.parent.mkdir(parents=True)
    path.write_text(f"Tekst {text} meer tekst.\n", encoding="utf-8")
    os.utime(path, (1_000_000, 1_000_000))
    result = touch_pasting_pages(tmp_path, changed)
    assert result == ([page] if touched else [])
    assert (path.stat().st_mtime > 1_000_000) is touched
