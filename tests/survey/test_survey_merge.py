"""``planner survey merge``: members' workbooks back to one survey.csv."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from survey_helpers import fill, read_csv, run, spec_row, write_csv

from planner.ingestion import read_scenario
from planner.survey.layout import HEADINGS, SPEC_COLUMNS
from planner.survey.merge import merge_workbooks
from planner.survey.template import write_template


@pytest.fixture
def alpha(scenario, tmp_path: Path) -> Path:
    """Member 007's template, not yet filled."""
    return write_template(scenario, tmp_path / "alpha.xlsx", member_id="007", rows=30)


@pytest.fixture
def beta(scenario, tmp_path: Path) -> Path:
    return write_template(scenario, tmp_path / "beta.xlsx", member_id="m2", rows=30)


ALPHA_ROWS = [  # what member 007 types (the member column is pre-filled)
    {"trainee_ref": "007", "module_code": "CACES-R489-1", "priority": 1, "available_from": "2012-02",
     "available_to": "2012-05", "max_travel_min": 30},
    {"trainee_ref": "S02", "module_code": "CACES-R489-1"},
    {"trainee_ref": "S03", "module_code": "CCLES-LIRE", "priority": 3, "available_from": "2012-01",
     "available_to": dt.datetime(2012, 6, 1)},  # a month Excel turned into a date
]
ALPHA_EXPECTED = [
    spec_row(member_id="007", trainee_ref="007", module_code="CACES-R489-1", priority="1",
             available_from="2012-02", available_to="2012-05", max_travel_min="30"),
    spec_row(member_id="007", trainee_ref="S02", module_code="CACES-R489-1"),
    spec_row(member_id="007", trainee_ref="S03", module_code="CCLES-LIRE", priority="3",
             available_from="2012-01", available_to="2012-06"),
]
BETA_ROWS = [{"trainee_ref": "b1", "module_code": "CCLES-LIRE", "priority": 2}]
BETA_EXPECTED = [spec_row(member_id="m2", trainee_ref="b1", module_code="CCLES-LIRE", priority="2")]


def test_round_trip_one_member(scenario_dir: Path, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, ALPHA_ROWS)
    out = tmp_path / "out" / "survey.csv"
    result = run("survey", "merge", scenario_dir, alpha, "-o", out)
    assert result.exit_code == 0, result.output
    header, rows = read_csv(out)
    assert header == list(SPEC_COLUMNS)
    assert rows == ALPHA_EXPECTED
    assert "alpha.xlsx" in result.output and "007" in result.output
    # the merged file is a valid survey of the scenario, ids kept as strings
    (scenario_dir / "survey.csv").write_bytes(out.read_bytes())
    loaded, problems = read_scenario(scenario_dir)
    assert not problems, problems
    assert [(r.member_id, r.trainee_ref) for r in loaded.requests][0] == ("007", "007")


def test_merge_two_members_and_a_csv(scenario_dir: Path, alpha: Path, beta: Path, tmp_path: Path) -> None:
    fill(alpha, ALPHA_ROWS)
    fill(beta, BETA_ROWS)
    out = tmp_path / "survey.csv"
    result = run("survey", "merge", scenario_dir, alpha, beta, "-o", out)
    assert result.exit_code == 0, result.output
    assert read_csv(out)[1] == ALPHA_EXPECTED + BETA_EXPECTED
    assert "alpha.xlsx" in result.output and "beta.xlsx" in result.output

    # a CSV with SPEC columns (any order) merges the same as a workbook
    csv_beta = write_csv(tmp_path / "beta.csv", ["module_code", "trainee_ref", "member_id", "priority"],
                         [["CCLES-LIRE", "b1", "m2", "2"]])
    result = run("survey", "merge", scenario_dir, alpha, csv_beta, "-o", out)
    assert result.exit_code == 0, result.output
    assert read_csv(out)[1] == ALPHA_EXPECTED + BETA_EXPECTED


