"""The report pipeline: validate, execute notebooks with papermill, build with jupyter-book.

Output layout (``out`` is ``_build`` by default)::

    out/releases/<id>/{html,pdf,data}   one complete build each
    out/current -> releases/<id>        swapped atomically after a build succeeded
    out/html -> current/html            stable entry points
    out/pdf  -> current/pdf
    out/data -> current/data
    out/cache/notebooks/<key>.ipynb      executed notebooks, keyed by the hash of all inputs
    out/.staging/<id>/                   work area of a running build (removed afterwards)

A build that fails, or is killed, never touches ``current``: the previous book stays in place.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import hashlib
import heapq
import json
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

from evalkit.compute.disclosure import UnprotectedRealRegister, choose_policy, get_policy
from evalkit.inputs.manifest import Manifest, load_manifest
from evalkit.inputs.numbers import format_date
from evalkit.inputs.register import Register
from evalkit.publish import editions, wording
from evalkit.publish.provenance import DOWNLOADS, INPUT_LABELS, sha256_tree

BUILD_STATE = "build.json"
PDF_NAME = "evaluatie-pilot-gezinsverzorger"
KEEP_RELEASES = 2
TABLE_MIME = "text/csv"
#: The seed of the consistency audit (:func:`evalkit.solver.audit.cached_audit`'s default).
AUDIT_SEED = 20231231


class BuildError(Exception):
    """A build step failed; the message says which notebook, cell or page."""


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build depends on, passed explicitly (nothing is read from the environment)."""

    project: Path
    register: Path
    out: Path
    today: dt.date
    vega_bundle: Path
    pdf: bool = True
    jobs: int = 2
    force: bool = False
    python: str = sys.executable
    cache: Path | None = None
    commit: str = "onbekend"
    disclosure: str | None = None
    small_cells_accepted: bool = False
    chromium: Path = Path("/usr/bin/chromium")
    bounds: bool = True

    @property
    def cache_dir(self) -> Path:
        """Where executed notebooks and audit results are kept (default ``out/cache``)."""
        return self.cache or self.out / "cache"

    @property
    def data_dir(self) -> Path:
        """The project's read-only input data."""
        return self.project / "data"


#: The inputs a notebook can read: the register and the folders of ``data/``.
INPUTS = tuple(INPUT_LABELS)


@dataclass(frozen=True)
class NotebookJob:
    """One papermill execution: a template, the name in the book, its parameters and inputs.

    ``reads`` names the inputs (see :data:`INPUTS`) the notebook reads; only a change in those
    re-executes it. A template declares them in its metadata (``{"evalkit": {"reads": [...]}}``);
    without a declaration it depends on all of them.
    """

    template: Path
    name: str
    parameters: dict = field(default_factory=dict)
    reads: tuple[str, ...] = INPUTS


def package_hash() -> str:
    """Hash of the evalkit package source (a code change invalidates executed notebooks)."""
    here = Path(__file__).parents[1]
    return sha256_tree([here], root=here)


def plan(
    config: BuildConfig,
    years: list[int],
    audit_file: Path,
    bounds_file: Path | str = "",
    declared: dict[str, str] | None = None,
) -> list[NotebookJob]:
    """The notebooks to execute: per-year templates once per year, the others once.

    A template declares itself per year with notebook metadata ``{"evalkit": {"per": "jaar"}}``,
    and the inputs it reads with ``{"evalkit": {"reads": ["register", "claims", ...]}}``.
    ``bounds_file`` is the table of :func:`evalkit.solver.bounds.cached_bounds` (empty for a
    real register); its name carries the hash of its inputs, so it is part of every job's key.
    ``declared`` are parameters given only to the templates whose parameters cell declares
    them (the consistency files of :func:`book_consistency`); their names carry the hash of
    their inputs too.
    """
    common = {
        "register_dir": str(config.register),
        "data_dir": str(config.data_dir),
        "audit_file": str(audit_file),
        "bounds_file": str(bounds_file),
        "today": config.today.isoformat(),
        "disclosure": resolved_policy(config),
        "register_soort": load_manifest(config.register)[0].kind,
    }
    jobs = []
    for template in sorted((config.project / "notebooks").glob("*.ipynb")):
        meta = nbformat.read(template, as_version=4).metadata.get("evalkit", {})
        reads = tuple(meta.get("reads", INPUTS))
        own = {k: v for k, v in (declared or {}).items() if k in _declared_parameters(template)}
        unknown = sorted(set(reads) - set(INPUTS))
        if unknown:
            raise BuildError(f"notebooks/{template.name}: onbekende invoer in 'reads': {unknown}")
        if meta.get("per") == "jaar":
            jobs += [
                NotebookJob(template, f"{template.stem}-{y}", {**common, **own, "jaar": y}, reads)
                for y in years
            ]
        else:
            jobs.append(
                NotebookJob(template, template.stem, {**common, **own, "jaren": years}, reads)
            )
    return jobs


def _declared_parameters(template: Path) -> set[str]:
    """The names a template's ``parameters`` cell assigns."""
    nb = nbformat.read(template, as_version=4)
    names: set[str] = set()
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            names |= set(re.findall(r"^([A-Za-z_]\w*)\s*=", cell.source, flags=re.M))
    return names


def resolved_policy(config: BuildConfig) -> str:
    """The build's disclosure policy: the one asked for, or the safe default for the register.

    Raises
    ------
    BuildError
        When a real register is to be published without protection, unacknowledged.

    """
    manifest = load_manifest(config.register)[0]
    try:
        return choose_policy(config.disclosure, manifest.synthetic, config.small_cells_accepted)
    except UnprotectedRealRegister as exc:
        raise BuildError(
            f"{exc}. Kies --disclosure cbs (de standaard voor echte gegevens), of bevestig met "
            "--disclosure none --publish-small-cells dat het boek onbeveiligd mag verschijnen."
        ) from None


def _input_name(job: NotebookJob, name: str) -> str:
    """The hash a job's input is keyed by: a year chapter reads only its year of the register."""
    if name == "register" and "jaar" in job.parameters:
        return f"register:{job.parameters['jaar']}"
    return name


