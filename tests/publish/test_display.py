import re

import pandas as pd
import pytest
from myst_nb.core.variables import format_plain_text

from evalkit.publish import charts
from evalkit.publish.display import ChartOutput, Text, fmt, markdown_table


@pytest.mark.parametrize(
    ("value", "kind", "decimals", "pasted"),
    [
        (7.7, "number", 1, "7,7"),
        (336000, "number", 0, "336.000"),
        (336000, "euro", 0, "€\xa0336.000"),
        (5.25, "number", 1, "5,3"),
        (28.57, "pct", 0, "29%"),
        (21, "number", 0, "21"),
    ],
)
def test_glued_text_survives_myst_nb_formatting(value, kind, decimals, pasted):
    bundle = Text(fmt(value, kind, decimals))._repr_mimebundle_()
    assert format_plain_text(bundle["text/plain"], "s") == pasted


def test_markdown_table_aligns_numbers_right():
    table = markdown_table(pd.DataFrame({"Wijk": ["Beijum"], "Gezinnen": [7]})).data
    assert table.splitlines()[1] == "| :--- | ---: |"
    assert "| Beijum | 7 |" in table


def test_chart_output_has_html_and_vector_pdf():
    frame = pd.DataFrame({"wijk": ["Beijum", "Selwerd"], "gezinnen": [7, 4]})
    chart = charts.bar_chart(
        frame,
        "wijk",
        "gezinnen",
        title="T",
        description="D",
        category_title="Wijk",
        value_title="Gezinnen",
    )
    bundle = ChartOutput(chart, "Wijken 2022", "alt")._repr_mimebundle_()
    assert bundle["application/pdf"][:4] == b"%PDF"
    assert 'id="evalkit-chart-wijken-2022"' in bundle["text/html"]
    assert 'vegaEmbed("#evalkit-chart-wijken-2022"' in bundle["text/html"]
    assert "cdn" not in bundle["text/html"]


@pytest.mark.parametrize(
    ("style", "swatches"),
    [
        ("open", ["evalkit-swatch-open-fixed", "evalkit-swatch-open-free"]),
        ("faded", ["evalkit-swatch-faded-fixed", "evalkit-swatch-faded-free"]),
        (None, []),
    ],
)
def test_a_chart_with_bar_statuses_gets_its_legend_in_html(style, swatches):
    frame = pd.DataFrame({"wijk": ["Beijum", "Selwerd"], "gezinnen": [7, 4]})
    chart = charts.bar_chart(
        frame, "wijk", "gezinnen", title="T", description="D", category_title="", value_title=""
    )
    if style:
        chart = chart.properties(usermeta={charts.STATUS_LEGEND: style})
    html = ChartOutput(chart, "w", "alt").html()
    assert re.findall(r'class="evalkit-swatch ([a-z-]+)"', html) == swatches
    assert (charts.FIXED in html, charts.NOT_FIXED in html) == (bool(style), bool(style))
    assert html.endswith("</ul></figure>") == bool(style)


def test_the_legend_swatches_have_the_colours_of_the_bars():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "book/_static/evalkit.css").read_text(encoding="utf-8")

    def rule(name: str) -> str:
        return re.search(r"\." + name + r" \{([^}]*)\}", css).group(1)

    assert charts.BAR_COLOUR in rule("evalkit-swatch-open-fixed")
    assert "#ffffff" in rule("evalkit-swatch-open-free")
    for name in ("evalkit-swatch-faded-fixed", "evalkit-swatch-faded-free"):
        assert all(colour in rule(name) for colour in charts.YEAR_COLOURS)
    assert "opacity" not in rule("evalkit-swatch-faded-fixed")
    assert f"opacity: {charts.FADED_OPACITY}" in rule("evalkit-swatch-faded-free")
