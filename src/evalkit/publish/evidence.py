"""What the letters establish about each number the book shows: its status and range."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.compute.claims import Claim, Registry, is_date
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

#: The basis of a published figure shown with more decimals than it was published with.
ROUNDED = "gepubliceerd met minder decimalen; het getoonde getal ligt binnen de afronding"

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
    "quantity",
    "date",
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

    ``quantity`` names what the number is a value of (a register quantity's key as in
    :func:`evalkit.solver.bounds.quantity_key`, ``claim:<id>`` for a figure only a letter
    has, a formula for a derived figure; empty: unknown), so that a number shown twice (in
    the text and in a table, in a chapter and in an appendix) is counted once; ``date`` marks
    a date or calendar year, which the summary counts apart from the figures.
    """

    status: str
    min: float | None = None
    max: float | None = None
    min_exact: str = ""
    max_exact: str = ""
    exact: bool = False
    claims: tuple[str, ...] = ()
    basis: str = ""
    quantity: str = ""
    date: bool = False

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

    def shown_at(self, decimals: int) -> Evidence:
        """The evidence of the number as the book shows it, with ``decimals`` decimals.

        A published figure shown more precisely than it was published ("zo'n 10" shown as
        the register's 9,5) is not the published number: the letters only bound it to the
        rounding interval of the published one (``begrensd``, basis :data:`ROUNDED`).
        """
        if self.status != "gepubliceerd" or self.min is None or self.max is None:
            return self
        if self.max - self.min <= 10.0**-decimals * (1 + 1e-9):
            return self
        return replace(self, status="begrensd", basis=ROUNDED)

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
            "quantity": self.quantity,
            "date": self.date,
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
    relaxed : collection of str, optional
        The claims the synthetic register gives up (those the bounds were computed without,
        :func:`evalkit.solver.audit.relaxed_claims`); ``None``: not known. Only
        :meth:`recomputed` reads it, for a claim whose quantity has no row in ``bounds``.

    """

    def __init__(
        self,
        bounds: pd.DataFrame | None,
        registry: Registry,
        measured: bool = False,
        relaxed: Collection[str] | None = None,
    ):
        self.bounds = None if bounds is None else bounds.set_index("key")
        self.claims = registry.by_id()
        self.measured = measured
        self.relaxed = None if relaxed is None else frozenset(relaxed)

    # --- register quantities ----------------------------------------------------------------

    def quantity(self, q: Mapping) -> Evidence:
        """Evidence for a register quantity (a spec as in :mod:`evalkit.solver.bounds`)."""
        from evalkit.solver.bounds import quantity_key

        key = quantity_key(q)
        if self.measured:
            return Evidence("gemeten", basis="register", quantity=key)
        if self.bounds is not None and key in self.bounds.index:
            return self._from_row(self.bounds.loc[key], key)
        if q.get("as") == "percent":
            return self._percent_from_count(q)
        return Evidence("onbeslist", basis=f"geen bereik berekend voor {key}", quantity=key)

    def metric(self, name: str, **args) -> Evidence:
        """Evidence for a metric, e.g. ``metric("count_active", jaar=2022)``."""
        return self.quantity({"metric": name, "args": args})

    def element(self, distribution: str, jaar: int, element, percent: bool = False) -> Evidence:
        """Evidence for one element of a distribution (count, or percent of the families)."""
        q = {"distribution": distribution, "args": {"jaar": jaar}, "element": element}
        return self.quantity(q | {"as": "percent"} if percent else q)

    def _from_row(self, row: pd.Series, key: str) -> Evidence:
        status = str(row["status"]) or "onbeslist"
        if status not in STATUSES:
            status = "onbeslist"
        text = "" if pd.isna(row["claims"]) else str(row["claims"])
        claims = tuple(c for c in text.split(",") if c)
        return Evidence(
            status,
            _num(row["min"]),
            _num(row["max"]),
            _fraction_text(row["min_exact"]),
            _fraction_text(row["max_exact"]),
            bool(row["exact"]),
            claims,
            "register" if status != "gepubliceerd" else "claim",
            key,
        )

    def _percent_from_count(self, q: Mapping) -> Evidence:
        """A percentage of a fixed number of families: the count's range, scaled exactly."""
        from evalkit.solver.bounds import quantity_key

        key = quantity_key(q)
        count = self.quantity({k: v for k, v in q.items() if k != "as"})
        base = self.metric("count_active", jaar=q["args"]["jaar"])
        if count.status == "onbeslist" or base.min is None or base.min != base.max:
            return Evidence(
                "onbeslist", basis="percentage zonder vast aantal gezinnen", quantity=key
            )
        n = Fraction(str(base.min_exact or int(base.min)))
        lo, hi = Fraction(count.min_exact) * 100 / n, Fraction(count.max_exact) * 100 / n
        status = "vastgelegd" if lo == hi else count.status
        if count.status == "gepubliceerd":
            status = "vastgelegd" if lo == hi else "begrensd"
        basis = f"aantal gedeeld door {n} gezinnen"
        return _range(status, lo, hi, count.exact, count.claims, basis, key)

    def total(self, parts: Sequence[Evidence]) -> Evidence:
        """A sum of quantities: exact when at most one part varies, otherwise an outer bound.

        With one varying part the others are the same in every register, so the sum takes
        exactly that part's range. With two or more, the sum of the minima (and of the maxima)
        is reached only if one register gives every part its extreme at once, which the
        bounds of the parts do not show: the range is an outer bound (``exact`` False, basis
        *buitengrens*), and the sum may in fact be fixed or narrower.
        """
        identity = " + ".join(p.quantity for p in parts) if all(p.quantity for p in parts) else ""
        identity = f"som({identity})" if identity else ""
        if self.measured or any(p.status == "gemeten" for p in parts):
            return Evidence("gemeten", basis="register", quantity=identity)
        if any(p.min is None or p.max is None for p in parts):
            return Evidence("onbeslist", basis="som met een onbekend deel", quantity=identity)
        lo = sum(Fraction(p.min_exact) for p in parts)
        hi = sum(Fraction(p.max_exact) for p in parts)
        varying = [p for p in parts if p.min != p.max]
        if lo == hi:
            status = "vastgelegd"
        elif any(p.status == "vrij" for p in varying):
            status = "vrij"
        else:
            status = "begrensd"
        outer = len(varying) > 1
        basis = (
            "buitengrens: som van de bereiken van de delen"
            if outer
            else "som van grootheden van het register"
        )
        exact = not outer and all(p.exact for p in parts)
        return _range(status, lo, hi, exact, [c for p in parts for c in p.claims], basis, identity)

    def per(self, amount: float, part: Evidence) -> Evidence:
        """A published amount divided by a register quantity (e.g. the budget per family)."""
        identity = f"{amount} / {part.quantity}" if part.quantity else ""
        if part.status in ("gemeten", "vrij", "onbeslist") and (not part.min or not part.max):
            return Evidence(part.status, claims=part.claims, basis=part.basis, quantity=identity)
        if not part.min or not part.max:
            return Evidence(
                "vrij", claims=part.claims, basis="deler kan nul zijn", quantity=identity
            )
        a = Fraction(str(amount))
        lo, hi = a / Fraction(part.max_exact), a / Fraction(part.min_exact)
        status = "vastgelegd" if lo == hi else ("vrij" if part.status == "vrij" else "begrensd")
        basis = "gepubliceerd bedrag gedeeld door een grootheid van het register"
        return _range(status, lo, hi, part.exact, part.claims, basis, identity)

    def unmodelled(self, why: str) -> Evidence:
        """A register figure the model of the letters does not constrain (e.g. total hours)."""
        return Evidence(
            "gemeten" if self.measured else "vrij", basis=why, quantity=f"niet in het model: {why}"
        )

    def recomputed(self, claim_id: str) -> Evidence:
        """What the letters establish about a claim's value as recomputed from the register.

        The register satisfies every kept claim (all but :attr:`relaxed`), so a kept claim
        bounds its own recomputed value: a count (or a date) published exactly fixes it
        (``vastgelegd``); a rounded figure (a mean of 5,3) only to its rounding interval
        (``begrensd``, ``exact`` False). A relaxed claim's value has the range the other
        published figures allow (the bounds table); so has the share behind a threshold in
        words, shown as a percentage. A percentage is shown rounded as the report rounds; its
        range is that of the exact percentage, the count's range over the year's fixed number
        of families: fixed, its rounding is fixed too (``vastgelegd``), otherwise
        ``begrensd`` (a percentage rounded by largest remainder is kept only within one point
        of the published one). A real register: ``gemeten``.
        """
        from evalkit.solver.bounds import claim_quantity, quantity_key

        claim = self.claims[claim_id]
        q = claim_quantity(claim)
        key = quantity_key(q if q is not None else claim.recompute)
        date = is_date(claim)
        kept = "behouden" if self.relaxed is not None and claim_id not in self.relaxed else ""
        if self.measured:
            return Evidence("gemeten", basis="register", quantity=key, date=date)
        if self.bounds is None:
            return Evidence("onbeslist", basis="geen bereiken berekend", quantity=key, date=date)
        if q is not None and q.get("as") == "percent":
            ev = self._percent_from_count(q)
            if ev.status == "onbeslist":
                return ev
            why = "register: het onafgeronde percentage, " + ev.basis
            return replace(ev, claims=(claim_id, *ev.claims), basis=why)
        if key not in self.bounds.index:
            if not kept:
                return Evidence(
                    "onbeslist", basis=f"geen bereik berekend voor {key}", quantity=key, date=date
                )
            # Kept, but no quantity of the bounds (a date): the kept claim fixes it exactly.
            return self._fixed_by(claim, key, date)
        ev = self._from_row(self.bounds.loc[key], key)
        if ev.status != "gepubliceerd":  # relaxed, or the share behind a threshold
            if "expect" in claim.recompute and ev.min is not None:
                lo, hi = Fraction(ev.min_exact) * 100, Fraction(ev.max_exact) * 100
                basis = "register: het aandeel achter een drempel in woorden, als percentage"
                return _range(ev.status, lo, hi, ev.exact, (claim_id,), basis, key)
            why = "register: de claim is losgelaten; bereik volgens de overige publicaties"
            return replace(ev, claims=(claim_id, *ev.claims), basis=why)
        if claim_id in ev.claims and ev.min == ev.max:
            return self._fixed_by(claim, key, date)
        lo, hi = Fraction(ev.min_exact), Fraction(ev.max_exact)
        status = "vastgelegd" if lo == hi else "begrensd"
        basis = "register: binnen de afronding van de gepubliceerde waarde"
        return _range(status, lo, hi, ev.exact, (claim_id, *ev.claims), basis, key)

    def _fixed_by(self, claim: Claim, key: str, date: bool) -> Evidence:
        """The recomputed value a kept claim fixes: its published value."""
        basis = "register: de claim is behouden en legt de waarde vast"
        v = None if date else _value(claim.value)
        if v is None:
            return Evidence(
                "vastgelegd", exact=True, claims=(claim.id,), basis=basis, quantity=key, date=date
            )
        f = Fraction(str(claim.value))
        return _range("vastgelegd", f, f, True, (claim.id,), basis, key, date)

    # --- published figures --------------------------------------------------------------------

    def published(self, *ids: str) -> Evidence:
        """A figure that the claims ``ids`` publish (a date or a year: ``date`` True).

        Its ``quantity`` is the register quantity the first claim recomputes, else
        ``claim:<id>``: the same figure in two letters, or in a chapter and an appendix, is
        one number.
        """
        claim = self.claims[ids[0]]
        identity = claim_identity(claim)
        v = _value(claim.value)
        if v is None:
            return Evidence(
                "gepubliceerd",
                exact=True,
                claims=tuple(ids),
                basis="claim",
                quantity=identity,
                date=is_date(claim),
            )
        f = Fraction(str(claim.value))
        return _range("gepubliceerd", f, f, True, ids, "claim", identity, is_date(claim))

    def derived(self, value: float, ids: Iterable[str], basis: str = "") -> Evidence:
        """A figure computed from published figures only (``vastgelegd`` when they are exact).

        When one of them is approximate in its quote ("ruim 80 fte", "bijna 1000") the derived
        figure is only ``begrensd`` and its range is not computed.
        """
        ids = tuple(ids)
        basis = basis or "afgeleid uit gepubliceerde getallen"
        v = float(value)
        exact = Fraction(v).limit_denominator(10**6)
        identity = f"afgeleid({','.join(ids)}) = {exact}"
        approximate = [i for i in ids if _approximate(self.claims[i])]
        if approximate:
            return Evidence(
                "begrensd",
                claims=ids,
                basis=basis + "; bij benadering gepubliceerd: " + ", ".join(approximate),
                quantity=identity,
            )
        return _range("vastgelegd", exact, exact, True, ids, basis, identity)

    def derived_from_formula(self, value: float, formula: str) -> Evidence:
        """As :meth:`derived`, with the claims read from a formula over claim ids."""
        ids = [i for i in re.findall(r"[A-Z][A-Za-z0-9-]*[A-Za-z0-9]", formula) if i in self.claims]
        return self.derived(value, ids, f"afgeleid: {formula}")

    def derived_date(self, text: str, ids: Iterable[str], basis: str) -> Evidence:
        """A date computed from published figures only (e.g. the start the budget implies)."""
        ids = tuple(ids)
        identity = f"afgeleid({','.join(ids)}) = {text}"
        return Evidence(
            "vastgelegd", exact=True, claims=ids, basis=basis, quantity=identity, date=True
        )

    def about_sources(self, value: float) -> Evidence:
        """A count of claims, checks or conflicts: a fact about the sources, not the pilot."""
        v = Fraction(str(value))
        return _range("vastgelegd", v, v, True, (), ABOUT_SOURCES)