def job_key(job: NotebookJob, hashes: dict[str, str]) -> str:
    """Cache key of one execution: template, parameters, package source and the inputs it reads.

    ``hashes`` comes from :func:`input_hashes`. A year chapter (a template executed per
    ``jaar``) computes from its year's slice of the register only, so it is keyed by that
    slice's digest (``register:2023``), not by the whole register: a changed 2023 value does
    not re-execute the 2022 chapter.
    """
    h = hashlib.sha256()
    h.update(job.template.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    h.update(hashes["package"].encode())
    for name in sorted(job.reads):
        key = _input_name(job, name)
        h.update(f"{key}={hashes[key]}".encode())
    return h.hexdigest()[:32]


KERNEL_START_ATTEMPTS = 3

#: The kernel of this worker process, reused for every notebook the worker executes (see
#: :func:`_worker_kernel`); ``None`` in the build process itself.
_KERNEL = None


def _worker_kernel(cwd: str):
    """The kernel of this worker process, started on first use and cleared before every notebook.

    Starting a kernel and importing pandas, Altair and evalkit costs seconds per notebook, more
    than most chapters take to compute. A worker therefore keeps one kernel for all the
    notebooks it executes and resets it in between: ``reset(new_session=True)`` empties the
    namespace and restarts the execution count, so a notebook's output is the same as in a
    fresh kernel (imported modules stay, and they are the same code within one build).
    """
    global _KERNEL
    from jupyter_client.manager import KernelManager

    if _KERNEL is not None and (_KERNEL.cwd != cwd or not _KERNEL.is_alive()):
        _KERNEL.shutdown_kernel(now=True)
        _KERNEL = None
    if _KERNEL is None:
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=cwd)
        km.cwd = cwd
        # Pool workers leave through os._exit, which skips atexit: a multiprocessing
        # finaliser shuts the kernel down when the pool closes.
        multiprocessing.util.Finalize(km, km.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
        _KERNEL = km
    else:
        client = _KERNEL.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive(
                "get_ipython().reset(new_session=True)",
                silent=True,
                store_history=False,
                timeout=60,
                output_hook=lambda msg: None,
            )
        finally:
            client.stop_channels()
    return _KERNEL


def _execute(template: str, output: str, parameters: dict, cwd: str, kernel_log: str) -> None:
    import papermill as pm

    # Kernels write their own chatter (transport warnings, "KeyboardInterrupt caught") to the
    # stderr they inherit; send it to a log file instead of the analyst's terminal. Notebook
    # errors still come back as exceptions with the failing cell.
    with open(kernel_log, "a", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 2)

    global _KERNEL
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            pm.execute_notebook(
                template,
                output,
                parameters=parameters,
                kernel_name="python3",
                cwd=cwd,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                km=_worker_kernel(cwd),
            )
            return
        except RuntimeError as exc:
            # Kernels started side by side occasionally lose the race for a port and die
            # before the first cell; that is not the notebook's fault, so start it again.
            if "Kernel died before replying" not in str(exc) or attempt == KERNEL_START_ATTEMPTS:
                raise
            _KERNEL = None


def _finalise_notebook(path: Path, parameters: dict) -> None:
    """Hide the parameter cells and fill ``{{ name }}`` placeholders in markdown cells.

    Placeholders take their value from the notebook's parameters (for example the year in a
    chapter heading) and from the texts for the kind of register the parameters name
    (:func:`evalkit.publish.wording.placeholders`), so the text of a chapter follows its
    parameters like its code does.
    """
    values = dict(parameters)
    if "register_soort" in parameters:
        values = {**wording.placeholders(parameters["register_soort"]), **values}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for key, value in values.items():
                cell.source = re.sub(
                    r"\{\{\s*" + re.escape(key) + r"\s*\}\}", str(value), cell.source
                )
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def _template_cell(job: NotebookJob, executed: Path) -> str | None:
    """Name the failing cell by its position in the template (the injected cell not counted)."""
    if not executed.is_file():
        return None
    cells = nbformat.read(executed, as_version=4).cells
    failing = [
        c for c in cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))
    ]
    if not failing:
        return None
    source = failing[0].source
    template = nbformat.read(job.template, as_version=4).cells
    number = next((i for i, c in enumerate(template, 1) if c.source == source), None)
    first = source.strip().splitlines()[0] if source.strip() else ""
    return f"cel {number} ({first[:60]})" if number else f"cel ({first[:60]})"


def _failure_message(job: NotebookJob, exc: BaseException, executed: Path) -> str:
    detail = str(exc).strip().splitlines()
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", "")
    where = f"notebooks/{job.template.name} ({_params_text(job)})"
    cell = _template_cell(job, executed)
    if cell:
        where += f", {cell}"
    last = evalue or (detail[-1] if detail else "")
    return f"{where}: {ename}: {last}"


def _params_text(job: NotebookJob) -> str:
    return f"jaar={job.parameters['jaar']}" if "jaar" in job.parameters else "eenmalig"


def execute_notebooks(
    jobs: list[NotebookJob],
    target: Path,
    cache: Path,
    keys: dict[str, str],
    workers: int,
    log: Callable[[str], None],
) -> None:
    """Execute the jobs (cached by content hash, in parallel) into ``target``.

    ``keys`` maps each notebook's name to its cache key (:func:`job_key`).

    Raises
    ------
    BuildError
        When a notebook raises; the message names the notebook, its parameters and the cell.

    """
    target.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    todo = [job for job in jobs if not (cache / f"{keys[job.name]}.ipynb").is_file()]
    log(
        f"notebooks: {len(jobs)} in het boek, {len(jobs) - len(todo)} uit de cache, "
        f"{len(todo)} uit te voeren"
    )
    failures: list[str] = []
    if todo:
        # Workers come from a fork server, not from a fork of this process: they must not
        # inherit the build lock (a killed build would otherwise hold it through them).
        context = multiprocessing.get_context("forkserver")
        with cf.ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(todo))), mp_context=context
        ) as pool:
            futures = {}
            for job in todo:
                tmp = cache / f"{keys[job.name]}.{uuid.uuid4().hex}.tmp.ipynb"
                log(f"  ingepland: {job.name} ({_params_text(job)})")
                fut = pool.submit(
                    _execute,
                    str(job.template),
                    str(tmp),
                    job.parameters,
                    str(job.template.parent),
                    str(cache / "kernels.log"),
                )
                futures[fut] = (job, tmp, time.monotonic())
            done = 0
            for fut in cf.as_completed(futures):
                job, tmp, t0 = futures[fut]
                done += 1
                try:
                    fut.result()
                except Exception as exc:
                    failures.append(_failure_message(job, exc, tmp))
                    log(f"  [{done}/{len(todo)}] MISLUKT: {job.name}")
                    tmp.unlink(missing_ok=True)
                    continue
                _finalise_notebook(tmp, job.parameters)
                os.replace(tmp, cache / f"{keys[job.name]}.ipynb")
                log(
                    f"  [{done}/{len(todo)}] klaar: {job.name} (na {time.monotonic() - t0:.1f} s), "
                    f"nog {len(todo) - done} te gaan"
                )
    if failures:
        raise BuildError("notebook mislukt:\n" + "\n".join(f"  {f}" for f in failures))
    for job in jobs:
        shutil.copyfile(cache / f"{keys[job.name]}.ipynb", target / f"{job.name}.ipynb")


