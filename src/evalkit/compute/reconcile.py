"""Reconciliation: every claim recomputed from the register and given a status."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from evalkit.compute.claims import DISTRIBUTIONS, METRICS, Claim, Registry, evaluate_check
from evalkit.compute.disclosure import NONE, Policy
from evalkit.compute.rounding import percentages, round_half_up
from evalkit.inputs.numbers import format_number, format_pct
from evalkit.inputs.register import Reference, Register


class Conflict(Protocol):
    """What reconciliation reads of a conflict found by :mod:`evalkit.solver.audit`."""

    id: str
    claims: tuple[str, ...]
    explanation: str


#: The statuses of a reconciled claim, in the order the book lists them.
STATUSES = ("exact", "rounding", "interpretation", "discrepancy", "sourced", "outside_register")
COLUMNS = ["claim_id", "document", "quote", "published", "recomputed", "status", "explanation"]
CHECK_FAILED = "De gepubliceerde cijfers voldoen niet aan deze rekensom; zie de consistentie-audit."
METHOD_NL = {"half_omhoog": "half omhoog", "grootste_rest": "grootste rest"}


@dataclass(frozen=True)
class Result:
    """The recomputation of one claim."""

    claim_id: str
    document: str
    quote: str
    published: object
    recomputed: object
    status: str
    explanation: str


def rounded_to(decimals: int) -> str:
    """How far a value was rounded, in Dutch: ``op een heel getal``, ``op 1 decimaal``."""
    if decimals == 0:
        return "op een heel getal"
    return f"op {decimals} decimaal" if decimals == 1 else f"op {decimals} decimalen"


def _fmt(v: float) -> str:
    return format_number(v, 0 if float(v).is_integer() else 2)


def recompute(claim: Claim, register: Register, reference: Reference) -> tuple[object, str, str]:
    """Recompute one claim: the value, its status and an explanation in Dutch."""
    r = claim.recompute
    if "sourced" in r:
        return None, "sourced", r["sourced"]
    args = dict(r.get("args") or {})
    jaar = args.get("jaar")
    if jaar is not None and jaar not in register.years:
        return None, "outside_register", f"het register bevat geen gegevens over {jaar}"
    if "distribution" in r:
        dist = DISTRIBUTIONS[r["distribution"]](register, reference, **args)
        key = _key(dist, r["key"])
        count = int(dist.get(key, 0))
        if r.get("as") == "percent":
            return _percent_status(claim, dist, key, reference.report_definition(jaar))
        return _count_status(claim, count)
    value = METRICS[r["metric"]](register, reference, **args)
    if r.get("as") == "percent":
        base = METRICS[r["base"]["metric"]](register, reference, **(r["base"].get("args") or {}))
        method = reference.report_definition(jaar)["afronding"]
        pct = percentages([int(value), int(base) - int(value)], method)[0]
        exact = 100 * value / base if base else math.nan
        status = "rounding" if pct == claim.value else "discrepancy"
        return (
            pct,
            status,
            (f"{int(value)} van {int(base)} = {format_pct(exact, 1)}, afgerond {format_pct(pct)}"),
        )
    if "expect" in r:
        # A word like "vrijwel alle" publishes no number: the claim's value is a bound in the
        # quote (the age 12), the figure is the interpreted threshold. Compare share with share.
        lo = r["expect"].get("min", -math.inf)
        ok = value >= lo
        return (
            100 * value,
            "interpretation" if ok else "discrepancy",
            f"herberekend {format_pct(100 * value, 1)}; "
            f"gelezen als minstens {format_pct(100 * lo)}",
        )
    if isinstance(value, str) or isinstance(claim.value, str):
        status = "exact" if str(value) == str(claim.value) else "discrepancy"
        return value, status, ""
    decimals = claim.rounding.get("decimals")
    if decimals is not None:
        rounded = round_half_up(value, decimals)
        if math.isclose(value, float(claim.value)):
            return value, "exact", ""
        if math.isclose(rounded, float(claim.value)):
            return (
                value,
                "rounding",
                (
                    f"herberekend {format_number(value, 3)}, afgerond "
                    f"{rounded_to(decimals)} (half omhoog): "
                    f"{format_number(rounded, decimals)}"
                ),
            )
        return value, "discrepancy", f"herberekend {format_number(value, 3)}"
    return _count_status(claim, value)


def published_figure(claim: Claim) -> object:
    """The figure a claim publishes, in the unit its recomputation has.

    Usually the claim's value. A claim with an ``expect`` threshold ("vrijwel alle") publishes
    a word, not its value (which is a number elsewhere in the quote, e.g. the age bound 12):
    its figure is the interpreted threshold, ``≥ 90%``.
    """
    r = claim.recompute
    if "expect" in r and "min" in r["expect"]:
        return f"≥ {format_pct(100 * float(r['expect']['min']))}"
    return claim.value


def _key(dist: pd.Series, key):
    if key in dist.index:
        return key
    for k in dist.index:
        if str(k) == str(key):
            return k
    return key


def _count_status(claim: Claim, value) -> tuple[object, str, str]:
    if math.isclose(float(value), float(claim.value)):
        return value, "exact", ""
    return value, "discrepancy", f"herberekend {_fmt(value)}, gepubliceerd {_fmt(claim.value)}"


def _percent_status(claim: Claim, dist: pd.Series, key, spec: dict):
    method = spec["afronding"]
    counts = [int(v) for v in dist.to_numpy()]
    pcts = dict(zip(dist.index, percentages(counts, method), strict=True))
    other = "half_omhoog" if method == "grootste_rest" else "grootste_rest"
    alt = dict(zip(dist.index, percentages(counts, other), strict=True))
    total = sum(counts)
    count = int(dist.get(key, 0))
    exact = 100 * count / total if total else math.nan
    if not total:
        return None, "discrepancy", "geen gezinnen in dit jaar"
    # A category nobody had is absent from the distribution: zero families, zero percent.
    value = pcts.get(key, 0.0)
    text = (
        f"{count} van {total} = {format_pct(exact, 1)}, afgerond met "
        f"{METHOD_NL[method]}: {format_pct(value)}"
    )
    if alt.get(key, 0.0) != value:
        text += f" (met {METHOD_NL[other]} zou het {format_pct(alt[key])} zijn)"
    status = "rounding" if value == claim.value else "discrepancy"
    return value, status, text


#: Units of claims that count people or trajecten (protected as counts).
COUNT_UNITS = frozenset({"gezinnen", "trajecten", "kinderen"})


def protect(claim: Claim, value: object, status: str, text: str, policy: Policy):
    """What the reconciliation may show of a value recomputed from the register.

    Under an active policy a recomputed count of people is protected like every other count,
    and any other recomputed value (a percentage, a mean) is hidden: it could give away a small
    group. The status stays (it compares with a figure that is public already); the explanation
    is replaced by a neutral one, since it quotes the recomputed value.
    """
    if not policy.active or status in ("sourced", "outside_register") or value is None:
        return value, text
    if claim.unit in COUNT_UNITS and isinstance(value, int | float) and float(value).is_integer():
        shown = policy.count(int(value))
    else:
        shown = None
    note = "herberekende waarde statistisch beveiligd" if status != "exact" else ""
    return shown, note


def reconcile(
    registry: Registry,
    register: Register | None,
    reference: Reference,
    conflicts: Sequence[Conflict] = (),
    policy: Policy = NONE,
) -> pd.DataFrame:
    """Recompute every claim and every check; one row each with a status.

    Parameters
    ----------
    registry : Registry
        The claims (and derived checks).
    register : Register or None
        The validated case register (None only when every claim of ``registry`` is sourced).
    reference : Reference
        Controlled vocabularies and report definitions.
    conflicts : sequence of Conflict
        The consistency audit; a discrepancy of a claim in a conflict gets its explanation.
    policy : evalkit.compute.disclosure.Policy
        Disclosure control applied to the recomputed values (see :func:`protect`).

    Returns
    -------
    pandas.DataFrame
        Columns ``claim_id, document, quote, published, recomputed, status, explanation``.

    """
    in_conflict = {}
    for c in conflicts:
        for cid in c.claims:
            in_conflict.setdefault(cid, c)
    rows = []
    for claim in registry.claims:
        value, status, text = recompute(claim, register, reference)
        value, text = protect(claim, value, status, text, policy)
        if status == "discrepancy" and claim.id in in_conflict:
            c = in_conflict[claim.id]
            text = f"{text}. Conflict {c.id}: {c.explanation}".lstrip(". ")
        rows.append(
            Result(
                claim.id,
                claim.document,
                claim.quote,
                published_figure(claim),
                _plain(value),
                status,
                text,
            )
        )
    published = {c.id: c.value for c in registry.claims}
    for check in registry.checks:
        result = evaluate_check(check.formula, published)
        rows.append(
            Result(
                check.id,
                check.document,
                check.about,
                check.formula,
                result,
                "exact" if result else "discrepancy",
                "" if result else CHECK_FAILED,
            )
        )
    frame = pd.DataFrame([r.__dict__ for r in rows], columns=COLUMNS)
    return frame


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def status_counts(table: pd.DataFrame) -> pd.Series:
    """Number of claims per status, in the fixed order of :data:`STATUSES`."""
    return table["status"].value_counts().reindex(list(STATUSES), fill_value=0).astype(int)
