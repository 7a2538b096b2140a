"""The whole plan as one XLSX workbook, in French, ready to attach to a funding file.

Sheets, in order:

- ``Synthèse``: one row per budget line (envelope, amount committed, what is left, envelope
  use), then one row for the members' own funds (their ``own_funds_eur`` added up as the
  "envelope", access fees included in what is committed), so that the table's total is every
  euro of ``funding.csv``; below it, the amounts by funder (each public funder, public total,
  own funds, grand total) and a few headline figures of the plan;
- ``Sessions``: ``sessions.csv`` with module, provider, venue and territory names, trainee-hours,
  the meeting dates and the funding of each session;
- ``Stagiaires``: ``assignments.csv`` (one row per assigned request), with names and dates;
- ``Financements``: ``funding.csv`` (one row per session, member, line and cost item);
- ``Structures``: per member structure, requests served and unmet, public funding received, own
  funds committed (access fees included) against own funds available;
- ``Besoins non couverts``: ``unmet.csv``, with the reason and the limit met in French next to their
  codes, and what would unlock the request in a French sentence (not the solver's English ``detail``).

Every figure comes from :func:`planner.plans.tables.tables_of`, the rows of the CSV files typed
(amounts in integer cents), so the workbook and the plan folder agree to the cent.

Format: on every sheet the table starts at A1 with a bold, frozen heading row and an autofilter
over heading and data rows. Amounts are numbers in euros (format ``#,##0.00 "€"``), dates are
real dates (``DD/MM/YYYY``), months are the first day of the month shown as ``mmmm yyyy``,
envelope use is a percentage. Below the data rows of each table with additive columns come
two rows, outside the autofilter:

- ``Total``: the totals as *computed numbers* (exact, from integer cents), so that any reader
  (openpyxl, pandas, an import tool, a spreadsheet that does not recalculate) sees the figures;
- ``Total des lignes affichées``: ``SUBTOTAL(109, …)`` formulas, which Excel and LibreOffice
  evaluate on opening and which follow the autofilter (a coordinator filtering on one funder
  reads that funder's total). openpyxl reads them back as formulas, not values.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain import OWN, Family, Scenario
from planner.domain.months import Month
from planner.domain.plan import FundingRow, Plan
from planner.plans.tables import PlanTables, tables_of
from planner.reports import french
from planner.reports.unmet import unmet_sentence
from planner.survey.files import write_atomically

SHEET_SUMMARY = "Synthèse"
SHEET_SESSIONS = "Sessions"
SHEET_ASSIGNMENTS = "Stagiaires"
SHEET_FUNDING = "Financements"
SHEET_MEMBERS = "Structures"
SHEET_UNMET = "Besoins non couverts"

TOTAL_LABEL = "Total"
FILTERED_TOTAL_LABEL = "Total des lignes affichées"
OWN_FUNDS_LABEL = "Fonds propres des structures"
PUBLIC_TOTAL_LABEL = "Total des financements publics"
GRAND_TOTAL_LABEL = "Total général"
FUNDERS_TITLE = "Montants par financeur"

EUR_FORMAT = '#,##0.00 "€"'
DATE_FORMAT = "DD/MM/YYYY"
MONTH_FORMAT = "mmmm yyyy"
PCT_FORMAT = "0.0 %"
INT_FORMAT = "#,##0"

FAMILY_FR = {Family.SHORT: "court", Family.KEY_SKILLS: "compétences clés", Family.QUALIFYING: "qualifiant"}
COST_ITEM_FR = {
    "pedagogy": "Coûts pédagogiques",
    "travel": "Frais de déplacement",
    "wage": "Rémunération des stagiaires",
    "engineering": "Ingénierie",
}
STATUS_FR = {
    "optimal": "optimal (prouvé)",
    "feasible": "réalisable (optimalité non prouvée)",
    "infeasible": "infaisable",
    "no_solution": "aucune solution trouvée",
    "interrupted": "interrompu",
    "error": "erreur",
}

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center")
_TOTAL_FONT = Font(bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_TITLE_FONT = Font(bold=True, size=12)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet's table.

    ``kind``: ``text``, ``int``, ``number``, ``eur`` (values are integer *cents*, written as
    euros), ``date`` / ``month`` (dates; a month is its first day) or ``pct`` (a fraction). ``total``: the column is additive and gets totals.
    """

    heading: str
    kind: str = "text"
    total: bool = False


@dataclass(frozen=True, slots=True)
class TableLayout:
    """Where a table landed on its sheet (1-based rows)."""

    heading_row: int
    first_row: int
    last_row: int  # last data row (== heading_row when there is none)
    total_row: int | None  # the computed totals, when the table has additive columns


