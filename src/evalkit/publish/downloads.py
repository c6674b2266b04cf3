"""The downloads in Dutch: the reader's verantwoording table and the data folder's Data Package."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.publish.evidence import Evidence
from evalkit.publish.report import STATUS_MARK, Context, _shown, figure_unit

#: The reader's download of the verantwoording (Bijlage A as a table): Dutch column names and
#: status words; the data folder's ``reconciliation.csv`` keeps the analysts' names.
READER_RECONCILIATION = "verantwoording"
#: The reader's columns that repeat what ``reconciliation.csv`` holds (whose evidence rows
#: cover its numbers): ``publish_table(..., exempt=READER_EXEMPT)``.
READER_EXEMPT = ("Bron", "Citaat of rekensom", "Gepubliceerd", "Herberekend", "Toelichting")
#: The reader's column with what the letters establish about the recomputed value (Bijlage A
#: shows it as the marker after the value).
READER_EVIDENCE = "Wat de brieven vastleggen"


#: The Data Package that describes every CSV file of the data folder.
DATA_PACKAGE = "datapackage.json"
PACKAGE_DESCRIPTION = (
    "De tabellen achter de figuren en tabellen van het boek, de gepubliceerde getallen met "
    "hun herberekening en de status en het bereik van elk getoond getal. De kolomnamen zijn "
    "vast (Engels of kort) voor wie de bestanden met software leest; elke kolom heeft hier een "
    "Nederlandse titel en beschrijving."
)


@dataclass(frozen=True)
class Column:
    """What a column of a download holds, in Dutch: a short title and a sentence."""

    title: str
    description: str


@dataclass(frozen=True)
class Resource:
    """What a CSV file of the data folder holds, in Dutch.

    ``pattern`` is the file's name without ``.csv``; ``{jaar}`` stands for a year
    (``wijken-{jaar}`` describes ``wijken-2022`` and ``wijken-2023``), and the title and
    description may name it too.
    """

    pattern: str
    title: str
    description: str

    def match(self, stem: str) -> dict[str, str] | None:
        """The year the file's name carries (``{}`` without one), or None when it is not this."""
        regex = re.escape(self.pattern).replace(re.escape("{jaar}"), r"(?P<jaar>\d{4})")
        m = re.fullmatch(regex, stem)
        return None if m is None else m.groupdict()


_CHAPTER = "De gegevens achter een figuur of tabel"

