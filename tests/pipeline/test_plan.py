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
    "load_claims_context(": {"sources", "claims", "reference"},
    # the register's hash in every provenance note of a chapter that names the register
    '"register_dir": register_dir': {"register"},
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
    assert "register" in detected_reads(ROOT / "notebooks" / "financien.ipynb")


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
        # The consistency chapter reads the budget (per-gezin range, flat monthly spend).
        ("context", {"bjh", "financien", "tijdlijn", "consistentie", "colofon"}),
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


READERS_OF_THE_WHOLE_REGISTER = {
    "overzicht",
    "vergelijking",
    "consistentie",
    "verantwoording",
    "bronnen",
    "financien",
    "colofon",
}


@pytest.mark.parametrize(
    ("changed", "rerun"),
    [
        # One 2023 value: the files change, and so does the 2023 slice; 2022 is reused.
        (("register", "register:2023"), {"jaar-2023"} | READERS_OF_THE_WHOLE_REGISTER),
        # A value of a family active in both years changes both slices.
        (
            ("register", "register:2022", "register:2023"),
            {"jaar-2022", "jaar-2023"} | READERS_OF_THE_WHOLE_REGISTER,
        ),
        # Only the files (say a row moved): the year chapters' slices are the same.
        (("register",), READERS_OF_THE_WHOLE_REGISTER),
    ],
    ids=["a-2023-value", "a-value-of-both-years", "files-only"],
)
def test_a_year_chapter_is_keyed_by_its_slice(jobs_and_hashes, changed, rerun):
    jobs, hashes = jobs_and_hashes
    before = {j.name: job_key(j, hashes) for j in jobs}
    edited = {**hashes, **{name: "edited" for name in changed}}
    after = {j.name: job_key(j, edited) for j in jobs}
    assert {name for name in before if before[name] != after[name]} == rerun


def test_slices_are_hashed_per_year(jobs_and_hashes):
    _, hashes = jobs_and_hashes
    assert {k for k in hashes if k.startswith("register:")} == {"register:2022", "register:2023"}
    assert hashes["register:2022"] != hashes["register:2023"]


@pytest.mark.parametrize(
    "template",
    [t for t in TEMPLATES if nbformat.read(t, as_version=4).metadata.get("evalkit", {}).get("per")],
    ids=lambda t: t.stem,
)
def test_year_templates_compute_from_their_slice_only(template):
    code = "\n".join(
        c.source for c in nbformat.read(template, as_version=4).cells if c.cell_type == "code"
    )
    assert "load_context(" in code and "jaar=jaar)" in code
    assert "register=ctx.digest" in code  # the provenance shows the slice's digest
    assert "data_hashes(" not in code and "load_register(" not in code


def test_the_bounds_table_is_in_every_key():
    config = BuildConfig(
        project=ROOT,
        register=FIXTURES / "register-klein",
        out=ROOT / "_build" / "unused",
        today=TODAY,
        vega_bundle=BUNDLE,
    )
    hashes = input_hashes(config)
    keys = [
        {j.name: job_key(j, hashes) for j in plan(config, [2022], ROOT / "audit.json", b)}
        for b in ("cache/bounds/bounds-aaa.csv", "cache/bounds/bounds-bbb.csv")
    ]
    assert all(j.parameters["bounds_file"] for j in plan(config, [2022], ROOT / "a.json", "b"))
    assert all(keys[0][name] != keys[1][name] for name in keys[0])
