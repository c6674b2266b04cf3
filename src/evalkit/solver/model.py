"""The CP-SAT register model: a register's shape, its variables, and claims as constraints.

Every recomputable claim of the registry becomes a constraint on a model of the register,
enforced only when its own literal is true (:func:`build_model`). The model's own readings of
the letters are explicit :class:`Interpretation` objects, each with a switch. Three modules use
the model: :mod:`evalkit.solver.audit` (which claims cannot all hold, and the corrections),
:mod:`evalkit.solver.bounds` (the range of any figure over every register that satisfies the
claims) and :mod:`evalkit.solver.synthesis` (one plausible register).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import pandas as pd
from ortools.sat.python import cp_model

from evalkit.compute.claims import Claim, Registry
from evalkit.compute.context import FLAT_SPEND as SPEND_READING
from evalkit.compute.metrics import AGE_GROUP_LABELS, age_group_label
from evalkit.inputs.register import Reference

DAYS_PER_MONTH = Fraction(36525, 1200)


@dataclass(frozen=True)
class Interpretation:
    """A reading of the letters that the model makes on top of the claims, with a switch.

    ``enabled`` false drops the reading: the model then allows what it excluded (see
    :data:`INTERPRETATIONS` for what each one means and what dropping it allows).
    """

    id: str
    about: str
    enabled: bool = True

    def switched(self, enabled: bool) -> Interpretation:
        """The same interpretation with its switch set to ``enabled``."""
        return replace(self, enabled=enabled)


@dataclass(frozen=True)
class Assumption(Interpretation):
    """An interpretation audited like a claim: it has a literal and may be relaxed."""

    wijken: tuple[str, ...] = ()
    jaar: int = 2022


# Interpretations that are not claims but that a reader may make; the audit tests them too.
ASSUMPTIONS = (
    Assumption(
        id="A-wijken-zonder-2023",
        about=(
            "De vier wijken die de rapportage noemt als wijken zonder actieve trajecten in "
            "2023 (de Wijert, Ten Boer, Schilderswijk Centrum, Vinkhuizen) hadden in 2022 wel "
            "trajecten: anders stonden ze niet in de grafiek."
        ),
        wijken=("De Wijert", "Ten Boer", "Schilderswijk Centrum", "Vinkhuizen"),
        jaar=2022,
    ),
)

#: The age scheme the 2023 text names where it speaks of several categories ("alle
#: leeftijdscategorieën (0-18+)", "12-18 en 18+"), and the statements that concern.
TEXT_AGE_SCHEME = "2022"
SEVERAL_CATEGORIES = frozenset(AGE_GROUP_LABELS.values())

ONE_TRAJECT = "I-een-traject-per-gezin"
NEARLY_ALL = "I-vrijwel-alle"
OWN_AGE_SCHEME = "I-eigen-leeftijdsindeling"
FLAT_SPEND = SPEND_READING.id  # a reading of the budget: see compute.context.phasing_checks

#: The model's readings of the letters, each switchable (an :class:`Assumption` is relaxable).
#: Dropped, "one traject per gezin" lets a family that closed a traject start a second one in
#: the same year (it then counts once among the active families; starts and closures count
#: trajecten, the other figures about families still count trajecten); "vrijwel alle" becomes
#: "more than half"; the 2023 report's statements about *several* age categories use the
#: 2022 categories (0-6, 6-12, 12-18, 18+) its text names; the budget's phasing is not read as
#: a flat monthly spend (that reading lives in :func:`evalkit.compute.context.budget_phasing`).
INTERPRETATIONS: tuple[Interpretation, ...] = (
    Interpretation(
        ONE_TRAJECT,
        "Elk gezin heeft in de pilot één traject: het aantal actieve gezinnen is het aantal "
        "actieve trajecten, en een gezin dat stopt komt niet in hetzelfde jaar terug.",
    ),
    Interpretation(
        NEARLY_ALL,
        "'Vrijwel alle' gezinnen betekent minstens 90 procent van de gezinnen.",
    ),
    Interpretation(
        OWN_AGE_SCHEME,
        "Elke rapportage gebruikt haar eigen leeftijdsindeling, ook waar de tekst van 2023 "
        "over 'alle leeftijdscategorieën (0-18+)' en '12-18 en 18+' spreekt: in 2023 zijn dat "
        "0-1, 1-6, 6-12, 12-16 en 16+.",
    ),
    *ASSUMPTIONS,
    Interpretation(FLAT_SPEND, SPEND_READING.about),
)


def reads(interpretations: Sequence[Interpretation], iid: str) -> bool:
    """Whether the interpretation ``iid`` is enabled (absent counts as enabled)."""
    return all(i.enabled for i in interpretations if i.id == iid)


@dataclass(frozen=True)
class Spec:
    """The shape of the register to reconstruct."""

    first_day: dt.date = dt.date(2022, 1, 1)
    cutoff: dt.date = dt.date(2023, 12, 31)
    slots: int = 32
    max_children: int = 6
    max_sibling_span: int = 22
    first_birth_year: int = 1999
    min_duration_days: int = 61
    min_start_gap_days: int = 7
    max_hours_tenths: int = 120
    min_hours_tenths: int = 10

    @property
    def years(self) -> list[int]:
        """Years the register covers."""
        return list(range(self.first_day.year, self.cutoff.year + 1))

    def day(self, date: dt.date) -> int:
        """Day index of ``date`` (0 is ``first_day``)."""
        return (date - self.first_day).days

    @property
    def running(self) -> int:
        """The end-day value that means: still running at the cut-off."""
        return self.day(self.cutoff) + 1

    def year_index(self, year: int) -> int:
        """Birth-year index (0 is ``first_birth_year``)."""
        return year - self.first_birth_year


UNBORN = "ongeboren"

#: Typical age range of a family's oldest child on the cut-off date, in years (plausibility).
OLDEST_AGE = (2, 15)


@dataclass(frozen=True)
class BirthClass:
    """Consecutive birth years whose children have the same age category in every year."""

    first: int  # birth-year index (0 is ``Spec.first_birth_year``) of the oldest
    last: int
    codes: tuple[tuple[int, str], ...]  # (year, age category on 31 December or "ongeboren")
    text: tuple[tuple[int, str], ...] = ()  # the same in the text's scheme (see birth_classes)

    @property
    def width(self) -> int:
        """Number of birth years in the class."""
        return self.last - self.first + 1

    def code(self, jaar: int, text: bool = False) -> str:
        """Age category of the class's children on 31 December ``jaar`` (``text``: its scheme)."""
        return dict(self.text if text else self.codes)[jaar]

    def distance(self, lo: int, hi: int) -> int:
        """Years between the class's birth years and the nearest index in ``[lo, hi]``."""
        return max(0, lo - self.last, self.first - hi)


