"""Broken scenario inputs: each problem names file, row, column, value and what is valid (SPEC §1).

Every test edits a fresh copy of ``tests/data/mini`` and checks both surfaces: the library
(``read_scenario`` returns the problem) and the CLI (``planner validate`` exits 2, prints the
problem in its table and no traceback).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from scenario_copy import ScenarioCopy, problem_rows

from planner.cli import EXIT_BAD_INPUT
from planner.domain.errors import Problem, ScenarioInvalid
from planner.ingestion import load_scenario

ALLOWED_KINDS = ("AI", "ACI", "EI", "ETTI", "EITI", "SAP")


# --- helpers --------------------------------------------------------------------------------

def find(problems: list[Problem], file: str, row: int | None, column: str | None) -> Problem:
    """The one problem at (file, row, column); fails listing all problems otherwise."""
    hits = [p for p in problems if p.file == file and p.row == row and p.column == column]
    listing = "\n".join(map(str, problems))
    assert len(hits) == 1, f"expected one problem at {file}, row {row}, column {column}; got:\n{listing}"
    return hits[0]


def assert_cli_reports(mini: ScenarioCopy, file: str, row: int, column: str, *, value: str | None = None,
                       valid: tuple[str, ...] = ()) -> list[list[str]]:
    """``planner validate`` exits 2 without a traceback and lists the problem (in its JSON document)."""
    result = mini.validate("--format", "json")
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    rows = problem_rows(result.output)
    hits = [r for r in rows if r[:3] == [file, str(row), column]]
    assert hits, f"no row for {file}, row {row}, column {column} in:\n{result.output}"
    cells = hits[0]
    assert len(cells) == 6, cells  # file, row, column, value, problem, valid
    if value is not None:
        assert cells[3] == value
    for text in valid:
        assert text in cells[5], cells
    return rows


# --- one broken input at a time ------------------------------------------------------------

def test_mini_is_valid(mini: ScenarioCopy) -> None:
    scenario, problems = mini.read()
    assert problems == [] and scenario is not None
    result = mini.validate()
    assert result.exit_code in (0, 1), result.output  # 1: warnings only
    assert "Traceback" not in result.output


def test_missing_required_column(mini: ScenarioCopy) -> None:
    mini.drop_column("members.csv", "kind")
    problems = mini.problems()
    p = find(problems, "members.csv", 1, "kind")
    assert "missing" in p.message
    assert "kind" in (p.expected or "")
    # the members it hides are not reported again as unknown in survey.csv
    assert problems == [p]
    assert_cli_reports(mini, "members.csv", 1, "kind", valid=("kind",))


def test_unknown_module_code_suggests_the_near_miss(mini: ScenarioCopy) -> None:
    assert mini.cell("survey.csv", 2, "module_code") == "CACES-R489-1"
    mini.set_cell("survey.csv", 2, "module_code", "CACES-R489")
    problems = mini.problems()
    p = find(problems, "survey.csv", 2, "module_code")
    assert p.value == "CACES-R489"
    assert p.suggestion == "CACES-R489-1"
    assert "unknown" in p.message
    assert len(problems) == 1
    assert_cli_reports(mini, "survey.csv", 2, "module_code", value="CACES-R489", valid=("'CACES-R489-1'",))


def test_month_13(mini: ScenarioCopy) -> None:
    mini.set_cell("survey.csv", 3, "available_from", "2026-13")
    p = find(mini.problems(), "survey.csv", 3, "available_from")
    assert p.value == "2026-13"
    assert "YYYY-MM" in (p.expected or "")
    assert "01 and 12" in (p.expected or "")
    assert_cli_reports(mini, "survey.csv", 3, "available_from", value="2026-13", valid=("YYYY-MM",))


def test_negative_hours(mini: ScenarioCopy) -> None:
    mini.set_cell("modules.csv", 2, "hours", "-21")
    problems = mini.problems()
    p = find(problems, "modules.csv", 2, "hours")
    assert p.value == "-21"
    assert "above 0" in (p.expected or "")
    # offers and survey rows of the invalid module are not reported as unknown modules
    assert problems == [p]
    assert_cli_reports(mini, "modules.csv", 2, "hours", value="-21", valid=("above 0",))


def test_share_above_one_in_toml(mini: ScenarioCopy) -> None:
    mini.toml_replace("share = 0.70", "share = 1.5")
    line = mini.toml_line(r"^share = 1\.5")
    p = find(mini.problems(), "scenario.toml", line, "rules[1].share")
    assert p.value == "1.5"
    assert "between 0 and 1" in (p.expected or "")
    assert_cli_reports(mini, "scenario.toml", line, "rules[1].share", value="1.5", valid=("between 0 and 1",))


def test_rule_naming_unknown_budget_line(mini: ScenarioCopy) -> None:
    mini.toml_replace('line = "region-ctef"', 'line = "region-cte"')
    line = mini.toml_line(r'^line = "region-cte"$')
    p = find(mini.problems(), "scenario.toml", line, "rules[2].line")
    assert p.value == "region-cte"
    assert p.suggestion == "region-ctef"
    assert "budget_lines" in (p.expected or "")
    assert_cli_reports(mini, "scenario.toml", line, "rules[2].line", value="region-cte", valid=("'region-ctef'",))


def test_duplicated_request(mini: ScenarioCopy) -> None:
    row = mini.append_row("survey.csv", {"member_id": "007", "trainee_ref": "t2", "module_code": "CACES-R489-1"})
    p = find(mini.problems(), "survey.csv", row, "module_code")
    assert "duplicate" in p.message and "row 3" in p.message
    assert p.value == "CACES-R489-1"
    assert_cli_reports(mini, "survey.csv", row, "module_code", value="CACES-R489-1", valid=("one row per trainee",))


def test_non_numeric_latitude(mini: ScenarioCopy) -> None:
    mini.set_cell("members.csv", 3, "lat", "45,1885N")
    problems = mini.problems()
    p = find(problems, "members.csv", 3, "lat")
    assert p.value == "45,1885N"
    assert "-90" in (p.expected or "") and "90" in (p.expected or "")
    # the survey rows of member m2 are not reported as naming an unknown member
    assert problems == [p]
    assert_cli_reports(mini, "members.csv", 3, "lat", value="45,1885N", valid=("a number",))


def test_decimal_comma_latitude_is_accepted(mini: ScenarioCopy) -> None:
    mini.set_cell("members.csv", 3, "lat", "44,8167")
    assert mini.load().member["m2"].lat == pytest.approx(44.8167)


def test_unknown_member_kind_lists_allowed_values(mini: ScenarioCopy) -> None:
    mini.set_cell("members.csv", 2, "kind", "SIAE")
    problems = mini.problems()
    p = find(problems, "members.csv", 2, "kind")
    assert p.value == "SIAE"
    for kind in ALLOWED_KINDS:
        assert kind in (p.expected or "")
    assert problems == [p]
    assert_cli_reports(mini, "members.csv", 2, "kind", value="SIAE", valid=ALLOWED_KINDS)


def test_survey_row_naming_unknown_member(mini: ScenarioCopy) -> None:
    mini.set_cell("survey.csv", 5, "member_id", "M2")
    p = find(mini.problems(), "survey.csv", 5, "member_id")
    assert p.value == "M2"
    assert p.suggestion == "m2"
    assert_cli_reports(mini, "survey.csv", 5, "member_id", value="M2", valid=("'m2'",))


def test_survey_row_naming_far_unknown_member_has_no_suggestion(mini: ScenarioCopy) -> None:
    mini.set_cell("survey.csv", 5, "member_id", "zzz")
    p = find(mini.problems(), "survey.csv", 5, "member_id")
    assert p.value == "zzz" and p.suggestion is None
    assert "member id" in (p.expected or "")


# --- several problems at once ----------------------------------------------------------------

def test_problems_in_several_files_are_all_reported(mini: ScenarioCopy) -> None:
    mini.set_cell("members.csv", 2, "kind", "SIAE")
    mini.set_cell("modules.csv", 3, "hours", "cent")
    mini.set_cell("survey.csv", 3, "available_to", "2012-13")
    mini.toml_replace("share = 0.30", "share = 3")
    problems = mini.problems()
    assert len(problems) >= 3
    assert {p.file for p in problems} >= {"members.csv", "modules.csv", "survey.csv", "scenario.toml"}
    find(problems, "members.csv", 2, "kind")
    find(problems, "modules.csv", 3, "hours")
    find(problems, "survey.csv", 3, "available_to")
    find(problems, "scenario.toml", mini.toml_line(r"^share = 3$"), "rules[2].share")

    with pytest.raises(ScenarioInvalid) as info:
        load_scenario(mini.path)
    assert len(info.value.problems) == len(problems)

    result = mini.validate()
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in result.output
    assert f"{len(problems)} problem(s)" in result.output
    rows = problem_rows(result.output)
    assert {r[0] for r in rows if r and r[0]} >= {"members.csv", "modules.csv", "survey.csv", "scenario.toml"}


def test_console_script_exits_2_without_traceback(mini: ScenarioCopy) -> None:
    """The installed entry point (``planner.cli:main``), not only the Typer app."""
    mini.set_cell("modules.csv", 2, "hours", "-21")
    mini.set_cell("members.csv", 2, "kind", "SIAE")
    script = Path(sys.executable).parent / "planner"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "planner.cli"]
    env = {**os.environ, "COLUMNS": "400"}
    done = subprocess.run([*command, "validate", str(mini.path)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == EXIT_BAD_INPUT, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    rows = problem_rows(done.stderr)
    assert any(r[:3] == ["modules.csv", "2", "hours"] for r in rows), done.stderr
    assert any(r[:3] == ["members.csv", "2", "kind"] for r in rows), done.stderr


def test_missing_scenario_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from planner.cli import app

    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in result.output


# --- XLSX ------------------------------------------------------------------------------------

def _write_xlsx(path: Path, rows: list[list[str]], *, sheet: str | None = None, first_sheet: str | None = None) -> None:
    """Write ``rows`` as strings (so "007" stays text), optionally after an unrelated first sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet is not None:
        ws.title = first_sheet
        ws.append(["just", "notes"])
        ws = wb.create_sheet(sheet or path.stem)
    elif sheet is not None:
        ws.title = sheet
    for line in rows:
        ws.append(line)
    wb.save(path)


