"""Provenance: the notes under figures, input hashes, versions, and the release files."""

from __future__ import annotations

import importlib
import re

import pytest
import yaml

from conftest import FIXTURES, ROOT
from evalkit import __version__
from evalkit.compute import context, metrics
from evalkit.compute.rounding import percentages
from evalkit.publish import report
from evalkit.publish.provenance import (
    CODE_MODULES,
    CODE_PAGE,
    Chapter,
    data_hashes,
    function_link,
    function_name,
    register_hash,
    tree_hash,
    versions_table,
)


def test_note_names_function_notebook_register_commit_and_download():
    chapter = Chapter(
        "notebooks/jaar.ipynb", {"jaar": 2022, "register_dir": str(FIXTURES / "register-klein")}
    )
    note = chapter.note([metrics.wijk_counts], table="wijken-2022")
    assert "{py:func}`evalkit.compute.metrics.wijk_counts`" in note
    assert "{doc}`/book/code`" in note  # the appendix, named in print too
    assert "`notebooks/jaar.ipynb` (jaar = 2022)" in note
    assert f"sha256 `{register_hash(FIXTURES / 'register-klein')}`" in note
    assert "commit {{ commit }}" in note  # filled in by the build for every page
    assert "{download}`wijken-2022.csv </downloads/wijken-2022.csv>`" in note


def test_note_without_table_has_no_download():
    chapter = Chapter("notebooks/bjh.ipynb", {})
    assert "download" not in chapter.note([metrics.count_active])


@pytest.mark.parametrize("func", [metrics.wijk_counts, metrics.mean_caseload, Chapter.note])
def test_function_names_are_importable(func):
    module, _, name = function_name(func).rpartition(".")
    if "." in name or module.endswith("Chapter"):
        module, _, cls = module.rpartition(".")
        assert getattr(getattr(importlib.import_module(module), cls), name) is func
    else:
        assert getattr(importlib.import_module(module), name) is func


def test_register_hash_changes_with_one_byte(register_copy):
    before = register_hash(register_copy)
    path = register_copy / "trajecten.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert register_hash(register_copy) != before


def test_tree_hash_sees_files_in_subfolders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("1")
    before = tree_hash(tmp_path)
    (tmp_path / "a" / "x.txt").write_text("2")
    assert tree_hash(tmp_path) != before


def test_data_hashes_cover_every_input():
    table = data_hashes(ROOT / "data" / "register", ROOT / "data")
    assert list(table["Map"]) == [
        "register/",
        "data/sources/",
        "data/claims/",
        "data/reference/",
        "data/context/",
        "data/quotes/",
    ]
    assert table["sha256 (eerste 12 tekens)"].str.fullmatch(r"[0-9a-f]{12}").all()


def test_versions_table_lists_the_build_stack():
    table = dict(versions_table().itertuples(index=False))
    assert table["evalkit"] == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", table["Python"])
    assert table["jupyter-book"] == "1.0.4.post1"


def test_release_files_agree_on_the_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == __version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)} — \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert str(citation["date-released"]) in changelog


@pytest.mark.parametrize(
    ("func", "link"),
    [
        (metrics.wijk_counts, "{py:func}`evalkit.compute.metrics.wijk_counts`"),
        (percentages, "{py:func}`evalkit.compute.rounding.percentages`"),
        (report.distribution_section, "{py:func}`evalkit.publish.report.distribution_section`"),
        (report.reconcile, "{py:func}`evalkit.compute.reconcile.reconcile`"),
    ],
)
def test_function_link_points_into_the_code_appendix(func, link):
    assert function_link(func) == link


def test_function_link_refuses_a_module_the_appendix_does_not_document():
    with pytest.raises(
        ValueError, match=re.escape("evalkit.publish.provenance is not in the code appendix")
    ):
        function_link(register_hash)


def test_code_appendix_documents_every_module_and_is_in_the_toc():
    page = (ROOT / (CODE_PAGE.lstrip("/") + ".md")).read_text(encoding="utf-8")
    documented = re.findall(r"^\.\. automodule:: (\S+)$", page, flags=re.M)
    assert documented == list(CODE_MODULES)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c.get("file") for part in toc["parts"] for c in part["chapters"]]
    assert CODE_PAGE.lstrip("/") in files
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert {"sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinx.ext.napoleon"} <= set(
        config["sphinx"]["extra_extensions"]
    )


def test_every_function_a_notebook_names_is_linked():
    # Every function passed as computed_by in a notebook lives in a documented module.
    names = set()
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        source = nb.read_text(encoding="utf-8")
        for block in re.findall(r"computed_by=\[([^\]]*)\]", source.replace('\\n",\n    "', "")):
            names.update(re.findall(r"\b(\w+)\.(\w+)\b", block))
    assert ("metrics", "count_active") in names and ("context", "timeline") in names
    modules = {"metrics": metrics, "context": context, "report": report}
    for alias, name in sorted(names):
        func = getattr(modules[alias], name)
        assert func.__module__ in CODE_MODULES, (alias, name)