def birth_classes(
    spec: Spec, reference: Reference, text_scheme: str | None = None
) -> tuple[BirthClass, ...]:
    """Birth years from the first birth year to the cut-off in classes, oldest first.

    A child's age in year J is J minus its birth year (ages are taken on 31 December), so its
    age category in each year of the register depends on the birth year only; consecutive birth
    years that give the same category in every year form one class. With ``text_scheme``, the
    classes also keep each year's category in that scheme (:data:`OWN_AGE_SCHEME` dropped).
    """
    schemes = {
        jaar: reference.age_categories(str(reference.report_definition(jaar)["leeftijdsschema"]))
        for jaar in spec.years
    }
    text_cats = reference.age_categories(text_scheme) if text_scheme else None

    def category(jaar: int, year: int, cats=None) -> str:
        age = jaar - year
        if age < 0:
            return UNBORN
        cats = schemes[jaar] if cats is None else cats
        for code, lo, hi in zip(cats["code"], cats["min_jaar"], cats["max_jaar"], strict=True):
            if lo <= age and (pd.isna(hi) or age < hi):
                return str(code)
        raise ValueError(f"no age category for age {age} in {jaar}")

    classes: list[BirthClass] = []
    for b in range(spec.year_index(spec.cutoff.year) + 1):
        year = spec.first_birth_year + b
        codes = tuple((jaar, category(jaar, year)) for jaar in spec.years)
        text = (
            tuple((jaar, category(jaar, year, text_cats)) for jaar in spec.years)
            if text_cats is not None
            else ()
        )
        if classes and (classes[-1].codes, classes[-1].text) == (codes, text):
            classes[-1] = BirthClass(classes[-1].first, b, codes, text)
        else:
            classes.append(BirthClass(b, b, codes, text))
    return tuple(classes)


