"""A year's slice of the register gives every figure of that year, and has a stable digest."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ROOT
from evalkit.compute import metrics
from evalkit.compute.slices import register_digest, year_slice
from evalkit.inputs.register import Register, load_register

YEAR_METRICS = [
    lambda r, j, ref: metrics.count_active(r, j),
    lambda r, j, ref: metrics.count_started(r, j),
    lambda r, j, ref: metrics.count_started(r, j, 1),
    lambda r, j, ref: metrics.count_closed(r, j),
    lambda r, j, ref: metrics.count_carried_over(r, j),
    lambda r, j, ref: metrics.mean_duration_closed(r, j),
    lambda r, j, ref: metrics.mean_hours(r, j),
    lambda r, j, ref: metrics.mean_caseload(r, j),
    lambda r, j, ref: metrics.count_wijken(r, j),
    lambda r, j, ref: metrics.wijk_counts(r, j, ref.wijken).to_dict(),
    lambda r, j, ref: metrics.hoofdvraag_counts(r, j, ref).to_dict(),
    lambda r, j, ref: metrics.gezinssamenstelling_counts(r, j, ref).to_dict(),
    lambda r, j, ref: metrics.family_size_counts(r, j).to_dict(),
    lambda r, j, ref: metrics.age_group_counts(r, j, ref).to_dict(),
    lambda r, j, ref: metrics.family_age_category_oldest(r, j, ref).to_dict(),
]
NAMES = [
    "active",
    "started",
    "started-h1",
    "closed",
    "carried-over",
    "duration",
    "hours",
    "caseload",
    "wijken",
    "wijk-counts",
    "hoofdvraag",
    "gezinssamenstelling",
    "family-size",
    "age-groups",
    "oldest-child",
]


@pytest.fixture(scope="module")
def committed(reference):
    return load_register(ROOT / "data" / "register", reference, dt.date(2026, 12, 1))


@pytest.mark.parametrize("jaar", [2022, 2023])
@pytest.mark.parametrize("metric", YEAR_METRICS, ids=NAMES)
def test_slice_gives_the_figures_of_its_year(committed, reference, metric, jaar):
    whole = metric(committed, jaar, reference)
    part = metric(year_slice(committed, jaar), jaar, reference)
    if isinstance(whole, float) and whole != whole:
        assert part != part
    else:
        assert part == whole


def test_slice_holds_only_its_year(committed):
    part = year_slice(committed, 2022)
    assert part.years == [2022]
    assert set(part.kinderen["traject_id"].astype(str)) <= set(
        part.trajecten["traject_id"].astype(str)
    )
    assert len(part.trajecten) == metrics.count_active(committed, 2022)


def shuffled(register: Register, seed: int) -> Register:
    return Register(
        *(
            getattr(register, t).sample(frac=1, random_state=seed).reset_index(drop=True)
            for t in ("trajecten", "jaarregistratie", "kinderen")
        )
    )


def test_digest_ignores_row_order_and_sees_one_value(committed):
    assert register_digest(committed) == register_digest(shuffled(committed, 1))
    changed = committed.jaarregistratie.copy()
    changed.loc[changed.index[-1], "uren_per_week"] += 0.1
    other = Register(committed.trajecten, changed, committed.kinderen)
    assert register_digest(other) != register_digest(committed)


def test_a_2023_change_leaves_the_2022_slice_alone(committed):
    jr = committed.jaarregistratie.copy()
    only_2023 = set(
        committed.trajecten.loc[~metrics.active_mask(committed.trajecten, 2022), "traject_id"]
    )
    row = jr.index[(jr["jaar"] == 2023) & jr["traject_id"].isin(only_2023)][0]
    jr.loc[row, "uren_per_week"] += 1
    changed = Register(committed.trajecten, jr, committed.kinderen)
    assert register_digest(year_slice(changed, 2022)) == register_digest(
        year_slice(committed, 2022)
    )
    assert register_digest(year_slice(changed, 2023)) != register_digest(
        year_slice(committed, 2023)
    )
    # A 2023 row of a family that was also active in 2022 changes only the 2023 slice too:
    both = jr.index[(jr["jaar"] == 2023) & ~jr["traject_id"].isin(only_2023)][0]
    jr2 = committed.jaarregistratie.copy()
    jr2.loc[both, "hoofdvraag"] = (
        "praktisch" if jr2.loc[both, "hoofdvraag"] != "praktisch" else "psychisch"
    )
    changed2 = Register(committed.trajecten, jr2, committed.kinderen)
    assert register_digest(year_slice(changed2, 2022)) == register_digest(
        year_slice(committed, 2022)
    )
