"""Sentences of the book that depend on the register: synthetic (a demonstration) or real."""

from __future__ import annotations

from evalkit.compute.disclosure import Policy
from evalkit.inputs.manifest import Manifest
from evalkit.inputs.numbers import format_date

KINDS = ("synthetisch", "echt")

#: Shown on every page (HTML banner, PDF cover and running header) while the register is synthetic.
SYNTHETIC_BANNER = "Synthetische gegevens — demonstratie"
#: Shown on every page when a real register is published without statistical protection.
UNPROTECTED_BANNER = "Zonder statistische beveiliging: ook kleine aantallen gezinnen zijn zichtbaar"

#: ``{{ name }}`` placeholders of the chapter templates, per kind of register.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "synthetisch": {
        "registernoot": (
            ":::{note}\nHet register is synthetisch: nagebouwd zodat het klopt met de "
            "gepubliceerde cijfers (zie *Consistentie van de gepubliceerde cijfers*). Verschillen "
            "tussen gepubliceerd en herberekend laten zien waar de publicaties elkaar "
            "tegenspreken, niet hoe het echt ging. Getallen die de brieven niet publiceerden "
            "(zoals een gemiddelde looptijd of de verdeling over de wijken) zijn één mogelijke "
            "uitkomst van dat nagebouwde register, geen feit.\n:::"
        ),
        "bron": "synthetisch casusregister (demonstratie), nagerekend met evalkit",
        "afwijking_uitleg": (
            "Dat komt niet door het register: bij de lezing die dit rapport kiest, spreken de "
            "gepubliceerde cijfers elkaar op {glue:text}`n_conflicten` plaatsen tegen, zodat "
            "geen enkel register ze allemaal kan waarmaken."
        ),
        "registerkeuze": (
            "Het synthetische register maakt per tegenspraak één getal niet waar, het getal met "
            "het minste gewicht: een getoetste aanname (zoals A-wijken-zonder-2023) vóór een "
            "gepubliceerd getal, een getal dat één keer is gepubliceerd vóór een getal dat in "
            "twee documenten staat, en een detail vóór het totaal aantal gezinnen. De vaste "
            "lezingen van het model (zoals één traject per gezin) houdt het aan; per tegenspraak "
            "staat of die zonder zo'n lezing verdwijnt. Alle andere getallen maakt het register "
            "waar."
        ),
        "kanttekening_register": (
            "het register is synthetisch: het aantal gezinnen volgt uit de brieven, het aantal "
            "uren is één mogelijke uitkomst van het nagebouwde register en geen meting"
        ),
        "tekenuitleg": (
            "In de tekst staat achter elk getal een teken: ● gepubliceerd, ◆ volgt vast uit de "
            "gepubliceerde getallen, ◐ de publicaties geven alleen een bereik, ○ vrij gekozen "
            "door het synthetische register (zie *Definities*)."
        ),
    },
    "echt": {
        "registernoot": (
            ":::{note}\nDe cijfers komen uit het casusregister van WIJ Groningen (zie het "
            "colofon voor de levering). Verschillen tussen gepubliceerd en herberekend laten zien "
            "waar het register afwijkt van wat er gepubliceerd is, of waar de publicaties elkaar "
            "tegenspreken (zie *Consistentie van de gepubliceerde cijfers*).\n:::"
        ),
        "bron": "casusregister van WIJ Groningen, nagerekend met evalkit",
        "afwijking_uitleg": (
            "Daar verschilt het register van wat er gepubliceerd is. Op "
            "{glue:text}`n_conflicten` plaatsen spreken de gepubliceerde cijfers elkaar "
            "bovendien tegen: daar kan geen enkel register alle getallen waarmaken."
        ),
        "registerkeuze": (
            "Het register is een levering van WIJ Groningen en is niet op de gepubliceerde "
            "cijfers afgestemd. Bij elke tegenspraak staat welke van de getallen het register "
            "ondersteunt en van welke het afwijkt."
        ),
        "kanttekening_register": (
            "de uren zijn de geregistreerde gemiddelde inzet per week maal de weken dat elk "
            "traject liep, geen urenverantwoording"
        ),
        "tekenuitleg": (
            "Een getal uit het register is gemeten en heeft geen teken; een getal dat ook "
            "gepubliceerd is, heeft ● (zie *Definities*)."
        ),
    },
}


#: The disclosure policies (``evalkit build --disclosure``) by their names in the book.
POLICY_LABELS = {
    "none": "geen: ook aantallen van één of twee gezinnen zijn zichtbaar",
    "cbs": "statistische beveiliging volgens de regels van het CBS",
}


def policy_label(name: str) -> str:
    """The Dutch name of a disclosure policy (``none``, ``cbs``) for the book's text."""
    return POLICY_LABELS.get(name, name)


