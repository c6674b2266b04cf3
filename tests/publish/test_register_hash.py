"""The register's hash covers its tables whatever their form: CSV files, workbooks, one workbook."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import Workbook

from conftest import FIXTURES
from evalkit.publish.provenance import data_hashes, register_hash


def _book(path, value):
    wb = Workbook()
    wb.active.append(["traject_id", "wijk"])
    wb.active.append(["K01", value])
    wb.save(path)
    return path


@pytest.mark.parametrize("layout", ["one workbook", "a workbook in the folder"])
def test_a_workbook_register_hash_changes_with_a_cell(tmp_path, layout):
    if layout == "one workbook":
        path = book = tmp_path / "register.xlsx"
    else:
        path = shutil.copytree(FIXTURES / "register-klein", tmp_path / "register")
        (path / "trajecten.csv").unlink()
        book = path / "trajecten.xlsx"
    before = register_hash(_book(book, "Beijum"))
    assert len(before) == 12 and before != register_hash(tmp_path / "missing")
    assert register_hash(_book(book, "Selwerd")) != before


def test_a_workbook_is_named_as_a_file_in_the_colofon(tmp_path, root):
    path = _book(tmp_path / "register.xlsx", "Beijum")
    assert data_hashes(path, root / "data").iloc[0, 1] == "register.xlsx"
    assert data_hashes(FIXTURES / "register-klein", root / "data").iloc[0, 1] == "register-klein/"
