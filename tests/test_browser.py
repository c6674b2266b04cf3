"""The built book in a real browser: Debian's chromium driven by Playwright, served locally."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ARTEFACTS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "vendor" / "vega" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    """The built HTML served from 127.0.0.1 on a free port, for the whole module."""
    _, out, _ = built_book
    root = (out / "html").resolve()
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.is_file(), "Debian's chromium is missing (make test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
        )
        yield b
        b.close()


def pages(root: Path) -> list[str]:
    """Every page of the book (relative paths), from the TOC's output."""
    found = [p.relative_to(root).as_posix() for p in root.rglob("*.html")]
    return sorted(p for p in found if p.startswith(("book/", "notebooks/")))


@pytest.fixture(scope="module")
def visits(site, browser):
    """Open every page once; record console errors, requests, charts, links and axe results."""
    root, base = site
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shots = ARTEFACTS / "screenshots"
    shots.mkdir(exist_ok=True)
    results = {}
    for rel in pages(root):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("request", lambda r, q=requests: q.append(r.url))
        page.on(
            "response",
            lambda r, e=errors: e.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.goto(f"{base}/{rel}", wait_until="load")
        charts = page.locator("figure.evalkit-chart").count()
        if charts:
            page.wait_for_function(
                "n => document.querySelectorAll('figure.evalkit-chart svg').length >= n",
                arg=charts,
                timeout=15_000,
            )
        marks = page.evaluate(
            """() => Array.from(document.querySelectorAll('figure.evalkit-chart')).map(f =>
                 f.querySelectorAll('svg [class^="mark-"] path, svg [class^="mark-"] text,'
                   + ' svg [class^="mark-"] line').length)"""
        )
        svg_labels = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                   'figure.evalkit-chart > .evalkit-chart-target'))
                 .map(s => s.getAttribute('aria-label') || '')"""
        )
        downloads = page.evaluate(
            "() => Array.from(document.querySelectorAll('a.download')).map(a => a.href)"
        )
        page.add_script_tag(path=str(AXE))
        axe = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        page.screenshot(path=str(shots / (rel.replace("/", "_") + ".png")), full_page=True)
        page.close()
        results[rel] = {
            "errors": errors,
            "requests": requests,
            "charts": charts,
            "marks": marks,
            "svg_labels": svg_labels,
            "downloads": downloads,
            "violations": [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"]][:5],
                }
                for v in axe["violations"]
            ],
        }
    (ARTEFACTS / "browser.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return base, results


def test_every_page_of_the_book_is_visited(visits, site):
    root, _ = site
    _, results = visits
    assert "book/index.html" in results and "notebooks/jaar-2022.html" in results
    assert len(results) == len(pages(root)) >= 14


def test_no_console_errors(visits):
    _, results = visits
    assert {p: r["errors"] for p, r in results.items() if r["errors"]} == {}


def test_no_request_leaves_the_machine(visits):
    _, results = visits
    outside = {
        p: [u for u in r["requests"] if urlparse(u).hostname != "127.0.0.1"]
        for p, r in results.items()
    }
    assert {p: u for p, u in outside.items() if u} == {}


def test_every_chart_renders_svg_with_marks_and_a_label(visits):
    _, results = visits
    charts = {p: r for p, r in results.items() if r["charts"]}
    assert len(charts) >= 3  # two year chapters, the comparison, the timeline
    for page, r in charts.items():
        assert len(r["marks"]) == r["charts"], page
        assert all(m > 0 for m in r["marks"]), (page, r["marks"])
        assert len(r["svg_labels"]) == r["charts"], page
        assert all(len(label) > 40 for label in r["svg_labels"]), page  # alt text, not a word


def test_no_serious_or_critical_accessibility_violations(visits):
    _, results = visits
    serious = {
        p: [v for v in r["violations"] if v["impact"] in ("serious", "critical")]
        for p, r in results.items()
    }
    assert {p: v for p, v in serious.items() if v} == {}


def test_csv_downloads_parse(visits):
    base, results = visits
    links = sorted({u for r in results.values() for u in r["downloads"]})
    assert any(u.endswith("/wijken-2022.csv") for u in links)
    for url in links:
        assert url.startswith(base + "/_downloads/"), url
        with urllib.request.urlopen(url) as response:
            text = response.read().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), url


def test_every_figure_page_offers_its_data(visits):
    _, results = visits
    for page, r in results.items():
        if r["charts"]:
            assert r["downloads"], page


def test_search_finds_a_term(site, browser):
    _, base = site
    page = browser.new_page()
    page.goto(f"{base}/search.html?q=gezinsverzorger", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    hits = page.locator("#search-results ul.search li").count()
    page.screenshot(path=str(ARTEFACTS / "screenshots" / "search.png"))
    page.close()
    assert hits >= 3


def _open(browser, url: str, width: int):
    """A page at ``width`` px, loaded, with its charts drawn."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url, wait_until="load")
    charts = page.locator("figure.evalkit-chart").count()
    if charts:
        page.wait_for_function(
            "n => document.querySelectorAll('figure.evalkit-chart svg').length >= n",
            arg=charts,
            timeout=15_000,
        )
    return page


