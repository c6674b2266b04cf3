"""Quotes of families, coaches and case managers, stored as data and checked verbatim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from IPython.display import Markdown

from evalkit.inputs import yamlfile
from evalkit.inputs.errors import InputError, Problem
from evalkit.inputs.sources import Document, find_quote

ROLE_NL = {
    "gezin": "een gezin",
    "moeder": "een moeder over de coach",
    "vader": "een vader over de coach",
    "gezinscoach": "een gezinscoach of gezinsverzorger",
    "casemanager": "een casemanager",
    "gezinsverzorger": "een gezinsverzorger",
}


@dataclass(frozen=True)
class Quote:
    """One verbatim quote with who said it and where it was published."""

    id: str
    document: str
    group: str
    role: str
    text: str
    context: str = ""


def load_quotes(quotes_dir: Path, documents: dict[str, Document]) -> list[Quote]:
    """Load every quotes file and check each quote verbatim against its document.

    Raises
    ------
    InputError
        When a quote is not found in its document, its role is unknown, or an id repeats.

    """
    quotes, problems, seen = [], [], set()
    for path in sorted(quotes_dir.glob("*.yaml")):
        data = yamlfile.safe_load(path.read_text(encoding="utf-8")) or {}
        doc = documents.get(data.get("document"))
        if doc is None:
            problems.append(
                Problem(str(path), None, "document", data.get("document"), "onbekend document")
            )
            continue
        for i, entry in enumerate(data.get("quotes") or [], start=1):
            q = Quote(
                entry["id"],
                doc.id,
                entry["group"],
                entry["role"],
                entry["text"],
                entry.get("context", ""),
            )
            if q.id in seen:
                problems.append(Problem(str(path), i, "id", q.id, "dubbel citaat-id"))
            seen.add(q.id)
            if q.role not in ROLE_NL:
                problems.append(Problem(str(path), i, "role", q.role, "onbekende rol"))
            if not find_quote(doc.text, q.text):
                problems.append(
                    Problem(
                        str(path), i, "text", q.id, "citaat staat niet letterlijk in het document"
                    )
                )
            quotes.append(q)
    if problems:
        raise InputError(problems)
    return quotes


def render(quotes: list[Quote], group: str, documents: dict[str, Document]) -> Markdown:
    """The quotes of one group as block quotes with attribution."""
    parts = []
    for q in (q for q in quotes if q.group == group):
        source = documents[q.document].title
        lead = f"{q.context}: " if q.context else ""
        parts.append(f"> {lead}“{q.text}”\n>\n> — {ROLE_NL[q.role]}, in: *{source}*\n")
    return Markdown("\n".join(parts))