#: Every CSV file of the data folder, in the order of Bijlage C.
RESOURCES: tuple[Resource, ...] = (
    Resource(
        READER_RECONCILIATION,
        "Verantwoording per getal",
        "Bijlage A als tabel: per gepubliceerd getal en per rekensom het citaat, het "
        "gepubliceerde en het herberekende getal, de status en de toelichting.",
    ),
    Resource(
        "reconciliation",
        "Verantwoording per getal (voor analisten)",
        "Dezelfde rijen als verantwoording.csv, met vaste Engelse kolomnamen en statuscodes "
        "en de getallen onopgemaakt.",
    ),
    Resource(
        "claims",
        "Gepubliceerde getallen",
        "Elk getal uit de brieven en de rapportage met zijn citaat, eenheid, periode en hoe het "
        "herberekend wordt.",
    ),
    Resource(
        "evidence",
        "Status en bereik van elk getoond getal",
        "Per getal dat het boek toont: wat de brieven erover vastleggen en het bereik dat met "
        "de gepubliceerde getallen verenigbaar is.",
    ),
    Resource(
        "consistency",
        "Tegenspraken tussen de gepubliceerde getallen",
        "Per tegenspraak de getallen die elkaar tegenspreken, met de minimale tegenstrijdige "
        "sets en correctiesets.",
    ),
    Resource(
        "corrections",
        "Dichtstbijzijnde consistente waarden",
        "Per correctieset en getal: de dichtstbijzijnde waarde waarmee de tegenspraak verdwijnt.",
    ),
    Resource(
        "glue",
        "Alle getoonde waarden",
        "Elke waarde die een hoofdstuk in de tekst plakt, zoals de pagina hem toont.",
    ),
    Resource("tabellen", "Tabellen per hoofdstuk", "Welk hoofdstuk elke tabel publiceert."),
    Resource("trajecten", "Trajecten per jaar", f"{_CHAPTER}: instroom, uitstroom en inzet."),
    Resource(
        "trajecten-{jaar}",
        "Trajecten in {jaar}",
        f"{_CHAPTER} in het hoofdstuk over {{jaar}}: instroom, uitstroom en inzet.",
    ),
    Resource("wijken-{jaar}", "Gezinnen per wijk in {jaar}", f"{_CHAPTER}."),
    Resource("hoofdvraag-{jaar}", "Gezinnen per hoofdvraag in {jaar}", f"{_CHAPTER}."),
    Resource(
        "gezinssamenstelling-{jaar}", "Gezinnen per gezinssamenstelling in {jaar}", f"{_CHAPTER}."
    ),
    Resource("kinderen-{jaar}", "Gezinnen naar aantal kinderen in {jaar}", f"{_CHAPTER}."),
    Resource("leeftijd-{jaar}", "Gezinnen naar leeftijd van de kinderen in {jaar}", f"{_CHAPTER}."),
    Resource("vergelijking-trajecten", "Trajecten: de jaren vergeleken", f"{_CHAPTER}."),
    Resource("vergelijking-wijken", "Wijken: de jaren vergeleken", f"{_CHAPTER}."),
    Resource("vergelijking-hoofdvraag", "Hoofdvraag: de jaren vergeleken", f"{_CHAPTER}."),
    Resource(
        "vergelijking-gezinssamenstelling",
        "Gezinssamenstelling: de jaren vergeleken",
        f"{_CHAPTER}.",
    ),
    Resource("vergelijking-kinderen", "Aantal kinderen: de jaren vergeleken", f"{_CHAPTER}."),
    Resource("bjh-kerncijfers", "Kerncijfers van de Basis jeugdhulp", f"{_CHAPTER}."),
    Resource(
        "bjh-afgeleid", "Afgeleide getallen van de Basis jeugdhulp", f"{_CHAPTER}: rekensommen."
    ),
    Resource("kosten", "Kosten van de pilot", f"{_CHAPTER}: budget per gezin en per uur."),
    Resource("begroting-per-jaar", "Begroting per jaar", f"{_CHAPTER}."),
    Resource("tijdlijn", "Tijdlijn", "De gebeurtenissen van de tijdlijn met hun bron."),
    Resource("invoer", "Invoer van deze uitgave", "De invoermappen met hun vingerafdruk."),
    Resource("software", "Software van deze uitgave", "De gebruikte pakketten en hun versies."),
    Resource(
        "wijzigingen",
        "Wijzigingen ten opzichte van de vorige uitgave",
        "Per hoofdstuk wat er veranderde, met de oude en de nieuwe waarde.",
    ),
)

_STATUS_CODES = "; ".join(f"{code} = {word}" for code, word in STATUS_MARK.items())

