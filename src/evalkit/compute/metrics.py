"""Definitions of every pilot figure, implemented once and vectorised over the register.

Definitions (the book's chapter "Definities" explains them in Dutch):

- A traject is *active in year J* when it started on or before 31 December J and had not ended
  before 1 January J. One traject is one family (gezin).
- *Started in J* / *closed in J*: startdatum / einddatum falls in J. First half year: January to
  June (by startdatum, the day the family was "opgepakt").
- *Duration* in months: days from startdatum to einddatum divided by 365.25 / 12.
- *Average hours per week*: the mean, over the families active in J, of the average weekly hours
  registered for that family in J (every family weighs the same).
- *Average simultaneous caseload*: the time-weighted number of active trajecten in J, i.e. the
  sum of each traject's active days in J divided by the days of J.
- *Children and ages* are taken on the reference date 31 December J, from birth year and month;
  only children born by then count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.inputs.register import Reference, Register

DAYS_PER_MONTH = 365.25 / 12


def year_bounds(jaar: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of ``jaar``."""
    return pd.Timestamp(dt.date(jaar, 1, 1)), pd.Timestamp(dt.date(jaar, 12, 31))


def active_mask(trajecten: pd.DataFrame, jaar: int) -> pd.Series:
    """Boolean mask of the trajecten active in ``jaar``."""
    first, last = year_bounds(jaar)
    return (trajecten["startdatum"] <= last) & (
        trajecten["einddatum"].isna() | (trajecten["einddatum"] >= first)
    )


def started_mask(trajecten: pd.DataFrame, jaar: int, half: int | None = None) -> pd.Series:
    """Boolean mask of the trajecten started in ``jaar`` (optionally in half year 1 or 2)."""
    start = trajecten["startdatum"]
    mask = start.dt.year == jaar
    if half is not None:
        mask &= (start.dt.month <= 6) if half == 1 else (start.dt.month > 6)
    return mask


def closed_mask(trajecten: pd.DataFrame, jaar: int) -> pd.Series:
    """Boolean mask of the trajecten closed (einddatum) in ``jaar``."""
    return trajecten["einddatum"].dt.year == jaar


def count_active(register: Register, jaar: int) -> int:
    """Number of families (trajecten) active in ``jaar``."""
    return int(active_mask(register.trajecten, jaar).sum())


def count_started(register: Register, jaar: int, half: int | None = None) -> int:
    """Number of trajecten started in ``jaar`` (or in one half of it)."""
    return int(started_mask(register.trajecten, jaar, half).sum())


def count_closed(register: Register, jaar: int) -> int:
    """Number of trajecten closed in ``jaar``."""
    return int(closed_mask(register.trajecten, jaar).sum())


def count_carried_over(register: Register, jaar: int) -> int:
    """Number of trajecten active in ``jaar`` that were already active the year before."""
    t = register.trajecten
    return int((active_mask(t, jaar) & active_mask(t, jaar - 1)).sum())


def duration_months(trajecten: pd.DataFrame) -> pd.Series:
    """Duration of each closed traject in months (NaN while running)."""
    return (trajecten["einddatum"] - trajecten["startdatum"]).dt.days / DAYS_PER_MONTH


def mean_duration_closed(register: Register, jaar: int) -> float:
    """Average duration in months of the trajecten closed in ``jaar`` (NaN if none)."""
    t = register.trajecten
    durations = duration_months(t[closed_mask(t, jaar)])
    return float(durations.mean()) if len(durations) else float("nan")


def wijk_counts(register: Register, jaar: int, wijken: Sequence[str] = ()) -> pd.Series:
    """Families active in ``jaar`` per wijk of aanmelding, most first.

    Parameters
    ----------
    register : Register
        The case register.
    jaar : int
        The year.
    wijken : sequence of str
        Wijken to include with a zero count when they had no active traject.

    Returns
    -------
    pandas.Series
        Counts indexed by wijk, sorted by count (descending) then name.

    """
    t = register.trajecten
    counts = t.loc[active_mask(t, jaar), "wijk"].value_counts()
    counts = counts.reindex(sorted(set(counts.index) | set(wijken)), fill_value=0)
    order = sorted(counts.index, key=lambda w: (-counts[w], w))
    return counts.reindex(order).astype(int).rename("gezinnen")