def test_french_headings_without_hidden_row(scenario: object, tmp_path: Path) -> None:
    """A person deleted the hidden row 2 and reordered columns: the French headings still map."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Demandes"
    ws.append(["Module (code)", "salarié (référence anonyme)", "Structure (member_id)", "Priorité (1 haute - 3 basse)"])
    ws.append(["CCLES-LIRE", "b1", "m2", 2])
    wb.save(tmp_path / "copied.xlsx")
    result = merge_workbooks(scenario, [tmp_path / "copied.xlsx"])  # type: ignore[arg-type]
    assert result.ok, result.problems
    assert result.rows == BETA_EXPECTED


def test_differing_duplicate_exits_2_naming_file_row_column(scenario_dir: Path, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES-R489-1", "priority": 1},
                 {"trainee_ref": "S1", "module_code": "CACES-R489-1", "priority": 2}])
    out = tmp_path / "survey.csv"
    result = run("survey", "merge", scenario_dir, alpha, "-o", out)
    assert result.exit_code == 2
    assert "alpha.xlsx" in result.output and "C: Module (code)" in result.output
    assert "demande en double" in result.output and "ligne 3" in result.output
    assert not out.exists()


def test_identical_duplicate_is_kept_once_with_a_note(scenario: object, alpha: Path) -> None:
    row = {"trainee_ref": "S1", "module_code": "CACES-R489-1"}
    fill(alpha, [row, {"trainee_ref": "S2", "module_code": "CACES-R489-1"}, row])
    result = merge_workbooks(scenario, [alpha])  # type: ignore[arg-type]
    assert result.ok
    assert [r["trainee_ref"] for r in result.rows] == ["S1", "S2"]
    (note,) = result.notes
    assert (note.file, note.row, note.column) == ("alpha.xlsx", 5, "C: Module (code)")
    assert "gardé une fois" in note.message


def test_member_submitted_twice_is_an_error(scenario_dir: Path, scenario: object, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, ALPHA_ROWS)
    corrected = write_template(scenario, tmp_path / "alpha-v2.xlsx", member_id="007")  # type: ignore[arg-type]
    fill(corrected, ALPHA_ROWS[:2])
    result = merge_workbooks(scenario, [alpha, corrected])  # type: ignore[arg-type]
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.column) == ("alpha-v2.xlsx", 3, "A: Structure (member_id)")
    assert "envoyée deux fois" in problem.message and "alpha.xlsx" in problem.message
    assert "2 de ses demandes sont dans les deux fichiers" in problem.message
    out = tmp_path / "survey.csv"
    cli = run("survey", "merge", scenario_dir, alpha, corrected, "-o", out)
    assert cli.exit_code == 2 and "envoyée deux fois" in cli.output and not out.exists()


def test_identical_resubmission_is_kept_once(scenario_dir: Path, scenario: object, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, ALPHA_ROWS)
    copy = tmp_path / "copy" / "alpha.xlsx"  # same file name in another folder: shown by path
    copy.parent.mkdir()
    copy.write_bytes(alpha.read_bytes())
    out = tmp_path / "survey.csv"
    result = run("survey", "merge", scenario_dir, alpha, copy, "-o", out)
    assert result.exit_code == 0, result.output  # written, with a note (SPEC §4: notes never change the 0)
    assert read_csv(out)[1] == ALPHA_EXPECTED
    assert "répètent exactement" in result.output


def test_unknown_module_and_bad_cells(scenario: object, alpha: Path) -> None:
    fill(alpha, [
        {"trainee_ref": "S1", "module_code": "CACES-R489"},
        {"trainee_ref": "S2", "module_code": "CACES-R489-1", "priority": 4},
        {"trainee_ref": "S3", "module_code": "CACES-R489-1", "available_from": "2012-13"},
        {"trainee_ref": "S4", "module_code": "CACES-R489-1", "available_from": "2012-05", "available_to": "2012-02"},
        {"module_code": "CACES-R489-1"},
    ])
    result = merge_workbooks(scenario, [alpha])  # type: ignore[arg-type]
    got = [(p.file, p.row, p.column, p.value, p.suggestion) for p in result.problems]
    assert got == [
        ("alpha.xlsx", 3, "C: Module (code)", "CACES-R489", "CACES-R489-1"),
        ("alpha.xlsx", 4, "D: Priorité (1 haute – 3 basse)", "4", None),
        ("alpha.xlsx", 5, "E: Disponible à partir de (AAAA-MM)", "2012-13", None),
        ("alpha.xlsx", 6, "F: Disponible jusqu'à (AAAA-MM)", "2012-02", None),
        ("alpha.xlsx", 7, "B: Salarié (référence anonyme)", "", None),
    ]
    assert all(p.expected for p in result.problems)
    assert result.rows == []


def test_unknown_module_cli_exits_2(scenario_dir: Path, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES"}])
    result = run("survey", "merge", scenario_dir, alpha, "-o", tmp_path / "survey.csv")
    assert result.exit_code == 2
    assert "alpha.xlsx" in result.output and "C: Module (code)" in result.output and "« CACES »" in result.output


def test_window_conflict_of_one_trainee(scenario_dir: Path, scenario: object, alpha: Path, tmp_path: Path) -> None:
    fill(alpha, [
        {"trainee_ref": "S1", "module_code": "CACES-R489-1", "available_from": "2012-02"},
        {"trainee_ref": "S1", "module_code": "CCLES-LIRE", "available_from": "2012-03"},
        # effective windows equal (empty = horizon ends): no conflict
        {"trainee_ref": "S2", "module_code": "CACES-R489-1", "available_to": "2012-06"},
        {"trainee_ref": "S2", "module_code": "CCLES-LIRE"},
    ])
    result = merge_workbooks(scenario, [alpha])  # type: ignore[arg-type]
    (problem,) = result.problems
    assert (problem.row, problem.column) == (4, "E: Disponible à partir de (AAAA-MM)")
    assert "ligne 3" in problem.message
    out = tmp_path / "survey.csv"
    assert run("survey", "merge", scenario_dir, alpha, "-o", out).exit_code == 2
    allowed = run("survey", "merge", scenario_dir, alpha, "-o", out, "--allow-differing-windows")
    assert allowed.exit_code == 0, allowed.output
    assert len(read_csv(out)[1]) == 4


def test_row_of_another_member_in_a_member_workbook(scenario: object, alpha: Path) -> None:
    fill(alpha, [{"member_id": "m2", "trainee_ref": "S1", "module_code": "CACES-R489-1"}])
    (problem,) = merge_workbooks(scenario, [alpha]).problems  # type: ignore[arg-type]
    assert (problem.row, problem.column, problem.value) == (3, "A: Structure (member_id)", "m2")


def test_csv_problems_and_numeric_id_hint(scenario: object, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "answers.csv", ["member_id", "trainee_ref", "module_code", "colour"],
                     [["7", "t1", "CACES-R489-1", ""], ["m2", "t1", "CCLES-LIRE", ""]])
    result = merge_workbooks(scenario, [path])  # type: ignore[arg-type]
    got = [(p.file, p.row, p.column, p.value, p.suggestion) for p in result.problems]
    assert got == [("answers.csv", 1, "colour", "colour", None), ("answers.csv", 2, "member_id", "7", "007")]


def test_missing_column_and_unknown_heading(scenario: object, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Structure (member_id)", "Modul (code)"], [["m2", "CCLES-LIRE"]])
    problems = merge_workbooks(scenario, [path]).problems  # type: ignore[arg-type]
    messages = {(p.message, p.column, p.suggestion) for p in problems}
    assert ("colonne inconnue", "Modul (code)", HEADINGS["module_code"]) in messages
    assert ("colonne obligatoire absente", HEADINGS["trainee_ref"], None) in messages


def test_failed_merge_leaves_existing_output_untouched(scenario_dir: Path, alpha: Path, tmp_path: Path) -> None:
    out = tmp_path / "survey.csv"
    out.write_text("previous survey\n", encoding="utf-8")
    fill(alpha, [{"trainee_ref": "S1", "module_code": "NOPE"}])
    result = run("survey", "merge", scenario_dir, alpha, "-o", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous survey\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["alpha.xlsx", "scenario", "survey.csv"])  # no temp file
    # a successful merge replaces it
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES-R489-1"}])
    assert run("survey", "merge", scenario_dir, alpha, "-o", out).exit_code == 0
    assert read_csv(out)[1] == [spec_row(member_id="007", trainee_ref="S1", module_code="CACES-R489-1")]


def test_output_may_not_be_an_input(scenario_dir: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", list(SPEC_COLUMNS), [["m2", "b1", "CCLES-LIRE", "", "", "", ""]])
    before = path.read_bytes()
    result = run("survey", "merge", scenario_dir, path, "-o", path)
    assert result.exit_code == 2 and "la sortie est l’un des fichiers lus" in result.output
    assert path.read_bytes() == before


def test_unreadable_and_missing_files(scenario: object, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    problems = merge_workbooks(scenario, [broken, tmp_path / "nowhere.xlsx", tmp_path / "a.ods"]).problems  # type: ignore[arg-type]
    assert [p.file for p in problems] == ["broken.xlsx", "nowhere.xlsx", "a.ods"]


def test_notes_window_outside_horizon_and_members_without_answer(scenario_dir: Path, alpha: Path,
                                                                  tmp_path: Path) -> None:
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES-R489-1", "available_from": "2013-01",
                  "available_to": "2013-03"}])
    out = tmp_path / "survey.csv"
    result = run("survey", "merge", scenario_dir, alpha, "-o", out)
    assert result.exit_code == 0, result.output  # written, with warnings (SPEC §4)
    assert "hors de la période du plan" in result.output
    assert "1 member(s) without any request: m2" in result.output
    assert len(read_csv(out)[1]) == 1


def test_added_column_in_a_template_is_reported(scenario: object, alpha: Path) -> None:
    """A member adds a "Commentaire" column next to the template's: its values are not lost silently."""
    wb = openpyxl.load_workbook(alpha)
    ws = wb["Demandes"]
    ws["H1"], ws["H3"] = "Commentaire", "urgent"
    ws["I3"] = "stray"  # a value under no heading at all
    wb.save(alpha)
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES-R489-1"}])
    problems = merge_workbooks(scenario, [alpha]).problems  # type: ignore[arg-type]
    got = [(p.row, p.column, p.message) for p in problems]
    assert (1, "H: Commentaire", "colonne inconnue") in got
    assert (3, None, "la ligne a 9 cellules, l’en-tête 8") in got


