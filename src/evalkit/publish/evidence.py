"""What the letters establish about each number the book shows: its status and range."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from evalkit.compute.claims import Claim, Registry
from evalkit.inputs.numbers import format_number

#: The statuses of a shown number, from strongest to weakest evidence (``gemeten``: a real
#: register; ``onbeslist``: the bounds could not be decided within the solver's time limit).
STATUSES = ("gepubliceerd", "vastgelegd", "begrensd", "vrij", "gemeten", "onbeslist")

#: The marker printed after a glued number in the text.
MARKS = {
    "gepubliceerd": "●",
    "vastgelegd": "◆",
    "begrensd": "◐",
    "vrij": "○",
    "gemeten": "",
    "onbeslist": "?",
}

#: What each status means, in the words of the legend.
MEANINGS = {
    "gepubliceerd": "staat zo in de brieven of de rapportage",
    "vastgelegd": "niet gepubliceerd, maar volgt vast uit de gepubliceerde getallen",
    "begrensd": "niet gepubliceerd; de gepubliceerde getallen geven alleen een bereik",
    "vrij": "niet gepubliceerd en niet begrensd: een keuze van het synthetische register",
    "gemeten": "gemeten in het echte register",
    "onbeslist": "het bereik kon binnen de rekentijd niet worden bepaald",
}

#: The numbers about the sources and the book itself (how many claims, checks, conflicts):
#: facts about this report, not about the pilot; shown, but not in the summary's counts.
ABOUT_SOURCES = "over de bronnen"

#: Glued next to a value (a number or a published table) with its evidence.
EVIDENCE_MIME = "application/vnd.evalkit.evidence+json"

COLUMNS = [
    "notebook",
    "key",
    "label",
    "shown",
    "status",
    "min",
    "max",
    "min_exact",
    "max_exact",
    "exact",
    "register_value",
    "claims",
    "basis",
]

#: Words in a quote that make a published number approximate ("ruim 80 fte").
QUALIFIERS = re.compile(
    r"\b(ruim|bijna|ongeveer|circa|rond|zo'n|hoogstens|minstens|meer dan|minder dan)\b", re.I
)


@dataclass(frozen=True)
class Evidence:
    """The status of one shown number, the range the letters allow, and where it comes from.

    ``exact`` says whether ``min``/``max`` are exact bounds (fractions over integer counts,
    ``min_exact``/``max_exact``) or only bounds at the published precision (a rounded figure's
    interval, or an outer bound combined from several ranges).
    """

    status: str
    min: float | None = None
    max: float | None = None
    min_exact: str = ""
    max_exact: str = ""
    exact: bool = False
    claims: tuple[str, ...] = ()
    basis: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"onbekende status {self.status!r}; kies uit {STATUSES}")

    @property
    def mark(self) -> str:
        """The marker printed after the number.

        Empty for a measured one, and for a count of the sources themselves (not a figure
        about the pilot).
        """
        return "" if self.basis == ABOUT_SOURCES else MARKS[self.status]

    def record(self) -> dict:
        """The JSON-able fields (for the glued output and for ``evidence.csv``)."""
        return {
            "status": self.status,
            "min": _num(self.min),
            "max": _num(self.max),
            "min_exact": self.min_exact,
            "max_exact": self.max_exact,
            "exact": self.exact,
            "claims": ",".join(self.claims),
            "basis": self.basis,
        }


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


class Ledger:
    """Evidence for the numbers of one chapter: from the bounds table and the claims.

    Parameters
    ----------
    bounds : pandas.DataFrame or None
        The table of :func:`evalkit.solver.bounds.load_bounds` (``None`` with a real register).
    registry : Registry
        The claims (published figures and their quotes).
    measured : bool
        A real register: every register value is ``gemeten``.

    """

    def __init__(self, bounds: pd.DataFrame | None, registry: Registry, measured: bool = False):
        self.bounds = None if bounds is None else bounds.set_index("key")
        self.claims = registry.by_id()
        self.measured = measured

    # --- register quantities ----------------------------------------------------------------

    def quantity(self, q: Mapping) -> Evidence:
        """Evidence for a register quantity (a spec as in :mod:`evalkit.solver.bounds`)."""
        from evalkit.solver.bounds import quantity_key

        if self.measured:
            return Evidence("gemeten", basis="register")
        key = quantity_key(q)
        if self.bounds is not None and key in self.bounds.index:
            return self._from_row(self.bounds.loc[key])
        if q.get("as") == "percent":
            return self._percent_from_count(q)
        return Evidence("onbeslist", basis=f"geen bereik berekend voor {key}")

    def metric(self, name: str, **args) -> Evidence:
        """Evidence for a metric, e.g. ``metric("count_active", jaar=2022)``."""
        return self.quantity({"metric": name, "args": args})

    def element(self, distribution: str, jaar: int, element, percent: bool = False) -> Evidence:
        """Evidence for one element of a distribution (count, or percent of the families)."""
        q = {"distribution": distribution, "args": {"jaar": jaar}, "element": element}
        return self.quantity(q | {"as": "percent"} if percent else q)

    def _from_row(self, row: pd.Series) -> Evidence:
        status = str(row["status"]) or "onbeslist"
        if status not in STATUSES:
            status = "onbeslist"
        text = "" if pd.isna(row["claims"]) else str(row["claims"])
        claims = tuple(c for c in text.split(",") if c)
        return Evidence(
            status,
            _num(row["min"]),
            _num(row["max"]),
            "" if pd.isna(row["min_exact"]) or row["min_exact"] == "nan" else str(row["min_exact"]),
            "" if pd.isna(row["max_exact"]) or row["max_exact"] == "nan" else str(row["max_exact"]),
            bool(row["exact"]),
            claims,
            "register" if status != "gepubliceerd" else "claim",
        )

    def _percent_from_count(self, q: Mapping) -> Evidence:
        """A percentage of a fixed number of families: the count's range, scaled exactly."""
        count = self.quantity({k: v for k, v in q.items() if k != "as"})
        base = self.metric("count_active", jaar=q["args"]["jaar"])
        if count.status == "onbeslist" or base.min is None or base.min != base.max:
            return Evidence("onbeslist", basis="percentage zonder vast aantal gezinnen")
        n = Fraction(str(base.min_exact or int(base.min)))
        lo, hi = Fraction(count.min_exact) * 100 / n, Fraction(count.max_exact) * 100 / n
        status = "vastgelegd" if lo == hi else count.status
        if count.status == "gepubliceerd":
            status = "vastgelegd" if lo == hi else "begrensd"
        return Evidence(
            status,
            float(lo),
            float(hi),
            str(lo),
            str(hi),
            count.exact,
            count.claims,
            f"aantal gedeeld door {n} gezinnen",
        )

    def total(self, parts: Sequence[Evidence]) -> Evidence:
        """A sum of quantities: exact when at most one part varies, otherwise an outer bound."""
        if self.measured or any(p.status == "gemeten" for p in parts):
            return Evidence("gemeten", basis="register")
        if any(p.min is None or p.max is None for p in parts):
            return Evidence("onbeslist", basis="som met een onbekend deel")
        lo = sum(Fraction(p.min_exact) for p in parts)
        hi = sum(Fraction(p.max_exact) for p in parts)
        varying = [p for p in parts if p.min != p.max]
        if lo == hi:
            status = "vastgelegd"
        elif any(p.status == "vrij" for p in varying):
            status = "vrij"
        else:
            status = "begrensd"
        return Evidence(
            status,
            float(lo),
            float(hi),
            str(lo),
            str(hi),
            len(varying) <= 1 and all(p.exact for p in parts),
            tuple(c for p in parts for c in p.claims),
            "som van grootheden van het register",
        )

    def per(self, amount: float, part: Evidence) -> Evidence:
        """A published amount divided by a register quantity (e.g. the budget per family)."""
        if part.status in ("gemeten", "vrij", "onbeslist") and (not part.min or not part.max):
            return Evidence(part.status, claims=part.claims, basis=part.basis)
        if not part.min or not part.max:
            return Evidence("vrij", claims=part.claims, basis="deler kan nul zijn")
        a = Fraction(str(amount))
        lo, hi = a / Fraction(part.max_exact), a / Fraction(part.min_exact)
        status = "vastgelegd" if lo == hi else ("vrij" if part.status == "vrij" else "begrensd")
        return Evidence(
            status,
            float(lo),
            float(hi),
            str(lo),
            str(hi),
            part.exact,
            part.claims,
            "gepubliceerd bedrag gedeeld door een grootheid van het register",
        )

    def unmodelled(self, why: str) -> Evidence:
        """A register figure the model of the letters does not constrain (e.g. total hours)."""
        return Evidence("gemeten" if self.measured else "vrij", basis=why)

    # --- published figures --------------------------------------------------------------------

    def published(self, *ids: str) -> Evidence:
        """A figure that the claims ``ids`` publish."""
        values = [self.claims[i].value for i in ids]
        v = _value(values[0])
        return Evidence(
            "gepubliceerd",
            v,
            v,
            str(Fraction(str(values[0]))) if v is not None else "",
            str(Fraction(str(values[0]))) if v is not None else "",
            True,
            tuple(ids),
            "claim",
        )

    def derived(self, value: float, ids: Iterable[str], basis: str = "") -> Evidence:
        """A figure computed from published figures only (``vastgelegd`` when they are exact).

        When one of them is approximate in its quote ("ruim 80 fte", "bijna 1000") the derived
        figure is only ``begrensd`` and its range is not computed.
        """
        ids = tuple(ids)
        approximate = [i for i in ids if _approximate(self.claims[i])]
        if approximate:
            return Evidence(
                "begrensd",
                claims=ids,
                basis=(basis or "afgeleid uit gepubliceerde getallen")
                + "; bij benadering gepubliceerd: "
                + ", ".join(approximate),
            )
        v = float(value)
        exact = str(Fraction(v).limit_denominator(10**6))
        basis = basis or "afgeleid uit gepubliceerde getallen"
        return Evidence("vastgelegd", v, v, exact, exact, True, ids, basis)

    def derived_from_formula(self, value: float, formula: str) -> Evidence:
        """As :meth:`derived`, with the claims read from a formula over claim ids."""
        ids = [i for i in re.findall(r"[A-Z][A-Za-z0-9-]*[A-Za-z0-9]", formula) if i in self.claims]
        return self.derived(value, ids, f"afgeleid: {formula}")

    def about_sources(self, value: float) -> Evidence:
        """A count of claims, checks or conflicts: a fact about the sources, not the pilot."""
        v = Fraction(str(value))
        return Evidence("vastgelegd", float(v), float(v), str(v), str(v), True, (), ABOUT_SOURCES)


