"""The register's manifest (``datapackage.json``): what the register is, and if it is synthetic."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandera.pandas as pa

from evalkit.inputs.errors import Problem

MANIFEST = "datapackage.json"
TABLES = ("trajecten", "jaarregistratie", "kinderen")

#: Frictionless Table Schema field types of the register's pandera dtypes.
FIELD_TYPES = {
    "str": "string",
    "string[python]": "string",
    "int64": "integer",
    "float64": "number",
    "datetime64[ns]": "date",
}


@dataclass(frozen=True)
class Manifest:
    """What a register folder says about itself; a folder without a manifest is a real export.

    Attributes
    ----------
    synthetic : bool
        True only when the manifest says ``"synthetic": true``.
    title : str
        The register's title (the colofon and the cover show it).
    created : str
        When the data were extracted or made (ISO date), or ``""`` when unknown.
    sources : tuple of str
        Where the data come from (the titles of the manifest's ``sources``).
    description : str
        How the register was made, in the manifest's own words.
    path : Path or None
        The manifest file, or None when the register has none.

    """

    synthetic: bool
    title: str
    created: str = ""
    sources: tuple[str, ...] = ()
    description: str = ""
    path: Path | None = None
    resources: Mapping[str, dict] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``synthetisch`` or ``echt``: the word the book's texts are chosen by."""
        return "synthetisch" if self.synthetic else "echt"


#: What a register without a manifest is taken to be: WIJ's own export.
REAL_EXPORT = Manifest(synthetic=False, title="Casusregister (export van WIJ Groningen)")


def manifest_path(register: Path) -> Path | None:
    """The manifest of a register folder, or None (a workbook file or a folder without one)."""
    candidate = Path(register) / MANIFEST
    return candidate if Path(register).is_dir() and candidate.is_file() else None


def _created(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return dt.date.fromisoformat(text).isoformat()


def load_manifest(register: Path) -> tuple[Manifest, list[Problem]]:
    """Read the register's manifest, if it has one.

    Parameters
    ----------
    register : Path
        The register folder (or workbook).

    Returns
    -------
    Manifest
        :data:`REAL_EXPORT` when there is no manifest, or when it cannot be read.
    list of Problem
        What is wrong with the manifest itself (not yet compared with the files).

    """
    path = manifest_path(register)
    if path is None:
        return REAL_EXPORT, []
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return REAL_EXPORT, [Problem(where, None, None, None, f"geen geldige JSON: {exc}")]
    if not isinstance(data, dict):
        return REAL_EXPORT, [Problem(where, None, None, None, "verwacht een JSON-object")]
    problems = []
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(Problem(where, None, "synthetic", synthetic, "hoort true of false te zijn"))
        synthetic = False
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(where, None, "title", title, "een titel ontbreekt"))
        title = REAL_EXPORT.title
    try:
        created = _created(data.get("created"))
    except ValueError:
        problems.append(
            Problem(where, None, "created", data.get("created"), "geen datum (JJJJ-MM-DD)")
        )
        created = ""
    sources = tuple(
        str(s.get("title", "")).strip()
        for s in data.get("sources") or []
        if isinstance(s, dict) and str(s.get("title", "")).strip()
    )
    resources = {}
    for r in data.get("resources") or []:
        if not isinstance(r, dict) or not isinstance(r.get("name"), str):
            problems.append(Problem(where, None, "resources", r, "een resource zonder naam"))
            continue
        resources[r["name"]] = r
    manifest = Manifest(
        synthetic=synthetic,
        title=title.strip(),
        created=created,
        sources=sources,
        description=str(data.get("description") or "").strip(),
        path=path,
        resources=resources,
    )
    return manifest, problems


def _header(path: Path) -> list[str] | None:
    """The column names of a CSV file (its first line), or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError:
        return None
    text = first.decode("utf-8-sig", errors="replace").strip()
    sep = max((",", ";", "\t"), key=text.count)
    return [c.strip() for c in text.split(sep)]


def check_manifest(
    manifest: Manifest, register: Path, schemas: Mapping[str, pa.DataFrameSchema]
) -> list[Problem]:
    """Compare a manifest with the register's files and schemas: names, fields, types.

    Parameters
    ----------
    manifest : Manifest
        From :func:`load_manifest`.
    register : Path
        The register folder.
    schemas : mapping of str to pandera.DataFrameSchema
        The tables' schemas (:func:`evalkit.inputs.register.schemas`).

    Returns
    -------
    list of Problem
        Empty when the manifest describes the files as they are (or there is no manifest).

    """
    if manifest.path is None:
        return []
    where = str(manifest.path)
    problems = []
    for name in sorted(set(TABLES) - set(manifest.resources)):
        problems.append(Problem(where, None, "resources", name, "deze tabel ontbreekt"))
    for name in sorted(set(manifest.resources) - set(TABLES)):
        problems.append(Problem(where, None, "resources", name, "onbekende tabel"))
    for name in [t for t in TABLES if t in manifest.resources]:
        resource = manifest.resources[name]
        file = Path(register) / str(resource.get("path", f"{name}.csv"))
        if not file.is_file():
            problems.append(
                Problem(where, None, f"{name}.path", resource.get("path"), "bestand bestaat niet")
            )
            continue
        fields = (resource.get("schema") or {}).get("fields") or []
        declared = [str(f.get("name")) for f in fields if isinstance(f, dict)]
        header = _header(file) if file.suffix == ".csv" else None
        if header is not None and declared != header:
            problems.append(
                Problem(
                    where,
                    None,
                    f"{name}.schema.fields",
                    ", ".join(declared),
                    f"de kolommen van {file.name} zijn: {', '.join(header)}",
                )
            )
        columns = schemas[name].columns
        for f in fields:
            if not isinstance(f, dict) or f.get("name") not in columns:
                continue
            expected = FIELD_TYPES.get(str(columns[f["name"]].dtype))
            if expected and f.get("type") != expected:
                problems.append(
                    Problem(
                        where,
                        None,
                        f"{name}.{f['name']}",
                        f.get("type"),
                        f"type hoort {expected!r} te zijn",
                    )
                )
    return problems


def validate_manifest(
    register: Path, schemas: Mapping[str, pa.DataFrameSchema]
) -> tuple[Manifest, list[Problem]]:
    """Read the register's manifest and compare it with the files (:func:`check_manifest`)."""
    manifest, problems = load_manifest(register)
    return manifest, problems + check_manifest(manifest, register, schemas)


def manifest_document(
    schemas: Mapping[str, pa.DataFrameSchema],
    *,
    name: str,
    title: str,
    created: str,
    description: str,
    sources: Sequence[Mapping[str, str]],
    synthetic: bool,
) -> dict:
    """A Data Package descriptor for the three tables, with the fields of their schemas.

    Parameters
    ----------
    schemas : mapping of str to pandera.DataFrameSchema
        The tables' schemas: each column becomes a Table Schema field.
    name, title, created, description : str
        The package's identity (``created`` as an ISO date).
    sources : sequence of mapping
        Each with at least a ``title``.
    synthetic : bool
        Whether the register is synthetic (``true`` only for a register that is not real).

    Returns
    -------
    dict
        Ready for :func:`json.dumps`.

    """
    resources = []
    for table in TABLES:
        schema = schemas[table]
        fields = [
            {"name": column, "type": FIELD_TYPES[str(spec.dtype)]}
            for column, spec in schema.columns.items()
        ]
        resources.append(
            {
                "name": table,
                "path": f"{table}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        )
    return {
        "name": name,
        "title": title,
        "created": created,
        "description": description,
        "synthetic": synthetic,
        "sources": [dict(s) for s in sources],
        "resources": resources,
    }


def write_synthetic_manifest(
    register_dir: Path,
    schemas: Mapping[str, pa.DataFrameSchema],
    source_titles: Sequence[str],
    created: dt.date,
    seed: int,
) -> Path:
    """Write the manifest of a register made by ``evalkit reconstruct`` (``"synthetic": true``).

    Parameters
    ----------
    register_dir : Path
        The folder the reconstruction wrote its three CSV files to.
    schemas : mapping of str to pandera.DataFrameSchema
        The tables' schemas.
    source_titles : sequence of str
        The titles of the published documents the register was made to agree with.
    created : dt.date
        The day of the reconstruction.
    seed : int
        The solver's seed (the same claims and seed give the same files).

    Returns
    -------
    Path
        The manifest written.

    """
    document = manifest_document(
        schemas,
        name="casusregister-pilot-gezinsverzorger-synthetisch",
        title="Synthetisch casusregister van de pilot gezinsverzorger",
        created=created.isoformat(),
        description=(
            "Geen echte gezinnen. Gemaakt door evalkit reconstruct (OR-Tools CP-SAT, zaad "
            f"{seed}) zodat het register klopt met zoveel mogelijk gepubliceerde cijfers uit "
            "de bronnen; elk gezin, elke datum, elk kind en elk uur is verzonnen."
        ),
        sources=[{"title": t} for t in source_titles],
        synthetic=True,
    )
    path = Path(register_dir) / MANIFEST
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
