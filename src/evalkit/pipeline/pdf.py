"""The PDF edition: the built HTML book assembled into one print document, printed by Chromium."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Debian's Chromium; Playwright drives it (never a browser build of its own).
CHROMIUM = Path("/usr/bin/chromium")
#: The print stylesheet, shipped in the book's ``_static`` folder.
PRINT_CSS = "_static/evalkit-print.css"
#: Name of the print document while it is printed (inside the HTML folder, removed afterwards).
PRINT_HTML = "evalkit-print.html"
#: The document language (the PDF's ``/Lang``).
LANG = "nl-NL"
#: Placeholder for a page number in the contents list (the same width as the real numbers).
PAGE_PLACEHOLDER = "000"
#: Placeholder for the page of a code link in the running text before its number is known:
#: as wide as a two-digit page, so that filling it in rarely moves a line.
REF_PLACEHOLDER = "00"
#: How often the contents list may be renumbered before the page numbers must have settled.
MAX_PASSES = 3
CHART_TIMEOUT_MS = 30_000
#: How an appendix's title starts (the book's extension letters the part "Bijlagen").
APPENDIX_TITLE = "Bijlage "


class PdfError(Exception):
    """Printing the PDF failed; the message says which page or step."""


@dataclass(frozen=True)
class Cover:
    """What the first page of the PDF says (and the running header repeats).

    Parameters
    ----------
    title : str
        The book's title (also the PDF's ``/Title``).
    organisation : str
        The organisation responsible for the publication.
    edition : str
        The edition, e.g. ``"versie 0.3.0"``.
    date : datetime.date
        The build date.
    status : str
        The publication's status, e.g. a demonstration on synthetic data.
    notice : str
        A warning repeated in the running header of every page (empty for none), e.g.
        ``"Synthetische gegevens — demonstratie"`` while the register is synthetic.

    """

    title: str
    organisation: str
    edition: str
    date: dt.date
    status: str
    notice: str = ""


@dataclass(frozen=True)
class BookPage:
    """One page of the HTML book, in reading order, with the part of the book it opens."""

    path: str
    part: str | None = None

    @property
    def slug(self) -> str:
        """The page's id prefix in the print document (``notebooks-jaar-2022``)."""
        return re.sub(r"[^A-Za-z0-9_-]+", "-", self.path.removesuffix(".html")).strip("-")


@dataclass(frozen=True)
class PrintResult:
    """What printing measured: pages, passes and seconds per step."""

    pages: int
    passes: int
    seconds: dict[str, float]


def dutch_date(day: dt.date) -> str:
    """A date as Dutch text: ``22 november 2026``."""
    from babel.dates import format_date

    return format_date(day, format="d MMMM y", locale="nl_NL")


def cover_from_config(book_config: dict, version: str, today: dt.date) -> Cover:
    """The cover of this build from the book's ``_config.yml``.

    Parameters
    ----------
    book_config : dict
        The parsed ``_config.yml``: ``title`` and the ``evalkit`` block with ``organisation``
        (required), ``status`` and ``notice``.
    version : str
        The package version (the edition).
    today : datetime.date
        The build date.

    Raises
    ------
    PdfError
        When ``evalkit.organisation`` is missing or empty.

    """
    settings = book_config.get("evalkit") or {}
    organisation = str(settings.get("organisation") or "").strip()
    if not organisation:
        raise PdfError("_config.yml: evalkit.organisation ontbreekt (wie is verantwoordelijk?)")
    return Cover(
        title=str(book_config["title"]),
        organisation=organisation,
        edition=f"Versie {version}",
        date=today,
        status=str(settings.get("status") or "").strip(),
        notice=str(settings.get("notice") or "").strip(),
    )


