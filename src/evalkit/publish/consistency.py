"""The consistency chapter's text: a title, the readings and the ways out of each contradiction."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from evalkit.compute.claims import Claim
from evalkit.inputs.numbers import format_euro, format_number, format_pct
from evalkit.publish.evidence import Evidence, Ledger
from evalkit.publish.raad import published_text
from evalkit.solver.audit import (
    PROVEN_FEASIBLE,
    PROVEN_INFEASIBLE,
    UNDECIDED,
    Conflict,
    Enumeration,
    age_category_claims,
    load_corrections,
    load_enumeration,
)
from evalkit.solver.model import ASSUMPTIONS, INTERPRETATIONS, kind

#: What a reader sees for a verdict of the solver; a time-out is never a contradiction.
VERDICT_LABELS = {
    PROVEN_INFEASIBLE: "bewezen tegenstrijdig",
    PROVEN_FEASIBLE: "bewezen haalbaar",
    UNDECIDED: "onbeslist binnen de tijdslimiet",
}

#: Per interpretation, the innocent explanation of a contradiction that rests on it: what may
#: have happened if the letters did not mean what the reading takes them to mean.
INNOCENT = {
    "I-een-traject-per-gezin": (
        "een gezin had twee trajecten (het sloot er een af en begon opnieuw), en de rapportage "
        "telde het één keer als gezin; het register telt elk traject als een gezin (zie "
        "Definities)"
    ),
    "I-vrijwel-alle": "'vrijwel alle' betekende minder dan 90 procent van de gezinnen",
    "I-eigen-leeftijdsindeling": (
        "de tekst van 2023 telde de leeftijdscategorieën anders dan haar eigen tabellen (ze "
        "spreekt van '0-18+' en van '12-18 en 18+')"
    ),
    "A-wijken-zonder-2023": (
        "de wijken die de rapportage zonder trajecten in 2023 noemt, hadden ook in 2022 geen "
        "trajecten"
    ),
    "I-vlakke-maandbesteding": (
        "het budget is niet gelijkmatig per maand besteed, zodat de bedragen per jaar niets "
        "zeggen over begin en einde van de pilot"
    ),
}


def _args(c: Claim) -> dict:
    return dict(c.recompute.get("args") or {})


def _n(v: float) -> str:
    return format_number(v, 0 if float(v).is_integer() else 1)


def _find(items: Sequence[Claim], metric: str, **args) -> Claim | None:
    return next(
        (
            c
            for c in items
            if kind(c) == metric and all(_args(c).get(k) == v for k, v in args.items())
        ),
        None,
    )


def _flow_title(items: Sequence[Claim]) -> str | None:
    starts = [c for c in items if kind(c) == "count_started"]
    if not starts or not any(kind(c) == "count_active" for c in items):
        return None
    jaar = max(_args(c)["jaar"] for c in starts)
    now, new = _find(items, "count_active", jaar=jaar), _find(items, "count_started", jaar=jaar)
    gone = _find(items, "count_closed", jaar=jaar - 1)
    before = _find(items, "count_active", jaar=jaar - 1)
    halves = [c for c in starts if _args(c).get("jaar") == jaar - 1]
    if not (now and new and gone and (before or halves)):
        return None
    total = before.value if before else sum(c.value for c in halves)
    expected = total - gone.value + new.value
    if now.value > expected:
        return f"Meer gezinnen in {jaar} dan de instroom toelaat"
    return f"Minder gezinnen in {jaar} dan in- en uitstroom opleveren"


def _wijk_title(items: Sequence[Claim]) -> str | None:
    wijk = [c for c in items if kind(c) in ("wijk_counts", "count_wijk")]
    closed = [c for c in items if kind(c) == "count_closed"]
    if not wijk or len(closed) != 1:
        return None
    jaar = _args(closed[0])["jaar"]
    return f"Meer trajecten uit de wijken verdwenen dan er in {jaar} werden afgesloten"


def _percentage_title(items: Sequence[Claim]) -> str | None:
    pct = [c for c in items if c.recompute.get("as") == "percent"]
    base = [c for c in items if kind(c) == "count_active"]
    if len(items) != 2 or len(pct) != 1 or len(base) != 1:
        return None
    p, n = pct[0].value, int(base[0].value)
    return f"{format_pct(p)} van {n} gezinnen is geen heel aantal gezinnen"


def _age_title(items: Sequence[Claim]) -> str | None:
    found = age_category_claims(items)
    if found is None:
        return None
    return (
        f"Te weinig grote gezinnen voor {_n(found[1].value)} gezinnen met kinderen uit alle "
        "leeftijdscategorieën"
    )


def conflict_title(conflict: Conflict, claims: Mapping[str, Claim]) -> str:
    """A plain Dutch title saying what contradicts what, from the kinds of the conflict's claims.

    ``Minder gezinnen in 2023 dan in- en uitstroom opleveren`` for the flow of families,
    ``55% van 21 gezinnen is geen heel aantal gezinnen`` for a percentage; otherwise the
    subjects of the first two figures.
    """
    items = [claims[i] for i in conflict.claims if i in claims]
    for titled in (_wijk_title, _flow_title, _percentage_title, _age_title):
        title = titled(items)
        if title:
            return title
    subjects = [c.about[:1].lower() + c.about[1:] for c in items[:2]]
    return "Tegenstrijdige cijfers over " + " en ".join(subjects)


def _reading_name(iid: str) -> str:
    reading = {i.id: i for i in INTERPRETATIONS}.get(iid)
    return reading.about.rstrip(".") if reading else iid


def readings_sentence(conflict: Conflict, impact: pd.DataFrame) -> str:
    """The readings a conflict rests on, whether it goes without each, and innocent causes.

    The innocent explanations (:data:`INNOCENT`) are what dropping a reading stands for.

    ``impact`` is the table of :func:`evalkit.solver.audit.interpretation_impact`. An
    assumption that is itself a member of the conflict counts as a reading it rests on.
    """
    rows = impact[impact["conflict"] == conflict.id]
    gone = [r.interpretation for r in rows.itertuples() if r.disappears]
    gone += [a.id for a in ASSUMPTIONS if a.id in conflict.claims and a.id not in gone]
    undecided = [r.interpretation for r in rows.itertuples() if r.verdict == UNDECIDED]
    if not gone:
        text = (
            "De tegenspraak rust op geen van de getoetste interpretaties: ze blijft bestaan "
            "als je er één laat vallen."
        )
    else:
        parts = [f"*{_reading_name(i)}* (`{i}`)" for i in gone]
        text = (
            "De tegenspraak rust op een interpretatie en verdwijnt zonder: "
            + "; ".join(parts)
            + ". Een onschuldige verklaring is dan: "
            + "; of ".join(INNOCENT.get(i, _reading_name(i)) for i in gone)
            + "."
        )
    if undecided:
        text += (
            " Zonder "
            + ", ".join(f"`{i}`" for i in undecided)
            + f" is het oordeel {VERDICT_LABELS[UNDECIDED]}."
        )
    return text


def _value_text(claim: Claim, value: float) -> str:
    return published_text(dataclasses.replace(claim, value=value))


def correction_sentence(row: Mapping, claims: Mapping[str, Claim]) -> str:
    """One claim of a correction set: ``als dit getal fout is, was het waarschijnlijk X ...``.

    ``row`` is a row of :func:`evalkit.solver.audit.corrections`; the sentence ends with the
    label of the check's verdict (:data:`VERDICT_LABELS`).
    """
    cid = row["claim_id"]
    verdict = VERDICT_LABELS.get(row["verdict"], row["verdict"])
    claim = claims.get(cid)
    if claim is None:
        return f"de interpretatie `{cid}` laten vallen ({verdict})"
    nearest = row.get("nearest_consistent")
    if nearest is None or pd.isna(nearest):
        if row["verdict"] == UNDECIDED:
            return f"{claim.about} (`{cid}`): {verdict}"
        return (
            f"{claim.about} (`{cid}`): geen waarde vlak bij {published_text(claim)} past "
            f"({verdict})"
        )
    return (
        f"{claim.about} (`{cid}`): als dit getal fout is, was het waarschijnlijk "
        f"{_value_text(claim, float(nearest))} in plaats van {published_text(claim)} ({verdict})"
    )


def ways_out(conflict: Conflict, corrections: pd.DataFrame, claims: Mapping[str, Claim]) -> list:
    """Every minimal correction set of a conflict as a Dutch line, smallest sets first."""
    rows = corrections[corrections["conflict"] == conflict.id]
    lines = []
    order = sorted(rows["set"].unique(), key=lambda s: (int((rows["set"] == s).sum()), s))
    for s in order:
        members = rows[rows["set"] == s].to_dict("records")
        said = [correction_sentence(r, claims) for r in members]
        lead = "Eén getal fout" if len(said) == 1 else f"{len(said)} getallen samen fout"
        lines.append(f"{lead}: " + "; ".join(said) + ".")
    return lines


def best_ways_out(
    conflict: Conflict, corrections: pd.DataFrame, claims: Mapping[str, Claim]
) -> list[str]:
    """The single-figure corrections of a conflict that were proven to remove it."""
    rows = corrections[corrections["conflict"] == conflict.id]
    sizes = rows.groupby("set")["claim_id"].transform("size")
    single = rows[(sizes == 1) & (rows["verdict"] == PROVEN_FEASIBLE)]
    return [correction_sentence(r, claims) for r in single.to_dict("records")]


#: The most single-figure ways out the main text lists per conflict (the rest are folded).
MAX_SHOWN = 3

#: The parts of the number of trajecten in the register (see report.trajecten_evidence).
TRAJECT_PARTS = ("count_started", "count_carried_over")


def trajecten_range(
    conflict: Conflict, claims: Mapping[str, Claim], ledger: Ledger, jaren: Sequence[int]
) -> tuple[Fraction, Fraction] | None:
    """The number of trajecten if either side of the conflict is right; ``None`` if untouched.

    The registers of the kept claims, and those where a start count of this conflict holds as
    published instead.

    The kept claims give the range of each part (:meth:`Ledger.metric`); a start count of the
    conflict whose published value lies outside its part's range widens the total to include
    the total with that part as published.
    """
    first = min(jaren)
    parts = {("count_carried_over", first): ledger.metric("count_carried_over", jaar=first)}
    parts |= {("count_started", j): ledger.metric("count_started", jaar=j) for j in jaren}
    if any(p.min_exact == "" or p.max_exact == "" for p in parts.values()):
        return None
    lo = sum(Fraction(p.min_exact) for p in parts.values())
    hi = sum(Fraction(p.max_exact) for p in parts.values())
    involved = False
    for cid in conflict.claims:
        c = claims.get(cid)
        if c is None or kind(c) != "count_started" or "half" in _args(c):
            continue
        part = parts.get(("count_started", _args(c).get("jaar")))
        if part is None:
            continue
        v = Fraction(str(c.value))
        if not Fraction(part.min_exact) <= v <= Fraction(part.max_exact):
            involved = True
            lo = min(lo, lo - Fraction(part.min_exact) + v)
            hi = max(hi, hi - Fraction(part.max_exact) + v)
    return (lo, hi) if involved else None


def downstream_sentence(
    conflict: Conflict,
    claims: Mapping[str, Claim],
    ledger: Ledger,
    jaren: Sequence[int],
    budget: float,
) -> str:
    """What follows for the money chapter's figure per gezin (budget / trajecten), or ``""``."""
    follows = _per_gezin(conflict, claims, ledger, jaren, budget)
    if not follows:
        return ""
    return f"Dit raakt het hoofdstuk over de financiën: {follows}."