def _value(v) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _approximate(claim: Claim) -> bool:
    return bool(QUALIFIERS.search(claim.quote))


def load_ledger(bounds_file: str | Path | None, registry: Registry, register_soort: str) -> Ledger:
    """The ledger of a chapter from its parameters (``bounds_file`` empty: no bounds)."""
    from evalkit.solver.bounds import load_bounds

    measured = register_soort == "echt"
    table = load_bounds(Path(bounds_file)) if bounds_file and not measured else None
    return Ledger(table, registry, measured)


# --- text -------------------------------------------------------------------------------------


def legend() -> str:
    """The legend of the markers, as a Markdown list."""
    return "\n".join(
        f"- {MARKS[s]} **{s}**: {MEANINGS[s]}" for s in STATUSES if MARKS[s] and s != "onbeslist"
    )


def range_text(ev: Evidence, decimals: int = 0, unit: str = "") -> str:
    """The range the letters allow, in Dutch: ``1,2 tot 11,9`` or one value when fixed."""
    if ev.min is None or ev.max is None:
        return "–"
    suffix = f" {unit}" if unit else ""
    lo, hi = format_number(ev.min, decimals), format_number(ev.max, decimals)
    if lo == hi:
        return lo + suffix
    return f"{lo} tot {hi}{suffix}"