#: What each column name means, in every file that has it (see :data:`FILE_COLUMNS` for the
#: names that mean something else in one file).
COLUMNS: dict[str, Column] = {
    # the reader's verantwoording (its names are Dutch already)
    "Bron": Column("Bron", "De brief of rapportage waarin het getal staat."),
    "Code": Column("Code", "De code van het gepubliceerde getal of de rekensom (zie Bijlage A)."),
    "Citaat of rekensom": Column("Citaat of rekensom", "De zin uit de bron, of de rekensom."),
    "Gepubliceerd": Column("Gepubliceerd", "Het getal zoals de bron het publiceerde."),
    "Herberekend": Column("Herberekend", "Het getal zoals het uit het register volgt."),
    "Status": Column("Status", "Of het gepubliceerde getal klopt met de herberekening."),
    READER_EVIDENCE: Column(
        READER_EVIDENCE,
        "Wat de brieven over het herberekende getal vastleggen: vastgelegd, begrensd of vrij "
        "(leeg: het getal is gepubliceerd of niet herberekend).",
    ),
    "Toelichting": Column("Toelichting", "Waarom het getal niet of anders klopt."),
    # the analysts' files
    "claim_id": Column("Code", "De code van het gepubliceerde getal (zie Bijlage A)."),
    "document": Column("Bron", "De code van de brief of rapportage (zie Bijlage B)."),
    "quote": Column("Citaat", "De zin uit de bron waarin het getal staat."),
    "published": Column("Gepubliceerd", "Het gepubliceerde getal, onopgemaakt."),
    "recomputed": Column(
        "Herberekend", "Het herberekende getal, onopgemaakt (leeg: niet herberekend)."
    ),
    "status": Column(
        "Status",
        "Uitkomst van de vergelijking, als code: " + _STATUS_CODES + ".",
    ),
    "explanation": Column("Toelichting", "Waarom het getal niet of anders klopt."),
    "unit": Column("Eenheid", "De eenheid van het gepubliceerde getal."),
    "period": Column("Periode", "Het jaar of de periode waarover het getal gaat."),
    "about": Column("Onderwerp", "Waar het getal over gaat."),
    "recompute": Column("Herberekening", "Hoe het getal uit het register herberekend wordt."),
    "conflict_id": Column("Tegenspraak", "De code van de tegenspraak (C1, C2, ...)."),
    "conflict": Column("Tegenspraak", "De code van de tegenspraak (C1, C2, ...)."),
    "kind": Column("Soort", "Een gepubliceerd getal (claim) of een aanname van het model."),
    "relaxed_in_register": Column(
        "Losgelaten in het register",
        "Waar als het synthetische register dit getal niet volgt om de tegenspraak op te lossen.",
    ),
    "set": Column("Set", "De code van de minimale set waartoe het getal behoort."),
    "set_kind": Column(
        "Soort set",
        "gevonden (door de controle), MUS (minimale tegenstrijdige set) of MCS (minimale "
        "correctieset).",
    ),
    "verdict": Column(
        "Oordeel", "bewezen tegenstrijdig, bewezen haalbaar of onbeslist (binnen de rekentijd)."
    ),
    "complete": Column(
        "Volledig", "Waar als alle minimale sets zijn opgesomd; onwaar als de zoektocht stopte."
    ),
    "nearest_consistent": Column(
        "Dichtstbijzijnde consistente waarde",
        "De waarde met de gepubliceerde precisie, het dichtst bij het gepubliceerde getal, "
        "waarmee de tegenspraak verdwijnt.",
    ),
    "direction": Column("Richting", "hoger of lager dan het gepubliceerde getal."),
    "notebook": Column("Hoofdstuk", "Het notebook van het hoofdstuk (de bestandsnaam)."),
    "key": Column("Sleutel", "De naam waaronder het hoofdstuk de waarde of tabelcel plakt."),
    "label": Column("Omschrijving", "Wat het getal is."),
    "shown": Column("Getoond", "Het getal zoals het boek het toont."),
    "min_exact": Column("Minimum (exact)", "De kleinste mogelijke waarde als breuk."),
    "max_exact": Column("Maximum (exact)", "De grootste mogelijke waarde als breuk."),
    "exact": Column(
        "Exact bereik",
        "Waar als het bereik exact is, onwaar als het op de gepubliceerde precisie begrensd is.",
    ),
    "register_value": Column("Waarde in het register", "Het getal zoals het register het geeft."),
    "claims": Column("Codes", "De gepubliceerde getallen waar het bereik op steunt."),
    "basis": Column("Grondslag", "Hoe de status en het bereik zijn bepaald."),
    "quantity": Column(
        "Grootheid",
        "Waarvan het getal een waarde is (een grootheid van het register, een gepubliceerd "
        "getal of een rekensom), zodat een getal dat het boek twee keer toont één keer telt.",
    ),
    "date": Column("Datum", "Waar als het getal een datum of jaartal is."),
    "text": Column("Tekst", "De waarde zoals de pagina haar toont."),
    "tabel": Column("Tabel", "De naam van de tabel (het CSV-bestand zonder .csv)."),
    # the chapters' tables
    "jaar": Column("Jaar", "Het jaar waarover de rij gaat."),
    "categorie": Column("Categorie", "De categorie van de rij."),
    "gezinnen": Column("Gezinnen", "Het aantal gezinnen."),
    "procent": Column("Procent", "Het aandeel van de gezinnen, in procenten."),
    "procent_tekst": Column("Procent (tekst)", "Het aandeel zoals het boek het toont."),
    "volgens_publicaties": Column(
        "Volgens de publicaties",
        "Of het getal vastligt volgens de publicaties of alleen uit het register komt.",
    ),
    "actief": Column("Actief", "Gezinnen met een lopend traject in het jaar."),
    "doorgelopen": Column("Doorgelopen", "Trajecten die uit het vorige jaar doorliepen."),
    "gestart": Column("Gestart", "Trajecten die in het jaar begonnen."),
    "gestart_h1": Column("Gestart, eerste halfjaar", "Trajecten die januari-juni begonnen."),
    "gestart_h2": Column("Gestart, tweede halfjaar", "Trajecten die juli-december begonnen."),
    "afgesloten": Column("Afgesloten", "Trajecten die in het jaar afsloten."),
    "looptijd_maanden": Column(
        "Looptijd (maanden)", "De gemiddelde looptijd van de afgesloten trajecten, in maanden."
    ),
    "uren_per_week": Column("Uren per week", "De gemiddelde inzet per gezin, in uren per week."),
    "caseload": Column("Caseload", "Het gemiddelde aantal gezinnen tegelijk over het jaar."),
    "wijken": Column("Wijken", "Het aantal wijken met ten minste één traject."),
    "id": Column("Code", "De code van het afgeleide getal."),
    "formule": Column("Rekensom", "Hoe het getal uit gepubliceerde getallen volgt."),
    "waarde": Column("Waarde", "Het getal."),
    "eenheid": Column("Eenheid", "De eenheid van het getal."),
    "citaat": Column("Citaat", "De zin uit de bron."),
    "wat": Column("Wat", "Waarover de rij gaat."),
    "budget": Column("Budget", "Het begrote bedrag, in euro."),
    "uren": Column("Uren", "Het totaal aantal uren inzet."),
    "per_gezin": Column("Per gezin", "Het budget per gezin, in euro."),
    "per_uur": Column("Per uur", "Het budget per uur inzet, in euro."),
    "bedrag": Column("Bedrag", "Het begrote bedrag, in euro."),
    "maanden": Column("Maanden", "Het aantal maanden van de pilot in het jaar."),
    "datum": Column("Datum", "De datum van de gebeurtenis (JJJJ-MM-DD)."),
    "precisie": Column("Precisie", "Hoe precies de bron de datum noemt (dag, maand of jaar)."),
    "spoor": Column("Spoor", "Het spoor van de tijdlijn: de pilot of de jeugdhulp."),
    "soort": Column("Soort", "De soort gebeurtenis of wijziging."),
    "gebeurtenis": Column("Gebeurtenis", "Wat er gebeurde."),
    "datum_tekst": Column("Datum (tekst)", "De datum zoals de tijdlijn haar toont."),
    "rij": Column("Rij", "De regel van de tijdlijn zoals het boek haar toont."),
    "Invoer": Column("Invoer", "Welke invoer."),
    "Map": Column("Map", "De map van de invoer."),
    "sha256 (eerste 12 tekens)": Column(
        "Vingerafdruk", "De eerste 12 tekens van de sha256 over de bestanden van de map."
    ),
    "Pakket": Column("Pakket", "Het softwarepakket."),
    "Versie": Column("Versie", "De versie van het pakket."),
    "hoofdstuk": Column("Hoofdstuk", "Het hoofdstuk waarin iets veranderde."),
    "oud": Column("Oud", "Zoals het in de vorige uitgave stond."),
    "nieuw": Column("Nieuw", "Zoals het in deze uitgave staat."),
}

