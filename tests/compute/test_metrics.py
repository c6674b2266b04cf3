"""Metrics against values computed by hand on tests/fixtures/register-klein (see its README)."""

import pandas as pd
import pytest

from conftest import ROOT
from evalkit.compute import metrics
from evalkit.inputs.register import Register, load_reference

REFERENCE = load_reference(ROOT / "data" / "reference")


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (metrics.count_active, (2022,), 3),
        (metrics.count_active, (2023,), 3),
        (metrics.count_active, (2021,), 0),
        (metrics.count_started, (2022,), 3),
        (metrics.count_started, (2022, 1), 2),
        (metrics.count_started, (2022, 2), 1),
        (metrics.count_started, (2023,), 1),
        (metrics.count_closed, (2022,), 1),
        (metrics.count_closed, (2023,), 1),
        (metrics.count_carried_over, (2022,), 0),
        (metrics.count_carried_over, (2023,), 2),
        (metrics.count_wijken, (2022,), 2),
        (metrics.count_wijken, (2023,), 3),
        (metrics.count_wijk, (2022, "Beijum"), 2),
        (metrics.count_wijk, (2023, "Beijum"), 1),
        (metrics.count_wijk, (2023, "Vinkhuizen"), 0),
        (metrics.count_category, (2022, "hoofdvraag", "praktisch"), 2),
        (metrics.count_category, (2023, "gezinssamenstelling", "samengesteld_gezin"), 1),
        (metrics.count_families_with_children, (2022, 2), 2),
        (metrics.count_families_with_children, (2022, 1), 1),
        (metrics.count_families_with_children, (2023, 3), 1),
        (metrics.count_families_with_children, (2023, 1), 2),
    ],
)
def test_counts(small_register, func, args, expected):
    assert func(small_register, *args) == expected


@pytest.mark.parametrize(
    ("func", "jaar", "expected"),
    [
        # K01 263 days; K03 249 days; a month is 365.25 / 12 days.
        (metrics.mean_duration_closed, 2022, 263 / 30.4375),
        (metrics.mean_duration_closed, 2023, 249 / 30.4375),
        (metrics.mean_hours, 2022, (6.0 + 4.0 + 5.0) / 3),
        (metrics.mean_hours, 2023, (3.5 + 4.5 + 2.0) / 3),
        # Active days in 2022: K01 264, K02 300, K03 132.
        (metrics.mean_caseload, 2022, (264 + 300 + 132) / 365),
        # 2023: K02 365, K03 118 (to 28 April), K04 329 (from 6 February).
        (metrics.mean_caseload, 2023, (365 + 118 + 329) / 365),
    ],
)
def test_averages(small_register, func, jaar, expected):
    assert func(small_register, jaar) == pytest.approx(expected)


def test_mean_duration_without_closed_trajecten_is_nan(small_register):
    assert metrics.mean_duration_closed(small_register, 2021) != metrics.mean_duration_closed(
        small_register, 2021
    )


def test_wijk_counts_sorted_and_with_zero_wijken(small_register):
    counts = metrics.wijk_counts(small_register, 2022, wijken=["Vinkhuizen"])
    assert list(counts.items()) == [("Beijum", 2), ("Selwerd", 1), ("Vinkhuizen", 0)]


def test_children_born_after_reference_date_do_not_count(small_register):
    # C06 (K03) is born in March 2023: not a child of K03 on 31 December 2022.
    kids = metrics.children_at(small_register, 2022)
    assert "C06" not in set(kids["kind_id"])
    assert set(metrics.children_at(small_register, 2023)["kind_id"]) >= {"C06"}


@pytest.mark.parametrize(
    ("jaar", "kind_id", "leeftijd"),
    [(2022, "C04", 12), (2022, "C01", 3), (2023, "C06", 0), (2023, "C07", 15)],
)
def test_ages_on_31_december(small_register, jaar, kind_id, leeftijd):
    kids = metrics.children_at(small_register, jaar).set_index("kind_id")
    assert kids.loc[kind_id, "leeftijd"] == leeftijd