def range_cell(ev: Evidence, decimals: int = 0, compact: bool = False) -> str:
    """The table cell *Bereik volgens de publicaties*: marker and range, or the status word.

    ``compact`` leaves the word out for a published figure (the marker alone, for wide tables).
    """
    if ev.status in ("gemeten", "gepubliceerd"):
        return ev.mark if compact and ev.mark else f"{ev.mark} {ev.status}".strip()
    if ev.status in ("vrij", "onbeslist") or ev.min is None:
        return f"{ev.mark} {ev.status}".strip()
    lo, hi = format_number(ev.min, decimals), format_number(ev.max, decimals)
    span = lo if lo == hi else f"{lo}–{hi}"
    return f"{ev.mark} {span}"


def what_follows(
    ev: Evidence, unit: str, subject: str, decimals: int = 1, verb: str = "lag"
) -> str:
    """A sentence on what the letters establish about a figure the text shows unpublished.

    ``De gemiddelde looptijd is niet gepubliceerd; uit de brieven volgt alleen dat die tussen
    1,2 en 11,9 maanden lag.`` Empty for a published or measured figure (its marker says it).
    """
    if ev.status in ("gepubliceerd", "gemeten"):
        return ""
    if ev.status == "vastgelegd":
        return f"{subject} is niet gepubliceerd, maar volgt vast uit de gepubliceerde getallen."
    if ev.status == "begrensd" and ev.min is not None:
        lo, hi = format_number(ev.min, decimals), format_number(ev.max, decimals)
        amount = f"{lo} en {hi} {unit}".strip()
        return (
            f"{subject} is niet gepubliceerd; uit de brieven volgt alleen dat die tussen "
            f"{amount} {verb}."
        )
    if ev.status == "onbeslist":
        return f"{subject} is niet gepubliceerd; het bereik is niet bepaald."
    return (
        f"{subject} is niet gepubliceerd, en de brieven leggen die niet vast: het synthetische "
        "register koos deze waarde."
    )