# Runs in each book page after it loaded: the article, cleaned for print, with ids made unique
# in the print document and links pointing inside it.
_EXTRACT_JS = r"""
([slug, slugs, root]) => {
  const article = document.querySelector('article.bd-article');
  if (!article) { return null; }
  const node = article.cloneNode(true);
  const drop = 'script, noscript, .headerlink, button, .toggle-button, #searchbox, '
    + '.vega-actions, .sd-tab-set > input';
  node.querySelectorAll(drop).forEach(e => e.remove());
  // Folded blocks (dropdowns, toggles, details) are printed open.
  node.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  // sphinx-togglebutton wraps a toggle in <details> with a "click to show" summary: the
  // printed page shows the content without the wrapper.
  node.querySelectorAll('details.toggle-details').forEach(d => {
    d.querySelector(':scope > summary')?.remove();
    d.replaceWith(...d.childNodes);
  });
  node.querySelectorAll('details').forEach(e => e.setAttribute('open', ''));
  // Code in a table (claim ids, function names, paths) may wrap after . _ / as well as after
  // a hyphen, so that its column needs no more room than its longest part.
  node.querySelectorAll('td code, th code').forEach(code => {
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) { texts.push(walker.currentNode); }
    texts.forEach(t => {
      const parts = t.data.split(/(?<=[._\/])/);
      if (parts.length < 2) { return; }
      const pieces = [];
      parts.forEach((part, i) => {
        if (i) { pieces.push(document.createElement('wbr')); }
        pieces.push(document.createTextNode(part));
      });
      t.replaceWith(...pieces);
    });
  });
  node.querySelectorAll('[tabindex]').forEach(e => e.removeAttribute('tabindex'));
  node.querySelectorAll('[style*="cursor"]').forEach(e => e.style.removeProperty('cursor'));
  // A figure is one /Figure in the PDF's structure tree, with a Dutch alternative text:
  // a chart's own description (the SVG's English ARIA tree stays out of it), else the alt of
  // its image, else its caption.
  node.querySelectorAll('figure').forEach(f => {
    if (f.parentElement?.closest('figure')) { return; }
    const chart = f.querySelector('.evalkit-chart-target');
    const img = f.querySelector('img[alt]');
    const caption = f.querySelector('figcaption')?.textContent || '';
    const alt = (chart?.getAttribute('aria-label') || img?.getAttribute('alt') || caption)
      .replace(/\s+/g, ' ').trim();
    f.setAttribute('aria-label', alt);
    f.querySelectorAll('figure').forEach(inner => inner.setAttribute('role', 'none'));
    f.querySelectorAll('.evalkit-chart-target, img').forEach(t => {
      t.setAttribute('aria-hidden', 'true');
      t.removeAttribute('role');
      t.removeAttribute('aria-roledescription');
    });
  });
  // A PDF cannot carry the CSV files: name them and say where they are.
  node.querySelectorAll('a.download').forEach(a => {
    const code = document.createElement('code');
    code.textContent = a.textContent;
    a.replaceWith(code);
    const p = code.closest('p');
    if (p && !p.dataset.evalkitWeb) {
      p.dataset.evalkitWeb = '1';
      p.append(', te downloaden in de webversie van dit rapport');
    }
  });
  node.querySelectorAll('[id]').forEach(e => { e.id = slug + '--' + e.id; });
  node.querySelectorAll('label[for]').forEach(e => {
    e.htmlFor = slug + '--' + e.htmlFor;
  });
  node.querySelectorAll('[aria-labelledby], [aria-describedby]').forEach(e => {
    for (const name of ['aria-labelledby', 'aria-describedby']) {
      const v = e.getAttribute(name);
      if (v) { e.setAttribute(name, v.split(/\s+/).map(i => slug + '--' + i).join(' ')); }
    }
  });
  node.querySelectorAll('a[href]').forEach(a => {
    const raw = a.getAttribute('href');
    if (/^(https?:|mailto:)/.test(raw)) { return; }
    const url = new URL(raw, document.baseURI);
    const page = url.href.split('#')[0];
    const target = slugs[page];
    if (target !== undefined) {
      const hash = decodeURIComponent(url.hash.slice(1));
      a.setAttribute('href', '#' + target + (hash ? '--' + hash : ''));
    } else {
      const span = document.createElement('span');
      span.append(...a.childNodes);
      a.replaceWith(span);
    }
  });
  // A function named under "Berekend met" links to its entry in the code appendix: the PDF
  // says on which page that is (evalkit fills in the number after a print pass). The link to
  // the appendix as a whole, in brackets after the functions, is then left out.
  node.querySelectorAll('.evalkit-technisch li').forEach(li => {
    const code = Array.from(li.querySelectorAll('a[href^="#"]'))
      .filter(a => a.querySelector('code.xref') && a.getAttribute('href').includes('--'));
    if (!code.length) { return; }
    code.forEach(a => {
      const ref = document.createElement('span');
      ref.className = 'evalkit-page-ref';
      ref.dataset.ref = a.getAttribute('href').slice(1);
      a.after(ref);
    });
    li.querySelectorAll('a[href^="#"]').forEach(a => {
      if (a.getAttribute('href').includes('--')) { return; }
      const before = a.previousSibling, after = a.nextSibling;
      if (before?.nodeType !== Node.TEXT_NODE || after?.nodeType !== Node.TEXT_NODE) { return; }
      const open = before.data.lastIndexOf('(');
      if (open < 0 || !after.data.startsWith(')')) { return; }
      before.data = before.data.slice(0, open).trimEnd();
      after.data = after.data.slice(1);
      a.remove();
    });
  });
  node.querySelectorAll('img[src]').forEach(img => {
    const url = new URL(img.getAttribute('src'), document.baseURI).href;
    if (url.startsWith(root)) { img.setAttribute('src', url.slice(root.length)); }
  });
  const styles = Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
    .map(l => l.href).filter(h => h.startsWith(root)).map(h => h.slice(root.length));
  return {html: node.innerHTML, styles: styles};
}
"""

