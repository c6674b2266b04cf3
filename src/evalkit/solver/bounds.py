"""What the letters establish: the range of any figure over every register that satisfies them.

A *quantity* is named like a claim's ``recompute`` block: a metric or distribution of
:mod:`evalkit.compute.claims` with its ``args``, for a distribution its ``element`` (or
``key``), and optionally ``as: percent``. For each quantity, one minimise and one maximise
solve of the register model (:mod:`evalkit.solver.model`) with every kept claim as a hard
constraint give its exact range; means and shares are ratios, bounded exactly by Dinkelbach's
method (a few solves of ``q * numerator - p * denominator``), so every bound is a fraction.
A figure that a kept claim publishes is not solved: its range is the claim's rounding
interval (``gepubliceerd``). A time-out is never a bound: the row says ``onbeslist``.

Speed: the model's parts (wijken, hoofdvraag, gezinssamenstelling, hours, children) hang on the
flow of trajecten only through a few counts (:func:`_links`); where the kept claims fix those,
each part is solved alone with the flow fixed to one solution, which is exact (:func:`plan`).
Every solution is a witness that spares solves (:class:`_Bounder`). Cold, the 175 chapter
quantities took 54 CPU seconds (was about 580), 100 s wall with 2 processes on the loaded
2-core machine. The build runs the tasks in the process pool it shares with the consistency
stage (:func:`evalkit.pipeline.build.book_analysis`); :func:`core_solution` is kept per process,
so the corrections and the enumeration's checks reuse it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from fractions import Fraction
from pathlib import Path

import pandas as pd
from ortools.sat.python import cp_model

from evalkit.compute.claims import DISTRIBUTIONS, METRICS, Claim, Registry, load_registry
from evalkit.inputs.register import Reference, Register, load_reference
from evalkit.inputs.sources import load_documents
from evalkit.solver.model import (
    DAYS_PER_MONTH,
    INTERPRETATIONS,
    Interpretation,
    RegisterModel,
    Spec,
    build_model,
    kind,
    make_solver,
    recomputable,
)

COLUMNS = [
    "key",
    "min",
    "max",
    "min_exact",
    "max_exact",
    "exact",
    "status",
    "solve_status",
    "min_at_model_limit",
    "max_at_model_limit",
    "claims",
]

PROVEN, UNDECIDED, PUBLISHED, UNSUPPORTED = "bewezen", "onbeslist", "gepubliceerd", "niet in model"


@dataclass
class Ratio:
    """A quantity as ``scale * numerator / denominator`` (denominator ``None``: 1)."""

    num: object
    den: object | None
    scale: Fraction
    limits: tuple[Fraction | None, Fraction | None]  # the model's own limits (None: natural)


def _name(q: Mapping) -> str:
    return str(q.get("metric") or q.get("distribution"))


def _element(q: Mapping):
    return q.get("element", q.get("key"))


def quantity(rm: RegisterModel, q: Mapping) -> Ratio | None:
    """The register model's expression for quantity ``q`` (``None``: not in the model)."""
    spec, n = rm.spec, rm.spec.slots
    args = dict(q.get("args") or {})
    jaar = args.get("jaar")
    if jaar is not None and jaar not in spec.years:
        return None
    slots = range(n)
    one = Fraction(1)
    name, key = _name(q), _element(q)
    count: object | None = None
    if name == "count_active":
        count = rm.n_active(jaar)
    elif name == "count_started":
        count = sum(rm.started[(jaar, args.get("half"))])
    elif name == "count_closed":
        count = sum(rm.closed[jaar])
    elif name == "count_carried_over":
        both = [
            t
            for t, ((sy, _), ey) in enumerate(rm.types)
            if sy <= jaar - 1 and (ey is None or ey >= jaar)
        ]
        count = sum(rm.typ[i][t] for i in slots for t in both)
    elif name == "count_wijken":
        count = sum(_wijk_used(rm, jaar, w) for w in range(len(rm.wijken)))
    elif name in ("count_wijk", "wijk_counts"):
        w = rm.wijken.index(args.get("wijk", key))
        count = rm.wijk_count(jaar, w)
    elif name in ("hoofdvraag_counts", "gezinssamenstelling_counts"):
        codes, bits = (
            (rm.hv_codes, rm.hv) if name == "hoofdvraag_counts" else (rm.sam_codes, rm.sam)
        )
        k = codes.index(str(key))
        count = sum(bits[jaar][i][k] for i in slots)
    elif name == "family_size_counts":
        count = rm.families(jaar, lambda ages: int(len(ages) == int(key)))
    elif name == "family_age_category_oldest":
        count = rm.families(jaar, lambda ages: int(ages[0] == str(key)))
    elif name == "count_children_in_category":
        cat = str(args["categorie"])
        count = rm.families(jaar, lambda ages: ages.count(cat))
    elif name == "age_group_counts":
        text = rm.text_scheme(jaar, name, key)
        count = rm.families(
            jaar, lambda ages: int(rm.age_label(jaar, ages, text) == str(key)), text=text
        )
    elif name == "count_multiple_age_categories":
        count = rm.families(
            jaar, lambda ages: int(len(set(ages)) > 1), text=rm.text_scheme(jaar, name)
        )
    elif name == "share_all_children_below":
        below = rm.categories_below(jaar, args["age"])
        young = rm.families(jaar, lambda ages: int(ages[0] in below))
        return Ratio(young, rm.n_active(jaar), one, (None, None))
    elif name == "mean_hours":
        lo, hi = Fraction(spec.min_hours_tenths, 10), Fraction(spec.max_hours_tenths, 10)
        return Ratio(sum(rm.hours[jaar]), rm.n_active(jaar), Fraction(1, 10), (lo, hi))
    elif name == "mean_caseload":
        days = sum(rm.active_days(jaar, i) for i in slots)
        n_days = (dt.date(jaar, 12, 31) - dt.date(jaar, 1, 1)).days + 1
        return Ratio(days, None, Fraction(1, n_days), (None, Fraction(n)))
    elif name == "mean_duration_closed":
        total = sum(rm.closed_duration(jaar, i) for i in slots)
        longest = spec.day(dt.date(jaar, 12, 31))  # closed by the end of the year
        limits = (spec.min_duration_days / DAYS_PER_MONTH, longest / DAYS_PER_MONTH)
        return Ratio(total, sum(rm.closed[jaar]), 1 / DAYS_PER_MONTH, limits)
    else:
        return None
    if q.get("as") == "percent":
        return Ratio(count, rm.n_active(jaar), Fraction(100), (None, None))
    return Ratio(count, None, one, (None, Fraction(n)))


