"""The built book speaks Dutch: no English interface strings, no jargon, no years as "2.022"."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import ROOT

PDF_NAME = "evaluatie-pilot-gezinsverzorger.pdf"

#: What must not appear in the visible text of the HTML book or in the PDF's text, and why.
#: (pattern, reason); the patterns are regular expressions, matched case-sensitively.
FORBIDDEN: list[tuple[str, str]] = [
    (r"Skip to main content", "Engelse tekst van het thema"),
    (r"Back to top", "Engelse tekst van het thema"),
    (r"Search this book", "Engelse tekst van het thema"),
    (r"\bSearch\b", "Engelse tekst van het thema"),
    (r"Link to this", "Engelse tekst van Sphinx"),
    (r"On this page|previous page|next page", "Engelse tekst van het thema"),
    (r"\bToggle\b", "Engelse tekst van het thema"),
    (r"\bContents\b", "Engelse tekst van het thema"),
    (r"\bBy \w", "Engelse tekst van het thema (auteur)"),
    (r"\bFig\. ?\d", "Engelse figuurnummering: Figuur 1"),
    (
        r"(?<![.\w])(?:sourced|rounding|discrepancy|interpretation|outside_register)(?![.\w(])",
        "interne statusnaam (een modulenaam als evalkit.compute.rounding mag)",
    ),
    (r"(?<!--disclosure )\bnone\b", "interne beleidsnaam (de optie --disclosure none mag)"),
    (
        r"(?<![/\w-])[Cc]laims?\b(?!/|\.csv)",
        "jargon: getal, code of bewering (paden en bestandsnamen mogen)",
    ),
    (r"[Oo]nthullingsbeheersing", "CBS: statistische beveiliging"),
    (r"afgerond op 0 decima", "niet afronden op 0 decimalen maar op een heel getal"),
    (r"decimaal/decimalen", "kies enkelvoud of meervoud"),
    (r"\b(?:0|[2-9]|\d\d+) decimaal\b", "meervoud: 2 decimalen"),
    (r"\b1 decimalen\b", "enkelvoud: 1 decimaal"),
    (r"\blaat los\b", "jargon van de oplosser"),
    (r"\b2\.0[1-3]\d\b", "een jaar met een scheidingsteken voor duizendtallen"),
    (r"\bDoor evalkit\b", "evalkit is geen auteur: de organisatie is verantwoordelijk"),
    (r"\bevalkit \(20\d\d\)", "evalkit is geen auteur: de organisatie is verantwoordelijk"),
]


#: Text the book quotes from its inputs (``data/`` is read-only), where a forbidden word may
#: stand: (the surrounding text, why it is allowed).
ALLOWED: list[tuple[str, str]] = [
    ("de datum staat als claim", "reden van een uitsluiting in data/claims/brief-2023-bjh.yaml"),
    # Bijlage C's table of the data files: a column of evidence.csv (HTML, PDF).
    ("claims : codes", "een kolomnaam van evidence.csv"),
    ("claims: codes", "een kolomnaam van evidence.csv"),
]


class _VisibleText(HTMLParser):
    """The text a reader meets: no scripts, styles, comments or elements hidden from everyone."""

    SKIP: ClassVar = {"script", "style", "noscript", "template", "svg"}
    VOID: ClassVar = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    #: Attributes a reader meets too: a search field's placeholder, a screen reader's label.
    SHOWN: ClassVar = ("placeholder", "aria-label", "title", "alt")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not (self.stack and self.stack[-1]) and tag not in self.SKIP:
            self.parts += [a[name] for name in self.SHOWN if a.get(name)]
        if tag in self.VOID:
            return
        hidden = tag in self.SKIP or "hidden" in a or "display: none" in (a.get("style") or "")
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(page: Path) -> str:
    """The visible text of one HTML page, white space folded."""
    parser = _VisibleText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def offences(texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(where, what was found, why) for every forbidden pattern in ``texts``."""
    found = []
    for where, text in texts.items():
        for pattern, reason in FORBIDDEN:
            for m in re.finditer(pattern, text):
                context = text[max(0, m.start() - 40) : m.end() + 40]
                if not any(allowed in context for allowed, _ in ALLOWED):
                    found.append((where, context, reason))
    return found


