"""The synthetic register: the most plausible register that satisfies every kept claim.

With every claim that the audit does not relax as a hard constraint on the register model
(:mod:`evalkit.solver.model`), the synthesis finds a plausible register in two steps: flow types
and dates close to targets drawn from a seeded generator; then, with the flow types fixed,
hours close to targets, few category changes between years and families of typical
composition. Everything is deterministic: one search worker, a fixed seed, deterministic time
limits.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from evalkit.compute.claims import Registry, load_registry
from evalkit.inputs.manifest import write_synthetic_manifest
from evalkit.inputs.register import (
    Reference,
    Register,
    load_reference,
    schemas,
    write_register,
)
from evalkit.inputs.sources import load_documents
from evalkit.solver.audit import find_conflicts
from evalkit.solver.model import (
    INTERPRETATIONS,
    OLDEST_AGE,
    BirthClass,
    Interpretation,
    Profile,
    RegisterModel,
    Spec,
    build_model,
    make_solver,
    recomputable,
)


@dataclass
class Outcome:
    """Result of a reconstruction: the register, what holds, and what conflicts."""

    register: Register
    satisfied: list[str]
    violated: list[str]
    conflicts: list[list[str]]
    seconds: float
    solver_status: str


# Deterministic seconds for choosing the flow types and dates of the register (about 2 s here).
DATES_BUDGET = 1.0


def solve(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    relaxed: Sequence[str],
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
) -> tuple[Register, str]:
    """The most plausible register that satisfies every claim except ``relaxed``.

    Returns
    -------
    tuple of (Register, str)
        The register and the solver status of both steps (flow types and dates; the rest).

    """
    keep = set(recomputable(registry, interpretations)) - set(relaxed)
    built = build_model(registry, reference, spec, interpretations, only=keep)
    rm = built.rm
    rm.ensure_children()
    for lit in built.literals.values():
        rm.m.add(lit == 1)
    # Two steps (measured: the optimum of one model took 8 s, these two take 1 to 3 s). First
    # the flow types and dates, within a fixed deterministic budget (or to a first register
    # if the budget finds none); then, with the flow types fixed, the most plausible rest.
    dates = _dates_implausibility(rm, seed)
    rm.m.minimize(dates)
    solver = make_solver(seed, DATES_BUDGET)
    status = solver.solve(rm.m)
    if status == cp_model.UNKNOWN:
        solver = make_solver(seed, 600.0)
        solver.parameters.stop_after_first_solution = True
        status = solver.solve(rm.m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"no register found ({solver.status_name(status)})")
    first = solver.status_name(status)
    for i in range(spec.slots):
        for b in rm.typ[i]:
            rm.m.add(b == solver.value(b))
    rm.m.minimize(dates + _rest_implausibility(rm, seed))
    solver = make_solver(seed, 60.0)
    status = solver.solve(rm.m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"no register found ({solver.status_name(status)})")
    return _extract(rm, solver, seed), f"{first}, {solver.status_name(status)}"


def _deviation(m: cp_model.CpModel, expr, hi: int):
    """An integer equal to ``|expr|``, with ``hi`` an upper bound."""
    d = m.new_int_var(0, hi, "")
    m.add_abs_equality(d, expr)
    return d


def _dates_implausibility(rm: RegisterModel, seed: int):
    """Distance of start days and durations from targets drawn by a seeded generator.

    Targets per slot: the day within its half year the traject started, and the duration of
    the traject if it closed (counted only when it did). A traject still running at the
    cut-off counts by how far it has already run past the target of the last year, so that
    families do not stay on for ever just because nothing says when they left.
    """
    rng = np.random.default_rng([seed, 0])
    m, spec = rm.m, rm.spec
    terms = []
    for i in range(spec.slots):
        offset = rm._per_type(
            i,
            "offset",
            0,
            200,
            lambda ty, i=i: rm.start[i] - spec.day(dt.date(ty[0][0], 1 if ty[0][1] == 1 else 7, 1)),
        )
        terms.append(_deviation(m, offset - int(rng.uniform(5, 175)), 400))
        for jaar in spec.years:
            target = int(np.clip(rng.normal(235, 80), 45, 600))
            dur = rm.closed_duration(jaar, i) - target * rm.closed[jaar][i]
            terms.append(_deviation(m, dur, spec.running + 700))
        running = [t for t, ty in enumerate(rm.types) if ty[1] is None]
        days = rm._per_type(
            i,
            "running",
            0,
            spec.running,
            lambda ty, i=i: spec.running - rm.start[i] if ty[1] is None else 0,
        )
        excess = m.new_int_var(0, spec.running, "")
        m.add(excess >= days - target * sum(rm.typ[i][t] for t in running))
        terms.append(excess)
    return sum(terms)


def _rest_implausibility(rm: RegisterModel, seed: int):
    """Hours far from seeded targets or from last year's, category changes, untypical families.

    A family that stays in the pilot keeps its gezinssamenstelling and hoofdvraag, and about
    its hours, unless the claims require a change; see :meth:`Profile.implausibility` for the
    children.
    """
    rng = np.random.default_rng([seed, 1])
    m, spec = rm.m, rm.spec
    terms = []
    for i in range(spec.slots):
        for jaar in spec.years:  # counted only when active (hours are 0 otherwise)
            target = int(np.clip(rng.normal(48, 15), 15, 120))
            hours = rm.hours[jaar][i] - target * rm.act[jaar][i]
            terms.append(3 * _deviation(m, hours, spec.max_hours_tenths + 200))
        for a, b in zip(spec.years, spec.years[1:], strict=False):
            stays = rm.both(rm.act[a][i], rm.act[b][i])
            for bits, weight in ((rm.sam, 60), (rm.hv, 25)):
                changed = m.new_bool_var("")
                for k in range(len(bits[a][i]) - 1):
                    m.add(changed >= bits[a][i][k] - bits[b][i][k] + stays - 1)
                terms.append(weight * changed)
            d = m.new_int_var(0, 2 * spec.max_hours_tenths, "")
            m.add_abs_equality(d, rm.hours[a][i] - rm.hours[b][i]).only_enforce_if(stays)
            m.add(d == 0).only_enforce_if(stays.Not())
            terms.append(d)
    cost = rm.catalogue.costs
    used = [(cost[j], x) for (_, j), x in rm.family.items() if cost[j]]
    terms.append(cp_model.LinearExpr.weighted_sum([x for _, x in used], [c for c, _ in used]))
    return sum(terms)


def birth_years(
    classes: Sequence[BirthClass],
    counts: Sequence[int],
    oldest: int,
    max_span: int,
    rng: np.random.Generator,
) -> list[int]:
    """Distinct birth-year indices for ``counts`` children per class, oldest first.

    The oldest child is born as close to index ``oldest`` as its class allows; each next child
    one to three years later (seeded), within its class, and no more than ``max_span`` years
    after the oldest.
    """
    present = [k for k, n in enumerate(counts) if n]
    if not present:
        return []
    last = classes[present[-1]]
    out: list[int] = []
    for k in present:
        c = classes[k]
        for j in range(counts[k]):
            hi = c.last - (counts[k] - j - 1)
            if out:
                lo, want = max(c.first, out[-1] + 1), out[-1] + int(rng.integers(1, 4))
                hi = min(hi, out[0] + max_span)
            else:
                lo, want = max(c.first, last.first + counts[present[-1]] - 1 - max_span), oldest
            if lo > hi:
                raise RuntimeError(f"no birth years for children per class {list(counts)}")
            out.append(min(max(want, lo), hi))
    return out


def _extract(rm: RegisterModel, solver: cp_model.CpSolver, seed: int) -> Register:
    spec, ref = rm.spec, rm.ref
    rng = np.random.default_rng(seed + 1)
    reasons = list(ref.reden_einde["code"])
    trajecten, jaren, kinderen = [], [], []

    def hand_out(pool: list, types: list[int]) -> dict[int, object]:
        """Give the items of ``pool`` to the slots of these flow types, in a seeded order."""
        members = [
            i for i in range(spec.slots) if any(solver.boolean_value(rm.typ[i][t]) for t in types)
        ]
        return dict(zip(members, [pool[j] for j in rng.permutation(len(pool))], strict=True))

    # The model counts wijken per flow type and children's profiles per activity pattern.
    wijk_of: dict[int, str] = {}
    for t in range(len(rm.types)):
        counts = [solver.value(rm.nw[w][t]) for w in range(len(rm.wijken))]
        wijk_of |= hand_out(
            [w for w, n in zip(rm.wijken, counts, strict=True) for _ in range(n)], [t]
        )
    profile_of: dict[int, Profile] = {}
    for pattern, types in rm.patterns.items():
        pool = [
            rm.profiles[j]
            for (p, j), x in rm.family.items()
            if p == pattern
            for _ in range(solver.value(x))
        ]
        profile_of |= hand_out(pool, types)
    number = 0
    for i in range(spec.slots):
        if not solver.boolean_value(rm.ex[i]):
            continue
        number += 1
        tid = f"GV{number:03d}"
        start = spec.first_day + dt.timedelta(days=solver.value(rm.start[i]))
        end_day = solver.value(rm.end[i])
        end = None if end_day >= spec.running else spec.first_day + dt.timedelta(days=end_day)
        lag = int(rng.integers(3, 22))
        aanmeld = start - dt.timedelta(days=lag)
        reason = str(rng.choice(reasons, p=[0.55, 0.35, 0.10])) if end else ""
        trajecten.append((tid, wijk_of[i], aanmeld, start, end, reason))
        for jaar in spec.years:
            if solver.boolean_value(rm.act[jaar][i]):
                hv = next(k for k, b in enumerate(rm.hv[jaar][i]) if solver.boolean_value(b))
                sam = next(k for k, b in enumerate(rm.sam[jaar][i]) if solver.boolean_value(b))
                hours = solver.value(rm.hours[jaar][i]) / 10
                jaren.append((tid, jaar, rm.sam_codes[sam], rm.hv_codes[hv], hours))
        top = spec.year_index(spec.cutoff.year)
        oldest = top - int(rng.uniform(*OLDEST_AGE))
        years = birth_years(rm.classes, profile_of[i].counts, oldest, spec.max_sibling_span, rng)
        for k, b in enumerate(years):
            year = spec.first_birth_year + b
            kinderen.append((f"{tid}-K{k + 1}", tid, year, int(rng.integers(1, 13))))
    t = pd.DataFrame(
        trajecten,
        columns=["traject_id", "wijk", "aanmelddatum", "startdatum", "einddatum", "reden_einde"],
    )
    for col in ("aanmelddatum", "startdatum", "einddatum"):
        t[col] = pd.to_datetime(t[col]).astype("datetime64[ns]")
    t["reden_einde"] = t["reden_einde"].replace("", None)
    j = pd.DataFrame(
        jaren, columns=["traject_id", "jaar", "gezinssamenstelling", "hoofdvraag", "uren_per_week"]
    )
    k = pd.DataFrame(kinderen, columns=["kind_id", "traject_id", "geboortejaar", "geboortemaand"])
    return Register(t, j, k)


def reconstruct(
    data_dir: Path,
    seed: int = 20231231,
    spec: Spec | None = None,
    log: Callable[[str], None] = print,
) -> Outcome:
    """Reconstruct the synthetic register from the claims registry.

    Parameters
    ----------
    data_dir : Path
        The project's ``data`` folder (``sources/``, ``claims/``, ``reference/``).
    seed : int
        Seed of the solver and of the plausibility targets.
    spec : Spec, optional
        Shape of the register.
    log : callable
        Receives progress lines.

    Returns
    -------
    Outcome

    """
    spec = spec or Spec()
    t0 = time.monotonic()
    reference = load_reference(data_dir / "reference")
    registry = load_registry(data_dir / "claims", load_documents(data_dir / "sources"))
    log("reconstructie: conflicterende claims zoeken (CP-SAT, in fasen)")
    conflicts, relaxed = find_conflicts(registry, reference, spec, seed)
    log(f"reconstructie: {len(conflicts)} conflict(en); register zoeken dat de rest waarmaakt")
    register, status = solve(registry, reference, spec, seed, relaxed)
    satisfied = [k for k in recomputable(registry, INTERPRETATIONS) if k not in relaxed]
    violated = list(relaxed)
    return Outcome(register, satisfied, violated, conflicts, time.monotonic() - t0, status)


def reconstruct_to(
    data_dir: Path,
    target: Path,
    today: dt.date,
    seed: int = 20231231,
    log: Callable[[str], None] = print,
) -> str:
    """Reconstruct and write the register as CSV into ``target``, with its manifest.

    The manifest (``datapackage.json``) says ``"synthetic": true`` and is dated ``today``;
    returns a short report.
    """
    outcome = reconstruct(data_dir, seed=seed, log=log)
    write_register(outcome.register, target)
    reference = load_reference(data_dir / "reference")
    titles = [d.title for d in load_documents(data_dir / "sources").values()]
    write_synthetic_manifest(target, schemas(reference, today), titles, today, seed)
    lines = [
        f"register geschreven naar {target} ({len(outcome.register.trajecten)} trajecten, "
        f"{outcome.seconds:.1f} s, {outcome.solver_status})",
        f"niet in te willigen: {', '.join(outcome.violated) or 'geen'}",
    ]
    lines += [f"conflict: {', '.join(c)}" for c in outcome.conflicts]
    return "\n".join(lines)