def _plain_text(text: str) -> str:
    """The pasted form of a glued text/plain value (myst-nb unquotes string literals)."""
    import ast

    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        return text
    return value if isinstance(value, str) else text


def extract_data(notebooks: Path, target: Path) -> list[str]:
    """Write what the executed notebooks glued as machine-readable files into ``target``.

    ``glue.csv`` lists every glued value (notebook, key, text); every table a notebook published
    with :func:`evalkit.publish.display.publish_table` becomes ``<name>.csv``; ``evidence.csv``
    has one row per glued number and per table cell that carries its evidence (see
    :mod:`evalkit.publish.evidence`).

    Returns
    -------
    list of str
        The numbers shown without a row in ``evidence.csv`` (``notebook:key`` for a glued
        number, ``table:row:column`` for a cell); the build refuses a book with any.

    """
    import csv
    import io

    from evalkit.publish import evidence as ev

    target.mkdir(parents=True, exist_ok=True)
    rows = []
    owners = []
    proofs: list[dict] = []
    tables: dict[str, pd.DataFrame] = {}
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if not name:
                    continue
                prefix = output["metadata"]["scrapbook"].get("mime_prefix", "")
                data = {k.removeprefix(prefix): v for k, v in output.get("data", {}).items()}
                proof = data.get(ev.EVIDENCE_MIME)
                if TABLE_MIME in data:
                    table = name.removeprefix("tabel:")
                    (target / f"{table}.csv").write_text(data[TABLE_MIME], encoding="utf-8")
                    owners.append((table, path.stem))
                    frame = pd.read_csv(io.StringIO(data[TABLE_MIME]))
                    frame.attrs["labels"] = (proof or {}).get("labels") or [frame.columns[0]]
                    frame.attrs["exempt"] = (proof or {}).get("exempt") or []
                    tables[table] = frame
                    proofs += [{"notebook": path.stem, **r} for r in (proof or {}).get("rows", [])]
                elif "text/plain" in data:
                    text = proof["shown"] if proof else _plain_text(data["text/plain"])
                    rows.append((path.stem, name, text))
                    if proof:
                        proofs.append({"notebook": path.stem, "key": name, **proof})
    with (target / "glue.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["notebook", "key", "text"])
        writer.writerows(sorted(rows))
    with (target / editions.TABLE_INDEX).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["tabel", "notebook"])
        writer.writerows(sorted(owners))
    evidence = ev.Collected(proofs).frame()
    evidence.to_csv(target / EVIDENCE, index=False, lineterminator="\n")
    glue = pd.DataFrame(rows, columns=["notebook", "key", "text"])
    return ev.uncovered(glue, tables, evidence)


#: The evidence of every number shown, next to ``glue.csv`` in the downloads.
EVIDENCE = "evidence.csv"


def describe_data(src: Path, log: Callable[[str], None]) -> dict:
    """Write ``datapackage.json`` into the staged data folder and fill Bijlage C's table of it.

    Every file and column gets its Dutch title from :mod:`evalkit.publish.downloads`; the
    log names any without one (the book tests fail on them).
    """
    import yaml

    from evalkit.publish import downloads

    title = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))["title"]
    package = downloads.write_data_package(src / DOWNLOADS, title)
    missing = downloads.untitled(package)
    if missing:
        log(f"{downloads.DATA_PACKAGE}: zonder Nederlandse titel: {', '.join(missing)}")
    downloads.fill_files_table(src / "notebooks", package)
    return package


def fill_evidence_counts(
    notebooks: Path, evidence: pd.DataFrame, appendices: Collection[str] = ()
) -> dict[str, int]:
    """Fill ``{{ bewijs_<status> }}`` and ``{{ bewijs_totaal }}`` in the staged notebooks' text.

    The summary says how many figures of the chapters have each status, each figure once
    (:func:`evalkit.publish.evidence.status_counts`; the notebooks ``appendices`` repeat
    them); only the build knows them, after every chapter ran. The cached notebooks are left
    as they are.
    """
    from evalkit.publish import evidence as ev

    counts = ev.status_counts(evidence, leave_out=appendices)
    values = {f"bewijs_{k}": format_count(v) for k, v in counts.items()}
    values["bewijs_totaal"] = format_count(sum(counts.values()))
    values["bewijs_zin"] = ev.summary_sentence(counts)
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        changed = False
        for cell in nb.cells:
            if cell.cell_type == "markdown" and "{{" in cell.source:
                new = re.sub(
                    r"\{\{\s*(bewijs_[a-z_]+)\s*\}\}",
                    lambda m: values.get(m.group(1), m.group(0)),
                    cell.source,
                )
                changed = changed or new != cell.source
                cell.source = new
        if changed:
            nbformat.write(nb, path)
    return counts


#: The part of ``_toc.yml`` whose chapters are the appendices (as book/_ext/evalkit_sphinx.py).
APPENDIX_PART = "Bijlagen"


def appendix_notebooks(toc: Path) -> set[str]:
    """The names of the notebooks in the appendices: the part :data:`APPENDIX_PART` of ``toc``."""
    import yaml

    book = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    names = set()
    for part in book.get("parts") or []:
        if part.get("caption") != APPENDIX_PART:
            continue
        for chapter in part.get("chapters") or []:
            path = chapter.get("file") or ""
            if path.startswith("notebooks/"):
                names.add(path.removeprefix("notebooks/"))
    return names


