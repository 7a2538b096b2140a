"""``planner survey template``: the workbook members fill."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from survey_helpers import run

from planner.domain.errors import ScenarioInvalid
from planner.survey.layout import HEADINGS, SPEC_COLUMNS
from planner.survey.template import write_template


def _validation(ws, cell: str):
    """The data validation covering ``cell`` (exactly one)."""
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{len(found)} validations on {cell}"
    return found[0]


def _named_values(wb, name: str) -> list[str]:
    """Values of the range a workbook name points to."""
    destinations = list(wb.defined_names[name].destinations)
    assert len(destinations) == 1
    sheet, ref = destinations[0]
    return [c.value for row in wb[sheet][ref.replace("$", "")] for c in row if c.value is not None]


def test_template_sheets_headings_and_catalogue(scenario_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "enquete.xlsx"
    result = run("survey", "template", scenario_dir, "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Demandes", "Catalogue", "Listes", "_planner"]
    assert wb["Listes"].sheet_state == "hidden" and wb["_planner"].sheet_state == "hidden"
    assert wb.active.title == "Instructions"
    assert "Enquête annuelle" in wb["Instructions"]["A1"].value

    ws = wb["Demandes"]
    assert [c.value for c in ws[1]] == [HEADINGS[c] for c in SPEC_COLUMNS]
    assert [c.value for c in ws[2]] == list(SPEC_COLUMNS)  # the hidden mapping row
    assert ws.row_dimensions[2].hidden
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width >= 20
    # ids and months are text cells, so Excel keeps "007" and "2012-03" as typed
    for cell in ("A3", "B3", "C3", "E3", "F3", "A502"):
        assert ws[cell].number_format == "@", cell
    assert ws["A3"].value is None  # no member given: nothing pre-filled
    assert not ws.protection.sheet

    cat = wb["Catalogue"]
    assert [c.value for c in cat[1]][:4] == ["Code", "Titre", "Famille", "Heures"]
    rows = [[c.value for c in row] for row in cat.iter_rows(min_row=2)]
    assert rows == [
        ["CACES-R489-1", "Cariste", "court", 21, 1, "Nord"],
        ["CCLES-LIRE", "Lire", "compétences clés", 100, 2, "Sud"],
    ]
    assert cat.freeze_panes == "A2"

    meta = {k: v for k, v in wb["_planner"].iter_rows(values_only=True)}
    assert meta["format"] == "planner-survey" and meta["scenario_id"] == "mini"


def test_template_data_validations(scenario: object, tmp_path: Path) -> None:
    out = write_template(scenario, tmp_path / "t.xlsx", rows=40)  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(out)
    ws = wb["Demandes"]
    module = _validation(ws, "C3")
    assert module.type == "list" and "C42" in module.sqref and "C43" not in module.sqref
    assert _named_values(wb, module.formula1) == ["CACES-R489-1", "CCLES-LIRE"]
    priority = _validation(ws, "D10")
    assert priority.type == "list" and priority.formula1 == '"1,2,3"'
    for cell in ("E3", "F42"):
        month = _validation(ws, cell)
        assert month.type == "list"
        # every month of the horizon, as text (closed months included: they are about availability)
        assert _named_values(wb, month.formula1) == ["2012-01", "2012-02", "2012-03", "2012-04", "2012-05", "2012-06"]
    assert _named_values(wb, _validation(ws, "A3").formula1) == ["007", "m2"]
    travel = _validation(ws, "G3")
    assert travel.type == "whole" and travel.operator == "greaterThanOrEqual"
    for dv in ws.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.allow_blank
        assert not (dv.formula1 or "").startswith("=")  # OOXML formulas carry no "="


def test_member_template_is_prefilled_and_locked(scenario_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "alpha.xlsx"
    result = run("survey", "template", scenario_dir, "-o", out, "--member", "007", "--rows", "20")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb["Demandes"]
    assert [ws.cell(r, 1).value for r in range(3, 23)] == ["007"] * 20  # a string, not 7
    assert ws.cell(23, 1).value is None
    assert ws.protection.sheet
    assert ws["A3"].protection.locked and not ws["B3"].protection.locked and not ws["G22"].protection.locked
    assert ws["A1"].protection.locked  # headings cannot be edited by mistake
    # the member's drop-down lists only its own id: other members are not disclosed
    assert _named_values(wb, _validation(ws, "A3").formula1) == ["007"]
    meta = {k: v for k, v in wb["_planner"].iter_rows(values_only=True)}
    assert meta["member_id"] == "007"
    text = "\n".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Alpha" in text and "007" in text and "45 minutes" in text


def test_unknown_member_exits_2_with_suggestion(scenario_dir: Path, scenario: object, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = run("survey", "template", scenario_dir, "-o", out, "--member", "07")
    assert result.exit_code == 2
    assert "'07' unknown" in result.output and "did you mean '007'" in result.output
    assert not out.exists()
    with pytest.raises(ScenarioInvalid) as info:
        write_template(scenario, out, member_id="M2")  # type: ignore[arg-type]
    assert info.value.problems[0].suggestion == "m2"


def test_invalid_scenario_exits_2(scenario_dir: Path, tmp_path: Path) -> None:
    modules = scenario_dir / "modules.csv"
    modules.write_text(modules.read_text(encoding="utf-8").replace(",short,", ",shortish,"), encoding="utf-8")
    out = tmp_path / "x.xlsx"
    result = run("survey", "template", scenario_dir, "-o", out)
    assert result.exit_code == 2
    assert "modules.csv" in result.output and "shortish" in result.output
    assert not out.exists()


def test_output_must_be_xlsx(scenario_dir: Path, tmp_path: Path) -> None:
    result = run("survey", "template", scenario_dir, "-o", tmp_path / "x.xls")
    assert result.exit_code == 2 and ".xlsx" in result.output
