"""Quotes are verbatim: the test fails when one word differs."""

import shutil

import pytest

from conftest import ROOT
from evalkit.inputs.errors import InputError
from evalkit.inputs.quotes import load_quotes, render
from evalkit.inputs.sources import load_documents


@pytest.fixture(scope="module")
def documents():
    return load_documents(ROOT / "data" / "sources")


def test_every_quote_is_verbatim(documents):
    quotes = load_quotes(ROOT / "data" / "quotes", documents)
    assert {q.group for q in quotes} == {"gezinnen", "coaches", "casemanagers", "casus"}
    assert len(quotes) >= 20


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("een luisterend oor", "een luisterend hart", "niet letterlijk"),
        ('role: casemanager, text: "Relatief', 'role: wethouder, text: "Relatief', "onbekende rol"),
        ("id: Q-cm-2,", "id: Q-cm-1,", "dubbel"),
    ],
)
def test_changed_quote_is_rejected(tmp_path, documents, old, new, message):
    shutil.copytree(ROOT / "data" / "quotes", tmp_path / "quotes")
    path = tmp_path / "quotes" / "waarderend-onderzoek.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_quotes(tmp_path / "quotes", documents)
    assert any(message in p.message for p in info.value.problems)


def test_render_attributes_each_quote(documents):
    quotes = load_quotes(ROOT / "data" / "quotes", documents)
    text = render(quotes, "casemanagers", documents).data
    assert text.count("— een casemanager, in: *") == 5