#: Column names that mean something else in one file: {file name without .csv: {name: Column}}.
FILE_COLUMNS: dict[str, dict[str, Column]] = {
    "evidence": {
        "status": Column(
            "Status",
            "Wat de brieven over het getal vastleggen: gepubliceerd, vastgelegd, begrensd, vrij, "
            "gemeten of onbeslist (zie Samenvatting in cijfers).",
        ),
        "min": Column("Minimum", "De kleinste waarde die met de gepubliceerde getallen kan."),
        "max": Column("Maximum", "De grootste waarde die met de gepubliceerde getallen kan."),
    },
    "corrections": {
        "min": Column("Minimum", "De kleinste waarde zonder de correctieset (exact, als breuk)."),
        "max": Column("Maximum", "De grootste waarde zonder de correctieset (exact, als breuk)."),
    },
    "consistency": {
        "published": Column("Gepubliceerd", "Het gepubliceerde getal (leeg bij een aanname)."),
        "quote": Column("Citaat", "De zin uit de bron, of wat de aanname zegt."),
    },
    "wijzigingen": {"wat": Column("Wat", "Wat er veranderde: een getal, tabel of status.")},
}

#: The columns ``publish_table`` adds after a number's column (see
#: :func:`evalkit.publish.evidence.with_evidence_columns`): suffix -> (title, description).
EVIDENCE_SUFFIXES: dict[str, tuple[str, str]] = {
    "_status": (
        "{title}: status",
        "Wat de brieven over {title} vastleggen: gepubliceerd, vastgelegd, begrensd, vrij, "
        "gemeten of onbeslist.",
    ),
    "_min": ("{title}: minimum", "De kleinste waarde van {title} die met de brieven kan."),
    "_max": ("{title}: maximum", "De grootste waarde van {title} die met de brieven kan."),
}