# --- the build's table ------------------------------------------------------------------------


def table_evidence_rows(name: str, frame: pd.DataFrame, evidence: Mapping, labels: Sequence[str]):
    """The evidence rows of a published table: one per cell, keyed ``name:row:column``."""
    rows = []
    for (row, col), ev in evidence.items():
        values = frame.loc[_row_labels(frame, labels) == row, col]
        value = values.iloc[0] if len(values) else None
        shown = "" if value is None or pd.isna(value) else _plain(value)
        rows.append(
            {
                "key": f"{name}:{row}:{col}",
                "label": f"{name}: {row}, {col}",
                "shown": shown,
                "register_value": shown,
                **ev.record(),
            }
        )
    return rows


def _row_labels(frame: pd.DataFrame, labels: Sequence[str]) -> pd.Series:
    return frame[list(labels)].astype(str).agg(" ".join, axis=1)


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def with_evidence_columns(
    frame: pd.DataFrame, evidence: Mapping, labels: Sequence[str]
) -> pd.DataFrame:
    """The table with ``<col>_status``, ``<col>_min`` and ``<col>_max`` after each column."""
    out = frame.copy()
    rows = _row_labels(frame, labels)
    columns = list(dict.fromkeys(col for _, col in evidence))
    for col in columns:
        status = [evidence.get((r, col)) for r in rows]
        at = list(out.columns).index(col) + 1
        out.insert(at, f"{col}_status", [e.status if e else "" for e in status])
        out.insert(at + 1, f"{col}_min", [e.min if e else None for e in status])
        out.insert(at + 2, f"{col}_max", [e.max if e else None for e in status])
    return out