def test_oldest_child_rule_2022(small_register, reference):
    counts = metrics.family_age_category_oldest(small_register, 2022, reference)
    assert counts.to_dict() == {"0-6": 1, "6-12": 1, "12-18": 1, "18+": 0}


def test_age_profiles_2023(small_register, reference):
    profiles = metrics.family_age_profiles(small_register, 2023, reference)
    assert profiles.to_dict() == {
        "K02": ("6-12",),
        "K03": ("0-1", "6-12", "12-16"),
        "K04": ("12-16",),
    }
    assert metrics.count_multiple_age_categories(small_register, 2023, reference) == 1
    assert (
        metrics.count_age_group(small_register, 2023, reference, "alleen_een_categorie", "12-16")
        == 1
    )
    assert metrics.count_age_group(small_register, 2023, reference, "meerdere_overig") == 1


@pytest.mark.parametrize(
    ("profile", "group"),
    [
        (("1-6",), "alleen_een_categorie"),
        (("0-1", "1-6", "6-12", "12-16", "16+"), "alle_categorieen"),
        (("0-1", "6-12"), "meerdere_onder_12"),
        (("12-16", "16+"), "meerdere_vanaf_12"),
        (("6-12", "16+"), "meerdere_overig"),
    ],
)
def test_age_profile_group(reference, profile, group):
    assert metrics.age_profile_group(profile, reference.age_categories("2023")) == group


def test_share_all_children_below(small_register, reference):
    # 2022: oldest children 3, 7 and 12 years: two of three families have only children under 12.
    assert metrics.share_all_children_below(small_register, 2022, reference, 12) == pytest.approx(
        2 / 3
    )


def _plain_ids(register: Register, order: list[int]) -> Register:
    """The same register with string ids (as the solver builds it) and trajecten reordered."""
    tables = {
        name: getattr(register, name).assign(
            traject_id=lambda f: f["traject_id"].astype(str).astype(object)
        )
        for name in ("trajecten", "jaarregistratie", "kinderen")
    }
    tables["trajecten"] = tables["trajecten"].iloc[order].reset_index(drop=True)
    return Register(**tables)


@pytest.mark.parametrize("jaar", [2022, 2023])
@pytest.mark.parametrize(
    "func",
    [
        metrics.family_size_counts,
        metrics.children_per_family,
        metrics.mean_hours,
        lambda r, j: metrics.family_age_category_oldest(r, j, REFERENCE),
        lambda r, j: metrics.age_group_counts(r, j, REFERENCE),
        lambda r, j: metrics.count_children_in_category(r, j, REFERENCE, "6-12", "2022"),
        lambda r, j: metrics.share_all_children_below(r, j, REFERENCE, 12),
        lambda r, j: metrics.family_age_profiles(r, j, REFERENCE).sort_index(),
    ],
)
def test_metrics_do_not_depend_on_the_id_encoding(small_register, func, jaar):
    # A loaded register matches rows to trajecten by shared categorical codes; any other
    # register by looking the ids up. Both must give the same figures.
    order = list(range(len(small_register.trajecten)))[::-1]
    plain = _plain_ids(small_register, order)
    expected, got = func(small_register, jaar), func(plain, jaar)
    if isinstance(expected, pd.Series):
        expected = expected.sort_index() if func is metrics.children_per_family else expected
        got = got.sort_index() if func is metrics.children_per_family else got
        assert expected.to_dict() == got.to_dict()
    else:
        assert expected == pytest.approx(got, nan_ok=True)


@pytest.mark.parametrize(
    ("schema", "ages", "codes"),
    [
        (
            "2022",
            [0, 5, 6, 11, 12, 17, 18, 30],
            ["0-6", "0-6", "6-12", "6-12", "12-18", "12-18", "18+", "18+"],
        ),
        ("2023", [0, 1, 5, 6, 12, 15, 16], ["0-1", "1-6", "1-6", "6-12", "12-16", "12-16", "16+"]),
        ("2023", [-1], [None]),
    ],
)
def test_age_category_boundaries(schema, ages, codes):
    got = metrics.age_category(pd.Series(ages), REFERENCE.age_categories(schema))
    assert got.tolist() == codes