def count_wijk(register: Register, jaar: int, wijk: str) -> int:
    """Families active in ``jaar`` that were aangemeld from ``wijk``."""
    t = register.trajecten
    return int((active_mask(t, jaar) & (t["wijk"] == wijk)).sum())


def count_wijken(register: Register, jaar: int) -> int:
    """Number of distinct wijken with at least one traject active in ``jaar``."""
    t = register.trajecten
    return int(t.loc[active_mask(t, jaar), "wijk"].nunique())


def active_registrations(register: Register, jaar: int) -> pd.DataFrame:
    """The yearly registrations of ``jaar`` of the trajecten active in ``jaar``."""
    active = active_mask(register.trajecten, jaar).to_numpy()
    j = register.jaarregistratie
    at = _positions(register, j)
    return j[(j["jaar"].to_numpy() == jaar) & (at >= 0) & active[np.maximum(at, 0)]]


def mean_hours(register: Register, jaar: int) -> float:
    """Average hours per week per family in ``jaar`` (unweighted mean over families)."""
    rows = active_registrations(register, jaar)
    return float(rows["uren_per_week"].mean()) if len(rows) else float("nan")


def mean_caseload(register: Register, jaar: int) -> float:
    """Time-weighted average number of simultaneously active trajecten in ``jaar``."""
    first, last = year_bounds(jaar)
    t = register.trajecten
    start = t["startdatum"].clip(lower=first)
    end = t["einddatum"].fillna(last).clip(upper=last)
    days = ((end - start).dt.days + 1).clip(lower=0)
    return float(days.sum() / ((last - first).days + 1))


def category_counts(
    register: Register, jaar: int, column: str, codes: Sequence[str] = ()
) -> pd.Series:
    """Families active in ``jaar`` per category of ``column`` (gezinssamenstelling, hoofdvraag).

    Categories in ``codes`` that nobody had are included with zero; order follows ``codes``,
    then any other category found.
    """
    counts = active_registrations(register, jaar)[column].value_counts()
    order = list(codes) + sorted(set(counts.index) - set(codes))
    return counts.reindex(order, fill_value=0).astype(int).rename("gezinnen")


def count_category(register: Register, jaar: int, column: str, code: str) -> int:
    """Families active in ``jaar`` whose ``column`` is ``code``."""
    return int((active_registrations(register, jaar)[column] == code).sum())


def _positions(register: Register, frame: pd.DataFrame) -> np.ndarray:
    """Row position in ``register.trajecten`` of each row's traject (-1 for an unknown id).

    A register from :func:`~evalkit.inputs.register.load_register` shares one categorical for
    ``traject_id`` whose codes are these positions; otherwise the ids are looked up.
    """
    ids, own = frame["traject_id"], register.trajecten["traject_id"]
    if (
        isinstance(ids.dtype, pd.CategoricalDtype)
        and ids.dtype is own.dtype
        and np.array_equal(own.cat.codes.to_numpy(), np.arange(len(own)))
    ):
        return ids.cat.codes.to_numpy().astype(np.int64)
    index = pd.Index(own.astype(str).to_numpy(dtype=object))
    return index.get_indexer(ids.astype(str).to_numpy(dtype=object))


