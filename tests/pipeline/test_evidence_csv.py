"""evidence.csv from executed notebooks, and the numbers shown without evidence."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from evalkit.pipeline.build import EVIDENCE, extract_data, fill_evidence_counts
from evalkit.publish.display import Text
from evalkit.publish.evidence import Evidence

PREFIX = "application/papermill.record/"
BEGRENSD = Evidence("begrensd", 2.0, 11.2, "2", "56/5", True, (), "register")


def glued(name: str, bundle: dict) -> dict:
    return nbformat.v4.new_output(
        "display_data",
        data={PREFIX + k: v for k, v in bundle.items()},
        metadata={"scrapbook": {"name": name, "mime_prefix": PREFIX}},
    )


def table(name: str, frame: pd.DataFrame, rows: list[dict], labels=None, exempt=()) -> dict:
    proof = {"labels": labels or [], "rows": rows, "exempt": list(exempt)}
    bundle = {
        "text/csv": frame.to_csv(index=False),
        "application/vnd.evalkit.evidence+json": proof,
    }
    return glued(f"tabel:{name}", bundle)


def notebook(folder, outputs: list[dict]) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = outputs
    nb.cells = [cell, nbformat.v4.new_markdown_cell("## Samenvatting\n\n{{ bewijs_zin }}")]
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / "hoofdstuk.ipynb")


CELL = {"key": "t:2022:looptijd", "label": "t: 2022, looptijd", "shown": "6.8"}
GEPUBLICEERD = Evidence("gepubliceerd", 12.0, 12.0, "12", "12", True, ("A",), "claim")
#: A table whose columns mix text, dates and numbers (as the reconciliation appendix).
MIXED = pd.DataFrame(
    {
        "claim_id": ["A", "B", "C"],
        "quote": ["29 maart 2023", "12 gezinnen", "som"],
        "published": ["12", "2020-11", "A + B == C"],
        "recomputed": ["12.4", "", "True"],
    }
)


def cell(key: str, ev: Evidence = GEPUBLICEERD) -> dict:
    return {"key": key, "label": key, "shown": ""} | ev.record()


@pytest.mark.parametrize(
    ("outputs", "missing"),
    [
        # every number has its evidence
        (
            [
                glued("looptijd", Text("6,8", 6.8, BEGRENSD, "looptijd")._repr_mimebundle_()),
                glued("top", Text("Beijum")._repr_mimebundle_()),
                table(
                    "t",
                    pd.DataFrame({"jaar": [2022], "looptijd": [6.8]}),
                    [CELL | BEGRENSD.record()],
                ),
            ],
            [],
        ),
        # a glued number and a table cell without
        (
            [
                glued("actief", Text("21", 21)._repr_mimebundle_()),
                table("t", pd.DataFrame({"jaar": [2022], "looptijd": [6.8]}), []),
            ],
            ["hoofdstuk:actief", "t:2022:looptijd"],
        ),
        # a mixed text/number table: every figure and date cell, not only numeric columns
        (
            [
                table(
                    "r",
                    MIXED,
                    [cell("r:A:published"), cell("r:A:recomputed", BEGRENSD)],
                    ["claim_id"],
                    ["quote"],
                )
            ],
            ["r:B:published"],
        ),
        (
            [
                table(
                    "r",
                    MIXED,
                    [cell(f"r:{k}") for k in ("A:published", "A:recomputed", "B:published")],
                    ["claim_id"],
                    ["quote"],
                )
            ],
            [],
        ),
        # a year glued as text is not a figure; a label column is not a cell
        (
            [
                glued("jaar", Text("2022")._repr_mimebundle_()),
                table("t", pd.DataFrame({"jaar": [2022], "wijk": ["Beijum"]}), []),
            ],
            [],
        ),
    ],
)
def test_numbers_without_evidence_are_reported(tmp_path, outputs, missing):
    notebook(tmp_path / "nb", outputs)
    assert extract_data(tmp_path / "nb", tmp_path / "data") == missing


def test_evidence_csv_rows_and_glue_text_without_marker(tmp_path):
    notebook(
        tmp_path / "nb",
        [
            glued("looptijd", Text("6,8", 6.8, BEGRENSD, "looptijd")._repr_mimebundle_()),
            table(
                "t",
                pd.DataFrame({"jaar": [2022], "looptijd": [6.8]}),
                [CELL | BEGRENSD.record()],
            ),
        ],
    )
    assert extract_data(tmp_path / "nb", tmp_path / "data") == []
    evidence = pd.read_csv(tmp_path / "data" / EVIDENCE, keep_default_na=False)
    assert list(evidence.columns[:9]) == [
        "notebook",
        "key",
        "label",
        "shown",
        "status",
        "min",
        "max",
        "min_exact",
        "max_exact",
    ]
    assert {"register_value", "claims", "exact", "basis"} <= set(evidence.columns)
    rows = evidence.set_index("key")
    assert rows.loc["looptijd", "shown"] == "6,8"
    assert rows.loc["looptijd", "status"] == "begrensd"
    assert rows.loc["looptijd", "max_exact"] == "56/5"
    assert rows.loc["t:2022:looptijd", "notebook"] == "hoofdstuk"
    glue = pd.read_csv(tmp_path / "data" / "glue.csv", keep_default_na=False)
    assert glue.set_index("key").loc["looptijd", "text"] == "6,8"  # no marker in the data

    counts = fill_evidence_counts(tmp_path / "nb", evidence)
    assert counts["begrensd"] == 2
    text = nbformat.read(tmp_path / "nb" / "hoofdstuk.ipynb", as_version=4).cells[1].source
    assert "{{" not in text
    assert "Van de 2 cijfers" in text


def test_the_summary_counts_each_figure_of_the_chapters_once(tmp_path):
    from conftest import ROOT
    from evalkit.pipeline.build import appendix_notebooks

    appendices = appendix_notebooks(ROOT / "_toc.yml")
    assert {"verantwoording", "bronnen", "colofon"} <= appendices
    assert not {"overzicht", "consistentie", "tijdlijn"} & appendices
    same = Evidence("vastgelegd", 8.0, 8.0, "8", "8", True, (), "register", "count_started()")
    notebook(
        tmp_path / "nb",
        [
            glued("gestart", Text("8", 8, same, "gestart")._repr_mimebundle_()),
            table(
                "t", pd.DataFrame({"jaar": [2023], "gestart": [8]}), [cell("t:2023:gestart", same)]
            ),
        ],
    )
    assert extract_data(tmp_path / "nb", tmp_path / "data") == []
    evidence = pd.read_csv(tmp_path / "data" / EVIDENCE, keep_default_na=False)
    assert len(evidence) == 2
    assert fill_evidence_counts(tmp_path / "nb", evidence)["vastgelegd"] == 1
    assert fill_evidence_counts(tmp_path / "nb", evidence, {"hoofdstuk"})["vastgelegd"] == 0


def test_a_real_register_needs_no_bounds(tmp_path):
    from evalkit.inputs.manifest import REAL_EXPORT
    from evalkit.pipeline.build import book_bounds

    assert not REAL_EXPORT.synthetic
    assert book_bounds(None, REAL_EXPORT, tmp_path / "audit.json", print) == ""


def test_a_warm_build_finds_the_bounds_without_the_solver(tmp_path, monkeypatch):
    import datetime as dt

    from conftest import BUNDLE, ROOT
    from evalkit.inputs.manifest import load_manifest
    from evalkit.pipeline.build import BuildConfig, book_bounds
    from evalkit.solver import bounds

    config = BuildConfig(ROOT, ROOT / "data" / "register", tmp_path, dt.date(2026, 12, 1), BUNDLE)
    manifest = load_manifest(config.register)[0]
    audit = tmp_path / "audit.json"
    audit.write_text("[]")
    calls = []

    def fake(data_dir, cache_dir, relaxed, **kwargs):
        calls.append(relaxed)
        cache_dir.mkdir(parents=True, exist_ok=True)
        (cache_dir / "bounds-abc.csv").write_text("key\n")
        return cache_dir / "bounds-abc.csv"

    monkeypatch.setattr(bounds, "cached_bounds", fake)
    first = book_bounds(config, manifest, audit, print)
    second = book_bounds(config, manifest, audit, print)
    assert first == second == tmp_path / "cache" / "bounds" / "bounds-abc.csv"
    assert calls == [[]]  # the second time from the index, without the solver
    audit.write_text('[{"id": "C1", "claims": [], "relaxed": "X", "explanation": ""}]')
    book_bounds(config, manifest, audit, print)
    assert calls == [[], ["X"]]  # another audit: another table