@dataclass(frozen=True)
class Profile:
    """A family's children as the number born in each birth class (oldest class first)."""

    counts: tuple[int, ...]
    classes: tuple[BirthClass, ...]

    def ages(self, jaar: int, text: bool = False) -> tuple[str, ...]:
        """Age category on 31 December ``jaar`` of each child born by then, oldest first."""
        return tuple(
            c.code(jaar, text)
            for c, n in zip(self.classes, self.counts, strict=True)
            for _ in range(n)
            if c.code(jaar, text) != UNBORN
        )

    def implausibility(self, top: int) -> int:
        """How far the profile is from a typical family (0: typical).

        The oldest child's age on the cut-off date is within :data:`OLDEST_AGE` (birth-year
        index ``top`` is the cut-off year) and siblings are about two years apart: six points
        per year the oldest must be outside that range, three per year the youngest is further
        from the oldest than two years per sibling allows.
        """
        present = [c for c, n in zip(self.classes, self.counts, strict=True) if n]
        oldest, youngest, k = present[0], present[-1], sum(self.counts)
        low = max(youngest.first - oldest.last, k - 1)  # the smallest and largest possible
        high = youngest.last - oldest.first  # spread of birth years
        target = 2 * (k - 1)
        lo_age, hi_age = OLDEST_AGE
        age_cost = 6 * oldest.distance(top - hi_age, top - lo_age)
        return age_cost + 3 * max(0, low - target, target - high)


def profiles(
    classes: tuple[BirthClass, ...], max_children: int, max_span: int
) -> tuple[Profile, ...]:
    """Every family of 1 to ``max_children`` children as numbers of children per birth class.

    Children have distinct birth years (a class holds at most one child per year) and the
    oldest and youngest are at most ``max_span`` years apart.
    """
    out: list[Profile] = []

    def extend(counts: tuple[int, ...], total: int) -> None:
        k = len(counts)
        if k == len(classes):
            present = [c for c, n in zip(classes, counts, strict=True) if n]
            if total and present[-1].first - present[0].last <= max_span:
                out.append(Profile(counts, classes))
            return
        for n in range(min(classes[k].width, max_children - total) + 1):
            extend((*counts, n), total + n)

    extend((), 0)
    return tuple(out)


@dataclass(eq=False)
class Catalogue:
    """Every possible family's children, with what each year's report sees of them."""

    profiles: tuple[Profile, ...]
    ages: dict[int, list[tuple[str, ...]]]  # per year, per profile: see Profile.ages
    costs: list[int]  # per profile: Profile.implausibility
    text_ages: dict[int, list[tuple[str, ...]]]  # the same in the text's scheme (may be empty)


@functools.cache
def catalogue(classes: tuple[BirthClass, ...], spec: Spec) -> Catalogue:
    """The :func:`profiles` of a register's shape, computed once per shape."""
    found = profiles(classes, spec.max_children, spec.max_sibling_span)
    top = spec.year_index(spec.cutoff.year)
    return Catalogue(
        found,
        {jaar: [p.ages(jaar) for p in found] for jaar in spec.years},
        [p.implausibility(top) for p in found],
        {jaar: [p.ages(jaar, True) for p in found] for jaar in spec.years}
        if classes and classes[0].text
        else {},
    )


