"""The PDF edition: the HTML book printed by Chromium loses nothing and is accessible."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY
from evalkit.pipeline.pdf import (
    PRINT_CSS,
    BookPage,
    Cover,
    PdfError,
    book_pages,
    cover_from_config,
    dutch_date,
    print_pdf,
    with_page_refs,
)
from evalkit.publish.wording import SYNTHETIC_BANNER, SYNTHETIC_STATUS

PDF_NAME = "evaluatie-pilot-gezinsverzorger.pdf"
A4 = (595.28, 841.89)  # points
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
COVER = Cover(
    title="Een boek",
    organisation="Gemeente Voorbeeld — onderzoek",
    edition="Versie 9.9",
    date=dt.date(2026, 3, 5),
    status="Proef",
    notice="Synthetische gegevens — demonstratie",
)


# --- without a browser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("book/index.html", "book-index"),
        ("notebooks/jaar-2022.html", "notebooks-jaar-2022"),
        ("notebooks/a b.html", "notebooks-a-b"),
    ],
)
def test_slug_of_a_page(path, slug):
    assert BookPage(path).slug == slug


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2026, 11, 22), "22 november 2026"), (dt.date(2024, 3, 1), "1 maart 2024")],
)
def test_dutch_date(day, text):
    assert dutch_date(day) == text


def test_cover_from_the_project_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    cover = cover_from_config(config, "1.2.3", TODAY)
    assert cover.title == config["title"]
    assert cover.organisation == config["evalkit"]["organisation"]
    assert (cover.edition, cover.date) == ("Versie 1.2.3", TODAY)
    assert cover.status == config["evalkit"]["status"] and cover.notice == ""


@pytest.mark.parametrize(
    "settings", [None, {}, {"organisation": ""}, {"organisation": "  ", "status": "x"}]
)
def test_cover_needs_an_organisation(settings):
    with pytest.raises(PdfError, match=r"evalkit\.organisation"):
        cover_from_config({"title": "t", "evalkit": settings}, "1", TODAY)


def _page(title: str, body: str, nav: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>'
        f'{title}</title></head><body>{nav}<article class="bd-article"><section id="s">'
        f"<h1>{title}</h1>{body}</section></article></body></html>"
    )


NAV = """<nav class="bd-links bd-docs-nav" aria-label="Main"><ul>
<li class="toctree-l1 current active"><a class="reference internal" href="#">Start</a></li></ul>
<p aria-level="2" class="caption" role="heading">
<span class="caption-text">Deel &amp; een</span></p>
<ul class="nav bd-sidenav">
<li class="toctree-l1"><a class="reference internal" href="../notebooks/een.html">Een</a></li>
<li class="toctree-l1 has-children"><a class="reference internal" href="twee.html">Twee</a>
<details><summary>Toon</summary><ul>
<li class="toctree-l2"><a class="reference internal" href="twee.html#s">Twee, paragraaf</a></li>
<li class="toctree-l2"><a class="reference internal" href="twee-a.html">Twee a</a></li>
</ul></details></li>
</ul>
<p aria-level="2" class="caption" role="heading"><span class="caption-text">Bijlagen</span></p>
<ul class="nav bd-sidenav">
<li class="toctree-l1"><a class="reference internal" href="../notebooks/drie.html">Drie</a></li>
</ul></nav>"""

FIGURE = """<figure class="align-default" id="fig-a"><div class="output text_html">
<figure class="evalkit-chart"><div id="c" class="evalkit-chart-target" role="img"
 aria-label="Staafdiagram van iets: a 1, b 2."><svg width="200" height="60">
