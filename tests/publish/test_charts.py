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


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        (
            "Praktisch functioneren (bijv. huishouding)",
            ["Praktisch functioneren", "(bijv. huishouding)"],
        ),
        (
            "kinderen uit meerdere categorieën, onder 12",
            ["kinderen uit meerdere", "categorieën, onder 12"],
        ),
        ("Omgang", ["Omgang"]),
        # A word longer than a line stays whole: a label is never cut.
        ("Onthullingsbeheersingsmaatregelen", ["Onthullingsbeheersingsmaatregelen"]),
    ],
)
def test_wrap_label(label, lines):
    assert charts.wrap_label(label) == lines


AGES = pd.DataFrame(
    {
        "categorie": [
            "kinderen uit meerdere categorieën, onder 12",
            "kinderen uit meerdere categorieën, vanaf 12",
            "kinderen uit meerdere categorieën, overig",
            "Praktisch functioneren (bijv. huishouding)",
        ],
        "gezinnen": [6, 3, 3, 1],
    }
)


def _svg_texts(chart) -> list[str]:
    """The texts of the rendered SVG; the lines of a multi-line text joined by ``|``."""
    import re

    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict())
    texts = []
    for t in re.findall(r"<text[^>]*>(.*?)</text>", svg):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", t)
        texts.append("|".join(lines) if lines else t)
    return texts


def test_bar_chart_labels_wrap_and_are_never_cut():
    chart = charts.bar_chart(
        AGES,
        "categorie",
        "gezinnen",
        title="T",
        description="alt",
        category_title="",
        value_title="Gezinnen",
    )
    texts = _svg_texts(chart)
    # Each label is drawn whole, on two lines (two tspans), and the three age labels differ.
    assert "kinderen uit meerdere|categorieën, onder 12" in texts
    assert "kinderen uit meerdere|categorieën, vanaf 12" in texts
    assert "kinderen uit meerdere|categorieën, overig" in texts
    assert "Praktisch functioneren|(bijv. huishouding)" in texts
    assert not any("…" in t for t in texts)


def test_charts_fill_their_container_and_leave_aria_to_the_dutch_alt_text():
    spec = charts.bar_chart(
        AGES,
        "categorie",
        "gezinnen",
        title="T",
        description="Staafdiagram van iets.",
        category_title="",
        value_title="Gezinnen",
    ).to_dict()
    assert spec["width"] == "container"
    assert spec["config"]["aria"] is False
    assert spec["description"] == "Staafdiagram van iets."
    # Two-line labels get room: the band is at least two lines high.
    assert spec["height"]["step"] >= 2 * charts.LINE_HEIGHT


@pytest.mark.parametrize(
    ("values", "order"),
    [
        ([1, 3, 2], ["b", "c", "a"]),
        ([2, 2, 1], ["a", "b", "c"]),  # ties keep their order
        ([None, 5, 1], ["b", "c", "a"]),  # hidden or not applicable: last
    ],
)
def test_size_order_largest_first(values, order):
    frame = pd.DataFrame({"k": ["a", "b", "c"], "v": pd.array(values, dtype="Int64")})
    assert charts.size_order(frame, "k", "v") == order


def test_bar_chart_keeps_a_given_order():
    spec = charts.bar_chart(
        AGES,
        "categorie",
        "gezinnen",
        title="T",
        description="alt",
        category_title="",
        value_title="Gezinnen",
        sort=list(AGES["categorie"][::-1]),
    ).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == list(AGES["categorie"][::-1])


