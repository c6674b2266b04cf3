"""The Excel template (sjabloon) for a register export: three sheets, lists and an explanation."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from evalkit.inputs.register import (
    COLUMNS,
    DATE_COLUMNS,
    EARLIEST_DATE,
    MAX_HOURS_PER_WEEK,
    TABLES,
    Reference,
    schema_table,
)

#: The date notation of the template's date columns (Excel's code; Dutch Excel shows dd-mm-jjjj).
DATE_FORMAT = "dd-mm-yyyy"
#: The rows that get the drop-down lists and checks (Excel's own limit is 1,048,576).
LAST_ROW = 100_000
LISTS_SHEET = "keuzelijsten"
EXPLANATION_SHEET = "Toelichting"
#: What each table holds, one row per what.
ROWS = {
    "trajecten": "één rij per traject (één traject is één gezin)",
    "jaarregistratie": "één rij per traject per jaar waarin het traject liep",
    "kinderen": "één rij per kind",
}
HEADER = Font(bold=True)


def _lists(reference: Reference) -> dict[str, list[str]]:
    """The columns with a drop-down list, and the codes they offer."""
    return {
        "wijk": list(reference.wijken),
        "reden_einde": list(reference.reden_einde["code"]),
        "gezinssamenstelling": list(reference.gezinssamenstelling["code"]),
        "hoofdvraag": list(reference.hoofdvraag["code"]),
    }


def _labels(reference: Reference) -> dict[str, dict[str, str]]:
    """The meaning of each code of the coded columns (wijken have no label)."""
    return {
        name: dict(zip(frame["code"], frame["label"], strict=True))
        for name, frame in (
            ("reden_einde", reference.reden_einde),
            ("gezinssamenstelling", reference.gezinssamenstelling),
            ("hoofdvraag", reference.hoofdvraag),
        )
    }


def _explanation(reference: Reference) -> list[list[str]]:
    """The rows of the sheet *Toelichting* (Dutch: it is read by whoever fills the template)."""
    rows = [
        ["Sjabloon voor het casusregister van de pilot gezinsverzorger"],
        [],
        ["Zo vult u dit sjabloon in"],
        [
            "Vul de werkbladen trajecten, jaarregistratie en kinderen; laat hun namen en de "
            "kopregel (rij 1) zoals ze zijn. Elke rij daaronder is één geval."
        ],
        [
            "Datums schrijft u als dd-mm-jjjj (dag-maand-jaar, bijvoorbeeld 03-04-2022); "
            "jjjj-mm-dd (2022-04-03) mag ook. Een jaar met twee cijfers (03-04-22) of "
            "schuine strepen (03/04/2022) worden geweigerd, omdat die op twee manieren te "
            "lezen zijn."
        ],
        [
            "Kolommen met een keuzelijst (wijk, reden_einde, gezinssamenstelling, hoofdvraag) "
            "nemen alleen de codes uit de lijst; hieronder staat wat elke code betekent."
        ],
        [
            "Laat een cel leeg als er niets is (een einddatum van een traject dat nog loopt); "
            "schrijf geen 'nvt', '-' of 0."
        ],
        [
            "Gebruik pseudoniemen als id (bijvoorbeeld GV001 en GV001-K1), nooit namen of "
            "BSN; dezelfde id van een traject komt terug in jaarregistratie en kinderen."
        ],
        [
            "Controleer het ingevulde bestand met: evalkit validate --register BESTAND.xlsx "
            "(elke fout wordt genoemd met werkblad, rij en kolom)."
        ],
    ]
    for table in TABLES:
        rows += [
            [],
            [f"Werkblad {table}: {ROWS[table]}"],
            ["Kolom", "Type", "Verplicht", "Betekenis"],
        ]
        for _, r in schema_table(table).iterrows():
            kind = r["Type"] + (" (dd-mm-jjjj)" if r["Type"] == "datum" else "")
            rows.append([r["Kolom"].strip("`"), kind, r["Verplicht"], r["Betekenis"]])
    rows += [[], ["Codes"], ["Kolom", "Code", "", "Betekenis"]]
    labels = _labels(reference)
    for column, codes in _lists(reference).items():
        rows += [[column, code, "", labels.get(column, {}).get(code, "")] for code in codes]
    return rows


def write_template(path: Path, reference: Reference) -> None:
    """Write an empty register workbook to send to whoever exports the data.

    The workbook has a sheet *Toelichting* explaining every column in Dutch, one sheet per
    table with its header row, drop-down lists (from ``data/reference``) on the coded
    columns, checks on the numbers, the date format ``dd-mm-jjjj`` on the date columns, and
    a hidden sheet with the lists. Filled in, it is read by
    :func:`evalkit.inputs.register.load_register` as it is.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file to write (its folder must exist).
    reference : Reference
        The vocabularies of the drop-down lists.

    """
    wb = Workbook()
    info = wb.active
    info.title = EXPLANATION_SHEET
    for row in _explanation(reference):
        info.append(row)
    for n in (1, 3):
        info.cell(n, 1).font = Font(bold=True, size=14 if n == 1 else 12)
    for row in info.iter_rows():
        if row[0].value and str(row[0].value).startswith(("Werkblad ", "Codes", "Kolom")):
            for cell in row:
                cell.font = HEADER
    for letter, width in zip("ABCD", (28, 22, 10, 90), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    lists = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    for k, (column, codes) in enumerate(_lists(reference).items(), start=1):
        letter = get_column_letter(k)
        lists.cell(1, k, column).font = HEADER
        for n, code in enumerate(codes, start=2):
            lists.cell(n, k, code)
        ranges[column] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(codes) + 1}"
    lists.sheet_state = "hidden"

    for table in TABLES:
        ws = wb.create_sheet(table)
        ws.append(list(COLUMNS[table]))
        ws.freeze_panes = "A2"
        for k, column in enumerate(COLUMNS[table], start=1):
            letter = get_column_letter(k)
            ws.cell(1, k).font = HEADER
            ws.column_dimensions[letter].width = max(14, len(column) + 4)
            cells = f"{letter}2:{letter}{LAST_ROW}"
            check = _validation(column, ranges)
            if check is not None:
                check.add(cells)
                ws.add_data_validation(check)
            if column in DATE_COLUMNS.get(table, ()):
                ws.column_dimensions[letter].number_format = DATE_FORMAT
    wb.move_sheet(EXPLANATION_SHEET, offset=-wb.index(wb[EXPLANATION_SHEET]))
    wb.active = 0
    wb.save(path)


def _validation(column: str, ranges: dict[str, str]) -> DataValidation | None:
    """The drop-down list or number check of one column (``None`` for free text and dates)."""
    if column in ranges:
        check = DataValidation(type="list", formula1=f"={ranges[column]}", allow_blank=True)
        check.error = "Kies een waarde uit de lijst (zie het werkblad Toelichting)."
    elif column == "jaar":
        check = DataValidation(
            type="whole", operator="between", formula1=str(EARLIEST_DATE.year), formula2="2100"
        )
        check.error = f"Een jaar, vanaf {EARLIEST_DATE.year}."
    elif column == "geboortemaand":
        check = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
        check.error = "Een maand: 1 tot en met 12."
    elif column == "uren_per_week":
        check = DataValidation(
            type="decimal", operator="between", formula1="0.01", formula2=f"{MAX_HOURS_PER_WEEK:g}"
        )
        check.error = f"Uren per week: meer dan 0 en hoogstens {MAX_HOURS_PER_WEEK:g}."
    else:
        return None
    check.errorTitle = "Ongeldige waarde"
    check.showErrorMessage = True
    return check