def describe_resource(stem: str) -> tuple[str, str] | None:
    """The Dutch title and description of a data file (by its name without ``.csv``).

    Returns None for a file that :data:`RESOURCES` does not describe.
    """
    for resource in RESOURCES:
        found = resource.match(stem)
        if found is not None:
            return resource.title.format(**found), resource.description.format(**found)
    return None


def describe_column(stem: str, name: str) -> Column | None:
    """What column ``name`` of data file ``stem`` means, or None when no mapping names it.

    A file's own meaning (:data:`FILE_COLUMNS`) comes before the common one
    (:data:`COLUMNS`); a number's evidence columns (``gezinnen_status``, ``_min``, ``_max``)
    take their number's title.
    """
    own = FILE_COLUMNS.get(stem, {})
    if name in own:
        return own[name]
    if name in COLUMNS:
        return COLUMNS[name]
    for suffix, (title, description) in EVIDENCE_SUFFIXES.items():
        base = name.removesuffix(suffix)
        if base != name:
            column = describe_column(stem, base)
            if column is not None:
                low = column.title[0].lower() + column.title[1:]
                return Column(title.format(title=column.title), description.format(title=low))
    return None


def reader_reconciliation(
    ctx: Context, evidence: Mapping[tuple[str, str], Evidence] | None = None
) -> pd.DataFrame:
    """The verantwoording as a reader sees it in Bijlage A, one row per number and rekensom.

    Parameters
    ----------
    ctx : evalkit.publish.report.Context
        A chapter's context (its reconciliation, claims and documents).
    evidence : mapping, optional
        :func:`evalkit.publish.evidence.reconciliation_evidence`: adds the column
        :data:`READER_EVIDENCE`, the status of each recomputed value in words (``vastgelegd``,
        ``begrensd``, ...; empty where the book shows no marker).

    Returns
    -------
    pandas.DataFrame
        Columns ``Bron`` (the document's title), ``Code``, ``Citaat of rekensom``,
        ``Gepubliceerd`` and ``Herberekend`` (formatted as in the book), ``Status`` (the
        book's status words, :data:`evalkit.publish.report.STATUS_MARK`) and ``Toelichting``;
        the rows of ``ctx.reconciliation``, ordered by document as in Bijlage A.

    """
    table = ctx.reconciliation
    units = {c.id: figure_unit(c) for c in ctx.registry.claims}
    order = {doc: i for i, doc in enumerate(ctx.documents)}
    rows = table.assign(_order=table["document"].map(order).fillna(len(order)))
    rows = rows.sort_values("_order", kind="stable")

    def title(doc: str) -> str:
        return ctx.documents[doc].title if doc in ctx.documents else doc

    def recomputed(cid: str, value: object) -> str:
        if isinstance(value, bool):
            return "waar" if value else "onwaar"
        return _shown(value, units.get(cid, ""), recomputed=True)

    frame = pd.DataFrame(
        {
            "Bron": [title(d) for d in rows["document"]],
            "Code": rows["claim_id"].to_numpy(),
            "Citaat of rekensom": rows["quote"].to_numpy(),
            "Gepubliceerd": [
                _shown(v, units.get(i, ""))
                for i, v in zip(rows["claim_id"], rows["published"], strict=True)
            ],
            "Herberekend": [
                recomputed(i, v) for i, v in zip(rows["claim_id"], rows["recomputed"], strict=True)
            ],
            "Status": [STATUS_MARK[s] for s in rows["status"]],
            "Toelichting": rows["explanation"].fillna("").to_numpy(),
        }
    )
    if evidence is not None:

        def status(cid: str) -> str:
            ev = evidence.get((cid, "recomputed"))
            return ev.status if ev is not None and ev.mark else ""

        frame.insert(5, READER_EVIDENCE, [status(c) for c in frame["Code"]])
    return frame


