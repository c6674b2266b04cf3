"""Random registers for benchmarks: valid, reproducible, and of the size asked for."""

from __future__ import annotations

import pytest

from conftest import TODAY
from evalkit.compute import metrics
from evalkit.inputs.register import validate_register
from evalkit.pipeline.random_register import random_register, write_random_register


@pytest.mark.parametrize("n", [1, 50, 2_000])
def test_random_register_passes_validation(tmp_path, reference, n):
    counts = write_random_register(tmp_path, n, reference, seed=7)
    register, problems = validate_register(tmp_path, reference, TODAY)
    assert problems == []
    assert counts["trajecten"] == len(register.trajecten) == n
    assert counts["kinderen"] >= n  # every family has a child


def test_same_seed_same_register(reference):
    a, b = random_register(300, reference, seed=3), random_register(300, reference, seed=3)
    c = random_register(300, reference, seed=4)
    assert all(a[k].equals(b[k]) for k in a)
    assert not a["trajecten"].equals(c["trajecten"])


def test_metrics_on_a_random_register_add_up(tmp_path, reference):
    write_random_register(tmp_path, 5_000, reference, seed=11)
    register, _ = validate_register(tmp_path, reference, TODAY)
    for jaar in register.years:
        active = metrics.count_active(register, jaar)
        assert int(metrics.wijk_counts(register, jaar).sum()) == active
        assert int(metrics.hoofdvraag_counts(register, jaar, reference).sum()) == active
        assert int(metrics.age_group_counts(register, jaar, reference).sum()) == active
