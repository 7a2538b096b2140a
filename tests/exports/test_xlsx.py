"""The plan workbook: French sheets, formatted tables, and figures that agree with the CSV files to the cent."""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from planner.exports import write_plan_workbook
from planner.exports.xlsx import (
    FILTERED_TOTAL_LABEL, GRAND_TOTAL_LABEL, OWN_FUNDS_LABEL, PUBLIC_TOTAL_LABEL, SHEET_ASSIGNMENTS, SHEET_FUNDING,
    SHEET_MEMBERS, SHEET_SESSIONS, SHEET_SUMMARY, SHEET_UNMET, TOTAL_LABEL,
)
from planner.heuristics.greedy import solve_greedy
from planner.ingestion import load_scenario
from planner.domain.plan import FundingRow, Plan, PlannedSession, SolveStatus
from planner.plans.writer import write_plan

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "solvers"))
from scenario_builder import base  # noqa: E402

SHEETS = [SHEET_SUMMARY, SHEET_SESSIONS, SHEET_ASSIGNMENTS, SHEET_FUNDING, SHEET_MEMBERS, SHEET_UNMET]
CSV_OF_SHEET = {SHEET_SESSIONS: "sessions.csv", SHEET_ASSIGNMENTS: "assignments.csv",
                SHEET_FUNDING: "funding.csv", SHEET_UNMET: "unmet.csv"}


def with_meeting_days(scenario, plan: Plan) -> Plan:
    if plan.sessions and not plan.meeting_days:
        from planner.rules.meeting_days import schedule_meeting_days

        plan.meeting_days = schedule_meeting_days(scenario, plan.sessions)
    return plan


@pytest.fixture(scope="module")
def isere(tmp_path_factory):
    """The greedy plan of the reference scenario, its plan folder and its workbook."""
    scenario = load_scenario(ROOT / "scenarios" / "isere-2012")
    plan = with_meeting_days(scenario, solve_greedy(scenario))
    tmp = tmp_path_factory.mktemp("xlsx")
    folder = write_plan(scenario, plan, tmp / "plan")
    path = write_plan_workbook(scenario, plan, tmp / "plan.xlsx")
    return scenario, plan, folder, path


@pytest.fixture(scope="module")
def workbook(isere):
    """The reference workbook, read once (tests only read it)."""
    return openpyxl.load_workbook(isere[3])


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def cents(value: float | int | None) -> int:
    """A euro amount read from the workbook, in cents (exact: amounts are written to the cent)."""
    assert isinstance(value, int | float), value
    return int((Decimal(str(value)) * 100).to_integral_value())


def csv_cents(text: str) -> int:
    return int(Decimal(text) * 100)


def headings(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value is not None}


def data_rows(ws) -> range:
    """Rows under the autofilter, heading excluded."""
    last = int("".join(ch for ch in ws.auto_filter.ref.split(":")[1] if ch.isdigit()))
    return range(2, last + 1)


def row_labelled(ws, label: str, column: int = 1) -> int:
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == label]
    assert len(rows) == 1, f"{ws.title}: {len(rows)} rows labelled {label!r}"
    return rows[0]


# --- structure and format -----------------------------------------------------------------------


def test_sheets_in_french_with_frozen_bold_heading_and_autofilter(isere, workbook):
    assert isere[3].is_file()
    wb = workbook
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        heading = [c for c in ws[1] if c.value is not None]
        assert heading and all(c.font.bold for c in heading), ws.title
        last_col = openpyxl.utils.column_index_from_string(
            "".join(ch for ch in ws.auto_filter.ref.split(":")[1] if ch.isalpha()))
        assert last_col == len(heading), ws.title  # the filter spans the whole table
        for c in heading:  # a sensible width was set for every column
            width = ws.column_dimensions[c.column_letter].width
            assert 8 <= width <= 62, (ws.title, c.value, width)


def test_row_counts_equal_the_csv_files(isere, workbook):
    scenario, _, folder, _ = isere
    wb = workbook
    for sheet, name in CSV_OF_SHEET.items():
        assert len(data_rows(wb[sheet])) == len(read_csv(folder / name)), sheet
    assert len(data_rows(wb[SHEET_MEMBERS])) == len(scenario.members)
    assert len(data_rows(wb[SHEET_SUMMARY])) == len(scenario.budget_lines) + 1  # + own funds