<rect width="200" height="60" fill="#0072B2"/><text x="4" y="20">as-label</text></svg></div>
</figure></div><figcaption><p>Figuur 1 Iets per wijk.</p></figcaption></figure>"""

TABLE = (
    '<div class="pst-scrollable-table-container"><table class="table"><thead><tr>'
    "<th>Claim</th><th>Status</th></tr></thead><tbody>"
    + "".join(
        f"<tr><td><code>T23-claim-{i:03d}-met-een-lange-naam</code></td><td>✘ wijkt af</td></tr>"
        for i in range(60)
    )
    + "</tbody></table></div>"
)


#: A provenance note as evalkit writes it: the functions link to their entries in the code
#: appendix (here: page "Drie", after its long table), the last link to the appendix itself.
CODE_LINK = """<div class="evalkit-technisch docutils"><ul class="simple">
<li><p>Berekend met: <a class="reference internal" href="drie.html#evalkit.x.tel">
<code class="xref py py-func docutils literal notranslate"><span class="pre">evalkit.x.tel()</span>
</code></a> (documentatie en broncode: <a class="reference internal" href="drie.html">
<span class="doc">Drie</span></a>)</p></li>
<li><p>Notebook: <code>notebooks/een.ipynb</code></p></li></ul></div>"""
CODE_ENTRY = """<dl class="py function"><dt class="sig sig-object py" id="evalkit.x.tel">
<span class="sig-name descname">evalkit.x.tel(register)</span></dt><dd><p>Count.</p></dd></dl>"""


def small_book(root: Path) -> Path:
    """A three-chapter HTML book shaped like jupyter-book's output."""
    (root / "book").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "_static").mkdir()
    (root / PRINT_CSS).write_bytes((ROOT / "book" / PRINT_CSS).read_bytes())
    (root / "index.html").write_text(
        '<meta http-equiv="Refresh" content="0; url=book/index.html" />', encoding="utf-8"
    )
    (root / "book" / "index.html").write_text(
        _page("Start", '<p>Zie <a href="twee.html#s">twee</a>.</p>', NAV), encoding="utf-8"
    )
    (root / "notebooks" / "een.html").write_text(_page("Een", FIGURE + CODE_LINK), "utf-8")
    (root / "book" / "twee.html").write_text(
        _page("Twee", "<details><summary>Meer</summary><p>Verborgen tekst</p></details>"),
        encoding="utf-8",
    )
    (root / "book" / "twee-a.html").write_text(_page("Twee a", "<p>Een sectie.</p>"), "utf-8")
    (root / "notebooks" / "drie.html").write_text(_page("Drie", TABLE + CODE_ENTRY), "utf-8")
    return root


def test_book_pages_in_reading_order_with_parts(tmp_path):
    pages = book_pages(small_book(tmp_path))
    assert pages == [
        BookPage("book/index.html"),
        BookPage("notebooks/een.html", "Deel & een"),
        BookPage("book/twee.html"),
        BookPage("book/twee-a.html"),
        BookPage("notebooks/drie.html", "Bijlagen"),
    ]


def test_book_pages_needs_the_navigation(tmp_path):
    small_book(tmp_path)
    (tmp_path / "book" / "index.html").write_text(_page("Start", "<p>x</p>"), encoding="utf-8")
    with pytest.raises(PdfError, match="navigatie"):
        book_pages(tmp_path)


REF = '<span class="evalkit-page-ref" data-ref="{}"></span>'
TITLES = {"book-code": "Bijlage D. Code van de berekeningen", "notebooks-een": "Een"}


@pytest.mark.parametrize(
    ("target", "numbers", "text"),
    [
        ("book-code--evalkit.compute.metrics.n_active", {}, " (Bijlage D, p.\u00a000)"),
        (
            "book-code--evalkit.compute.metrics.n_active",
            {"book-code--evalkit.compute.metrics.n_active": "61"},
            " (Bijlage D, p.\u00a061)",
        ),
        ("notebooks-een--f", {"notebooks-een--f": "7"}, " (p.\u00a07)"),  # not an appendix
        ("elders--f", {"elders--f": "9"}, " (p.\u00a09)"),
    ],
)
def test_a_code_link_gets_the_page_of_its_target(target, numbers, text):
    body = f"<p><a href='#{target}'><code>f()</code></a>{REF.format(target)}, en</p>"
    assert with_page_refs(body, TITLES, numbers) == (
        f"<p><a href='#{target}'><code>f()</code></a>"
        f'<span class="evalkit-page-ref">{text}</span>, en</p>'
    )


# --- helpers on a printed PDF ------------------------------------------------------------------


def pdf_text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeezed(pdf: Path) -> str:
    """The text in drawing order with all white space removed (line breaks fall anywhere)."""
    return re.sub(r"\s+", "", pdf_text(pdf, "-raw"))