#: The code appendix documents the package in English (its docstrings), like the source code
#: it shows; the language checks leave it out, in the HTML and in the PDF.
CODE_PAGE = "book/code.html"
CODE_TITLE = (ROOT / "book" / "code.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")


def without_code_appendix(pdf: str) -> str:
    """The PDF's text without the pages of the code appendix (pages split at form feeds)."""
    kept, in_code = [], False
    for page in pdf.split("\f"):
        head = [line.strip() for line in page.splitlines() if line.strip()][:3]
        starts = [line for line in head if re.match(r"Bijlage [A-Z]\. ", line)]
        if starts:
            in_code = starts[0].endswith(CODE_TITLE)
        if not in_code:
            kept.append(page)
    return "\f".join(kept)


def book_texts(out: Path) -> dict[str, str]:
    """The visible text of every page of the built book, and the PDF's text."""
    html = out / "html"
    pages = sorted(p for p in html.rglob("*.html") if p.parent.name in ("book", "notebooks"))
    texts = {
        p.relative_to(html).as_posix(): visible_text(p)
        for p in pages
        if p.relative_to(html).as_posix() != CODE_PAGE
    }
    search = html / "search.html"
    if search.is_file():
        texts["search.html"] = visible_text(search)
    pdf = out / "pdf" / PDF_NAME
    if pdf.is_file():
        texts[PDF_NAME] = " ".join(without_code_appendix(pdf_text(pdf)).split())
    return texts


# --- the checker itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Skip to main content", True),
        ("Fig. 3 Wijken in 2022.", True),
        ("Figuur 3 Wijken in 2022.", False),
        ("status: sourced", True),
        ("status rounding", True),
        ("discrepancy", True),
        ("interpretation", True),
        ("outside_register", True),
        ("een exacte interpretatie", False),
        ("het exacte bereik", False),
        ("het bestand claims.csv", False),
        ("de claims. Daarna", True),
        ("evalkit.compute.rounding.percentages()", False),
        ("beleid none", True),
        ("elke claim uit de brieven", True),
        ("Claim", True),
        ("data/claims/ en claim-id's", True),
        ("map data/claims/", False),
        ("Kop; de datum staat als claim B23-x", False),
        ("Onthullingsbeheersing", True),
        ("afgerond op 0 decimalen", True),
        ("afgerond op 1 decimaal", False),
        ("afgerond op 2 decimaal", True),
        ("afgerond op 1 decimalen", True),
        ("in 2.022 en 2023", True),
        ("€ 336.000 in 2022", False),
        ("5.377 per jeugdige", False),
        ("Door evalkit", True),
        ("Door Gemeente Groningen", False),
        ("Het synthetische register laat los: “x”", True),
    ],
)
def test_forbidden_patterns(text, bad):
    assert bool(offences({"t": text})) is bad


def test_visible_text_skips_scripts_styles_comments_and_hidden(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><style>.a{}</style><script>var none = 1;</script></head><body>"
        "<!-- Back to top --><p>Zichtbaar</p><div hidden><p>Skip to main content</p></div>"
        "<img alt='x'><p>ook</p><svg><text>none</text></svg>"
        "<input placeholder='Zoeken'></body></html>",
        encoding="utf-8",
    )
    assert visible_text(page) == "Zichtbaar x ook Zoeken"


@pytest.mark.parametrize(
    ("pages", "kept"),
    [
        (["Voor de raad\ntekst", f"Kop\nBijlage D. {CODE_TITLE}\nEngels", "meer Engels"], [0]),
        (
            [f"Kop\nBijlage D. {CODE_TITLE}\nx", "y", "Kop\nBijlage E. Colofon\nz", "w"],
            [2, 3],
        ),
        (["Kop\nBijlage A. Verantwoording per getal\nx", "y"], [0, 1]),
    ],
)
def test_the_code_appendix_is_left_out_of_the_pdf_text(pages, kept):
    assert without_code_appendix("\f".join(pages)) == "\f".join(pages[i] for i in kept)


# --- the built book ----------------------------------------------------------------------------


@pytest.mark.slow
def test_built_book_has_no_forbidden_words(built_book):
    _, out, _ = built_book
    texts = book_texts(out)
    assert PDF_NAME in texts and len(texts) > 10
    assert offences(texts) == []