def write_plan_workbook(scenario: Scenario, plan: Plan, path: str | Path) -> Path:
    """Write the plan's workbook to ``path`` (atomically) and return the path."""
    path = Path(path)
    wb = build_plan_workbook(scenario, plan)
    write_atomically(path, lambda tmp: wb.save(tmp))
    return path


def build_plan_workbook(scenario: Scenario, plan: Plan) -> Workbook:
    """The workbook as an openpyxl :class:`Workbook` (see the module docstring for its layout)."""
    tables = tables_of(scenario, plan)
    wb = Workbook()
    summary = wb.active
    summary.title = SHEET_SUMMARY
    _summary_sheet(summary, scenario, plan, tables)
    _sessions_sheet(wb.create_sheet(SHEET_SESSIONS), scenario, plan, tables)
    _assignments_sheet(wb.create_sheet(SHEET_ASSIGNMENTS), scenario, plan, tables)
    _funding_sheet(wb.create_sheet(SHEET_FUNDING), scenario, tables)
    _members_sheet(wb.create_sheet(SHEET_MEMBERS), scenario, tables)
    _unmet_sheet(wb.create_sheet(SHEET_UNMET), scenario, tables)
    wb.active = 0
    wb.properties.title = f"Plan de formation mutualisé – {scenario.title}"
    wb.properties.subject = f"Scénario {scenario.id}"
    wb.properties.creator = "planner"
    return wb


# --- labels ---------------------------------------------------------------------------------------


def cost_item_label(scenario: Scenario, cost_item: str) -> str:
    """French label of a ``funding.csv`` cost item (``access_fee:<funder>`` included)."""
    if cost_item.startswith("access_fee:"):
        funder_id = cost_item.split(":", 1)[1]
        funder = scenario.funder.get(funder_id)
        return f"Frais d'accès {funder.name if funder else funder_id}"
    return COST_ITEM_FR.get(cost_item, cost_item)


def _funder_name(scenario: Scenario, row: FundingRow) -> str:
    if row.line_id == OWN:
        member = scenario.member.get(row.member_id)
        return f"Fonds propres – {member.name if member else row.member_id}"
    funder = scenario.funder.get(row.funder_id)
    return funder.name if funder else row.funder_id


def _member_name(scenario: Scenario, member_id: str) -> str:
    member = scenario.member.get(member_id)
    return member.name if member else member_id