def structure(pdf: Path) -> dict:
    """Tags of the structure tree (counts), the /Alt of every /Figure, /Lang, /Title, outline."""
    import pikepdf

    counts: dict[str, int] = {}
    alts: list[str | None] = []
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        stack = [root.StructTreeRoot] if "/StructTreeRoot" in root else []
        while stack:
            node = stack.pop()
            if "/S" in node:
                tag = str(node.S)
                counts[tag] = counts.get(tag, 0) + 1
                if tag == "/Figure":
                    alts.append(str(node.Alt) if "/Alt" in node else None)
                attributes = node.get("/A", [])
                attributes = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
                if tag == "/TH" and any("/Scope" in a for a in attributes):
                    counts["TH with /Scope"] = counts.get("TH with /Scope", 0) + 1
            kids = node.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            stack += [k for k in kids if isinstance(k, pikepdf.Dictionary)]
        with doc.open_outline() as outline:
            titles = [" ".join(item.title.split()) for item in outline.root]
        meta = doc.open_metadata()
        return {
            "xmp": {k: meta.get(k) for k in ("dc:title", "dc:creator", "dc:language")},
            "author": str(doc.docinfo.get("/Author", "")),
            "tags": counts,
            "alts": alts,
            "lang": str(root.get("/Lang", "")),
            "title": str(doc.docinfo.get("/Title", "")),
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "outline": titles,
            "sizes": {
                (round(float(p.mediabox[2]), 1), round(float(p.mediabox[3]), 1)) for p in doc.pages
            },
            "pages": len(doc.pages),
        }


#: The side margin of a page (the print stylesheet's ``@page`` rule: top, right, bottom, left).
SIDE_MARGIN_MM = float(
    re.search(
        r"@page\s*\{[^}]*?margin:\s*[\d.]+mm\s+([\d.]+)mm",
        (ROOT / "book" / PRINT_CSS).read_text(encoding="utf-8"),
    ).group(1)
)


def words_outside_the_column(pdf: Path, margin_mm: float = SIDE_MARGIN_MM) -> list[tuple[int, str]]:
    """Words that stick out of the text column (an overflowing table or a long code)."""
    # Chromium prints A4 0.3 pt narrow and a glyph may overhang its box: 1.5 pt of slack.
    margin = margin_mm * 72 / 25.4 - 1.5
    out, page, width = [], 0, 0.0
    for line in pdf_text(pdf, "-bbox").splitlines():
        if "<page " in line:
            page += 1
            width = float(re.search(r'width="([\d.]+)"', line).group(1))
        m = re.search(
            r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line
        )
        if m and (float(m.group(1)) < margin or float(m.group(2)) > width - margin):
            out.append((page, m.group(3)))
    return out


def font_report(pdf: Path) -> list[dict]:
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        name, rest = line.split()[0], line.split()[1:]
        # columns: type (1-3 words), encoding, emb, sub, uni, object, generation
        fonts.append({"name": name.split("+")[-1], "emb": rest[-5], "uni": rest[-3]})
    return fonts