def _range(
    status: str,
    lo: Fraction,
    hi: Fraction,
    exact: bool,
    claims: Iterable[str],
    basis: str,
    quantity: str = "",
    date: bool = False,
) -> Evidence:
    """Evidence with the range ``lo`` to ``hi`` (as floats and as exact fractions)."""
    return Evidence(
        status, float(lo), float(hi), str(lo), str(hi), exact, tuple(claims), basis, quantity, date
    )


def _fraction_text(v) -> str:
    return "" if pd.isna(v) or v == "nan" else str(v)


def claim_identity(claim: Claim) -> str:
    """What a claim's figure is a value of: its register quantity's key, else ``claim:<id>``.

    A threshold in words ("vrijwel alle") publishes no value of its share: ``claim:<id>``.
    """
    from evalkit.solver.bounds import claim_quantity, quantity_key

    q = claim_quantity(claim)
    if q is None or "expect" in claim.recompute:
        return f"claim:{claim.id}"
    return quantity_key(q)


def _value(v) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _approximate(claim: Claim) -> bool:
    return bool(QUALIFIERS.search(claim.quote))


def load_ledger(
    bounds_file: str | Path | None,
    registry: Registry,
    register_soort: str,
    relaxed: Collection[str] | None = None,
) -> Ledger:
    """The ledger of a chapter from its parameters (``bounds_file`` empty: no bounds).

    ``relaxed`` are the claims the bounds were computed without (see :class:`Ledger`).
    """
    from evalkit.solver.bounds import load_bounds

    measured = register_soort == "echt"
    table = load_bounds(Path(bounds_file)) if bounds_file and not measured else None
    return Ledger(table, registry, measured, relaxed)


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
    # "De caseload ... die", "Het bedrag ... het".
    pronoun = "het" if subject.lower().startswith("het ") else "die"
    if ev.status == "vastgelegd":
        return f"{subject} is niet gepubliceerd, maar volgt vast uit de gepubliceerde getallen."
    if ev.status == "begrensd" and ev.min is not None:
        lo, hi = format_number(ev.min, decimals), format_number(ev.max, decimals)
        amount = f"{lo} en {hi} {unit}".strip()
        if ev.basis == ROUNDED:
            return (
                f"{subject} is afgerond gepubliceerd; uit de brieven volgt alleen dat "
                f"{pronoun} tussen {amount} {verb}."
            )
        return (
            f"{subject} is niet gepubliceerd; uit de brieven volgt alleen dat {pronoun} tussen "
            f"{amount} {verb}."
        )
    if ev.status == "onbeslist":
        return f"{subject} is niet gepubliceerd; het bereik is niet bepaald."
    return (
        f"{subject} is niet gepubliceerd, en de brieven leggen {pronoun} niet vast: het "
        "synthetische register koos deze waarde."
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
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
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

#: A number as a CSV download holds it (``5.252380952380952``, ``336000``, ``-1``).
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
)

