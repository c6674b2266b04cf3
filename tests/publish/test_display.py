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