def dejavu_charset(font: str) -> set[int]:
    """The code points a DejaVu font has glyphs for (from fontconfig)."""
    spec = subprocess.run(
        ["fc-query", "--format", "%{charset}", str(DEJAVU / f"{font}.ttf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    points: set[int] = set()
    for item in spec.split():
        low, _, high = item.partition("-")
        points |= set(range(int(low, 16), int(high or low, 16) + 1))
    return points


# --- a small book printed (browser, a few seconds) ---------------------------------------------


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory):
    root = small_book(tmp_path_factory.mktemp("html"))
    target = root.parent / "out" / "boek.pdf"
    lines: list[str] = []
    result = print_pdf(root, target, COVER, log=lines.append)
    return root, target, result, lines


@pytest.mark.browser
def test_small_book_is_tagged_with_dutch_alt_text(small_pdf):
    root, pdf, result, lines = small_pdf
    s = structure(pdf)
    assert s["lang"] == "nl-NL" and s["title"] == "Een boek" and s["marked"]
    assert s["author"] == "Gemeente Voorbeeld — onderzoek"
    assert s["xmp"] == {
        "dc:title": "Een boek",
        "dc:creator": ["Gemeente Voorbeeld — onderzoek"],
        "dc:language": {"nl-NL"},
    }
    assert s["alts"] == ["Staafdiagram van iets: a 1, b 2."]
    assert s["tags"]["/H1"] == 5 and s["tags"]["/TH"] == 2 and s["tags"]["/Caption"] == 1
    assert s["tags"]["TH with /Scope"] == 2
    assert s["outline"][:1] == ["Inhoudsopgave"] and s["outline"][1:] == [
        "Start",
        "Een",
        "Twee",
        "Twee a",
        "Drie",
    ]
    assert s["sizes"] == {(595.0, 841.9)}
    # The print document is removed again: the HTML folder is as it was.
    assert not (root / "evalkit-print.html").exists()
    assert lines == [
        f"PDF: {result.pages} pagina's in {result.seconds['totaal']:.1f} s (2 keer afgedrukt)"
    ]


@pytest.mark.browser
def test_small_book_contents_list_names_the_right_pages(small_pdf):
    _, pdf, result, _ = small_pdf
    contents = " ".join(pdf_text(pdf, "-f", "2", "-l", "2", "-layout").split())
    starts = {}
    for number in range(3, result.pages + 1):
        first = pdf_text(pdf, "-f", str(number), "-l", str(number)).split("\n")
        heading = next(line for line in first[1:] if line.strip() and "demonstratie" not in line)
        starts.setdefault(heading.strip(), number)
    for title in ("Start", "Een", "Twee", "Twee a", "Drie"):
        assert f"{title} {starts[title]}" in contents, (title, contents)
    assert "Deel & een" in contents and "Bijlagen" in contents


@pytest.mark.browser
def test_small_book_code_link_names_the_page_of_the_function(small_pdf):
    _, pdf, result, _ = small_pdf
    pages = [
        re.sub(r"\s+", "", pdf_text(pdf, "-f", str(n), "-l", str(n)))
        for n in range(1, result.pages + 1)
    ]
    cited = [
        n for p in pages for n in re.findall(r"Berekendmet:evalkit\.x\.tel\(\)\(p\.(\d+)\)", p)
    ]
    assert len(cited) == 1, cited
    (number,) = cited
    entry = [n for n, p in enumerate(pages, 1) if "evalkit.x.tel(register)" in p]
    assert entry == [int(number)] and int(number) > 4  # after the 60 rows of the table
    # The main text prints the functions, not the notebook line nor the link to the page.
    text = squeezed(pdf)
    assert "Notebook:" not in text and "documentatieenbroncode" not in text


@pytest.mark.browser
def test_small_book_cover_running_header_and_page_numbers(small_pdf):
    _, pdf, result, _ = small_pdf
    cover = " ".join(pdf_text(pdf, "-l", "1").split())
    for text in ("Gemeente Voorbeeld — onderzoek", "Een boek", "Versie 9.9", "5 maart 2026"):
        assert text in cover
    assert "Proef" in cover and "Synthetische gegevens — demonstratie" in cover
    assert "Pagina" not in cover
    last = " ".join(pdf_text(pdf, "-f", str(result.pages), "-l", str(result.pages)).split())
    assert "Een boek" in last and "Synthetische gegevens — demonstratie" in last
    assert f"Pagina {result.pages} van {result.pages}" in last


@pytest.mark.browser
def test_small_book_folded_text_links_and_long_tables(small_pdf):
    _, pdf, _, _ = small_pdf
    text = squeezed(pdf)
    assert "Verborgentekst" in text  # a <details> is printed open
    assert all(f"T23-claim-{i:03d}-met-een-lange-naam" in text for i in range(60))
    assert words_outside_the_column(pdf) == []
    assert text.count("ClaimStatus") >= 2  # the header row repeats on every page of the table


# --- the whole book (slow: built once per session) ---------------------------------------------


@pytest.fixture(scope="module")
def book_pdf(built_book):
    _, out, _ = built_book
    return out, out / "pdf" / PDF_NAME


def html_pages(out: Path) -> list[Path]:
    html = out / "html"
    return sorted(p for p in html.rglob("*.html") if p.parent.name in ("book", "notebooks"))


@pytest.mark.slow
def test_every_claim_id_is_in_the_pdf(book_pdf):
    out, pdf = book_pdf
    with (out / "data" / "reconciliation.csv").open(encoding="utf-8") as f:
        ids = [row["claim_id"] for row in csv.DictReader(f)]
    assert len(ids) > 150
    text = squeezed(pdf)
    assert [i for i in ids if i not in text] == []


@pytest.mark.slow
def test_every_figure_of_the_html_is_in_the_pdf_with_its_caption(book_pdf):
    out, pdf = book_pdf
    import html as html_lib

    captions = []
    for page in html_pages(out):
        source = page.read_text(encoding="utf-8")
        source = re.sub(r'<a class="headerlink".*?</a>', "", source, flags=re.S)
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", source, flags=re.S):
            captions.append(re.sub(r"\s+", "", html_lib.unescape(re.sub(r"<[^>]+>", "", caption))))
    assert len(captions) >= 10
    text = squeezed(pdf)
    assert [c for c in captions if c not in text] == []
    s = structure(pdf)
    assert len(s["alts"]) == len(captions)
    assert all(alt and not alt.startswith(("X-axis", "Y-axis")) for alt in s["alts"]), s["alts"]


@pytest.mark.slow
def test_pdf_is_tagged_dutch_titled_with_bookmarks(book_pdf):
    out, pdf = book_pdf
    s = structure(pdf)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert s["lang"].startswith("nl") and s["title"] == config["title"] and s["marked"]
    assert s["tags"]["/H1"] >= 10 and s["tags"]["/Table"] >= 20 and s["tags"]["/TH"] >= 40
    assert s["tags"]["TH with /Scope"] == s["tags"]["/TH"]  # header cells name their column
    assert s["tags"]["/L"] >= 10 and s["tags"]["/Caption"] == len(s["alts"])
    chapters = [p.stem for p in html_pages(out)]
    assert len(s["outline"]) >= len(chapters)  # one bookmark per chapter, and the contents


@pytest.mark.slow
def test_pdf_pages_are_a4_and_nothing_sticks_out(book_pdf):
    _, pdf = book_pdf
    s = structure(pdf)
    assert s["sizes"] == {(595.0, 841.9)}
    assert words_outside_the_column(pdf) == []


@pytest.mark.slow
def test_fonts_are_embedded_and_have_every_glyph(book_pdf):
    _, pdf = book_pdf
    fonts = font_report(pdf)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    families = {f["name"] for f in fonts}
    assert {f for f in families if not f.startswith("DejaVu")} == set()
    covered = dejavu_charset("DejaVuSans") & dejavu_charset("DejaVuSansMono")
    text = pdf_text(pdf)
    missing = sorted({c for c in text if ord(c) > 32 and ord(c) not in covered})
    assert missing == []
    assert "✘" in text and "✔" in text  # the status marks are real text


@pytest.mark.slow
def test_no_heading_is_the_last_line_of_a_page_nor_a_caption_the_first(book_pdf):
    out, pdf = book_pdf
    import html as html_lib

    headings = set()
    for page in html_pages(out):
        source = page.read_text(encoding="utf-8")
        for h in re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", source, flags=re.S):
            headings.add(" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", h)).split()).rstrip("#"))
    headings.add("Herkomst en controle")
    book = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    running = {book, SYNTHETIC_BANNER, f"{book} {SYNTHETIC_BANNER}"}
    stranded = []
    pages = structure(pdf)["pages"]
    for number in range(2, pages + 1):
        lines = [
            " ".join(line.split())
            for line in pdf_text(pdf, "-f", str(number), "-l", str(number)).splitlines()
            if line.strip() and not line.strip().startswith("Pagina ")
        ]
        if lines and lines[-1] in headings:
            stranded.append((number, lines[-1]))
        # A caption stays with its figure: never the first line after the running header.
        body = [line for line in lines if line not in running]
        if body and body[0].startswith(("Figuur ", "Tabel ")):
            stranded.append((number, body[0]))
    assert stranded == []