class RegisterModel:
    """CP-SAT variables for a register of at most ``spec.slots`` trajecten.

    Each slot has a one-hot *flow type*: the half year it started in and whether it closed in
    a year or was still running at the cut-off. Day bounds follow from the type by half
    reification, so being active, started or closed in a year is a linear sum of type booleans.
    Yearly categories carry an explicit ``n/a`` value that holds exactly when the family was not
    active that year, so counting families needs no products. Children are counted per activity
    pattern and :class:`Profile` (see :meth:`families`), not per slot.
    """

    def __init__(
        self,
        spec: Spec,
        reference: Reference,
        interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    ):
        self.spec = spec
        self.ref = reference
        self.interpretations = tuple(interpretations)
        self.m = cp_model.CpModel()
        m, n = self.m, spec.slots
        self.wijken = list(reference.wijken)
        self.hv_codes = list(reference.hoofdvraag["code"])
        self.sam_codes = list(reference.gezinssamenstelling["code"])
        years = spec.years
        halves = [(j, h) for j in years for h in (1, 2)]
        ends = [*years, None]  # None: still running at the cut-off
        self.types = [(s, e) for s in halves for e in ends if e is None or e >= s[0]]
        self.typ = [
            [m.new_bool_var(f"t{i}_{t}") for t in range(len(self.types) + 1)] for i in range(n)
        ]  # last one: slot unused
        last = spec.day(spec.cutoff)
        self.start = [m.new_int_var(0, last, f"start{i}") for i in range(n)]
        self.end = [m.new_int_var(0, spec.running, f"end{i}") for i in range(n)]
        self.ex = [self.typ[i][-1].Not() for i in range(n)]
        for i in range(n):
            m.add_exactly_one(self.typ[i])
            for t, ((jaar, half), e) in enumerate(self.types):
                lo = spec.day(dt.date(jaar, 1 if half == 1 else 7, 1))
                hi = spec.day(dt.date(jaar, 6, 30) if half == 1 else dt.date(jaar, 12, 31))
                m.add(self.start[i] >= lo).only_enforce_if(self.typ[i][t])
                m.add(self.start[i] <= hi).only_enforce_if(self.typ[i][t])
                if e is None:
                    m.add(self.end[i] == spec.running).only_enforce_if(self.typ[i][t])
                else:
                    m.add(self.end[i] >= spec.day(dt.date(e, 1, 1))).only_enforce_if(self.typ[i][t])
                    m.add(self.end[i] <= spec.day(dt.date(e, 12, 31))).only_enforce_if(
                        self.typ[i][t]
                    )
                    m.add(self.end[i] >= self.start[i] + spec.min_duration_days).only_enforce_if(
                        self.typ[i][t]
                    )
            m.add(self.start[i] == 0).only_enforce_if(self.typ[i][-1])
            m.add(self.end[i] == spec.running).only_enforce_if(self.typ[i][-1])
        # Symmetry: slots ordered by type, then by start day.
        self.type_index = [sum(t * b for t, b in enumerate(self.typ[i])) for i in range(n)]
        for i in range(n - 1):
            m.add(self.type_index[i] <= self.type_index[i + 1])
            same = m.new_bool_var("")
            m.add(self.type_index[i] == self.type_index[i + 1]).only_enforce_if(same)
            m.add(self.type_index[i] != self.type_index[i + 1]).only_enforce_if(same.Not())
            m.add(self.start[i] + spec.min_start_gap_days <= self.start[i + 1]).only_enforce_if(
                [same, self.ex[i + 1]]
            )

        def type_sum(i: int, pred) -> object:
            return sum(self.typ[i][t] for t, ty in enumerate(self.types) if pred(ty))

        self.act: dict[int, list] = {}
        self.started: dict[tuple[int, int | None], list] = {}
        self.closed: dict[int, list] = {}
        for jaar in years:
            self.act[jaar] = []
            for i in range(n):
                a = m.new_bool_var(f"act{jaar}_{i}")
                m.add(
                    a
                    == type_sum(
                        i, lambda ty, j=jaar: ty[0][0] <= j and (ty[1] is None or ty[1] >= j)
                    )
                )
                self.act[jaar].append(a)
            self.started[(jaar, None)] = [
                type_sum(i, lambda ty, j=jaar: ty[0][0] == j) for i in range(n)
            ]
            for half in (1, 2):
                self.started[(jaar, half)] = [
                    type_sum(i, lambda ty, j=jaar, h=half: ty[0] == (j, h)) for i in range(n)
                ]
            self.closed[jaar] = [m.new_bool_var(f"closed{jaar}_{i}") for i in range(n)]
            for i in range(n):
                m.add(self.closed[jaar][i] == type_sum(i, lambda ty, j=jaar: ty[1] == j))
        # Wijken relate to nothing but counts: the model keeps the number of trajecten per
        # (wijk, flow type); slots get their wijk when the register is written out.
        self.nw = [
            [m.new_int_var(0, n, f"nw{w}_{t}") for t in range(len(self.types))]
            for w in range(len(self.wijken))
        ]
        for t in range(len(self.types)):
            m.add(
                sum(self.nw[w][t] for w in range(len(self.wijken)))
                == sum(self.typ[i][t] for i in range(n))
            )
        self._cache: dict = {}
        self._has_children = False
        self._hv: dict | None = None
        self._sam: dict | None = None
        self._hours: dict | None = None

    # Yearly categories and hours are created on first use: small models stay small.
    def _yearly_categories(self, name: str, codes: list[str]) -> dict:
        return {
            j: [
                self.yearly(f"{name}{j}_{i}", len(codes), self.act[j][i])
                for i in range(self.spec.slots)
            ]
            for j in self.spec.years
        }

    @property
    def hv(self) -> dict:
        """Per year and slot: one-hot hoofdvraag (last: n/a)."""
        if self._hv is None:
            self._hv = self._yearly_categories("hv", self.hv_codes)
        return self._hv

    @property
    def sam(self) -> dict:
        """Per year and slot: one-hot gezinssamenstelling (last: n/a)."""
        if self._sam is None:
            self._sam = self._yearly_categories("sam", self.sam_codes)
        return self._sam

    @property
    def hours(self) -> dict:
        """Per year and slot: average weekly hours in tenths (0 when not active)."""
        if self._hours is None:
            m, spec = self.m, self.spec
            self._hours = {
                j: [m.new_int_var(0, spec.max_hours_tenths, f"h{j}_{i}") for i in range(spec.slots)]
                for j in spec.years
            }
            for j in spec.years:
                for i in range(spec.slots):
                    h, a = self._hours[j][i], self.act[j][i]
                    m.add(h >= spec.min_hours_tenths).only_enforce_if(a)
                    m.add(h == 0).only_enforce_if(a.Not())
        return self._hours

    @property
    def has_children(self) -> bool:
        """Whether the model has the children's variables."""
        return self._has_children

    def ensure_children(self) -> None:
        """Create the children's variables (only models with claims about children need them)."""
        if not self._has_children:
            self._has_children = True
            self._children()

    def yearly(self, name: str, size: int, active) -> list:
        """One-hot category of a year with a last ``n/a`` value that holds iff not active."""
        bits = [self.m.new_bool_var(f"{name}_{k}") for k in range(size + 1)]
        self.m.add_exactly_one(bits)
        self.m.add(bits[-1] == active.Not())
        return bits

    def both(self, a, b):
        """A boolean equal to ``a and b``."""
        y = self.m.new_bool_var("")
        self.m.add_bool_and([a, b]).only_enforce_if(y)
        self.m.add_bool_or([a.Not(), b.Not()]).only_enforce_if(y.Not())
        return y

    def integer(self, expr, hi: int):
        """An integer variable equal to a linear expression (counts propagate as integers)."""
        y = self.m.new_int_var(0, hi, "")
        self.m.add(y == expr)
        return y

    def reads(self, iid: str) -> bool:
        """Whether the model makes the interpretation ``iid``."""
        return reads(self.interpretations, iid)

    def n_active(self, jaar: int):
        """Number of families active in ``jaar``, as an integer variable (cached).

        Without :data:`ONE_TRAJECT`, a family may close a traject and start another one in
        the same year: active trajecten minus such returns (at most the closures and the
        starts of that year).
        """
        key = ("n_active", jaar)
        if key not in self._cache:
            if self.reads(ONE_TRAJECT):
                self._cache[key] = self.integer(sum(self.act[jaar]), self.spec.slots)
            else:
                n = self.spec.slots
                back = self.m.new_int_var(0, n, f"terug{jaar}")
                self.m.add(back <= sum(self.closed[jaar]))
                self.m.add(back <= sum(self.started[(jaar, None)]))
                self._cache[key] = self.integer(sum(self.act[jaar]) - back, n)
        return self._cache[key]

    def wijk_count(self, jaar: int, w: int):
        """Number of trajecten from wijk ``w`` active in ``jaar`` (a linear expression)."""
        return sum(
            self.nw[w][t]
            for t, ((sy, _), ey) in enumerate(self.types)
            if sy <= jaar and (ey is None or ey >= jaar)
        )

    def _per_type(self, i: int, name: str, lo: int, hi: int, expr) -> object:
        """An integer that equals ``expr(type)`` under each flow type of slot ``i`` (0 unused)."""
        key = (name, i)
        if key not in self._cache:
            y = self.m.new_int_var(lo, hi, "")
            for t, ty in enumerate(self.types):
                self.m.add(y == expr(ty)).only_enforce_if(self.typ[i][t])
            self.m.add(y == 0).only_enforce_if(self.typ[i][-1])
            self._cache[key] = y
        return self._cache[key]

    def active_days(self, jaar: int, i: int):
        """Days slot ``i`` was active in ``jaar``."""
        first = self.spec.day(dt.date(jaar, 1, 1))
        final = self.spec.day(dt.date(jaar, 12, 31))

        def expr(ty):
            (sy, _), ey = ty
            if sy > jaar or (ey is not None and ey < jaar):
                return 0
            s = self.start[i] if sy == jaar else first
            e = self.end[i] if ey == jaar else final
            return e - s + 1

        return self._per_type(i, f"days{jaar}", 0, 366, expr)

    def closed_duration(self, jaar: int, i: int):
        """Duration in days of slot ``i`` if it closed in ``jaar``, else 0."""
        return self._per_type(
            i,
            f"dur{jaar}",
            0,
            self.spec.running,
            lambda ty: self.end[i] - self.start[i] if ty[1] == jaar else 0,
        )

    # --- children -----------------------------------------------------------------------------
    def _children(self) -> None:
        # A claim about children sees a family's children only through their age categories in
        # each year, so the model counts families per activity pattern and children profile
        # (:func:`profiles`): the claims are linear in these counts. Profiles are handed to the
        # slots of their pattern, and birth years chosen, when the register is written out.
        m, spec = self.m, self.spec
        text = None if self.reads(OWN_AGE_SCHEME) else TEXT_AGE_SCHEME
        self.classes = birth_classes(spec, self.ref, text)
        self.catalogue = catalogue(self.classes, spec)
        self.profiles = self.catalogue.profiles
        self.family: dict[tuple[tuple[int, ...], int], object] = {}
        for pattern, types in self.patterns.items():
            for j, ages in enumerate(self.catalogue.ages[pattern[0]]):
                if ages:  # the oldest child is born by the end of the first active year
                    self.family[(pattern, j)] = m.new_int_var(0, spec.slots, f"f{pattern}_{j}")
            m.add(
                sum(x for (p, _), x in self.family.items() if p == pattern)
                == sum(self.typ[i][t] for i in range(spec.slots) for t in types)
            )

    @property
    def patterns(self) -> dict[tuple[int, ...], list[int]]:
        """The years a traject is active in, per flow type: pattern -> flow type indices."""
        out: dict[tuple[int, ...], list[int]] = {}
        for t, ((sy, _), ey) in enumerate(self.types):
            years = tuple(range(sy, (ey or self.spec.cutoff.year) + 1))
            out.setdefault(years, []).append(t)
        return out

    def families(self, jaar: int, weight: Callable[[tuple[str, ...]], int], text: bool = False):
        """Sum over families active in ``jaar`` of ``weight(age categories of the children)``.

        ``weight`` receives the age category on 31 December ``jaar`` of each child born by
        then, oldest first (``text``: in :data:`TEXT_AGE_SCHEME`, see :meth:`text_scheme`);
        the result is a linear expression in the family counts.
        """
        self.ensure_children()
        ages = (self.catalogue.text_ages if text else self.catalogue.ages)[jaar]
        terms = [(ages[j], x) for (p, j), x in self.family.items() if jaar in p]
        weights = {a: weight(a) for a in {a for a, _ in terms}}
        used = [(weights[a], x) for a, x in terms if weights[a]]
        return cp_model.LinearExpr.weighted_sum([x for _, x in used], [w for w, _ in used])

    def age_categories(self, schema: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
        """The reference's categories of one age scheme and their codes (kept per model)."""
        key = ("categories", schema)
        if key not in self._cache:
            cats = self.ref.age_categories(schema)
            self._cache[key] = (cats, tuple(str(c) for c in cats["code"]))
        return self._cache[key]

    def categories_below(self, jaar: int, age: int) -> set[str]:
        """The age categories of ``jaar``'s scheme whose upper bound is at most ``age``."""
        cats, _ = self.age_categories(str(self.ref.report_definition(jaar)["leeftijdsschema"]))
        return {
            c
            for c, hi in zip(cats["code"], cats["max_jaar"], strict=True)
            if pd.notna(hi) and hi <= int(age)
        }

    def text_scheme(self, jaar: int, name: str, key: object = None) -> bool:
        """Whether a claim or quantity about several age categories reads the text's scheme.

        Only without :data:`OWN_AGE_SCHEME`, for a year whose own scheme is not
        :data:`TEXT_AGE_SCHEME`, and for :data:`SEVERAL_CATEGORIES`.
        """
        if self.reads(OWN_AGE_SCHEME):
            return False
        if str(self.ref.report_definition(jaar)["leeftijdsschema"]) == TEXT_AGE_SCHEME:
            return False
        if name == "count_multiple_age_categories":
            return True
        return name == "age_group_counts" and str(key) in SEVERAL_CATEGORIES

    def age_label(self, jaar: int, ages: tuple[str, ...], text: bool = False) -> str:
        """The report's age group (``alleen 1-6``, ...) of children with these categories."""
        key = ("label", jaar, frozenset(ages), text)
        if key not in self._cache:
            schema = (
                TEXT_AGE_SCHEME
                if text
                else str(self.ref.report_definition(jaar)["leeftijdsschema"])
            )
            cats, codes = self.age_categories(schema)
            present = tuple(c for c in codes if c in ages)
            self._cache[key] = age_group_label(present, cats)
        return self._cache[key]


# --- claims as constraints --------------------------------------------------------------------


def _percent_bounds(m: cp_model.CpModel, count, base, p: float, method: str, lit) -> None:
    """Published ``p`` percent of ``base`` is consistent with ``count`` under ``method``."""
    p = Fraction(str(p))
    if method == "half_omhoog":
        # p - 1/2 <= 100 c / n < p + 1/2
        m.add(200 * count >= int(2 * p - 1) * base).only_enforce_if(lit)
        m.add(200 * count <= int(2 * p + 1) * base - 1).only_enforce_if(lit)
    else:
        # Largest remainder gives the floor or the ceiling of the exact percentage.
        m.add(100 * count >= int(p - 1) * base + 1).only_enforce_if(lit)
        m.add(100 * count <= int(p + 1) * base - 1).only_enforce_if(lit)


def _mean_bounds(m, total, n, v: float, decimals: int, unit: Fraction, lit) -> None:
    """``total / n`` (in units of ``1/unit``) rounds half up to ``v`` with ``decimals``."""
    half = Fraction(1, 2 * 10**decimals)
    lo, hi = (Fraction(str(v)) - half) * unit, (Fraction(str(v)) + half) * unit
    den = lo.denominator * hi.denominator
    m.add(den * total >= int(lo * den) * n).only_enforce_if(lit)
    m.add(den * total <= int(hi * den) * n - 1).only_enforce_if(lit)


def encode_claim(rm: RegisterModel, claim: Claim, lit) -> bool:
    """Add the constraints of one claim, enforced by ``lit``; False if it cannot be encoded."""
    m, spec, r = rm.m, rm.spec, claim.recompute
    args = dict(r.get("args") or {})
    jaar = args.get("jaar")
    if jaar is not None and jaar not in spec.years:
        return False
    n_active = rm.n_active(jaar) if jaar is not None else None
    method = rm.ref.report_definition(jaar)["afronding"] if jaar is not None else "half_omhoog"
    value = claim.value
    slots = range(spec.slots)

    def count_or_percent(per_family: Sequence) -> None:
        count = rm.integer(sum(per_family), spec.slots * spec.max_children)
        if r.get("as") == "percent":
            _percent_bounds(m, count, n_active, value, method, lit)
        else:
            m.add(count == int(value)).only_enforce_if(lit)

    name = r.get("metric") or r.get("distribution")
    if name == "count_active":
        m.add(n_active == int(value)).only_enforce_if(lit)
    elif name == "count_started":
        started = rm.integer(sum(rm.started[(jaar, args.get("half"))]), spec.slots)
        m.add(started == int(value)).only_enforce_if(lit)
    elif name == "count_closed":
        m.add(rm.integer(sum(rm.closed[jaar]), spec.slots) == int(value)).only_enforce_if(lit)
    elif name in ("count_wijk", "wijk_counts"):
        w = rm.wijken.index(args.get("wijk", r.get("key")))
        count_or_percent([rm.wijk_count(jaar, w)])
    elif name == "count_wijken":
        used = []
        for w in range(len(rm.wijken)):
            u = m.new_bool_var("")
            m.add(rm.wijk_count(jaar, w) >= 1).only_enforce_if(u)
            m.add(rm.wijk_count(jaar, w) == 0).only_enforce_if(u.Not())
            used.append(u)
        m.add(sum(used) == int(value)).only_enforce_if(lit)
    elif name in ("hoofdvraag_counts", "gezinssamenstelling_counts"):
        codes, bits = (
            (rm.hv_codes, rm.hv) if name == "hoofdvraag_counts" else (rm.sam_codes, rm.sam)
        )
        k = codes.index(r["key"])
        count_or_percent([bits[jaar][i][k] for i in slots])
    elif name == "family_size_counts":
        size = int(r["key"])
        count_or_percent([rm.families(jaar, lambda ages: int(len(ages) == size))])
    elif name == "family_age_category_oldest":
        key = str(r["key"])
        count_or_percent([rm.families(jaar, lambda ages: int(ages[0] == key))])
    elif name == "count_children_in_category":
        cat = str(args["categorie"])
        m.add(rm.families(jaar, lambda ages: ages.count(cat)) == int(value)).only_enforce_if(lit)
    elif name == "age_group_counts":
        key, text = str(r["key"]), rm.text_scheme(jaar, name, r["key"])
        count_or_percent(
            [rm.families(jaar, lambda ages: int(rm.age_label(jaar, ages, text) == key), text=text)]
        )
    elif name == "count_multiple_age_categories":
        text = rm.text_scheme(jaar, name)
        count_or_percent([rm.families(jaar, lambda ages: int(len(set(ages)) > 1), text=text)])
    elif name == "share_all_children_below":
        below = rm.categories_below(jaar, args["age"])
        young = rm.families(jaar, lambda ages: int(ages[0] in below))
        if rm.reads(NEARLY_ALL):
            share = Fraction(str(r.get("expect", {}).get("min", 0)))
            m.add(share.denominator * young >= share.numerator * n_active).only_enforce_if(lit)
        else:  # more than half
            m.add(2 * young >= n_active + 1).only_enforce_if(lit)
    elif name == "mean_hours":
        total = sum(rm.hours[jaar])
        _mean_bounds(
            m, total, n_active, value, claim.rounding.get("decimals", 1), Fraction(10), lit
        )
    elif name == "mean_caseload":
        days = [rm.active_days(jaar, i) for i in slots]
        n_days = (dt.date(jaar, 12, 31) - dt.date(jaar, 1, 1)).days + 1
        _mean_bounds(
            m, sum(days), n_days, value, claim.rounding.get("decimals", 0), Fraction(1), lit
        )
    elif name == "mean_duration_closed":
        total = sum(rm.closed_duration(jaar, i) for i in slots)
        n_closed = rm.integer(sum(rm.closed[jaar]), spec.slots)
        _mean_bounds(
            m, total, n_closed, value, claim.rounding.get("decimals", 1), DAYS_PER_MONTH, lit
        )
    elif name == "first_start_month":
        year, month = (int(x) for x in str(value).split("-"))
        first = spec.day(dt.date(year, month, 1))
        nxt = spec.day(dt.date(year + month // 12, month % 12 + 1, 1))
        m.add(rm.start[0] >= first).only_enforce_if(lit)
        m.add(rm.start[0] <= nxt - 1).only_enforce_if(lit)
        m.add_implication(lit, rm.ex[0])
    else:
        return False
    return True


def encode_assumption(rm: RegisterModel, assumption: Assumption, lit) -> None:
    """Add the constraints of an interpretation, enforced by ``lit``."""
    for wijk in assumption.wijken:
        w = rm.wijken.index(wijk)
        rm.m.add(rm.wijk_count(assumption.jaar, w) >= 1).only_enforce_if(lit)


# --- solving ----------------------------------------------------------------------------------


@dataclass
class Built:
    """A model with its assumption literals."""

    rm: RegisterModel
    literals: dict[str, object]


def build_model(
    registry: Registry,
    reference: Reference,
    spec: Spec,
    interpretations: Sequence[Interpretation] = INTERPRETATIONS,
    only: set[str] | None = None,
) -> Built:
    """Build the register model with one literal per recomputable claim and assumption.

    ``interpretations`` switch the model's readings; each enabled :class:`Assumption` among
    them gets a literal like a claim. ``only`` limits the literals to these ids.
    """
    rm = RegisterModel(spec, reference, interpretations)
    literals: dict[str, object] = {}
    for claim in registry.claims:
        if claim.sourced or (only is not None and claim.id not in only):
            continue
        lit = rm.m.new_bool_var(f"claim:{claim.id}")
        if encode_claim(rm, claim, lit):
            literals[claim.id] = lit
    for a in assumptions_of(interpretations):
        if only is not None and a.id not in only:
            continue
        lit = rm.m.new_bool_var(f"assumption:{a.id}")
        encode_assumption(rm, a, lit)
        literals[a.id] = lit
    return Built(rm, literals)


def make_solver(seed: int, deterministic_time: float, children: bool = True) -> cp_model.CpSolver:
    """One search worker with a fixed seed: deterministic, and its infeasible cores are small.

    Probing in presolve costs more than it saves here; the full LP relaxation only pays off
    (and is needed for a verdict at all) once the children are in the model (measured).
    """
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = deterministic_time
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.linearization_level = 2 if children else 1
    return solver


def assumptions_of(interpretations: Sequence[Interpretation]) -> list[Assumption]:
    """The enabled interpretations that are audited like claims."""
    return [a for a in interpretations if isinstance(a, Assumption) and a.enabled]


def recomputable(registry: Registry, interpretations: Sequence[Interpretation]) -> list[str]:
    """Ids of the claims the model encodes (not sourced) and of the enabled assumptions."""
    ids = [c.id for c in registry.claims if not c.sourced]
    return ids + [a.id for a in assumptions_of(interpretations)]


def kind(claim: Claim | None) -> str:
    """The metric or distribution a claim names (``assumption`` for ``None``)."""
    if claim is None:
        return "assumption"
    return claim.recompute.get("metric") or claim.recompute.get("distribution") or ""