def _children(register: Register, jaar: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Children born by 31 December of the families active in ``jaar``.

    Returns their rows in ``kinderen``, their family's position in ``trajecten`` and their age
    in whole years.
    """
    active = active_mask(register.trajecten, jaar).to_numpy()
    k = register.kinderen
    family = _positions(register, k)
    months = (jaar - k["geboortejaar"].to_numpy()) * 12 + (12 - k["geboortemaand"].to_numpy())
    keep = (family >= 0) & active[np.maximum(family, 0)] & (months >= 0)
    return np.flatnonzero(keep), family[keep], months[keep] // 12


def children_at(register: Register, jaar: int) -> pd.DataFrame:
    """Children of the families active in ``jaar``, with their age on 31 December ``jaar``.

    Returns
    -------
    pandas.DataFrame
        Columns ``traject_id``, ``kind_id``, ``leeftijd`` (whole years); unborn children excluded.

    """
    rows, _, ages = _children(register, jaar)
    out = register.kinderen.iloc[rows][["traject_id", "kind_id"]]
    return out.assign(leeftijd=ages)


def children_per_family(register: Register, jaar: int) -> pd.Series:
    """Number of children (born by 31 December) of each family active in ``jaar``."""
    t = register.trajecten
    active = active_mask(t, jaar).to_numpy()
    _, family, _ = _children(register, jaar)
    counts = np.bincount(family, minlength=len(t))[active]
    return pd.Series(counts, index=t["traject_id"][active].to_numpy(), name="kinderen")


def family_size_counts(register: Register, jaar: int) -> pd.Series:
    """Number of families active in ``jaar`` by their number of children, ascending."""
    sizes = children_per_family(register, jaar).value_counts().sort_index()
    sizes.index.name = "kinderen"
    return sizes.astype(int).rename("gezinnen")


def count_families_with_children(register: Register, jaar: int, n: int) -> int:
    """Families active in ``jaar`` with exactly ``n`` children."""
    return int((children_per_family(register, jaar) == n).sum())


def _category_index(ages: np.ndarray, categories: pd.DataFrame) -> np.ndarray:
    """Position in ``categories`` (ordered by ``min_jaar``) of each age in whole years.

    -1 for an age below the first category.
    """
    return np.searchsorted(categories["min_jaar"].to_numpy(), ages, side="right") - 1


def age_category(ages: pd.Series, categories: pd.DataFrame) -> pd.Series:
    """Map ages in whole years to the category codes of one scheme (None below the first)."""
    codes = np.asarray([*categories["code"], None], dtype=object)  # index -1: None
    return pd.Series(codes[_category_index(ages.to_numpy(), categories)], index=ages.index)


def children_by_age_category(
    register: Register, jaar: int, reference: Reference, schema: str | None = None
) -> pd.DataFrame:
    """Children of active families with their age category (one row per child)."""
    schema = schema or reference.report_definition(jaar)["leeftijdsschema"]
    kids = children_at(register, jaar)
    cats = reference.age_categories(schema)
    return kids.assign(categorie=age_category(kids["leeftijd"], cats))


def count_children_in_category(
    register: Register, jaar: int, reference: Reference, categorie: str, schema: str | None = None
) -> int:
    """Number of children (not families) of active families in age ``categorie``."""
    schema = schema or reference.report_definition(jaar)["leeftijdsschema"]
    cats = reference.age_categories(schema)
    _, _, ages = _children(register, jaar)
    wanted = list(cats["code"]).index(categorie)
    return int((_category_index(ages, cats) == wanted).sum())


def _oldest(register: Register, jaar: int) -> pd.Series:
    """Age of the oldest child born by 31 December, per active family that has one."""
    _, family, ages = _children(register, jaar)
    return pd.Series(ages).groupby(family).max()


def family_age_category_oldest(
    register: Register, jaar: int, reference: Reference, schema: str | None = None
) -> pd.Series:
    """Families active in ``jaar`` per age category of their oldest child (the 2022 rule)."""
    schema = schema or reference.report_definition(jaar)["leeftijdsschema"]
    cats = reference.age_categories(schema)
    index = _category_index(_oldest(register, jaar).to_numpy(), cats)
    counts = np.bincount(index, minlength=len(cats))
    return pd.Series(counts, index=list(cats["code"]), name="gezinnen").astype(int)


def family_age_profiles(
    register: Register, jaar: int, reference: Reference, schema: str | None = None
) -> pd.Series:
    """The set of age categories present in each active family (the 2023 rule).

    Returns
    -------
    pandas.Series
        Indexed by traject_id (families with a child born by 31 December); values are tuples of
        category codes in scheme order.

    """
    schema = schema or reference.report_definition(jaar)["leeftijdsschema"]
    cats = reference.age_categories(schema)
    codes = list(cats["code"])
    _, family, ages = _children(register, jaar)
    category = _category_index(ages, cats)
    # One bit per category present; only the few distinct masks become tuples.
    masks = np.zeros(len(register.trajecten), dtype=np.int64)
    for k in range(len(codes)):
        has = np.zeros(len(masks), dtype=bool)
        has[family[category == k]] = True
        masks |= has.astype(np.int64) << k
    present = np.flatnonzero(masks)
    profile = {m: tuple(c for k, c in enumerate(codes) if m >> k & 1) for m in np.unique(masks)}
    ids = register.trajecten["traject_id"].to_numpy()[present]
    return pd.Series(masks[present], index=ids).map(profile).rename("categorieen")


def _map_distinct(values: pd.Series, func) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct value (profiles repeat a lot)."""
    return values.map({v: func(v) for v in values.unique()})


AGE_GROUPS = (
    "alleen_een_categorie",
    "alle_categorieen",
    "meerdere_onder_12",
    "meerdere_vanaf_12",
    "meerdere_overig",
)


def age_profile_group(profile: tuple[str, ...], categories: pd.DataFrame) -> str:
    """Classify one family's set of age categories the way the 2023 report grouped them.

    Groups: a single category; all categories of the scheme; several categories all under 12;
    several categories all 12 or older; several categories otherwise.
    """
    if len(profile) == 1:
        return "alleen_een_categorie"
    lower = dict(zip(categories["code"], categories["min_jaar"], strict=True))
    if len(profile) == len(categories):
        return "alle_categorieen"
    upper = dict(zip(categories["code"], categories["max_jaar"], strict=True))
    if all(pd.notna(upper[c]) and upper[c] <= 12 for c in profile):
        return "meerdere_onder_12"
    if all(lower[c] >= 12 for c in profile):
        return "meerdere_vanaf_12"
    return "meerdere_overig"


AGE_GROUP_LABELS = {
    "alle_categorieen": "alle categorieën",
    "meerdere_onder_12": "meerdere onder 12",
    "meerdere_vanaf_12": "meerdere vanaf 12",
    "meerdere_overig": "meerdere overig",
}


def age_group_label(profile: tuple[str, ...], categories: pd.DataFrame) -> str:
    """The 2023 report's label of a family's set of age categories (``alleen 1-6``, ...)."""
    group = age_profile_group(profile, categories)
    return f"alleen {profile[0]}" if group == "alleen_een_categorie" else AGE_GROUP_LABELS[group]


def count_age_group(
    register: Register, jaar: int, reference: Reference, group: str, categorie: str | None = None
) -> int:
    """Families in one age group; for ``alleen_een_categorie`` optionally of one category."""
    schema = reference.report_definition(jaar)["leeftijdsschema"]
    cats = reference.age_categories(schema)
    profiles = family_age_profiles(register, jaar, reference, schema)
    groups = _map_distinct(profiles, lambda p: age_profile_group(p, cats))
    mask = groups == group
    if categorie is not None:
        mask &= _map_distinct(profiles, lambda p: p == (categorie,))
    return int(mask.sum())


def count_multiple_age_categories(register: Register, jaar: int, reference: Reference) -> int:
    """Families with children in more than one age category."""
    profiles = family_age_profiles(register, jaar, reference)
    return int((_map_distinct(profiles, len) > 1).sum())


def share_all_children_below(
    register: Register, jaar: int, reference: Reference, age: int
) -> float:
    """Share (0-1) of active families whose children are all younger than ``age``."""
    oldest = _oldest(register, jaar)
    return float((oldest < age).mean()) if len(oldest) else float("nan")


def first_start_month(register: Register) -> str:
    """Month (``YYYY-MM``) in which the first traject of the register started."""
    return register.trajecten["startdatum"].min().strftime("%Y-%m")


def hoofdvraag_counts(register: Register, jaar: int, reference: Reference) -> pd.Series:
    """Families active in ``jaar`` per hoofdvraag, in the order of the vocabulary."""
    return category_counts(register, jaar, "hoofdvraag", list(reference.hoofdvraag["code"]))


def gezinssamenstelling_counts(register: Register, jaar: int, reference: Reference) -> pd.Series:
    """Families active in ``jaar`` per gezinssamenstelling, in the order of the vocabulary."""
    codes = list(reference.gezinssamenstelling["code"])
    return category_counts(register, jaar, "gezinssamenstelling", codes)


def age_group_counts(register: Register, jaar: int, reference: Reference) -> pd.Series:
    """Families active in ``jaar`` by the combination of their children's age categories.

    One group per single category (``alleen 1-6``), then ``alle categorieën``,
    ``meerdere onder 12``, ``meerdere vanaf 12`` and ``meerdere overig``: the grouping of the
    2023 report. The groups partition the families, so percentages can be taken of them.
    """
    schema = reference.report_definition(jaar)["leeftijdsschema"]
    cats = reference.age_categories(schema)
    profiles = family_age_profiles(register, jaar, reference, schema)
    order = [f"alleen {c}" for c in cats["code"]] + list(AGE_GROUP_LABELS.values())
    counts = _map_distinct(profiles, lambda p: age_group_label(p, cats)).value_counts()
    return counts.reindex(order, fill_value=0).astype(int).rename("gezinnen")