def _per_gezin(
    conflict: Conflict,
    claims: Mapping[str, Claim],
    ledger: Ledger,
    jaren: Sequence[int],
    budget: float,
) -> str:
    """The trajecten and the budget per gezin if either side of the conflict is right, or ``""``."""
    span = trajecten_range(conflict, claims, ledger, jaren)
    if span is None:
        return ""
    lo, hi = span
    per = ledger.per(budget, Evidence("begrensd", float(lo), float(hi), str(lo), str(hi), True))
    return (
        f"afhankelijk van hoe de tegenspraak wordt opgelost, telt de pilot {_n(float(lo))} tot "
        f"{_n(float(hi))} trajecten, en was de begroting per traject {format_euro(per.min)} "
        f"tot {format_euro(per.max)}"
    )


def money_sentence(
    conflicts: Sequence[Conflict],
    claims: Mapping[str, Claim],
    ledger: Ledger,
    jaren: Sequence[int],
    budget: float,
) -> str:
    """For the money chapter: which contradiction its number of gezinnen depends on, or ``""``.

    The money chapter divides the budget by the trajecten of the register, which follow from
    the kept claims; a contradiction about the flow of trajecten (C1) means the letters allow
    another number: the same range as :func:`downstream_sentence` gives in the consistency
    chapter.
    """
    for conflict in conflicts:
        follows = _per_gezin(conflict, claims, ledger, jaren, budget)
        if follows:
            return (
                f"Het aantal trajecten hangt wel af van tegenspraak {conflict.id} in de brieven "
                f"(zie Consistentie van de gepubliceerde cijfers): {follows}."
            )
    return ""