def _first_day(month: Month) -> date:
    return date(month // 12, month % 12 + 1, 1)


# --- sheets ---------------------------------------------------------------------------------------


def _sessions_sheet(ws: Worksheet, scenario: Scenario, plan: Plan, tables: PlanTables) -> None:
    funded: Counter[str] = Counter()
    for f in tables.funding:
        if f.session_id:
            funded[f.session_id] += f.amount_cents
    columns = [
        Column("Session"), Column("Module (code)"), Column("Intitulé du module"), Column("Famille"),
        Column("Organisme (id)"), Column("Organisme"), Column("Lieu (id)"), Column("Lieu"), Column("Commune"),
        Column("Territoire (id)"), Column("Territoire"), Column("Mois de début", "month"),
        Column("Mois de fin", "month"), Column("Heures", "number"), Column("Jours", "int"),
        Column("Stagiaires", "int", total=True), Column("Places externes", "int", total=True),
        Column("Heures-stagiaires", "number", total=True), Column("Premier jour", "date"),
        Column("Dernier jour", "date"), Column("Dates des séances"), Column("Financement total", "eur", total=True),
    ]
    rows = []
    for s in tables.sessions:
        module = scenario.module[s.module_code]
        venue = scenario.venue[s.venue_id]
        days = plan.meeting_days.get(s.session_id, [])
        hours = float(s.hours)
        rows.append([
            s.session_id, s.module_code, module.title, FAMILY_FR.get(module.family, s.family),
            s.provider_id, scenario.provider[s.provider_id].name, s.venue_id, venue.name, venue.commune,
            s.territory_id, scenario.territory[s.territory_id].name, _first_day(s.start_month),
            _first_day(s.end_month), hours, len(days) if days else scenario.days(s.module_code), s.trainees,
            s.external_seats, hours * s.trainees, s.start_date, s.end_date, ", ".join(_fr_date(d) for d in days),
            funded[s.session_id],
        ])
    _write_table(ws, columns, rows)


def _assignments_sheet(ws: Worksheet, scenario: Scenario, plan: Plan,
                       tables: PlanTables) -> None:
    session_row = {s.session_id: s for s in tables.sessions}
    columns = [
        Column("Session"), Column("Structure (id)"), Column("Structure"), Column("Salarié (référence)"),
        Column("Module (code)"), Column("Intitulé du module"), Column("Organisme"), Column("Lieu"),
        Column("Territoire du lieu"), Column("Mois de début", "month"), Column("Premier jour", "date"),
        Column("Dernier jour", "date"), Column("Heures", "number", total=True),
        Column("Trajet aller (min)", "int"), Column("Distance aller (km)", "number"),
    ]
    rows = []
    for a in tables.assignments:
        s = session_row[a.session_id]
        module = scenario.module[a.module_code]
        rows.append([
            a.session_id, a.member_id, _member_name(scenario, a.member_id), a.trainee_ref,
            a.module_code, module.title, scenario.provider[s.provider_id].name,
            scenario.venue[s.venue_id].name, scenario.territory[s.territory_id].name, _first_day(s.start_month),
            s.start_date, s.end_date, float(s.hours), a.travel_min, a.road_km,
        ])
    _write_table(ws, columns, rows)


def _funding_sheet(ws: Worksheet, scenario: Scenario, tables: PlanTables) -> None:
    columns = [
        Column("Session"), Column("Module (code)"), Column("Structure (id)"), Column("Structure"),
        Column("Financeur (id)"), Column("Financeur"), Column("Ligne budgétaire"), Column("Poste de coût"),
        Column("Poste de coût (code)"), Column("Montant", "eur", total=True),
    ]
    module_of = {s.session_id: s.module_code for s in tables.sessions}
    rows = [
        [f.session_id, module_of.get(f.session_id, ""), f.member_id, _member_name(scenario, f.member_id),
         f.funder_id, _funder_name(scenario, f), f.line_id, cost_item_label(scenario, f.cost_item),
         f.cost_item, f.amount_cents]
        for f in tables.funding
    ]
    _write_table(ws, columns, rows)


def _members_sheet(ws: Worksheet, scenario: Scenario, tables: PlanTables) -> None:
    requested = Counter(r.member_id for r in scenario.requests)
    served = Counter(a.member_id for a in tables.assignments)
    trainees: dict[str, set[str]] = defaultdict(set)
    hours: Counter[str] = Counter()
    session_hours = {s.session_id: float(s.hours) for s in tables.sessions}
    for a in tables.assignments:
        trainees[a.member_id].add(a.trainee_ref)
        hours[a.member_id] += session_hours[a.session_id]
    unmet = Counter(u.member_id for u in tables.unmet)
    public: Counter[str] = Counter()
    own: Counter[str] = Counter()
    fees: Counter[str] = Counter()
    for f in tables.funding:
        if f.line_id == OWN:
            own[f.member_id] += f.amount_cents
            if f.cost_item.startswith("access_fee:"):
                fees[f.member_id] += f.amount_cents
        else:
            public[f.member_id] += f.amount_cents
    columns = [
        Column("Structure (id)"), Column("Structure"), Column("Type"), Column("Territoire"),
        Column("Demandes", "int", total=True), Column("Demandes satisfaites", "int", total=True),
        Column("Besoins non couverts", "int", total=True), Column("Salariés formés", "int", total=True),
        Column("Heures-stagiaires", "number", total=True), Column("Financement public", "eur", total=True),
        Column("Fonds propres engagés", "eur", total=True), Column("dont frais d'accès", "eur", total=True),
        Column("Fonds propres disponibles", "eur", total=True), Column("Utilisation des fonds propres", "pct"),
    ]
    rows = []
    for m in scenario.members:
        use = own[m.id] / m.own_funds_cents if m.own_funds_cents else None
        rows.append([
            m.id, m.name, m.kind.value, scenario.territory[m.territory_id].name, requested[m.id], served[m.id],
            unmet[m.id], len(trainees[m.id]), hours[m.id], public[m.id], own[m.id], fees[m.id], m.own_funds_cents,
            use,
        ])
    _write_table(ws, columns, rows)


def _unmet_sheet(ws: Worksheet, scenario: Scenario, tables: PlanTables) -> None:
    columns = [
        Column("Structure (id)"), Column("Structure"), Column("Salarié (référence)"), Column("Module (code)"),
        Column("Intitulé du module"), Column("Heures demandées", "number", total=True), Column("Motif"),
        Column("Motif (code)"), Column("Limite atteinte (code)"), Column("Ce qui la débloquerait"),
    ]
    rows = []
    for u in tables.unmet:
        module = scenario.module[u.module_code]
        rows.append([
            u.member_id, _member_name(scenario, u.member_id), u.trainee_ref, u.module_code, module.title,
            module.hours, french.reason_label(u.reason, u.cause), u.reason, u.cause,
            unmet_sentence(scenario, u),
        ])
    _write_table(ws, columns, rows)


def _summary_sheet(ws: Worksheet, scenario: Scenario, plan: Plan, tables: PlanTables) -> None:
    by_line: Counter[str] = Counter()
    by_funder: Counter[str] = Counter()
    own_total = 0
    for f in tables.funding:
        if f.line_id == OWN:
            own_total += f.amount_cents
        else:
            by_line[f.line_id] += f.amount_cents
            by_funder[f.funder_id] += f.amount_cents

    # 1. budget lines (every line of the scenario, then any line only the plan names), then own funds
    columns = [
        Column("Financeur (id)"), Column("Financeur"), Column("Ligne budgétaire"),
        Column("Enveloppe", "eur", total=True), Column("Montant engagé", "eur", total=True), Column("Reste disponible", "eur", total=True),
        Column("Utilisation de l'enveloppe", "pct"),
    ]
    rows: list[list[Any]] = []
    line_ids = [b.id for b in scenario.budget_lines] + sorted(set(by_line) - set(scenario.budget_line))
    for line_id in line_ids:
        line = scenario.budget_line.get(line_id)
        funder_id = (line.funder_id if line
                     else next(f.funder_id for f in tables.funding if f.line_id == line_id))
        funder = scenario.funder.get(funder_id)
        envelope = line.envelope_cents if line else None
        spent = by_line[line_id]
        rows.append([funder_id, funder.name if funder else funder_id, line_id, envelope, spent,
                     None if envelope is None else envelope - spent,
                     None if not envelope else spent / envelope])
    own_available = sum(m.own_funds_cents for m in scenario.members)
    rows.append([OWN, OWN_FUNDS_LABEL, OWN, own_available, own_total, own_available - own_total,
                 own_total / own_available if own_available else None])
    layout = _write_table(ws, columns, rows)
    assert layout.total_row is not None

    # 2. amounts by funder, below (outside the autofilter)
    row = layout.total_row + 3
    ws.cell(row, 1, FUNDERS_TITLE).font = _TITLE_FONT
    funder_columns = [Column("Financeur (id)"), Column("Financeur"), Column("Montant", "eur"), Column("Part", "pct")]
    public_total = sum(by_funder.values())
    grand_total = public_total + own_total
    funder_ids = [f.id for f in scenario.funders] + sorted(set(by_funder) - set(scenario.funder))
    funder_rows: list[list[Any]] = []
    for funder_id in funder_ids:
        funder = scenario.funder.get(funder_id)
        funder_rows.append([funder_id, funder.name if funder else funder_id, by_funder[funder_id],
                            by_funder[funder_id] / grand_total if grand_total else None])
    funder_rows.append(["", PUBLIC_TOTAL_LABEL, public_total, public_total / grand_total if grand_total else None])
    funder_rows.append([OWN, OWN_FUNDS_LABEL, own_total, own_total / grand_total if grand_total else None])
    funder_rows.append(["", GRAND_TOTAL_LABEL, grand_total, 1.0 if grand_total else None])
    _write_heading(ws, row + 1, funder_columns)
    for i, values in enumerate(funder_rows, start=row + 2):
        for j, (column, value) in enumerate(zip(funder_columns, values, strict=True), start=1):
            _write_cell(ws, i, j, column, value)
        if values[1] in (PUBLIC_TOTAL_LABEL, GRAND_TOTAL_LABEL):
            for j in range(1, len(funder_columns) + 1):
                ws.cell(i, j).font = _TOTAL_FONT
                ws.cell(i, j).fill = _TOTAL_FILL

    # 3. headline figures of the plan
    row = row + 2 + len(funder_rows) + 2
    ws.cell(row, 1, "Le plan").font = _TITLE_FONT
    served = {(a.member_id, a.trainee_ref) for a in tables.assignments}
    trainee_hours = sum(float(s.hours) * s.trainees for s in tables.sessions)
    figures: list[tuple[str, Any, str | None]] = [
        ("Scénario", f"{scenario.title} ({scenario.id})", None),
        ("Méthode", french.method_label(plan.solver), None),
        ("Statut", STATUS_FR.get(plan.status.value, plan.status.value), None),
        ("Demandes", len(scenario.requests), INT_FORMAT),
        ("Demandes satisfaites", len(tables.assignments), INT_FORMAT),
        ("Salariés formés", len(served), INT_FORMAT),
        ("Sessions", len(tables.sessions), INT_FORMAT),
        ("Heures-stagiaires", trainee_hours, "#,##0.##"),
        ("Besoins non couverts", len(tables.unmet), INT_FORMAT),
    ]
    for i, (label, value, fmt) in enumerate(figures, start=row + 1):
        ws.cell(i, 2, label).font = _TOTAL_FONT
        cell = ws.cell(i, 3, value)
        if fmt:
            cell.number_format = fmt
            cell.alignment = Alignment(horizontal="left")


# --- table writing --------------------------------------------------------------------------------

_WIDTH_MIN, _WIDTH_MAX = 8, 60


def _write_heading(ws: Worksheet, row: int, columns: Sequence[Column]) -> None:
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row, j, column.heading)
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN


