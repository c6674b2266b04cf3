"""The opening "Voor de raad": published figures with their source, contradictions, limits."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from evalkit.compute.claims import Claim
from evalkit.inputs.manifest import Manifest
from evalkit.inputs.numbers import MONTHS, format_date, format_euro, format_number
from evalkit.inputs.sources import Document, normalise

#: The published figures the opening names: glue key -> claim id (the values come from the
#: claims registry, never from this module).
FACTS: dict[str, str] = {
    "raad_voorstel": "T23-initiatiefvoorstel",
    "raad_start": "T23-start",
    "raad_gezinnen_2022": "T23-gezinnen",
    "raad_wijken_2022": "T23-wijken",
    "raad_gezinnen_2023": "W23-actief-2023",
    "raad_gestart_2023": "W23-gestart-2023",
    "raad_uren_2022": "W23-uren-2022",
    "raad_uren_2023": "W23-uren-2023",
    "raad_fte": "T23-fte",
    "raad_professionals": "T23-professionals",
    "raad_kosten": "P21-kosten-totaal",
}

#: How a unit of the claims registry reads after a number in the opening's sentences.
UNIT_WORDS = {
    "gezinnen": ("gezin", "gezinnen"),
    "trajecten": ("traject", "trajecten"),
    "wijken": ("wijk", "wijken"),
    "uur per week": ("uur per week", "uur per week"),
    "fte": ("fte", "fte"),
    "medewerkers": ("gezinsverzorger", "gezinsverzorgers"),
}

#: The start of the sentence in which the letters say what the gezinsverzorger replaced.
REPLACED_SENTENCE = "In de meeste gevallen is de gezinsverzorger een vervanging geweest voor"


@dataclass(frozen=True)
class Quote:
    """A sentence taken verbatim from a source document."""

    text: str
    document: Document


def published_text(claim: Claim) -> str:
    """A published value as Dutch text with its unit: ``21 gezinnen``, ``€ 336.000``.

    Parameters
    ----------
    claim : Claim
        From the claims registry.

    Returns
    -------
    str
        Numbers keep the decimals they were published with (``5,3 uur per week``); a month
        (``2022-01``) reads ``januari 2022``.

    """
    if claim.unit == "euro":
        return format_euro(float(claim.value))
    if claim.unit == "jaar":  # a year, never "2.020"
        return str(int(float(claim.value)))
    if claim.unit == "datum":
        year, _, month = str(claim.value).partition("-")
        names = {number: name for name, number in MONTHS.items()}
        return f"{names[int(month)]} {year}" if month.isdigit() else year
    value = float(claim.value)
    decimals = int((claim.rounding or {}).get("decimals", 0 if value.is_integer() else 1))
    one, many = UNIT_WORDS.get(claim.unit, (claim.unit, claim.unit))
    return f"{format_number(value, decimals)} {one if value == 1 else many}"


def fact(claim: Claim, contradicted_in: str = "") -> str:
    """A published value with a pointer to its claim: ``21 gezinnen (T23-gezinnen)``.

    ``contradicted_in`` names the contradiction in which the register gives this figure up
    (empty: none): ``9 trajecten (W23-gestart-2023; klopt niet met de andere cijfers, zie
    tegenspraak C1)``.
    """
    if contradicted_in:
        return (
            f"{published_text(claim)} ({claim.id}; klopt niet met de andere cijfers, zie "
            f"tegenspraak {contradicted_in})"
        )
    return f"{published_text(claim)} ({claim.id})"


def facts(
    claims: Mapping[str, Claim],
    keys: Mapping[str, str] = FACTS,
    conflicts: Sequence = (),
) -> dict[str, str]:
    """The opening's figures, by glue key, each with the id of the claim that published it.

    A figure that the consistency audit gives up in one of ``conflicts`` says so: the
    opening never states a contradicted figure as a fact.

    Raises
    ------
    KeyError
        When the claims registry has no claim of that id (a renamed claim must be renamed here).

    """
    given_up = {c.relaxed: c.id for c in conflicts}
    return {key: fact(claims[cid], given_up.get(cid, "")) for key, cid in keys.items()}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", normalise(text)) if s.strip()]


def replaced(documents: Mapping[str, Document], start: str = REPLACED_SENTENCE) -> Quote:
    """The sentence in which a letter says which help the gezinsverzorger replaced.

    Raises
    ------
    ValueError
        When no document contains a sentence that starts with ``start``.

    """
    for doc in documents.values():
        for sentence in _sentences(doc.raw):
            if sentence.lstrip("- ").startswith(start):
                return Quote(sentence.lstrip("- "), doc)
    raise ValueError(f"geen bron bevat de zin die begint met {start!r}")


def quote_html(quote: Quote) -> str:
    """The quote as an HTML block quote with its document, date and id."""
    doc = quote.document
    return (
        f"<blockquote><p>“{escape(quote.text)}”</p>"
        f"<p>— <em>{escape(doc.title)}</em>, {format_date(doc.date)} "
        f"(<code>{escape(doc.id)}</code>)</p></blockquote>"
    )


#: Sentences of an explanation that state the contradiction itself, in order of preference.
_CORE = (" maar ", "geen geheel", "te weinig")


def conflict_line(explanation: str) -> str:
    """The sentence of a conflict's explanation that states the contradiction.

    The first sentence with "maar", else with "geen geheel", else with "te weinig"; a
    sentence that starts with "Dat" is taken with the sentence before it. Without any, the
    last sentence.
    """
    sentences = _sentences(explanation)
    if not sentences:
        return ""
    for marker in _CORE:
        for i, sentence in enumerate(sentences):
            if marker in sentence:
                if sentence.startswith("Dat ") and i:
                    return f"{sentences[i - 1]} {sentence}"
                return sentence
    return sentences[-1]


def conflicts_list(conflicts: Sequence, claims: Mapping[str, Claim], impact=None) -> str:
    """The contradictions, one line each (an HTML list), or a sentence that there are none.

    Followed by :func:`readings_note` when ``impact`` is given.

    Parameters
    ----------
    conflicts : sequence of Conflict
        From the consistency audit (:func:`evalkit.solver.audit.load_audit`).
    claims : mapping of str to Claim
        The claims registry by id: a line starts with what the claim the register gives up
        is about (when it gives up an interpretation: the first claim of the conflict).
    impact : pandas.DataFrame, optional
        Which conflicts disappear without each interpretation (see :func:`readings_note`).

    """
    if not conflicts:
        return "<p>De gepubliceerde cijfers spreken elkaar nergens tegen.</p>"
    items = []
    for c in conflicts:
        members = [c.relaxed, *c.claims]  # an interpretation given up: its first claim's topic
        topic = next((claims[cid].about for cid in members if cid in claims), "")
        lead = f"<em>{escape(topic)}</em>: " if topic else ""
        line = conflict_line(c.explanation)
        if topic and line[:1].isupper() and not line[1:2].isupper():
            line = line[0].lower() + line[1:]  # after a colon, in Dutch
        line = escape(line)
        items.append(f"<li>{lead}{line} (tegenspraak {escape(c.id)})</li>")
    return "<ul>" + "".join(items) + "</ul>" + readings_note(conflicts, impact)


def readings_note(conflicts: Sequence, impact=None) -> str:
    """Which contradictions rest on a reading of the text (HTML paragraph), or ``""``.

    ``impact`` is the table of :func:`evalkit.solver.audit.interpretation_impact` (conflict,
    interpretation, disappears); a conflict that contains an assumption also rests on it.
    Without the table (a build without the consistency stage) nothing is said.
    """
    if impact is None or not len(conflicts):
        return ""
    gone = set(impact.loc[impact["disappears"].astype(bool), "conflict"])
    gone |= {c.id for c in conflicts if any(k.startswith(("A-", "I-")) for k in c.claims)}
    soft = [c.id for c in conflicts if c.id in gone]
    hard = [c.id for c in conflicts if c.id not in gone]
    if not soft:
        return (
            "<p>Geen van deze tegenspraken hangt af van hoe je een zin leest: ze blijven bij "
            "elke getoetste lezing bestaan.</p>"
        )
    text = (
        f"{_count(len(soft))} {'hangt' if len(soft) == 1 else 'hangen'} af van hoe je een zin "
        f"in de brieven leest ({_ids(soft)}): bij een andere lezing "
        f"{'verdwijnt' if len(soft) == 1 else 'verdwijnen'} ze en is er een onschuldige "
        "verklaring."
    )
    if hard:
        text += (
            f" {_ids(hard)} {'blijft' if len(hard) == 1 else 'blijven'} bij elke getoetste "
            "lezing bestaan."
        )
    return f"<p>{escape(text)}</p>"


def _ids(ids: Sequence[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " en " + ids[-1]


def _count(n: int) -> str:
    words = {1: "Eén", 2: "Twee", 3: "Drie", 4: "Vier", 5: "Vijf"}
    return f"{words.get(n, str(n))} van deze tegenspraken" if n > 1 else "Eén tegenspraak"


#: What the numbers can and cannot tell, per kind of register.
LIMITS = {
    "synthetisch": (
        "Dat register is <strong>synthetisch</strong>: verzonnen "
        "gezinnen, zo samengesteld dat ze kloppen met zoveel mogelijk gepubliceerde cijfers. "
        "Dit rapport kan dus laten zien of de brieven met elkaar te rijmen zijn en waar ze elkaar "
        "tegenspreken. Het kan niet laten zien hoe het met echte gezinnen ging: getallen die "
        "de brieven niet publiceerden, zoals de meeste wijken of de gemiddelde looptijd in "
        "2022, "
        "zijn één mogelijke uitkomst van het nagebouwde register en geen meting."
    ),
    "echt": (
        "Dat is het casusregister van WIJ Groningen. Dit rapport kan "
        "laten zien of de brieven kloppen met wat er geregistreerd is en waar ze elkaar "
        "tegenspreken. Het zegt niets over wat er niet geregistreerd is, en kleine aantallen "
        "zijn statistisch beveiligd (zie het colofon)."
    ),
}

#: What no register can tell, whatever its kind.
NO_REGISTER = (
    "Met geen enkel register is vast te stellen of de gezinsverzorger zwaardere hulp heeft "
    "voorkomen: de pilot was klein en had geen vergelijkingsgroep, en de brieven zeggen dat "
    "zelf ook. De cijfers beschrijven wie er hulp kreeg en hoeveel, niet wat die hulp "
    "opleverde."
)


def limits(manifest: Manifest) -> str:
    """What these numbers can and cannot tell (HTML), for the register of this build."""
    return f"<p>{LIMITS[manifest.kind]}</p><p>{NO_REGISTER}</p>"


class Html:
    """A glue-able piece of HTML, pasted by ``{glue}`` from another page.

    myst-nb pastes across pages only plain text, HTML and images; the opening is one page
    that pastes from the summary chapter, so its blocks are HTML (the PDF prints the HTML).
    """

    def __init__(self, html: str):
        self.html = html

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": re.sub(r"<[^>]+>", "", self.html)}


def glue(
    claims: Mapping[str, Claim],
    documents: Mapping[str, Document],
    conflicts: Sequence,
    manifest: Manifest,
    impact=None,
) -> dict[str, str]:
    """Glue everything the opening pastes, and return it by glue key.

    Parameters
    ----------
    claims : mapping of str to Claim
        The claims registry by id.
    documents : mapping of str to Document
        The source documents.
    conflicts : sequence of Conflict
        The consistency audit's contradictions.
    manifest : Manifest
        The register's manifest: what the numbers can tell depends on its kind.
    impact : pandas.DataFrame, optional
        Which conflicts disappear without each interpretation
        (:func:`evalkit.solver.audit.interpretation_impact`; ``None``: not computed).

    Returns
    -------
    dict of str to str
        The figures of :data:`FACTS` (plain text, pasted with ``{glue:text}``), and the HTML
        blocks ``raad_vervangen`` (the quote about the help the gezinsverzorger replaced),
        ``raad_tegenspraken`` and ``raad_kader`` (pasted with ``{glue}``).

    """
    from myst_nb import glue as myst_glue

    from evalkit.publish.display import glue_text

    texts = facts(claims, conflicts=conflicts)
    for key, text in texts.items():
        glue_text(key, text)
    blocks = {
        "raad_vervangen": quote_html(replaced(documents)),
        "raad_tegenspraken": conflicts_list(conflicts, claims, impact),
        "raad_kader": limits(manifest),
    }
    for key, block in blocks.items():
        myst_glue(key, Html(block), display=False)
    return {**texts, **blocks}
