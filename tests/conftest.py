"""Shared fixtures: the project root, the reference vocabularies, the small hand-made register."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from evalkit.register import load_reference, load_register

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def reference():
    return load_reference(ROOT / "data" / "reference")


@pytest.fixture(scope="session")
def small_register(reference):
    return load_register(FIXTURES / "register-klein", reference, TODAY)


@pytest.fixture()
def register_copy(tmp_path) -> Path:
    """A writable copy of the small register, for tests that break it on purpose."""
    target = tmp_path / "register"
    shutil.copytree(FIXTURES / "register-klein", target)
    return target