NUMBER = re.compile(r"^(€\s?)?-?\d{1,3}(\.\d{3})*(,\d+)?\s?%?$|^(€\s?)?-?\d+(,\d+)?\s?%?$")


def is_number(text: str) -> bool:
    """Whether a glued text is a number as the book prints it (``21``, ``5,3``, ``€ 336.000``).

    A calendar year (1900 to 2100) names a period and is not a figure (see
    :func:`evalkit.compute.claims.is_date`).
    """
    text = str(text).replace("\u00a0", " ").strip()
    if not NUMBER.match(text):
        return False
    return not (re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100)


def uncovered(glue: pd.DataFrame, tables: Mapping[str, pd.DataFrame], evidence: pd.DataFrame):
    """The numbers shown without a row in ``evidence.csv``: ``notebook:key`` or ``table:row:col``.

    Parameters
    ----------
    glue : pandas.DataFrame
        ``glue.csv`` (notebook, key, text).
    tables : mapping of str to pandas.DataFrame
        Each published table (as downloaded) by name, with its row-label columns in
        ``frame.attrs["labels"]`` (default: the first column).
    evidence : pandas.DataFrame
        ``evidence.csv``.

    """
    have = set(zip(evidence["notebook"], evidence["key"], strict=True))
    keys = set(evidence["key"])
    missing = [
        f"{nb}:{key}"
        for nb, key, text in glue[["notebook", "key", "text"]].itertuples(index=False)
        if is_number(text) and (nb, key) not in have
    ]
    for name, frame in tables.items():
        labels = frame.attrs.get("labels") or [frame.columns[0]]
        rows = _row_labels(frame, labels)
        for col in numeric_columns(frame, labels):
            for r, v in zip(rows, frame[col], strict=True):
                if pd.notna(v) and f"{name}:{r}:{col}" not in keys:
                    missing.append(f"{name}:{r}:{col}")
    return missing


def numeric_columns(frame: pd.DataFrame, labels: Sequence[str]) -> list[str]:
    """The columns of a table whose cells are shown numbers (not labels, flags or ranges)."""
    suffixes = ("_status", "_min", "_max")
    return [
        c
        for c in frame.columns
        if c not in labels
        and not str(c).endswith(suffixes)
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def status_counts(evidence: pd.DataFrame) -> dict[str, int]:
    """How many numbers about the pilot and its context have each status (sources' own left out)."""
    about = evidence[evidence["basis"] != ABOUT_SOURCES]
    counts = about["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def summary_sentence(counts: Mapping[str, int]) -> str:
    """The summary's sentence on how many numbers of the book have each status."""
    total = sum(counts.values())
    n = {k: format_number(v, 0) for k, v in counts.items()}
    if counts.get("gemeten"):
        return (
            f"Van de {format_number(total, 0)} getallen over de pilot die dit boek toont, zijn er "
            f"{n['gemeten']} gemeten in het register en {n['gepubliceerd']} gepubliceerd."
        )
    text = (
        f"Van de {format_number(total, 0)} getallen over de pilot en de jeugdhulp die dit boek "
        f"toont (in de tekst, de tabellen en de grafieken) zijn er {n['gepubliceerd']} "
        f"gepubliceerd; {n['vastgelegd']} volgen vast uit de gepubliceerde getallen; voor "
        f"{n['begrensd']} geven de publicaties alleen een bereik; {n['vrij']} zijn vrij: de "
        "publicaties begrenzen ze niet, het synthetische register koos ze."
    )
    if counts.get("onbeslist"):
        text += f" Van {n['onbeslist']} kon het bereik niet worden bepaald."
    return text


@dataclass
class Collected:
    """What the build gathers from the executed notebooks."""

    rows: list[dict] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """``evidence.csv`` as a frame, sorted by notebook and key."""
        frame = pd.DataFrame(self.rows, columns=COLUMNS)
        return frame.sort_values(["notebook", "key"], kind="stable").reset_index(drop=True)
