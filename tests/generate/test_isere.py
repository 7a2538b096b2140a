"""The Isère reference scenario and its rural variant."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from generate_helpers import loader, read_bytes, read_config, read_table

from planner.generate import build_isere, build_isere_rural6

REPO = Path(__file__).resolve().parents[2]
COMMUNES = REPO / "planner" / "data" / "isere_communes.csv"
TARGETS = {"short": 20_000, "key_skills": 20_000, "qualifying": 3_000}


@pytest.fixture(scope="module")
def isere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_isere(tmp_path_factory.mktemp("isere") / "isere-2012")


@pytest.fixture(scope="module")
def rural6(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_isere_rural6(tmp_path_factory.mktemp("isere") / "isere-2012-rural6")


def requested_hours(folder: Path) -> Counter[str]:
    modules = {m["module_code"]: m for m in read_table(folder, "modules")}
    hours: Counter[str] = Counter()
    for r in read_table(folder, "survey"):
        m = modules[r["module_code"]]
        hours[m["family"]] += float(m["hours"])
    return hours


def test_members_are_the_network_of_fiche_6(isere: Path) -> None:
    members = read_table(isere, "members")
    assert Counter(m["kind"] for m in members) == {"AI": 12, "ACI": 30, "ETTI": 4, "SAP": 1}
    assert len({m["member_id"] for m in members}) == 47
    with COMMUNES.open(encoding="utf-8", newline="") as f:
        communes = {c["commune"]: c for c in csv.DictReader(f)}
    names = {t["territory_id"]: t["name"] for t in read_table(isere, "territories")}
    for m in members:
        commune = communes[m["commune"]]
        assert names[m["territory_id"]] == commune["territory"]
        assert (float(m["lat"]), float(m["lon"])) == (float(commune["lat"]), float(commune["lon"]))
    assert all(m["opca"] == "agefos" for m in members if m["kind"] == "AI")
    assert sum(m["opca"] == "" for m in members if m["kind"] == "ACI") >= 3


def test_territories_and_rural_flags(isere: Path, rural6: Path) -> None:
    rural = {t["territory_id"]: t["rural"] for t in read_table(isere, "territories")}
    assert rural == {"bg": "false", "cisg": "true", "irbv": "true", "ni": "false"}
    assert all("min_fill" not in t for t in read_table(isere, "territories"))
    fills = {t["territory_id"]: t["min_fill"] for t in read_table(rural6, "territories")}
    assert fills == {"bg": "", "cisg": "6", "irbv": "6", "ni": ""}


def test_requested_hours_match_2011_within_ten_percent(isere: Path) -> None:
    hours = requested_hours(isere)
    for family, target in TARGETS.items():
        assert abs(hours[family] - target) <= 0.1 * target, (family, hours[family])


def test_survey_has_rare_and_two_module_requests(isere: Path) -> None:
    survey = read_table(isere, "survey")
    per_module = Counter(r["module_code"] for r in survey)
    assert 1 <= per_module["SOUDURE-ARC"] <= 3
    assert 1 <= per_module["TP-AGENT-MAGASINIER"] <= 3
    per_trainee = Counter((r["member_id"], r["trainee_ref"]) for r in survey)
    assert sum(n == 2 for n in per_trainee.values()) >= 50
    assert any(r["available_from"] for r in survey) and any(r["available_to"] for r in survey)
    offers = {o["module_code"] for o in read_table(isere, "offers")}
    assert "TP-AGENT-MAGASINIER" not in offers


def test_scenario_toml(isere: Path) -> None:
    config = read_config(isere)
    assert config["id"] == "isere-2012"
    assert config["horizon"] == {"start": "2012-01", "end": "2012-12"}
    assert config["closed_months"] == ["2012-08"]
    assert config["policy"]["min_fill"] == 8 and config["policy"]["max_size"] == 12
    assert config["policy"]["rate_eur_per_hour"] == 14.0
    assert config["objective"]["stages"] == ["served", "public_cost", "travel"]
    agefos = next(f for f in config["funders"] if f["id"] == "agefos")
    assert agefos["opca"] is True and agefos["access_fee_eur"] == 150
    lines = {b["id"]: b for b in config["budget_lines"]}
    assert lines["agefos-ai"]["envelope_eur"] == 90_000
    qualifying = ["agefos-qualif", "adec-qualif", "ut-bg", "ut-cisg", "ut-irbv", "ut-ni"]
    assert sum(lines[line]["envelope_eur"] for line in qualifying) == 130_000
    assert {r["line"] for r in config["rules"]} == set(lines)


def test_same_seed_identical_other_seed_differs(isere: Path, tmp_path: Path) -> None:
    assert read_bytes(build_isere(tmp_path / "same")) == read_bytes(isere)
    other = build_isere(tmp_path / "other", seed=1)
    assert (other / "survey.csv").read_bytes() != (isere / "survey.csv").read_bytes()
    assert (other / "members.csv").read_bytes() == (isere / "members.csv").read_bytes()


def test_rural6_differs_only_where_it_should(isere: Path, rural6: Path) -> None:
    a, b = read_bytes(isere), read_bytes(rural6)
    assert {name for name in a if a[name] != b[name]} == {"territories.csv", "scenario.toml", "README.md"}
    assert read_config(rural6)["id"] == "isere-2012-rural6"


@pytest.mark.parametrize("name", ["isere-2012", "isere-2012-rural6", "tiny"])
def test_committed_scenarios_are_up_to_date(name: str, isere: Path, rural6: Path, tmp_path: Path) -> None:
    from planner.generate import build_tiny

    fresh = {"isere-2012": isere, "isere-2012-rural6": rural6}.get(name) or build_tiny(tmp_path / name)
    committed = REPO / "scenarios" / name
    assert read_bytes(committed) == read_bytes(fresh), "run: python scenarios/build.py"


@pytest.mark.parametrize("fixture", ["isere", "rural6"])
def test_loads_and_every_cost_is_coverable(fixture: str, request: pytest.FixtureRequest) -> None:
    module = loader()
    if module is None:
        pytest.skip("planner.ingestion.loader not importable yet")
    from planner.explain.diagnostics import unservable

    scenario = module.load_scenario(request.getfixturevalue(fixture))
    assert len(scenario.members) == 47
    warnings = {g.code: g.count for g in unservable(scenario)}
    assert "cost_not_covered" not in warnings
    assert warnings["no_offer"] == 1  # TP-AGENT-MAGASINIER
    assert 0 < warnings["out_of_reach"] < 50
