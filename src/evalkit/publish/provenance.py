"""Provenance shown in the book: parameters, computing functions, register hash, data downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

PARAMETER_LABELS = {
    "jaar": "Jaar",
    "jaren": "Jaren in het register",
    "register_dir": "Register (map)",
    "data_dir": "Brongegevens (map)",
    "today": "Bouwdatum",
    "audit_file": "Consistentie-audit (bestand)",
    "disclosure": "Statistische beveiliging",
    "register_soort": "Soort register",
}

#: Substitution keys the build fills in for every page (``evalkit.pipeline.build.substitutions``).
COMMIT = "{{ commit }}"

#: HTML class of the technical provenance (parameters, functions, notebook, hashes): the PDF
#: prints it in the appendices only (``evalkit-print.css``).
TECHNICAL_CLASS = "evalkit-technisch"

#: Where the build puts the CSV files behind figures, relative to the book's source folder.
DOWNLOADS = "downloads"

#: The inputs a notebook can read, with their names in the colofon: the register and the
#: folders of ``data/`` (the build caches notebooks by these: ``evalkit.pipeline.build.INPUTS``).
INPUT_LABELS = {
    "register": "Casusregister",
    "sources": "Bronteksten",
    "claims": "Claimsregister",
    "reference": "Referentielijsten",
    "context": "Context (BJH, financiën, tijdlijn)",
    "quotes": "Citaten",
}

#: Packages whose versions the colofon lists.
PACKAGES = (
    "evalkit",
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "papermill",
    "nbformat",
    "pandas",
    "numpy",
    "pandera",
    "altair",
    "vl-convert-python",
    "babel",
    "ortools",
)


def sha256_tree(paths: Iterable[Path], root: Path | None = None) -> str:
    """Hash files (and every file below folders), by relative path and content."""
    h = hashlib.sha256()
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += [f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts]
        elif p.is_file():
            files.append(p)
    for f in sorted(set(files)):
        rel = f.relative_to(root) if root and f.is_relative_to(root) else f
        h.update(str(rel).encode())
        h.update(b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def register_hash(register_dir: Path) -> str:
    """Short SHA-256 over the register's tables (names and contents), for provenance.

    The register is a folder of CSV or Excel files, or one Excel workbook.
    """
    register_dir = Path(register_dir)
    if register_dir.is_file():
        return sha256_tree([register_dir], root=register_dir.parent)[:12]
    patterns = ("*.csv", "*.xlsx", "*.xlsm", "datapackage.json")
    tables = [f for pattern in patterns for f in register_dir.glob(pattern)]
    return sha256_tree(tables, root=register_dir)[:12]


def tree_hash(folder: Path) -> str:
    """Short SHA-256 over every file below ``folder`` (relative path and content)."""
    return sha256_tree([Path(folder)], root=Path(folder))[:12]


def package_versions(packages: Sequence[str] = PACKAGES) -> dict[str, str]:
    """Installed version of each package (``–`` when it is not installed)."""
    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "–"
    return out


def data_hashes(register_dir: Path, data_dir: Path) -> pd.DataFrame:
    """The inputs of this build with a short SHA-256 each (register and the project's data)."""
    data_dir = Path(data_dir)
    shown = Path(register_dir).name + ("" if Path(register_dir).is_file() else "/")
    rows = [(INPUT_LABELS["register"], shown, register_hash(register_dir))]
    rows += [
        (label, f"data/{sub}/", tree_hash(data_dir / sub))
        for sub, label in INPUT_LABELS.items()
        if sub != "register"
    ]
    return pd.DataFrame(rows, columns=["Invoer", "Map", "sha256 (eerste 12 tekens)"])


def versions_table(packages: Sequence[str] = PACKAGES) -> pd.DataFrame:
    """Python and the versions of the packages that computed and built the book."""
    import platform

    from evalkit import __version__

    rows = [("Python", platform.python_version())]
    # evalkit's own version from the source, not from installed metadata that may lag behind.
    rows += [
        (k, __version__ if k == "evalkit" else v) for k, v in package_versions(packages).items()
    ]
    return pd.DataFrame(rows, columns=["Pakket", "Versie"])


def function_name(func: Callable) -> str:
    """``evalkit.compute.metrics.wijk_counts``: the importable name of a function."""
    return f"{func.__module__}.{func.__qualname__}"


#: The book's code appendix (``book/code.md``): documentation and source of every module whose
#: functions a provenance note names, made by Sphinx autodoc and viewcode.
CODE_PAGE = "/book/code"

#: The modules the code appendix documents, in its order.
CODE_MODULES = (
    "evalkit.compute.metrics",
    "evalkit.compute.rounding",
    "evalkit.compute.disclosure",
    "evalkit.compute.claims",
    "evalkit.compute.reconcile",
    "evalkit.compute.context",
    "evalkit.compute.slices",
    "evalkit.publish.report",
)


def function_link(func: Callable) -> str:
    """A MyST reference to the function's entry in the code appendix.

    The link's text is the importable name, so that a printed copy still names the function.

    Raises
    ------
    ValueError
        When the function's module is not in :data:`CODE_MODULES` (the link would go nowhere).

    """
    if func.__module__ not in CODE_MODULES:
        raise ValueError(
            f"{function_name(func)}: module {func.__module__} is not in the code appendix "
            "(evalkit.publish.provenance.CODE_MODULES and book/code.md)"
        )
    return f"{{py:func}}`{function_name(func)}`"


def _shown_parameter(key: str, value: object, register: str) -> str:
    if key.endswith(("_dir", "_file")):
        shown = f"`{Path(str(value)).name}`" + ("/" if key.endswith("_dir") else "")
        if key == "register_dir":
            shown += f" ({register})"
        return shown
    if key == "disclosure":
        from evalkit.publish.wording import policy_label

        return policy_label(str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Chapter:
    """The notebook a chapter was computed by, with its parameters and the register's hash.

    Parameters
    ----------
    notebook : str
        The template, relative to the project (``notebooks/jaar.ipynb``).
    parameters : dict
        The parameters the notebook ran with (as injected by papermill).
    register : str, optional
        What the chapter computed from: by default the hash of the register's files; a year
        chapter passes the digest of its year's slice
        (:func:`evalkit.compute.slices.register_digest`), the only part it reads.

    """

    notebook: str
    parameters: dict
    register: str = ""

    def __post_init__(self) -> None:
        if not self.register:
            reg = self.parameters.get("register_dir")
            object.__setattr__(self, "register", register_hash(Path(reg)) if reg else "–")

    def parameters_block(self) -> Markdown:
        """A collapsible block with the parameters of this chapter in readable form.

        Folder parameters are shown by their last component (the full path depends on the
        machine, and may name a person's home folder).
        """
        rows = [
            f"| {PARAMETER_LABELS.get(k, k)} | {_shown_parameter(k, v, self._hash_text())} |"
            for k, v in self.parameters.items()
        ]
        table = "\n".join(["| Parameter | Waarde |", "| :--- | :--- |", *rows])
        return Markdown(
            ":::{admonition} Parameters van dit hoofdstuk\n:class: dropdown evalkit-params "
            + TECHNICAL_CLASS
            + "\n\n"
            + table
            + "\n:::\n"
        )

    def _hash_text(self) -> str:
        if "jaar" in self.parameters:
            return f"gegevens van {self.parameters['jaar']}: sha256 {self.register}"
        return f"sha256 {self.register}"

    def _part(self) -> str:
        return f", gegevens van {self.parameters['jaar']}" if "jaar" in self.parameters else ""

    def call(self) -> str:
        """``notebooks/jaar.ipynb (jaar = 2023)``: the notebook and its distinguishing parameter."""
        if "jaar" in self.parameters:
            return f"`{self.notebook}` (jaar = {self.parameters['jaar']})"
        return f"`{self.notebook}`"

    def note(self, computed_by: Sequence[Callable], table: str | None = None) -> str:
        """The provenance lines of one figure or table, as MyST Markdown.

        Parameters
        ----------
        computed_by : sequence of callables
            The ``evalkit`` functions that computed the figure (shown by importable name).
        table : str, optional
            Name of the published table (see :func:`evalkit.publish.display.publish_table`);
            the note links its CSV download.

        """
        functions = ", ".join(function_link(f) for f in computed_by)
        lines = [
            f"- Berekend met: {functions} (documentatie en broncode: {{doc}}`{CODE_PAGE}`)"
            if functions
            else None,
            f"- Notebook: {self.call()}; parameters bovenaan het hoofdstuk",
            f"- Register{self._part()}: sha256 `{self.register}`; code: commit {COMMIT}"
            if self.register != "–"
            else f"- Code: commit {COMMIT} (dit hoofdstuk leest het register niet)",
        ]
        # In a class of its own: the PDF prints it only in the appendices (the same lines under
        # every figure of the main text would fill pages; the web edition folds them away).
        note = f":::{{div}} {TECHNICAL_CLASS}\n" + "\n".join(line for line in lines if line)
        note += "\n:::"
        if table:
            # A link in the web edition; the PDF (printed from it) adds where the file is.
            note += f"\n\nGegevens: {{download}}`{table}.csv </{DOWNLOADS}/{table}.csv>` (CSV)\n"
        return note
