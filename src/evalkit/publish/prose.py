"""Checks on the book's own prose: every number in it must be glued, not typed."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

# What may contain digits in prose: glue roles and directives (their keys and paths), inline
# code (file and module names), MyST directive options, placeholders filled from parameters,
# and years (the allow-list: a year names a period, it is not a result).
_ALLOWED = [
    re.compile(r"\{glue(?::\w+)?\}`[^`]*`"),
    re.compile(r"^```\{glue:figure\}.*$", re.M),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"^:[\w-]+:.*$", re.M),
    re.compile(r"\{\{\s*\w+\s*\}\}"),
    re.compile(r"(?<!\d)20[12]\d(?!\d)"),
]
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def stray_digits(markdown: str) -> list[str]:
    """Numbers typed into prose: digits outside glue roles and the allow-list.

    Parameters
    ----------
    markdown : str
        MyST Markdown (a book page or a notebook's markdown cell).

    Returns
    -------
    list of str
        Each offending number with a little context.

    """
    text = markdown
    for pattern in _ALLOWED:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return [
        f"{m.group(0)!r} in …{markdown[max(0, m.start() - 30) : m.end() + 30]}…"
        for m in _DIGITS.finditer(text)
    ]


def prose_sources(project: Path) -> dict[str, str]:
    """Every piece of prose of the book: ``book/*.md`` and the notebooks' markdown cells."""
    out = {
        str(p.relative_to(project)): p.read_text(encoding="utf-8")
        for p in sorted((project / "book").rglob("*.md"))
    }
    for path in sorted((project / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells, start=1):
            if cell.cell_type == "markdown":
                out[f"{path.relative_to(project)} (cel {i})"] = cell.source
    return out