#: Per table in the article: its width, its container's width, and whether the container
#: scrolls (the theme's .pst-scrollable-table-container).
TABLES_JS = """() => Array.from(document.querySelectorAll('article table')).map(t => {
    const box = t.parentElement;
    return {w: t.scrollWidth, box: box.clientWidth,
            scrolls: ['auto', 'scroll'].includes(getComputedStyle(box).overflowX)};
})"""


LAYOUT_JS = (
    """() => ({
  scroll: document.scrollingElement.scrollWidth,
  client: document.scrollingElement.clientWidth,
  charts: Array.from(document.querySelectorAll('figure.evalkit-chart svg'))
    .map(s => ({w: s.getBoundingClientRect().width,
                box: s.closest('figure').clientWidth,
                scale: s.getBoundingClientRect().width
                       / (s.viewBox.baseVal.width || s.width.baseVal.value),
                cut: Array.from(s.querySelectorAll('text')).filter(t => {
                    const r = s.getBoundingClientRect(), q = t.getBoundingClientRect();
                    return q.width > 0 && (q.left < r.left - 0.5 || q.right > r.right + 0.5);
                  }).map(t => t.textContent)})),
  tables: ("""
    + TABLES_JS
    + """)(),
})"""
)


@pytest.fixture(scope="module")
def layouts(site, browser):
    """Every page at 1280 and 390 px: page width, tables, and how the charts are scaled."""
    root, base = site
    shots = ARTEFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    out = {}
    for width in (1280, 390):
        for rel in pages(root):
            page = _open(browser, f"{base}/{rel}", width)
            out[width, rel] = page.evaluate(LAYOUT_JS)
            if width == 390:
                page.screenshot(
                    path=str(shots / f"390-{rel.replace('/', '_')}.png"), full_page=True
                )
            page.close()
    return out


def test_no_page_scrolls_sideways_on_a_phone(layouts):
    wide = {
        rel: (r["scroll"], r["client"])
        for (width, rel), r in layouts.items()
        if width == 390 and r["scroll"] > r["client"]
    }
    assert wide == {}


def test_no_table_is_cut_off_at_1280(layouts):
    # On a desktop every table fits its column (it wraps); on a phone a table that does not
    # fit scrolls in its own container, never the page.
    too_wide = {
        rel: [t for t in r["tables"] if t["w"] > t["box"] + 1]
        for (width, rel), r in layouts.items()
        if width == 1280
    }
    assert {rel: t for rel, t in too_wide.items() if t} == {}
    unwrapped = {
        rel: [t for t in r["tables"] if t["w"] > t["box"] + 1 and not t["scrolls"]]
        for (width, rel), r in layouts.items()
        if width == 390
    }
    assert {rel: t for rel, t in unwrapped.items() if t} == {}


def test_charts_fit_a_phone_without_shrinking_their_text(layouts):
    charts = [(rel, c) for (width, rel), r in layouts.items() if width == 390 for c in r["charts"]]
    assert len(charts) >= 3
    for rel, c in charts:
        assert c["w"] <= c["box"] + 1, rel
        # Drawn at the container's width, not a wide chart scaled down to illegible type.
        assert c["scale"] > 0.95, (rel, c)


def test_no_text_of_a_chart_runs_out_of_its_picture(layouts):
    # A bar's value, a legend or an axis label outside the SVG is cut off (it was: "15 (71%"
    # at 1280 px, the status legend at 390 px).
    cut = {
        (width, rel): [c["cut"] for c in r["charts"] if c["cut"]]
        for (width, rel), r in layouts.items()
    }
    assert sum(len(r["charts"]) for r in layouts.values()) >= 20
    assert {k: v for k, v in cut.items() if v} == {}