def test_a_duplicate_of_a_row_with_a_bad_cell_is_reported_at_once(scenario: object, alpha: Path) -> None:
    """Issue 15: the differing duplicate used to show only once the other cell of its row was fixed."""
    fill(alpha, [{"trainee_ref": "S1", "module_code": "CACES-R489-1", "priority": 4},
                 {"trainee_ref": "S1", "module_code": "CACES-R489-1", "priority": 1}])
    result = merge_workbooks(scenario, [alpha])  # type: ignore[arg-type]
    got = [(p.row, p.column, p.message.split(":")[0].strip()) for p in result.problems]
    assert got == [(3, "D: Priorité (1 haute – 3 basse)", "hors des limites"),
                   (4, "C: Module (code)", "demande en double")], got


def test_identical_duplicates_of_a_bad_row_are_noted_beside_its_errors(scenario: object, alpha: Path) -> None:
    row = {"trainee_ref": "S1", "module_code": "CACES-R489-1", "available_from": "2012-13"}
    fill(alpha, [row, row])
    result = merge_workbooks(scenario, [alpha])  # type: ignore[arg-type]
    assert [p.row for p in result.problems] == [3, 4]
    assert [(n.row, "gardé une fois" in n.message) for n in result.notes] == [(4, True)]


ENGLISH_WORDS = ("value", "required", "range", "number", "valid", "month", "unknown", "row", "column", "duplicate",
                 "member", "trainee", "file", "kept", "between", "listed", "known id")