def _field_type(series: pd.Series) -> str:
    present = series.dropna()
    if pd.api.types.is_bool_dtype(series) or (
        len(present) and all(isinstance(v, bool) for v in present)
    ):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def read_data_file(path: Path) -> pd.DataFrame:
    """A CSV file of the data folder as a Data Package reader reads it: only ``""`` is missing."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def data_package(folder: Path, title: str, description: str) -> dict:
    """The Frictionless Data Package of every CSV file in ``folder``.

    Parameters
    ----------
    folder : Path
        The data folder of a built book (``_build/data``).
    title, description : str
        The package's Dutch title and description.

    Returns
    -------
    dict
        ``datapackage.json``: one resource per CSV file (sorted by name) with its path, Dutch
        title and description, and a schema whose fields have name, type, Dutch title and
        description. A file or column without a Dutch meaning has no ``title``
        (:func:`untitled` lists them).

    """
    resources = []
    for path in sorted(folder.glob("*.csv")):
        stem = path.stem
        frame = read_data_file(path)
        fields = []
        for name in frame.columns:
            field = {"name": str(name), "type": _field_type(frame[name])}
            column = describe_column(stem, str(name))
            if column is not None:
                field |= {"title": column.title, "description": column.description}
            fields.append(field)
        resource = {
            "name": re.sub(r"[^a-z0-9._-]+", "-", stem.lower()),
            "path": path.name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
        }
        described = describe_resource(stem)
        if described is not None:
            resource |= {"title": described[0], "description": described[1]}
        resources.append(resource | {"schema": {"fields": fields}})
    return {
        "profile": "tabular-data-package",
        "name": "evaluatie-pilot-gezinsverzorger",
        "title": title,
        "description": description,
        "resources": resources,
    }


def untitled(package: Mapping) -> list[str]:
    """The files (``name.csv``) and columns (``name.csv: column``) without a Dutch title."""
    missing = []
    for resource in package["resources"]:
        if not resource.get("title"):
            missing.append(resource["path"])
        missing += [
            f"{resource['path']}: {f['name']}"
            for f in resource["schema"]["fields"]
            if not f.get("title")
        ]
    return missing


def write_data_package(folder: Path, title: str) -> dict:
    """Write ``datapackage.json`` into ``folder`` (see :func:`data_package`) and return it.

    Parameters
    ----------
    folder : Path
        The data folder of a built book.
    title : str
        The book's title; the package is titled "Gegevens bij <title>".

    """
    package = data_package(folder, f"Gegevens bij {title}", PACKAGE_DESCRIPTION)
    (folder / DATA_PACKAGE).write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return package


#: Where Bijlage C's table of the data files goes (the build fills it in, see
#: :func:`fill_files_table`: only the build knows every file of the data folder).
FILES_PLACEHOLDER = "{{ gegevens_bestanden }}"

#: Marks a column in Bijlage C's table that has its evidence columns next to it.
EVIDENCE_MARK = "*"


def _column_text(field: Mapping, suffixes: list[str]) -> str:
    name, title = field["name"], field.get("title", "")
    shown = f"`{name}`"
    if title and title.lower() != name.lower():
        shown += f": {title[0].lower() + title[1:] if name[0].islower() else title}"
    return shown + ("\\" + EVIDENCE_MARK) * bool(suffixes)  # escaped: not Markdown emphasis


def files_table(package: Mapping) -> str:
    """Bijlage C's table: the files of the data folder with their columns' Dutch meaning.

    Files with the same columns share a row; a number with evidence columns (``_status``,
    ``_min``, ``_max``) is marked :data:`EVIDENCE_MARK` instead of naming them.

    Parameters
    ----------
    package : mapping
        A Data Package (:func:`data_package`).

    Returns
    -------
    str
        A MyST list-table (two columns: the files, their columns).

    """
    from evalkit.publish.display import list_table

    groups: dict[tuple[str, ...], list[Mapping]] = {}
    for resource in package["resources"]:
        names = tuple(f["name"] for f in resource["schema"]["fields"])
        groups.setdefault(names, []).append(resource)
    rows = []
    for names, resources in groups.items():
        fields = {f["name"]: f for f in resources[0]["schema"]["fields"]}
        columns = []
        for name in names:
            if any(name == base + s for s in EVIDENCE_SUFFIXES for base in names):
                continue
            extra = [s for s in EVIDENCE_SUFFIXES if name + s in fields]
            columns.append(_column_text(fields[name], extra))
        files = ", ".join(f"`{r['path']}`" for r in resources)
        titles = sorted({r.get("title", "") for r in resources} - {""})
        about = titles[0] if len(titles) == 1 else ""
        rows.append(
            {
                "Bestand": files + (f": {about}" if about else ""),
                "Kolommen": "; ".join(columns),
            }
        )
    return list_table(pd.DataFrame(rows), widths=[30, 70]).data


def fill_files_table(notebooks: Path, package: Mapping) -> bool:
    """Put :func:`files_table` where a staged notebook's text has :data:`FILES_PLACEHOLDER`.

    Returns
    -------
    bool
        Whether a notebook had the placeholder.

    """
    import nbformat

    table = files_table(package)
    found = False
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "markdown" and FILES_PLACEHOLDER in c.source]
        for cell in cells:
            cell.source = cell.source.replace(FILES_PLACEHOLDER, table)
        if cells:
            nbformat.write(nb, path)
            found = True
    return found