def test_xlsx_instead_of_csv(mini: ScenarioCopy) -> None:
    rows = mini.read_csv("members.csv")
    _write_xlsx(mini.file("members.xlsx"), rows)
    mini.file("members.csv").unlink()
    scenario = mini.load()
    assert [m.id for m in scenario.members] == ["007", "m2"]
    member = scenario.member["007"]
    assert isinstance(member.id, str) and member.id == "007"
    assert member.own_funds_cents == 50000
    assert member.lat == pytest.approx(45.1885)
    assert member.release_cap is None
    assert scenario.member["m2"].release_cap == 2
    assert {r.member_id for r in scenario.requests} == {"007", "m2"}


def test_xlsx_with_numeric_cells(mini: ScenarioCopy) -> None:
    """Numbers typed as numbers in a spreadsheet read like the CSV text ("21", not "21.0")."""
    rows = mini.read_csv("modules.csv")
    typed = [rows[0]] + [[float(c) if c.replace(".", "").isdigit() else c for c in line] for line in rows[1:]]
    _write_xlsx(mini.file("modules.xlsx"), typed)
    mini.file("modules.csv").unlink()
    scenario = mini.load()
    assert scenario.module["CACES-R489-1"].minutes == 21 * 60
    assert scenario.module["CCLES-LIRE"].months == 2


