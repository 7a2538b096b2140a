"""Warnings on requests that no plan can serve (``planner.explain.diagnostics.unservable``), on edited copies of mini."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli import app
from planner.explain.diagnostics import members_by_kind_and_territory, requests_by_family_and_territory, unservable
from planner.ingestion import load_scenario

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


class Mini:
    """A copy of tests/data/mini, editable cell by cell; rows numbered as in files (header = 1)."""

    def __init__(self, root: Path):
        self.path = root / "mini"
        shutil.copytree(MINI, self.path)

    def _rows(self, name: str) -> list[list[str]]:
        with (self.path / name).open(newline="", encoding="utf-8") as fh:
            return list(csv.reader(fh))

    def _write(self, name: str, rows: list[list[str]]) -> None:
        with (self.path / name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)

    def set_cell(self, name: str, row: int, column: str, value: str) -> None:
        rows = self._rows(name)
        if column not in rows[0]:
            for line in rows:
                line.append("")
            rows[0][-1] = column
        rows[row - 1][rows[0].index(column)] = value
        self._write(name, rows)

    def append_row(self, name: str, values: dict[str, str]) -> None:
        rows = self._rows(name)
        rows.append([values.get(c, "") for c in rows[0]])
        self._write(name, rows)

    def drop_row(self, name: str, row: int) -> None:
        rows = self._rows(name)
        del rows[row - 1]
        self._write(name, rows)

    def toml_replace(self, old: str, new: str) -> None:
        path = self.path / "scenario.toml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def warnings(self) -> dict[str, int]:
        return {g.code: g.count for g in unservable(load_scenario(self.path))}


@pytest.fixture
def mini(tmp_path: Path) -> Mini:
    """mini with enough own funds for m2, so that it has no warning at all."""
    m = Mini(tmp_path)
    m.set_cell("members.csv", 3, "own_funds_eur", "5000")
    assert m.warnings() == {}
    return m


def test_no_offer(mini: Mini) -> None:
    mini.drop_row("offers.csv", 2)  # p1 no longer offers CACES-R489-1 anywhere
    groups = unservable(load_scenario(mini.path))
    assert {g.code: g.count for g in groups} == {"no_offer": 4}
    assert dict(groups[0].details) == {"CACES-R489-1": 4}


def test_out_of_reach(mini: Mini) -> None:
    # a member in Paris asking for a module only offered in Grenoble
    mini.append_row("members.csv", {"member_id": "far", "name": "Loin", "kind": "EI", "territory_id": "north",
                                    "commune": "Paris", "lat": "48.8566", "lon": "2.3522", "own_funds_eur": "5000"})
    mini.append_row("survey.csv", {"member_id": "far", "trainee_ref": "x1", "module_code": "CACES-R489-1"})
    groups = unservable(load_scenario(mini.path))
    assert {g.code: g.count for g in groups} == {"out_of_reach": 1}
    assert groups[0].requests[0].member_id == "far"
    assert "Paris" in next(iter(groups[0].details))


def test_out_of_reach_lifted_by_survey_travel_limit(mini: Mini) -> None:
    """m2 (Mens) reaches Grenoble only because its survey row allows 90 min; 45 min is too short."""
    mini.set_cell("survey.csv", 7, "max_travel_min", "")
    assert mini.warnings() == {"out_of_reach": 1}


def test_window(mini: Mini) -> None:
    mini.set_cell("survey.csv", 3, "available_from", "2012-04")  # t2: April only, which is closed
    mini.set_cell("survey.csv", 3, "available_to", "2012-04")
    mini.set_cell("survey.csv", 5, "available_from", "2012-03")  # s1: two-month module in March–April
    mini.set_cell("survey.csv", 5, "available_to", "2012-04")
    groups = unservable(load_scenario(mini.path))
    assert {g.code: g.count for g in groups} == {"window": 2}


def test_below_min_fill(mini: Mini) -> None:
    mini.set_cell("modules.csv", 3, "min_fill", "5")  # CCLES-LIRE: only m2's two trainees can reach v2
    groups = unservable(load_scenario(mini.path))
    assert {g.code: g.count for g in groups} == {"below_min_fill": 2}
    assert {r.module_code for r in groups[0].requests} == {"CCLES-LIRE"}


def test_below_min_fill_lifted_by_external_seats(mini: Mini) -> None:
    mini.set_cell("modules.csv", 3, "min_fill", "5")
    mini.toml_replace("max_travel_min = 45", "max_travel_min = 45\nexternal_seats_max = 3")
    assert mini.warnings() == {}


def test_cost_not_covered(tmp_path: Path) -> None:
    """As shipped, m2 (AI, no OPCA, 200 EUR) cannot pay 70 % of 100 h × 15 EUR of CCLES-LIRE."""
    groups = unservable(load_scenario(MINI))
    assert {g.code: g.count for g in groups} == {"cost_not_covered": 2}
    assert {(r.member_id, r.module_code) for r in groups[0].requests} == {("m2", "CCLES-LIRE")}
    detail = next(iter(groups[0].details))
    assert "1,050.00" in detail  # 1 500 EUR less the region's 30 %


def test_access_fee_makes_opca_rule_usable(mini: Mini) -> None:
    """m2's CACES request: 70 % of 294 EUR (205.80) > 200 EUR own funds, but the 150 EUR fee opens the OPCA rule."""
    mini.set_cell("members.csv", 3, "own_funds_eur", "200")
    codes = {(g.code, r.module_code) for g in unservable(load_scenario(mini.path)) for r in g.requests}
    assert ("cost_not_covered", "CACES-R489-1") not in codes
    mini.toml_replace("access_fee_eur = 150", "access_fee_eur = 250")
    codes = {(g.code, r.module_code) for g in unservable(load_scenario(mini.path)) for r in g.requests}
    assert ("cost_not_covered", "CACES-R489-1") in codes