def _write_table(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> TableLayout:
    """Heading at row 1 (bold, frozen), data, autofilter over both, then the totals rows."""
    _write_heading(ws, 1, columns)
    for i, values in enumerate(rows, start=2):
        for j, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            _write_cell(ws, i, j, column, value)
    last = 1 + len(rows)
    last_letter = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_letter}{last}"

    total_row = None
    if any(c.total for c in columns):
        total_row = last + 1
        filtered_row = last + 2
        for j, column in enumerate(columns, start=1):
            if not column.total:
                continue
            values = [r[j - 1] for r in rows if r[j - 1] is not None]
            _write_cell(ws, total_row, j, column, sum(values) if values else 0)
            letter = get_column_letter(j)
            # SUBTOTAL(109, ...) sums the rows the autofilter shows; an empty table has no range
            cell = ws.cell(filtered_row, j, f"=SUBTOTAL(109,{letter}2:{letter}{last})" if rows else 0)
            cell.number_format = _number_format(column) or "General"
        label_col = 1
        ws.cell(total_row, label_col, TOTAL_LABEL)
        ws.cell(filtered_row, label_col, FILTERED_TOTAL_LABEL)
        for r in (total_row, filtered_row):
            for j in range(1, len(columns) + 1):
                ws.cell(r, j).font = _TOTAL_FONT
                ws.cell(r, j).fill = _TOTAL_FILL
    _set_widths(ws, columns, rows)
    return TableLayout(1, 2, last, total_row)