@pytest.mark.slow
def test_code_links_name_the_page_of_the_functions_entry(book_pdf):
    _, pdf = book_pdf
    pages = [re.sub(r"\s+", "", text) for text in page_texts(pdf)]
    links = {
        (name, int(number))
        for page in pages
        for name, number in re.findall(r"(evalkit\.[\w.]+)\(\)\(BijlageD,p\.(\d+)\)", page)
    }
    assert len(links) >= 20
    code = chapter_start(page_texts(pdf), "Bijlage D.")
    wrong = []
    for name, number in sorted(links):
        # The entry's heading is the signature: the name with its parameters.
        at = [
            n
            for n, p in enumerate(pages, 1)
            if n >= code
            and re.search(re.escape(name) + r"\((?!\))|" + re.escape(name) + r"\(\)[^(]", p)
        ]
        if not at or at[0] != number:
            wrong.append((name, number, at[:3]))
    assert wrong == []


@pytest.mark.slow
def test_cover_names_the_organisation_edition_date_and_status(book_pdf):
    _, pdf = book_pdf
    from evalkit import __version__

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["evalkit"]
    cover = " ".join(pdf_text(pdf, "-l", "1").split())
    for text in (config["organisation"], f"Versie {__version__}", dutch_date(TODAY)):
        assert text in cover
    # The small test register is synthetic: the cover and the running header say so.
    assert SYNTHETIC_STATUS in cover and SYNTHETIC_BANNER in cover
    assert "Register: Klein handgemaakt testregister, gemaakt op 15 november 2026" in cover
    assert config["status"] not in cover
    page_3 = " ".join(pdf_text(pdf, "-f", "3", "-l", "3").split())
    assert SYNTHETIC_BANNER in page_3


