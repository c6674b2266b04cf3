"""The book's structure: "Voor de raad" first, then the main text, then lettered appendices."""

from __future__ import annotations

import importlib.util

import pytest
from docutils import nodes
from sphinx_external_toc.parsing import parse_toc_yaml

from conftest import ROOT


def extension():
    spec = importlib.util.spec_from_file_location(
        "evalkit_sphinx", ROOT / "book" / "_ext" / "evalkit_sphinx.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site_map():
    return parse_toc_yaml(ROOT / "_toc.yml")


def test_the_book_opens_with_voor_de_raad(site_map):
    assert site_map.root.docname == "book/index"
    assert (ROOT / "book" / "index.md").read_text(encoding="utf-8").startswith("# Voor de raad\n")


def test_appendices_are_lettered_in_the_order_of_their_part(site_map):
    letters = extension().appendix_letters(site_map)
    assert list(letters.items()) == [
        ("notebooks/verantwoording", "Bijlage A"),
        ("notebooks/bronnen", "Bijlage B"),
        ("notebooks/gegevens", "Bijlage C"),
        ("book/code", "Bijlage D"),
        ("notebooks/colofon", "Bijlage E"),
        ("book/wijzigingen", "Bijlage F"),
    ]
    assert list(letters.values()) == [f"Bijlage {chr(65 + i)}" for i in range(len(letters))]


@pytest.mark.parametrize(
    ("toc", "letters"),
    [
        (
            "format: jb-book\nroot: index\nparts:\n  - caption: Bijlagen\n    chapters:\n"
            "      - file: b\n      - file: a\n",
            {"b": "Bijlage A", "a": "Bijlage B"},
        ),
        (
            "format: jb-book\nroot: index\nparts:\n  - caption: Hoofdtekst\n    chapters:\n"
            "      - file: a\n",
            {},
        ),
    ],
)
def test_appendix_letters_follow_the_toc(tmp_path, toc, letters):
    (tmp_path / "_toc.yml").write_text(toc, encoding="utf-8")
    assert extension().appendix_letters(parse_toc_yaml(tmp_path / "_toc.yml")) == letters
    assert extension().appendix_letters(None) == {}


class _App:
    class env:
        docname = "notebooks/colofon"

    def __init__(self, site_map):
        self.config = type("Config", (), {"external_site_map": site_map})()


@pytest.mark.parametrize(("title", "shown"), [("Colofon", "Bijlage E. Colofon")])
def test_an_appendix_title_gets_its_letter_once(site_map, title, shown):
    doctree = nodes.document(None, None)
    section = nodes.section()
    section += nodes.title(title, title)
    doctree += section
    app = _App(site_map)
    extension()._letter_appendix(app, doctree)
    extension()._letter_appendix(app, doctree)  # read twice: still one letter
    assert section[0].astext() == shown
