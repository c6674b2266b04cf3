"""The benchmark's arithmetic: ratios against the targets, and the readable table."""

from __future__ import annotations

import pytest

from evalkit.pipeline.bench import summarise, table

BUILDS = {
    "cold_html": 60.0,
    "cold_html_pdf": 75.0,
    "noop": 1.0,
    "edit_page": 12.0,
    "edit_page_html": 10.0,
    "data_change": 25.0,
    "data_change_html": 20.0,
    "cold_html_pdf_audit_cached": 30.0,
    "cold_html_analysis_cached": 25.0,
    "floor_papermill": 40.0,
    "stock_force_html": 50.0,
}


def _scale(n: int, load: float, work: float, peak: float, floor: float) -> dict:
    return {
        "trajecten": n,
        "rows": {},
        "evalkit": {"load": load, "metrics": work, "peak_mb": peak},
        "pandas": {"read": floor / 2, "groupby": floor / 2, "peak_mb": peak / 2},
    }


def test_ratios_and_verdicts():
    scale = [_scale(100_000, 1.0, 0.5, 300, 0.4), _scale(1_000_000, 12.0, 3.0, 1500, 2.0)]
    ratios = summarise(BUILDS, scale)
    assert ratios["noop_vs_stock"] == {"value": 0.02, "target": 0.05, "met": True}
    assert ratios["edit_page_html_vs_cold_html"] == {"value": 0.167, "target": 0.25, "met": True}
    assert ratios["data_change_html_vs_cold_html"] == {"value": 0.333, "target": 0.5, "met": True}
    assert ratios["data_change_html_vs_cold_html_analysis_cached"] == {
        "value": 0.8,
        "target": 0.5,
        "met": False,
    }
    assert ratios["cold_vs_floor"] == {"value": 1.5, "target": 2.0, "met": True}
    assert ratios["load_and_metrics_vs_pandas"] == {"value": 7.5, "target": 3.0, "met": False}
    assert ratios["metrics_growth_1e6_over_1e5"] == {"value": 10.0, "target": 12.0, "met": True}
    assert ratios["metrics_vs_pandas"]["met"] is None  # the computing part alone: no target


@pytest.mark.parametrize(
    ("seconds", "met"), [(74.2, True), (90.0, True), (126.0, False), (None, None)]
)
def test_the_cold_analysis_has_a_target_of_90_seconds(seconds, met):
    stages = {"cold_html": {"audit": 12.0} | ({"analyse totaal": seconds} if seconds else {})}
    ratios = summarise(BUILDS, [], stages)
    if seconds is None:  # an older build.json without the stage: no row, not a pass
        assert "cold_analysis_seconds" not in ratios
    else:
        assert ratios["cold_analysis_seconds"] == {"value": seconds, "target": 90.0, "met": met}


def test_a_missed_target_is_reported_as_missed():
    scale = [_scale(100_000, 1.0, 0.5, 300, 0.4), _scale(1_000_000, 30.0, 9.0, 2500, 2.0)]
    ratios = summarise({**BUILDS, "noop": 20.0, "edit_page_html": 20.0}, scale)
    assert ratios["noop_vs_stock"]["met"] is False
    assert ratios["edit_page_html_vs_cold_html"]["met"] is False
    assert ratios["metrics_peak_mb"]["met"] is False
    assert ratios["metrics_growth_1e6_over_1e5"]["met"] is False


def test_table_lists_every_measurement():
    scale = [_scale(1_000_000, 12.0, 3.0, 1500, 2.0)]
    stages = {"cold_html": {"audit": 5.04, "notebooks": 30.0, "sphinx html": 9.5}}
    text = table(
        {"builds": BUILDS, "scale": scale, "ratios": summarise(BUILDS, scale), "stages": stages}
    )
    assert "| Bouw | audit | notebooks | sphinx html |" in text
    assert "| cold_html | 5.0 | 30.0 | 9.5 |" in text
    assert "| noop | 1.0 |" in text and "| 1,000,000 | 12.00 | 3.00 | 1500 | 2.00 | 750 |" in text


def test_the_data_change_touches_one_2023_value_of_a_2023_traject(register_copy):
    from evalkit.pipeline.bench import _change_one_2023_value

    before = (register_copy / "jaarregistratie.csv").read_text(encoding="utf-8").splitlines()
    _change_one_2023_value(register_copy)
    after = (register_copy / "jaarregistratie.csv").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            "K04,2023,samengesteld_gezin,psychisch,2.0",
            "K04,2023,samengesteld_gezin,psychisch,2.5",
        )
    ]