def format_count(n: int) -> str:
    """A count for the text (Dutch thousands separator)."""
    from evalkit.inputs.numbers import format_number

    return format_number(n, 0)


def chapter_titles(notebooks: Path) -> dict[str, str]:
    """Each executed notebook's chapter title: the first ``#`` heading of its first text cell."""
    titles = {}
    for path in sorted(notebooks.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                heading = next(
                    (ln[2:].strip() for ln in cell.source.splitlines() if ln.startswith("# ")), None
                )
                titles[path.stem] = heading or path.stem
                break
    return titles


def write_changes(out: Path, src: Path, today: dt.date) -> None:
    """The page *Wijzigingen* and ``wijzigingen.csv``: this edition against the one in ``out``.

    The previous edition is the book ``out/current`` points to; without one, the page says that
    this is the first edition.
    """
    previous_data = out / "current" / "data"
    new_data = src / DOWNLOADS
    if (previous_data / editions.GLUE).is_file():
        state = _read_state(out)
        previous = editions.Edition(
            previous_data, state.get("versie", ""), state.get("built_at", "")
        )
        changes = editions.compare(previous_data, new_data, chapter_titles(src / "notebooks"))
    else:
        previous, changes = None, None
    frame = changes if changes is not None else pd.DataFrame(columns=editions.COLUMNS)
    frame.to_csv(new_data / editions.CHANGES, index=False, lineterminator="\n")
    (src / "book" / "wijzigingen.md").write_text(
        editions.changes_page(changes, previous, today.isoformat()), encoding="utf-8"
    )


def substitutions(config: BuildConfig) -> dict[str, str]:
    """Values every page may use as ``{{ name }}``: version, commit, build date, the register.

    ``registerblok`` is the introduction's box about the register and ``registerbanner`` the
    line every page carries (empty for a protected real register), see
    :mod:`evalkit.publish.wording`.
    """
    from evalkit import __version__

    manifest = load_manifest(config.register)[0]
    return {
        "versie": __version__,
        "commit": config.commit,
        "bouwdatum": format_date(config.today),
        "uitgavejaar": str(config.today.year),
        "registerblok": wording.introduction_block(manifest),
        "registerbanner": banner_text(config, manifest),
    }


def banner_text(config: BuildConfig, manifest: Manifest) -> str:
    """The line on every page: synthetic data, or a real register published unprotected."""
    return wording.banner(manifest, get_policy(resolved_policy(config)))


def stage_sources(config: BuildConfig, src: Path) -> None:
    """Copy the book's own files (config, toc, narrative pages, static assets) into ``src``.

    The staged ``_config.yml`` gets this build's substitutions (version, commit, date, and the
    responsible organisation from ``evalkit.organisation``) and the version as the release, so
    that every provenance note carries them. The ``evalkit`` block itself is not Jupyter
    Book's and stays out of the staged copy.
    """
    import yaml

    book_config = yaml.safe_load((config.project / "_config.yml").read_text(encoding="utf-8"))
    settings = book_config.pop("evalkit", None) or {}
    subs = substitutions(config)
    subs["organisatie"] = str(settings.get("organisation", ""))
    # One setting names who is responsible: the cover, the colofon, the citation and the HTML
    # footer ("Door ...") all take it from ``evalkit.organisation``.
    book_config["author"] = subs["organisatie"]
    book_config.setdefault("parse", {})["myst_substitutions"] = subs
    book_config.setdefault("html", {})["announcement"] = subs["registerbanner"]
    sphinx = book_config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["release"] = sphinx["version"] = subs["versie"]
    (src / "_config.yml").write_text(
        yaml.safe_dump(book_config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copyfile(config.project / "_toc.yml", src / "_toc.yml")
    shutil.copytree(config.project / "book", src / "book", dirs_exist_ok=True)
    static = src / "book" / "_static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config.vega_bundle, static / "evalkit-vega.min.js")


def run_jupyter_book(
    sources: dict[str, Path], python: str, log: Callable[[str], None], full: bool = True
) -> dict[str, float]:
    """Run ``jupyter-book build --all -W -n --keep-going``, one process per builder, side by side.

    Parameters
    ----------
    sources : dict of str to Path
        Builder (``html``) to its own copy of the staged book: builders share nothing on disk,
        so more than one can run at the same time.
    python : str
        The environment's Python (``jupyter-book`` sits next to it).
    log : callable
        Receives progress lines.
    full : bool
        ``--all`` (fresh environment, every page read and written); without it Sphinx reads
        only the pages whose source changed since its last run in the same folder.

    Returns
    -------
    dict of str to float
        Seconds each builder took.

    """
    jb = str(Path(python).parent / "jupyter-book")
    running = []
    for builder, src in sources.items():
        output = (src / f"jupyter-book-{builder}.log").open("w", encoding="utf-8")
        cmd = [jb, "build", str(src), *(["--all"] * full), "-W", "-n", "--keep-going"]
        cmd += ["--builder", builder]
        proc = subprocess.Popen(cmd, stdout=output, stderr=subprocess.STDOUT, cwd=src, text=True)
        running.append((builder, src, proc, output, time.monotonic()))
    failures = []
    seconds = {}
    for builder, src, proc, output, t0 in running:
        returncode = proc.wait()
        output.close()
        seconds[builder] = time.monotonic() - t0
        if returncode == 0:
            log(f"jupyter-book {builder}: klaar ({seconds[builder]:.1f} s)")
        else:
            failures.append(_failure(builder, src))
    if failures:
        raise BuildError("\n".join(failures))
    return seconds


def _failure(builder: str, src: Path) -> str:
    """The lines that explain why one jupyter-book run failed."""
    lines = (src / f"jupyter-book-{builder}.log").read_text(encoding="utf-8").splitlines()
    relevant = [
        ln
        for ln in lines
        if "WARNING" in ln or "ERROR" in ln or "Error" in ln or ln.startswith("!")
    ]
    tail = relevant[-40:] or lines[-40:]
    return f"jupyter-book ({builder}) mislukt:\n" + "\n".join(tail)


def _print_pdf(config: BuildConfig, html_dir: Path, target: Path, log: Callable) -> None:
    """The PDF edition: the built HTML printed by Chromium (see :mod:`evalkit.pipeline.pdf`)."""
    import yaml

    from evalkit import __version__
    from evalkit.pipeline.pdf import PdfError, cover_from_config, print_pdf

    book_config = yaml.safe_load((config.project / "_config.yml").read_text(encoding="utf-8"))
    manifest = load_manifest(config.register)[0]
    try:
        cover = cover_from_config(book_config, __version__, config.today)
        # What the register is decides the notice in the running header and the status.
        cover = dataclasses.replace(
            cover,
            notice=banner_text(config, manifest),
            status=wording.cover_status(manifest, cover.status),
        )
        print_pdf(html_dir, target, cover, chromium=config.chromium, log=log)
    except PdfError as exc:
        raise BuildError(f"PDF afdrukken mislukt: {exc}") from exc


#: The HTML builder's own folder in ``out``: the last staged sources and Sphinx's doctrees.
SPHINX_DIR = "sphinx"


def sync_tree(src: Path, dst: Path) -> int:
    """Make ``dst`` hold what ``src`` holds, writing only the files whose content changed.

    A file that is rewritten gets the current time, so that Sphinx sees it as changed; the
    others keep theirs. Files of ``dst`` that ``src`` lacks are removed, except Sphinx's output
    (``_build``) and the builders' logs. Returns how many files were written or removed.
    """
    dst.mkdir(parents=True, exist_ok=True)
    wanted = {f.relative_to(src) for f in src.rglob("*") if f.is_file()}
    changed = 0
    for rel in sorted(wanted):
        target = dst / rel
        if target.is_file() and target.read_bytes() == (src / rel).read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / rel, target)
        changed += 1
    for f in sorted(dst.rglob("*"), reverse=True):
        rel = f.relative_to(dst)
        if rel.parts[0] == "_build" or rel.name.startswith("jupyter-book-"):
            continue
        if f.is_file() and rel not in wanted:
            f.unlink()
            changed += 1
        elif f.is_dir() and not any(f.iterdir()):
            f.rmdir()
    return changed


#: A glue role or directive that pastes a value from another page: ``{glue:text}`/a/b.ipynb::k```,
#: or a glue directive with a ``:doc: /a/b.ipynb`` option.
_PASTE = re.compile(
    r"\{glue(?::[a-z]+)?\}[`\s]*/?([^`:\s]+)\.ipynb::|^:doc:\s*/?(\S+)\.ipynb\s*$", re.M
)


def touch_pasting_pages(root: Path, notebooks: Iterable[str]) -> list[str]:
    """Mark as changed the pages of ``root`` that paste values glued in one of ``notebooks``.

    Sphinx pastes such values when it reads the pasting page and knows nothing of the
    dependency, so after those notebooks changed the page must be read again (its modification
    time is set to now). Returns the pages touched, relative to ``root``.
    """
    names = {Path(n).name for n in notebooks}
    touched = []
    for page in sorted(root.rglob("*.md")) + sorted(root.rglob("*.ipynb")):
        rel = page.relative_to(root)
        if rel.parts[0] == "_build":
            continue
        found = _PASTE.findall(page.read_text(encoding="utf-8"))
        sources = {Path(role or option).name for role, option in found}
        if sources & names:
            os.utime(page)
            touched.append(rel.as_posix())
    return touched


def input_hashes(config: BuildConfig, register: Register | None = None) -> dict[str, str]:
    """Hash of each input a notebook can read (:data:`INPUTS`) and of the package source.

    Also ``register:<jaar>``, the digest of each year's slice of the register
    (:func:`evalkit.compute.slices.register_digest`), which year chapters are keyed by.
    ``register`` is the validated register (loaded from ``config.register`` when not given).
    """
    from evalkit.compute.slices import register_digest, year_slice
    from evalkit.inputs.register import load_reference, load_register

    if register is None:
        reference = load_reference(config.data_dir / "reference")
        register = load_register(config.register, reference, config.today)
    hashes = {"register": sha256_tree([config.register]), "package": package_hash()}
    for name in INPUTS[1:]:
        hashes[name] = sha256_tree([config.data_dir / name], root=config.data_dir)
    for jaar in register.years:
        hashes[f"register:{jaar}"] = register_digest(year_slice(register, jaar))
    return hashes


def build_key(config: BuildConfig, notebook_keys: Iterable[str]) -> str:
    """Hash of a complete build: executed notebooks, book pages, config and bundle."""
    h = hashlib.sha256()
    for k in sorted(notebook_keys):
        h.update(k.encode())
    h.update(
        sha256_tree(
            [
                config.project / "book",
                config.project / "_config.yml",
                config.project / "_toc.yml",
                config.vega_bundle,
            ],
            root=config.project,
        ).encode()
    )
    h.update(b"pdf" if config.pdf else b"html")
    h.update(json.dumps(substitutions(config), sort_keys=True).encode())
    return h.hexdigest()


def _read_state(out: Path) -> dict:
    try:
        return json.loads((out / "current" / BUILD_STATE).read_text())
    except (OSError, ValueError):
        return {}


def _swap_in(out: Path, release: Path) -> None:
    tmp_link = out / f".current-{uuid.uuid4().hex}"
    os.symlink(Path("releases") / release.name, tmp_link)
    os.replace(tmp_link, out / "current")
    for name in ("html", "pdf", "data"):
        link = out / name
        if link.is_symlink() and os.readlink(link) == f"current/{name}":
            continue
        if link.exists() or link.is_symlink():
            if link.is_dir() and not link.is_symlink():
                shutil.rmtree(link)
            else:
                link.unlink()
        os.symlink(f"current/{name}", link)


def _prune(out: Path, keep: str) -> None:
    releases = sorted((out / "releases").iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [r for r in releases if r.name != keep][KEEP_RELEASES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in (out / ".staging").glob("*"):
        shutil.rmtree(stale, ignore_errors=True)


def validate_inputs(config: BuildConfig):
    """Validate the register and the claims registry together; every problem at once.

    Raises
    ------
    evalkit.inputs.errors.InputError
        With the problems of both, before anything is computed.

    """
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.errors import InputError
    from evalkit.inputs.manifest import validate_manifest
    from evalkit.inputs.register import load_reference, schemas, validate_register
    from evalkit.inputs.sources import load_documents

    reference = load_reference(config.data_dir / "reference")
    register, problems = validate_register(config.register, reference, config.today)
    problems += validate_manifest(config.register, schemas(reference, config.today))[1]
    try:
        load_registry(config.data_dir / "claims", load_documents(config.data_dir / "sources"))
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return register


def build(config: BuildConfig, log: Callable[[str], None] = print) -> Path:
    """Run the whole pipeline and swap the new book in.

    Parameters
    ----------
    config : BuildConfig
        Paths, date and options of this build.
    log : callable
        Receives one progress line at a time.

    Returns
    -------
    Path
        The release folder now pointed to by ``out/current``.

    Raises
    ------
    BuildError
        When a notebook or jupyter-book fails; the previous book is left untouched.
    evalkit.inputs.errors.InputError
        When the register does not pass validation (nothing is executed then).

    """
    t_start = time.monotonic()
    out = config.out
    out.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        return _build_locked(config, log, t_start)


@contextlib.contextmanager
def _exclusive(out: Path):
    """Hold ``out/.lock`` for the whole build: one build per output folder at a time.

    The lock dies with the process, so whatever a killed build left in ``.staging`` is stale
    once the next build holds the lock, and is removed.
    """
    import fcntl

    with (out / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"er loopt al een bouw in {out}; wacht tot die klaar is") from None
        for stale in (out / ".staging").glob("*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def book_bounds(
    config: BuildConfig,
    manifest: Manifest,
    audit_file: Path,
    log: Callable[[str], None],
    executor: cf.Executor | None = None,
) -> Path | str:
    """The range of every register figure the book shows, over the registers the letters allow.

    Computed once per set of inputs (claims, model, the audit's relaxed claims) and cached in
    ``cache/bounds``; a real register needs none (every value is measured): ``""``. Without
    ``config.bounds`` (a quick draft, the tests of the pipeline) none either: every register
    figure is then ``onbeslist``. ``executor`` runs the solves (see :func:`book_analysis`;
    without it ``config.jobs`` processes); the table does not depend on it.
    """
    if not manifest.synthetic:
        return ""
    if not config.bounds:
        log("bereik per getal: overgeslagen (--no-bounds); elk getal uit het register 'onbeslist'")
        return ""
    # A warm build finds the table by a hash of the files it depends on, without importing
    # the solver or loading the claims (that alone takes seconds).
    folder = config.cache_dir / "bounds"
    data = [config.data_dir / name for name in ("claims", "sources", "reference")]
    h = hashlib.sha256(package_hash().encode())
    h.update(sha256_tree(data, root=config.data_dir).encode())
    h.update(Path(audit_file).read_bytes())
    index = folder / f"index-{h.hexdigest()[:24]}.txt"
    if index.is_file():
        known = folder / index.read_text(encoding="utf-8").strip()
        if known.is_file():
            return known
    from evalkit.solver.audit import load_audit, relaxed_claims
    from evalkit.solver.bounds import cached_bounds

    relaxed = relaxed_claims(load_audit(audit_file))
    path = cached_bounds(
        config.data_dir, folder, relaxed, workers=config.jobs, log=log, executor=executor
    )
    index.write_text(path.name + "\n", encoding="utf-8")
    return path


#: The notebook parameters naming the consistency files of :func:`book_consistency`.
CONSISTENCY_PARAMETERS = ("sets_file", "corrections_file", "impact_file")


@dataclass(frozen=True)
class ConsistencyFiles:
    """The files of :func:`book_consistency` (empty: not computed) and the seconds per stage."""

    sets_file: str = ""
    corrections_file: str = ""
    impact_file: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    def parameters(self) -> dict[str, str]:
        """The files as notebook parameters (see :data:`CONSISTENCY_PARAMETERS`)."""
        return {name: getattr(self, name) for name in CONSISTENCY_PARAMETERS}


#: The build enumerates, per contradiction, every correction set of at most this many
#: figures, proven complete (:func:`evalkit.solver.audit.enumerate_conflicts`; a
#: contradiction whose map runs dry is enumerated completely). Every correction of one
#: figure, with every MUS met on the way, took 48 CPU seconds cold (C1 36 checks, C2 66,
#: C3 8, C4 11 and complete, measured); two figures took over 70 CPU seconds for C1 alone,
#: more than the 90 s the whole analysis may take.
ENUMERATION_SIZE = 1

#: A safety limit of feasibility checks per contradiction (the search above needs at most 66,
#: measured); where it is reached, the chapter and consistency.csv say what is proven.
ENUMERATION_CHECKS = 200


def book_consistency(
    config: BuildConfig,
    manifest: Manifest,
    audit_file: Path,
    log: Callable[[str], None],
    executor: cf.Executor | None = None,
) -> ConsistencyFiles:
    """Every minimal conflict and correction set, nearest values, and the readings' impact.

    Which conflicts disappear when an interpretation is dropped is the readings' impact.

    Computed once per set of inputs (claims, sources, reference, package, the audit) and kept
    next to the audit in ``cache/audit``: :func:`evalkit.solver.audit.cached_enumeration`,
    :func:`evalkit.solver.audit.cached_corrections` and
    :func:`evalkit.solver.audit.interpretation_impact` (``impact-<key>.csv``). Like
    :func:`book_bounds` only for a synthetic register and with ``config.bounds``; otherwise
    the files are empty and the chapter shows the audit's conflicts alone. ``executor`` runs
    the solves (see :func:`book_analysis`; without it ``config.jobs`` processes).
    """
    if not (manifest.synthetic and config.bounds):
        return ConsistencyFiles()
    folder = config.cache_dir / "audit"
    # A warm build finds the files by a hash of what they depend on, without the solver.
    data = [config.data_dir / name for name in ("claims", "sources", "reference")]
    h = hashlib.sha256(package_hash().encode())
    h.update(sha256_tree(data, root=config.data_dir).encode())
    h.update(Path(audit_file).read_bytes())
    key = h.hexdigest()[:24]
    index = folder / f"consistency-{key}.json"
    if index.is_file():
        known = json.loads(index.read_text(encoding="utf-8"))
        if all((folder / name).is_file() for name in known.values()):
            return ConsistencyFiles(**{k: str(folder / v) for k, v in known.items()})
    from evalkit.compute.claims import load_registry
    from evalkit.inputs.register import load_reference
    from evalkit.inputs.sources import load_documents
    from evalkit.solver.audit import (
        cached_corrections,
        cached_enumeration,
        interpretation_impact,
        load_audit,
    )
    from evalkit.solver.model import Spec

    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    # The corrections are keyed by the same limits as the sets they correct.
    limits = {
        "max_checks": ENUMERATION_CHECKS,
        "log": log,
        "workers": config.jobs,
        "executor": executor,
        "max_size": ENUMERATION_SIZE,
    }
    sets = cached_enumeration(config.data_dir, folder, **limits)
    seconds["conflictsets"] = time.monotonic() - t0
    t0 = time.monotonic()
    corrections = cached_corrections(config.data_dir, folder, **limits)
    seconds["correcties"] = time.monotonic() - t0
    t0 = time.monotonic()
    # Keyed by the model and the audit code, not the whole package: a change in a chapter's
    # code reuses it.
    solver = Path(__file__).parents[1] / "solver"
    hi = hashlib.sha256(sha256_tree(data, root=config.data_dir).encode())
    hi.update(Path(audit_file).read_bytes())
    hi.update(sha256_tree([solver / "model.py", solver / "audit.py"], root=solver).encode())
    impact = folder / f"impact-{hi.hexdigest()[:24]}.csv"
    if not impact.is_file():
        log("consistentie-audit: welke tegenspraak verdwijnt zonder elke interpretatie (eenmalig)")
        registry = load_registry(
            config.data_dir / "claims", load_documents(config.data_dir / "sources")
        )
        reference = load_reference(config.data_dir / "reference")
        conflicts = {c.id: list(c.claims) for c in load_audit(audit_file)}
        table = interpretation_impact(
            registry,
            reference,
            Spec(),
            AUDIT_SEED,
            conflicts,
            workers=config.jobs,
            executor=executor,
        )
        tmp = impact.with_suffix(".tmp")
        table.to_csv(tmp, index=False)
        tmp.replace(impact)
    seconds["interpretaties"] = time.monotonic() - t0
    names = {
        "sets_file": sets.name,
        "corrections_file": corrections.name,
        "impact_file": impact.name,
    }
    index.write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
    return ConsistencyFiles(**{k: str(folder / v) for k, v in names.items()}, seconds=seconds)


class _Pool:
    """``workers`` processes (started at the first job: a warm build starts none) fed by priority.

    The jobs wait here, not in the process pool, so a job of a more urgent stage overtakes
    the queued jobs of a less urgent one (:meth:`view`); a running job is never interrupted.
    Which process runs a job, and when, does not change its result.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: cf.ProcessPoolExecutor | None = None
        self._lock = threading.RLock()
        self._queue: list = []
        self._seq = 0
        self._running = 0

    def view(self, priority: int) -> cf.Executor:
        """An executor whose jobs go before those of every view with a higher ``priority``."""
        return _PoolView(self, priority)

    def _submit(self, priority: int, fn: Callable, args: tuple, kwargs: dict) -> cf.Future:
        future: cf.Future = cf.Future()
        with self._lock:
            heapq.heappush(self._queue, (priority, self._seq, fn, args, kwargs, future))
            self._seq += 1
            self._dispatch()
        return future

    def _dispatch(self) -> None:
        with self._lock:
            while self._running < self.workers and self._queue:
                *_, fn, args, kwargs, future = heapq.heappop(self._queue)
                if self._pool is None:
                    # Started from a thread: forkserver, not fork (fork copies other threads'
                    # locks).
                    context = multiprocessing.get_context("forkserver")
                    self._pool = cf.ProcessPoolExecutor(self.workers, mp_context=context)
                try:
                    inner = self._pool.submit(fn, *args, **kwargs)
                except Exception as error:  # a broken pool: the job fails, nothing hangs
                    future.set_exception(error)
                    continue
                self._running += 1
                inner.add_done_callback(lambda done, future=future: self._done(done, future))

    def _done(self, inner: cf.Future, future: cf.Future) -> None:
        if inner.exception() is not None:
            future.set_exception(inner.exception())
        else:
            future.set_result(inner.result())
        with self._lock:
            self._running -= 1
            self._dispatch()

    def shutdown(self) -> None:
        """Stop the processes (if they were started)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _PoolView(cf.Executor):
    def __init__(self, pool: _Pool, priority: int):
        self.pool, self.priority = pool, priority

    def submit(self, fn, /, *args, **kwargs):
        """Queue ``fn(*args, **kwargs)`` in the shared pool at this view's priority."""
        return self.pool._submit(self.priority, fn, args, kwargs)


def book_analysis(
    config: BuildConfig, manifest: Manifest, audit_file: Path, log: Callable[[str], None]
) -> tuple[Path | str, ConsistencyFiles, dict[str, float]]:
    """:func:`book_bounds` and :func:`book_consistency` side by side, and the seconds.

    Both depend on the audit only. Cold, they feed one pool of ``config.jobs`` processes
    (:class:`_Pool`; the consistency stage's jobs first: its corrections wait for its
    enumeration, and the bounds fill the processes in between); every job's
    result depends on that job alone, so the files are the same with one process or two.
    Warm, both find their files by an index and no process starts.
    """
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    if config.jobs <= 1:  # one process: one after the other
        bounds_file, seconds["bereik"] = _timed(book_bounds, config, manifest, audit_file, log)
        files = book_consistency(config, manifest, audit_file, log)
    else:
        pool = _Pool(config.jobs)
        # The consistency stage is the longer chain (its corrections wait for its
        # enumeration): its jobs go first, the bounds' fill the processes in between.
        try:
            with cf.ThreadPoolExecutor(max_workers=2) as threads:
                consistency = threads.submit(
                    book_consistency, config, manifest, audit_file, log, pool.view(0)
                )
                bounds = threads.submit(
                    _timed, book_bounds, config, manifest, audit_file, log, pool.view(1)
                )
                files = consistency.result()
                bounds_file, seconds["bereik"] = bounds.result()
        finally:
            pool.shutdown()
    seconds |= files.seconds
    seconds["consistentie"] = sum(files.seconds.values())
    seconds["analyse"] = time.monotonic() - t0
    return bounds_file, files, seconds


def _timed(fn: Callable, *args):
    t0 = time.monotonic()
    out = fn(*args)
    return out, time.monotonic() - t0


def _build_locked(config: BuildConfig, log: Callable[[str], None], t_start: float) -> Path:
    out = config.out
    if not config.vega_bundle.is_file():
        raise BuildError(f"Vega-bundel ontbreekt: {config.vega_bundle} (draai `make setup`)")

    log(f"[1/4] register en claims valideren: {config.register}")
    stages: dict[str, float] = {}
    t0 = time.monotonic()
    register = validate_inputs(config)
    stages["valideren"] = time.monotonic() - t0
    manifest = load_manifest(config.register)[0]
    log(
        f"register: {manifest.title} ({manifest.kind}); "
        f"statistische beveiliging: {resolved_policy(config)}"
    )
    from evalkit.solver.audit import cached_audit

    t0 = time.monotonic()
    audit_file = cached_audit(config.data_dir, config.cache_dir / "audit", log=log)
    stages["audit"] = time.monotonic() - t0
    # Bounds and the consistency stage side by side (their seconds overlap; "analyse" is
    # their wall time together, "analyse totaal" with the audit).
    bounds_file, consistency, seconds = book_analysis(config, manifest, audit_file, log)
    stages |= seconds
    stages["analyse totaal"] = stages["audit"] + seconds["analyse"]
    jobs = plan(config, register.years, audit_file, bounds_file, consistency.parameters())
    hashes = input_hashes(config, register)
    keys = {job.name: job_key(job, hashes) for job in jobs}
    for job in jobs:
        inputs = ", ".join(
            f"{_input_name(job, n)}={hashes[_input_name(job, n)][:8]}" for n in sorted(job.reads)
        )
        log(f"  sleutel {job.name}: {keys[job.name][:12]} ({inputs})")
    key = build_key(config, keys.values())
    state = _read_state(out)
    if not config.force and state.get("build_key") == key and (out / "current").exists():
        log(
            f"niets veranderd: het boek in {out / 'html'} is actueel "
            f"({time.monotonic() - t_start:.1f} s)"
        )
        return (out / "current").resolve()

    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    staging = out / ".staging" / build_id
    src = staging / "src"
    release = staging / "release"
    src.mkdir(parents=True)
    try:
        log(
            f"[2/4] notebooks uitvoeren met papermill ({len(jobs)} in totaal, "
            f"{config.jobs} tegelijk)"
        )
        t0 = time.monotonic()
        execute_notebooks(
            jobs, src / "notebooks", config.cache_dir / "notebooks", keys, config.jobs, log
        )
        stages["notebooks"] = time.monotonic() - t0
        stage_sources(config, src)
        # The tables behind the figures, where the pages' download links point.
        missing = extract_data(src / "notebooks", src / DOWNLOADS)
        if missing:
            raise BuildError(
                f"{len(missing)} getoonde getallen zonder rij in {EVIDENCE} (geef ze hun "
                "bewijs mee in glue_number of publish_table): " + ", ".join(missing[:20])
            )
        fill_evidence_counts(
            src / "notebooks",
            pd.read_csv(src / DOWNLOADS / EVIDENCE, keep_default_na=False),
            appendix_notebooks(src / "_toc.yml"),
        )
        write_changes(out, src, config.today)
        describe_data(src, log)
        log("[3/4] boek bouwen: HTML met jupyter-book" + (", PDF met Chromium" * config.pdf))
        # Sphinx works in a folder of its own that outlives the build and rereads only the pages
        # whose source changed. A page that pastes values glued in another page (the landing
        # page) is reread whenever a notebook it pastes from changed. Anything else (another
        # set of chapters, a forced build, no previous run) means a full read.
        sphinx = out / SPHINX_DIR
        previous = state.get("notebooks") or {}
        full = (
            config.force
            or set(previous) != set(keys)
            or not (sphinx / "_build" / ".doctrees").is_dir()
        )
        changed = sync_tree(src, sphinx)
        if full:
            log("jupyter-book: alles opnieuw")
        else:
            rerun = sorted(name for name in keys if previous[name] != keys[name])
            pasting = touch_pasting_pages(sphinx, rerun)
            reread = f", opnieuw gelezen omdat ze waarden plakken: {', '.join(pasting)}"
            log(f"jupyter-book: {changed} gewijzigde bestanden" + reread * bool(pasting))
        try:
            seconds = run_jupyter_book({"html": sphinx}, config.python, log, full=full)
        except BaseException:
            shutil.rmtree(sphinx, ignore_errors=True)  # the next build starts afresh
            raise
        stages["sphinx html"] = seconds["html"]
        html = sphinx / "_build" / "html"
        release.mkdir()
        (release / "pdf").mkdir()
        if config.pdf:
            t0 = time.monotonic()
            _print_pdf(config, html, release / "pdf" / f"{PDF_NAME}.pdf", log)
            stages["pdf"] = time.monotonic() - t0
        shutil.copytree(html, release / "html")
        shutil.copytree(src / DOWNLOADS, release / "data")  # the same files the pages link
        state = {
            "build_key": key,
            "build_id": build_id,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "register": str(config.register),
            "notebooks": keys,
            "pdf": config.pdf,
            **substitutions(config),
            "disclosure": resolved_policy(config),
            "register_soort": manifest.kind,
            "stages": {k: round(v, 2) for k, v in stages.items()},
        }
        (release / BUILD_STATE).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
        log("[4/4] nieuw boek op zijn plaats zetten")
        (out / "releases").mkdir(exist_ok=True)
        final = out / "releases" / build_id
        os.replace(release, final)
        _swap_in(out, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    _prune(out, build_id)
    log(
        f"klaar in {time.monotonic() - t_start:.1f} s: {out / 'html' / 'index.html'}"
        + (f" en {out / 'pdf' / (PDF_NAME + '.pdf')}" if config.pdf else "")
    )
    return final
