"""The year chapters' distributions: rounding per published list, bar order, n.v.t. per year."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import ROOT
from evalkit.compute.claims import load_registry
from evalkit.inputs.sources import load_documents
from evalkit.publish import charts, report


@pytest.fixture(scope="module")
def ctx(reference):
    """The parts of a chapter context that the rounding choice reads: claims and reference."""
    documents = load_documents(ROOT / "data" / "sources")
    return SimpleNamespace(
        registry=load_registry(ROOT / "data" / "claims", documents), reference=reference
    )


@pytest.mark.parametrize(
    ("jaar", "name", "method"),
    [
        # Published as counts only ("elk 2 gezinnen"): every percentage rounded on its own.
        (2023, "wijken", "half_omhoog"),
        (2023, "leeftijd", "half_omhoog"),
        # Published as percentages: the report's own method (largest remainder in 2023).
        (2023, "hoofdvraag", "grootste_rest"),
        (2023, "gezinssamenstelling", "grootste_rest"),
        (2023, "kinderen", "grootste_rest"),
        # 2022's report rounded half up.
        (2022, "kinderen", "half_omhoog"),
    ],
)
def test_rounding_method_follows_what_the_report_published(ctx, jaar, name, method):
    assert report.rounding_method(ctx, jaar, name) == method


def test_equal_counts_get_equal_percentages_in_a_list_of_counts(ctx):
    # The 2023 wijken: seven wijken with 2 families each; largest remainder would make some
    # of them 9 % and others 10 %.
    counts = pd.Series([3, 3, 2, 2, 2, 2, 2, 2, 2, 1], index=list("abcdefghij"))
    frame = report.distribution_frame(
        counts, None, report.rounding_method(ctx, 2023, "wijken"), "categorie"
    )
    assert frame["procent_tekst"].tolist()[2:9] == ["10%"] * 7
    largest_remainder = report.distribution_frame(counts, None, "grootste_rest", "categorie")
    assert set(largest_remainder["procent_tekst"].tolist()[2:9]) == {"9%", "10%"}


def test_year_change_frame_says_nvt_for_a_category_a_year_did_not_use():
    counts = {
        2022: pd.Series([3, 1], index=["0-6", "6-12"]),
        2023: pd.Series([2, 2], index=["0-6", "alleen 0-1"]),
    }
    frame = report.year_change_frame(counts, {}, {2022: "half_omhoog", 2023: "half_omhoog"})
    shown = {(r.jaar, r.categorie): r.procent_tekst for r in frame.itertuples()}
    assert shown == {
        (2022, "0-6"): "75%",
        (2022, "6-12"): "25%",
        (2022, "alleen 0-1"): "n.v.t.",
        (2023, "0-6"): "50%",
        (2023, "alleen 0-1"): "50%",
        (2023, "6-12"): "n.v.t.",
    }
    assert frame.loc[frame["procent_tekst"] == "n.v.t.", "gezinnen"].isna().all()


def test_year_change_frame_gives_zero_where_every_year_classifies_alike():
    # The 2023 report published "geen actieve trajecten ... vanuit de Wijert": 0 families, a
    # published zero, not "n.v.t." (and Hoogkerk had none in the 2022 register).
    counts = {
        2022: pd.Series([7, 1], index=["Beijum", "De Wijert"]),
        2023: pd.Series([2, 3], index=["Beijum", "Hoogkerk"]),
    }
    frame = report.year_change_frame(
        counts, {}, {2022: "half_omhoog", 2023: "half_omhoog"}, absent_is_zero=True
    )
    shown = {(r.jaar, r.categorie): (r.gezinnen, r.procent_tekst) for r in frame.itertuples()}
    assert shown == {
        (2022, "Beijum"): (7, "88%"),
        (2022, "De Wijert"): (1, "13%"),
        (2022, "Hoogkerk"): (0, "0%"),
        (2023, "Beijum"): (2, "40%"),
        (2023, "Hoogkerk"): (3, "60%"),
        (2023, "De Wijert"): (0, "0%"),
    }


def test_distribution_chart_draws_bars_in_the_given_order():
    frame = pd.DataFrame(
        {
            "categorie": ["Omgang", "Praktisch functioneren (bijv. huishouding)"],
            "gezinnen": pd.array([1, 8], dtype="Int64"),
            "procent": [11.0, 89.0],
            "procent_tekst": ["11%", "89%"],
        }
    )
    order = ["Praktisch functioneren (bijv. huishouding)", "Omgang"]
    chart, alt_text = report.distribution_chart(
        frame, "categorie", title="T", subtitle="S", what="de hoofdvraag", sort=order
    )
    assert chart.to_dict()["layer"][0]["encoding"]["y"]["sort"] == order
    assert alt_text == (
        "Staafdiagram van de hoofdvraag. Praktisch functioneren (bijv. huishouding): 8 (89%); "
        "Omgang: 1 (11%)."
    )


@pytest.mark.parametrize(("jaar", "name"), [(2023, "hoofdvraag"), (2023, "gezinssamenstelling")])
def test_a_year_chapters_table_lists_the_categories_in_the_charts_order(tmp_path, jaar, name):
    audit = tmp_path / "audit.json"
    audit.write_text("[]", encoding="utf-8")
    chapter = report.load_context(
        ROOT / "data" / "register", ROOT / "data", audit, "2026-12-01", jaar=jaar
    )
    section = report.distribution_section(chapter, jaar, name)
    rows = list(section.frame["categorie"])
    assert rows == charts.size_order(section.frame, "categorie", "gezinnen")
    assert section.frame["gezinnen"].is_monotonic_decreasing
    # The Markdown table has the same rows in the same order.
    table = [line.split("|")[1].strip() for line in section.table.data.splitlines()[2:]]
    assert table == rows


@pytest.mark.parametrize(
    ("statuses", "sentence"),
    [
        (
            {"W-1": "discrepancy", "W-2": "discrepancy", "S-1": "discrepancy", "S-2": "exact"},
            "Bij 2 gepubliceerde getallen wijkt het herberekende getal af, en 1 rekensom met "
            "gepubliceerde getallen komt niet uit.",
        ),
        (
            {"W-1": "discrepancy", "S-1": "discrepancy", "S-2": "discrepancy"},
            "Bij 1 gepubliceerd getal wijkt het herberekende getal af, en 2 rekensommen met "
            "gepubliceerde getallen komen niet uit.",
        ),
        (
            {"W-1": "exact", "S-1": "rounding"},
            "Geen gepubliceerd getal wijkt af van het herberekende.",
        ),
    ],
)
def test_discrepancy_sentence_tells_figures_from_sums(statuses, sentence):
    table = pd.DataFrame({"claim_id": list(statuses), "status": list(statuses.values())})
    assert report.discrepancy_sentence(table, ["S-1", "S-2"]) == sentence


@pytest.mark.parametrize(
    ("kinds", "jaar", "synthetic", "says"),
    [
        (
            ("count_started",),
            2023,
            True,
            "Over dit onderwerp schrijft de rapportage ook: “waarvan er in 9 trajecten ook in 2023 "
            "zijn opgestart” (W23-gestart-2023). Dat getal is niet te rijmen met de andere "
            "gepubliceerde cijfers (tegenspraak C1); het register volgt de andere.",
        ),
        (
            ("count_started",),
            2023,
            False,
            "Over dit onderwerp schrijft de rapportage ook: “waarvan er in 9 trajecten ook in 2023 "
            "zijn opgestart” (W23-gestart-2023). Dat getal is niet te rijmen met de andere "
            "gepubliceerde cijfers (tegenspraak C1).",
        ),
        (("count_started",), 2022, True, ""),  # another year
        (("mean_hours",), 2023, True, ""),  # another section
    ],
)
def test_a_section_quotes_the_published_figure_the_register_gives_up(
    ctx, kinds, jaar, synthetic, says
):
    from evalkit.solver.audit import Conflict

    chapter = SimpleNamespace(
        registry=ctx.registry,
        conflicts=[Conflict("C1", ("W23-gestart-2023",), "W23-gestart-2023", "")],
        manifest=SimpleNamespace(synthetic=synthetic),
    )
    assert report.given_up_sentence(chapter, kinds, jaar) == says


def test_the_comparison_table_marks_every_percentage(tmp_path):
    from evalkit.publish.evidence import MARKS

    audit = tmp_path / "audit.json"
    audit.write_text("[]", encoding="utf-8")
    chapter = report.load_context(ROOT / "data" / "register", ROOT / "data", audit, "2026-12-01")
    comparison = report.comparison_section(chapter, [2022, 2023], "wijken", "de wijken")
    rows = [line.split("|")[2:4] for line in comparison.table.data.splitlines()[2:]]
    cells = [c.strip() for row in rows for c in row]
    assert len(cells) == 2 * comparison.frame["categorie"].nunique()
    # Without bounds every figure is undecided: its mark says so.
    assert all(c.endswith(" " + MARKS["onbeslist"]) for c in cells), cells


@pytest.mark.parametrize("with_claims", [True, False])
def test_a_provenance_block_without_published_figures_is_marked_for_print(ctx, with_claims):
    from evalkit.compute import metrics
    from evalkit.publish.provenance import Chapter

    claim = ctx.registry.by_id()["T23-gezinnen"]
    chapter = SimpleNamespace(
        reconciliation=pd.DataFrame(columns=["claim_id"]),
        documents={claim.document: SimpleNamespace(title="brief")},
    )
    block = report.provenance_block(
        chapter,
        Chapter("notebooks/jaar.ipynb", {"jaar": 2022}),
        computed_by=[metrics.count_active],
        claims=[claim] if with_claims else [],
        table="trajecten-2022",
    ).data
    assert block.startswith(f":::::{{container}} {report.EMPTY_PROVENANCE}") != with_claims
    assert ("Geen gepubliceerd cijfer" in block) != with_claims
    assert "trajecten-2022" in block