#: A date as the book shows or downloads it: ISO (``2020-11``, ``2021-01-20``, ``2024-Q1``),
#: a quarter (``K1 2024``, ``Q3 2024``), a Dutch date (``nov 2020``, ``20 jan 2021``,
#: ``15 december 2023``) or as a letter writes it (``15-9-2021``).
DATE = re.compile(
    rf"^(\d{{4}}-(0[1-9]|1[0-2])(-([0-2]\d|3[01]))?|\d{{4}}-Q[1-4]|[KQ][1-4] \d{{4}}"
    rf"|(\d{{1,2}} )?({_MONTHS})\.? \d{{4}}|\d{{1,2}}-\d{{1,2}}-\d{{4}})$",
    re.I,
)

#: The columns of a download that carry a cell's evidence, not a number of their own.
EVIDENCE_SUFFIXES = ("_status", "_min", "_max")

#: ``<column>_tekst`` is ``<column>`` as the page prints it (a chart's label, ``29%``): the
#: same number, covered by the row of ``<column>``.
TEXT_SUFFIX = "_tekst"


def is_number(text: str) -> bool:
    """Whether a glued text is a number as the book prints it (``21``, ``5,3``, ``€ 336.000``).

    A calendar year (1900 to 2100) names a period and is not a figure (see
    :func:`evalkit.compute.claims.is_date`).
    """
    text = str(text).replace("\u00a0", " ").strip()
    if not NUMBER.match(text):
        return False
    return not (re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100)