_WAIT_CHARTS_JS = """() => Array.from(document.querySelectorAll('figure.evalkit-chart'))
    .every(f => f.querySelector('svg'))"""


def book_pages(html_dir: Path) -> list[BookPage]:
    """The pages of the built book in reading order, from the root page's navigation.

    Parameters
    ----------
    html_dir : Path
        The built HTML book (``jupyter-book``'s ``_build/html``).

    Returns
    -------
    list of BookPage
        The root page first, then every chapter (and the pages of its sections) in the order
        of ``_toc.yml``; a chapter that opens a part carries the part's caption.

    """
    index = html_dir / "index.html"
    text = index.read_text(encoding="utf-8")
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', text, flags=re.I)
    root = redirect.group(1) if redirect else "index.html"
    root_text = (html_dir / root).read_text(encoding="utf-8")
    nav = re.search(r'<nav class="bd-links bd-docs-nav".*?</nav>', root_text, flags=re.S)
    if not nav:
        raise PdfError(f"{root}: geen navigatie gevonden om de volgorde van het boek te lezen")
    base = Path(root).parent
    pages = [BookPage(root)]
    part = None
    for caption, href in re.findall(
        r'<p[^>]*class="caption"[^>]*>.*?<span class="caption-text">(.*?)</span>'
        r'|<li class="toctree-l\d[^"]*"><a class="reference internal" href="([^"#]+)"',
        nav.group(0),
        flags=re.S,
    ):
        if caption:
            part = html.unescape(caption)
            continue
        path = _normalise((base / href).as_posix())
        if path not in {p.path for p in pages}:  # a section's pages follow their chapter
            pages.append(BookPage(path, part))
            part = None
    return pages


