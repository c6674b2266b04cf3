"""The claims registry: every published number, its verbatim quote, and how it is recomputed."""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from evalkit.compute import metrics
from evalkit.inputs import yamlfile
from evalkit.inputs.errors import InputError, Problem
from evalkit.inputs.numbers import Token, expressions, tokens
from evalkit.inputs.register import Reference, Register
from evalkit.inputs.sources import Document, find_quote, normalise

REQUIRED = ("id", "quote", "value", "unit", "period", "about", "recompute")


def _with_reference(fn: Callable) -> Callable:
    def call(register: Register, reference: Reference, **args):
        return fn(register, reference=reference, **args)

    return call


def _without_reference(fn: Callable) -> Callable:
    def call(register: Register, reference: Reference, **args):
        return fn(register, **args)

    return call


# Metrics a claim may name: a number (or a month) computed from the register.
METRICS: dict[str, Callable] = {
    "count_active": _without_reference(metrics.count_active),
    "count_started": _without_reference(metrics.count_started),
    "count_closed": _without_reference(metrics.count_closed),
    "count_carried_over": _without_reference(metrics.count_carried_over),
    "count_wijken": _without_reference(metrics.count_wijken),
    "count_wijk": _without_reference(metrics.count_wijk),
    "mean_hours": _without_reference(metrics.mean_hours),
    "mean_caseload": _without_reference(metrics.mean_caseload),
    "mean_duration_closed": _without_reference(metrics.mean_duration_closed),
    "first_start_month": _without_reference(metrics.first_start_month),
    "count_children_in_category": _with_reference(metrics.count_children_in_category),
    "count_multiple_age_categories": _with_reference(metrics.count_multiple_age_categories),
    "share_all_children_below": _with_reference(metrics.share_all_children_below),
}

# Distributions a claim may pick one element of: a Series that partitions the families.
DISTRIBUTIONS: dict[str, Callable] = {
    "wijk_counts": lambda r, ref, jaar: metrics.wijk_counts(r, jaar, ref.wijken),
    "hoofdvraag_counts": lambda r, ref, jaar: metrics.hoofdvraag_counts(r, jaar, ref),
    "gezinssamenstelling_counts": lambda r, ref, jaar: metrics.gezinssamenstelling_counts(
        r, jaar, ref
    ),
    "family_size_counts": lambda r, ref, jaar: metrics.family_size_counts(r, jaar),
    "family_age_category_oldest": lambda r, ref, jaar: metrics.family_age_category_oldest(
        r, jaar, ref
    ),
    "age_group_counts": lambda r, ref, jaar: metrics.age_group_counts(r, jaar, ref),
}


@dataclass(frozen=True)
class Claim:
    """One published number with its source and how it is recomputed."""

    id: str
    document: str
    quote: str
    value: float | str
    unit: str
    period: str
    about: str
    recompute: Mapping
    context: Mapping[str, str] = field(default_factory=dict)
    rounding: Mapping = field(default_factory=dict)
    file: str = ""

    @property
    def sourced(self) -> bool:
        """True when the number cannot be derived from case data."""
        return "sourced" in self.recompute


def is_date(claim: Claim) -> bool:
    """Whether a claim publishes a date or a calendar year rather than a figure.

    A date (unit ``datum``) or a year (unit ``jaar`` with a value from 1900 to 2100: the
    subject of a letter, the year a plan starts) places something in time; a duration in
    years (``2 jaar``) and an age (``12 jaar``) are figures.
    """
    if claim.unit == "datum":
        return True
    if claim.unit != "jaar":
        return False
    try:
        value = float(claim.value)
    except (TypeError, ValueError):
        return False
    return value.is_integer() and 1900 <= value <= 2100


@dataclass(frozen=True)
class Check:
    """Derived arithmetic over published numbers (a sum, a total, two documents agreeing)."""

    id: str
    document: str
    about: str
    formula: str
    file: str = ""


@dataclass(frozen=True)
class Exclusion:
    """Number-like text that is not a claim, with the reason."""

    document: str
    quote: str
    reason: str
    file: str = ""


@dataclass(frozen=True)
class Registry:
    """All claims, checks and exclusions of the claims folder."""

    claims: tuple[Claim, ...]
    checks: tuple[Check, ...]
    exclusions: tuple[Exclusion, ...]

    def by_id(self) -> dict[str, Claim]:
        """Claims keyed by id."""
        return {c.id: c for c in self.claims}

    def table(self) -> pd.DataFrame:
        """The claims as a table (one row per claim)."""
        return pd.DataFrame(
            [
                {
                    "claim_id": c.id,
                    "document": c.document,
                    "quote": c.quote,
                    "published": c.value,
                    "unit": c.unit,
                    "period": c.period,
                    "about": c.about,
                    "recompute": describe_recompute(c.recompute),
                }
                for c in self.claims
            ]
        )