def _wijk_used(rm: RegisterModel, jaar: int, w: int):
    key = ("wijk_used", jaar, w)
    if key not in rm._cache:
        u = rm.m.new_bool_var("")
        rm.m.add(rm.wijk_count(jaar, w) >= 1).only_enforce_if(u)
        rm.m.add(rm.wijk_count(jaar, w) == 0).only_enforce_if(u.Not())
        rm._cache[key] = u
    return rm._cache[key]


def same_quantity(claim: Claim, q: Mapping) -> bool:
    """Whether ``claim`` publishes quantity ``q`` (same metric, arguments, element, unit)."""
    r = claim.recompute
    if "sourced" in r or _name(r) != _name(q):
        return False
    if dict(r.get("args") or {}) != dict(q.get("args") or {}):
        return False
    if str(r.get("key")) != str(_element(q)) or r.get("as") != q.get("as"):
        return False
    return "expect" not in r  # a threshold ("vrijwel alle") does not publish the share


def published_interval(claim: Claim, reference: Reference) -> tuple[Fraction, Fraction, bool]:
    """The values a published figure stands for: (low, high, exact).

    A count stands for itself (exact). A rounded figure stands for its rounding interval:
    half up, ``[v - h, v + h)`` with ``h`` half a unit of the last decimal; a percentage
    rounded by largest remainder lies strictly between ``v - 1`` and ``v + 1``. The interval
    is then a bound at the published precision, not an exact one (``exact`` False).
    """
    v = Fraction(str(claim.value))
    args = dict(claim.recompute.get("args") or {})
    if claim.recompute.get("as") == "percent":
        method = reference.report_definition(args.get("jaar"))["afronding"]
        h = Fraction(1, 2) if method == "half_omhoog" else Fraction(1)
        return v - h, v + h, False
    if "decimals" in claim.rounding:
        h = Fraction(1, 2 * 10 ** int(claim.rounding["decimals"]))
        return v - h, v + h, False
    return v, v, True


