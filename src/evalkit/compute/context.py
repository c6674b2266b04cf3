"""The context of the pilot: BJH key figures, the pilot's money, and the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import pandas as pd

from evalkit.compute.claims import Registry, evaluate_check, formula_names
from evalkit.compute.disclosure import NONE, Policy
from evalkit.inputs import yamlfile
from evalkit.inputs.errors import InputError, Problem
from evalkit.inputs.register import Register


def _read(path: Path, registry: Registry) -> dict:
    """Read a context file and check that every claim id it names exists."""
    data = yamlfile.safe_load(path.read_text(encoding="utf-8")) or {}
    named: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            named.update(formula_names(node))

    walk(data)
    unknown = sorted(named - set(registry.by_id()))
    if unknown:
        raise InputError([Problem(str(path), None, "claim", u, "onbekende claim") for u in unknown])
    return data


def bjh_key_figures(path: Path, registry: Registry) -> pd.DataFrame:
    """The BJH letter's key figures (published values, by claim)."""
    data = _read(path, registry)
    claims = registry.by_id()
    return pd.DataFrame(
        [
            {
                "label": e["label"],
                "claim_id": e["claim"],
                "waarde": claims[e["claim"]].value,
                "eenheid": claims[e["claim"]].unit,
                "citaat": claims[e["claim"]].quote,
            }
            for e in data["kerncijfers"]
        ]
    )


def bjh_derived(path: Path, registry: Registry) -> pd.DataFrame:
    """Derived BJH figures: each formula over published values, with its result.

    ``decimalen`` is how the book shows each figure, in the text and in the table alike.
    """
    data = _read(path, registry)
    values = {c.id: c.value for c in registry.claims}
    return pd.DataFrame(
        [
            {
                "id": e["id"],
                "label": e["label"],
                "formule": e["formula"],
                "waarde": float(evaluate_check(e["formula"], values)),
                "eenheid": e["unit"],
                "decimalen": int(e["decimals"]),
            }
            for e in data["afgeleid"]
        ]
    )


@dataclass(frozen=True)
class Phasing:
    """What the budget's split over the years implies for the pilot's start and end."""

    total: float
    months: int
    per_month: float
    per_year: dict[int, float]
    months_per_year: dict[int, float]
    implied_start: dt.date
    implied_end: dt.date
    claim_ids: tuple[str, ...]


def _month_start(year: int, month: int) -> dt.date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1)


def budget_phasing(path: Path, registry: Registry) -> Phasing:
    """Spread the total budget evenly over the planned months and read off start and end.

    The total divided by the planned number of months gives a monthly amount; each year's
    amount divided by it gives the months budgeted in that year. The first year's months end in
    December, so they start that many months earlier; the last year's months start in January.
    """
    data = _read(path, registry)
    v = {c.id: c.value for c in registry.claims}
    total = Fraction(str(v[data["totaal"]]))
    months = int(v[data["looptijd_jaar"]]) * 12
    per_month = total / months
    per_year = {int(y): Fraction(str(v[c])) for y, c in data["per_jaar"].items()}
    in_year = {y: a / per_month for y, a in per_year.items()}
    first, last = min(per_year), max(per_year)
    start = _month_start(first, 13 - int(in_year[first]))
    end_month = _month_start(last, int(in_year[last]) + 1) - dt.timedelta(days=1)
    return Phasing(
        float(total),
        months,
        float(per_month),
        {y: float(a) for y, a in per_year.items()},
        {y: float(m) for y, m in in_year.items()},
        start,
        end_month,
        (data["totaal"], data["looptijd_jaar"], *data["per_jaar"].values()),
    )


@dataclass(frozen=True)
class Reading:
    """A reading of the letters with a switch (the fields of the solver's ``Interpretation``).

    ``enabled`` false drops the reading; :func:`phasing_checks` then draws no conclusion
    that rests on it.
    """

    id: str
    about: str
    enabled: bool = True

    def switched(self, enabled: bool) -> Reading:
        """The same reading with its switch set to ``enabled``."""
        return replace(self, enabled=enabled)


#: The budget is spent evenly over the months (what :func:`budget_phasing` assumes).
FLAT_SPEND = Reading(
    "I-vlakke-maandbesteding",
    "Het budget wordt gelijkmatig over de maanden van de looptijd besteed, zodat de "
    "bedragen per jaar het begin en einde van de pilot aangeven.",
)

CONSISTENT, CONTRADICTS, NOT_IMPLIED = "klopt", "tegenstrijdig", "niet bepaald"


