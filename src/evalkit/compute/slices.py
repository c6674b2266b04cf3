"""One year's slice of the register: all that a year chapter computes from, and its digest."""

from __future__ import annotations

import hashlib

import pandas as pd

from evalkit.compute.metrics import active_mask
from evalkit.inputs.register import Register

#: The columns that identify a row of each table (the slice is sorted by them).
KEYS = {
    "trajecten": ["traject_id"],
    "jaarregistratie": ["traject_id", "jaar"],
    "kinderen": ["kind_id"],
}


def year_slice(register: Register, jaar: int) -> Register:
    """The part of the register that every figure of ``jaar`` is computed from.

    That is: the trajecten active in ``jaar`` (with all their dates, so that carried-over
    trajecten and durations are complete), their registration of ``jaar``, and their children.

    Parameters
    ----------
    register : Register
        The whole validated register.
    jaar : int
        The year.

    Returns
    -------
    Register
        Sorted by each table's key, with a fresh index, so that the slice does not depend on
        the order of the rows in the files.

    """
    trajecten = register.trajecten[active_mask(register.trajecten, jaar)]
    ids = set(trajecten["traject_id"])
    jaarregistratie = register.jaarregistratie[
        (register.jaarregistratie["jaar"] == jaar)
        & register.jaarregistratie["traject_id"].isin(ids)
    ]
    kinderen = register.kinderen[register.kinderen["traject_id"].isin(ids)]
    tables = {
        "trajecten": _sorted(trajecten, "trajecten"),
        "jaarregistratie": _sorted(jaarregistratie, "jaarregistratie"),
        "kinderen": _sorted(kinderen, "kinderen"),
    }
    if isinstance(register.trajecten["traject_id"].dtype, pd.CategoricalDtype):
        # The ids stay one categorical shared by the three tables, now of the slice's ids only.
        ids_dtype = pd.CategoricalDtype(list(tables["trajecten"]["traject_id"].astype(str)))
        for frame in tables.values():
            frame["traject_id"] = frame["traject_id"].astype(str).astype(ids_dtype)
    return Register(**tables)


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    keys = frame[KEYS[table]].astype(str)
    order = keys.sort_values(KEYS[table], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def register_digest(register: Register) -> str:
    """Short SHA-256 of a register's content, independent of row order and file format.

    Each table is sorted by its key and written as CSV (ISO dates, every column as text); the
    digest is over the table names and those texts. Two registers with the same rows give the
    same digest, whether they came from CSV or another format.
    """
    h = hashlib.sha256()
    for table in ("trajecten", "jaarregistratie", "kinderen"):
        frame = _sorted(getattr(register, table), table)
        h.update(table.encode() + b"\0")
        h.update(frame.astype(str).to_csv(index=False, lineterminator="\n").encode())
    return h.hexdigest()[:12]