# --- solving ------------------------------------------------------------------------------------

#: The parts of the register model, by the claim kinds and quantities that live in them. The
#: flow of trajecten (flow types, start and end days) is the core; every other part is tied to
#: it only through :func:`_links`: how many trajecten have each activity pattern (the years
#: they are active in) and the number of active families per year. Slots are interchangeable,
#: and the wijken are counted per flow type, so a part can be satisfied for one core solution
#: exactly when it can for any other with the same links.
CORE, CHILDREN, WHOLE = "kern", "kinderen", "alles"
PARTS: dict[str, frozenset[str]] = {
    CORE: frozenset(
        {
            "count_active",
            "count_started",
            "count_closed",
            "count_carried_over",
            "first_start_month",
            "mean_caseload",
            "mean_duration_closed",
        }
    ),
    "wijken": frozenset({"count_wijk", "wijk_counts", "count_wijken", "assumption"}),
    "hoofdvraag": frozenset({"hoofdvraag_counts"}),
    "gezinssamenstelling": frozenset({"gezinssamenstelling_counts"}),
    "uren": frozenset({"mean_hours"}),
}

#: Tasks per part with many quantities: a fixed number, so that the work (and so the result,
#: time-outs included) does not depend on the number of processes.
CHUNKS = {CORE: 2, CHILDREN: 4, WHOLE: 4}


