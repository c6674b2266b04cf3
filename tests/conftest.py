"""Shared fixtures: the project root, the reference vocabularies, the small hand-made register."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from evalkit.inputs.register import load_reference, load_register
from evalkit.pipeline.build import BuildConfig, build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)
BUNDLE = ROOT / "vendor" / "vega" / "evalkit-vega.min.js"
#: Test artefacts that are worth keeping (screenshots, the axe report) go here.
ARTEFACTS = ROOT / "_build" / "test-artefacts"


def make_project(target: Path) -> Path:
    """A copy of the project (without its register) to build in, so tests can change it."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copyfile(ROOT / name, target / name)
    for folder in ("book", "notebooks", "data"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("register"))
    return target


def build_args(project: Path, register: Path, out: Path, *extra: str) -> list[str]:
    """Arguments of ``evalkit build`` for a test: fixed date and the local Vega bundle."""
    return [
        "--project",
        str(project),
        "build",
        "--register",
        str(register),
        "--out",
        str(out),
        "--today",
        TODAY.isoformat(),
        "--vega-bundle",
        str(BUNDLE),
        "--no-bounds",
        *extra,
    ]


def book_config(project: Path, out: Path, **kwargs) -> BuildConfig:
    """Build settings for the small register; one cache for the whole session."""
    return BuildConfig(
        project=project,
        cache=project.parent / "shared-cache",
        register=FIXTURES / "register-klein",
        out=out,
        today=TODAY,
        vega_bundle=BUNDLE,
        python=sys.executable,
        commit="0123456789ab",
        # the bounds of the real claims take minutes cold; their own tests cover them
        **({"bounds": False} | kwargs),
    )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole book (HTML and PDF) built once from the small register."""
    project = make_project(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("out") / "_build"
    lines: list[str] = []
    build(book_config(project, out), log=lines.append)
    return project, out, lines


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
