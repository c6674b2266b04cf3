"""The C loader reads every YAML file of the project exactly as PyYAML's own safe loader."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT
from evalkit.inputs import yamlfile

FILES = [*sorted((ROOT / "data").rglob("*.yaml")), ROOT / "_config.yml", ROOT / "_toc.yml"]


def test_the_quick_loader_is_available():
    assert yamlfile.LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_same_data_as_the_pure_python_loader(path):
    text = path.read_text(encoding="utf-8")
    assert yamlfile.safe_load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("a: 1\nb: [2, 3]\n", {"a": 1, "b": [2, 3]}),
        ("datum: 2023-03-01\n", {"datum": __import__("datetime").date(2023, 3, 1)}),
        ("tekst: '€ 1,2 mln'\n", {"tekst": "€ 1,2 mln"}),
    ],
)
def test_known_documents(text, expected):
    assert yamlfile.safe_load(text) == expected


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 1\n b: 2\n", "!!python/object:os.system ls\n"])
def test_invalid_or_unsafe_yaml_is_refused(text):
    with pytest.raises(yaml.YAMLError):
        yamlfile.safe_load(text)