def is_year(text: str) -> bool:
    """Whether a text is a calendar year alone (``2022``: 1900 to 2100)."""
    text = str(text).strip()
    return bool(re.fullmatch(r"\d{4}", text)) and 1900 <= int(text) <= 2100


def is_date_text(text: str) -> bool:
    """Whether a text is a date or a calendar year alone (see :data:`DATE`, :func:`is_year`)."""
    text = str(text).replace("\u00a0", " ").strip()
    return bool(DATE.match(text)) or is_year(text)


def shown_kind(value) -> str:
    """What a table cell shows: ``getal`` (a figure), ``datum`` (a date or year) or ``""``.

    A figure is a number as the book prints it (:func:`is_number`; also a threshold,
    ``≥ 90%``) or as a CSV holds it (``5.25``), or any value of a numeric type. A date is
    what :func:`is_date_text` accepts, a calendar year alone included: the book counts dates
    and years apart from the figures (the summary's "cijfers" and "datums en jaartallen", by
    :func:`evalkit.compute.claims.is_date`), but a date that a letter published is still a
    number shown. Not a number: text, a version (``1.0.4``), a hash, ``–``, ``True``, empty.
    """
    if value is None or isinstance(value, bool | np.bool_):
        return ""
    if isinstance(value, numbers.Real):
        return "" if pd.isna(value) else "getal"
    text = str(value).replace("\u00a0", " ").strip()
    if is_date_text(text):
        return "datum"
    bare = re.sub(r"^[≥≤<>]\s?", "", text)
    if is_number(bare) or PLAIN_NUMBER.match(bare):
        return "getal"
    return ""