def _normalise(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _cover_html(cover: Cover) -> str:
    e = html.escape
    notice = f'<p class="evalkit-cover-notice">{e(cover.notice)}</p>' if cover.notice else ""
    return f"""
<section class="evalkit-cover" aria-label="Titelpagina">
  <p class="evalkit-cover-organisation">{e(cover.organisation)}</p>
  <p class="evalkit-cover-title">{e(cover.title)}</p>
  {notice}
  <dl class="evalkit-cover-meta">
    <dt>Uitgave</dt><dd>{e(cover.edition)}</dd>
    <dt>Datum</dt><dd>{e(dutch_date(cover.date))}</dd>
    <dt>Status</dt><dd>{e(cover.status)}</dd>
    <dt>Verantwoordelijk</dt><dd>{e(cover.organisation)}</dd>
  </dl>
</section>"""


def _contents_html(pages: list[BookPage], titles: dict[str, str], numbers: dict[str, str]) -> str:
    items = []
    for page in pages:
        if page.part:
            items.append(f'<li class="evalkit-contents-part">{html.escape(page.part)}</li>')
        number = numbers.get(page.slug, PAGE_PLACEHOLDER)
        items.append(
            f'<li><a href="#{page.slug}"><span class="evalkit-contents-title">'
            f"{html.escape(titles[page.slug])}</span>"
            f'<span class="evalkit-contents-page" aria-label="pagina {number}">{number}</span>'
            "</a></li>"
        )
    return (
        '<nav class="evalkit-contents">'
        '<h2 class="evalkit-contents-heading">Inhoudsopgave</h2>'
        f'<ol class="evalkit-contents-list">{"".join(items)}</ol></nav>'
    )


def appendices(pages: list[BookPage], titles: dict[str, str]) -> set[str]:
    """The slugs of the appendices: the first page titled "Bijlage …" and every page after it.

    The print stylesheet prints the technical provenance (parameters, functions, hashes) only
    there; the main text before it is what the page budget counts.
    """
    found: set[str] = set()
    for page in pages:
        if found or titles.get(page.slug, "").startswith(APPENDIX_TITLE):
            found.add(page.slug)
    return found


def _print_document(
    cover: Cover,
    pages: list[BookPage],
    bodies: dict[str, str],
    titles: dict[str, str],
    styles: list[str],
    numbers: dict[str, str],
) -> str:
    links = "\n".join(
        f'<link rel="stylesheet" href="{html.escape(s)}">' for s in [*styles, PRINT_CSS]
    )
    appendix = appendices(pages, titles)
    chapters = "\n".join(
        f'<section class="evalkit-chapter{" evalkit-bijlage" if p.slug in appendix else ""}" '
        f'id="{p.slug}">{with_page_refs(bodies[p.slug], titles, numbers)}</section>'
        for p in pages
    )
    return f"""<!DOCTYPE html>
<html lang="{LANG}" data-theme="light">
<head>
<meta charset="utf-8">
<title>{html.escape(cover.title)}</title>
<meta name="author" content="{html.escape(cover.organisation)}">
{links}
<style>{_running_css(cover)}</style>
</head>
<body class="evalkit-print">
{_cover_html(cover)}
{_contents_html(pages, titles, numbers)}
<main>
{chapters}
</main>
</body>
</html>
"""


_PAGE_REF = re.compile(r'<span class="evalkit-page-ref" data-ref="([^"]+)"></span>')


def page_refs(body: str) -> list[str]:
    """The print ids that a page's code links point to (their pages are written after them)."""
    return [html.unescape(ref) for ref in _PAGE_REF.findall(body)]


def with_page_refs(body: str, titles: dict[str, str], numbers: dict[str, str]) -> str:
    """A page's body with the page of every code link after it: `` (Bijlage D, p. 61)``.

    The appendix is named by the letter of the page the link points to (``p. 61`` alone for
    a page that is not an appendix); a page not known yet prints :data:`REF_PLACEHOLDER`.
    """

    def ref(m: re.Match) -> str:
        target = html.unescape(m.group(1))
        letter = re.match(r"Bijlage [A-Z]\b", titles.get(target.split("--")[0], ""))
        where = f"{letter.group(0)}, " if letter else ""
        number = numbers.get(target, REF_PLACEHOLDER)
        return f'<span class="evalkit-page-ref"> ({where}p.\u00a0{number})</span>'

    return _PAGE_REF.sub(ref, body)


def _running_css(cover: Cover) -> str:
    """The page rules that carry text: running header (title, notice) and page numbers."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return f"""@page {{
  @top-left {{ content: {q(cover.title)}; }}
  @top-right {{ content: {q(cover.notice)}; }}
  @bottom-right {{ content: "Pagina " counter(page) " van " counter(pages); }}
}}
@page :first {{
  @top-left {{ content: none; }}
  @top-right {{ content: none; }}
  @bottom-right {{ content: none; }}
}}
"""


def _page_numbers(pdf: Path, slugs: Sequence[str], refs: Sequence[str] = ()) -> dict[str, str]:
    """The page of each chapter and of each code link's target, from named destinations.

    Chromium writes one for every element a printed link points to, under its id; the
    contents list links every chapter. A code link that is not printed (the main text leaves
    some provenance to the appendices) has no destination: ``refs`` may be missing.
    """
    import pikepdf

    with pikepdf.open(pdf) as doc:
        index = {page.objgen: number for number, page in enumerate(doc.pages, 1)}
        dests = doc.Root.get("/Dests", pikepdf.Dictionary())
        found = {}
        for slug in [*slugs, *refs]:
            dest = dests.get("/" + slug)
            if dest is not None:
                dest = dest.get("/D", dest) if isinstance(dest, pikepdf.Dictionary) else dest
                found[slug] = str(index[dest[0].objgen])
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise PdfError(f"geen bestemming in de PDF voor {', '.join(missing)}")
    return found


def _finish_metadata(pdf: Path, cover: Cover) -> int:
    """Add what Chromium leaves out: XMP metadata (title, creator, language) and the author.

    Returns the number of pages.
    """
    import pikepdf

    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = cover.title
            meta["dc:creator"] = [cover.organisation]
            meta["dc:language"] = {LANG}
        doc.docinfo["/Author"] = cover.organisation
        count = len(doc.pages)
        doc.save(pdf)
    return count


def _extract(context, html_dir: Path, pages: list[BookPage]) -> tuple[dict, dict, list]:
    """Open every page in Chromium, let its charts render, and take its article."""
    root = html_dir.resolve().as_uri() + "/"
    slugs = {root + p.path: p.slug for p in pages}
    bodies: dict[str, str] = {}
    titles: dict[str, str] = {}
    styles: list[str] = []
    tab = context.new_page()
    # The article needs the page and its scripts (the charts draw themselves): no styles,
    # fonts or images (the print document links the styles itself).
    tab.route(
        "**/*",
        lambda route: (
            route.abort()
            if route.request.resource_type in ("stylesheet", "font", "image", "media")
            else route.continue_()
        ),
    )
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for page in pages:
            tab.goto(root + page.path, wait_until="load")
            try:
                tab.wait_for_function(_WAIT_CHARTS_JS, timeout=CHART_TIMEOUT_MS)
            except Exception as exc:
                raise PdfError(f"{page.path}: de grafieken zijn niet getekend ({exc})") from exc
            if errors:
                raise PdfError(f"{page.path}: JavaScript-fout: {errors[0]}")
            got = tab.evaluate(_EXTRACT_JS, [page.slug, slugs, root])
            if got is None:
                raise PdfError(f"{page.path}: geen artikel gevonden")
            bodies[page.slug] = got["html"]
            titles[page.slug] = tab.evaluate(
                "() => (document.querySelector('article.bd-article h1')?.innerText"
                " || document.title).replace(/#$/, '').trim()"
            )
            styles += [s for s in got["styles"] if s not in styles]
    finally:
        tab.close()
    return bodies, titles, styles


def print_pdf(
    html_dir: Path,
    target: Path,
    cover: Cover,
    *,
    chromium: Path = CHROMIUM,
    log: Callable[[str], None] = print,
) -> PrintResult:
    """Print the built HTML book to one tagged A4 PDF.

    Parameters
    ----------
    html_dir : Path
        The built HTML book; it must contain ``_static/evalkit-print.css``.
    target : Path
        The PDF to write.
    cover : Cover
        What the first page and the running header say.
    chromium : Path
        The Chromium executable Playwright drives.
    log : callable
        Receives progress lines.

    Returns
    -------
    PrintResult

    Raises
    ------
    PdfError
        When a page cannot be read, a chart does not render or the page numbers do not settle.

    """
    from playwright.sync_api import sync_playwright

    if not (html_dir / PRINT_CSS).is_file():
        raise PdfError(f"de printstijl ontbreekt: {html_dir / PRINT_CSS}")
    if not chromium.is_file():
        raise PdfError(f"Chromium ontbreekt: {chromium} (draai `make setup`)")
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    pages = book_pages(html_dir)
    document = html_dir / PRINT_HTML
    target.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
        )
        try:
            context = browser.new_context(viewport={"width": 800, "height": 1100})
            bodies, titles, styles = _extract(context, html_dir, pages)
            seconds["pagina's lezen"] = time.monotonic() - t0
            numbers: dict[str, str] = {}
            refs = sorted({r for p in pages for r in page_refs(bodies[p.slug])})
            passes = 0
            tab = context.new_page()
            try:
                while True:
                    passes += 1
                    t1 = time.monotonic()
                    document.write_text(
                        _print_document(cover, pages, bodies, titles, styles, numbers),
                        encoding="utf-8",
                    )
                    tab.goto(document.as_uri(), wait_until="load")
                    tab.evaluate("document.fonts.ready")
                    tab.pdf(
                        path=str(target),
                        prefer_css_page_size=True,
                        print_background=True,
                        tagged=True,
                        outline=True,
                    )
                    seconds[f"afdrukken {passes}"] = time.monotonic() - t1
                    found = _page_numbers(target, [p.slug for p in pages], refs)
                    if found == numbers:
                        break
                    if passes == MAX_PASSES:
                        raise PdfError(
                            "de paginanummers van de inhoudsopgave en de verwijzingen naar de "
                            "code komen niet vast te liggen"
                        )
                    numbers = found
            finally:
                tab.close()
                document.unlink(missing_ok=True)
        finally:
            browser.close()
    count = _finish_metadata(target, cover)
    seconds["totaal"] = time.monotonic() - t0
    log(f"PDF: {count} pagina's in {seconds['totaal']:.1f} s ({passes} keer afgedrukt)")
    return PrintResult(count, passes, seconds)
