"""Provenance: the notes under figures, input hashes, versions, and the release files."""

from __future__ import annotations

import importlib
import re

import pytest
import yaml

from conftest import FIXTURES, ROOT
from evalkit import __version__
from evalkit.compute import metrics
from evalkit.publish.provenance import (
    Chapter,
    data_hashes,
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
    assert "`evalkit.compute.metrics.wijk_counts`" in note
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
