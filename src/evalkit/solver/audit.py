"""Consistency audit of the published figures: which claims cannot all hold, and why."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from evalkit.compute.claims import Claim, Registry, load_registry
from evalkit.inputs.numbers import format_number, format_pct
from evalkit.inputs.register import load_reference
from evalkit.inputs.sources import load_documents
from evalkit.solver.reconstruct import ASSUMPTIONS, Spec, _kind, find_conflicts, keep_priority


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


def _first(items, kind, **args):
    for c in items:
        if _kind(c) == kind and all(_args(c).get(k) == v for k, v in args.items()):
            return c
    return None


def _explain_flow(items, assumptions) -> str | None:
    starts = [c for c in items if _kind(c) == "count_started"]
    active = [c for c in items if _kind(c) == "count_active"]
    closed = [c for c in items if _kind(c) == "count_closed"]
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
    base = [c for c in items if _kind(c) == "count_active"]
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
    wijk = [c for c in items if _kind(c) in ("wijk_counts", "count_wijk")]
    closed = [c for c in items if _kind(c) == "count_closed"]
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


def _explain_age_categories(items, assumptions) -> str | None:
    sizes = [c for c in items if _kind(c) == "family_size_counts"]
    groups = [
        c
        for c in items
        if _kind(c) == "age_group_counts" and c.recompute.get("key") == "alle categorieën"
    ]
    if not sizes or len(groups) != 1:
        return None
    share = sum(c.value for c in sizes)
    listed = " + ".join(f"{format_pct(c.value)}" for c in sizes)
    largest = max(int(c.recompute["key"]) for c in sizes)
    return (
        f"Kinderen uit alle leeftijdscategorieën vraagt in één gezin minstens zoveel kinderen "
        f"als er categorieën zijn: meer dan {largest}. Volgens de percentages heeft "
        f"{listed} = {format_pct(share)} van de gezinnen hooguit {largest} kinderen; "
        f"hooguit {format_pct(100 - share)} van de gezinnen heeft er meer. Dat is te weinig "
        f"voor {_n(groups[0].value)} gezinnen met kinderen uit alle categorieën."
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
    h.update(Path(__file__).with_name("reconstruct.py").read_bytes())
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