@dataclass(frozen=True)
class Audit:
    """The consistency audit beyond the conflicts: every minimal set, corrections, readings."""

    enumerations: tuple[Enumeration, ...]
    corrections: pd.DataFrame
    impact: pd.DataFrame


def load(sets_file: str | Path, corrections_file: str | Path, impact_file: str | Path):
    """The files the build computed (:func:`evalkit.pipeline.build.book_consistency`).

    Returns
    -------
    Audit or None
        ``None`` when the build computed none (a real register, or a build without bounds).

    """
    if not (sets_file and corrections_file and impact_file):
        return None
    return Audit(
        tuple(load_enumeration(Path(sets_file))),
        load_corrections(Path(corrections_file)),
        load_impact(impact_file),
    )


def load_impact(impact_file: str | Path) -> pd.DataFrame | None:
    """The readings' impact the build computed (conflict, interpretation, verdict, disappears).

    ``None`` for an empty name: the build computed none.
    """
    if not impact_file:
        return None
    return pd.read_csv(impact_file, keep_default_na=False)


def _set_line(members: Sequence[str], claims: Mapping[str, Claim]) -> str:
    return "; ".join(
        f"{claims[i].about}: {published_text(claims[i])} (`{i}`)" if i in claims else f"`{i}`"
        for i in members
    )


