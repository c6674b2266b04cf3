"""The case register: tables, controlled vocabularies, reading and validation."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from evalkit.inputs import excel, yamlfile
from evalkit.inputs.dates import parse_dates
from evalkit.inputs.errors import InputError, Problem

TABLES = ("trajecten", "jaarregistratie", "kinderen")

COLUMNS: dict[str, tuple[str, ...]] = {
    "trajecten": ("traject_id", "wijk", "aanmelddatum", "startdatum", "einddatum", "reden_einde"),
    "jaarregistratie": ("traject_id", "jaar", "gezinssamenstelling", "hoofdvraag", "uren_per_week"),
    "kinderen": ("kind_id", "traject_id", "geboortejaar", "geboortemaand"),
}
DATE_COLUMNS = {"trajecten": ("aanmelddatum", "startdatum", "einddatum")}
INT_COLUMNS = {"jaarregistratie": ("jaar",), "kinderen": ("geboortejaar", "geboortemaand")}
FLOAT_COLUMNS = {"jaarregistratie": ("uren_per_week",)}
OPTIONAL_COLUMNS = {"trajecten": ("einddatum", "reden_einde")}

MAX_HOURS_PER_WEEK = 40.0
EARLIEST_DATE = dt.date(2021, 1, 1)


@dataclass(frozen=True)
class Reference:
    """Controlled vocabularies and per-year report definitions (``data/reference``)."""

    wijken: tuple[str, ...]
    gezinssamenstelling: pd.DataFrame
    hoofdvraag: pd.DataFrame
    reden_einde: pd.DataFrame
    leeftijdscategorieen: pd.DataFrame
    rapportage: dict

    def report_definition(self, jaar: int) -> dict:
        """Return the report definitions for ``jaar`` (age scheme, family age rule, rounding)."""
        spec = dict(self.rapportage.get("default", {}))
        spec.update((self.rapportage.get("jaren") or {}).get(jaar, {}))
        return spec

    def age_categories(self, schema: str) -> pd.DataFrame:
        """Return the age categories of one scheme, in order."""
        cats = self.leeftijdscategorieen
        return cats[cats["schema"] == str(schema)].reset_index(drop=True)


@dataclass(frozen=True)
class Register:
    """A validated case register: one frame per table, rows sorted on the table's key."""

    trajecten: pd.DataFrame
    jaarregistratie: pd.DataFrame
    kinderen: pd.DataFrame

    @property
    def years(self) -> list[int]:
        """The years for which the register holds yearly registrations, ascending."""
        return sorted(int(j) for j in self.jaarregistratie["jaar"].unique())


def load_reference(reference_dir: Path) -> Reference:
    """Load the controlled vocabularies.

    Parameters
    ----------
    reference_dir : Path
        Folder with ``wijken.csv``, the category CSVs and ``rapportage.yaml``.

    Returns
    -------
    Reference

    """

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(reference_dir / name, dtype=str, keep_default_na=False)

    cats = read("leeftijdscategorieen.csv")
    cats["min_jaar"] = cats["min_jaar"].astype(int)
    cats["max_jaar"] = pd.to_numeric(cats["max_jaar"].replace("", None)).astype("Float64")
    rapportage = yamlfile.safe_load((reference_dir / "rapportage.yaml").read_text(encoding="utf-8"))
    return Reference(
        wijken=tuple(read("wijken.csv")["wijk"]),
        gezinssamenstelling=read("gezinssamenstelling.csv"),
        hoofdvraag=read("hoofdvraag.csv"),
        reden_einde=read("reden_einde.csv"),
        leeftijdscategorieen=cats,
        rapportage=rapportage,
    )


def _suggest(value: str, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(value), list(known), n=1, cutoff=0.6)
    if not close:
        close = [k for k in known if k.lower() == str(value).strip().lower()]
    return f" (bedoelt u {close[0]!r}?)" if close else ""


ID_BREAKER = re.compile(r"\s")
ID_CHECK = "geldige_id"


def _is_id(values: pd.Series) -> pd.Series:
    """Per value: a non-empty id without whitespace.

    All values are searched at once in one joined string (fast on a million ids); only when
    that finds something is every value matched on its own, to name the bad ones.
    """
    try:
        joined = "\x00".join(values.to_numpy(dtype=object))
    except TypeError:  # a missing value: pandera reports it
        joined = ""
    empty = not joined or "\x00\x00" in joined or joined[0] == "\x00" or joined[-1] == "\x00"
    if not empty and not ID_BREAKER.search(joined):
        return pd.Series(True, index=values.index)
    return values.str.fullmatch(r"\S+").fillna(False).astype(bool)


