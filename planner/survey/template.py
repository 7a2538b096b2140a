"""The survey workbook a member structure fills in (``planner survey template``).

Layout (see :mod:`planner.survey.layout` for the constants)
------------------------------------------------------------
``Instructions``
    What to fill and how, in French; the active sheet when the file opens.
``Demandes``
    One row per trainee × module. Row 1 holds the French headings people read; row 2 is a
    *hidden* row holding the SPEC ``survey.csv`` column names (``member_id``, ...). The merge
    maps columns by that hidden row first and, when a person deleted it or copied the data
    elsewhere, by the French headings (compared loosely), so columns may be reordered.
    Data rows start at row 3; ``rows`` of them are prepared (text format, drop-downs).
    Cells of ids and months are formatted as text (``@``) so that Excel keeps ``007`` and
    ``2012-03`` as typed instead of turning them into numbers or dates.
    Drop-down lists (data validation, error style "stop"): member ids, module codes and the
    horizon's months come from ranges of the hidden ``Listes`` sheet, through the workbook
    names ``Liste_Structures``, ``Liste_Modules`` and ``Liste_Mois`` (a catalogue has too many
    codes for an inline list); priority is the inline list 1,2,3; the maximum travel is a whole
    number ≥ 0.
    With ``member_id``, the member column is pre-filled with that id on every prepared row,
    its drop-down lists only that id, and the sheet is protected (no password: it prevents
    mistakes, not fraud) with only the other input cells unlocked. Rows whose only content is
    that pre-filled id are empty rows for the merge.
``Catalogue``
    Every module: code, title, family in French, hours, months a session spans, and the names
    of the territories where offers.csv says a provider runs it.
``Listes`` (hidden)
    The drop-down lists. A member's workbook lists only its own id, never other members.
``_planner`` (hidden)
    Key/value metadata: ``format``, ``version``, ``scenario_id``, ``member_id``. The merge uses
    ``member_id`` to reject rows of another member and notes a different ``scenario_id``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import Scenario
from planner.domain.errors import Problem, ScenarioInvalid
from planner.ingestion.tables import closest
from planner.domain.months import format_month, month_range
from planner.survey.files import write_atomically
from planner.survey.layout import (
    FAMILY_FR,
    FIRST_DATA_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADING_ROW,
    HEADINGS,
    KEY_ROW,
    SHEET_CATALOGUE,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_META,
    SHEET_REQUESTS,
    SPEC_COLUMNS,
)

DEFAULT_ROWS = 500
TEXT = "@"  # number format "text"

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center")
_KEY_FONT = Font(italic=True, color="808080", size=8)
_WIDTHS = {
    "member_id": 22, "trainee_ref": 26, "module_code": 22, "priority": 14,
    "available_from": 20, "available_to": 20, "max_travel_min": 14,
}
_TEXT_COLUMNS = {"member_id", "trainee_ref", "module_code", "available_from", "available_to"}


def write_template(scenario: Scenario, path: str | Path, member_id: str | None = None, *,
                   rows: int = DEFAULT_ROWS) -> Path:
    """Write the survey workbook for the whole network, or for one member; return its path.

    Raises ScenarioInvalid (with a closest-id suggestion) when ``member_id`` is unknown, and
    ValueError when ``rows`` is not positive. The file is written atomically.
    """
    path = Path(path)
    if member_id is not None and member_id not in scenario.member:
        raise ScenarioInvalid([Problem(
            "command line", f"member {member_id!r} unknown", column="--member", value=member_id,
            expected="a member id listed in members.csv", suggestion=closest(member_id, scenario.member),
        )])
    if rows < 1:
        raise ValueError("rows must be at least 1")
    wb = build_template(scenario, member_id, rows=rows)
    write_atomically(path, lambda tmp: wb.save(tmp))
    return path


def build_template(scenario: Scenario, member_id: str | None = None, *, rows: int = DEFAULT_ROWS) -> Workbook:
    """The template as an openpyxl Workbook (see the module docstring for its layout)."""
    wb = Workbook()
    instructions = wb.active
    instructions.title = SHEET_INSTRUCTIONS
    requests = wb.create_sheet(SHEET_REQUESTS)
    catalogue = wb.create_sheet(SHEET_CATALOGUE)
    lists = wb.create_sheet(SHEET_LISTS)
    meta = wb.create_sheet(SHEET_META)

    members = [member_id] if member_id is not None else [m.id for m in scenario.members]
    months = [format_month(m) for m in month_range(scenario.horizon_start, scenario.horizon_end)]
    names = {
        "Liste_Structures": _list_column(lists, 1, "Structures", members),
        "Liste_Modules": _list_column(lists, 2, "Modules", [m.code for m in scenario.modules]),
        "Liste_Mois": _list_column(lists, 3, "Mois", months),
    }
    for name, ref in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    lists.sheet_state = "hidden"

    _requests_sheet(requests, member_id, rows)
    _catalogue_sheet(catalogue, scenario)
    _instructions_sheet(instructions, scenario, member_id, rows)
    for key, value in (("format", FORMAT), ("version", FORMAT_VERSION), ("scenario_id", scenario.id),
                       ("member_id", member_id or "")):
        meta.append([key, value])
    for row in meta.iter_rows():
        for cell in row:
            cell.number_format = TEXT
    meta.sheet_state = "hidden"
    wb.active = 0
    return wb


def _list_column(ws: Worksheet, col: int, title: str, values: list[str]) -> str:
    """Write a drop-down list in column ``col`` of the lists sheet; return its absolute range."""
    ws.cell(1, col, title).font = Font(bold=True)
    for i, value in enumerate(values, start=2):
        cell = ws.cell(i, col, value)
        cell.number_format = TEXT
    letter = get_column_letter(col)
    last = max(2, len(values) + 1)  # an empty list still needs a valid range
    ws.column_dimensions[letter].width = 24
    return f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${last}"


def _requests_sheet(ws: Worksheet, member_id: str | None, rows: int) -> None:
    last = FIRST_DATA_ROW + rows - 1
    letters = {c: get_column_letter(i) for i, c in enumerate(SPEC_COLUMNS, start=1)}
    for i, column in enumerate(SPEC_COLUMNS, start=1):
        head = ws.cell(HEADING_ROW, i, HEADINGS[column])
        head.font, head.fill, head.alignment = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN
        key = ws.cell(KEY_ROW, i, column)
        key.font = _KEY_FONT
        ws.column_dimensions[letters[column]].width = _WIDTHS[column]
    ws.row_dimensions[HEADING_ROW].height = 45
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)

    unlocked = Protection(locked=False)
    for r in range(FIRST_DATA_ROW, last + 1):
        for i, column in enumerate(SPEC_COLUMNS, start=1):
            cell = ws.cell(r, i)
            if column in _TEXT_COLUMNS:
                cell.number_format = TEXT
            if column == "member_id" and member_id is not None:
                cell.value = member_id
            else:
                cell.protection = unlocked

    def validation(column: str, dv: DataValidation) -> None:
        dv.error_style = "stop"
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.allow_blank = True
        dv.add(f"{letters[column]}{FIRST_DATA_ROW}:{letters[column]}{last}")
        ws.add_data_validation(dv)

    member_prompt = (f"Votre structure : {member_id}" if member_id is not None
                     else "Choisissez l'identifiant de la structure dans la liste.")
    validation("member_id", DataValidation(
        type="list", formula1="Liste_Structures", promptTitle="Structure", prompt=member_prompt,
        errorTitle="Structure inconnue", error="Choisissez un identifiant de structure dans la liste."))
    validation("trainee_ref", DataValidation(
        type="textLength", operator="between", formula1="1", formula2="100", promptTitle="Salarié",
        prompt="Une référence anonyme (ex. S01), jamais le nom. Même référence sur chaque ligne du même salarié.",
        errorTitle="Référence trop longue", error="100 caractères au plus."))
    validation("module_code", DataValidation(
        type="list", formula1="Liste_Modules", promptTitle="Module",
        prompt="Code du module : voir l'onglet Catalogue.",
        errorTitle="Module inconnu", error="Choisissez un code de module dans la liste (onglet Catalogue)."))
    validation("priority", DataValidation(
        type="list", formula1='"1,2,3"', promptTitle="Priorité",
        prompt="1 = haute, 2 = normale, 3 = basse. Vide : 2.",
        errorTitle="Priorité", error="Choisissez 1 (haute), 2 ou 3 (basse)."))
    for column, what in (("available_from", "Premier mois"), ("available_to", "Dernier mois")):
        validation(column, DataValidation(
            type="list", formula1="Liste_Mois", promptTitle=what,
            prompt=f"{what} où le salarié est disponible, AAAA-MM. Vide : toute la période.",
            errorTitle="Mois", error="Choisissez un mois de la période dans la liste (AAAA-MM)."))
    validation("max_travel_min", DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", promptTitle="Trajet max",
        prompt="Durée maximale d'un trajet aller, en minutes. Vide : la valeur de la structure ou du réseau.",
        errorTitle="Trajet max", error="Un nombre entier de minutes (0 ou plus)."))

    if member_id is not None:
        p = ws.protection
        p.sheet = True
        # False = allowed while protected (OOXML semantics)
        p.formatCells = p.formatColumns = p.formatRows = False
        p.insertRows = p.deleteRows = p.sort = p.autoFilter = False


def _catalogue_sheet(ws: Worksheet, scenario: Scenario) -> None:
    headings = ["Code", "Titre", "Famille", "Heures", "Mois (durée d'une session)", "Territoires où il est proposé"]
    widths = [22, 40, 18, 10, 14, 60]
    ws.append(headings)
    for i, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = ws.cell(1, i)
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30
    offered: dict[str, set[str]] = {}
    for offer in scenario.offers:
        offered.setdefault(offer.module_code, set()).add(offer.territory_id)
    for module in scenario.modules:
        territories = sorted(scenario.territory[t].name for t in offered.get(module.code, ()))
        hours = module.minutes // 60 if module.minutes % 60 == 0 else round(module.minutes / 60, 2)
        ws.append([module.code, module.title, FAMILY_FR[module.family], hours, module.months,
                   ", ".join(territories) if territories else "(aucune offre)"])
        ws.cell(ws.max_row, 1).number_format = TEXT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{max(2, ws.max_row)}"


def _instructions_sheet(ws: Worksheet, scenario: Scenario, member_id: str | None, rows: int) -> None:
    horizon = f"{format_month(scenario.horizon_start)} à {format_month(scenario.horizon_end)}"
    if member_id is not None:
        member = scenario.member[member_id]
        travel = member.max_travel_min if member.max_travel_min is not None else scenario.policy.max_travel_min
        who = f"Structure : {member.name} (identifiant {member.id}), déjà indiquée dans la colonne A."
    else:
        travel = scenario.policy.max_travel_min
        who = "Structure : choisissez l'identifiant de votre structure dans la colonne A, sur chaque ligne."
    closed = ", ".join(format_month(m) for m in sorted(scenario.closed_months))
    lines: list[tuple[str, str]] = [
        ("title", "Enquête annuelle des besoins de formation"),
        ("", f"Plan : {scenario.title or scenario.id} (scénario {scenario.id})"),
        ("", f"Période du plan : {horizon}" + (f" ; aucune session en {closed}" if closed else "")),
        ("", who),
        ("", ""),
        ("head", "Comment remplir l'onglet « Demandes »"),
        ("", "1. Une ligne = un salarié × un module demandé. Un salarié qui demande deux modules occupe deux "
             "lignes, avec la même référence."),
        ("", "2. Salarié : une référence anonyme (par exemple S01), jamais le nom. Seule votre structure sait à "
             "qui elle correspond ; la même référence désigne toujours la même personne."),
        ("", "3. Module : choisissez le code dans la liste. L'onglet « Catalogue » décrit chaque module "
             "(famille, heures, durée) et les territoires où il est proposé."),
        ("", "4. Priorité : 1 = haute, 2 = normale, 3 = basse. Vide : 2."),
        ("", "5. Disponibilité : premier et dernier mois où le salarié peut suivre la formation, au format "
             "AAAA-MM, choisis dans la liste. Vide : toute la période. Indiquez la même période sur toutes les "
             "lignes d'un même salarié."),
        ("", f"6. Trajet max : durée maximale d'un trajet aller, en minutes. Vide : {travel} minutes."),
        ("", ""),
        ("head", "À savoir"),
        ("", f"• {rows} lignes sont préparées (lignes {FIRST_DATA_ROW} à {FIRST_DATA_ROW + rows - 1}) ; "
             "demandez un modèle plus grand à la coordination s'il en faut davantage."),
        ("", "• Ne modifiez pas les intitulés des colonnes et ne supprimez pas la ligne 2 (masquée) : elles "
             "permettent de relire le fichier. Vous pouvez laisser des lignes vides."),
        ("", "• Pas de doublon : une seule ligne par salarié et par module."),
        ("", "• Renvoyez ce fichier à la coordination du réseau. Une seule version par structure : si vous "
             "corrigez, renvoyez le fichier complet, il remplace le précédent."),
    ]
    ws.column_dimensions["A"].width = 110
    for i, (kind, text) in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            cell.font = Font(bold=True, size=14)
        elif kind == "head":
            cell.font = Font(bold=True, size=12)
