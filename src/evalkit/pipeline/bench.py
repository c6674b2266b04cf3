"""Benchmark of the build and the metrics (``make bench``): writes ``bench.json`` and a table."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 10_000, 100_000, 1_000_000)
TARGETS = {
    "noop_vs_stock": 0.05,
    "edit_page_html_vs_cold_html": 0.25,
    "data_change_html_vs_cold_html": 0.5,
    "data_change_html_vs_cold_html_analysis_cached": 0.5,
    "cold_vs_floor": 2.0,
    # evalkit reads, validates and computes; pandas reads and groups: the floor.
    "load_and_metrics_vs_pandas": 3.0,
    "metrics_peak_mb": 2048.0,
    "metrics_growth_1e6_over_1e5": 12.0,
    # Seconds, not a ratio: audit, bounds and the consistency stage of the cold HTML build
    # (its stage "analyse totaal"), on the 2-core machine with --jobs 2.
    "cold_analysis_seconds": 90.0,
}


def _run(cmd: list[str], cwd: Path | None = None) -> float:
    """Run a command, fail loudly, return its wall time in seconds."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return took


def _copy_project(project: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copyfile(project / name, target / name)
    for folder in ("book", "notebooks", "data"):
        shutil.copytree(project / folder, target / folder)
    return target


def _evalkit(project: Path, out: Path, bundle: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "evalkit",
        "--project",
        str(project),
        "build",
        "--out",
        str(out),
        "--vega-bundle",
        str(bundle),
        "--today",
        dt.date.today().isoformat(),
        *extra,
    ]


def _change_one_2023_value(register: Path) -> None:
    """Add half an hour a week to the 2023 registration of a traject that started in 2023."""
    import csv

    with (register / "trajecten.csv").open(encoding="utf-8") as f:
        started = {r["traject_id"] for r in csv.DictReader(f) if r["startdatum"][:4] == "2023"}
    path = register / "jaarregistratie.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines[1:], 1):
        cells = line.split(",")
        if cells[0] in started and cells[1] == "2023":
            cells[-1] = f"{float(cells[-1]) + 0.5}"
            lines[i] = ",".join(cells)
            break
    else:
        raise RuntimeError("geen traject dat in 2023 begon")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


#: Seconds per stage of the measured builds (filled by :func:`bench_builds`).
STAGES: dict[str, dict[str, float]] = {}


def stage_times(out: Path) -> dict[str, float]:
    """Seconds per stage of the book ``out`` holds now (from its ``build.json``)."""
    try:
        return json.loads((out / "current" / "build.json").read_text())["stages"]
    except (OSError, ValueError, KeyError):
        return {}


def bench_builds(project: Path, bundle: Path, work: Path) -> dict[str, float]:
    """Wall times of the build scenarios, each in a fresh copy of the project."""
    from evalkit.pipeline.build import BuildConfig, plan

    copy = _copy_project(project, work / "project")
    times: dict[str, float] = {}
    html = work / "cold-html"
    times["cold_html"] = _run(_evalkit(copy, html, bundle, "--no-pdf"))
    STAGES["cold_html"] = stage_times(html)
    out = work / "book"
    times["cold_html_pdf"] = _run(_evalkit(copy, out, bundle))
    STAGES["cold_html_pdf"] = stage_times(out)
    times["noop"] = _run(_evalkit(copy, out, bundle))
    page = copy / "book" / "definities.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen zin erbij.\n", encoding="utf-8")
    times["edit_page_html"] = _run(_evalkit(copy, html, bundle, "--no-pdf"))
    times["edit_page"] = _run(_evalkit(copy, out, bundle))
    # One 2023 value of the register, changed in place (the same register folder).
    _change_one_2023_value(copy / "data" / "register")
    times["data_change_html"] = _run(_evalkit(copy, html, bundle, "--no-pdf"))
    times["data_change"] = _run(_evalkit(copy, out, bundle))
    STAGES["data_change_html"] = stage_times(html)
    STAGES["data_change"] = stage_times(out)
    # Cold with the solver's results already cached (the claims did not change: audit, bounds,
    # corrections): the notebooks, the HTML and the PDF only.
    for name, extra in (
        ("cold_html_analysis_cached", ("--no-pdf",)),
        ("cold_html_pdf_audit_cached", ()),
    ):
        warm = work / name
        for part in (out / "cache").iterdir():
            if part.is_dir() and part.name != "notebooks":
                shutil.copytree(part, warm / "cache" / part.name)
        times[name] = _run(_evalkit(copy, warm, bundle, *extra))
        STAGES[name] = stage_times(warm)

    # The floor: papermill executing every notebook, one after the other, nothing else.
    audit = next((out / "cache" / "audit").glob("audit-*.json"))
    config = BuildConfig(
        project=copy,
        register=copy / "data" / "register",
        out=work / "floor",
        today=dt.date.today(),
        vega_bundle=bundle,
    )
    from evalkit.inputs.register import load_reference, load_register

    years = load_register(
        config.register, load_reference(copy / "data" / "reference"), config.today
    )
    jobs = plan(config, years.years, audit)
    script = (
        "import json, sys, papermill as pm\n"
        "for t, o, p in json.loads(sys.argv[1]):\n"
        "    pm.execute_notebook(t, o, parameters=p, kernel_name='python3', progress_bar=False,"
        " cwd=str(__import__('pathlib').Path(t).parent))\n"
    )
    (work / "floor").mkdir()
    args = [[str(j.template), str(work / "floor" / f"{j.name}.ipynb"), j.parameters] for j in jobs]
    times["floor_papermill"] = _run([sys.executable, "-c", script, json.dumps(args)])

    # Stock jupyter-book: the same notebooks with their parameters written in, executed by
    # jupyter-book itself (execute_notebooks: force), HTML only.
    times["stock_force_html"] = _stock_build(copy, jobs, bundle, work / "stock", out / "data")
    return times