def schemas(reference: Reference, today: dt.date) -> dict[str, pa.DataFrameSchema]:
    """Build one pandera schema per table from the controlled vocabularies.

    The schemas check each cell on its own (type, vocabulary, range, id); the rules that
    compare cells of a row (:data:`ROW_RULES`) and the keys (:data:`KEYS`) are checked by
    :func:`validate_register` itself, so that one fault gives one message.

    Parameters
    ----------
    reference : Reference
        The vocabularies that the categorical columns must come from.
    today : dt.date
        Dates after this day are rejected (a register cannot describe the future).

    Returns
    -------
    dict of str to pandera.DataFrameSchema

    """
    in_period = pa.Check(
        lambda s: s.isna() | ((s >= pd.Timestamp(EARLIEST_DATE)) & (s <= pd.Timestamp(today))),
        element_wise=False,
        error=_period_message(today),
    )
    trajecten = pa.DataFrameSchema(
        {
            "traject_id": pa.Column(str, pa.Check(_is_id, name=ID_CHECK)),
            "wijk": pa.Column(str, pa.Check.isin(reference.wijken)),
            "aanmelddatum": pa.Column("datetime64[ns]", in_period),
            "startdatum": pa.Column("datetime64[ns]", in_period),
            "einddatum": pa.Column("datetime64[ns]", in_period, nullable=True),
            "reden_einde": pa.Column(
                str, pa.Check.isin([*reference.reden_einde["code"], ""]), nullable=True
            ),
        },
        strict=True,
        ordered=False,
        name="trajecten",
    )
    years = (EARLIEST_DATE.year, today.year)
    jaarregistratie = pa.DataFrameSchema(
        {
            "traject_id": pa.Column(str),
            "jaar": pa.Column(
                int, pa.Check.in_range(*years, error=f"buiten het bereik {years[0]}-{years[1]}")
            ),
            "gezinssamenstelling": pa.Column(
                str, pa.Check.isin(list(reference.gezinssamenstelling["code"]))
            ),
            "hoofdvraag": pa.Column(str, pa.Check.isin(list(reference.hoofdvraag["code"]))),
            "uren_per_week": pa.Column(
                float,
                pa.Check.in_range(
                    0,
                    MAX_HOURS_PER_WEEK,
                    include_min=False,
                    error=f"buiten het bereik: meer dan 0 en hoogstens {MAX_HOURS_PER_WEEK:g}",
                ),
            ),
        },
        strict=True,
        ordered=False,
        name="jaarregistratie",
    )
    born = (today.year - 30, today.year)
    kinderen = pa.DataFrameSchema(
        {
            "kind_id": pa.Column(str, pa.Check(_is_id, name=ID_CHECK)),
            "traject_id": pa.Column(str),
            "geboortejaar": pa.Column(
                int, pa.Check.in_range(*born, error=f"buiten het bereik {born[0]}-{born[1]}")
            ),
            "geboortemaand": pa.Column(
                int, pa.Check.in_range(1, 12, error="buiten het bereik 1-12")
            ),
        },
        strict=True,
        ordered=False,
        name="kinderen",
    )
    return {"trajecten": trajecten, "jaarregistratie": jaarregistratie, "kinderen": kinderen}


def _period_message(today: dt.date) -> str:
    return f"datum ligt niet tussen {EARLIEST_DATE.isoformat()} en {today.isoformat()}"


#: The columns that identify a row of each table (no two rows may share them).
KEYS: dict[str, tuple[str, ...]] = {
    "trajecten": ("traject_id",),
    "jaarregistratie": ("traject_id", "jaar"),
    "kinderen": ("kind_id",),
}


@dataclass(frozen=True)
class RowRule:
    """A rule comparing cells of one row; a broken rule is reported once, at ``column``."""

    table: str
    columns: tuple[str, ...]  # every cell the rule reads; skipped when one was reported
    column: str  # the cell the message is shown at
    broken: Callable[[pd.DataFrame], pd.Series]
    message: Callable[[Callable[[str], str]], str]  # from the shown text of a cell by column


ROW_RULES = (
    RowRule(
        "trajecten",
        ("aanmelddatum", "startdatum"),
        "startdatum",
        lambda d: d["startdatum"] < d["aanmelddatum"],
        lambda v: (
            "startdatum ligt voor aanmelddatum "
            f"({v('startdatum')} is eerder dan {v('aanmelddatum')})"
        ),
    ),
    RowRule(
        "trajecten",
        ("startdatum", "einddatum"),
        "einddatum",
        lambda d: d["einddatum"] < d["startdatum"],
        lambda v: (
            f"einddatum ligt voor startdatum ({v('einddatum')} is eerder dan {v('startdatum')})"
        ),
    ),
    RowRule(
        "trajecten",
        ("einddatum", "reden_einde"),
        "reden_einde",
        lambda d: d["einddatum"].notna() & d["reden_einde"].isna(),
        lambda v: (
            f"reden_einde ontbreekt; die hoort ingevuld te zijn bij de einddatum {v('einddatum')}"
        ),
    ),
    RowRule(
        "trajecten",
        ("einddatum", "reden_einde"),
        "reden_einde",
        lambda d: d["einddatum"].isna() & d["reden_einde"].notna(),
        lambda _v: (
            "reden_einde is ingevuld maar er is geen einddatum; vul beide in of laat beide leeg"
        ),
    ),
)


SEPARATORS = (",", ";", "\t")
PADDING = " \t"  # what is stripped from a cell, and what a blank line may hold


def _file_problem(path: Path, message: str) -> Problem:
    """A problem with the file as a whole (no row, column or value to name)."""
    return Problem(str(path), None, None, None, message)


