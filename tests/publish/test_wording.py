"""The sentences that depend on the register: the same places filled for both kinds."""

from __future__ import annotations

import re

import pytest

from evalkit.compute.disclosure import POLICIES
from evalkit.inputs.manifest import REAL_EXPORT, Manifest
from evalkit.publish import wording

SYNTHETIC = Manifest(synthetic=True, title="Synthetisch testregister", created="2026-11-23")
REAL = Manifest(
    synthetic=False,
    title="Export WIJ, pilot gezinsverzorger",
    created="2025-03-01",
    sources=("Registratiesysteem WIJ Groningen",),
)
SYNTHETIC_WORD = re.compile(r"synthet", re.IGNORECASE)


def test_both_kinds_fill_the_same_placeholders():
    assert set(wording.placeholders("synthetisch")) == set(wording.placeholders("echt"))


@pytest.mark.parametrize("key", sorted(wording.PLACEHOLDERS["echt"]))
def test_real_register_texts_never_say_synthetic(key):
    assert not SYNTHETIC_WORD.search(wording.placeholders("echt")[key])


@pytest.mark.parametrize(
    "text",
    [
        wording.register_summary(REAL),
        wording.register_description(REAL),
        wording.register_description(REAL_EXPORT),
        wording.introduction_block(REAL),
        wording.policy_text(POLICIES["cbs"], REAL),
        wording.policy_text(POLICIES["none"], REAL),
    ],
)
def test_real_register_sentences_never_say_synthetic(text):
    assert not SYNTHETIC_WORD.search(text)


def test_synthetic_texts_say_so():
    assert "synthetisch" in wording.placeholders("synthetisch")["registernoot"]
    assert "**synthetisch**" in wording.register_summary(SYNTHETIC)
    assert "23 november 2026" in wording.register_summary(SYNTHETIC)


def test_real_summary_names_title_date_and_source():
    text = wording.register_summary(REAL)
    assert "Export WIJ, pilot gezinsverzorger" in text and "1 maart 2025" in text
    assert "Registratiesysteem WIJ Groningen" in text


@pytest.mark.parametrize(
    ("manifest", "policy", "banner"),
    [
        (SYNTHETIC, "none", wording.SYNTHETIC_BANNER),
        (SYNTHETIC, "cbs", wording.SYNTHETIC_BANNER),
        (REAL, "cbs", ""),
        (REAL, "none", wording.UNPROTECTED_BANNER),
    ],
)
def test_banner(manifest, policy, banner):
    assert wording.banner(manifest, POLICIES[policy]) == banner


def test_policy_text_says_what_protection_does_not_cover():
    text = wording.policy_text(POLICIES["cbs"], REAL)
    assert "Het beschermt niet" in text and "citaten" in text


@pytest.mark.parametrize(
    ("manifest", "phrase"),
    [(SYNTHETIC, "geen echte gezinnen"), (REAL, "herkenbare gezinnen")],
)
def test_policy_none_is_honest_about_small_counts(manifest, phrase):
    text = wording.policy_text(POLICIES["none"], manifest)
    assert "één of twee gezinnen" in text and phrase in text


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="onbekende soort register"):
        wording.placeholders("echtish")


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (
            SYNTHETIC,
            f"{wording.SYNTHETIC_STATUS}. Register: Synthetisch testregister, gemaakt op "
            "23 november 2026.",
        ),
        (
            REAL,
            "Rapport. Register: Export WIJ, pilot gezinsverzorger, geëxtraheerd op 1 maart 2025.",
        ),
        (REAL_EXPORT, "Rapport. Register: Casusregister (export van WIJ Groningen)."),
    ],
)
def test_cover_status_names_the_register(manifest, expected):
    assert wording.cover_status(manifest, "Rapport") == expected