def test_grouped_bars_say_nvt_for_a_category_a_year_did_not_use():
    frame = pd.DataFrame(
        {
            "jaar": [2022, 2023, 2022, 2023],
            "categorie": [
                "oudste kind 0-6 jaar",
                "oudste kind 0-6 jaar",
                "alleen 0-1",
                "alleen 0-1",
            ],
            "procent": [40.0, float("nan"), float("nan"), 25.0],
        }
    )
    spec = charts.grouped_bar_chart(
        frame, "categorie", "procent", "jaar", title="T", description="alt"
    ).to_dict()
    data = pd.DataFrame(spec["datasets"][next(iter(spec["datasets"]))])
    assert list(data["_label"]) == ["2022: 40%", "2023: n.v.t.", "2022: n.v.t.", "2023: 25%"]
    # No bar for n.v.t. (no value), while its text stands at the start of the axis.
    assert data["procent"].isna().tolist() == [False, True, True, False]
    assert list(data["_x"]) == [40.0, 0.0, 0.0, 25.0]
    texts = _svg_texts(
        charts.grouped_bar_chart(
            frame, "categorie", "procent", "jaar", title="T", description="alt"
        )
    )
    assert texts.count("2023: n.v.t.") == 1 and texts.count("2022: n.v.t.") == 1


def test_bar_layers_take_further_encodings_on_both_layers():
    # The hook for a status encoding: an extra channel reaches the bars and their labels.
    frame = AGES.assign(status=["register", "gepubliceerd", "gepubliceerd", "register"])
    bars, text = charts.bar_layers(
        frame,
        y=charts.alt.Y("categorie:N"),
        x=charts.alt.X("gezinnen:Q"),
        text="categorie",
        tooltip=[],
        opacity=charts.alt.Opacity("status:N"),
    )
    assert bars.to_dict()["encoding"]["opacity"]["field"] == "status"
    assert text.to_dict()["encoding"]["opacity"]["field"] == "status"


def test_long_headings_wrap_so_that_the_bars_keep_their_room():
    title = "Meest gestelde hoofdvraag: Pedagogisch functioneren (opvoedingsondersteuning)"
    spec = charts.bar_chart(
        AGES,
        "categorie",
        "gezinnen",
        title=title,
        subtitle="Short",
        description="alt",
        category_title="",
        value_title="Gezinnen",
    ).to_dict()
    lines = spec["title"]["text"]
    assert " ".join(lines) == title and all(len(line) <= charts.TITLE_WIDTH for line in lines)
    assert spec["title"]["subtitle"] == "Short"


STATUS = AGES.assign(
    status=[charts.FIXED, charts.NOT_FIXED, charts.FIXED, charts.NOT_FIXED],
    jaar=[2022, 2022, 2023, 2023],
    procent=[40.0, 20.0, 20.0, 20.0],
)


def _bar(status):
    return charts.bar_chart(
        STATUS,
        "categorie",
        "gezinnen",
        title="T",
        description="alt",
        category_title="",
        value_title="Gezinnen",
        status=status,
    )


def _grouped(status):
    return charts.grouped_bar_chart(
        STATUS, "categorie", "procent", "jaar", title="T", description="alt", status=status
    )


@pytest.mark.parametrize(
    ("make", "status", "style", "channel"),
    [
        (_bar, "status", "open", "fill"),
        (_bar, None, None, "fill"),
        (_grouped, "status", "faded", "opacity"),
        (_grouped, None, None, "opacity"),
    ],
)
def test_the_status_legend_is_left_to_the_html_under_the_chart(make, status, style, channel):
    # A Vega legend starts at the plot's left edge and runs off a phone's screen; the chart
    # names its style in usermeta and the figure's HTML draws the legend (see test_display).
    spec = make(status).to_dict()
    assert (spec.get("usermeta") or {}).get(charts.STATUS_LEGEND) == style
    bars = spec["layer"][0]["encoding"]
    if status is None:
        assert channel not in bars
    else:
        assert bars[channel]["legend"] is None
        assert bars[channel]["scale"]["domain"] == [charts.FIXED, charts.NOT_FIXED]


@pytest.mark.parametrize("make", [_bar, _grouped])
def test_charts_keep_room_at_the_right_for_the_longest_bars_label(make):
    assert make("status").to_dict()["padding"]["right"] >= 16
