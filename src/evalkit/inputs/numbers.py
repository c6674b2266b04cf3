"""Dutch numbers and dates: find and parse them in source text, and format them for the book."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "nl_NL"

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}

# Cardinal number words as they occur in Dutch council letters. "een" is left out on purpose:
# it is far more often the article than the number; the numeral is written "één".
NUMBER_WORDS: dict[str, float] = {
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
    "twintig": 20,
    "eenentwintig": 21,
    "tweeëntwintig": 22,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "honderd": 100,
    "duizend": 1000,
    "helft": 0.5,
    "tweetal": 2,
    "tweejarige": 2,
    "driemaal": 3,
}

SCALE_WORDS = {"miljoen": 1_000_000, "miljard": 1_000_000_000, "duizend": 1000}

_NUM = r"\d+(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?"
_MONTH = "|".join(MONTHS)
_WORD = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))

# Tokens are the smallest number-like pieces of text: a run of digits (with Dutch grouping and
# decimal separators) or a number word. Completeness of the claims registry is checked per token.
TOKEN_RE = re.compile(rf"(?<![\d.,])(?:{_NUM})|(?<![^\W\d_])(?:{_WORD})(?![^\W\d_])", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """One number-like token in a text, with its character span."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Expression:
    """A parsed number expression: a number, percentage, amount, or date, with its span."""

    kind: str  # "number" | "percent" | "euro" | "date"
    value: float | str
    start: int
    end: int
    text: str


def parse_dutch_number(text: str) -> float:
    """Parse one Dutch-written number.

    Parameters
    ----------
    text : str
        A number as printed in Dutch text: ``"5,3"``, ``"336.000"``, ``"€ 42.000,-"``,
        ``"4,2 miljoen"``, ``"eenentwintig"``, ``"29%"``.

    Returns
    -------
    float
        The value; percentages are returned as the printed number (``"29%"`` is 29).

    Raises
    ------
    ValueError
        When the text is not a number.

    """
    s = text.strip().lower().replace("\u00a0", " ")
    s = re.sub(r"^€\s*", "", s)
    s = re.sub(r",-\.?$|\.-$", "", s)
    s = s.rstrip("%").strip()
    scale = 1.0
    for word, factor in SCALE_WORDS.items():
        if s.endswith(" " + word):
            s = s[: -len(word) - 1].strip()
            scale = float(factor)
            break
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s] * scale
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "")
    elif not re.fullmatch(r"\d+(?:,\d+)?", s):
        raise ValueError(f"not a Dutch number: {text!r}")
    return float(Decimal(s.replace(",", "."))) * scale


def tokens(text: str) -> list[Token]:
    """Return every number-like token (digit runs and number words) in ``text``."""
    return [Token(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


_EXPRESSION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date_dmy", re.compile(r"(?<!\d)(\d{1,2})-(\d{1,2})-(\d{4})(?!\d)")),
    ("date_long", re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?", re.I)),
    ("date_month", re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.I)),
    ("quarter", re.compile(r"\bQ([1-4])(?:\s+(\d{4}))?\b")),
    ("euro", re.compile(rf"€\s*({_NUM})(?:,-|\.-)?(?:\s+(miljoen|miljard))?", re.I)),
    ("scaled", re.compile(rf"(?<![\w,.])({_NUM})\s+(miljoen|miljard)\b", re.I)),
    ("percent", re.compile(rf"(?<![\w,.])({_NUM})\s?%")),
    ("number", re.compile(rf"(?<![\w,.])({_NUM})")),
    ("word", re.compile(rf"(?<![^\W\d_])({_WORD})(?![^\W\d_])", re.I)),
]


def expressions(text: str) -> list[Expression]:
    """Parse every number expression in ``text``.

    Longer expressions win: ``"29-10-2021"`` is one date, not three numbers; ``"€ 336.000,-"`` is
    one amount. Spans never overlap.

    Parameters
    ----------
    text : str
        Any source text.

    Returns
    -------
    list of Expression
        Sorted by position.

    """
    taken: list[tuple[int, int]] = []
    found: list[Expression] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for kind, pattern in _EXPRESSION_PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            if not free(a, b):
                continue
            expr = _to_expression(kind, m)
            if expr is None:
                continue
            taken.append((a, b))
            found.append(expr)
    return sorted(found, key=lambda e: e.start)


def _to_expression(kind: str, m: re.Match[str]) -> Expression | None:
    g = m.groups()
    a, b, t = m.start(), m.end(), m.group(0)
    if kind == "date_dmy":
        day, month, year = int(g[0]), int(g[1]), int(g[2])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return Expression("date", f"{year:04d}-{month:02d}-{day:02d}", a, b, t)
    if kind == "date_long":
        day, month = int(g[0]), MONTHS[g[1].lower()]
        if not 1 <= day <= 31:
            return None
        year = f"{int(g[2]):04d}" if g[2] else "XXXX"
        return Expression("date", f"{year}-{month:02d}-{day:02d}", a, b, t)
    if kind == "date_month":
        return Expression("date", f"{int(g[1]):04d}-{MONTHS[g[0].lower()]:02d}", a, b, t)
    if kind == "quarter":
        year = f"{int(g[1]):04d}" if g[1] else "XXXX"
        return Expression("date", f"{year}-Q{g[0]}", a, b, t)
    if kind == "euro":
        value = parse_dutch_number(g[0]) * (SCALE_WORDS[g[1].lower()] if g[1] else 1)
        return Expression("euro", value, a, b, t)
    if kind == "scaled":
        return Expression("number", parse_dutch_number(f"{g[0]} {g[1].lower()}"), a, b, t)
    if kind == "percent":
        return Expression("percent", parse_dutch_number(g[0]), a, b, t)
    if kind == "number":
        return Expression("number", parse_dutch_number(g[0]), a, b, t)
    return Expression("number", NUMBER_WORDS[g[0].lower()], a, b, t)


def format_number(value: float, decimals: int = 0) -> str:
    """Format a number the Dutch way (``336.000``, ``5,3``).

    Parameters
    ----------
    value : float
        The number.
    decimals : int
        Fixed number of decimals to show.

    Returns
    -------
    str
        The formatted number.

    """
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(
        _round_half_up(value, decimals), format=pattern, locale=LOCALE, decimal_quantization=True
    )


def format_pct(value: float, decimals: int = 0) -> str:
    """Format a percentage given in percent (29 → ``29%``, 42.9 with 1 decimal → ``42,9%``)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(_round_half_up(value, decimals) / 100, format=pattern, locale=LOCALE)


def format_euro(value: float) -> str:
    """Format a euro amount without cents (336000 → ``€ 336.000``)."""
    return format_currency(
        _round_half_up(value, 0), "EUR", format="¤\u00a0#,##0", locale=LOCALE, currency_digits=False
    )


def format_date(value: dt.date | str) -> str:
    """Format a day the Dutch way (``2026-11-23`` → ``23 november 2026``); accepts ISO text."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return _babel_date(day, "d MMMM y", locale=LOCALE)


def _round_half_up(value: float, decimals: int) -> Decimal:
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(q, rounding="ROUND_HALF_UP")