def _decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; binary rejected."""
    if data.startswith(b"PK\x03\x04"):
        return None, [
            _file_problem(
                path,
                "dit is een Excel-werkmap (.xlsx), geen CSV; geef het bestand de naam "
                f"{path.stem}.xlsx",
            )
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [_file_problem(path, "ongeldige UTF-16-tekst")]
    if b"\x00" in data:
        return None, [
            _file_problem(
                path,
                "bestand is geen tekst (nul-bytes); verwacht een CSV-bestand in UTF-8",
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        # Not UTF-8: a Dutch Windows export is Windows-1252 (a superset of Latin-1).
        return data.decode("cp1252", errors="replace"), []


def read_table(
    path: Path, numbers: Mapping[str, type] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one register CSV as text, tolerating the usual Excel export variants.

    Accepts UTF-8 (with or without BOM), UTF-16 with BOM and Windows-1252/Latin-1; ``,``, ``;``
    or tab as separator (whichever the header uses most); Windows line endings; blank lines.
    Every cell is returned as a stripped string. Binary files (an ``.xlsx`` workbook), duplicate
    or empty column names and rows with the wrong number of fields are reported as problems.

    Parameters
    ----------
    path : Path
        The CSV file.
    numbers : mapping of str to type, optional
        Columns expected to hold numbers, with their dtype. They come back as numbers when every
        cell is one and the file is a plain comma-separated export (much faster on a large
        file); otherwise as text, like every other column.

    Returns
    -------
    tuple of (DataFrame, list of Problem)
        The table (text columns, and number columns as above) and the problems that prevented
        reading it.

    """
    if not path.is_file():
        return pd.DataFrame(), [_file_problem(path, "bestand ontbreekt")]
    text, problems = _decode(path, path.read_bytes())
    if text is None:
        return pd.DataFrame(), problems
    if "\r" in text:  # Windows or old Mac line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return pd.DataFrame(), [_file_problem(path, "bestand is leeg")]
    header = re.search(r"^.*\S.*$", text, re.M).group()  # the first line that is not blank
    sep = max(SEPARATORS, key=header.count)
    padded = _padded(text, sep)
    parsed = _parse_fast(text, sep, padded, numbers)
    if parsed is None:
        parsed = _parse_slow(path, text, sep)
    if isinstance(parsed, list):
        return pd.DataFrame(), parsed
    head, cells, lines = parsed
    for col, h in enumerate(head):
        if not h:
            problems.append(Problem(str(path), 1, None, header, "kolom zonder naam"))
        elif h in head[:col]:
            problems.append(Problem(str(path), 1, h, h, "kolom komt twee keer voor"))
    if problems:
        return pd.DataFrame(), problems
    if isinstance(cells, pd.DataFrame):  # the fast reader's frame, used as it is
        frame = cells.set_axis(head, axis=1)
    else:
        frame = pd.DataFrame(cells, columns=head, dtype=object)
    frame.index = pd.Index(lines, dtype="int64")  # index = line number in the file
    for col in frame.columns:
        if frame[col].dtype != object:
            continue  # parsed as numbers by the fast reader
        if padded:
            frame[col] = frame[col].str.strip(PADDING).astype(object)
        if sep != ",":
            # A ';'- or tab-separated export writes decimals with a comma; use a point.
            frame[col] = (
                frame[col].str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True).astype(object)
            )
    return frame, problems


def _padded(text: str, sep: str) -> bool:
    """Whether some cell may start or end with a space or tab (plain substring tests)."""
    return (
        any(
            pair in text
            for pad in PADDING
            if pad != sep and pad in text  # one fast scan for the character before four for pairs
            for pair in (sep + pad, pad + sep, "\n" + pad, pad + "\n")
        )
        or text[:1] in tuple(PADDING)
    )


def _parse_fast(
    text: str, sep: str, padded: bool, numbers: Mapping[str, type] | None = None
) -> tuple[list[str], pd.DataFrame, list[int]] | None:
    """The common case in one call to pandas' C reader: no quotes, no blank or ragged lines.

    Returns ``None`` when the file needs the careful reader (:func:`_parse_slow`), which reports
    every bad line; the fast path never guesses. Columns named in ``numbers`` are parsed as
    numbers of the given dtype when the file is comma-separated, unpadded and every cell of
    those columns is a number; otherwise every column is text.
    """
    body = text.rstrip("\n")
    first = body[: body.find("\n")] if "\n" in body else body
    if '"' in body or not first.strip():
        return None
    try:
        data = body.encode("utf-8")  # for a byte stream: StringIO would widen it to UCS-4
    except UnicodeEncodeError:  # a lone surrogate: not from a file, but read it carefully
        return None
    head = [h.strip().lower() for h in first.split(sep)]
    typed = {
        k: dtype
        for k, h in enumerate(head)
        if sep == "," and not padded and (dtype := (numbers or {}).get(h)) is not None
    }
    cells = None
    if typed:
        cells = _read_cells(data, sep, {k: typed.get(k, object) for k in range(len(head))})
        if cells is not None and any(cells[k].isna().any() for k in typed if k in cells):
            cells = None  # "nan" or an empty cell: the text path reports it
    if cells is None:
        cells = _read_cells(data, sep, object)
    if cells is None:
        return None
    # Every line has as many separators as the header (pandas pads a short or blank line and
    # rejects a long one), counted in the text; and no line starts with an empty cell (one of
    # separators only, which the careful reader skips, or a missing id, which it reports).
    lines = body.count("\n")
    if (
        cells.shape != (lines, len(head))
        or body.count(sep) != (len(head) - 1) * (lines + 1)
        or (lines and _blank(cells[0], padded).any())
    ):
        return None  # the careful reader reports ragged lines and skips blank ones by number
    return head, cells, list(range(2, 2 + lines))