def test_every_merge_problem_is_in_french(scenario: object, alpha: Path, tmp_path: Path) -> None:
    """Issue 15: members read these; the words of the coordinator's command line stay out."""
    fill(alpha, [
        {"trainee_ref": "S1", "module_code": "CACES-R489"},
        {"trainee_ref": "S2", "module_code": "CACES-R489-1", "priority": 4},
        {"trainee_ref": "S3", "module_code": "CACES-R489-1", "available_from": "2012-13"},
        {"trainee_ref": "S4", "module_code": "CACES-R489-1", "available_from": "2012-05", "available_to": "2012-02"},
        {"module_code": "CACES-R489-1"},
        {"trainee_ref": "S5", "module_code": "CACES-R489-1", "priority": 1},
        {"trainee_ref": "S5", "module_code": "CACES-R489-1", "priority": 2},
        {"trainee_ref": "S6", "module_code": "CACES-R489-1", "max_travel_min": "loin"},
    ])
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"member_id,trainee_ref\n\x81\x8d\n")
    result = merge_workbooks(scenario, [alpha, broken, tmp_path / "absent.xlsx"])  # type: ignore[arg-type]
    assert len(result.problems) >= 9
    for p in result.problems + result.notes:
        words = set(re.findall(r"\w+", f"{p.message} {p.expected or ''}".casefold()))
        assert not [w for w in ENGLISH_WORDS if set(w.split()) <= words], p


def test_cli_lists_notes_beside_errors_at_once(scenario_dir: Path, alpha: Path, beta: Path, tmp_path: Path) -> None:
    fill(alpha, ALPHA_ROWS)
    copy = tmp_path / "copy" / "alpha.xlsx"  # an identical resubmission: a note
    copy.parent.mkdir()
    copy.write_bytes(alpha.read_bytes())
    fill(beta, [{"trainee_ref": "b1", "module_code": "NOPE", "priority": 2}])  # an error
    result = run("survey", "merge", scenario_dir, alpha, copy, beta, "-o", tmp_path / "survey.csv")
    assert result.exit_code == 2, result.output
    assert "répètent exactement" in result.output and "NOPE" in result.output


def test_cli_json_document(scenario_dir: Path, alpha: Path, beta: Path, tmp_path: Path) -> None:
    import json

    fill(alpha, ALPHA_ROWS)
    fill(beta, [{"trainee_ref": "b1", "module_code": "NOPE", "priority": 2}])
    result = run("survey", "merge", scenario_dir, alpha, beta, "-o", tmp_path / "survey.csv", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 2 and document["ok"] is False and document["written"] is None
    assert [(p["file"], p["value"]) for p in document["problems"]] == [("beta.xlsx", "NOPE")]
