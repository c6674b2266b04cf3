"""Chart functions: accessible colours, alternative text, values in text, no side effects."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from evalkit.publish import charts
from evalkit.publish.charts import BAR_COLOUR, TEXT_COLOUR, YEAR_COLOURS, contrast_ratio


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_ratio_known_values(a, b, ratio):
    assert contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)


def test_palette_contrast():
    # WCAG 1.4.11: graphical objects ≥ 3:1 against the page and between adjacent categories.
    for colour in (BAR_COLOUR, *YEAR_COLOURS):
        assert contrast_ratio(colour, "#ffffff") >= 3
    for a, b in itertools.pairwise(YEAR_COLOURS):
        assert contrast_ratio(a, b) >= 3
    assert contrast_ratio(TEXT_COLOUR, "#ffffff") >= 4.5


FRAME = pd.DataFrame(
    {
        "jaar": [2022, 2022, 2023, 2023],
        "categorie": ["Beijum", "Haren", "Beijum", "Haren"],
        "procent": [60.0, 40.0, 45.0, 55.0],
    }
)


def test_grouped_bars_tell_the_year_in_text_not_only_colour():
    spec = charts.grouped_bar_chart(
        FRAME, "categorie", "procent", "jaar", title="T", subtitle="S", description="alt"
    ).to_dict()
    assert spec["description"] == "alt"
    marks = [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]
    assert marks == ["bar", "text"]
    labels = set(pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])["_label"])
    assert labels == {"2022: 60%", "2022: 40%", "2023: 45%", "2023: 55%"}


def test_chart_functions_leave_the_frame_alone():
    before = FRAME.copy()
    charts.grouped_bar_chart(
        FRAME, "categorie", "procent", "jaar", title="T", subtitle="S", description="alt"
    )
    pd.testing.assert_frame_equal(FRAME, before)