def test_verantwoording_filters_by_section_and_status(site, browser):
    _, base = site
    page = _open(browser, f"{base}/notebooks/verantwoording.html", 1280)
    status = page.locator("#evalkit-filter-status")
    section = page.locator("#evalkit-filter-onderdeel")
    rows = "article table.evalkit-table tbody tr"
    total = page.locator(rows).count()
    options = status.locator("option").all_text_contents()
    assert options[0] == "alle statussen" and "✔ klopt precies" in options
    status.select_option("✔ klopt precies")
    visible = page.evaluate(
        """sel => Array.from(document.querySelectorAll(sel)).filter(r => !r.hidden)
             .map(r => r.children[4].textContent.trim())""",
        rows,
    )
    assert visible and set(visible) == {"✔ klopt precies"} and len(visible) < total
    count = page.locator(".evalkit-filter-count").text_content()
    assert count == f"{len(visible)} van {total} claims zichtbaar"
    status.select_option("")
    first = section.locator("option").nth(1).text_content()
    section.select_option(first)
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('article h2'))
             .filter(h => !h.hidden && h.nextElementSibling
                     && h.nextElementSibling.querySelector('table.evalkit-table'))
             .map(h => h.textContent.replace('#', '').trim())"""
    )
    assert shown == [first]
    page.close()


def test_verantwoording_without_javascript_shows_every_table(site, browser):
    _, base = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/notebooks/verantwoording.html", wait_until="load")
    assert page.locator(".evalkit-filter-form").count() == 0
    hidden = page.evaluate(
        "() => Array.from(document.querySelectorAll('article table tr'))"
        ".filter(r => r.hidden).length"
    )
    assert hidden == 0 and page.locator("article table.evalkit-table tbody tr").count() > 20
    context.close()


def test_search_shows_a_snippet_of_the_text(site, browser):
    _, base = site
    page = browser.new_page()
    page.goto(f"{base}/search.html?q=hoofdvraag", wait_until="load")
    page.wait_for_selector("#search-results ul.search li p.context", timeout=15_000)
    snippets = page.locator("#search-results ul.search li p.context").all_text_contents()
    page.close()
    # Sphinx's Dutch stemmer looks for "hoofdvrag"; the snippet shows the word as typed.
    assert sum("hoofdvraag" in s.lower() for s in snippets) >= 2
    for s in snippets:
        assert "  " not in s and "\n" not in s  # text, not the page's layout whitespace
        assert "Inhoud" not in s  # the page's contents list is not part of the snippet


def test_berekend_met_links_to_the_code_appendix(site, browser):
    _, base = site
    page = _open(browser, f"{base}/notebooks/jaar-2022.html", 1280)
    links = page.evaluate(
        """() => Array.from(document.querySelectorAll('article li'))
             .filter(li => li.textContent.startsWith('Berekend met'))
             .flatMap(li => Array.from(li.querySelectorAll('a.reference')))
             .map(a => ({href: a.href, text: a.textContent}))"""
    )
    page.close()
    functions = [link for link in links if "#evalkit." in link["href"]]
    assert any(link["text"] == "evalkit.compute.metrics.wijk_counts()" for link in functions)
    assert all(link["href"].split("#")[0].endswith("/book/code.html") for link in functions)
    code = _open(browser, f"{base}/book/code.html", 1280)
    for link in functions:
        anchor = link["href"].split("#")[1]
        assert code.locator(f"[id='{anchor}']").count() == 1, anchor
    source = code.locator("[id='evalkit.compute.metrics.wijk_counts'] a.reference.internal")
    href = source.first.get_attribute("href")
    code.close()
    assert "_modules/evalkit/compute/metrics.html" in href


def test_a_chart_is_one_image_with_its_dutch_alt_text(site, browser):
    _, base = site
    page = _open(browser, f"{base}/notebooks/jaar-2022.html", 1280)
    charts = page.evaluate(
        """() => Array.from(document.querySelectorAll('figure.evalkit-chart')).map(f => {
             const div = f.querySelector('.evalkit-chart-target');
             return {role: div.getAttribute('role'), label: div.getAttribute('aria-label'),
                     hidden: f.querySelector('svg').getAttribute('aria-hidden')};
           })"""
    )
    page.close()
    assert len(charts) == 5
    for c in charts:
        # Vega's own ARIA text (English: "X-axis titled ...") is out of the accessibility tree.
        assert c["role"] == "img" and c["hidden"] == "true"
        assert c["label"].startswith("Staafdiagram van ")


@pytest.mark.parametrize("width", [1280, 390])
def test_glued_text_has_the_weight_of_its_sentence(site, browser, width):
    # A glued number or sentence is not bold: published and computed numbers differ by their
    # status marks, not by weight (myst-nb makes span.pasted-text bold by default).
    _, base = site
    page = _open(browser, f"{base}/notebooks/jaar-2022.html", width)
    weights = page.evaluate(
        """() => Array.from(document.querySelectorAll('article span.pasted-text'))
             .filter(e => e.textContent.trim())
             .map(e => [getComputedStyle(e).fontWeight,
                        getComputedStyle(e.parentElement).fontWeight])"""
    )
    page.close()
    assert len(weights) >= 10
    assert [w for w in weights if w[0] != w[1]] == []