def part_of(name: str) -> str:
    """The part of the register model a claim kind or quantity name lives in."""
    return next((p for p, kinds in PARTS.items() if name in kinds), CHILDREN)


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to bound some quantities (picklable).

    ``part`` is :data:`WHOLE` (every kept claim) or a part of :data:`PARTS` or
    :data:`CHILDREN` (the kept claims of the core and that part); ``core`` fixes the core to
    one solution (per slot: flow type index, start day, end day).
    """

    registry: Registry
    reference: Reference
    spec: Spec
    keep: tuple[str, ...]
    interpretations: tuple[Interpretation, ...]
    seed: int
    time_limit: float
    quantities: tuple[tuple[str, Mapping], ...]
    part: str = WHOLE
    core: tuple[tuple[int, int, int], ...] = ()


def _kept_model(task: Task) -> RegisterModel:
    keep = set(task.keep)
    if task.part != WHOLE:
        claims = task.registry.by_id()
        keep = {k for k in keep if part_of(kind(claims.get(k))) in (CORE, task.part)}
    built = build_model(task.registry, task.reference, task.spec, task.interpretations, only=keep)
    if task.part in (WHOLE, CHILDREN):
        built.rm.ensure_children()
    for lit in built.literals.values():
        built.rm.m.add(lit == 1)
    rm = built.rm
    for i, (t, start, end) in enumerate(task.core):
        rm.m.add(rm.typ[i][t] == 1)
        rm.m.add(rm.start[i] == start)
        rm.m.add(rm.end[i] == end)
    return rm


def _links(rm: RegisterModel) -> list:
    """What the parts see of the core: trajecten per activity pattern, families per year."""
    slots = range(rm.spec.slots)
    per_pattern = [sum(rm.typ[i][t] for i in slots for t in ts) for ts in rm.patterns.values()]
    return per_pattern + [rm.n_active(jaar) for jaar in rm.spec.years]


def _core_solution(task: Task) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """One solution of the core claims, if every such solution has the same :func:`_links`.

    Two solves: one solution, and a proof that no solution differs from it in any link.
    Returns the verdict (``vast``: the parts are independent given the core; ``infeasible``;
    otherwise the parts must be solved together) and the core solution if ``vast``.
    """
    rm = _kept_model(replace(task, part=CORE))
    links = _links(rm)
    solver = make_solver(task.seed, task.time_limit, children=False)
    status = solver.solve(rm.m)
    if status == cp_model.INFEASIBLE:
        return "infeasible", ()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return UNDECIDED, ()
    values = [solver.value(x) for x in links]
    core = tuple(
        (
            next(t for t, b in enumerate(rm.typ[i]) if solver.boolean_value(b)),
            solver.value(rm.start[i]),
            solver.value(rm.end[i]),
        )
        for i in range(rm.spec.slots)
    )
    m = rm.m.clone()
    differs = []
    for x, v in zip(links, values, strict=True):
        d = m.new_bool_var("")
        m.add(x != v).only_enforce_if(d)
        differs.append(d)
    m.add_bool_or(differs)
    status = make_solver(task.seed, task.time_limit, children=False).solve(m)
    return ("vast", core) if status == cp_model.INFEASIBLE else ("los", ())


#: Per process: :func:`_core_solution` per set of core claims (in full: a corrected value is
#: another claim), readings, shape, seed and limit; a pure function of these (the reference
#: does not enter the core's constraints). The corrections and the enumeration's checks
#: ask it many times for the same core claims.
_CORE_SOLUTIONS: dict[tuple, tuple[str, tuple[tuple[int, int, int], ...]]] = {}


def core_solution(task: Task) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """:func:`_core_solution` of ``task``, kept per process for the same core claims."""
    claims = task.registry.by_id()
    core = [k for k in task.keep if part_of(kind(claims.get(k))) == CORE]
    key = (tuple(repr(claims.get(k, k)) for k in core), task.interpretations, task.spec)
    key += (task.seed, task.time_limit)
    if key not in _CORE_SOLUTIONS:
        _CORE_SOLUTIONS[key] = _core_solution(replace(task, keep=tuple(core)))
    return _CORE_SOLUTIONS[key]


class _Bounder:
    """Optimises quantities over one model, keeping every solution's values as witnesses.

    Every solution found (by any solve) is a register that satisfies the kept claims, so its
    value of each watched quantity is achievable. A linear quantity (a sum of non-negative
    terms) seen at 0 has minimum 0 without a solve; one seen at a single value only is first
    tested with one solve (can it take any other value?), which proves it fixed.
    """

    def __init__(self, task: Task):
        self.task = task
        self.rm = _kept_model(task)
        self.solves = 0
        self.known: dict[tuple[str, bool], tuple[str, Fraction | None]] = {}
        self.watch: dict[str, object] = {}
        self.seen: dict[str, set[int]] = {}

    def watch_values(self, expr) -> None:
        """Record the values of ``expr`` (a sum of non-negative terms) in every solution."""
        self.watch.setdefault(str(expr), expr)
        self.seen.setdefault(str(expr), set())

    def _harvest(self, solver: cp_model.CpSolver) -> None:
        for text, expr in self.watch.items():
            self.seen[text].add(int(solver.value(expr)))

    def _solve(self, objective, maximise: bool, extra=()) -> tuple[str, cp_model.CpSolver]:
        m = self.rm.m.clone()
        for c in extra:
            m.add(c(m))
        if objective is not None:
            (m.maximize if maximise else m.minimize)(objective)
        # The full LP relaxation: without it some sums of days over slots take minutes (measured).
        solver = make_solver(self.task.seed, self.task.time_limit, children=True)
        status = solver.solve(m)
        self.solves += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._harvest(solver)
        if status == cp_model.OPTIMAL or (objective is None and status == cp_model.FEASIBLE):
            return PROVEN, solver
        if status == cp_model.INFEASIBLE:
            return "infeasible", solver
        return UNDECIDED, solver

    def feasible(self) -> str:
        """Whether the kept claims can all hold in this model (its first witness)."""
        return self._solve(None, False)[0]

    def linear(self, expr, maximise: bool) -> tuple[str, Fraction | None]:
        """Extreme of a linear expression (cached; witnesses spare solves, see the class)."""
        text = str(expr)
        seen = self.seen.get(text, set())
        if not maximise and 0 in seen:
            return PROVEN, Fraction(0)
        if (text, maximise) not in self.known and len(seen) == 1:
            (w,) = seen
            status, _ = self._solve(None, False, extra=[lambda m: expr != w])
            if status == "infeasible":
                self.known[(text, False)] = self.known[(text, True)] = (PROVEN, Fraction(w))
        if (text, maximise) not in self.known:
            status, solver = self._solve(expr, maximise)
            value = Fraction(round(solver.objective_value)) if status == PROVEN else None
            self.known[(text, maximise)] = (status, value)
        return self.known[(text, maximise)]

    def ratio(self, num, den, maximise: bool) -> tuple[str, Fraction | None]:
        """Extreme of ``num / den`` over registers with ``den >= 1`` (Dinkelbach)."""
        sign = 1 if maximise else -1
        status, solver = self._solve(den, False, extra=[lambda m: den >= 1])
        if status != PROVEN:
            return status, None
        r = Fraction(solver.value(num), solver.value(den))
        for _ in range(50):
            p, q = r.numerator, r.denominator
            status, solver = self._solve(
                sign * (q * num - p * den), True, extra=[lambda m: den >= 1]
            )
            if status != PROVEN:
                return status, None
            if round(solver.objective_value) <= 0:
                return PROVEN, r
            r = Fraction(solver.value(num), solver.value(den))
        return UNDECIDED, None


def _bound_one(b: _Bounder, key: str, q: Mapping) -> dict:
    ratio = quantity(b.rm, q)
    if ratio is None:
        return {"key": key, "solve_status": UNSUPPORTED}
    sides = {}
    statuses = []
    for maximise in (False, True):
        if ratio.den is None:
            status, v = b.linear(ratio.num, maximise)
        else:
            fixed_den = _fixed(b, ratio.den)
            if fixed_den is not None:
                status, v = b.linear(ratio.num, maximise)
                v = None if v is None else v / fixed_den
            else:
                status, v = b.ratio(ratio.num, ratio.den, maximise)
        statuses.append(status)
        sides[maximise] = None if v is None else v * ratio.scale
    lo, hi = sides[False], sides[True]
    solved = (
        PROVEN if all(s == PROVEN for s in statuses) else next(s for s in statuses if s != PROVEN)
    )
    return {
        "key": key,
        "lo": lo,
        "hi": hi,
        "solve_status": solved,
        "exact": True,
        "limits": ratio.limits,
    }


def _fixed(b: _Bounder, expr) -> Fraction | None:
    """The value of ``expr`` if every register gives it the same one (cached per expression)."""
    key = ("fixed", str(expr))
    cache = b.rm._cache
    if key not in cache:
        lo = b.linear(expr, False)
        hi = b.linear(expr, True)
        ok = lo[0] == hi[0] == PROVEN and lo[1] == hi[1] and lo[1] and lo[1] > 0
        cache[key] = lo[1] if ok else None
    return cache[key]


def _work(task: Task) -> list[dict]:
    b = _Bounder(task)
    for _, q in task.quantities:
        ratio = quantity(b.rm, q)
        if ratio is not None:
            b.watch_values(ratio.num)
            if ratio.den is not None:
                b.watch_values(ratio.den)
    verdict = b.feasible()
    if verdict != PROVEN:  # the kept claims cannot all hold (or no verdict): no bounds
        return [{"key": key, "solve_status": verdict} for key, _ in task.quantities]
    return [_bound_one(b, key, q) for key, q in task.quantities]


def plan(
    todo: Sequence[tuple[str, Mapping]],
    registry: Registry,
    reference: Reference,
    spec: Spec,
    keep: Sequence[str],
    interpretations: Sequence[Interpretation],
    seed: int,
    time_limit: float,
    decompose: bool = True,
) -> list[Task]:
    """The tasks that bound the quantities ``todo``: one per part of the model, if possible.

    If every solution of the core claims has the same :func:`_links`, each part is
    independent of the others: a quantity's range over the core and its own part, with the
    core fixed to one solution (:func:`_core_solution`), is its range over the whole model
    (exact, not a relaxation). Otherwise every task holds the whole model. The tasks do not
    depend on the number of processes that run them. ``decompose`` False: always the whole
    model (slower; for checking the decomposition).
    """
    base = Task(
        registry, reference, spec, tuple(keep), tuple(interpretations), seed, time_limit, ()
    )
    verdict, core = core_solution(base) if decompose else ("los", ())
    groups: dict[str, list[tuple[str, Mapping]]] = {}
    for key, q in todo:
        part = part_of(_name(q)) if verdict == "vast" else WHOLE
        groups.setdefault(part, []).append((key, q))
    tasks = []
    for part, items in groups.items():
        n = CHUNKS.get(part, 1)
        for i in range(n):
            chunk = tuple(items[i::n])
            if chunk:
                fixed = core if part not in (CORE, WHOLE) else ()
                tasks.append(replace(base, quantities=chunk, part=part, core=fixed))
    return tasks


def _status(lo, hi, limits) -> tuple[str, bool, bool]:
    lo_cap, hi_cap = limits
    at_lo = lo_cap is not None and lo <= lo_cap
    at_hi = hi_cap is not None and hi >= hi_cap
    if lo == hi:
        return "vastgelegd", at_lo, at_hi
    if at_hi and (at_lo or (lo_cap is None and lo == 0)):
        return "vrij", at_lo, at_hi
    return "begrensd", at_lo, at_hi


def bounds(
    quantities: Mapping[str, Mapping],
    registry: Registry,
    reference: Reference,
    spec: Spec | None = None,
    relaxed: Sequence[str] = (),
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    seed: int = 20231231,
    time_limit: float = 30.0,
    workers: int = 1,
    decompose: bool = True,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """The range of each quantity over every register that satisfies the kept claims.

    Parameters
    ----------
    quantities : mapping of str to mapping
        Key -> quantity spec, e.g. ``{"metric": "mean_duration_closed", "args": {"jaar":
        2022}}`` or ``{"distribution": "wijk_counts", "args": {"jaar": 2022}, "element":
        "Beijum"}``; ``"as": "percent"`` bounds the exact percentage of the active families.
    registry, reference
        The claims and the vocabularies.
    spec : Spec, optional
        Shape of the register model.
    relaxed : sequence of str
        Claims (and assumptions) that are not kept: those the audit relaxes.
    interpretations : sequence of Interpretation
        The model's readings (as for the audit).
    seed, time_limit : int, float
        Solver seed and deterministic seconds per solve; a solve that hits the limit leaves
        its bound undecided (``solve_status`` ``onbeslist``, ``min``/``max`` empty).
    workers : int
        Processes (at most 2 make sense on this machine; results do not depend on it).
    decompose : bool
        Solve each part of the model on its own where that is exact (see :func:`plan`);
        False solves every quantity over the whole model (the same result, slower).
    executor : concurrent.futures.Executor, optional
        Runs the tasks instead of ``workers`` new processes (a pool the caller shares with
        other work; the result is the same).

    Returns
    -------
    pandas.DataFrame
        One row per quantity, columns :data:`COLUMNS`: ``min``/``max`` as floats and
        ``min_exact``/``max_exact`` as fractions (``"339/96"``); ``exact`` False where the
        range is a published figure's rounding interval; ``status`` one of ``gepubliceerd``,
        ``vastgelegd`` (min = max), ``begrensd``, ``vrij`` (both ends are only the model's
        own limits, e.g. at most 32 trajecten); ``claims`` the kept claims that publish it.

    """
    spec = spec or Spec()
    keep = tuple(k for k in recomputable(registry, interpretations) if k not in set(relaxed))
    kept = {c.id: c for c in registry.claims if c.id in set(keep)}
    rows: dict[str, dict] = {}
    todo: list[tuple[str, Mapping]] = []
    for key, q in quantities.items():
        own = [c for c in kept.values() if same_quantity(c, q)]
        if own:
            lo, hi, exact = published_interval(own[0], reference)
            rows[key] = {
                "key": key,
                "lo": lo,
                "hi": hi,
                "exact": exact,
                "status": "gepubliceerd",
                "solve_status": PUBLISHED,
                "claims": ",".join(c.id for c in own),
            }
        else:
            todo.append((key, q))
    tasks = plan(
        todo, registry, reference, spec, keep, interpretations, seed, time_limit, decompose
    )
    if executor is not None or (workers > 1 and len(tasks) > 1):
        # Largest first, so that the processes finish at about the same time: the core's
        # ratios (28 CPU s of the 63, measured), then the children's chunks (6 to 8 s each).
        order = sorted(
            range(len(tasks)), key=lambda i: (tasks[i].part != CORE, tasks[i].part != CHILDREN)
        )
        todo_tasks = [tasks[i] for i in order]
        if executor is not None:
            done = dict(zip(order, executor.map(_work, todo_tasks), strict=True))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                done = dict(zip(order, pool.map(_work, todo_tasks), strict=True))
        results = [r for i in range(len(tasks)) for r in done[i]]
    else:
        results = [r for t in tasks for r in _work(t)]
    if any(r["solve_status"] == "infeasible" for r in results):
        # One part cannot hold with the core: neither can the whole model; no figure has a range.
        results = [{"key": r["key"], "solve_status": "infeasible"} for r in results]
    for r in results:
        if r["solve_status"] == PROVEN:
            status, at_lo, at_hi = _status(r["lo"], r["hi"], r["limits"])
            r |= {"status": status, "min_at_model_limit": at_lo, "max_at_model_limit": at_hi}
        rows[r["key"]] = r
    out = []
    for key in quantities:
        r = rows[key]
        lo, hi = r.get("lo"), r.get("hi")
        out.append(
            {
                "key": key,
                "min": float(lo) if lo is not None else math.nan,
                "max": float(hi) if hi is not None else math.nan,
                "min_exact": str(lo) if lo is not None else "",
                "max_exact": str(hi) if hi is not None else "",
                "exact": bool(r.get("exact", False)),
                "status": r.get("status", ""),
                "solve_status": r["solve_status"],
                "min_at_model_limit": bool(r.get("min_at_model_limit", False)),
                "max_at_model_limit": bool(r.get("max_at_model_limit", False)),
                "claims": r.get("claims", ""),
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


# --- what the year chapters show ----------------------------------------------------------------

YEAR_METRICS = (
    "count_active",
    "count_started",
    "count_closed",
    "count_carried_over",
    "count_wijken",
    "mean_hours",
    "mean_caseload",
    "mean_duration_closed",
    "count_multiple_age_categories",
)


def quantity_key(q: Mapping) -> str:
    """A readable key of a quantity: ``count_started(jaar=2023, half=1)[element] %``."""
    args = ", ".join(f"{k}={v}" for k, v in (q.get("args") or {}).items())
    text = f"{_name(q)}({args})"
    if _element(q) is not None:
        text += f"[{_element(q)}]"
    return text + (" %" if q.get("as") == "percent" else "")


def chapter_quantities(registry: Registry, reference: Reference) -> dict[str, dict]:
    """Every metric and distribution element the year chapters show, for each claimed year.

    Per year of the claims: the counts of active, started (and per half year), closed and
    carried-over trajecten, the number of wijken and the means; every wijk, hoofdvraag,
    gezinssamenstelling, family size (1 to 6), age category of the oldest child, number of
    children per category and age group, as counts and, where a year's report gives
    percentages, also as percentages.
    Then each recomputed claim's own quantity, so that the appendix can say what the letters
    establish about every recomputed value: a claim on a quantity named otherwise
    (``count_wijk``), a threshold claim's share, a percentage of a metric. A claim that
    publishes no number (a date) is left out; its value is no quantity of the model.
    """
    years = sorted(
        {
            int(c.recompute["args"]["jaar"])
            for c in registry.claims
            if not c.sourced and "jaar" in (c.recompute.get("args") or {})
        }
    )
    percent_years = {
        int(c.recompute["args"]["jaar"])
        for c in registry.claims
        if c.recompute.get("as") == "percent"
    }
    out: dict[str, dict] = {}

    def add(q: dict, percent: bool = False) -> None:
        out[quantity_key(q)] = q
        if percent:
            out[quantity_key(q | {"as": "percent"})] = q | {"as": "percent"}

    for jaar in years:
        schema = str(reference.report_definition(jaar)["leeftijdsschema"])
        cats = list(reference.age_categories(schema)["code"])
        pct = jaar in percent_years
        for name in YEAR_METRICS:
            add({"metric": name, "args": {"jaar": jaar}})
        for half in (1, 2):
            add({"metric": "count_started", "args": {"jaar": jaar, "half": half}})
        for cat in cats:
            add({"metric": "count_children_in_category", "args": {"jaar": jaar, "categorie": cat}})
        elements: dict[str, list] = {
            "wijk_counts": list(reference.wijken),
            "hoofdvraag_counts": list(reference.hoofdvraag["code"]),
            "gezinssamenstelling_counts": list(reference.gezinssamenstelling["code"]),
            "family_size_counts": list(range(1, 7)),
            "family_age_category_oldest": cats,
            "age_group_counts": [f"alleen {c}" for c in cats] + _group_labels(),
        }
        for dist, keys in elements.items():
            for k in keys:
                add(
                    {"distribution": dist, "args": {"jaar": jaar}, "element": k},
                    pct and dist != "wijk_counts",
                )
    for claim in registry.claims:
        q = claim_quantity(claim)
        if q is not None:
            out.setdefault(quantity_key(q), q)
    return out


def claim_quantity(claim: Claim) -> dict | None:
    """The quantity a recomputed claim is about (``None``: sourced, or no number).

    The claim's ``recompute`` block without what only the comparison needs (a threshold
    ``expect``, a percentage's ``base``: the bounds take the year's active families, so a
    percentage of anything else is ``None`` too).
    """
    r = claim.recompute
    if claim.sourced or not isinstance(claim.value, int | float) or isinstance(claim.value, bool):
        return None
    base, jaar = r.get("base") or {}, (r.get("args") or {}).get("jaar")
    if base and (base.get("metric") != "count_active" or base.get("args") != {"jaar": jaar}):
        return None
    q: dict = {"metric": r["metric"]} if "metric" in r else {"distribution": r["distribution"]}
    q["args"] = dict(r.get("args") or {})
    if "key" in r:
        q["element"] = r["key"]
    if r.get("as") == "percent":
        q["as"] = "percent"
    return q


def _group_labels() -> list[str]:
    from evalkit.compute.metrics import AGE_GROUP_LABELS

    return list(AGE_GROUP_LABELS.values())


def register_value(q: Mapping, register: Register, reference: Reference) -> float:
    """The quantity ``q`` computed from a register (the exact percentage for ``as: percent``)."""
    args = dict(q.get("args") or {})
    if "distribution" in q:
        dist = DISTRIBUTIONS[q["distribution"]](register, reference, **args)
        key = _element(q)
        matches = [k for k in dist.index if str(k) == str(key)]
        value = float(dist[matches[0]]) if matches else 0.0
    else:
        value = float(METRICS[q["metric"]](register, reference, **args))
    if q.get("as") == "percent":
        n = METRICS["count_active"](register, reference, jaar=args["jaar"])
        return 100 * value / n if n else math.nan
    return value


# --- cache --------------------------------------------------------------------------------------


def bounds_key(
    data_dir: Path,
    quantities: Mapping[str, Mapping],
    relaxed: Sequence[str],
    interpretations: Sequence[Interpretation],
    spec: Spec,
    seed: int,
    time_limit: float = 30.0,
) -> str:
    """Content hash of everything the bounds depend on (not the number of processes)."""
    h = hashlib.sha256()
    for folder in ("claims", "sources", "reference"):
        for f in sorted((data_dir / folder).glob("*")):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    for module in ("model.py", "bounds.py"):
        h.update(Path(__file__).with_name(module).read_bytes())
    h.update(json.dumps(quantities, sort_keys=True, default=str).encode())
    h.update(json.dumps(sorted(relaxed)).encode())
    h.update(json.dumps([asdict(i) for i in interpretations], sort_keys=True).encode())
    h.update(json.dumps(asdict(spec), default=str, sort_keys=True).encode())
    h.update(f"{seed}:{time_limit!r}".encode())
    return h.hexdigest()[:24]


def cached_bounds(
    data_dir: Path,
    cache_dir: Path,
    relaxed: Sequence[str],
    quantities: Mapping[str, Mapping] | None = None,
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    seed: int = 20231231,
    workers: int = 1,
    log: Callable[[str], None] = print,
    time_limit: float = 30.0,
    executor: Executor | None = None,
) -> Path:
    """Bound the quantities (default: :func:`chapter_quantities`) unless cached; the CSV path.

    ``relaxed`` are the claims the audit relaxes (see
    :func:`evalkit.solver.audit.relaxed_claims`); ``workers`` processes or ``executor`` run
    the tasks (the table does not depend on them).
    """
    spec = Spec()
    registry = load_registry(data_dir / "claims", load_documents(data_dir / "sources"))
    reference = load_reference(data_dir / "reference")
    if quantities is None:
        quantities = chapter_quantities(registry, reference)
    key = bounds_key(data_dir, quantities, relaxed, interpretations, spec, seed, time_limit)
    path = cache_dir / f"bounds-{key}.csv"
    if path.is_file():
        return path
    log(f"bereik per getal: {len(quantities)} grootheden begrenzen met CP-SAT (eenmalig)")
    table = bounds(
        quantities,
        registry,
        reference,
        spec,
        relaxed,
        interpretations,
        seed,
        time_limit,
        workers,
        executor=executor,
    )
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    table.to_csv(tmp, index=False)
    tmp.replace(path)
    return path


def load_bounds(path: Path) -> pd.DataFrame:
    """Read a bounds table written by :func:`cached_bounds`."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""]).astype(
        {"min_exact": str, "max_exact": str}
    )