def test_xlsx_sheet_named_like_the_file(mini: ScenarioCopy) -> None:
    _write_xlsx(mini.file("members.xlsx"), mini.read_csv("members.csv"), first_sheet="lisez-moi")
    mini.file("members.csv").unlink()
    assert [m.id for m in mini.load().members] == ["007", "m2"]


def test_xlsx_problem_rows_are_sheet_rows(mini: ScenarioCopy) -> None:
    rows = mini.read_csv("members.csv")
    rows[2][rows[0].index("kind")] = "SIAE"
    _write_xlsx(mini.file("members.xlsx"), rows)
    mini.file("members.csv").unlink()
    p = find(mini.problems(), "members.xlsx", 3, "kind")
    assert p.value == "SIAE"
    assert_cli_reports(mini, "members.xlsx", 3, "kind", value="SIAE", valid=ALLOWED_KINDS)


def test_csv_and_xlsx_for_one_table_is_an_error(mini: ScenarioCopy) -> None:
    _write_xlsx(mini.file("members.xlsx"), mini.read_csv("members.csv"))
    problems = mini.problems()
    hits = [p for p in problems if p.file.startswith("members.")]
    assert len(hits) == 1
    assert "members.csv" in hits[0].message and "members.xlsx" in hits[0].message
    # the members it hides are not reported again as unknown in survey.csv
    assert problems == hits
    result = mini.validate()
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Traceback" not in result.output
    assert any(r[0].startswith("members.") for r in problem_rows(result.output))


