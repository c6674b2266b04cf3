"""What a notebook depends on: declared inputs cover what its code reads; keys follow them."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import BUNDLE, FIXTURES, ROOT, TODAY
from evalkit.pipeline.build import INPUTS, BuildConfig, input_hashes, job_key, plan

TEMPLATES = sorted((ROOT / "notebooks").glob("*.ipynb"))
# What a call reads, beyond the folders it names itself (``Path(data_dir) / "quotes"``).
CALLS = {
    "load_context(": {"register", "sources", "claims", "reference"},
    "Chapter(": {"register"},  # the register's hash in every provenance note
    "data_hashes(": set(INPUTS),
}


def detected_reads(template) -> set[str]:
    code = "\n".join(
        c.source for c in nbformat.read(template, as_version=4).cells if c.cell_type == "code"
    )
    found = {name for name in INPUTS if re.search(rf'["\']{name}["\']', code)}
    for call, reads in CALLS.items():
        if call in code:
            found |= reads
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
def test_declared_inputs_cover_what_the_code_reads(template):
    declared = set(
        nbformat.read(template, as_version=4).metadata.get("evalkit", {}).get("reads", INPUTS)
    )
    assert detected_reads(template) <= declared


def test_detection_is_not_vacuous():
    assert detected_reads(ROOT / "notebooks" / "citaten.ipynb") == {"sources", "quotes"}
    assert "context" in detected_reads(ROOT / "notebooks" / "bjh.ipynb")


@pytest.fixture()
def jobs_and_hashes():
    config = BuildConfig(
        project=ROOT,
        register=FIXTURES / "register-klein",
        out=ROOT / "_build" / "unused",
        today=TODAY,
        vega_bundle=BUNDLE,
    )
    return plan(config, [2022, 2023], ROOT / "audit.json"), input_hashes(config)


@pytest.mark.parametrize(
    ("changed", "rerun"),
    [
        ("quotes", {"citaten", "colofon"}),
        ("context", {"bjh", "financien", "tijdlijn", "colofon"}),
        (
            "reference",
            {
                "jaar-2022",
                "jaar-2023",
                "overzicht",
                "vergelijking",
                "consistentie",
                "verantwoording",
                "bronnen",
                "bjh",
                "financien",
                "tijdlijn",
                "gegevens",
                "colofon",
            },
        ),
    ],
)
def test_a_changed_input_reruns_only_its_readers(jobs_and_hashes, changed, rerun):
    jobs, hashes = jobs_and_hashes
    before = {j.name: job_key(j, hashes) for j in jobs}
    after = {j.name: job_key(j, {**hashes, changed: "edited"}) for j in jobs}
    assert {name for name in before if before[name] != after[name]} == rerun


def test_a_package_change_reruns_everything(jobs_and_hashes):
    jobs, hashes = jobs_and_hashes
    changed = {j.name for j in jobs if job_key(j, hashes) != job_key(j, {**hashes, "package": "x"})}
    assert changed == {j.name for j in jobs}
