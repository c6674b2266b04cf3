"""The order of the rows does not matter: a shuffled register gives identical frames and numbers."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, TODAY
from evalkit.compute import metrics
from evalkit.compute.claims import load_registry
from evalkit.compute.reconcile import reconcile
from evalkit.inputs.register import TABLES, load_register
from evalkit.inputs.sources import load_documents

REGISTER = ROOT / "data" / "register"


def shuffle_lines(path, seed):
    """Put the data lines of a CSV file in a random order (the header stays first)."""
    head, *rows = path.read_text(encoding="utf-8").splitlines()
    order = np.random.default_rng(seed).permutation(len(rows))
    assert list(order) != sorted(order)
    path.write_text("\n".join([head, *(rows[i] for i in order)]) + "\n", encoding="utf-8")


def chapter_numbers(register, reference) -> list[str]:
    """Every figure the chapters compute, as text (``repr`` keeps every digit of a float)."""
    out = [metrics.first_start_month(register)]
    for jaar in register.years:
        scalars = [
            metrics.count_active(register, jaar),
            metrics.count_started(register, jaar),
            metrics.count_started(register, jaar, 1),
            metrics.count_started(register, jaar, 2),
            metrics.count_closed(register, jaar),
            metrics.count_carried_over(register, jaar),
            metrics.mean_duration_closed(register, jaar),
            metrics.mean_hours(register, jaar),
            metrics.mean_caseload(register, jaar),
            metrics.count_wijken(register, jaar),
            metrics.count_multiple_age_categories(register, jaar, reference),
            metrics.share_all_children_below(register, jaar, reference, 12),
        ]
        series = [
            metrics.wijk_counts(register, jaar, reference.wijken),
            metrics.hoofdvraag_counts(register, jaar, reference),
            metrics.gezinssamenstelling_counts(register, jaar, reference),
            metrics.family_size_counts(register, jaar),
            metrics.family_age_category_oldest(register, jaar, reference),
            metrics.age_group_counts(register, jaar, reference),
            metrics.children_per_family(register, jaar),
            metrics.family_age_profiles(register, jaar, reference),
        ]
        out += [repr(v) for v in scalars] + [repr(s.to_dict()) for s in series]
        out.append(metrics.children_at(register, jaar).to_csv())
    return out


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "data" / "claims", load_documents(ROOT / "data" / "sources"))


@pytest.fixture(scope="module")
def original(reference, registry):
    register = load_register(REGISTER, reference, TODAY)
    return (
        register,
        chapter_numbers(register, reference),
        reconcile(registry, register, reference, []),
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("tables", [*((t,) for t in TABLES), TABLES], ids=[*TABLES, "all"])
def test_shuffled_rows_give_identical_results(
    tmp_path, reference, registry, original, tables, seed
):
    folder = shutil.copytree(REGISTER, tmp_path / "register")
    for k, table in enumerate(tables):
        shuffle_lines(folder / f"{table}.csv", seed + k)
    register = load_register(folder, reference, TODAY)
    expected, numbers, reconciliation = original
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(register, name), getattr(expected, name))
    assert chapter_numbers(register, reference) == numbers
    pd.testing.assert_frame_equal(reconcile(registry, register, reference, []), reconciliation)


def test_the_sums_would_depend_on_the_order():
    # Why the register is sorted when loaded: the hours of the committed register, summed in
    # another order, give another last digit (floating-point addition is not associative).
    hours = pd.read_csv(REGISTER / "jaarregistratie.csv")["uren_per_week"].to_numpy()
    sums = {repr(float(np.random.default_rng(s).permutation(hours).mean())) for s in range(50)}
    assert len(sums) > 1