def test_unreadable_xlsx_is_a_problem_not_a_crash(mini: ScenarioCopy) -> None:
    mini.file("members.csv").unlink()
    mini.file("members.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    problems = mini.problems()
    assert [p.file for p in problems] == ["members.xlsx"]
    result = mini.validate()
    assert result.exit_code == EXIT_BAD_INPUT and "Traceback" not in result.output


# --- ids stay strings ------------------------------------------------------------------------

def test_ids_stay_strings(mini: ScenarioCopy) -> None:
    scenario = mini.load()
    assert "007" in scenario.member and "7" not in scenario.member
    assert all(isinstance(m.id, str) for m in scenario.members)
    requests = [r for r in scenario.requests if r.member_id == "007"]
    assert len(requests) == 3
    assert all(r.member_id == "007" for r in requests)


def test_numeric_looking_ids_are_not_normalised(mini: ScenarioCopy) -> None:
    """"007" and "7" are different members; "7" in the survey is unknown, suggesting "007"."""
    mini.set_cell("survey.csv", 2, "member_id", "7")
    p = find(mini.problems(), "survey.csv", 2, "member_id")
    assert p.value == "7" and p.suggestion == "007"
    mini.set_cell("survey.csv", 2, "member_id", "007")
    mini.set_cell("survey.csv", 2, "trainee_ref", "0001")
    assert mini.load().requests[0].trainee == ("007", "0001")


# --- minimum shares above 100 % (SPEC §2.7) ----------------------------------------------------

def test_minimum_shares_above_one_for_a_member(mini: ScenarioCopy) -> None:
    """0.70 (OPCA, short) + 0.50 (region, all) > 1 for 007, who adheres to the OPCA."""
    mini.toml_replace("share = 0.30", "share = 0.50")
    problems = mini.problems()
    assert len(problems) == 1, "\n".join(map(str, problems))
    p = problems[0]
    assert (p.file, p.column) == ("scenario.toml", "rules[2].share")
    assert p.row == mini.toml_line(r"^share = 0\.50$")
    assert "'007'" in p.message and "120%" in p.message
    assert_cli_reports(mini, "scenario.toml", p.row, "rules[2].share", value="1.20", valid=("at most 1",))


def test_minimum_shares_of_an_opca_rule_need_adherence(mini: ScenarioCopy) -> None:
    """Without adherents, the OPCA rule applies to nobody as it stands: 0.70 + 0.50 is not a problem."""
    mini.toml_replace("share = 0.30", "share = 0.50")
    mini.set_cell("members.csv", 2, "opca", "")
    assert mini.problems() == []


def test_share_range_minimum_counts(mini: ScenarioCopy) -> None:
    """A share range counts with its minimum: 0.70 + [0.2, 0.9] is fine, 0.70 + [0.4, 0.9] is not."""
    mini.toml_replace("share = 0.30", "share_min = 0.2\nshare_max = 0.9")
    assert mini.problems() == []
    mini.toml_replace("share_min = 0.2", "share_min = 0.4")
    assert [p.column for p in mini.problems()] == ["rules[2].share"]


def test_closed_months_must_be_a_list(mini: ScenarioCopy) -> None:
    """A lone string is not silently ignored (sessions would run in the month meant to be closed)."""
    mini.toml_replace('closed_months = ["2012-04"]', 'closed_months = "2012-04"')
    line = mini.toml_line(r"^closed_months")
    p = find(mini.problems(), "scenario.toml", line, "closed_months")
    assert p.value == "2012-04" and "list" in p.message
    assert_cli_reports(mini, "scenario.toml", line, "closed_months", value="2012-04", valid=("YYYY-MM",))


def test_bad_closed_month(mini: ScenarioCopy) -> None:
    mini.toml_replace('closed_months = ["2012-04"]', 'closed_months = ["2012-04", "2012-4"]')
    p = find(mini.problems(), "scenario.toml", mini.toml_line(r"^closed_months"), "closed_months")
    assert p.value == "2012-4"


def test_huge_and_infinite_numbers_are_problems(mini: ScenarioCopy) -> None:
    """Found by the fuzz test: these used to raise decimal.InvalidOperation while scaling to cents."""
    mini.toml_replace("access_fee_eur = 150", "access_fee_eur = 1e26")
    mini.toml_replace("envelope_eur = 5000", "envelope_eur = inf")
    mini.set_cell("members.csv", 2, "own_funds_eur", "1e30")
    problems = mini.problems()
    find(problems, "scenario.toml", mini.toml_line(r"^access_fee_eur"), "funders[1].access_fee_eur")
    find(problems, "scenario.toml", mini.toml_line(r"^envelope_eur = inf"), "budget_lines[1].envelope_eur")
    find(problems, "members.csv", 2, "own_funds_eur")
    assert mini.validate().exit_code == EXIT_BAD_INPUT