def details_markdown(
    conflict: Conflict,
    audit: Audit,
    claims: Mapping[str, Claim],
    ledger: Ledger | None = None,
    jaren: Sequence[int] = (),
    budget: float | None = None,
) -> str:
    """The readings, the ways out and what follows downstream of one conflict (Markdown).

    The full lists (every minimal conflicting set and every correction set) go in a folded
    block that the printed main text leaves out (class ``evalkit-technisch``).
    """
    enumeration = next((e for e in audit.enumerations if e.conflict == conflict.id), None)
    lines = [f"**Interpretaties.** {readings_sentence(conflict, audit.impact)}", ""]
    best = best_ways_out(conflict, audit.corrections, claims)
    n_sets = len(enumeration.mcs) if enumeration else 0
    complete = bool(enumeration and enumeration.complete)
    ways = "minimale manier" if n_sets == 1 else "minimale manieren"
    verb = "is" if n_sets == 1 else "zijn"
    proven = enumeration.proven_size if enumeration else 0
    if complete:
        found = f"Er {verb} {_n(n_sets)} {ways} om de tegenspraak op te heffen."
    elif proven >= 1:
        found = (
            f"Er {verb} {_n(n_sets)} {ways} gevonden om de tegenspraak op te heffen. Daarmee "
            f"zijn alle manieren met {_figures(proven)} gevonden; manieren met meer getallen "
            "zijn niet allemaal gezocht."
        )
    else:
        found = (
            f"Binnen de grens van het aantal toetsen {verb} er {_n(n_sets)} {ways} gevonden "
            "om de tegenspraak op te heffen."
        )
    if best:
        shown, rest = best[:MAX_SHOWN], len(best) - MAX_SHOWN
        more = (
            f" (hier {_n(len(shown))} van de {_n(len(best))}; de andere staan in de webversie "
            "en in corrections.csv)"
        ) * (rest > 0)
        lines += [
            f"**Uitwegen.** {found} Met één aanpassing{more}:",
            "",
            *[f"- {b[:1].upper() + b[1:]}." for b in shown],
            "",
        ]
    elif enumeration is not None:
        lines += [
            "**Uitwegen.** "
            + (
                f"Er zijn {_n(n_sets)} minimale manieren om de tegenspraak op te heffen, geen "
                "met één getal."
                if complete
                else "Binnen de grens van het aantal toetsen is nog geen kleinste verzameling "
                "getallen gevonden waarvan een correctie de tegenspraak opheft; de verzameling "
                "die de audit vond, laat er in elk geval één getal uit los."
            ),
            "",
        ]
    if ledger is not None and budget is not None and jaren:
        follows = downstream_sentence(conflict, claims, ledger, jaren, budget)
        if follows:
            lines += [follows, ""]
    if enumeration:
        completeness = _completeness(enumeration)
        lines += [
            f":::{{admonition}} Alle minimale verzamelingen van {conflict.id}",
            ":class: dropdown evalkit-technisch",
            f"Minimale tegenstrijdige verzamelingen ({VERDICT_LABELS[PROVEN_INFEASIBLE]}):",
            "",
            *[f"{j}. {_set_line(s, claims)}" for j, s in enumerate(enumeration.mus, 1)],
            "",
            "Minimale correctiesets:",
            "",
            *([f"- {w}" for w in ways_out(conflict, audit.corrections, claims)] or ["- nog geen"]),
            "",
            f"{completeness} Alle rijen staan in `corrections.csv` en `consistency.csv`.",
            ":::",
            "",
        ]
    return "\n".join(lines)


