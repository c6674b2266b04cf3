"""Changes between two editions of the book: every number and claim status that changed."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.inputs.numbers import format_date, format_number

#: The files of ``data/`` that are not tables of a chapter.
GLUE = "glue.csv"
RECONCILIATION = "reconciliation.csv"
TABLE_INDEX = "tabellen.csv"
CHANGES = "wijzigingen.csv"
NOT_COMPARED = {GLUE, RECONCILIATION, TABLE_INDEX, CHANGES, "claims.csv", "software.csv"}
COLUMNS = ["hoofdstuk", "soort", "wat", "oud", "nieuw"]
HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Edition:
    """An edition of the book as its data folder holds it."""

    data: Path
    version: str = ""
    built: str = ""


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cells(path: Path) -> dict[tuple[str, str], str]:
    """A table's cells keyed by (row, column); the row is named by its first column."""
    rows = _read(path)
    if not rows:
        return {}
    first = next(iter(rows[0]))
    seen: dict[str, int] = {}
    cells = {}
    for row in rows:
        name = row[first]
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else f"{name} ({seen[name]})"
        for column, value in row.items():
            if column != first:
                cells[(label, column)] = value
    return cells


def _table_chapters(data: Path) -> dict[str, str]:
    index = data / TABLE_INDEX
    return {r["tabel"]: r["notebook"] for r in _read(index)} if index.is_file() else {}


def _changed(old: str | None, new: str | None) -> bool:
    """Whether a cell changed: ``2`` and ``2.0`` are the same number."""
    if old == new:
        return False
    try:
        return float(old) != float(new)
    except (TypeError, ValueError):
        return True


def compare(old: Path, new: Path, chapters: Mapping[str, str]) -> pd.DataFrame:
    """Every number and claim status that differs between two data folders.

    Parameters
    ----------
    old, new : Path
        The ``data/`` folders of the previous and the new edition.
    chapters : mapping of str to str
        Notebook name (``jaar-2023``) to chapter title (``Pilotjaar 2023``).

    Returns
    -------
    pandas.DataFrame
        Columns ``hoofdstuk``, ``soort`` (``getal in de tekst``, ``tabel``, ``status van een
        claim``), ``wat``, ``oud``, ``nieuw``; ``–`` where a value is new or gone.

    """
    rows: list[tuple[str, str, str, str, str]] = []

    def title(notebook: str) -> str:
        return chapters.get(notebook, notebook)

    old_glue = {(r["notebook"], r["key"]): r["text"] for r in _read(old / GLUE)}
    new_glue = {(r["notebook"], r["key"]): r["text"] for r in _read(new / GLUE)}
    for key in sorted(set(old_glue) | set(new_glue)):
        a, b = old_glue.get(key), new_glue.get(key)
        if a != b and HAS_DIGIT.search(f"{a or ''}{b or ''}"):
            rows.append((title(key[0]), "getal in de tekst", key[1], a or "–", b or "–"))

    owners = {**_table_chapters(old), **_table_chapters(new)}
    names = {p.name for p in old.glob("*.csv")} | {p.name for p in new.glob("*.csv")}
    for name in sorted(names - NOT_COMPARED):
        table = name.removesuffix(".csv")
        a = _cells(old / name) if (old / name).is_file() else {}
        b = _cells(new / name) if (new / name).is_file() else {}
        for cell in sorted(set(a) | set(b)):
            va, vb = a.get(cell), b.get(cell)
            if _changed(va, vb) and HAS_DIGIT.search(f"{va or ''}{vb or ''}"):
                what = f"{table}: {cell[0]}, {cell[1]}"
                rows.append((title(owners.get(table, "")), "tabel", what, va or "–", vb or "–"))

    if (old / RECONCILIATION).is_file() and (new / RECONCILIATION).is_file():
        a = {r["claim_id"]: r["status"] for r in _read(old / RECONCILIATION)}
        b = {r["claim_id"]: r["status"] for r in _read(new / RECONCILIATION)}
        for cid in sorted(set(a) | set(b)):
            if a.get(cid) != b.get(cid):
                verantwoording = title("verantwoording")
                rows.append(
                    (verantwoording, "status van een getal", cid, a.get(cid, "–"), b.get(cid, "–"))
                )
    return pd.DataFrame(rows, columns=COLUMNS)


STATUS_WORDS = {
    "exact": "klopt precies",
    "rounding": "klopt na afronding",
    "interpretation": "klopt bij deze lezing",
    "discrepancy": "wijkt af",
    "sourced": "bron, niet herberekend",
    "outside_register": "jaar niet in register",
}


def _cell(text: str) -> str:
    """A value for the page: a decimal as a Dutch number with at most two decimals."""
    text = str(text)
    try:
        value = float(text)
    except ValueError:
        return text.replace("|", "\\|").replace("\n", " ")
    if "." not in text:
        return text
    return format_number(value, min(2, len(text.split(".")[1].rstrip("0"))))


def changes_page(changes: pd.DataFrame | None, previous: Edition | None, today: str) -> str:
    """The book page *Wijzigingen* (MyST Markdown), after CBS's "Wijzigingen per …".

    Parameters
    ----------
    changes : pandas.DataFrame or None
        From :func:`compare`; None for the first edition.
    previous : Edition or None
        The edition compared with; None for the first edition.
    today : str
        The build date of the new edition (ISO).

    Returns
    -------
    str

    """
    lines = [f"# Wijzigingen per {format_date(today)}", ""]
    if previous is None or changes is None:
        lines.append(
            "Dit is de eerste editie van dit boek in deze map: er is geen eerdere editie om mee "
            "te vergelijken."
        )
        return "\n".join(lines) + "\n"
    since = f"versie {previous.version}" if previous.version else "de vorige editie"
    if previous.built:
        since += f", gebouwd op {format_date(previous.built[:10])}"
    if changes.empty:
        lines.append(f"Ten opzichte van {since} is geen getal en geen status veranderd.")
        return "\n".join(lines) + "\n"
    counts = changes["soort"].value_counts()
    summary = ", ".join(f"{n} × {soort}" for soort, n in counts.items())
    lines += [
        f"Ten opzichte van {since} zijn in deze editie {len(changes)} getallen en statussen "
        f"veranderd ({summary}). Elke wijziging staat hieronder, oud naast nieuw; het bestand "
        f"`{CHANGES}` bij de gegevens bevat dezelfde lijst.",
        "",
        "| Hoofdstuk | Soort | Wat | Oud | Nieuw |",
        "|---|---|---|---|---|",
    ]
    for row in changes.itertuples(index=False):
        old, new = row.oud, row.nieuw
        if row.soort == "status van een getal":
            old, new = STATUS_WORDS.get(old, old), STATUS_WORDS.get(new, new)
        lines.append(
            f"| {_cell(row.hoofdstuk)} | {row.soort} | `{_cell(row.wat)}` | {_cell(old)} | "
            f"{_cell(new)} |"
        )
    return "\n".join(lines) + "\n"