def uncovered(glue: pd.DataFrame, tables: Mapping[str, pd.DataFrame], evidence: pd.DataFrame):
    """The numbers shown without a row in ``evidence.csv``: ``notebook:key`` or ``table:row:col``.

    A glued text is checked when it is a number (:func:`is_number`). A published table is
    checked cell by cell, whatever its column's type: every cell whose value as the table
    holds it is a figure or a date (:func:`shown_kind`) needs the row ``table:row:column``,
    except in the row-label columns, the evidence columns (:data:`EVIDENCE_SUFFIXES`) and
    the columns the table exempts; a cell of ``<column>_tekst`` is covered by the row of
    ``<column>`` (:data:`TEXT_SUFFIX`).

    Parameters
    ----------
    glue : pandas.DataFrame
        ``glue.csv`` (notebook, key, text).
    tables : mapping of str to pandas.DataFrame
        Each published table (as downloaded) by name, with its row-label columns in
        ``frame.attrs["labels"]`` (default: the first column) and the columns that hold no
        number of their own in ``frame.attrs["exempt"]`` (see
        :func:`evalkit.publish.display.publish_table`).
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
        for col in shown_columns(frame, labels, frame.attrs.get("exempt") or ()):
            own = str(col).removesuffix(TEXT_SUFFIX)
            own = own if own in frame.columns else col
            for r, v in zip(rows, frame[col], strict=True):
                if shown_kind(v) and f"{name}:{r}:{own}" not in keys:
                    missing.append(f"{name}:{r}:{col}")
    return missing


def shown_columns(
    frame: pd.DataFrame, labels: Sequence[str], exempt: Collection[str] = ()
) -> list[str]:
    """The columns of a table whose cells may be shown numbers (see :func:`uncovered`).

    Not the row labels, not the ``exempt`` columns (text such as quotes and periods, a
    software version or a file's hash: they name something, they are no figure about the
    pilot; the exact form of another column's range), not the evidence columns and not a
    column of flags.
    """
    return [
        c
        for c in frame.columns
        if c not in labels
        and c not in exempt
        and not str(c).endswith(EVIDENCE_SUFFIXES)
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def numeric_columns(frame: pd.DataFrame, labels: Sequence[str]) -> list[str]:
    """The columns of :func:`shown_columns` with a numeric type."""
    return [c for c in shown_columns(frame, labels) if pd.api.types.is_numeric_dtype(frame[c])]


def _true(value) -> bool:
    return value is True or str(value).strip().lower() == "true"


def status_counts(evidence: pd.DataFrame, leave_out: Collection[str] = ()) -> dict[str, int]:
    """How many distinct figures about the pilot and its context have each status.

    What is counted: the figures of the chapters, each once. A row of ``evidence.csv`` is
    one number shown; the same number shown twice (in the text and in a table, in two
    chapters, or the same table in two chapters) is one figure: rows with the same
    ``quantity`` (else the same ``key``) and status count once. The published 9 and the
    register's 8 of one quantity are two figures (two statuses).

    Left out: the notebooks ``leave_out`` (the appendices, which repeat the chapters'
    figures next to every claim of the letters), the numbers about the sources themselves
    (:data:`ABOUT_SOURCES`), and dates and years (``date``), which the summary counts apart.
    """
    rows = evidence[~evidence["notebook"].isin(list(leave_out))]
    rows = rows[rows["basis"] != ABOUT_SOURCES]
    if "date" in rows.columns:
        rows = rows[~rows["date"].map(_true)]
    identity = rows["key"].astype(str)
    if "quantity" in rows.columns:
        named = rows["quantity"].fillna("").astype(str)
        identity = named.where(named != "", identity)
    distinct = pd.DataFrame({"id": identity, "status": rows["status"]}).drop_duplicates()
    counts = distinct["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def summary_sentence(counts: Mapping[str, int]) -> str:
    """The summary's sentence on how many figures of the chapters have each status.

    ``counts`` as :func:`status_counts` gives them: every figure once, dates apart.
    """
    total = sum(counts.values())
    n = {k: format_number(v, 0) for k, v in counts.items()}
    if counts.get("gemeten"):
        return (
            f"Van de {format_number(total, 0)} cijfers over de pilot die de hoofdstukken tonen "
            f"(elk één keer geteld), zijn er {n['gemeten']} gemeten in het register en "
            f"{n['gepubliceerd']} gepubliceerd."
        )
    text = (
        f"Van de {format_number(total, 0)} cijfers over de pilot en de jeugdhulp die de "
        "hoofdstukken tonen (in de tekst, de tabellen en de grafieken; elk cijfer één keer "
        f"geteld, ook als het vaker staat) zijn er {n['gepubliceerd']} gepubliceerd; "
        f"{n['vastgelegd']} volgen vast uit de gepubliceerde getallen; voor {n['begrensd']} "
        f"geven de publicaties alleen een bereik; {n['vrij']} zijn vrij: de publicaties "
        "begrenzen ze niet, het synthetische register koos ze."
    )
    if counts.get("onbeslist"):
        text += f" Van {n['onbeslist']} kon het bereik niet worden bepaald."
    return text


# --- the appendices ---------------------------------------------------------------------------


def published_evidence(
    ledger: Ledger, ids: Iterable[str], column: str = "published"
) -> dict[tuple[str, str], Evidence]:
    """Evidence for a table of claims (row: the claim id): each ``column`` cell published."""
    return {(i, column): ledger.published(i) for i in ids if i in ledger.claims}


def reconciliation_evidence(table: pd.DataFrame, ledger: Ledger) -> dict[tuple[str, str], Evidence]:
    """Evidence for the reconciliation table (row: the claim id).

    The published value is the claim's (``gepubliceerd``; a threshold in words, ``≥ 90%``,
    as the claim's); the recomputed value is the register's (:meth:`Ledger.recomputed`). A
    check's formula and its truth are no numbers; an empty (or hidden) value has no row.
    """
    out: dict[tuple[str, str], Evidence] = {}
    for cid, published, recomputed in table[["claim_id", "published", "recomputed"]].itertuples(
        index=False
    ):
        if cid not in ledger.claims:
            continue
        if _present(published):
            ev = ledger.published(cid)
            if "expect" in ledger.claims[cid].recompute:  # the word, not the quote's number
                ev = Evidence(
                    "gepubliceerd",
                    exact=False,
                    claims=(cid,),
                    basis=f"claim: {published} is de gekozen lezing van een woord",
                    quantity=ev.quantity,
                )
            out[(cid, "published")] = ev
        if _present(recomputed) and not isinstance(recomputed, bool):
            out[(cid, "recomputed")] = ledger.recomputed(cid)
    return out


def _present(value) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return not (isinstance(value, float) and math.isnan(value))


@dataclass
class Collected:
    """What the build gathers from the executed notebooks."""

    rows: list[dict] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """``evidence.csv`` as a frame, sorted by notebook and key."""
        frame = pd.DataFrame(self.rows, columns=COLUMNS)
        return frame.sort_values(["notebook", "key"], kind="stable").reset_index(drop=True)
