"""The source documents: metadata, text, and finding verbatim quotes in them."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from evalkit.inputs import yamlfile
from evalkit.inputs.errors import InputError, Problem

DOCUMENT_KINDS = ("collegebrief", "WIJ-rapportage")


@dataclass(frozen=True)
class Document:
    """One source document with its metadata and its text (white space normalised)."""

    id: str
    file: str
    title: str
    kind: str
    sender: str
    date: dt.date
    date_assumed: bool
    date_note: str | None
    kenmerk: str | None
    raw: str

    @functools.cached_property
    def text(self) -> str:
        """The text with every run of white space folded to one space (computed once)."""
        return normalise(self.raw)


def normalise(text: str) -> str:
    """Fold white space (line breaks of the extraction, non-breaking spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def find_quote(document_text: str, quote: str) -> list[int]:
    """Return the start offsets of every occurrence of ``quote`` in normalised ``document_text``."""
    needle = normalise(quote)
    if not needle:
        return []
    return [m.start() for m in re.finditer(re.escape(needle), document_text)]


def load_documents(sources_dir: Path) -> dict[str, Document]:
    """Load ``sources.yaml`` and the text files it names.

    Parameters
    ----------
    sources_dir : Path
        Folder with ``sources.yaml`` and the text extractions.

    Returns
    -------
    dict of str to Document
        Keyed by document id, in the order of the metadata file.

    Raises
    ------
    InputError
        When the metadata is missing or invalid, or a named file does not exist.

    """
    meta_path = sources_dir / "sources.yaml"
    if not meta_path.is_file():
        raise InputError([Problem(str(meta_path), None, None, None, "bestand ontbreekt")])
    try:
        meta = yamlfile.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problem = Problem(str(meta_path), None, None, None, f"geen geldige YAML: {exc}")
        raise InputError([problem]) from exc
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    for i, entry in enumerate(meta.get("documents") or [], start=1):
        where = (str(meta_path), i, None)
        missing = [k for k in ("id", "file", "title", "kind", "sender", "date") if k not in entry]
        if missing:
            problems.append(Problem(*where, None, f"velden ontbreken: {', '.join(missing)}"))
            continue
        if entry["kind"] not in DOCUMENT_KINDS:
            problems.append(Problem(*where[:2], "kind", entry["kind"], "onbekende soort document"))
        if entry["id"] in docs:
            problems.append(Problem(*where[:2], "id", entry["id"], "dubbel document-id"))
        path = sources_dir / entry["file"]
        if not path.is_file():
            problems.append(Problem(*where[:2], "file", entry["file"], "tekstbestand ontbreekt"))
            continue
        date = entry["date"]
        if not isinstance(date, dt.date):
            problems.append(Problem(*where[:2], "date", date, "geen datum (JJJJ-MM-DD)"))
            continue
        docs[entry["id"]] = Document(
            id=entry["id"],
            file=entry["file"],
            title=entry["title"],
            kind=entry["kind"],
            sender=entry["sender"],
            date=date,
            date_assumed=bool(entry.get("date_assumed", False)),
            date_note=entry.get("date_note"),
            kenmerk=entry.get("kenmerk"),
            raw=path.read_text(encoding="utf-8"),
        )
    if problems:
        raise InputError(problems)
    return docs