def corrections_evidence(corrections: pd.DataFrame, ledger: Ledger) -> dict:
    """Evidence for the numbers of ``corrections.csv`` (rows labelled ``set claim_id``).

    The published value is the claim's; the nearest consistent value lies in the range that
    the other published figures allow once the correction set is given up (``min``/``max``).
    """
    out = {}
    for r in corrections.to_dict("records"):
        row = f"{r['set']} {r['claim_id']}"
        if r["claim_id"] in ledger.claims and pd.notna(r["published"]):
            out[(row, "published")] = ledger.published(r["claim_id"])
        if pd.notna(r["nearest_consistent"]):
            lo, hi = Fraction(r["min"]), Fraction(r["max"])
            out[(row, "nearest_consistent")] = Evidence(
                "vastgelegd" if lo == hi else "begrensd",
                float(lo),
                float(hi),
                str(lo),
                str(hi),
                True,
                (r["claim_id"],),
                "dichtstbijzijnde waarde die past bij de overige gepubliceerde getallen",
            )
    return out


def _figures(k: int) -> str:
    return "één getal" if k == 1 else f"hooguit {_n(k)} getallen"


def _completeness(e: Enumeration) -> str:
    """What is proven of one conflict's lists, in plain Dutch."""
    if e.complete:
        return "De opsomming is volledig."
    if e.proven_size >= 1:
        return (
            f"Alle correctiesets van {_figures(e.proven_size)} zijn gevonden (bewezen); er "
            "kunnen meer tegenstrijdige verzamelingen en grotere correctiesets zijn."
        )
    return (
        "De opsomming stopte bij de grens van het aantal toetsen; er kunnen meer "
        "verzamelingen zijn."
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def enumeration_sentence(audit: Audit | None) -> str:
    """The introduction's sentence on how many ways to show and to resolve each conflict.

    It says exactly what is proven: per conflict whether every set is listed, or every
    correction of at most k figures (:attr:`evalkit.solver.audit.Enumeration.proven_size`).
    """
    if audit is None:
        return "De audit toont er per tegenspraak één."
    n_mus = sum(len(e.mus) for e in audit.enumerations)
    n_mcs = sum(len(e.mcs) for e in audit.enumerations)
    sets = (
        f"{_n(n_mus)} minimale tegenstrijdige verzamelingen en {_n(n_mcs)} kleinste "
        "verzamelingen getallen waarvan een correctie een tegenspraak opheft"
    )
    if all(e.complete for e in audit.enumerations):
        found = f"De audit zoekt ze allemaal op: {sets}."
    else:
        found = f"De audit zoekt ze op en vond {sets}."
        done = [e.conflict for e in audit.enumerations if e.complete]
        if done:
            verb = "is" if len(done) == 1 else "zijn"
            found += f" Voor {_and(done)} {verb} de opsomming volledig."
        for k in sorted({e.proven_size for e in audit.enumerations if not e.complete}):
            ids = [e.conflict for e in audit.enumerations if not e.complete and e.proven_size == k]
            if k >= 1:
                found += (
                    f" Voor {_and(ids)} zijn zeker alle correcties van {_figures(k)} gevonden; "
                    f"er kunnen meer tegenstrijdige verzamelingen en correcties van meer "
                    "getallen zijn."
                )
            else:
                found += (
                    f" Voor {_and(ids)} stopte de opsomming bij de grens van het aantal "
                    "toetsen; er kunnen er meer zijn."
                )
    return (
        found + " De webversie toont ze bij elke tegenspraak in een uitklapblok; alle rijen "
        "staan in de downloads consistency.csv en corrections.csv."
    )


def spend_sentence(phasing: pd.DataFrame, dropped: pd.DataFrame, claims: Mapping[str, Claim]):
    """What the flat monthly spend implies for the pilot's start and end, and without it.

    ``phasing`` and ``dropped`` are :func:`evalkit.compute.context.phasing_checks` with the
    reading :data:`evalkit.compute.context.FLAT_SPEND` on and off.
    """
    from evalkit.compute.context import CONTRADICTS
    from evalkit.publish.report import month_name

    against = phasing[phasing["verdict"] == CONTRADICTS]
    if against.empty:
        return ""
    parts = [
        f"{'een begin' if r.check == 'begin' else 'een einde'} in {month_name(r.implied)}, "
        f"gepubliceerd is {published_text(claims[r.claim_id])} (`{r.claim_id}`)"
        for r in against.itertuples()
    ]
    stays = dropped[dropped["verdict"] == CONTRADICTS]
    reading = "I-vlakke-maandbesteding"
    return (
        f"*{_reading_name(reading)}* (`{reading}`): dan wijzen de begrote bedragen per jaar op "
        + "; en op ".join(parts)
        + ". "
        + (
            "Dat is een verschil tussen begroting en werkelijkheid, geen tegenspraak tussen "
            "gepubliceerde getallen; zonder deze lezing verdwijnt het, en een onschuldige "
            f"verklaring is dan: {INNOCENT[reading]}."
            if stays.empty
            else "Ook zonder deze lezing blijft dat verschil tussen begroting en werkelijkheid."
        )
    )