def test_numbers_are_numbers_and_dates_are_dates(isere, workbook):
    *_, folder, _ = isere
    wb = workbook
    ws = wb[SHEET_FUNDING]
    amount = headings(ws)["Montant"]
    for r in data_rows(ws):
        cell = ws.cell(r, amount)
        assert isinstance(cell.value, int | float) and "€" in cell.number_format
    ws = wb[SHEET_SESSIONS]
    h = headings(ws)
    sessions = read_csv(folder / "sessions.csv")
    for r, row in zip(data_rows(ws), sessions, strict=True):
        assert ws.cell(r, h["Session"]).value == row["session_id"]
        first = ws.cell(r, h["Premier jour"])
        assert isinstance(first.value, datetime) and first.value.date().isoformat() == row["start_date"]
        assert first.number_format == "DD/MM/YYYY"
        month = ws.cell(r, h["Mois de début"]).value
        assert isinstance(month, datetime) and f"{month:%Y-%m}" == row["start_month"]
        assert ws.cell(r, h["Stagiaires"]).value == int(row["trainees"])
        assert ws.cell(r, h["Heures"]).value == float(row["hours"])
    ws = wb[SHEET_ASSIGNMENTS]
    h = headings(ws)
    for r, row in zip(data_rows(ws), read_csv(folder / "assignments.csv"), strict=True):
        assert ws.cell(r, h["Salarié (référence)"]).value == row["trainee_ref"]
        assert ws.cell(r, h["Distance aller (km)"]).value == float(row["road_km"])


# --- totals ---------------------------------------------------------------------------------------


def test_funding_total_equals_funding_csv_to_the_cent(isere, workbook):
    _, _, folder, _ = isere
    expected = sum(csv_cents(r["amount_eur"]) for r in read_csv(folder / "funding.csv"))
    ws = workbook[SHEET_FUNDING]
    amount = headings(ws)["Montant"]
    total = row_labelled(ws, TOTAL_LABEL)
    assert total == data_rows(ws)[-1] + 1
    assert cents(ws.cell(total, amount).value) == expected
    assert sum(cents(ws.cell(r, amount).value) for r in data_rows(ws)) == expected
    # the second totals row follows the autofilter in a spreadsheet program
    filtered = row_labelled(ws, FILTERED_TOTAL_LABEL)
    letter = openpyxl.utils.get_column_letter(amount)
    assert ws.cell(filtered, amount).value == f"=SUBTOTAL(109,{letter}2:{letter}{total - 1})"


def test_summary_by_line_and_by_funder_equals_funding_csv(isere, workbook):
    scenario, _, folder, _ = isere
    rows = read_csv(folder / "funding.csv")
    by_line: dict[str, int] = defaultdict(int)
    by_funder: dict[str, int] = defaultdict(int)
    own = 0
    for r in rows:
        if r["line_id"] == "own":
            own += csv_cents(r["amount_eur"])
        else:
            by_line[r["line_id"]] += csv_cents(r["amount_eur"])
            by_funder[r["funder_id"]] += csv_cents(r["amount_eur"])
    public = sum(by_funder.values())
    assert public > 0 and own > 0

    ws = workbook[SHEET_SUMMARY]
    h = headings(ws)
    for r in data_rows(ws):
        line_id = ws.cell(r, h["Ligne budgétaire"]).value
        spent = cents(ws.cell(r, h["Montant engagé"]).value)
        if line_id == "own":
            assert spent == own
            continue
        assert spent == by_line[line_id], line_id
        envelope = scenario.budget_line[line_id].envelope_cents
        assert cents(ws.cell(r, h["Enveloppe"]).value) == envelope
        assert cents(ws.cell(r, h["Reste disponible"]).value) == envelope - spent
        assert ws.cell(r, h["Utilisation de l'enveloppe"]).value == pytest.approx(spent / envelope)
        assert "%" in ws.cell(r, h["Utilisation de l'enveloppe"]).number_format
    total = row_labelled(ws, TOTAL_LABEL)
    assert cents(ws.cell(total, h["Montant engagé"]).value) == public + own

    # the block by funder, below the table: label in column B, amount in column C
    for funder in scenario.funders:
        r = next(r for r in range(total + 1, ws.max_row + 1)
                 if ws.cell(r, 1).value == funder.id and ws.cell(r, 2).value == funder.name)
        assert cents(ws.cell(r, 3).value) == by_funder.get(funder.id, 0), funder.id
    assert cents(ws.cell(row_labelled(ws, PUBLIC_TOTAL_LABEL, 2), 3).value) == public
    assert cents(ws.cell(_own_block_row(ws, total), 3).value) == own
    assert cents(ws.cell(row_labelled(ws, GRAND_TOTAL_LABEL, 2), 3).value) == public + own


def _own_block_row(ws, after: int) -> int:
    """The own-funds row of the by-funder block (the lines table has one too, above)."""
    return next(r for r in range(after + 1, ws.max_row + 1) if ws.cell(r, 2).value == OWN_FUNDS_LABEL)