def describe_recompute(recompute: Mapping) -> str:
    """A one-line description of how a claim is recomputed."""
    if "sourced" in recompute:
        return f"niet herberekend: {recompute['sourced']}"
    name = recompute.get("metric") or recompute.get("distribution")
    args = ", ".join(f"{k}={v!r}" for k, v in (recompute.get("args") or {}).items())
    text = f"{name}({args})"
    if "key" in recompute:
        text += f"[{recompute['key']!r}]"
    if recompute.get("as") == "percent":
        text += " als percentage"
    return text


def load_registry(claims_dir: Path, documents: Mapping[str, Document]) -> Registry:
    """Load every ``*.yaml`` file of the claims folder and validate it.

    Parameters
    ----------
    claims_dir : Path
        Folder with one YAML file per document.
    documents : mapping of str to Document
        The source documents (see :func:`evalkit.inputs.sources.load_documents`).

    Returns
    -------
    Registry

    Raises
    ------
    InputError
        Every problem found: unknown document, quote not found in its document, value that does
        not occur in its quote, duplicate id, unknown metric, check naming an unknown claim.

    """
    claims: list[Claim] = []
    checks: list[Check] = []
    exclusions: list[Exclusion] = []
    problems: list[Problem] = []
    for path in sorted(claims_dir.glob("*.yaml")):
        name = str(path)
        try:
            data = yamlfile.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(name, None, None, None, f"geen geldige YAML: {exc}"))
            continue
        doc_id = data.get("document")
        if doc_id not in documents:
            problems.append(Problem(name, None, "document", doc_id, "onbekend document"))
            continue
        doc = documents[doc_id]
        for i, entry in enumerate(data.get("claims") or [], start=1):
            claim, claim_problems = _parse_claim(entry, doc, name, i)
            problems += claim_problems
            if claim:
                claims.append(claim)
        for entry in data.get("checks") or []:
            checks.append(
                Check(
                    entry.get("id", "?"),
                    doc_id,
                    entry.get("about", ""),
                    entry.get("formula", ""),
                    name,
                )
            )
        for entry in data.get("exclusions") or []:
            excl = Exclusion(doc_id, str(entry.get("quote", "")), entry.get("reason", ""), name)
            if not excl.reason:
                problems.append(
                    Problem(name, None, "reason", excl.quote, "uitsluiting zonder reden")
                )
            if not find_quote(doc.text, excl.quote):
                problems.append(
                    Problem(
                        name, None, "quote", excl.quote, "uitsluiting niet gevonden in document"
                    )
                )
            exclusions.append(excl)
    seen: dict[str, str] = {}
    for c in claims:
        if c.id in seen:
            problems.append(
                Problem(c.file, None, "id", c.id, f"dubbel claim-id (ook in {seen[c.id]})")
            )
        seen.setdefault(c.id, c.file)
    ids = set(seen)
    for chk in checks:
        if chk.id in ids:
            problems.append(
                Problem(chk.file, None, "id", chk.id, "controle-id is ook een claim-id")
            )
        try:
            names = formula_names(chk.formula)
        except SyntaxError:
            problems.append(Problem(chk.file, None, "formula", chk.formula, "ongeldige formule"))
            continue
        unknown = sorted(names - ids)
        if unknown:
            problems.append(
                Problem(
                    chk.file,
                    None,
                    "formula",
                    chk.id,
                    f"onbekende claim(s) in formule: {', '.join(unknown)}",
                )
            )
    if problems:
        raise InputError(problems)
    return Registry(tuple(claims), tuple(checks), tuple(exclusions))


def _parse_claim(entry: Mapping, doc: Document, file: str, i: int) -> tuple[Claim | None, list]:
    cid = entry.get("id", f"#{i}")
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        return None, [Problem(file, i, None, cid, f"velden ontbreken: {', '.join(missing)}")]
    claim = Claim(
        id=str(entry["id"]),
        document=doc.id,
        quote=str(entry["quote"]),
        value=entry["value"],
        unit=str(entry["unit"]),
        period=str(entry["period"]),
        about=str(entry["about"]),
        recompute=entry["recompute"] or {},
        context=entry.get("context") or {},
        rounding=entry.get("rounding") or {},
        file=file,
    )
    problems = []
    if not find_quote(doc.text, claim.quote):
        problems.append(Problem(file, i, "quote", claim.id, "citaat niet gevonden in het document"))
    elif value_expression(claim) is None:
        problems.append(
            Problem(
                file, i, "value", claim.id, f"waarde {claim.value!r} komt niet voor in het citaat"
            )
        )
    for key in claim.context:
        if normalise(str(key)) not in normalise(claim.quote):
            problems.append(
                Problem(file, i, "context", claim.id, f"{key!r} staat niet in het citaat")
            )
    problems += _recompute_problems(claim, file, i)
    return claim, problems


