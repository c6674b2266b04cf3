"""Notebook outputs that render in both the HTML and the PDF book, and glue helpers."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd
import vl_convert as vlc
from IPython.display import Markdown
from myst_nb import glue as _myst_glue

from evalkit.compute.disclosure import HIDDEN
from evalkit.inputs.numbers import format_euro, format_number, format_pct
from evalkit.publish.charts import FIXED, NOT_FIXED, STATUS_LEGEND
from evalkit.publish.evidence import (
    EVIDENCE_MIME,
    Evidence,
    table_evidence_rows,
    with_evidence_columns,
)

#: Between a number and its status marker: a narrow no-break space.
MARK_SPACE = "\u202f"


class Text:
    """A glue-able piece of text: pasted as-is by ``{glue:text}`` and ``{glue}``.

    With ``evidence`` the pasted text carries the status marker after the number, and the
    output carries the evidence (status, range, claims) for the build's ``evidence.csv``;
    ``text`` stays the number alone.
    """

    def __init__(
        self,
        text: str,
        value: float | int | str | None = None,
        evidence: Evidence | None = None,
        label: str = "",
    ):
        self.text = text
        self.value = value
        self.evidence = evidence
        self.label = label

    @property
    def pasted(self) -> str:
        """What the page shows: the text and, for a number with evidence, its marker."""
        mark = self.evidence.mark if self.evidence is not None else ""
        if not mark or self.text in (HIDDEN, "–"):
            return self.text
        return f"{self.text}{MARK_SPACE}{mark}"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        # myst-nb runs ``literal_eval`` on the plain text before pasting it: a quoted literal
        # keeps "7,7" from becoming a tuple and "336.000" from becoming the float 336.0.
        bundle: dict[str, object] = {"text/plain": repr(self.pasted), "text/markdown": self.pasted}
        if self.evidence is not None:
            value = self.value if isinstance(self.value, int | float) else None
            bundle[EVIDENCE_MIME] = {
                "label": self.label,
                "shown": self.text,
                "register_value": "" if value is None else value,
                **self.evidence.record(),
            }
        return bundle

    def __repr__(self) -> str:
        return self.text


def fmt(value: float | int, kind: str = "number", decimals: int = 0) -> str:
    """Format a value for Dutch text: ``number``, ``pct`` (value in percent) or ``euro``."""
    if kind == "pct":
        return format_pct(value, decimals)
    if kind == "euro":
        return format_euro(value)
    return format_number(value, decimals)


def glue_number(
    key: str,
    value: float | int | None,
    kind: str = "number",
    decimals: int = 0,
    evidence: Evidence | None = None,
    label: str = "",
) -> Text:
    """Glue a number under ``key``, formatted the Dutch way, and return what was glued.

    The value is converted to a plain ``int``/``float`` first (never a numpy scalar), so that the
    glued text is always ``336.000`` or ``5,3``, never ``np.int64(...)``. A value hidden by
    disclosure control (``None`` or ``pd.NA``) is glued as ``x``; an undefined one (NaN, for
    example a mean over nothing) as ``–``.

    ``evidence`` (see :class:`evalkit.publish.evidence.Ledger`) is what the letters establish
    about the number: the page shows its marker, and the build lists it in ``evidence.csv``
    with ``label`` (what the number is, in Dutch).
    """
    if value is None or value is pd.NA:
        shown = Text(HIDDEN, None, evidence, label)
        _myst_glue(key, shown, display=False)
        return shown
    if value != value:  # NaN: nothing to show
        shown = Text("–", None, evidence, label)
        _myst_glue(key, shown, display=False)
        return shown
    plain = int(value) if float(value).is_integer() and decimals == 0 else float(value)
    shown = Text(fmt(plain, kind, decimals), plain, evidence, label)
    _myst_glue(key, shown, display=False)
    return shown


def glue_text(key: str, text: str) -> Text:
    """Glue a piece of Dutch text (for example a date or a name) under ``key``."""
    shown = Text(text)
    _myst_glue(key, shown, display=False)
    return shown


def markdown_table(frame: pd.DataFrame, align: Sequence[str] | None = None) -> Markdown:
    """A table as Markdown, so that it renders as a real table in HTML and in LaTeX.

    Parameters
    ----------
    frame : pandas.DataFrame
        Already formatted (strings); the column names become the header.
    align : sequence of {"l", "r"}, optional
        Alignment per column; default: text left, everything else right.

    """
    cols = [str(c) for c in frame.columns]
    if align is None:
        align = ["r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in frame.columns]
    rule = ["---:" if a == "r" else ":---" for a in align]

    def cell(v: object) -> str:
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(cols) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return Markdown("\n".join(lines))


class ChartOutput:
    """An Altair chart as a notebook output for both builders.

    HTML gets a ``<div>`` that the vendored Vega bundle fills with an accessible SVG (no CDN);
    LaTeX gets a vector PDF rendered by vl-convert.
    """

    def __init__(self, chart: alt.TopLevelMixin, name: str, alt_text: str):
        self.spec = chart.to_dict()
        self.name = re.sub(r"[^a-z0-9-]", "-", name.lower())
        self.alt_text = alt_text

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        return {
            "text/html": self.html(),
            "application/pdf": vlc.vegalite_to_pdf(self.spec),
            "text/plain": f"Grafiek: {self.alt_text}",
        }

    def legend_html(self) -> str:
        """The legend of the bars' status under the chart (empty for a chart without one).

        One item per kind of bar, its swatch drawn as the bars are (filled or open, full or
        faded: the style :data:`evalkit.publish.charts.STATUS_LEGEND` names); the text says it
        in words, so the swatch is decoration.
        """
        style = (self.spec.get("usermeta") or {}).get(STATUS_LEGEND)
        if not style:
            return ""
        items = "".join(
            f'<li><span class="evalkit-swatch evalkit-swatch-{style}-{kind}" aria-hidden="true">'
            f"</span>{html.escape(text)}</li>"
            for kind, text in (("fixed", FIXED), ("free", NOT_FIXED))
        )
        return f'<ul class="evalkit-chart-legend">{items}</ul>'

    def html(self) -> str:
        """The HTML snippet: a figure with a target div and the call to ``vegaEmbed``."""
        div_id = f"evalkit-chart-{self.name}"
        spec = json.dumps(self.spec, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        alt_text = html.escape(self.alt_text, quote=True)
        return (
            f'<figure class="evalkit-chart" data-chart="{self.name}">'
            f'<div id="{div_id}" class="evalkit-chart-target" role="img" '
            f'aria-label="{alt_text}"></div>'
            f"<script>(function(){{var s={spec};"
            f'function draw(){{vegaEmbed("#{div_id}",s,{{renderer:"svg",actions:false}})'
            # The div is one image with the Dutch alt text; Vega makes it a "graphics-document"
            # with the English role description "visualization", and its SVG would add more.
            f'.then(function(r){{var c=r.view.container();c.setAttribute("role","img");'
            f'c.removeAttribute("aria-roledescription");var g=c.querySelector("svg");'
            f'if(g){{g.setAttribute("aria-hidden","true");}}}})'
            f".catch(function(e){{console.error(e);}});}}"
            f'if(document.readyState==="loading"){{document.addEventListener('
            f'"DOMContentLoaded",draw);}}else{{draw();}}}})();</script>'
            f"{self.legend_html()}</figure>"
        )


def glue_chart(key: str, chart: alt.TopLevelMixin, alt_text: str) -> ChartOutput:
    """Glue a chart under ``key`` (paste it with ``{glue:figure}``) and return the output."""
    out = ChartOutput(chart, key, alt_text)
    _myst_glue(key, out, display=False)
    return out


class _CsvTable:
    def __init__(self, frame: pd.DataFrame, evidence: dict):
        self.csv = frame.to_csv(index=False, lineterminator="\n")
        self.evidence = evidence

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, object]:
        return {"text/csv": self.csv, EVIDENCE_MIME: self.evidence}

    def __repr__(self) -> str:
        # The text/plain fallback that glue stores: no memory address, so that an executed
        # notebook is the same whichever kernel ran it.
        return f"<tabel van {self.csv.count(chr(10)) - 1} rijen>"


def publish_table(
    name: str,
    frame: pd.DataFrame,
    evidence: Mapping[tuple[str, str], Evidence] | None = None,
    labels: Sequence[str] | None = None,
    exempt: Sequence[str] = (),
) -> None:
    """Publish the data behind a figure: the build writes it to ``_build/data/<name>.csv``.

    The table travels inside the executed notebook (as a glued ``text/csv`` output that is never
    displayed), so a notebook taken from the cache still delivers its data.

    Parameters
    ----------
    name : str
        File name of the download (without ``.csv``).
    frame : pandas.DataFrame
        One row per bar or table row.
    evidence : mapping of (row, column) to Evidence, optional
        What the letters establish about each numeric cell; ``row`` is the row's label (the
        ``labels`` columns joined by a space). The download gets ``<column>_status``,
        ``_min`` and ``_max`` columns, and the build one ``evidence.csv`` row per cell
        (key ``name:row:column``).
    labels : sequence of str, optional
        The columns that name a row (default: the first column).
    exempt : sequence of str
        The columns whose cells are no number of their own, even where they look like one:
        text (a quote, a period), a software version or a hash, the exact form of another
        column's range. The build checks every other cell that holds a figure or a date for
        its evidence (:func:`evalkit.publish.evidence.uncovered`).

    """
    labels = list(labels or [frame.columns[0]])
    evidence = dict(evidence or {})
    rows = table_evidence_rows(name, frame, evidence, labels)
    shown = with_evidence_columns(frame, evidence, labels) if evidence else frame
    proof = {"labels": labels, "rows": rows, "exempt": list(exempt)}
    _myst_glue(f"tabel:{name}", _CsvTable(shown, proof), display=False)


def list_table(frame: pd.DataFrame, widths: Sequence[int]) -> Markdown:
    """A table as a MyST ``list-table`` with relative column widths.

    Long text columns (quotes, explanations) get room in the PDF, where a plain Markdown table
    gives every column the same share.
    """

    def cell(v: object) -> str:
        text = str(v).replace("\n", " ").strip()
        return text if text else " "

    lines = [
        ":::{list-table}",
        ":header-rows: 1",
        f":widths: {' '.join(map(str, widths))}",
        ":class: evalkit-table",
        "",
    ]
    lines.append("* - " + "\n  - ".join(cell(c) for c in frame.columns))
    for row in frame.itertuples(index=False):
        lines.append("* - " + "\n  - ".join(cell(v) for v in row))
    lines.append(":::")
    return Markdown("\n".join(lines) + "\n")