def test_members_sheet_adds_up(isere, workbook):
    scenario, _, folder, _ = isere
    ws = workbook[SHEET_MEMBERS]
    h = headings(ws)
    total = row_labelled(ws, TOTAL_LABEL)
    assert ws.cell(total, h["Demandes"]).value == len(scenario.requests)
    assert ws.cell(total, h["Demandes satisfaites"]).value == len(read_csv(folder / "assignments.csv"))
    assert ws.cell(total, h["Besoins non couverts"]).value == len(read_csv(folder / "unmet.csv"))
    own = sum(csv_cents(r["amount_eur"]) for r in read_csv(folder / "funding.csv") if r["line_id"] == "own")
    assert cents(ws.cell(total, h["Fonds propres engagés"]).value) == own
    for r in data_rows(ws):
        member = scenario.member[ws.cell(r, h["Structure (id)"]).value]
        assert cents(ws.cell(r, h["Fonds propres engagés"]).value) <= member.own_funds_cents


def test_unmet_sheet_names_the_reason_in_french(isere, workbook):
    *_, folder, _ = isere
    ws = workbook[SHEET_UNMET]
    h = headings(ws)
    for r, row in zip(data_rows(ws), read_csv(folder / "unmet.csv"), strict=True):
        assert ws.cell(r, h["Motif (code)"]).value == row["reason"]
        assert ws.cell(r, h["Motif"]).value not in (None, row["reason"])
        # the detail in French (issue 15: was the English sentence of unmet.csv), the limit's code beside it
        sentence = ws.cell(r, h["Ce qui la débloquerait"]).value
        assert sentence and sentence != row["detail"] and "`" not in sentence and " would " not in sentence
        assert (ws.cell(r, h["Limite atteinte (code)"]).value or "") == row["cause"]


# --- small hand-made cases ---------------------------------------------------------------------


def test_a_plan_without_sessions_gives_empty_tables(tmp_path):
    scenario = base().requests_for("A", "M", 1).build()
    plan = Plan(scenario.id, "", "hand", "1", SolveStatus.FEASIBLE)
    path = write_plan_workbook(scenario, plan, tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    for sheet in (SHEET_SESSIONS, SHEET_ASSIGNMENTS, SHEET_FUNDING, SHEET_UNMET):
        ws = wb[sheet]
        assert ws.freeze_panes == "A2" and len(data_rows(ws)) == 0, sheet
    ws = wb[SHEET_FUNDING]
    total = row_labelled(ws, TOTAL_LABEL)
    assert total == 2 and ws.cell(total, headings(ws)["Montant"]).value == 0
    assert ws.cell(row_labelled(ws, FILTERED_TOTAL_LABEL), headings(ws)["Montant"]).value == 0  # no circular range


def test_hand_made_plan_figures(tmp_path):
    """Two trainees, 21 h at 10 EUR/h: 420 EUR, 70 % public, 30 % own funds; an id like 007 stays text."""
    b = base(rate_eur_per_hour=10)
    b.member("007", own_funds_eur=1000)
    b.requests_for("007", "M", 2, prefix="S")
    scenario = b.build()
    plan = Plan(scenario.id, "", "hand", "1", SolveStatus.OPTIMAL)
    plan.sessions = [PlannedSession("S1", "M", "P", "V", scenario.horizon_start + 2, scenario.horizon_start + 2, (0, 1))]
    plan.funding = [FundingRow("S1", "007", "region", "pub", "pedagogy", 29400),
                    FundingRow("S1", "007", "007", "own", "pedagogy", 12600)]
    plan.meeting_days = {"S1": ["2012-03-05", "2012-03-06", "2012-03-07"]}
    path = write_plan_workbook(scenario, plan, tmp_path / "hand.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_FUNDING]
    h = headings(ws)
    assert [ws.cell(r, h["Structure (id)"]).value for r in data_rows(ws)] == ["007", "007"]
    assert cents(ws.cell(row_labelled(ws, TOTAL_LABEL), h["Montant"]).value) == 42000
    ws = wb[SHEET_SESSIONS]
    h = headings(ws)
    assert ws.cell(2, h["Dates des séances"]).value == "05/03/2012, 06/03/2012, 07/03/2012"
    assert ws.cell(2, h["Heures-stagiaires"]).value == 42
    assert cents(ws.cell(2, h["Financement total"]).value) == 42000
    ws = wb[SHEET_SUMMARY]
    h = headings(ws)
    r = next(r for r in data_rows(ws) if ws.cell(r, h["Ligne budgétaire"]).value == "pub")
    assert cents(ws.cell(r, h["Montant engagé"]).value) == 29400
    assert ws.cell(r, h["Enveloppe"]).value is None  # no cap: no envelope, no use rate
    assert ws.cell(r, h["Utilisation de l'enveloppe"]).value is None
    assert cents(ws.cell(row_labelled(ws, GRAND_TOTAL_LABEL, 2), 3).value) == 42000