def _recompute_problems(claim: Claim, file: str, i: int) -> list[Problem]:
    r = claim.recompute
    if "sourced" in r:
        ok = isinstance(r["sourced"], str) and r["sourced"].strip()
        return [] if ok else [Problem(file, i, "recompute", claim.id, "sourced zonder reden")]
    if "metric" in r and r["metric"] not in METRICS:
        return [Problem(file, i, "recompute", claim.id, f"onbekende metric {r['metric']!r}")]
    if "distribution" in r:
        if r["distribution"] not in DISTRIBUTIONS:
            return [
                Problem(
                    file, i, "recompute", claim.id, f"onbekende verdeling {r['distribution']!r}"
                )
            ]
        if "key" not in r:
            return [Problem(file, i, "recompute", claim.id, "verdeling zonder key")]
    if not {"metric", "distribution"} & set(r):
        return [Problem(file, i, "recompute", claim.id, "metric, distribution of sourced nodig")]
    return []


def _date_matches(published: str, found: str) -> bool:
    if len(published) != len(found):
        return False
    return all(f in ("X", p) for p, f in zip(published, found, strict=True))


def value_expression(claim: Claim):
    """The expression in the claim's quote that carries its value (``None`` if there is none)."""
    found = expressions(normalise(claim.quote))
    value = claim.value
    if isinstance(value, dt.date):
        value = value.isoformat()
    if isinstance(value, str):
        return next(
            (e for e in found if e.kind == "date" and _date_matches(value, str(e.value))), None
        )
    if value == 0 and "geen" in claim.quote.lower().split():
        return "geen"
    for e in found:
        if e.kind != "date" and math.isclose(float(e.value), float(value), rel_tol=1e-12):
            return e
    # A year given as a number may sit inside a date expression ("januari 2022").
    return next(
        (e for e in found if e.kind == "date" and str(e.value).startswith(f"{value}-")), None
    )


def uncovered_tokens(registry: Registry, document: Document) -> list[Token]:
    """Number-like tokens of ``document`` that no claim and no exclusion accounts for.

    A token is accounted for when it lies inside an occurrence of a claim's quote and is part of
    that claim's value expression or of one of its ``context`` phrases, or when it lies inside an
    occurrence of an exclusion's quote.
    """
    text = document.text
    covered: set[int] = set()

    def cover(start: int, end: int) -> None:
        covered.update(range(start, end))

    for claim in (c for c in registry.claims if c.document == document.id):
        quote = normalise(claim.quote)
        expr = value_expression(claim)
        for start in find_quote(text, quote):
            if expr is not None and expr != "geen":
                cover(start + expr.start, start + expr.end)
            for phrase in claim.context:
                phrase = normalise(str(phrase))
                for offset in find_quote(quote, phrase):
                    cover(start + offset, start + offset + len(phrase))
    for excl in (e for e in registry.exclusions if e.document == document.id):
        for start in find_quote(text, excl.quote):
            cover(start, start + len(normalise(excl.quote)))
    return [t for t in tokens(text) if not set(range(t.start, t.end)) <= covered]


# --- checks: a tiny, safe expression language over claim ids -------------------------------

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMPOPS = {
    ast.Eq: lambda a, b: math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
    ast.NotEq: lambda a, b: not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def _year(value: str | float) -> int:
    return int(str(value)[:4])


def _months_between(a: str, b: str) -> int:
    ya, ma = int(a[:4]), int(a[5:7])
    yb, mb = int(b[:4]), int(b[5:7])
    return (yb - ya) * 12 + (mb - ma)


def _round(value: float) -> int:
    from evalkit.compute.rounding import round_half_up

    return int(round_half_up(value, 0))


_FUNCS = {
    "round": _round,
    "abs": abs,
    "year": _year,
    "months_between": _months_between,
    "min": min,
    "max": max,
}
_SEP = "__"  # claim ids contain '-', which Python reads as minus: they are rewritten first


def _to_python(formula: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        formula = formula.replace(name, name.replace("-", _SEP))
    return formula


def formula_names(formula: str) -> set[str]:
    """Claim ids used in a check formula."""
    import re

    return set(re.findall(r"\b[A-Z]\d{2}-[A-Za-z0-9-]*[A-Za-z0-9]", formula))


def evaluate_check(formula: str, values: Mapping[str, float | str]) -> bool | float:
    """Evaluate a check formula with the published values of the claims it names.

    Supports ``+ - * /``, comparisons, ``and``/``or``, numbers and the functions ``round``
    (half up), ``abs``, ``min``, ``max``, ``year`` and ``months_between`` (for dates).
    """
    names = formula_names(formula)
    env = {n.replace("-", _SEP): values[n] for n in names}
    tree = ast.parse(_to_python(formula, names), mode="eval")

    def ev(node: ast.AST):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BoolOp):
            results = [ev(v) for v in node.values]
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = ev(right_node)
                if not _CMPOPS[type(op)](left, right):
                    return False
                left = right
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCS
        ):
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise ValueError(f"not allowed in a check formula: {ast.dump(node)}")

    return ev(tree)