def _stock_build(project: Path, jobs, bundle: Path, target: Path, tables: Path) -> float:
    import nbformat
    import yaml

    from evalkit.compute.disclosure import NONE
    from evalkit.inputs.manifest import load_manifest
    from evalkit.publish import editions, wording

    src = target / "src"
    (src / "notebooks").mkdir(parents=True)
    shutil.copytree(project / "book", src / "book")
    shutil.copyfile(project / "_toc.yml", src / "_toc.yml")
    shutil.copyfile(bundle, src / "book" / "_static" / "evalkit-vega.min.js")
    config = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    config["author"] = str((config.get("evalkit") or {}).get("organisation", ""))
    manifest = load_manifest(Path(jobs[0].parameters["register_dir"]))[0]
    config.setdefault("parse", {})["myst_substitutions"] = {
        "versie": "bench",
        "commit": "bench",
        "bouwdatum": dt.date.today().isoformat(),
        "uitgavejaar": str(dt.date.today().year),
        "organisatie": config["author"],
        "registerblok": wording.introduction_block(manifest),
        "registerbanner": wording.banner(manifest, NONE),
    }
    (src / "book" / "wijzigingen.md").write_text(
        editions.changes_page(None, None, dt.date.today().isoformat()), encoding="utf-8"
    )
    (src / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for job in jobs:
        nb = nbformat.read(job.template, as_version=4)
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source += "\n" + "\n".join(f"{k} = {v!r}" for k, v in job.parameters.items())
            if cell.cell_type == "markdown":
                texts = {**wording.placeholders(job.parameters["register_soort"]), **job.parameters}
                for key, value in texts.items():
                    cell.source = cell.source.replace("{{ " + key + " }}", str(value))
        nbformat.write(nb, src / "notebooks" / f"{job.name}.ipynb")
    # The CSV files the provenance notes link to come out of evalkit's build; stock jupyter-book
    # has no step that writes them, so it gets the ones of the build measured before.
    shutil.copytree(tables, src / "downloads")
    jb = str(Path(sys.executable).parent / "jupyter-book")
    return _run([jb, "build", str(src), "--all", "--builder", "html"], cwd=src)


def measure_metrics(register: Path, reference: Path) -> dict[str, float]:
    """Load (read and validate) a register and compute every year metric; time and peak RSS."""
    from evalkit.compute import metrics
    from evalkit.inputs.register import load_reference, load_register
    from evalkit.publish import report

    ref = load_reference(reference)
    t0 = time.perf_counter()
    reg = load_register(register, ref, dt.date.today())
    t1 = time.perf_counter()
    report.flow_frame(reg)
    for jaar in reg.years:
        metrics.wijk_counts(reg, jaar)
        metrics.hoofdvraag_counts(reg, jaar, ref)
        metrics.gezinssamenstelling_counts(reg, jaar, ref)
        metrics.family_size_counts(reg, jaar)
        metrics.family_age_category_oldest(reg, jaar, ref)
        metrics.age_group_counts(reg, jaar, ref)
    t2 = time.perf_counter()
    return {"load": t1 - t0, "metrics": t2 - t1, "peak_mb": _peak_mb()}


def measure_pandas(register: Path) -> dict[str, float]:
    """The floor: pandas reads the same three files and counts the same groups."""
    import pandas as pd

    t0 = time.perf_counter()
    tr = pd.read_csv(register / "trajecten.csv", parse_dates=["startdatum", "einddatum"])
    jr = pd.read_csv(register / "jaarregistratie.csv")
    ki = pd.read_csv(register / "kinderen.csv")
    t1 = time.perf_counter()
    tr.groupby("wijk").size()
    jr.groupby(["jaar", "hoofdvraag"]).size()
    jr.groupby(["jaar", "gezinssamenstelling"]).size()
    jr.groupby("jaar")["uren_per_week"].mean()
    ki.groupby("traject_id").size().value_counts()
    ki.groupby("traject_id")["geboortejaar"].min().value_counts()
    t2 = time.perf_counter()
    return {"read": t1 - t0, "groupby": t2 - t1, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """Peak resident memory of this process in MB.

    ``VmHWM`` starts afresh at ``exec``; ``ru_maxrss`` would still count the parent that
    started this process (the benchmark holding a generated register).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_WRITE = (
    "import sys; from pathlib import Path; from evalkit.inputs.register import load_reference; "
    "from evalkit.pipeline.random_register import write_random_register; "
    "write_random_register(Path(sys.argv[1]), int(sys.argv[2]), "
    "load_reference(Path(sys.argv[3])), seed=int(sys.argv[2]))"
)


def bench_metrics(project: Path, work: Path, sizes=SIZES) -> list[dict]:
    """Per register size: evalkit (load + metrics) against pandas, each in a fresh process."""
    reference = project / "data" / "reference"
    rows = []
    for n in sizes:
        folder = work / f"register-{n}"
        # Written by a separate process, so this one stays small while the others measure.
        subprocess.run(
            [sys.executable, "-c", _WRITE, str(folder), str(n), str(reference)], check=True
        )
        counts = {
            name: sum(1 for _ in (folder / f"{name}.csv").open(encoding="utf-8")) - 1
            for name in ("trajecten", "jaarregistratie", "kinderen")
        }
        results = {}
        for what in ("evalkit", "pandas"):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "evalkit.pipeline.bench",
                    "--measure",
                    what,
                    str(folder),
                    str(reference),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results[what] = json.loads(proc.stdout)
        shutil.rmtree(folder)
        rows.append({"trajecten": n, "rows": counts, **results})
    return rows


def summarise(
    builds: dict[str, float], scale: list[dict], stages: dict[str, dict[str, float]] | None = None
) -> dict:
    """Ratios against the targets of the issue, next to the measured seconds.

    ``stages`` are the seconds per stage of the measured builds (:data:`STAGES`): the cold
    HTML build's analysis (``analyse totaal``) has a target in seconds.
    """
    by_n = {r["trajecten"]: r for r in scale}
    big, mid = by_n.get(1_000_000), by_n.get(100_000)
    ratios = {
        "noop_vs_stock": builds["noop"] / builds["stock_force_html"],
        "edit_page_html_vs_cold_html": builds["edit_page_html"] / builds["cold_html"],
        "data_change_html_vs_cold_html": builds["data_change_html"] / builds["cold_html"],
        # The stricter reading: against a cold build whose solver results were cached.
        "data_change_html_vs_cold_html_analysis_cached": builds["data_change_html"]
        / builds["cold_html_analysis_cached"],
        "cold_vs_floor": builds["cold_html"] / builds["floor_papermill"],
        "cold_audit_cached_vs_floor": builds["cold_html_pdf_audit_cached"]
        / builds["floor_papermill"],
    }
    analysis = (stages or {}).get("cold_html", {}).get("analyse totaal")
    if analysis is not None:
        ratios["cold_analysis_seconds"] = analysis
    if big and mid:
        floor = big["pandas"]["read"] + big["pandas"]["groupby"]
        ratios["metrics_vs_pandas"] = big["evalkit"]["metrics"] / floor
        ratios["load_and_metrics_vs_pandas"] = (
            big["evalkit"]["load"] + big["evalkit"]["metrics"]
        ) / floor
        ratios["metrics_peak_mb"] = big["evalkit"]["peak_mb"]
        ratios["metrics_growth_1e6_over_1e5"] = (
            big["evalkit"]["load"] + big["evalkit"]["metrics"]
        ) / (mid["evalkit"]["load"] + mid["evalkit"]["metrics"])
    return {
        k: {
            "value": round(v, 3),
            "target": TARGETS.get(k),
            "met": (v <= TARGETS[k]) if k in TARGETS else None,
        }
        for k, v in ratios.items()
    }


def table(result: dict) -> str:
    """The measurements as a readable Markdown table."""
    lines = ["| Meting | Seconden |", "| :--- | ---: |"]
    lines += [f"| {k} | {v:.1f} |" for k, v in result["builds"].items()]
    lines += [
        "",
        "| Trajecten | evalkit laden | evalkit metrics | piek MB "
        "| pandas lezen + groupby | pandas piek MB |",
    ]
    lines += ["| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in result["scale"]:
        e, p = r["evalkit"], r["pandas"]
        lines.append(
            f"| {r['trajecten']:,} | {e['load']:.2f} | {e['metrics']:.2f} | {e['peak_mb']:.0f} "
            f"| {p['read'] + p['groupby']:.2f} | {p['peak_mb']:.0f} |"
        )
    lines += ["", "| Verhouding | Waarde | Doel | Gehaald |", "| :--- | ---: | ---: | :--- |"]
    for k, v in result["ratios"].items():
        met = "" if v["met"] is None else ("ja" if v["met"] else "nee")
        target = "" if v["target"] is None else f"≤ {v['target']}"
        lines.append(f"| {k} | {v['value']} | {target} | {met} |")
    stages = result.get("stages") or {}
    names = sorted({s for times in stages.values() for s in times})
    if names:
        lines += ["", "| Bouw | " + " | ".join(names) + " |", "| :--- |" + " ---: |" * len(names)]
        for build, times in stages.items():
            cells = " | ".join(f"{times[s]:.1f}" if s in times else "" for s in names)
            lines.append(f"| {build} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m evalkit.pipeline.bench [--out DIR] [--skip-builds]``, from the project."""
    p = argparse.ArgumentParser(prog="evalkit.pipeline.bench", description=__doc__)
    p.add_argument("--project", type=Path, default=None, help="project folder (default: cwd)")
    p.add_argument("--out", type=Path, default=None, help="where bench.json goes (default: _build)")
    p.add_argument("--skip-builds", action="store_true", help="only the metrics at scale")
    p.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    p.add_argument(
        "--measure", nargs=3, metavar=("WHAT", "REGISTER", "REFERENCE"), help=argparse.SUPPRESS
    )
    args = p.parse_args(argv)
    if args.measure:
        what, register, reference = args.measure
        result = (
            measure_metrics(Path(register), Path(reference))
            if what == "evalkit"
            else measure_pandas(Path(register))
        )
        print(json.dumps(result))
        return 0
    project = (args.project or Path.cwd()).resolve()
    out = (args.out or project / "_build").resolve()
    bundle = project / "vendor" / "vega" / "evalkit-vega.min.js"
    with tempfile.TemporaryDirectory(prefix="evalkit-bench-") as tmp:
        work = Path(tmp)
        builds = {} if args.skip_builds else bench_builds(project, bundle, work)
        scale = bench_metrics(project, work, args.sizes)
    result = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "builds": {k: round(v, 2) for k, v in builds.items()},
        "scale": scale,
        "ratios": summarise(builds, scale, STAGES) if builds else {},
        "stages": STAGES,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = table(result)
    (out / "bench.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
