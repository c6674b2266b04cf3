"""Provenance shown in the book: the parameters a notebook ran with, and where data came from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from IPython.display import Markdown

PARAMETER_LABELS = {
    "jaar": "Jaar",
    "jaren": "Jaren in het register",
    "register_dir": "Register (map)",
    "data_dir": "Brongegevens (map)",
    "today": "Bouwdatum",
    "audit_file": "Consistentie-audit (bestand)",
}


def register_hash(register_dir: Path) -> str:
    """Short SHA-256 over the register's CSV files (names and contents), for provenance."""
    h = hashlib.sha256()
    for f in sorted(Path(register_dir).glob("*.csv")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def parameters_block(parameters: dict) -> Markdown:
    """A collapsible block that shows the parameters of this chapter in readable form.

    Folder parameters are shown by their last component (the full path depends on the machine).
    """
    rows = []
    for key, value in parameters.items():
        label = PARAMETER_LABELS.get(key, key)
        if key.endswith(("_dir", "_file")):
            shown = f"`{Path(value).name}`" + ("/" if key.endswith("_dir") else "")
            if key == "register_dir":
                shown += f" (sha256 {register_hash(Path(value))})"
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        rows.append(f"| {label} | {shown} |")
    table = "\n".join(["| Parameter | Waarde |", "| :--- | :--- |", *rows])
    return Markdown(
        ":::{admonition} Parameters van dit hoofdstuk\n:class: dropdown evalkit-params\n\n"
        + table
        + "\n:::\n"
    )
