"""End to end: the pipeline on the small register, in a temporary project and output folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import FIXTURES, book_config, build_args
from evalkit.pipeline.build import BuildConfig, BuildError, build
from evalkit.pipeline.cli import main
from evalkit.publish.wording import policy_label

pytestmark = pytest.mark.slow


def config(project: Path, out: Path, **kwargs) -> BuildConfig:
    return book_config(project, out, **kwargs)


@pytest.fixture(scope="module")
def built(built_book):
    return built_book


def test_html_and_exactly_one_pdf(built):
    _, out, _ = built
    assert (out / "html" / "index.html").is_file()
    assert [p.name for p in (out / "pdf").iterdir()] == ["evaluatie-pilot-gezinsverzorger.pdf"]


def test_glued_number_in_html_and_pdf(built):
    _, out, _ = built
    # The small register has 4 trajecten (see tests/fixtures/register-klein).
    index = (out / "html" / "book" / "index.html").read_text(encoding="utf-8")
    # the number, then (after a narrow space) its status marker: ``?`` in a build without bounds
    assert 'bevat <span class="pasted-text">4\u202f?</span> trajecten' in index
    pdf_text = subprocess.run(
        ["pdftotext", str(out / "pdf" / "evaluatie-pilot-gezinsverzorger.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "bevat 4 ? trajecten" in " ".join(pdf_text.split())


def test_chart_uses_local_vega_bundle(built):
    _, out, _ = built
    page = (out / "html" / "notebooks" / "jaar-2022.html").read_text(encoding="utf-8")
    assert 'src="../_static/evalkit-vega.min.js' in page
    assert "vegaEmbed(" in page and "cdn." not in page.lower()
    assert (out / "html" / "_static" / "evalkit-vega.min.js").stat().st_size > 500_000


def test_parameters_hidden_and_shown_readably(built):
    _, out, _ = built
    page = (out / "html" / "notebooks" / "jaar-2022.html").read_text(encoding="utf-8")
    assert "injected-parameters" not in page and 'register_dir = "' not in page
    assert "Parameters van dit hoofdstuk" in page and "register-klein" in page


def test_progress_names_notebooks(built):
    _, _, lines = built
    text = "\n".join(lines)
    assert "ingepland: jaar-2022 (jaar=2022)" in text and "nog 0 te gaan" in text


def test_data_files(built):
    _, out, _ = built
    lines = (out / "data" / "wijken-2022.csv").read_text().splitlines()
    # each count and percentage with its status and range (none computed: --no-bounds)
    assert lines[:2] == [
        "categorie,gezinnen,gezinnen_status,gezinnen_min,gezinnen_max,"
        "procent,procent_status,procent_min,procent_max,procent_tekst",
        "Beijum,2,onbeslist,,,67.0,onbeslist,,,67%",
    ]
    evidence = (out / "data" / "evidence.csv").read_text().splitlines()
    assert evidence[0].startswith("notebook,key,label,shown,status,min,max,")
    assert any(r.startswith("jaar-2022,wijken-2022:Beijum:gezinnen,") for r in evidence)
    assert "jaar-2022,actief,3" in (out / "data" / "glue.csv").read_text()
    reconciliation = (out / "data" / "reconciliation.csv").read_text().splitlines()[0]
    assert reconciliation == (
        "claim_id,document,quote,published,published_status,published_min,published_max,"
        "recomputed,recomputed_status,recomputed_min,recomputed_max,status,explanation"
    )
    assert any(r.startswith("verantwoording,reconciliation:W23-actief-2022:") for r in evidence)
    assert (out / "data" / "consistency.csv").read_text().startswith("conflict_id,claim_id,")


def test_second_build_does_nothing(built):
    project, out, _ = built
    before = os.readlink(out / "current")
    lines: list[str] = []
    build(config(project, out), log=lines.append)
    assert os.readlink(out / "current") == before
    assert any("niets veranderd" in line for line in lines)


def test_failing_notebook_keeps_previous_book(built, capsys):
    project, out, _ = built
    before = os.readlink(out / "current")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('kapot gemaakt')"),
    ]
    nbformat.write(nb, project / "notebooks" / "kapot.ipynb")
    try:
        code = main(
            build_args(
                project,
                FIXTURES / "register-klein",
                out,
                "--cache",
                str(project.parent / "shared-cache"),
            )
        )
    finally:
        (project / "notebooks" / "kapot.ipynb").unlink()
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "notebooks/kapot.ipynb" in err
        and "cel 2 (raise ValueError('kapot gemaakt'))" in err
        and "kapot gemaakt" in err
    )
    assert os.readlink(out / "current") == before
    assert (out / "html" / "index.html").is_file()
    assert list((out / ".staging").iterdir()) == []


@pytest.mark.parametrize("pdf", [False, True], ids=["html", "html-and-pdf"])
def test_sphinx_warning_fails_the_build(built, tmp_path, pdf):
    project, _, _ = built
    page = project / "book" / "index.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(
        original + "\nZie {glue:text}`/notebooks/jaar-2022.ipynb::bestaat_niet:s`.\n",
        encoding="utf-8",
    )
    try:
        with pytest.raises(BuildError, match="bestaat_niet") as failed:
            build(config(project, tmp_path / "out", pdf=pdf), log=lambda _: None)
    finally:
        page.write_text(original, encoding="utf-8")
    # The PDF is printed from the HTML, so with or without it the HTML build is named.
    assert "jupyter-book (html) mislukt" in str(failed.value)
    assert not (tmp_path / "out" / "html").exists()
    assert list((tmp_path / "out" / ".staging").iterdir()) == []


def test_python_m_evalkit_help():
    proc = subprocess.run(
        [sys.executable, "-m", "evalkit", "--help"], capture_output=True, text=True, check=True
    )
    assert "build" in proc.stdout and "reconstruct" in proc.stdout


def _text_of_html(path: Path) -> str:
    import html
    import re

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _pdf_text(out: Path, *args: str) -> str:
    pdf = out / "pdf" / "evaluatie-pilot-gezinsverzorger.pdf"
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_figure_and_table_has_provenance(built, small_register):
    _, out, _ = built
    from evalkit.compute.slices import register_digest, year_slice
    from evalkit.publish.provenance import register_hash

    page = _text_of_html(out / "html" / "notebooks" / "jaar-2022.html")
    blocks = page.count("Herkomst en controle")
    assert blocks == 7  # flow, hours, and the five distributions
    assert page.count("commit 0123456789ab") == blocks
    # A year chapter computes from its year's slice and names that slice's digest.
    digest = register_digest(year_slice(small_register, 2022))
    assert page.count(f"Register, gegevens van 2022: sha256 {digest}") == blocks
    assert f"(gegevens van 2022: sha256 {digest})" in page
    # A chapter over all years names the hash of the register's files.
    summary = _text_of_html(out / "html" / "notebooks" / "overzicht.html")
    assert f"sha256 {register_hash(FIXTURES / 'register-klein')}" in summary
    assert (
        "evalkit.compute.metrics.wijk_counts" in page
        and "notebooks/jaar.ipynb (jaar = 2022)" in page
    )
    assert "wijken-2022.csv" in page


def test_csv_downloads_ship_with_the_html(built):
    _, out, _ = built
    shipped = {p.name: p for p in (out / "html" / "_downloads").rglob("*.csv")}
    assert {"wijken-2022.csv", "trajecten.csv", "tijdlijn.csv"} <= set(shipped)
    for name, path in shipped.items():
        assert path.read_bytes() == (out / "data" / name).read_bytes(), name
    page = _text_of_html(out / "html" / "notebooks" / "jaar-2022.html")
    assert "Gegevens: wijken-2022.csv (CSV)" in page and "webversie" not in page


def test_pdf_says_where_the_data_of_a_figure_is(built):
    _, out, _ = built
    text = " ".join(_pdf_text(out).split())
    assert "Gegevens: wijken-2022.csv (CSV), te downloaden in de webversie van dit rapport" in text


def test_colofon_has_the_run_metadata(built):
    _, out, _ = built
    from evalkit import __version__
    from evalkit.publish.provenance import package_versions

    page = _text_of_html(out / "html" / "notebooks" / "colofon.html")
    assert f"versie {__version__}" in page and "commit 0123456789ab" in page
    assert "Gebouwd op 22 november 2026" in page
    assert f"pandas {package_versions(['pandas'])['pandas']}" in page
    assert f"Beleid bij deze bouw: {policy_label('none')}" in page
    assert "Verwijs naar dit boek als" in page


def test_pdf_is_a4_dutch_with_title_page_toc_and_page_numbers(built):
    _, out, _ = built
    from evalkit import __version__

    pdf = out / "pdf" / "evaluatie-pilot-gezinsverzorger.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    front = _pdf_text(out, "-l", "3")
    assert f"Versie {__version__}" in front and "Inhoudsopgave" in front
    page_10 = _pdf_text(out, "-layout", "-f", "10", "-l", "10").split()
    assert page_10[-1].isdigit()  # a page number at the foot


def test_pdf_charts_are_vector_graphics(built):
    _, out, _ = built
    pdf = out / "pdf" / "evaluatie-pilot-gezinsverzorger.pdf"
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(listing) == 2, listing  # only the header: not one raster image
    # Chart text is real text: the axis title of every distribution chart.
    assert _pdf_text(out).count("Gezinnen") >= 10


def test_pdf_and_html_show_the_same_glued_values(built):
    """Every sentence with a glued value in a year chapter reads the same in HTML and PDF."""
    import html
    import re

    _, out, _ = built
    # A sentence may run on over a page break: leave out the running header and footer.
    header = ("Pilot gezinsverzorger Groningen: de cijfers nagerekend", "Synthetische gegevens")
    lines = [
        line
        for line in _pdf_text(out).replace("\f", "\n").splitlines()
        if not line.startswith(header) and not re.fullmatch(r"Pagina \d+ van \d+", line)
    ]
    pdf = " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(lines)).split())
    source = (out / "html" / "notebooks" / "jaar-2022.html").read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", source, flags=re.S)
    sampled = [p for p in paragraphs if 'class="pasted-text"' in p]
    assert len(sampled) >= 6
    for p in sampled:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", p)).split())
        assert text in pdf, text


def _register_secrets(folder: Path) -> set[str]:
    """Every id and date of a register, in the forms a leak would take."""
    import csv

    secrets: set[str] = set()
    with (folder / "trajecten.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            secrets.add(row["traject_id"])
            for col in ("aanmelddatum", "startdatum", "einddatum"):
                if row[col]:
                    y, m, d = row[col].split("-")
                    secrets |= {row[col], f"{d}-{m}-{y}", f"{int(d)}-{int(m)}-{y}"}
    with (folder / "kinderen.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            y, m = row["geboortejaar"], int(row["geboortemaand"])
            secrets |= {row["kind_id"], f"{y}-{m:02d}", f"{m:02d}-{y}", f"{m}-{y}"}
    return secrets


def test_no_case_data_in_any_published_file(built):
    """Scan HTML, PDF text, CSV downloads and data files for every id and date of the register."""
    import re

    _, out, _ = built
    secrets = _register_secrets(FIXTURES / "register-klein")
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, secrets)) + r")(?![\w-])")
    texts = {"pdf": _pdf_text(out)}
    for folder in ("html", "data"):
        for path in (out / folder).rglob("*"):
            if path.is_file() and path.suffix in {".html", ".csv", ".js", ".json", ".txt"}:
                texts[str(path.relative_to(out))] = path.read_text(
                    encoding="utf-8", errors="ignore"
                )
    leaks = {name: sorted(set(pattern.findall(t))) for name, t in texts.items()}
    assert len(texts) > 40
    assert {k: v for k, v in leaks.items() if v} == {}
    # No executed notebook (they carry parameters and outputs) is published with the site.
    assert not list((out / "html").rglob("*.ipynb"))


def test_leak_scan_would_find_a_leak():
    """The scan above is not vacuous: an id in a page is found."""
    import re

    secrets = _register_secrets(FIXTURES / "register-klein")
    assert {"K01", "C07", "2022-01-10", "10-01-2022", "2019-05"} <= secrets
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, secrets)) + r")(?![\w-])")
    assert pattern.findall("<td>K03</td> started 2022-08-22") == ["K03", "2022-08-22"]


def test_killed_build_leaves_the_previous_book(built):
    """SIGKILL half way through executing notebooks: the book in place is untouched."""
    import signal
    import time

    project, out, _ = built
    before = os.readlink(out / "current")
    index = (out / "html" / "index.html").read_bytes()
    cmd = [
        sys.executable,
        "-m",
        "evalkit",
        *build_args(
            project,
            FIXTURES / "register-klein",
            out,
            "--cache",
            str(project.parent / "kill-cache"),  # empty notebook cache: every notebook runs
            "--force",
        ),
    ]
    shared = project.parent / "shared-cache" / "audit"
    shutil.copytree(shared, project.parent / "kill-cache" / "audit", dirs_exist_ok=True)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if "klaar:" in line or time.monotonic() > deadline:  # the first notebook is done
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert os.readlink(out / "current") == before
    assert (out / "html" / "index.html").read_bytes() == index
    assert list((out / ".staging").iterdir())  # the killed build's half-done work
    # Only complete notebooks ever enter the cache (written aside, then renamed).
    for nb in (project.parent / "kill-cache" / "notebooks").glob("*.ipynb"):
        assert nb.name.endswith(".tmp.ipynb") or nbformat.read(nb, as_version=4).cells
    # The next build clears what the killed one left behind, and still has nothing to do.
    lines: list[str] = []
    build(config(project, out), log=lines.append)
    assert any("niets veranderd" in line for line in lines)
    assert list((out / ".staging").iterdir()) == []


def test_two_builds_give_identical_data(built, tmp_path):
    """Executing every notebook again (fresh notebook cache) gives byte-identical data files."""
    project, out, _ = built
    cache = tmp_path / "cache"
    shutil.copytree(project.parent / "shared-cache" / "audit", cache / "audit")
    again = tmp_path / "out"
    build(
        BuildConfig(**{**config(project, again, pdf=False).__dict__, "cache": cache}),
        log=lambda _: None,
    )
    assert len(list((cache / "notebooks").glob("*.ipynb"))) >= 12  # really executed again
    first = {p.name: p.read_bytes() for p in (out / "data").glob("*.csv")}
    second = {p.name: p.read_bytes() for p in (again / "data").glob("*.csv")}
    assert first.keys() == second.keys() and "glue.csv" in first
    assert {n for n in first if first[n] != second[n]} == set()


def test_cbs_disclosure_policy_reaches_every_output(built, tmp_path):
    """Built with --disclosure cbs: no count from 1 to 7 anywhere, counts rounded to 5."""
    import csv

    project, _, _ = built
    out = tmp_path / "out"
    build(config(project, out, pdf=False, disclosure="cbs"), log=lambda _: None)
    for name in ("wijken-2022.csv", "hoofdvraag-2023.csv", "trajecten.csv"):
        with (out / "data" / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for col in ("gezinnen", "actief", "gestart", "afgesloten", "doorgelopen"):
                    if row.get(col):
                        n = int(float(row[col]))
                        assert n % 5 == 0 and not 0 < n < 8, (name, row)
    with (out / "data" / "glue.csv").open(encoding="utf-8") as f:
        glue = {(r["notebook"], r["key"]): r["text"] for r in csv.DictReader(f)}
    # The small register has 3 active families in 2022: hidden.
    assert glue[("jaar-2022", "actief")] == "x"
    colofon = _text_of_html(out / "html" / "notebooks" / "colofon.html")
    assert f"Beleid bij deze bouw: {policy_label('cbs')}" in colofon and "afgerond op 5" in colofon
    page = _text_of_html(out / "html" / "notebooks" / "jaar-2022.html")
    assert "herberekende waarde statistisch beveiligd" in page


def test_editing_quotes_reruns_only_the_notebooks_that_read_them(built, tmp_path):
    project, _, _ = built
    quotes = project / "data" / "quotes" / "waarderend-onderzoek.yaml"
    original = quotes.read_text(encoding="utf-8")
    quotes.write_text(original + "\n# een opmerking\n", encoding="utf-8")
    lines: list[str] = []
    try:
        build(config(project, tmp_path / "out", pdf=False), log=lines.append)
    finally:
        quotes.write_text(original, encoding="utf-8")
    text = "\n".join(lines)
    assert "13 in het boek, 11 uit de cache, 2 uit te voeren" in text
    assert "ingepland: citaten" in text and "ingepland: colofon" in text


def _pages(out: Path) -> list[Path]:
    html = out / "html"
    return sorted([*(html / "book").glob("*.html"), *(html / "notebooks").glob("*.html")])


def test_synthetic_register_says_so_on_every_page(built):
    _, out, _ = built
    pages = _pages(out)
    assert len(pages) >= 14
    for page in pages:
        assert "Synthetische gegevens — demonstratie" in _text_of_html(page), page.name
    changes = _text_of_html(out / "html" / "book" / "wijzigingen.html")
    assert "eerste editie" in changes


def _real_copy(tmp_path: Path) -> Path:
    register = tmp_path / "export"
    shutil.copytree(FIXTURES / "register-klein", register)
    (register / "datapackage.json").unlink()
    return register


def test_real_register_book_never_says_synthetic(built, tmp_path):
    """A register without datapackage.json is a real export: cbs by default, no 'synthetisch'."""
    import dataclasses
    import json

    project, _, _ = built
    out = tmp_path / "out"
    real = dataclasses.replace(config(project, out, pdf=False), register=_real_copy(tmp_path))
    build(real, log=lambda _: None)
    state = json.loads((out / "current" / "build.json").read_text())
    assert state["register_soort"] == "echt" and state["disclosure"] == "cbs"
    # The code appendix documents the package in English, its synthesis of the demonstration
    # register included; it says nothing about the register of this book. The organisation is
    # the analyst's own setting (the committed one calls itself a demonstration).
    organisation = yaml.safe_load((project / "_config.yml").read_text())["evalkit"]["organisation"]
    for page in [p for p in _pages(out) if p.name != "code.html"]:
        text = _text_of_html(page).replace(organisation, "").lower()
        assert "synthet" not in text and "demonstratie" not in text, page.name
        assert "zonder statistische beveiliging" not in text, page.name
    for data in (out / "data").glob("*.csv"):
        assert "synthet" not in data.read_text(encoding="utf-8").lower(), data.name
    colofon = _text_of_html(out / "html" / "notebooks" / "colofon.html")
    assert f"Beleid bij deze bouw: {policy_label('cbs')}" in colofon
    assert "geldt daarom als een echte levering" in colofon
    assert "Het beschermt niet wat al openbaar is" in colofon


def test_next_edition_lists_the_changed_value(built, tmp_path):
    """Unprotected on purpose (every cell visible); one 2023 value changes between editions."""
    import csv
    import dataclasses

    project, _, _ = built
    register = _real_copy(tmp_path)
    out = tmp_path / "out"
    real = dataclasses.replace(
        config(project, out, pdf=False),
        register=register,
        disclosure="none",
        small_cells_accepted=True,
    )
    build(real, log=lambda _: None)
    assert "eerste editie" in _text_of_html(out / "html" / "book" / "wijzigingen.html")
    for page in _pages(out):
        assert "Zonder statistische beveiliging" in _text_of_html(page), page.name
    rows = (register / "jaarregistratie.csv").read_text(encoding="utf-8")
    old, new = (
        "K04,2023,samengesteld_gezin,psychisch,2.0",
        "K04,2023,samengesteld_gezin,psychisch,8.0",
    )
    (register / "jaarregistratie.csv").write_text(rows.replace(old, new), encoding="utf-8")
    lines: list[str] = []
    build(real, log=lines.append)
    # Sphinx reread only what changed, and the landing page that pastes from the summary.
    assert "opnieuw gelezen omdat ze waarden plakken: book/index.md" in "\n".join(lines)
    with (out / "data" / "wijzigingen.csv").open(encoding="utf-8") as f:
        changes = list(csv.DictReader(f))
    hours = [c for c in changes if c["wat"] == "trajecten-2023: 2023, uren_per_week"]
    assert len(hours) == 1 and hours[0]["hoofdstuk"] == "Pilotjaar 2023"
    # (3.5 + 4.5 + 2.0) / 3 before, (3.5 + 4.5 + 8.0) / 3 after.
    assert float(hours[0]["oud"]) == pytest.approx(10 / 3)
    assert float(hours[0]["nieuw"]) == pytest.approx(16 / 3)
    glued = [c for c in changes if c["soort"] == "getal in de tekst" and c["wat"] == "uren"]
    assert [(c["hoofdstuk"], c["oud"], c["nieuw"]) for c in glued] == [
        ("Pilotjaar 2023", "3,3", "5,3")
    ]
    assert not [c for c in changes if c["hoofdstuk"] == "Pilotjaar 2022"]
    page = _text_of_html(out / "html" / "book" / "wijzigingen.html")
    assert "Wijzigingen per" in page and "trajecten-2023: 2023, uren_per_week 3,33 5,33" in page
    # The incremental book is the book a full build makes of the same inputs (the list of
    # changes aside, which a first edition does not have).
    full = tmp_path / "full"
    build(dataclasses.replace(real, out=full, force=True, cache=out / "cache"), log=lambda _: None)
    assert _html_files(out) == _html_files(full)


def _html_files(out: Path) -> dict[str, str]:
    # Sphinx adds a cache-busting query to a stylesheet it finds from an earlier run.
    bust = re.compile(r'\.css\?v=[0-9a-f]+"')
    return {
        p.relative_to(out / "html").as_posix(): bust.sub('.css"', p.read_text())
        for p in (out / "html").rglob("*")
        if p.suffix in {".html", ".js"}
        and p.name not in {"wijzigingen.html", "searchindex.js"}
        and "_static" not in p.parts
    }


@pytest.mark.parametrize(
    ("manifest", "disclosure", "accepted", "outcome"),
    [
        (True, None, False, "none"),
        (False, None, False, "cbs"),
        (False, "none", True, "none"),
        (False, "none", False, BuildError),
    ],
)
def test_policy_of_a_build_follows_the_register(tmp_path, manifest, disclosure, accepted, outcome):
    import dataclasses

    from evalkit.pipeline.build import resolved_policy, substitutions

    register = tmp_path / "register"
    shutil.copytree(FIXTURES / "register-klein", register)
    if not manifest:
        (register / "datapackage.json").unlink()
    cfg = dataclasses.replace(
        book_config(tmp_path, tmp_path / "out"),
        register=register,
        disclosure=disclosure,
        small_cells_accepted=accepted,
    )
    if outcome is BuildError:
        with pytest.raises(BuildError, match="--publish-small-cells"):
            resolved_policy(cfg)
        return
    assert resolved_policy(cfg) == outcome
    banner = substitutions(cfg)["registerbanner"]
    if manifest:
        assert banner == "Synthetische gegevens — demonstratie"
    else:
        assert ("kleine aantallen" in banner) == (outcome == "none")


@pytest.mark.parametrize(
    ("page", "present", "absent"),
    [
        # The letter attributes the expected nadeel to extra specialist jeugdhulp, not to BJH.
        ("bjh", "meer specialistische jeugdhulp ingezet", "5.377"),
        # The pilot started later than budgeted and ended later; it did not run longer.
        ("financien", "eindigde ook later", "liep ook langer door"),
    ],
)
def test_content_errors_stay_fixed(built, page, present, absent):
    _, out, _ = built
    text = _text_of_html(out / "html" / "notebooks" / f"{page}.html")
    assert present in text and absent not in text