def placeholders(kind: str) -> dict[str, str]:
    """The texts that fill a chapter template's ``{{ name }}`` placeholders for ``kind``.

    Parameters
    ----------
    kind : {"synthetisch", "echt"}
        The register's kind (:attr:`evalkit.inputs.manifest.Manifest.kind`).

    Returns
    -------
    dict of str to str

    """
    try:
        return dict(PLACEHOLDERS[kind])
    except KeyError:
        raise ValueError(f"onbekende soort register {kind!r}; kies uit {KINDS}") from None


def banner(manifest: Manifest, policy: Policy) -> str:
    """The line every page carries, or ``""``: synthetic data, or a real one unprotected."""
    if manifest.synthetic:
        return SYNTHETIC_BANNER
    return "" if policy.active else UNPROTECTED_BANNER


#: The cover's status while the register is synthetic (the configured status is for real data).
SYNTHETIC_STATUS = "Demonstratie op een synthetisch register; geen officiële publicatie"


def cover_status(manifest: Manifest, configured: str) -> str:
    """The status on the cover: a demonstration while synthetic, else the configured one.

    Followed by the register the book is built on: its title and when it was made or
    extracted (from its manifest).
    """
    status = SYNTHETIC_STATUS if manifest.synthetic else configured
    when = ""
    if manifest.created:
        verb = "gemaakt" if manifest.synthetic else "geëxtraheerd"
        when = f", {verb} op {format_date(manifest.created)}"
    return f"{status}. Register: {manifest.title}{when}."


def register_summary(manifest: Manifest) -> str:
    """What the register is, in one or two Dutch sentences (introduction and colofon).

    Parameters
    ----------
    manifest : Manifest
        From :func:`evalkit.inputs.manifest.load_manifest`.

    Returns
    -------
    str
        Markdown.

    """
    made = f", gemaakt op {format_date(manifest.created)}" if manifest.created else ""
    if manifest.synthetic:
        return (
            f"Het register is **synthetisch** (*{manifest.title}*{made}): verzonnen gezinnen, "
            "datums, kinderen en uren, zo samengesteld dat de totalen kloppen met zoveel "
            "mogelijk gepubliceerde cijfers. Het laat zien of de gepubliceerde cijfers met "
            "elkaar te rijmen zijn, niet hoe het met echte gezinnen ging."
        )
    extracted = f", geëxtraheerd op {format_date(manifest.created)}" if manifest.created else ""
    source = f" Bron: {'; '.join(manifest.sources)}." if manifest.sources else ""
    return f"Het register is een levering van WIJ Groningen: *{manifest.title}*{extracted}.{source}"


def register_description(manifest: Manifest) -> str:
    """The colofon's paragraph about the register: what it is, how it was made, its manifest."""
    lines = [register_summary(manifest)]
    if manifest.description:
        lines.append(f"Beschrijving in de levering: {manifest.description}")
    if manifest.synthetic and manifest.sources:
        lines.append("Afgestemd op: " + "; ".join(f"*{s}*" for s in manifest.sources) + ".")
    lines.append(
        "De beschrijving staat in `datapackage.json` bij het register."
        if manifest.path
        else "Bij het register staat geen `datapackage.json`; het geldt daarom als een echte "
        "levering."
    )
    return "\n\n".join(lines)


def introduction_block(manifest: Manifest) -> str:
    """The introduction's box about the register (a MyST admonition)."""
    if manifest.synthetic:
        return (
            ":::{important}\nHet echte casusregister van WIJ Groningen is niet openbaar. "
            + register_summary(manifest)
            + " Wanneer WIJ Groningen het echte register aanlevert, bouwt hetzelfde boek zich "
            "daarop opnieuw op.\n:::"
        )
    return (
        ":::{important}\n"
        + register_summary(manifest)
        + " Het colofon zegt hoe kleine aantallen zijn beveiligd.\n:::"
    )


def policy_text(policy: Policy, manifest: Manifest) -> str:
    """What the disclosure policy of this build does and does not protect, truthfully."""
    if policy.active:
        return (
            f"{policy.description} Dat beschermt de aantallen en percentages die dit boek zelf "
            "uit het register berekent. Het beschermt niet wat al openbaar is: de "
            "gepubliceerde getallen staan ongewijzigd in de citaten. En de beveiliging geldt per "
            "tabel: wie tabellen van verschillende jaren of hoofdstukken van elkaar aftrekt, "
            "kan een klein aantal soms nog benaderen."
        )
    kind = (
        "Omdat het register synthetisch is, beschrijven die kleine aantallen geen echte gezinnen."
        if manifest.synthetic
        else "Het register is echt: die kleine aantallen kunnen over herkenbare gezinnen gaan. "
        "Deze bouw is uitdrukkelijk zonder beveiliging gemaakt."
    )
    return (
        f"{policy.description} Het boek toont daardoor ook aantallen die de brieven niet "
        "publiceerden, zoals het aantal gezinnen per wijk, per half jaar of per leeftijdsgroep, "
        f"ook als het om één of twee gezinnen gaat. {kind}"
    )
