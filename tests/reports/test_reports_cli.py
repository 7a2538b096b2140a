"""`planner report PLAN --out DIR`: documents, workbook and calendars; bad input exits 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner import cli
from planner.cli import app

from .conftest import ROOT

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Problem tables on one line per problem, so that messages can be searched."""
    monkeypatch.setattr(cli.err_console, "width", 400)
    monkeypatch.setattr(cli.console, "width", 400)


def test_report_writes_the_selected_documents(isere, tmp_path, monkeypatch):
    _, _, folder = isere
    monkeypatch.chdir(ROOT)  # the default scenario is scenarios/<scenario_id>, relative to the working folder
    out = tmp_path / "docs"
    result = runner.invoke(app, ["report", str(folder), "--out", str(out), "--territory", "ni", "--funder", "etat",
                                 "--member", "aci25", "--member", "ai10"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    expected = {"index.html", "apercu.pdf", "territoire-ni.html", "territoire-ni.pdf", "financeur-etat.html",
                "financeur-etat.pdf", "structure-aci25.html", "structure-aci25.pdf", "structure-ai10.html",
                "structure-ai10.pdf", "plan.xlsx", "ics"}
    assert names == expected
    assert {p.name for p in (out / "ics").iterdir()} == {"territoire-ni.ics", "structure-aci25.ics",
                                                          "structure-ai10.ics"}
    assert str(out / "index.html") in result.output
    overview = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="territoire-ni.html"' in overview and 'href="territoire-bg.html"' not in overview


def test_report_of_a_missing_plan_is_bad_input(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "docs")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot read the plan" in result.output
    assert not (tmp_path / "docs").exists()


def test_report_with_an_unknown_id_or_another_scenario_is_bad_input(isere, tmp_path):
    _, _, folder = isere
    scenario = str(ROOT / "scenarios" / "isere-2012")
    result = runner.invoke(app, ["report", str(folder), "--out", str(tmp_path / "a"), "--scenario", scenario,
                                 "--territory", "nii"])
    assert result.exit_code == 2
    assert "'ni'" in result.output  # did you mean 'ni'?
    result = runner.invoke(app, ["report", str(folder), "--out", str(tmp_path / "b"),
                                 "--scenario", str(ROOT / "scenarios" / "tiny")])
    assert result.exit_code == 2
    assert "another scenario" in result.output
    broken = tmp_path / "broken"
    broken.mkdir()
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    document["sessions"][0]["venue_id"] = "nowhere"
    (broken / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken), "--out", str(tmp_path / "c"), "--scenario", scenario])
    assert result.exit_code == 2
    assert "unknown venue" in result.output
    assert not any((tmp_path / x).exists() for x in ("a", "b", "c"))