def _read_cells(data: bytes, sep: str, dtype) -> pd.DataFrame | None:
    """The C reader of pandas on the body of a file (header skipped); ``None`` if it cannot.

    A cell that does not fit the requested dtype (an error, or a warning such as an infinite
    number cast to an integer) means ``None`` too: the caller then reads text.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return pd.read_csv(
                io.BytesIO(data),
                sep=sep,
                header=None,
                skiprows=1,
                dtype=dtype,
                keep_default_na=False,
                na_filter=False,
                quoting=csv.QUOTE_NONE,
                skip_blank_lines=False,
                engine="c",
            )
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        ValueError,
        OverflowError,
        TypeError,
        Warning,
    ):
        return None


def _blank(column: pd.Series, padded: bool) -> np.ndarray:
    """Per cell: empty, or (when cells may be padded) only spaces and tabs."""
    if column.dtype != object:  # parsed as numbers: never blank
        return np.zeros(len(column), dtype=bool)
    values = column.str.strip(PADDING) if padded else column
    return values.to_numpy(dtype=object) == ""


def _parse_slow(
    path: Path, text: str, sep: str
) -> tuple[list[str], list[list[str]], list[int]] | list[Problem]:
    """Line by line with the csv module: quotes, ragged rows; every bad row is a problem."""
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as exc:
        return [_file_problem(path, f"geen leesbare CSV: {exc}")]
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip(PADDING) for c in r)]
    if not numbered:
        return [_file_problem(path, "bestand is leeg")]
    head = [h.strip().lower() for h in numbered[0][1]]
    problems, body, lines = [], [], []
    for line, r in numbered[1:]:
        if len(r) != len(head):
            hint = ""
            if sep == "," and len(r) > len(head) and any(re.fullmatch(r"\d+", c) for c in r):
                hint = " (een decimaal met komma in een bestand met komma's als scheidingsteken?)"
            problems.append(
                Problem(
                    str(path),
                    line,
                    None,
                    sep.join(r),
                    f"{len(r)} velden, verwacht {len(head)}{hint}",
                )
            )
            continue
        body.append(r)
        lines.append(line)
    if problems:
        return problems
    return head, body, lines


PLAIN_INTEGERS = re.compile(r"[-0-9\x00]*")
PLAIN_DECIMALS = re.compile(r"[-.0-9\x00]*")


def _to_number(values: pd.Series, dtype: type, plain: re.Pattern) -> pd.Series:
    """Text to numbers; what is not a number becomes NaN (as ``pandas.to_numeric``).

    When all values are made of digits, signs and points only (one regular-expression match
    over all values joined) numpy converts them directly, several times faster than
    ``to_numeric`` on a million rows; if one of them is not a number after all ("1-2", "",
    too many digits), pandas decides for every value.
    """
    strings = values.to_numpy(dtype=object)
    if len(strings) and plain.fullmatch("\x00".join(strings)):
        try:
            return pd.Series(strings.astype(dtype), index=values.index)
        except (ValueError, OverflowError):
            pass
    return pd.to_numeric(values, errors="coerce")


def _coerce(
    table: str, frame: pd.DataFrame, where: TableSource, today: dt.date
) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    out = frame.copy(deep=False)  # columns are replaced, never changed in place
    for col in DATE_COLUMNS.get(table, ()):
        if col not in out:
            continue
        parsed, messages = parse_dates(out[col])
        problems += [
            where.problem(int(i), col, out.at[i, col], m or _period_message(today))
            for i, m in messages.items()
        ]
        out[col] = parsed
    for col in INT_COLUMNS.get(table, ()):
        if col not in out:
            continue
        if pd.api.types.is_integer_dtype(out[col]):
            continue  # read as numbers already
        parsed = _to_number(out[col], np.int64, PLAIN_INTEGERS)
        bad = parsed.isna() | ~np.isfinite(parsed.fillna(0)) | (parsed != parsed.round())
        problems += [
            where.problem(int(i), col, out.at[i, col], _number_message(out.at[i, col], True))
            for i in out.index[bad]
        ]
        out[col] = parsed.where(~bad, 0).astype(int)
    for col in FLOAT_COLUMNS.get(table, ()):
        if col not in out:
            continue
        if pd.api.types.is_float_dtype(out[col]):
            continue  # read as numbers already (the reader let no NaN through)
        parsed = _to_number(out[col], np.float64, PLAIN_DECIMALS)
        problems += [
            where.problem(int(i), col, out.at[i, col], _number_message(out.at[i, col], False))
            for i in out.index[parsed.isna()]
        ]
        out[col] = parsed.fillna(0.0).astype(float)
    for col in OPTIONAL_COLUMNS.get(table, ()):
        if col in out and out[col].dtype == object:
            out[col] = out[col].replace("", None)
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].astype(str).where(out[col].notna(), None)
    return out, problems


def _number_message(value: object, integer: bool) -> str:
    if value == "":
        return "lege waarde niet toegestaan"
    return "geen geheel getal" if integer else "geen getal"


def _shown(value: object) -> object:
    """A value as the user wrote it: text as is, a number without numpy's wrapping."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value) if isinstance(value, int) else value


