"""The build's consistency stage on a small claims set: files written, cached, and passed on."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from evalkit.inputs.manifest import load_manifest
from evalkit.pipeline.build import (
    CONSISTENCY_PARAMETERS,
    BuildConfig,
    book_analysis,
    book_consistency,
    plan,
)
from evalkit.publish.consistency import load
from evalkit.solver.audit import CORRECTION_COLUMNS, cached_audit

# The 2022 -> 2023 flow of the families: 12 + 9 - 8 + 9 = 22 active in 2023, 21 published.
FLOW = ("W23-h1-2022", "W23-h2-2022", "W23-afgesloten-2022", "W23-actief-2023", "W23-gestart-2023")


@pytest.fixture(scope="module")
def project(root, tmp_path_factory):
    target = tmp_path_factory.mktemp("consistency")
    for folder in ("sources", "reference", "register"):
        shutil.copytree(root / "data" / folder, target / "data" / folder)
    shutil.copytree(root / "notebooks", target / "notebooks")
    data = yaml.safe_load((root / "data" / "claims" / "wij-rapportage-2023.yaml").read_text())
    kept = [c for c in data["claims"] if c["id"] in FLOW]
    (target / "data" / "claims").mkdir()
    (target / "data" / "claims" / "stroom.yaml").write_text(
        yaml.safe_dump({"document": data["document"], "claims": kept}, allow_unicode=True)
    )
    return target


def config(project, **kw) -> BuildConfig:
    return BuildConfig(
        project=project,
        register=project / "data" / "register",
        out=kw.pop("out", project / "_build"),
        today=__import__("datetime").date(2026, 11, 22),
        vega_bundle=project / "vega.js",
        **kw,
    )


@pytest.mark.slow
def test_consistency_stage_writes_cached_files_for_the_notebook(project):
    cfg = config(project)
    manifest = load_manifest(cfg.register)[0]
    audit_file = cached_audit(cfg.data_dir, cfg.cache_dir / "audit", log=lambda _: None)
    cold = book_consistency(cfg, manifest, audit_file, log=lambda _: None)
    assert set(cold.seconds) == {"conflictsets", "correcties", "interpretaties"}
    audit = load(cold.sets_file, cold.corrections_file, cold.impact_file)
    assert list(audit.corrections.columns) == CORRECTION_COLUMNS
    (e,) = audit.enumerations
    assert e.complete and {frozenset(s) for s in e.mus} == {frozenset(FLOW)}
    # Each figure alone is a way out; the start count 9 of 2023 would have been 8.
    assert sorted(audit.corrections["claim_id"]) == sorted(FLOW)
    row = audit.corrections.set_index("claim_id").loc["W23-gestart-2023"]
    assert (row["published"], row["nearest_consistent"], row["verdict"]) == (
        9,
        8,
        "bewezen haalbaar",
    )
    gone = audit.impact.loc[audit.impact["disappears"], "interpretation"].tolist()
    assert gone == ["I-een-traject-per-gezin"]
    # Warm: found by the index, without the solver, well under a second.
    t0 = time.monotonic()
    warm = book_consistency(cfg, manifest, audit_file, log=lambda _: None)
    assert time.monotonic() - t0 < 1.0
    assert warm.parameters() == cold.parameters() and warm.seconds == {}
    # Only the consistency chapter declares the files; they are part of its parameters (key).
    jobs = {j.name: j for j in plan(cfg, [2022, 2023], audit_file, "", warm.parameters())}
    assert {k: jobs["consistentie"].parameters[k] for k in CONSISTENCY_PARAMETERS} == (
        warm.parameters()
    )
    assert not set(CONSISTENCY_PARAMETERS) & set(jobs["financien"].parameters)


@pytest.mark.parametrize("kw", [{"bounds": False}])
def test_no_consistency_files_without_bounds(project, kw):
    cfg = config(project, **kw)
    files = book_consistency(cfg, load_manifest(cfg.register)[0], project / "none.json", print)
    assert files.parameters() == dict.fromkeys(CONSISTENCY_PARAMETERS, "")
    assert load(*files.parameters().values()) is None


@pytest.mark.slow
def test_bounds_and_consistency_side_by_side_give_the_same_files_with_one_or_two_jobs(
    project, monkeypatch
):
    import evalkit.solver.bounds as bounds

    # A few quantities of every part instead of the chapters' 175 (the same code path).
    every = bounds.chapter_quantities
    keys = ("count_active(jaar=2023)", "mean_hours(jaar=2022)", "wijk_counts(jaar=2023)[Beijum]")
    monkeypatch.setattr(
        bounds, "chapter_quantities", lambda *a: {k: v for k, v in every(*a).items() if k in keys}
    )
    files = {}
    for jobs in (1, 2):
        cfg = config(project, jobs=jobs, out=project / f"_build-{jobs}")
        manifest = load_manifest(cfg.register)[0]
        audit_file = cached_audit(cfg.data_dir, cfg.cache_dir / "audit", log=lambda _: None)
        bounds_file, consistency, seconds = book_analysis(cfg, manifest, audit_file, print)
        assert {"bereik", "conflictsets", "correcties", "interpretaties", "analyse"} <= set(seconds)
        paths = [bounds_file, *consistency.parameters().values()]
        files[jobs] = {Path(p).name: Path(p).read_text(encoding="utf-8") for p in paths}
        # Warm: every file found by its index, no process started, well under a second.
        t0 = time.monotonic()
        again = book_analysis(cfg, manifest, audit_file, print)
        assert time.monotonic() - t0 < 1.0
        assert again[0] == bounds_file and again[1].parameters() == consistency.parameters()
    assert files[1] == files[2]
    assert len(files[1]) == 4
    table = next(text for name, text in files[1].items() if name.startswith("bounds-"))
    assert sorted(line.split(",")[0] for line in table.splitlines()[1:]) == sorted(keys)


@pytest.mark.parametrize("priority", [0, 1])
def test_the_shared_pool_returns_every_result_in_order_and_passes_errors_on(priority):
    from evalkit.pipeline.build import _Pool

    pool = _Pool(2)
    try:
        view = pool.view(priority)
        assert list(view.map(pow, [2, 3, 4, 5], [3, 2, 1, 0])) == [8, 9, 4, 1]
        with pytest.raises(ValueError, match="invalid literal"):
            list(view.map(int, ["7", "zeven"]))
        assert view.submit(abs, -3).result() == 3  # still usable after a failed job
    finally:
        pool.shutdown()
