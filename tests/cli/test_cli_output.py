"""What the command line prints: plain lines when piped, JSON on request, values never read as
markup, unknown figures as —, readable help, exit codes of SPEC §4 (issue 15)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
from rich.console import Console
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.common import print_problems, problem_line
from planner.cli.progress import LiveProgress
from planner.cli.views import frame_table
from planner.domain.errors import Problem

MINI = Path(__file__).parent.parent / "data" / "mini"
ISERE = Path(__file__).parents[2] / "scenarios" / "isere-2012"
runner = CliRunner()
BRACKETED = Problem("scenario.toml", "unknown line [id]", row=None, column="budget_lines[2].id", value="[opca]",
                    expected="a [budget_lines] id", suggestion="[opco]")


def broken_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    members = folder / "members.csv"
    lines = members.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("kind")] = "[XX]"
    lines[1] = ",".join(cells)
    members.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_bracketed_values_survive_the_terminal_table():
    console = Console(record=True, force_terminal=True, width=300)
    print_problems([BRACKETED], "scenario", out=console)
    text = console.export_text()
    for part in ("unknown line [id]", "budget_lines[2].id", "[opca]", "a [budget_lines] id", "'[opco]'"):
        assert part in text, text


def test_piped_problems_are_one_plain_line_each(tmp_path):
    result = runner.invoke(app, ["validate", str(broken_mini(tmp_path))])
    assert result.exit_code == 2, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("members.csv:2:kind: "))
    assert "'[XX]'" in line and "valid: " in line, line
    assert "│" not in result.output and "┃" not in result.output


def test_problem_line_format():
    assert problem_line(BRACKETED) == ("scenario.toml::budget_lines[2].id: unknown line [id]: '[opca]' "
                                       "(valid: a [budget_lines] id; did you mean '[opco]'?)")


def test_validate_json_lists_problems_or_the_summary(tmp_path):
    bad = runner.invoke(app, ["validate", str(broken_mini(tmp_path)), "--format", "json"])
    document = json.loads(bad.stdout)
    assert bad.exit_code == 2 and document["ok"] is False
    assert [(p["file"], p["row"], p["column"], p["value"]) for p in document["problems"]] == [
        ("members.csv", 2, "kind", "[XX]")]
    good = runner.invoke(app, ["validate", str(MINI), "--format", "json"])
    document = json.loads(good.stdout)
    assert document["ok"] is True and document["requests"] > 0
    assert good.exit_code == (1 if document["warnings"] else 0)


def test_check_json_and_exit_codes(tmp_path):
    out = tmp_path / "plan"
    solved = runner.invoke(app, ["solve", str(MINI), "--solver", "greedy", "--out", str(out)])
    assert solved.exit_code == 0, solved.output  # a checked plan, not proven optimal: still 0 (SPEC §4)
    checked = runner.invoke(app, ["check", str(MINI), str(out), "--format", "json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout) == {"ok": True, "plan": str(out), "violations": []}
    (out / "unmet.csv").write_text("member_id,trainee_ref,module_code,reason,detail\n", encoding="utf-8")
    broken = runner.invoke(app, ["check", str(MINI), str(out), "--format", "json"])
    document = json.loads(broken.stdout)
    assert broken.exit_code == 1 and document["ok"] is False
    assert {v["rule"] for v in document["violations"]} == {"unmet_missing"}


def test_solve_without_a_plan_exits_3(tmp_path, monkeypatch):
    import planner.pipeline.run as run
    from planner.domain.plan import Plan, SolveStatus

    monkeypatch.setattr(run, "make_plan", lambda scenario, *a, **k: Plan(
        scenario.id, scenario.source_hash, "highs", "", SolveStatus.INFEASIBLE, error="nothing found"))
    result = runner.invoke(app, ["solve", str(MINI), "--solver", "highs", "--out", str(tmp_path / "p")])
    assert result.exit_code == 3 and not (tmp_path / "p").exists()


def test_summary_names_the_served_unit_and_shows_unknown_bounds(tmp_path):
    result = runner.invoke(app, ["solve", str(MINI), "--solver", "greedy", "--out", str(tmp_path / "p")],
                           env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert "priority-weighted trainee-hours" in text
    assert "None" not in text and "nan" not in text and "—" in text  # the greedy plan has no bound


def test_live_line_shows_unknown_figures_as_a_dash():
    live = LiveProgress(Console(), "lns")
    live.state.update(stage="served", value=1234.5, bound=math.nan, elapsed=3.0)
    line = live.line()
    assert "nan" not in line and "bound —" in line and "gap —" in line and "best 1,234.50" in line


def test_narrow_tables_fold_ids_instead_of_cutting_them():
    console = Console(record=True, width=24, force_terminal=False)
    console.print(frame_table(pd.DataFrame({"module_code": ["CACES-R489-CAT1A"], "territory": ["Grésivaudan-Nord"]}),
                              "t"))
    text = console.export_text()
    first_column = "".join(line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│"))
    assert "…" not in text and first_column == "CACES-R489-CAT1A", text


def test_help_is_readable_in_80_columns():
    result = runner.invoke(app, ["solve", "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0
    assert "--explain-time-limit" in result.output and "…" not in result.output
    assert "Exits 0 when a checked plan was written" in " ".join(result.output.split())
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_version():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"planner {version('planner')}"


def test_validate_all_lists_every_unservable_request(tmp_path):
    shown = runner.invoke(app, ["validate", str(ISERE)], env={"COLUMNS": "200"})
    every = runner.invoke(app, ["validate", str(ISERE), "--all"], env={"COLUMNS": "200"})
    assert shown.exit_code == every.exit_code == 1
    assert "more (--all lists them)" in shown.output and "more (--all" not in every.output
    assert len(every.output.splitlines()) > len(shown.output.splitlines())