def test_staged_config_leaves_out_evalkit_settings_and_names_the_organisation(tmp_path):
    import shutil

    from conftest import BUNDLE, book_config
    from evalkit.pipeline.build import stage_sources

    project = tmp_path / "project"
    project.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        shutil.copyfile(ROOT / name, project / name)
    shutil.copytree(ROOT / "book", project / "book")
    src = tmp_path / "src"
    src.mkdir()
    stage_sources(book_config(project, tmp_path / "out"), src)
    staged = yaml.safe_load((src / "_config.yml").read_text(encoding="utf-8"))
    ours = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["evalkit"]
    assert "evalkit" not in staged and "latex" not in staged
    assert staged["parse"]["myst_substitutions"]["organisatie"] == ours["organisation"]
    # One setting: the HTML footer's author is the organisation the cover names.
    assert staged["author"] == ours["organisation"]
    assert "author" not in yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert (src / "book" / PRINT_CSS).is_file() and BUNDLE.is_file()


#: The main text (cover, contents, "Voor de raad" and the chapters before "Bijlage A") fits in
#: this many pages; the opening "Voor de raad" in two.
MAIN_TEXT_PAGES = 33
OPENING_PAGES = 2


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, white space folded (``pdftotext`` page by page)."""
    count = structure(pdf)["pages"]
    return [
        " ".join(pdf_text(pdf, "-f", str(n), "-l", str(n)).split()) for n in range(1, count + 1)
    ]


def chapter_start(pages: list[str], title: str) -> int:
    """The page (from 1) on which the chapter ``title`` starts: its title after the header."""
    book = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    for number, text in enumerate(pages[2:], 3):  # after the cover and the contents
        for running in (book, SYNTHETIC_BANNER):  # the running header
            text = text.removeprefix(running).lstrip()
        if text.startswith(title):
            return number
    raise AssertionError(f"geen pagina begint met {title!r}")


@pytest.mark.slow
def test_pdf_opens_with_voor_de_raad_and_the_main_text_fits(book_pdf):
    _, pdf = book_pdf
    pages = page_texts(pdf)
    contents = pages[1]
    assert contents.index("Voor de raad") < contents.index("Bijlage A")
    assert chapter_start(pages, "Voor de raad") == 3  # after the cover and the contents
    opening_end = chapter_start(pages, "Samenvatting in cijfers")
    assert opening_end - 3 <= OPENING_PAGES
    appendix = chapter_start(pages, "Bijlage A.")
    assert appendix - 1 <= MAIN_TEXT_PAGES, f"hoofdtekst: {appendix - 1} pagina's"
    # Every appendix is lettered in order, in the contents list as on its first page.
    letters = re.findall(r"Bijlage ([A-Z])\.", contents)
    assert letters == [chr(ord("A") + i) for i in range(len(letters))] and len(letters) >= 4
    for letter in letters:
        assert chapter_start(pages, f"Bijlage {letter}.") >= appendix