def _column_problems(
    exc: pa.errors.SchemaErrors,
    raw: pd.DataFrame,
    where: TableSource,
    known: dict,
    expected_columns: tuple[str, ...],
) -> list[Problem]:
    """Pandera's failure cases as problems: one per cell, the value as written in the file."""
    cases = exc.failure_cases
    missing = [
        str(v)
        for v, c in zip(cases["failure_case"], cases["check"], strict=True)
        if str(c).startswith("column_in_dataframe")
    ]
    extra = [
        str(v)
        for v, c in zip(cases["failure_case"], cases["check"], strict=True)
        if str(c).startswith("column_in_schema")
    ]
    problems = []
    renamed: set[str] = set()
    for column in missing:
        # A missing column and an unknown one that looks like it: one fault, a misspelt name.
        close = difflib.get_close_matches(column, [e for e in extra if e not in renamed], n=1)
        if close:
            renamed.add(close[0])
            message = f"kolom ontbreekt; heet die hier {close[0]!r}?"
            problems.append(where.problem(None, column, close[0], message))
        else:
            problems.append(where.problem(None, column, None, "kolom ontbreekt"))
    for column in extra:
        if column not in renamed:
            hint = _suggest(column, expected_columns)
            problems.append(where.problem(None, column, None, f"onverwachte kolom{hint}"))
    for _, case in cases.iterrows():
        check = str(case["check"])
        if check.startswith(("column_in_dataframe", "column_in_schema")):
            continue
        column = case["column"] if isinstance(case["column"], str) else None
        row = None if pd.isna(case["index"]) else int(case["index"])
        value = case["failure_case"]
        if row is not None and column in raw:
            value = raw.at[row, column]
        value = _shown(value)
        message = _check_message(check)
        if value in ("", None) and column not in OPTIONAL_COLUMNS.get(str(where.table), ()):
            message = "lege waarde niet toegestaan"
        elif column in known and "isin" in check:
            message = f"onbekende waarde{_suggest(value, known[column])}"
        problems.append(where.problem(row, column, value or None, message))
    return problems


def _check_message(check: str) -> str:
    if check == "not_nullable":
        return "lege waarde niet toegestaan"
    if check.startswith("isin"):
        return "onbekende waarde"
    if check.startswith("in_range"):
        return f"waarde buiten het toegestane bereik ({check})"
    if check == ID_CHECK:
        return "ongeldige id (geen spaties, niet leeg)"
    if check.startswith("dtype"):
        return f"verkeerd type ({check})"
    return check


def _key_problems(table: str, frame: pd.DataFrame, where: TableSource, skip: set) -> list[Problem]:
    """Each row whose key an earlier row already has: one problem, naming that row."""
    keys = [k for k in KEYS[table] if k in frame]
    if len(keys) < len(KEYS[table]):
        return []  # a key column is missing: reported as such
    if len(keys) == 1 and pd.Index(frame[keys[0]].to_numpy(dtype=object)).is_unique:
        return []  # the usual case, several times faster than ``duplicated`` on a million ids
    fine = ~frame.index.isin([r for r, c in skip if c in keys])
    rows = frame[fine]
    later = rows.duplicated(subset=keys, keep="first")
    if not later.any():
        return []
    first = rows[~later].reset_index(names="_row").set_index(keys)["_row"]
    problems = []
    for row, values in rows.loc[later, keys].iterrows():
        key = tuple(values) if len(keys) > 1 else values.iloc[0]
        earlier = int(first.loc[key])
        column = keys[-1]
        if table == "jaarregistratie":
            text = f"traject {values['traject_id']} heeft al een registratie voor {values['jaar']}"
        else:
            text = f"{column} {_shown(values[column])} komt al voor"
        message = f"dubbele waarde (moet uniek zijn): {text} in rij {earlier}"
        problems.append(where.problem(int(row), column, _shown(values[column]), message))
    return problems


def _rule_problems(
    table: str, frame: pd.DataFrame, raw: pd.DataFrame, where: TableSource, skip: set
) -> list[Problem]:
    """The row rules of ``table``, once per broken row, unless a cell they read was reported."""
    problems = []
    for rule in ROW_RULES:
        if rule.table != table or not all(c in frame for c in rule.columns):
            continue
        broken = rule.broken(frame).to_numpy(dtype=bool)
        if not broken.any():
            continue
        for row in frame.index[broken]:
            if any((row, c) in skip for c in rule.columns):
                continue
            shown = lambda c, row=row: str(_shown(raw.at[row, c]) or "(leeg)")  # noqa: E731
            problems.append(
                where.problem(
                    int(row),
                    rule.column,
                    _shown(raw.at[row, rule.column]) or None,
                    rule.message(shown),
                )
            )
    return problems


#: The root cause of an empty table, instead of a message for every row it leaves alone.
EMPTY_TABLE = {
    "trajecten": "het register bevat geen trajecten",
    "jaarregistratie": "het register bevat geen jaarregistraties",
    "kinderen": "het register bevat geen kinderen",
}