def test_unrelated_access_fee_is_not_counted(mini: Mini) -> None:
    """A second OPCA with a huge fee and no rule for the request must not make the request unservable."""
    mini.set_cell("members.csv", 3, "own_funds_eur", "200")
    mini.toml_replace("[[budget_lines]]", '[[funders]]\nid = "opco2"\nopca = true\naccess_fee_eur = 10000\n\n'
                                          '[[budget_lines]]\nid = "opco2-qualif"\nfunder = "opco2"\n\n[[budget_lines]]')
    path = mini.path / "scenario.toml"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\n[[rules]]\nline = "opco2-qualif"\ncost_item = "pedagogy"\nfamilies = ["qualifying"]\nshare = 1.0\n',
                    encoding="utf-8")
    codes = {(g.code, r.member_id, r.module_code) for g in unservable(load_scenario(mini.path)) for r in g.requests}
    assert ("cost_not_covered", "m2", "CACES-R489-1") not in codes


def test_first_reason_wins(mini: Mini) -> None:
    """A request with no offer is reported as no_offer only, even if its window is impossible too."""
    mini.drop_row("offers.csv", 2)
    mini.set_cell("survey.csv", 3, "available_from", "2012-04")
    mini.set_cell("survey.csv", 3, "available_to", "2012-04")
    assert mini.warnings() == {"no_offer": 4}


def test_validate_exit_codes(mini: Mini) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["validate", str(mini.path)], env={"COLUMNS": "200"})
    assert clean.exit_code == 0, clean.output
    mini.drop_row("offers.csv", 2)
    warned = runner.invoke(app, ["validate", str(mini.path)], env={"COLUMNS": "200"})
    assert warned.exit_code == 1, warned.output
    assert "no_offer" in warned.output and "Traceback" not in warned.output


def test_summary_frames(mini: Mini) -> None:
    scenario = load_scenario(mini.path)
    kinds = members_by_kind_and_territory(scenario)
    assert kinds.loc["total", "total"] == 2
    requests = requests_by_family_and_territory(scenario)
    assert requests["requests"].sum() == 6
    assert requests["hours"].sum() == pytest.approx(4 * 21 + 2 * 100)
