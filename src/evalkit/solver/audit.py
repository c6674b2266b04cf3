"""Consistency audit of the published figures: which claims cannot all hold, and why.

Claims enter the register model (:mod:`evalkit.solver.model`) in stages (:data:`STAGES`);
whenever they cannot all hold, CP-SAT's infeasible assumptions are shrunk to a minimal
conflicting set (deletion-based) and its member with the lowest :func:`keep_priority` is
relaxed, until the rest is feasible. The relaxed claims are the ones the synthetic register
gives up. :func:`enumerate_conflicts` then lists, per contradiction, every minimal conflicting
set and every small correction set, and :func:`corrections` the nearest consistent value.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd
from ortools.sat.python import cp_model

from evalkit.compute.claims import Claim, Registry, load_registry
from evalkit.inputs.numbers import format_number, format_pct
from evalkit.inputs.register import Reference, load_reference
from evalkit.inputs.sources import load_documents
from evalkit.solver.model import (
    ASSUMPTIONS,
    INTERPRETATIONS,
    Interpretation,
    Spec,
    assumptions_of,
    build_model,
    kind,
    make_solver,
    recomputable,
)

# Claims are added in stages, so that conflicts are found on small models first.
STAGES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "instroom en uitstroom",
        frozenset({"count_active", "count_started", "count_closed", "first_start_month"}),
    ),
    ("wijken", frozenset({"count_wijk", "wijk_counts", "count_wijken", "assumption"})),
    (
        "gemiddelden en categorieën",
        frozenset(
            {
                "mean_hours",
                "mean_caseload",
                "mean_duration_closed",
                "hoofdvraag_counts",
                "gezinssamenstelling_counts",
            }
        ),
    ),
    ("kinderen", frozenset()),  # everything else
)


def stage_of(claim: Claim | None) -> int:
    """Index of the stage in which a claim (``None``: an assumption) enters the search."""
    k = kind(claim)
    return next((i for i, (_, kinds) in enumerate(STAGES) if k in kinds), len(STAGES) - 1)


def keep_priority(
    registry: Registry, interpretations: Sequence[Interpretation] = INTERPRETATIONS
) -> dict[str, tuple]:
    """How much each claim is worth keeping when it is in a conflict (higher: keep).

    In order: interpretations give way before published numbers; a number that another claim
    states too (the same figure in two documents) outweighs one stated once; the number of
    active families, the base of every percentage, outweighs other figures; a figure printed
    earlier in the report outweighs a later, more detailed one.
    """

    def signature(c: Claim) -> tuple:
        r = c.recompute
        return (
            kind(c),
            tuple(sorted((r.get("args") or {}).items())),
            str(r.get("key")),
            r.get("as"),
            float(c.value) if not isinstance(c.value, str) else c.value,
        )

    counts: dict[tuple, int] = {}
    for c in registry.claims:
        counts[signature(c)] = counts.get(signature(c), 0) + 1
    out: dict[str, tuple] = {a.id: (-1, 0, 0) for a in assumptions_of(interpretations)}
    for position, c in enumerate(registry.claims):
        out[c.id] = (counts[signature(c)] - 1, int(kind(c) == "count_active"), -position)
    return out


def _feasible(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    ids: Sequence[str],
    interpretations: Sequence[Interpretation],
    want_core: bool = True,
    time_limit: float = 60.0,
) -> tuple[bool, list[str]]:
    """Whether the claims ``ids`` can all hold; if not, a subset responsible (a core)."""
    built = build_model(registry, reference, spec, interpretations, only=set(ids))
    model = built.rm.m
    fixed = model.clone()
    for i in ids:
        fixed.add(fixed.get_bool_var_from_proto_index(built.literals[i].index) == 1)
    # With the claims fixed, presolve can use them: the fastest yes/no (measured; two workers
    # were slower on the children stage, up to a time-out).
    yes_no = make_solver(seed, time_limit, children=built.rm.has_children)
    status = yes_no.solve(fixed)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, []
    if status != cp_model.INFEASIBLE:
        raise RuntimeError(f"solver stopped without a verdict ({yes_no.status_name(status)})")
    if not want_core:
        return False, list(ids)
    # ... and with the claims as assumptions, the solver names the ones responsible.
    model.add_assumptions([built.literals[i] for i in ids])
    solver = make_solver(seed, time_limit)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        raise RuntimeError(f"no core found ({solver.status_name(status)})")
    index = {v.Index(): k for k, v in built.literals.items()}
    core = {index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
    return False, [i for i in ids if i in core]


def find_conflicts(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
) -> tuple[list[list[str]], list[str]]:
    """Minimal sets of claims (and interpretations) that cannot all hold, and what to relax.

    Claims enter in stages (:data:`STAGES`). Within a stage: solve with every claim so far that
    is not yet relaxed; if infeasible, shrink CP-SAT's set of responsible assumptions by
    deletion until removing any member makes the rest feasible (a minimal conflicting set),
    record it, and relax its member with the lowest :func:`keep_priority`. Repeat until feasible.

    Returns
    -------
    tuple of (list of list of str, list of str)
        The conflicting sets, and the relaxed claim per set.

    """
    claims = registry.by_id()
    priority = keep_priority(registry, interpretations)
    ids = recomputable(registry, interpretations)
    conflicts: list[list[str]] = []
    relaxed: list[str] = []
    included: list[str] = []
    for stage in range(len(STAGES)):
        included += [k for k in ids if stage_of(claims.get(k)) == stage]
        for _ in range(len(included)):
            active = [k for k in included if k not in relaxed]
            ok, core = _feasible(registry, reference, spec, seed, active, interpretations)
            if ok:
                break
            for k in list(core):
                if k not in core:
                    continue
                trial = [c for c in core if c != k]
                if not trial:
                    continue
                ok_trial, smaller = _feasible(
                    registry, reference, spec, seed, trial, interpretations
                )
                if not ok_trial:
                    core = smaller or trial
            conflicts.append(core)
            relaxed.append(min(core, key=lambda k: priority[k]))
    return conflicts, relaxed


@dataclass(frozen=True)
class Conflict:
    """A minimal set of claims that cannot all hold, with the one the register gives up."""

    id: str
    claims: tuple[str, ...]
    relaxed: str
    explanation: str


def _args(c: Claim) -> dict:
    return dict(c.recompute.get("args") or {})


def _n(v: float) -> str:
    return format_number(v, 0 if float(v).is_integer() else 1)


def explain(ids: tuple[str, ...], claims: Mapping[str, Claim]) -> str:
    """The arithmetic that shows why these claims cannot all hold, in plain Dutch."""
    items = [claims[i] for i in ids if i in claims]
    assumptions = [a for a in ASSUMPTIONS if a.id in ids]
    for explainer in (
        _explain_flow,
        _explain_percentage,
        _explain_wijk_flow,
        _explain_age_categories,
    ):
        text = explainer(items, assumptions)
        if text:
            return text
    listed = "; ".join(
        f"{c.about}: {_n(c.value) if not isinstance(c.value, str) else c.value}" for c in items
    )
    return f"Deze cijfers kunnen niet tegelijk waar zijn: {listed}."


def _first(items, metric, **args):
    for c in items:
        if kind(c) == metric and all(_args(c).get(k) == v for k, v in args.items()):
            return c
    return None


def _explain_flow(items, assumptions) -> str | None:
    starts = [c for c in items if kind(c) == "count_started"]
    active = [c for c in items if kind(c) == "count_active"]
    closed = [c for c in items if kind(c) == "count_closed"]
    if not (starts and active and closed) or assumptions:
        return None
    jaar = max(_args(c)["jaar"] for c in starts)
    prev = jaar - 1
    new = _first(items, "count_started", jaar=jaar)
    now = _first(items, "count_active", jaar=jaar)
    gone = _first(items, "count_closed", jaar=prev)
    before = _first(items, "count_active", jaar=prev)
    halves = [c for c in starts if _args(c).get("jaar") == prev]
    if not (new and now and gone):
        return None
    if before is not None:
        total, how = before.value, f"In {prev} waren {_n(before.value)} gezinnen actief"
    elif halves:
        total = sum(c.value for c in halves)
        how = (
            f"In {prev} begonnen "
            + " + ".join(_n(c.value) for c in halves)
            + f" = {_n(total)} gezinnen (de pilot begon in {prev})"
        )
    else:
        return None
    carried = total - gone.value
    expected = carried + new.value
    return (
        f"{how}; {_n(gone.value)} trajecten sloten dat jaar af, dus liepen er "
        f"{_n(total)} − {_n(gone.value)} = {_n(carried)} door naar {jaar}. Met "
        f"{_n(new.value)} nieuwe trajecten in {jaar} zouden er {_n(carried)} + "
        f"{_n(new.value)} = {_n(expected)} gezinnen actief zijn in {jaar}, maar de "
        f"rapportage noemt er {_n(now.value)}. Eén van deze cijfers klopt niet; het "
        f"verschil is {_families(abs(expected - now.value))}."
    )


def _families(n: float) -> str:
    return "één gezin" if n == 1 else f"{_n(n)} gezinnen"


def _explain_percentage(items, assumptions) -> str | None:
    pct = [c for c in items if c.recompute.get("as") == "percent"]
    base = [c for c in items if kind(c) == "count_active"]
    if len(items) != 2 or len(pct) != 1 or len(base) != 1 or assumptions:
        return None
    p, n = pct[0].value, int(base[0].value)
    exact = p * n / 100
    lo, hi = int(exact), int(exact) + 1
    text = (
        f"{format_pct(p)} van {n} gezinnen is {format_number(exact, 2)} gezin. "
        f"{lo} gezinnen is {format_pct(100 * lo / n, 1)} en {hi} gezinnen is "
        f"{format_pct(100 * hi / n, 1)}: geen geheel aantal gezinnen geeft {format_pct(p)}."
    )
    example = _nearest_base(p, n)
    if example:
        text += (
            f" Het percentage past wel bij een ander aantal gezinnen, bijvoorbeeld "
            f"{example[0]} van {example[1]}."
        )
    return text


def _nearest_base(p: float, n: int) -> tuple[int, int] | None:
    """The base closest to ``n`` for which a whole count rounds (half up) to ``p`` percent."""
    from evalkit.compute.rounding import percentage

    for distance in range(1, n):
        for base in (n - distance, n + distance):
            count = round(p * base / 100)
            if base > 0 and percentage(count, base) == p:
                return count, base
    return None


def _explain_wijk_flow(items, assumptions) -> str | None:
    wijk = [c for c in items if kind(c) in ("wijk_counts", "count_wijk")]
    closed = [c for c in items if kind(c) == "count_closed"]
    if not wijk or len(closed) != 1:
        return None
    prev = _args(closed[0])["jaar"]
    nxt = prev + 1

    def key(c):
        return c.recompute.get("key") or _args(c).get("wijk")

    before = {key(c): c.value for c in wijk if _args(c)["jaar"] == prev}
    after = {key(c): c.value for c in wijk if _args(c)["jaar"] == nxt}
    parts, total = [], 0
    for w, v in before.items():
        drop = max(0, v - after.get(w, 0))
        if drop:
            parts.append(f"{w} {_n(v)} → {_n(after.get(w, 0))} (minstens {_n(drop)} afgesloten)")
            total += drop
    for a in assumptions:
        for w in a.wijken:
            if w in after and w not in before:
                parts.append(f"{w}: trajecten in {prev}, geen in {nxt} (minstens 1 afgesloten)")
                total += 1
    if total <= closed[0].value:
        return None
    text = (
        f"Een traject dat in {nxt} niet meer actief is, moet in {prev} zijn afgesloten. "
        f"Per wijk: {'; '.join(parts)}. Samen minstens {_n(total)} afgesloten trajecten "
        f"in {prev}, maar er werden er {_n(closed[0].value)} afgesloten."
    )
    if assumptions:
        text += (
            " Dit geldt onder de aanname dat de wijken die de rapportage noemt als wijken "
            f"zonder trajecten in {nxt} in {prev} wel trajecten hadden."
        )
    return text


def age_category_claims(items: Sequence[Claim]) -> tuple[list[Claim], Claim] | None:
    """The family-size claims and the one "alle categorieën" claim of an age conflict, or None."""
    sizes = [c for c in items if kind(c) == "family_size_counts"]
    groups = [
        c
        for c in items
        if kind(c) == "age_group_counts" and c.recompute.get("key") == "alle categorieën"
    ]
    if not sizes or len(groups) != 1:
        return None
    return sizes, groups[0]


def _explain_age_categories(items, assumptions) -> str | None:
    found = age_category_claims(items)
    if found is None:
        return None
    sizes, group = found
    share = sum(c.value for c in sizes)
    listed = " + ".join(f"{format_pct(c.value)}" for c in sizes)
    largest = max(int(c.recompute["key"]) for c in sizes)
    return (
        f"Kinderen uit alle leeftijdscategorieën vraagt in één gezin minstens zoveel kinderen "
        f"als er categorieën zijn: meer dan {largest}. Volgens de percentages heeft "
        f"{listed} = {format_pct(share)} van de gezinnen hooguit {largest} kinderen; "
        f"hooguit {format_pct(100 - share)} van de gezinnen heeft er meer. Dat is te weinig "
        f"voor {_n(group.value)} gezinnen met kinderen uit alle categorieën."
    )


def audit_key(data_dir: Path, spec: Spec, seed: int) -> str:
    """Content hash of everything the audit depends on."""
    h = hashlib.sha256()
    for folder in ("claims", "sources", "reference"):
        for f in sorted((data_dir / folder).glob("*")):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    h.update(json.dumps(asdict(spec), default=str, sort_keys=True).encode())
    h.update(str(seed).encode())
    h.update(Path(__file__).with_name("model.py").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:24]


def run_audit(data_dir: Path, seed: int = 20231231, spec: Spec | None = None) -> list[Conflict]:
    """Find the conflicts among the published figures and explain each one."""
    spec = spec or Spec()
    reference = load_reference(data_dir / "reference")
    registry = load_registry(data_dir / "claims", load_documents(data_dir / "sources"))
    return audit_registry(registry, reference, spec, seed)


def audit_registry(registry: Registry, reference, spec: Spec, seed: int) -> list[Conflict]:
    """The audit of one registry (used directly by tests on toy registries)."""
    sets, relaxed = find_conflicts(registry, reference, spec, seed)
    claims = registry.by_id()
    priority = keep_priority(registry)
    out = []
    for n, (ids, dropped) in enumerate(zip(sets, relaxed, strict=True), start=1):
        ordered = tuple(sorted(ids, key=lambda k: -priority[k][2]))
        out.append(Conflict(f"C{n}", ordered, dropped, explain(ordered, claims)))
    return out


def cached_audit(
    data_dir: Path, cache_dir: Path, seed: int = 20231231, log: Callable[[str], None] = print
) -> Path:
    """Run the audit unless a result for the same inputs is cached; return the JSON file."""
    spec = Spec()
    path = cache_dir / f"audit-{audit_key(data_dir, spec, seed)}.json"
    if path.is_file():
        return path
    log("consistentie-audit: conflicterende claims zoeken met CP-SAT (eenmalig per claimset)")
    conflicts = run_audit(data_dir, seed, spec)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(c) for c in conflicts], ensure_ascii=False, indent=1))
    tmp.replace(path)
    return path


def load_audit(path: Path) -> list[Conflict]:
    """Read an audit result written by :func:`cached_audit`."""
    return [
        Conflict(d["id"], tuple(d["claims"]), d["relaxed"], d["explanation"])
        for d in json.loads(Path(path).read_text())
    ]


def conflicts_table(conflicts: list[Conflict], registry: Registry) -> pd.DataFrame:
    """One row per claim per conflict: the machine-readable ``consistency.csv``."""
    claims = registry.by_id()
    assumptions = {a.id: a for a in ASSUMPTIONS}
    rows = []
    for c in conflicts:
        for cid in c.claims:
            claim = claims.get(cid)
            rows.append(
                {
                    "conflict_id": c.id,
                    "claim_id": cid,
                    "kind": "claim" if claim else "aanname",
                    "document": claim.document if claim else "",
                    "quote": claim.quote if claim else assumptions[cid].about,
                    "published": claim.value if claim else "",
                    "relaxed_in_register": cid == c.relaxed,
                    "explanation": c.explanation,
                }
            )
    return pd.DataFrame(rows)


# --- every minimal conflict, every small correction ---------------------------------------------

PROVEN_INFEASIBLE, PROVEN_FEASIBLE, UNDECIDED = (
    "bewezen tegenstrijdig",
    "bewezen haalbaar",
    "onbeslist",
)


def check(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    ids: Sequence[str],
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    time_limit: float = 60.0,
) -> str:
    """Whether the claims ``ids`` can all hold: a verdict, never a time-out taken as one.

    Solved part by part where that is exact (:func:`feasible_by_parts`).
    """
    try:
        ok, _ = feasible_by_parts(
            registry, reference, spec, seed, ids, interpretations, False, time_limit
        )
    except RuntimeError:
        return UNDECIDED
    return PROVEN_FEASIBLE if ok else PROVEN_INFEASIBLE


@dataclass
class Enumeration:
    """The minimal conflicting sets (MUS) and correction sets (MCS) of one contradiction.

    ``proven_size``: proven that every MCS of at most this many figures is listed (the
    number of claims in the universe: of any size). ``complete``: proven that every MUS and
    every MCS is listed and every listed MUS is minimal. Neither is claimed on a time-out.
    """

    conflict: str
    mus: list[tuple[str, ...]]
    mcs: list[tuple[str, ...]]
    complete: bool
    checks: int
    proven_size: int = 0


def run_jobs(
    fn: Callable, jobs: Sequence, workers: int = 1, executor: Executor | None = None
) -> list:
    """``[fn(job) for job in jobs]``, in ``executor`` or ``workers`` processes if given.

    The jobs are independent and each result depends on its job only, so the list is the
    same however many processes compute it, in whatever order they finish.
    """
    if executor is not None:
        return list(executor.map(fn, jobs))
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            return list(pool.map(fn, jobs))
    return [fn(job) for job in jobs]


def enumerate_conflicts(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    relaxed: Sequence[str],
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    max_checks: int = 60,
    workers: int = 1,
    executor: Executor | None = None,
    max_size: int | None = None,
) -> list[Enumeration]:
    """Per relaxed claim ``r``: every MUS and MCS of the kept claims plus ``r`` (MARCO).

    The kept claims (all but ``relaxed``) can all hold, so every conflict among them and
    ``r`` contains ``r``: these are all the ways the contradiction that ``r`` gives way to can
    be shown, and all the smallest sets of figures whose correction removes it (given the
    other contradictions are resolved as the register resolves them). MARCO with maximal
    seeds: the map (a small CP-SAT model over one boolean per claim) proposes the largest
    subset that contains no known MUS and meets every known MCS; if it is infeasible it is
    shrunk to a MUS (deletion, as :func:`find_conflicts`), if feasible it is a maximal
    satisfiable subset (a feasible superset would be a larger subset the map allows) and its
    complement an MCS. The map's subsets leave out first at most one claim, then at most
    two, up to ``max_size`` (``None``: any number): when the map has nothing left at size k,
    every MCS of at most k claims is listed (its complement is a subset the map allows until
    the MCS is found), and ``proven_size`` is k. When it has nothing left at any size, every
    MUS and MCS is listed (``complete``, with every MUS proven minimal). Checks solve the
    model part by part where that is exact (:func:`feasible_by_parts`). The search stops
    after ``max_checks`` checks or at a check without a verdict within the time limit
    (``proven_size`` the last size finished; a set whose shrinking met such a check is
    kept: it conflicts, but may not be minimal). The conflicts are independent: ``workers``
    processes (or ``executor``) enumerate them side by side, with the same result as one.
    """
    ids_all = recomputable(registry, interpretations)
    jobs = [
        (
            registry,
            reference,
            spec,
            seed,
            n,
            r,
            tuple(relaxed),
            tuple(ids_all),
            tuple(interpretations),
            max_checks,
            max_size,
        )
        for n, r in enumerate(relaxed, start=1)
    ]
    return run_jobs(_enumerate_one, jobs, workers, executor)


def _enumerate_one(job: tuple) -> Enumeration:
    registry, reference, spec, seed, n, r, relaxed, ids_all, interpretations = job[:9]
    max_checks, max_size = job[9:]
    universe = [k for k in ids_all if k not in set(relaxed) or k == r]
    args = (registry, reference, spec, seed)
    mus: list[tuple[str, ...]] = []
    # The audit's own way out needs no check: without r the kept claims hold (the register
    # satisfies them), and with r they do not.
    mcs: list[tuple[str, ...]] = [(r,)]
    checks, minimal = 0, True

    def search(size: int | None) -> bool:
        """MARCO with seeds leaving out at most ``size`` claims; True if the map ran dry."""
        nonlocal checks, minimal
        while True:
            seed_set = _map_seed(universe, mus, mcs, seed, size)
            if seed_set is None:
                return True
            if checks >= max_checks:
                return False
            checks += 1
            verdict = _verdict(*args, seed_set, interpretations)
            if verdict is None:  # no verdict within the time limit: stop, incomplete
                return False
            ok, core = verdict
            if ok:
                mcs.append(tuple(k for k in universe if k not in set(seed_set)))
                continue
            for k in list(core):
                if k not in core or len(core) == 1:
                    continue
                trial = [c for c in core if c != k]
                checks += 1
                verdict = _verdict(*args, trial, interpretations)
                if verdict is None:  # k stays: the set conflicts, its minimality is unproven
                    minimal = False
                elif not verdict[0]:
                    core = [c for c in trial if c in set(verdict[1] or trial)]
            mus.append(tuple(core))

    # Size by size: first every correction of one figure (the ones a reader wants first, all
    # found and proven before larger sets are looked for), then of two, up to max_size.
    proven = 0
    for size in range(1, (max_size if max_size is not None else len(universe)) + 1):
        if not search(size):
            break
        proven = size
    if proven == max_size and _map_seed(universe, mus, mcs, seed) is None:
        proven = len(universe)  # nothing left at any size: every MCS is listed
    # Every MUS too: one not listed would itself be a subset the map allows (it contains no
    # other MUS, and meets every MCS, whose complement holds and so cannot contain it).
    complete = minimal and proven == len(universe)
    return Enumeration(f"C{n}", mus, mcs, complete, checks, proven)


def _verdict(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    ids: Sequence[str],
    interpretations: Sequence[Interpretation],
) -> tuple[bool, list[str]] | None:
    """:func:`feasible_by_parts`, or ``None`` where a solve gave no verdict (never a guess)."""
    try:
        return feasible_by_parts(registry, reference, spec, seed, ids, interpretations)
    except RuntimeError:
        return None


def feasible_by_parts(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    ids: Sequence[str],
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    want_core: bool = True,
    time_limit: float = 60.0,
) -> tuple[bool, list[str]]:
    """Whether the claims ``ids`` can all hold, solving the model's parts apart where exact.

    The register model's parts (:data:`evalkit.solver.bounds.PARTS`) meet the core, the flow
    of trajecten, only through :func:`evalkit.solver.bounds._links`. If every solution of the
    core claims among ``ids`` has the same links (:func:`evalkit.solver.bounds.core_solution`,
    kept per process for the same core claims), each part's claims are solved with the core
    fixed to one such solution (the argument of :func:`evalkit.solver.bounds.plan`): they hold
    together exactly when each part holds. A part that does not hold so cannot hold with any
    core solution either (all have its links), so the core claims and that part's claims
    cannot all hold: that smaller model is solved again for a core. Claims of one part only,
    and core claims whose solutions differ in their links, are solved as one model. Every
    answer is the one :func:`_feasible` gives for ``ids`` (the core may differ; without
    ``want_core`` it is ``ids``); a solve without a verdict within ``time_limit``
    deterministic seconds raises :class:`RuntimeError`.
    """
    from evalkit.solver.bounds import (
        CHILDREN,
        CORE,
        PARTS,
        Task,
        _kept_model,
        core_solution,
        part_of,
    )

    claims = registry.by_id()
    part = {k: part_of(kind(claims.get(k))) for k in ids}
    order = [p for p in [*PARTS, CHILDREN] if p != CORE and p in part.values()]
    args = (registry, reference, spec, seed)
    if len(order) <= 1:
        return _feasible(*args, ids, interpretations, want_core, time_limit)
    core_ids = tuple(k for k in ids if part[k] == CORE)
    base = Task(*args[:3], tuple(ids), tuple(interpretations), seed, time_limit, ())
    verdict, solution = core_solution(base)
    if verdict == "infeasible":
        return _feasible(*args, list(core_ids), interpretations, want_core, time_limit)
    if verdict != "vast":
        return _feasible(*args, ids, interpretations, want_core, time_limit)
    for p in order:
        rm = _kept_model(dataclasses.replace(base, part=p, core=solution))
        status = make_solver(seed, time_limit, children=p == CHILDREN).solve(rm.m)
        if status == cp_model.INFEASIBLE:
            sub = [k for k in ids if part[k] in (CORE, p)]
            return _feasible(*args, sub, interpretations, want_core, time_limit)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"solver stopped without a verdict on part {p}")
    return True, []


def _map_seed(
    universe: list[str],
    mus: list[tuple[str, ...]],
    mcs: list[tuple[str, ...]],
    seed: int,
    max_size: int | None = None,
) -> list[str] | None:
    """The largest subset of ``universe`` containing no known MUS and hitting every MCS.

    With ``max_size`` k: leaving out at most k members (``None`` when there is none).
    """
    m = cp_model.CpModel()
    x = {k: m.new_bool_var(k) for k in universe}
    for s in mus:
        m.add_bool_or([x[k].Not() for k in s])
    for s in mcs:
        m.add_bool_or([x[k] for k in s])
    if max_size is not None:
        m.add(sum(x.values()) >= len(universe) - max_size)
    m.maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return None
    if status != cp_model.OPTIMAL:
        raise RuntimeError(f"map solver stopped without a verdict ({solver.status_name(status)})")
    return [k for k in universe if solver.boolean_value(x[k])]


def conflict_sets_table(enumerations: Sequence[Enumeration]) -> pd.DataFrame:
    """Every set: conflict, kind (MUS/MCS), set number, claim, verdict, complete."""
    rows = []
    for e in enumerations:
        for kind_, sets, verdict in (
            ("MUS", e.mus, PROVEN_INFEASIBLE),
            ("MCS", e.mcs, PROVEN_FEASIBLE),
        ):
            for j, s in enumerate(sets, start=1):
                for cid in s:
                    rows.append(
                        {
                            "conflict": e.conflict,
                            "kind": kind_,
                            "set": f"{e.conflict}-{kind_}{j}",
                            "size": len(s),
                            "claim_id": cid,
                            "verdict": verdict,
                            "complete": e.complete,
                        }
                    )
    cols = ["conflict", "kind", "set", "size", "claim_id", "verdict", "complete"]
    return pd.DataFrame(rows, columns=cols)


def relaxed_claims(conflicts: Sequence[Conflict]) -> list[str]:
    """The claims the synthetic register gives up: one per conflict of :func:`cached_audit`."""
    return [c.relaxed for c in conflicts]


#: Interpretations the register model switches. The flat monthly spend is a reading of the
#: budget, not of the register: dropping it cannot change a register conflict (its verdict is
#: computed all the same, and stays); what it does change is in
#: :func:`evalkit.compute.context.phasing_checks`.
MODELLED = frozenset(
    {
        "I-een-traject-per-gezin",
        "I-vrijwel-alle",
        "I-eigen-leeftijdsindeling",
        "I-vlakke-maandbesteding",
        *(a.id for a in ASSUMPTIONS),
    }
)


def interpretation_impact(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    seed: int,
    conflicts: Mapping[str, Sequence[str]],
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    workers: int = 1,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """For each conflict and interpretation, whether the conflict remains without it.

    Columns: conflict, interpretation, verdict (with the interpretation dropped: *bewezen
    tegenstrijdig* means the conflict stays, *bewezen haalbaar* that it disappears;
    *niet gemodelleerd* where the model has no switch for it yet), disappears (bool). The
    checks are independent: ``workers`` processes (or ``executor``) run them side by side.
    """
    pairs = [(cid, i) for cid in conflicts for i in interpretations]
    jobs = [
        (
            registry,
            reference,
            spec,
            seed,
            tuple(k for k in conflicts[cid] if k != i.id),
            tuple(j.switched(False) if j.id == i.id else j for j in interpretations),
        )
        for cid, i in pairs
        if i.id in MODELLED
    ]
    verdicts = iter(run_jobs(_check_job, jobs, workers, executor))
    rows = []
    for cid, i in pairs:
        verdict = next(verdicts) if i.id in MODELLED else "niet gemodelleerd"
        rows.append(
            {
                "conflict": cid,
                "interpretation": i.id,
                "verdict": verdict,
                "disappears": verdict == PROVEN_FEASIBLE,
            }
        )
    return pd.DataFrame(rows, columns=["conflict", "interpretation", "verdict", "disappears"])


def _check_job(job: tuple) -> str:
    return check(*job)


# --- the nearest consistent value ---------------------------------------------------------------

CORRECTION_COLUMNS = [
    "conflict",
    "set",
    "claim_id",
    "published",
    "nearest_consistent",
    "direction",
    "verdict",
    "min",
    "max",
]


def _step(claim: Claim) -> Fraction:
    """The published precision of a figure: one unit of its last decimal."""
    return Fraction(1, 10 ** int(claim.rounding.get("decimals", 0)))


def _candidates(
    published: Fraction, lo: Fraction, hi: Fraction, step: Fraction, tries: int
) -> list[Fraction]:
    """Values at the published precision whose rounding interval meets ``[lo, hi]``, nearest first.

    A figure ``p`` rounded to ``step`` stands for ``[p - step/2, p + step/2)``; the candidates
    are the published value's neighbours on the side where the range lies, starting with the
    first one whose interval meets the range.
    """
    half = step / 2
    if published + half <= lo:  # the range lies above: the smallest p with p + half > lo
        first = (lo + half) // step * step
        first = first if first + half > lo else first + step
        return [first + k * step for k in range(tries) if first + k * step - half <= hi]
    if published - half > hi:  # below: the largest p with p - half <= hi
        first = (hi + half) // step * step
        first = first if first - half <= hi else first - step
        return [first - k * step for k in range(tries) if first - k * step + half > lo]
    return [published + k * step * s for k in range(1, tries + 1) for s in (-1, 1)]


def corrections(
    registry: Registry,
    reference: Reference,
    enumerations: Sequence[Enumeration],
    relaxed: Sequence[str],
    spec: Spec | None = None,
    seed: int = 20231231,
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    time_limit: float = 30.0,
    tries: int = 3,
    workers: int = 1,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """For each claim of each minimal correction set: the nearest value that is consistent.

    For correction set ``S`` of conflict ``C`` (from :func:`enumerate_conflicts`, whose
    universe is the kept claims plus ``C``'s relaxed claim), every claim ``c`` in ``S`` is
    bounded (:func:`evalkit.solver.bounds.bounds`) over the registers that satisfy the
    universe without ``S``; the nearest value at ``c``'s published precision whose rounding
    interval meets that range is checked by solving with ``c`` changed to it (the other
    members of ``S`` stay relaxed): "als dit getal fout is, was het waarschijnlijk 8 in
    plaats van 9". If the check fails (the range has a gap), the next ``tries - 1`` values
    further out are tried. The rows are independent: ``workers`` processes (or ``executor``)
    compute them side by side, with the same table as one.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORRECTION_COLUMNS`: ``published`` and ``nearest_consistent`` as
        numbers (empty for an interpretation, whose correction is to drop it, and where no
        candidate was found), ``direction`` ``hoger``/``lager``, ``verdict`` of the check
        (``bewezen haalbaar``, ``bewezen tegenstrijdig``, ``onbeslist``; for a dropped
        interpretation the verdict of the correction set itself), ``min``/``max`` the exact
        range (fractions as text).

    """
    spec = spec or Spec()
    ids_all = recomputable(registry, interpretations)
    jobs = []
    for e in enumerations:
        r = relaxed[int(e.conflict[1:]) - 1]
        universe = [k for k in ids_all if k not in set(relaxed) or k == r]
        for j, s in enumerate(e.mcs, start=1):
            keep = tuple(k for k in universe if k not in set(s))
            for cid in s:
                row = {"conflict": e.conflict, "set": f"{e.conflict}-MCS{j}", "claim_id": cid}
                common = (registry, reference, spec, seed, tuple(interpretations))
                jobs.append((*common, time_limit, tries, row, keep, cid))
    rows = run_jobs(_correct_one, jobs, workers, executor)
    return pd.DataFrame(rows, columns=CORRECTION_COLUMNS)


def _correct_one(job: tuple) -> dict:
    """One row of :func:`corrections`: the range of one claim of one MCS and its nearest value."""
    from evalkit.solver.bounds import bounds as bound

    registry, reference, spec, seed, interpretations, time_limit, tries, row, keep, cid = job
    ids_all = recomputable(registry, interpretations)
    others = [k for k in ids_all if k not in set(keep)]
    c = registry.by_id().get(cid)
    if c is None or isinstance(c.value, str):
        verdict = check(registry, reference, spec, seed, keep, interpretations)
        return row | {"verdict": verdict}
    q = {k: v for k, v in c.recompute.items() if k not in ("expect", "key")}
    if "key" in c.recompute:
        q["element"] = c.recompute["key"]
    table = bound({cid: q}, registry, reference, spec, others, interpretations, seed, time_limit)
    b = table.iloc[0]
    row = row | {"published": c.value, "min": b["min_exact"], "max": b["max_exact"]}
    if not b["min_exact"]:
        return row | {"verdict": UNDECIDED}
    v = Fraction(str(c.value))
    lo, hi = Fraction(b["min_exact"]), Fraction(b["max_exact"])
    verdict = UNDECIDED
    for p in _candidates(v, lo, hi, _step(c), tries):
        changed = dataclasses.replace(c, value=float(p))
        trial = dataclasses.replace(
            registry, claims=tuple(changed if x.id == cid else x for x in registry.claims)
        )
        verdict = check(trial, reference, spec, seed, [*keep, cid], interpretations, time_limit)
        if verdict == PROVEN_FEASIBLE:
            direction = "hoger" if p > v else "lager"
            return row | {
                "nearest_consistent": float(p),
                "direction": direction,
                "verdict": verdict,
            }
    return row | {"verdict": verdict}


def consistency_table(
    conflicts: Sequence[Conflict], enumerations: Sequence[Enumeration], registry: Registry
) -> pd.DataFrame:
    """``consistency.csv`` with every minimal set: :func:`conflicts_table` plus MUS and MCS rows.

    The rows of :func:`conflicts_table` (``set`` the conflict id, ``set_kind`` ``gevonden``:
    the set the audit found and resolved), then one row per claim of every minimal conflicting
    set (``MUS``, verdict ``bewezen tegenstrijdig``) and minimal correction set (``MCS``,
    verdict ``bewezen haalbaar`` for the claims without it) of :func:`enumerate_conflicts`;
    ``complete`` True only where every MUS and MCS of the conflict is proven listed
    (:class:`Enumeration`; what is proven otherwise, ``proven_size``, is in the sets file).
    """
    base = conflicts_table(list(conflicts), registry)
    base = base.assign(
        set=base["conflict_id"], set_kind="gevonden", verdict=PROVEN_INFEASIBLE, complete=True
    )
    sets = conflict_sets_table(enumerations)
    claims = registry.by_id()
    assumptions = {a.id: a for a in ASSUMPTIONS}
    explanation = {c.id: c.explanation for c in conflicts}
    relaxed = {c.id: c.relaxed for c in conflicts}
    extra = [
        {
            "conflict_id": r.conflict,
            "claim_id": r.claim_id,
            "kind": "claim" if r.claim_id in claims else "aanname",
            "document": claims[r.claim_id].document if r.claim_id in claims else "",
            "quote": claims[r.claim_id].quote
            if r.claim_id in claims
            else assumptions[r.claim_id].about,
            "published": claims[r.claim_id].value if r.claim_id in claims else "",
            "relaxed_in_register": r.claim_id == relaxed.get(r.conflict),
            "explanation": explanation.get(r.conflict, ""),
            "set": r.set,
            "set_kind": r.kind,
            "verdict": r.verdict,
            "complete": r.complete,
        }
        for r in sets.itertuples()
    ]
    return pd.concat([base, pd.DataFrame(extra, columns=base.columns)], ignore_index=True)


def _enumeration_dict(e: Enumeration) -> dict:
    return {
        "conflict": e.conflict,
        "mus": e.mus,
        "mcs": e.mcs,
        "complete": e.complete,
        "checks": e.checks,
        "proven_size": e.proven_size,
    }


def cached_enumeration(
    data_dir: Path,
    cache_dir: Path,
    seed: int = 20231231,
    max_checks: int = 60,
    log: Callable[[str], None] = print,
    workers: int = 1,
    executor: Executor | None = None,
    max_size: int | None = None,
) -> Path:
    """Every MUS and MCS per conflict of :func:`cached_audit` unless cached; the JSON file.

    :func:`enumerate_conflicts` with ``max_checks`` and ``max_size``; ``workers`` processes
    (or ``executor``) enumerate the conflicts side by side (the result does not depend on
    it, so it is not part of the key).
    """
    spec = Spec()
    h = hashlib.sha256(audit_key(data_dir, spec, seed).encode())
    h.update(Path(__file__).with_name("bounds.py").read_bytes())  # feasible_by_parts uses it
    key = f"{h.hexdigest()[:24]}-{max_checks}-{max_size}"
    path = cache_dir / f"sets-{key}.json"
    if path.is_file():
        return path
    relaxed = relaxed_claims(load_audit(cached_audit(data_dir, cache_dir, seed, log)))
    log("consistentie-audit: alle minimale conflict- en correctiesets opsommen (eenmalig)")
    registry = load_registry(data_dir / "claims", load_documents(data_dir / "sources"))
    reference = load_reference(data_dir / "reference")
    found = enumerate_conflicts(
        registry,
        reference,
        spec,
        seed,
        relaxed,
        max_checks=max_checks,
        workers=workers,
        executor=executor,
        max_size=max_size,
    )
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([_enumeration_dict(e) for e in found], indent=1))
    tmp.replace(path)
    return path


def load_enumeration(path: Path) -> list[Enumeration]:
    """Read the sets written by :func:`cached_enumeration`."""
    return [
        Enumeration(
            d["conflict"],
            [tuple(s) for s in d["mus"]],
            [tuple(s) for s in d["mcs"]],
            d["complete"],
            d["checks"],
            d.get("proven_size", 0),
        )
        for d in json.loads(Path(path).read_text())
    ]


def cached_corrections(
    data_dir: Path,
    cache_dir: Path,
    seed: int = 20231231,
    max_checks: int = 60,
    time_limit: float = 30.0,
    log: Callable[[str], None] = print,
    workers: int = 1,
    executor: Executor | None = None,
    max_size: int | None = None,
) -> Path:
    """:func:`corrections` of every MCS of :func:`cached_enumeration` unless cached; the CSV.

    The file is ``corrections-<key>.csv`` in ``cache_dir`` (columns
    :data:`CORRECTION_COLUMNS`); the key covers the claims, sources, reference, the model,
    audit and bounds code, the seed and the limits (not ``workers`` or ``executor``, which
    run the rows side by side with the same result).
    """
    spec = Spec()
    key = f"{audit_key(data_dir, spec, seed)}-{max_checks}-{max_size}-{time_limit!r}"
    h = hashlib.sha256(key.encode())
    h.update(Path(__file__).with_name("bounds.py").read_bytes())
    path = cache_dir / f"corrections-{h.hexdigest()[:24]}.csv"
    if path.is_file():
        return path
    conflicts = load_audit(cached_audit(data_dir, cache_dir, seed, log))
    found = load_enumeration(
        cached_enumeration(data_dir, cache_dir, seed, max_checks, log, workers, executor, max_size)
    )
    log("consistentie-audit: dichtstbijzijnde consistente waarde per correctieset (eenmalig)")
    registry = load_registry(data_dir / "claims", load_documents(data_dir / "sources"))
    reference = load_reference(data_dir / "reference")
    table = corrections(
        registry,
        reference,
        found,
        relaxed_claims(conflicts),
        spec,
        seed,
        time_limit=time_limit,
        workers=workers,
        executor=executor,
    )
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    table.to_csv(tmp, index=False)
    tmp.replace(path)
    return path


def load_corrections(path: Path) -> pd.DataFrame:
    """Read a table written by :func:`cached_corrections`."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""]).astype({"min": str, "max": str})