def check_table(
    table: str,
    raw: pd.DataFrame,
    where: TableSource,
    reference: Reference,
    today: dt.date,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Coerce and check one table read as text; every fault once, at its cell.

    Cells that are not a date or number, cells outside their vocabulary or range, keys used
    twice and broken row rules are reported; a rule or key check that reads a cell already
    reported is skipped (its message would be a consequence, not a fault of its own).

    Returns
    -------
    tuple of (DataFrame or None, list of Problem)
        The typed table when it has no problem, else ``None``.

    """
    frame, problems = _coerce(table, raw, where, today)
    known = {
        "wijk": reference.wijken,
        "gezinssamenstelling": tuple(reference.gezinssamenstelling["code"]),
        "hoofdvraag": tuple(reference.hoofdvraag["code"]),
        "reden_einde": tuple(reference.reden_einde["code"]),
    }
    reported = {(p.row, p.column) for p in problems}
    try:
        frame = schemas(reference, today)[table].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        # A cell that is not a number or date at all was reported above; the placeholder
        # it got must not be reported again as out of range.
        problems += [
            p
            for p in _column_problems(exc, raw, where, known, COLUMNS[table])
            if (p.row, p.column) not in reported or p.row is None
        ]
        reported |= {(p.row, p.column) for p in problems}
    problems += _key_problems(table, frame, where, reported)
    problems += _rule_problems(table, frame, raw, where, reported)
    if frame.empty and not problems:
        problems.append(where.problem(None, None, None, EMPTY_TABLE[table]))
    return (None if problems else frame), _dedupe(problems)


@dataclass(frozen=True)
class TableSource:
    """Where one table of the register is read from: a CSV file or a sheet of a workbook."""

    table: str
    path: Path
    sheet: str | None = None  # set for a workbook
    workbook: object = field(default=None, compare=False, repr=False)

    def problem(self, row: int | None, column: str | None, value: object, message: str):
        """A :class:`Problem` at this table's file (and sheet)."""
        return Problem(str(self.path), row, column, value, message, self.sheet)

    def read(self) -> tuple[pd.DataFrame, list[Problem]]:
        """The table as text (see :func:`read_table` and :func:`excel.read_sheet`)."""
        if self.sheet is None:
            numbers = {c: np.int64 for c in INT_COLUMNS.get(self.table, ())}
            numbers |= {c: np.float64 for c in FLOAT_COLUMNS.get(self.table, ())}
            return read_table(self.path, numbers)
        return excel.read_sheet(
            self.workbook, self.path, self.sheet, DATE_COLUMNS.get(self.table, ())
        )


def _is_workbook(path: Path) -> bool:
    if path.suffix.lower() in excel.SUFFIXES:
        return True
    with path.open("rb") as f:  # a workbook saved under a .csv name
        return f.read(4) == b"PK\x03\x04"


def locate_tables(register: Path) -> tuple[dict[str, TableSource], list[Problem]]:
    """Find the three tables: CSV or ``.xlsx`` files in a folder, or sheets of one workbook.

    Parameters
    ----------
    register : Path
        A folder with ``trajecten``, ``jaarregistratie`` and ``kinderen`` as ``.csv`` or
        ``.xlsx`` files (one of each; a workbook of its own may hold a single sheet of any
        name), or one ``.xlsx`` workbook with a sheet (werkblad) named after each table.

    Returns
    -------
    tuple of (dict of str to TableSource, list of Problem)
        The sources found and the tables that are missing or given twice.

    """
    if register.is_file():
        if not _is_workbook(register):
            message = (
                "geef een map met trajecten, jaarregistratie en kinderen (.csv of .xlsx), "
                "of één Excel-werkmap (.xlsx) met die drie werkbladen"
            )
            return {}, [Problem(str(register), None, None, None, message)]
        workbook, problems = excel.open_workbook(register)
        if workbook is None:
            return {}, problems
        names = list(workbook.sheet_names)
        sources = {}
        for table in TABLES:
            sheet = excel.find_sheet(names, table, single_ok=False)
            if sheet is None:
                message = f"werkblad {table!r} ontbreekt (de werkmap heeft {', '.join(names)})"
                problems.append(Problem(str(register), None, None, None, message, table))
            else:
                sources[table] = TableSource(table, register, sheet, workbook)
        return sources, problems
    if not register.is_dir():
        return {}, [Problem(str(register), None, None, None, "map bestaat niet")]
    sources, problems = {}, []
    for table in TABLES:
        csv_path = register / f"{table}.csv"
        found = [p for p in (csv_path, register / f"{table}.xlsx") if p.is_file()]
        if len(found) == 2:
            message = f"{table} staat er twee keer: als .csv en als .xlsx; laat er één staan"
            problems.append(Problem(str(register), None, None, None, message))
        elif not found:
            message = f"bestand ontbreekt ({table}.csv of {table}.xlsx)"
            problems.append(Problem(str(csv_path), None, None, None, message))
        elif not _is_workbook(found[0]):
            sources[table] = TableSource(table, found[0])
        else:
            workbook, opened = excel.open_workbook(found[0])
            problems += opened
            if workbook is None:
                continue
            names = list(workbook.sheet_names)
            sheet = excel.find_sheet(names, table, single_ok=True)
            if sheet is None:
                message = (
                    f"de werkmap heeft meerdere werkbladen ({', '.join(names)}); "
                    f"noem het werkblad met de gegevens {table!r}"
                )
                problems.append(Problem(str(found[0]), None, None, None, message))
            else:
                sources[table] = TableSource(table, found[0], sheet, workbook)
    return sources, problems


def validate_register(
    register_dir: Path, reference: Reference, today: dt.date
) -> tuple[Register | None, list[Problem]]:
    """Read and validate the three register tables, collecting every problem.

    Every fault is reported once, at its cell (file, werkblad, row as the file or Excel shows
    it, column, the value as written); causes come first: the checks across tables run only
    when each table is sound on its own, and a check that depends on a reported cell is
    skipped. The tables are sorted on their keys, so the order of the rows in the files does
    not matter.

    Parameters
    ----------
    register_dir : Path
        Folder with ``trajecten``, ``jaarregistratie`` and ``kinderen`` as ``.csv`` or
        ``.xlsx`` files, or one ``.xlsx`` workbook with those three sheets.
    reference : Reference
        Controlled vocabularies.
    today : dt.date
        The build date; later dates are invalid.

    Returns
    -------
    tuple of (Register or None, list of Problem)
        The register when there are no problems, else ``None`` and all problems.

    """
    register_dir = Path(register_dir)
    sources, problems = locate_tables(register_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name, where in sources.items():
        raw, read_problems = where.read()
        problems += read_problems
        if read_problems:
            continue
        frame, table_problems = check_table(name, raw, where, reference, today)
        problems += table_problems
        if frame is not None:
            tables[name] = frame
    if problems:
        return None, _ordered(problems, sources)
    codes = traject_codes(tables)
    problems = cross_table_problems(tables, codes, sources)
    if problems:
        return None, _ordered(problems, sources)
    return Register(**_keyed(tables, codes)), []


def _ordered(problems: list[Problem], sources: Mapping[str, TableSource]) -> list[Problem]:
    """Problems of a whole file first (a missing file or column), then by table, row, column."""
    table_of = {(str(s.path), s.sheet): TABLES.index(n) for n, s in sources.items()}

    def key(p: Problem):
        table = table_of.get((p.file, p.sheet), -1)
        columns = COLUMNS[TABLES[table]] if table >= 0 else ()
        column = columns.index(p.column) if p.column in columns else len(columns)
        return (p.row is not None, table, p.row or 0, column)

    return sorted(problems, key=key)


def _keyed(
    tables: dict[str, pd.DataFrame], codes: dict[str, np.ndarray]
) -> dict[str, pd.DataFrame]:
    """The tables in canonical order, ``traject_id`` as one shared categorical.

    Rows are sorted on their keys (:data:`KEYS`: trajecten by id, yearly registrations by
    traject and year, children by id), so that a register gives the same frames, and the
    metrics the same floating-point sums, whatever the order of the rows in the files; the
    sort is skipped when the rows already are in order (the usual export). Matching a
    yearly row or a child to its traject then compares small integer codes instead of
    strings, which keeps the metrics linear and fast on registers of a million trajecten.
    The codes are those of :func:`traject_codes`, so no id is hashed again.
    """
    trajecten = tables["trajecten"]
    ids = trajecten["traject_id"].astype(str).to_numpy(dtype=object)
    order = _sorted_order(ids)
    rank = np.empty(len(ids), dtype=np.int64)  # old position -> new position
    rank[order] = np.arange(len(ids))
    dtype = pd.CategoricalDtype(ids[order])
    jaar, of_jaar = tables["jaarregistratie"]["jaar"].to_numpy(), rank[codes["jaarregistratie"]]
    step, turn = np.diff(of_jaar), np.diff(jaar)
    in_order = bool(np.all((step > 0) | ((step == 0) & (turn >= 0))))
    year_order = np.arange(len(jaar)) if in_order else np.lexsort((jaar, of_jaar))
    kind_ids = tables["kinderen"]["kind_id"].astype(str).to_numpy(dtype=object)
    orders = {
        "trajecten": order,
        "jaarregistratie": year_order,
        "kinderen": _sorted_order(kind_ids),
    }
    out = {}
    for name in TABLES:
        frame = tables[name].iloc[orders[name]].reset_index(drop=True)
        frame["traject_id"] = pd.Categorical.from_codes(
            rank[codes[name][orders[name]]], dtype=dtype
        )
        out[name] = frame
    return out


def _sorted_order(values: np.ndarray) -> np.ndarray:
    """Positions that sort ``values`` (unique strings); ``arange`` when already in order."""
    if pd.Index(values).is_monotonic_increasing:
        return np.arange(len(values))
    return np.argsort(values, kind="stable")


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.sheet, p.row, p.column, str(p.value), p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def traject_codes(tables: dict[str, pd.DataFrame]) -> dict[str, np.ndarray]:
    """Per table: the position of each row's traject in ``trajecten`` (-1: no such traject).

    The trajecten's ids are hashed once; every later check compares these integers, and
    :func:`_keyed` turns them into a shared categorical without hashing again.
    """
    index = pd.Index(tables["trajecten"]["traject_id"].to_numpy(dtype=object))
    return {
        name: np.arange(len(index))
        if name == "trajecten"
        else index.get_indexer(tables[name]["traject_id"].to_numpy(dtype=object))
        for name in TABLES
    }


def cross_table_problems(
    tables: dict[str, pd.DataFrame],
    codes: dict[str, np.ndarray],
    sources: Mapping[str, TableSource],
) -> list[Problem]:
    """Checks that need more than one table (``codes`` from :func:`traject_codes`).

    Every child and every yearly registration belongs to a known traject; a traject has a yearly
    registration for every year it is active in (within the years the register covers); no yearly
    registration falls in a year the traject was not active; the years have no gap; every family
    has at least one child. A registration or child of an unknown traject may be one whose id
    was mistyped: while there is one, a traject is not also reported for missing it.
    """
    trajecten, jaren, kinderen = (tables[n] for n in TABLES)
    at_t, at_j, at_k = (sources[n] for n in TABLES)

    def rows(where: TableSource, frame: pd.DataFrame, mask: np.ndarray, column: str, message):
        values = frame.loc[mask, column]
        return [where.problem(int(i), column, _shown(v), message) for i, v in values.items()]

    n = len(trajecten)
    of_kind, of_jaar = codes["kinderen"], codes["jaarregistratie"]
    orphan_kids = rows(
        at_k, kinderen, of_kind < 0, "traject_id", "kind hoort bij geen bekend traject"
    )
    orphan_years = rows(
        at_j, jaren, of_jaar < 0, "traject_id", "registratie hoort bij geen traject"
    )
    problems = orphan_kids + orphan_years
    jaar = jaren["jaar"].to_numpy()
    covered = sorted(int(j) for j in np.unique(jaar))
    problems += [
        at_j.problem(None, "jaar", j, f"geen enkele registratie voor {j}, een gat in de jaren")
        for j in range(covered[0], covered[-1] + 1)
        if j not in covered
    ]
    start_year = trajecten["startdatum"].dt.year.to_numpy()
    end_year = trajecten["einddatum"].dt.year.to_numpy(dtype=float, na_value=np.nan)
    # A traject still running counts as active up to the last year the register covers.
    last_year = np.where(np.isnan(end_year), covered[-1], end_year)
    known = of_jaar >= 0
    if not orphan_years:
        for j in covered:
            registered = np.zeros(n, dtype=bool)
            registered[of_jaar[known & (jaar == j)]] = True
            missing = (start_year <= j) & (last_year >= j) & ~registered
            problems += rows(
                at_t,
                trajecten,
                missing,
                "traject_id",
                f"actief in {j} maar zonder jaarregistratie voor {j}",
            )
    at = np.where(known, of_jaar, 0)
    final = np.where(np.isnan(end_year), 9999, end_year)
    outside = known & ~((start_year[at] <= jaar) & (jaar <= final[at]))
    problems += rows(at_j, jaren, outside, "jaar", "traject was dat jaar niet actief")
    if not orphan_kids:
        children = np.bincount(of_kind[of_kind >= 0], minlength=n)
        problems += rows(
            at_t,
            trajecten,
            children == 0,
            "traject_id",
            "gezin zonder kinderen (geen rij in kinderen)",
        )
    return problems


def load_register(register_dir: Path, reference: Reference, today: dt.date) -> Register:
    """Validate and return the register, or raise :class:`InputError` with every problem."""
    register, problems = validate_register(register_dir, reference, today)
    if problems:
        raise InputError(problems)
    assert register is not None
    return register


def write_register(register: Register, register_dir: Path) -> None:
    """Write the three tables as CSV (ISO dates, point decimals, LF line endings)."""
    register_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        frame = getattr(register, name).copy()
        for col in DATE_COLUMNS.get(name, ()):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d").fillna("")
        frame = frame.fillna("")
        frame[list(COLUMNS[name])].to_csv(
            register_dir / f"{name}.csv", index=False, lineterminator="\n"
        )


# Field documentation, rendered in the book's chapter "Gegevens" (Dutch: it is read by the raad).
FIELD_DOCS: dict[str, dict[str, str]] = {
    "trajecten": {
        "traject_id": (
            "Pseudoniem van het traject; uniek, zonder spaties. Eén traject is één gezin."
        ),
        "wijk": "Wijk van aanmelding, uit de lijst van wijken (data/reference/wijken.csv).",
        "aanmelddatum": "Dag waarop de casemanager het gezin aanmeldde (dd-mm-jjjj of jjjj-mm-dd).",
        "startdatum": "Dag waarop de gezinsverzorger begon; niet vóór de aanmelddatum.",
        "einddatum": "Dag waarop het traject eindigde; leeg zolang het loopt.",
        "reden_einde": "Reden van afsluiten (opgelost, doorverwezen, overig); ingevuld precies "
        "als er een einddatum is.",
    },
    "jaarregistratie": {
        "traject_id": "Het traject waar deze registratie bij hoort.",
        "jaar": "Het jaar van de registratie; er is een rij voor elk jaar dat het traject liep.",
        "gezinssamenstelling": (
            "Gezinssituatie in dat jaar (data/reference/gezinssamenstelling.csv)."
        ),
        "hoofdvraag": "Belangrijkste hulpvraag in dat jaar (data/reference/hoofdvraag.csv).",
        "uren_per_week": "Gemiddelde inzet in uren per week in dat jaar; meer dan nul en "
        f"hoogstens {MAX_HOURS_PER_WEEK:g}.",
    },
    "kinderen": {
        "kind_id": "Pseudoniem van het kind; uniek.",
        "traject_id": "Het traject (gezin) waar het kind bij hoort.",
        "geboortejaar": "Geboortejaar.",
        "geboortemaand": "Geboortemaand (een tot en met twaalf).",
    },
}


def schema_table(table: str) -> pd.DataFrame:
    """One row per column of a register table: name, type, required, meaning."""
    types = {
        **{c: "datum" for c in DATE_COLUMNS.get(table, ())},
        **{c: "geheel getal" for c in INT_COLUMNS.get(table, ())},
        **{c: "getal" for c in FLOAT_COLUMNS.get(table, ())},
    }
    optional = OPTIONAL_COLUMNS.get(table, ())
    return pd.DataFrame(
        {
            "Kolom": [f"`{c}`" for c in COLUMNS[table]],
            "Type": [types.get(c, "tekst") for c in COLUMNS[table]],
            "Verplicht": ["nee" if c in optional else "ja" for c in COLUMNS[table]],
            "Betekenis": [FIELD_DOCS[table][c] for c in COLUMNS[table]],
        }
    )