def _period_end(start: dt.date, precision: str) -> dt.date:
    """The last day of the period a date of this precision stands for."""
    months = {"dag": 0, "maand": 1, "kwartaal": 3, "jaar": 12}[precision]
    if not months:
        return start
    return _month_start(start.year, start.month + months) - dt.timedelta(days=1)


def phasing_checks(
    path: Path, registry: Registry, flat_spend: Reading = FLAT_SPEND
) -> pd.DataFrame:
    """The start and end that the budget's phasing implies, against the published ones.

    Under :data:`FLAT_SPEND` (see :func:`budget_phasing`) the per-year amounts imply a first
    and a last month; each is compared with the published start (``werkelijke_start``) and end
    (``werkelijk_einde``) at that claim's precision (a month, a year). Dropped, the amounts
    imply no month: verdict ``niet bepaald``, no contradiction.

    Returns
    -------
    pandas.DataFrame
        Columns ``check`` (``begin``/``einde``), ``implied`` (date or ``None``), ``published``
        (the claim's value), ``claim_id``, ``verdict`` (``klopt``, ``tegenstrijdig``,
        ``niet bepaald``), ``interpretation`` (the reading's id).

    """
    data = _read(path, registry)
    claims = registry.by_id()
    phasing = budget_phasing(path, registry) if flat_spend.enabled else None
    rows = []
    for check, key, implied in (
        ("begin", "werkelijke_start", phasing.implied_start if phasing else None),
        ("einde", "werkelijk_einde", phasing.implied_end if phasing else None),
    ):
        c = claims[data[key]]
        first, precision = claim_date(c.value)
        if implied is None:
            verdict = NOT_IMPLIED
        else:
            inside = first <= implied <= _period_end(first, precision)
            verdict = CONSISTENT if inside else CONTRADICTS
        rows.append(
            {
                "check": check,
                "implied": implied,
                "published": c.value,
                "claim_id": c.id,
                "verdict": verdict,
                "interpretation": flat_spend.id,
            }
        )
    return pd.DataFrame(rows)


def delivered_hours(register: Register) -> float:
    """Hours of support delivered: weekly hours × active weeks, over every traject and year."""
    rows = register.jaarregistratie.merge(
        register.trajecten[["traject_id", "startdatum", "einddatum"]], on="traject_id"
    )
    first = pd.to_datetime(rows["jaar"].astype(str) + "-01-01")
    last = pd.to_datetime(rows["jaar"].astype(str) + "-12-31")
    start = rows["startdatum"].where(rows["startdatum"] > first, first)
    end = rows["einddatum"].fillna(last)
    end = end.where(end < last, last)
    days = ((end - start).dt.days + 1).clip(lower=0)
    return float((rows["uren_per_week"] * days / 7).sum())


def cost_figures(
    path: Path, registry: Registry, register: Register, policy: Policy = NONE
) -> dict[str, float | None]:
    """Budget per family and per delivered hour, under the stated assumptions.

    Assumes the budget was spent as planned (no actual spending is published) and that the
    register holds every traject of the pilot. The number of families passes through the
    disclosure ``policy`` first, and the amount per family is computed from what may be shown.
    """
    data = _read(path, registry)
    total = float(registry.by_id()[data["totaal"]].value)
    families = policy.count(len(register.trajecten))
    hours = delivered_hours(register)
    return {
        "budget": total,
        "gezinnen": families,
        "uren": hours,
        "per_gezin": total / families if families else None,
        "per_uur": total / hours if hours else float("nan"),
    }


def claim_date(value) -> tuple[dt.date, str]:
    """A claim's date value as a day, with its precision (day, month, quarter, year)."""
    text = str(value)
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 1, 1), "jaar"
    if "-Q" in text:
        year, q = text.split("-Q")
        return dt.date(int(year), 3 * (int(q) - 1) + 1, 1), "kwartaal"
    parts = text.split("-")
    if len(parts) == 2:
        return dt.date(int(parts[0]), int(parts[1]), 1), "maand"
    return dt.date.fromisoformat(text), "dag"


def timeline(path: Path, registry: Registry) -> pd.DataFrame:
    """Every dated event with its date, precision, track, kind and source quote, by date."""
    data = _read(path, registry)
    claims = registry.by_id()
    rows = []
    for e in data["gebeurtenissen"]:
        c = claims[e["claim"]]
        date, precision = claim_date(c.value)
        rows.append(
            {
                "datum": pd.Timestamp(date),
                "precisie": precision,
                "spoor": e["spoor"],
                "soort": e["soort"],
                "gebeurtenis": e["label"],
                "claim_id": c.id,
                "citaat": c.quote,
            }
        )
    return pd.DataFrame(rows).sort_values(["datum", "gebeurtenis"]).reset_index(drop=True)