def _write_cell(ws: Worksheet, row: int, col: int, column: Column, value: Any) -> None:
    value = _cell_value(column, value)
    cell = ws.cell(row, col, value)
    fmt = _number_format(column)
    if fmt and value is not None:
        cell.number_format = fmt


def _cell_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column.kind == "eur":
        return value / 100  # integer cents -> euros, exact to the cent once rounded by the reader
    if column.kind == "number" and float(value).is_integer():
        return int(value)
    return value


def _number_format(column: Column) -> str | None:
    return {"eur": EUR_FORMAT, "date": DATE_FORMAT, "month": MONTH_FORMAT, "pct": PCT_FORMAT,
            "int": INT_FORMAT, "number": "General"}.get(column.kind)


_DISPLAY_WIDTH: dict[str, Callable[[Any], int]] = {
    "eur": lambda v: len(f"{v / 100:,.2f} €"),
    "date": lambda v: 10,
    "month": lambda v: 15,
    "pct": lambda v: 7,
    "int": lambda v: len(f"{v:,}"),
    "number": lambda v: len(f"{v:,.2f}"),
}


def _set_widths(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
    """Widths from the longest value (at most 60 characters) and the heading's longest word."""
    for j, column in enumerate(columns, start=1):
        measure = _DISPLAY_WIDTH.get(column.kind, lambda v: len(str(v)))
        longest = max((measure(r[j - 1]) for r in rows if r[j - 1] not in (None, "")), default=0)
        if column.total and rows:
            longest = max(longest, measure(sum(r[j - 1] for r in rows if r[j - 1] is not None)))
        word = max(len(w) for w in column.heading.split())
        width = min(max(longest, word, _WIDTH_MIN) + 2, _WIDTH_MAX)
        ws.column_dimensions[get_column_letter(j)].width = width
    heading_lines = max(
        -(-len(c.heading) // max(int(ws.column_dimensions[get_column_letter(j)].width) - 1, 1))
        for j, c in enumerate(columns, start=1)
    )
    ws.row_dimensions[1].height = 15 * max(heading_lines, 1) + 4


def _fr_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


__all__ = ["build_plan_workbook", "write_plan_workbook", "cost_item_label"]
